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
    assert_eq!(op.scopes, Some(&["conversations"][..]));
    assert_eq!(op.permissions.kind, PermissionKind::Any);
    assert_eq!(op.permissions.list, ["conversation:participant:wrapup"]);
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
/// the catalog's load times from its tables, and what parsing the text (which `build.rs` does)
/// would cost; `bench/run.sh` measures start-up end to end.
#[test]
#[ignore]
fn load_time() {
    let start = Instant::now();
    let c = decode::catalog(CATALOG_TEXT, CATALOG_TABLES);
    let load = start.elapsed();
    let start = Instant::now();
    let models = c.models().len();
    let models_time = start.elapsed();
    let start = Instant::now();
    let near = c
        .nearest("POST", "/api/v2/conversations/voice/{id}/wrapup", 5)
        .len();
    let first_nearest = start.elapsed();
    let start = Instant::now();
    let raw = tables::parse(CATALOG_TEXT).unwrap();
    let tables = tables::encode(CATALOG_TEXT, &raw);
    let build = start.elapsed();
    assert!(near > 0 && !tables.is_empty());
    println!(
        "catalog load: {load:?} ({} operations); models on first use: {models_time:?} ({models}); \
         first nearest (reads the word index): {first_nearest:?}; parse + derive at build time: \
         {build:?}",
        c.ops.len()
    );
}

/// The loaded catalog says what the text says: every operation, list, resource and model field,
/// compared with a plain parse of the text.
#[test]
fn tables_hold_the_text() {
    let c = Catalog::get();
    let raw = tables::parse(CATALOG_TEXT).unwrap();
    assert_eq!(c.ops.len(), raw.ops.len());
    for (op, r) in c.ops.iter().zip(&raw.ops) {
        assert_eq!(
            (
                op.method,
                op.path,
                op.operation_id,
                op.sdk_method,
                op.summary
            ),
            (r.method, r.path, r.operation_id, r.sdk_method, r.summary)
        );
        assert_eq!(op.scopes, r.scopes.as_deref());
        assert_eq!(op.permissions.list, r.permissions);
        assert_eq!(op.query_params, r.query_params);
        assert_eq!((op.body, op.response), (r.body, r.response));
        let flags = [
            op.body_required,
            op.deprecated,
            op.preview,
            op.removed_in_sdk259,
            op.absent_from_sdk259,
        ];
        let bits = [
            tables::FLAG_BODY_REQUIRED,
            tables::FLAG_DEPRECATED,
            tables::FLAG_PREVIEW,
            tables::FLAG_REMOVED,
            tables::FLAG_ABSENT,
        ];
        for (flag, bit) in flags.into_iter().zip(bits) {
            assert_eq!(flag, r.flags & bit != 0, "{}", op.key());
        }
    }
    // Each flag is set on some operation and clear on another, so the comparison above bites.
    assert!(c.ops.iter().any(|o| o.removed_in_sdk259) && c.ops.iter().any(|o| o.preview));
    assert_eq!(c.resources.len(), raw.resources.len());
    for (res, r) in c.resources.iter().zip(&raw.resources) {
        assert_eq!(res.resource_type, r.resource_type);
        assert_eq!(res.resource_name, r.resource_name);
        assert_eq!(
            (res.permissions, res.scopes, res.endpoints),
            (&r.permissions[..], &r.scopes[..], &r.endpoints[..])
        );
    }
    let models = c.models();
    assert_eq!(models.len(), raw.models.len());
    for (m, r) in models.iter().zip(&raw.models) {
        assert_eq!(m.name, r.name);
        let fields: Vec<_> = m
            .fields
            .iter()
            .map(|f| (f.name, f.ty, f.required))
            .collect();
        assert_eq!(fields, r.fields);
    }
    // Vocabularies: sorted, distinct, and complete.
    for v in [&c.scopes, &c.permissions, &c.literal_words] {
        assert!(v.windows(2).all(|w| w[0] < w[1]));
    }
    assert!(raw.ops.iter().all(|o| {
        o.permissions
            .iter()
            .all(|p| c.permissions.binary_search(p).is_ok())
            && o.scopes
                .iter()
                .flatten()
                .all(|s| c.scopes.binary_search(s).is_ok())
    }));
}

