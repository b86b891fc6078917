//! Whole-catalog checks: the embedded artifact parses, matches its sources, and loads fast.

use std::path::Path;
use std::time::Instant;

use super::*;

#[test]
fn embedded_catalog_is_complete() {
    let c = Catalog::get();
    assert_eq!(c.operations().len(), 3348);
    assert!(c.models().len() > 2000);
    assert_eq!(c.resources().len(), 131);
    let p = c.provenance();
    assert_eq!(p.format_version, "1");
    assert_eq!(p.sources.len(), 2);
    assert!(
        p.sources
            .iter()
            .all(|s| s.sha256.len() == 64 && s.bytes > 0)
    );
    assert!(p.api_meta.starts_with('{') && p.api_meta.contains("swagger-2026-02"));
    let queue = c
        .resource_permissions("genesyscloud_routing_queue")
        .unwrap();
    assert!(queue.permissions.contains(&"routing:queue:add"));
    assert!(queue.scopes.contains(&"routing"));
    assert!(c.resource_permissions("genesyscloud_nope").is_none());
}

#[test]
fn unknown_figures_stay_unknown() {
    let c = Catalog::get();
    let no_scopes = c.operations().iter().filter(|o| o.scopes.is_none()).count();
    assert_eq!(no_scopes, 691);
    let unknown_perms = c
        .operations()
        .iter()
        .filter(|o| o.permissions.kind == PermissionKind::Unknown)
        .count();
    // 68 swagger-only operations, plus the one whose "permission" was a sentence.
    assert_eq!(unknown_perms, 69);
    let op = c
        .operations()
        .iter()
        .find(|o| o.method == "POST" && o.path == "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup")
        .unwrap();
    assert_eq!(op.scopes.as_deref(), Some(&["conversations"][..]));
    assert_eq!(op.permissions.kind, PermissionKind::Any);
    assert_eq!(&*op.permissions.list, ["conversation:participant:wrapup"]);
    assert_eq!(op.body, Some("WrapupInput"));
    let wrapup = c.model("WrapupInput").unwrap();
    let names: Vec<_> = wrapup.fields.iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "code",
            "name",
            "notes",
            "tags",
            "durationSeconds",
            "endTime",
            "provisional",
            "disableEndTimeUpdates"
        ]
    );
}

/// A measurement, not a test: timings are never asserted (a loaded CI machine would make them
/// flaky). `cargo test --release --lib catalog::tests::load_time -- --ignored --nocapture` prints
/// the catalog's load times; `bench/run.sh` measures start-up end to end.
#[test]
#[ignore]
fn load_time() {
    let start = Instant::now();
    let c = parse::parse(CATALOG_TEXT).unwrap();
    let load = start.elapsed();
    let start = Instant::now();
    let models = c.models().len();
    let models_time = start.elapsed();
    let start = Instant::now();
    let found = matches!(
        c.lookup("GET", "/api/v2/routing/queues/{id}"),
        paths::Lookup::Found(_)
    );
    let first_lookup = start.elapsed();
    assert!(found);
    println!(
        "catalog load: {load:?} ({} operations); models on first use: {models_time:?} ({models}); \
         first lookup: {first_lookup:?}",
        c.ops.len()
    );
}

/// Drift check: re-runs the generator in `--check` mode against the shared reference data
/// (`$CXLINT_SHARED_DATA`, `../shared/data` or `../../shared/data`), which verifies that the
/// committed artifact is exactly what the current sources and generator produce.
#[test]
fn artifact_matches_sources() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = std::env::var_os("CXLINT_SHARED_DATA")
        .map(std::path::PathBuf::from)
        .into_iter()
        .chain([root.join("../shared/data"), root.join("../../shared/data")]);
    let Some(data) = candidates
        .into_iter()
        .find(|d| d.join("genesys-api-operations.json").exists())
    else {
        eprintln!("skipping: the shared reference data (../shared/data) is not present");
        return;
    };
    let script = root.join("tools/gen-catalog/gen_catalog.py");
    let out = match std::process::Command::new("python3")
        .arg(&script)
        .arg("--check")
        .arg(&data)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            eprintln!("skipping: cannot run python3: {e}");
            return;
        }
    };
    assert!(
        out.status.success(),
        "data/api-catalog.tsv is stale: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