/// The word index read from the tables has each operation's normalised segments and words.
#[test]
fn word_index_matches_the_paths() {
    let c = Catalog::get();
    let index = c.nearest_index();
    assert_eq!(index.ops.len(), c.ops.len());
    assert!(index.vocab.windows(2).all(|w| w[0].0 < w[1].0));
    let word = |id: u32| index.vocab[id as usize].0;
    for (op, w) in c.ops.iter().zip(&index.ops) {
        let segs: Vec<Option<String>> = op
            .segments()
            .map(|s| (!paths::is_template_param(s)).then(|| tables::normalize(s)))
            .collect();
        let got: Vec<Option<&str>> = w
            .segs
            .iter()
            .map(|&id| (id != tables::NONE).then(|| word(id)))
            .collect();
        assert_eq!(got, segs.iter().map(Option::as_deref).collect::<Vec<_>>());
        for &id in w.word_ids {
            assert!(got.contains(&Some(word(id))), "{}", op.key());
        }
        for &id in w.perm_ids {
            assert!(!got.contains(&Some(word(id))), "{}", op.key());
            assert!(
                op.permissions.list.iter().any(|p| p
                    .split(':')
                    .skip(1)
                    .any(|x| tables::normalize(x) == word(id))),
                "{}",
                op.key()
            );
        }
    }
    // Rarer words weigh more: `wrapup` is in far fewer templates than `conversation`.
    let idf = |w: &str| index.vocab.iter().find(|v| v.0 == w).unwrap().1;
    assert!(idf("wrapup") > idf("conversation"));
}

#[test]
fn rejects_unknown_records_and_versions() {
    let e = tables::parse("cxlint-api-catalog\t99\n").unwrap_err();
    assert!(e.message.contains("format version 99"), "{e}");
    let e = tables::parse("cxlint-api-catalog\t1\nbogus\tx\n").unwrap_err();
    assert_eq!(e.line, 2);
    assert_eq!(e.to_string(), "catalog line 2: unknown record `bogus`");
    let e = tables::parse("cxlint-api-catalog\t1\nf\tcode\tstring\t0\n").unwrap_err();
    assert!(e.message.contains("outside a model"));
    assert!(tables::parse("").is_err());
    let e = tables::parse("cxlint-api-catalog\t1\nmodel\tM\nf\ta\tstring\t2\n").unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.message.contains("required flag"), "{e}");
    let e = tables::parse("cxlint-api-catalog\t1\nmodel\tM\nop\tGET\n").unwrap_err();
    assert!(e.message.contains("among the models"), "{e}");
    let e = tables::parse("cxlint-api-catalog\t1\nop\tGET\t/x\n").unwrap_err();
    assert!(e.message.contains("expected 12"), "{e}");
    let op = "op\tGET\t/v1/x\t-\tx\t-\t?\t?\t\t-\t-\t\tX";
    let e = tables::parse(&format!("cxlint-api-catalog\t1\n{op}\n")).unwrap_err();
    assert!(e.message.contains("not under /api/v2"), "{e}");
}

#[test]
fn parses_a_minimal_catalog() {
    let text = "cxlint-api-catalog\t1\n\
        op\tGET\t/api/v2/x/{id}\t-\tgetX\t-\t?\t?\t\t-\t-\t\tGet x\n\
        op\tPOST\t/api/v2/x\tpostX\t-\tbd\tx,x:readonly\tANY\tx:y:add\tXInput\tX\tq\tMake x\n\
        tf\tgenesyscloud_x\tx\tx:y:view\tx\tGET /api/v2/x/{id}\n\
        model\tXInput\nf\ta\tstring\t1\nf\tb\tnumber\t0\nmodel\tM\nf\ta\tstring\t1\n";
    let c = Catalog::from_text(text).unwrap();
    let [get, post] = c.operations() else {
        panic!("two operations")
    };
    assert_eq!(get.scopes, None);
    assert_eq!(get.permissions.kind, PermissionKind::Unknown);
    assert_eq!(get.operation_id, None);
    assert_eq!(get.sdk_method, Some("getX"));
    assert_eq!(post.scopes, Some(&["x", "x:readonly"][..]));
    assert_eq!(post.permissions.kind, PermissionKind::Any);
    assert!(post.body_required && post.deprecated && !post.preview);
    assert_eq!(post.query_params, ["q"]);
    assert_eq!((post.body, post.response), (Some("XInput"), Some("X")));
    // Found by their number of segments.
    assert!(matches!(
        c.lookup("GET", "/api/v2/x/123"),
        paths::Lookup::Found(_)
    ));
    assert!(matches!(
        c.lookup("POST", "/api/v2/x"),
        paths::Lookup::Found(_)
    ));
    // Models are sorted by name whatever the text's order.
    let names: Vec<_> = c.models().iter().map(|m| m.name).collect();
    assert_eq!(names, ["M", "XInput"]);
    assert!(!c.model("XInput").unwrap().fields[1].required);
    assert!(c.is_scope("x:readonly") && c.permission_string_known("x:y:view"));
    assert_eq!(
        c.resource_permissions("genesyscloud_x")
            .unwrap()
            .endpoints
            .len(),
        1
    );
    let near = c.nearest("GET", "/api/v2/x/{id}/y", 1);
    assert_eq!(near[0].key(), "GET /api/v2/x/{id}");
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
