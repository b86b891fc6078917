//! The org-state loaders against `testdata/state/`: one small org (3 wrap-up codes, 2 queues, an
//! OAuth client, an outbound rule set) written by each tool that writes state; every kind must
//! describe the same org.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cxlint::load::detect::{StateKindGuess, classify_state_path, detect};
use cxlint::load::json::parse_json;
use cxlint::load::plan::parse_plan;
use cxlint::load::tfstate::parse_tfstate;
use cxlint::load::{LoadError, Mode, StateDoc, StateKind};
use cxlint::source::FileId;
use cxlint::value::Val;

const F: FileId = FileId(7);

const RESOLVED: &str = "7f3c2a1e-5b8d-4c6f-9e2a-1d4b6c8e0f21";
const ESCALATED: &str = "b2e9d4a7-3c1f-4e8b-a6d5-9f0c2e7b4a13";
const NO_ANSWER: &str = "e5a1c7d3-9b2f-4d6e-8c4a-3f7b1e9d2c56";
const SUPPORT: &str = "4d8f2b6a-1e3c-4a7d-b9f5-6c2e8a0d4b71";
const SALES: &str = "9a6c3e1f-7d4b-4f2a-8e6c-2b5d9f1a3c84";
const CLIENT: &str = "c1f7e3a9-2d5b-4c8e-9a1f-7e3b5d9c1a26";
const RULESET: &str = "6e2a8c4f-0b7d-4e1a-9c3f-5d8b2a6e0c47";

const ORG_TYPES: &[&str] = &[
    "genesyscloud_routing_wrapupcode",
    "genesyscloud_routing_queue",
    "genesyscloud_oauth_client",
    "genesyscloud_outbound_ruleset",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/state")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("fixture")
}

/// Load a state input by its detected kind, as the CLI will.
fn load(text: &str) -> Result<StateDoc, LoadError> {
    match detect(text).expect("detected") {
        StateKind::TfstateV4 | StateKind::TfstateV3 => parse_tfstate(F, text),
        StateKind::Plan => parse_plan(F, text),
        other => panic!("not a state loader kind: {other:?}"),
    }
}

/// What must be the same in every description of the org.
#[derive(Debug, PartialEq)]
struct OrgSummary {
    objects: BTreeSet<(String, String, String)>,
    queue_codes: BTreeMap<String, BTreeSet<String>>,
    ruleset_codes: BTreeSet<String>,
    ruleset_queue: String,
}

fn strings(v: Option<&Val>) -> BTreeSet<String> {
    v.map(|v| {
        v.elements()
            .iter()
            .filter_map(|e| e.as_str())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

fn summarise(doc: &StateDoc) -> OrgSummary {
    let mut s = OrgSummary {
        objects: BTreeSet::new(),
        queue_codes: BTreeMap::new(),
        ruleset_codes: BTreeSet::new(),
        ruleset_queue: String::new(),
    };
    for r in doc.resources.iter().filter(|r| r.mode == Mode::Managed) {
        if !ORG_TYPES.contains(&r.rtype.as_str()) {
            continue;
        }
        let name = r
            .attrs
            .get("name")
            .and_then(Val::as_str)
            .unwrap_or_default()
            .to_string();
        let id = r.id.clone().expect("every org object has an id");
        s.objects.insert((r.rtype.clone(), id, name.clone()));
        match r.rtype.as_str() {
            "genesyscloud_routing_queue" => {
                s.queue_codes
                    .insert(name, strings(r.attrs.get("wrapup_codes")));
            }
            "genesyscloud_outbound_ruleset" => {
                for rule in r.attrs.blocks("rules") {
                    for cond in rule.blocks("conditions") {
                        if cond.get("type").and_then(Val::as_str) == Some("wrapupCondition") {
                            s.ruleset_codes.extend(strings(cond.get("codes")));
                        }
                    }
                }
                s.ruleset_queue = r
                    .attrs
                    .get("queue_id")
                    .and_then(Val::as_str)
                    .unwrap_or_default()
                    .to_string();
            }
            _ => {}
        }
    }
    s
}

fn expected() -> OrgSummary {
    let o = |t: &str, id: &str, n: &str| (t.to_string(), id.to_string(), n.to_string());
    let set = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    OrgSummary {
        objects: [
            o("genesyscloud_routing_wrapupcode", RESOLVED, "Resolved"),
            o("genesyscloud_routing_wrapupcode", ESCALATED, "Escalated"),
            o("genesyscloud_routing_wrapupcode", NO_ANSWER, "No Answer"),
            o("genesyscloud_routing_queue", SUPPORT, "Support"),
            o("genesyscloud_routing_queue", SALES, "Sales"),
            o("genesyscloud_oauth_client", CLIENT, "Data Actions Client"),
            o(
                "genesyscloud_outbound_ruleset",
                RULESET,
                "Sales Wrapup Rules",
            ),
        ]
        .into_iter()
        .collect(),
        queue_codes: [
            ("Support".to_string(), set(&[RESOLVED, NO_ANSWER])),
            ("Sales".to_string(), set(&[ESCALATED])),
        ]
        .into_iter()
        .collect(),
        ruleset_codes: set(&[ESCALATED]),
        ruleset_queue: SALES.to_string(),
    }
}

#[test]
fn every_state_kind_describes_the_same_org() {
    let cases = [
        ("v4.tfstate", StateKind::TfstateV4),
        ("v4-attributes-flat.tfstate", StateKind::TfstateV4),
        ("v3.tfstate", StateKind::TfstateV3),
        ("export/terraform.tfstate", StateKind::TfstateV3),
        ("plan.json", StateKind::Plan),
    ];
    for (name, kind) in cases {
        let text = read(name);
        assert_eq!(detect(&text), Some(kind), "{name}");
        let doc = load(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.kind, kind, "{name}");
        assert_eq!(summarise(&doc), expected(), "{name}");
    }
}

#[test]
fn export_config_references_resolve_through_its_state() {
    let state = load(&read("export/terraform.tfstate")).expect("export state");
    let ids: BTreeMap<&str, &str> = state
        .resources
        .iter()
        .filter_map(|r| Some((r.address.as_str(), r.id.as_deref()?)))
        .collect();
    let text = read("export/genesyscloud.tf.json");
    assert_eq!(detect(&text), Some(StateKind::Export));
    let config = parse_json(F, &text).expect("tf.json");
    let queues = config
        .get("resource")
        .and_then(|r| r.get("genesyscloud_routing_queue"))
        .and_then(Val::as_object)
        .expect("queues");
    let mut resolved = BTreeMap::new();
    for (label, queue) in queues {
        let codes: BTreeSet<String> = strings(queue.get("wrapup_codes"))
            .iter()
            .map(|r| {
                let addr = r
                    .strip_prefix("${")
                    .and_then(|r| r.strip_suffix(".id}"))
                    .expect("ref");
                ids.get(addr)
                    .unwrap_or_else(|| panic!("{addr} not in state"))
                    .to_string()
            })
            .collect();
        let name = queue
            .get("name")
            .and_then(Val::as_str)
            .expect("name")
            .to_string();
        assert!(ids.contains_key(format!("genesyscloud_routing_queue.{label}").as_str()));
        resolved.insert(name, codes);
    }
    assert_eq!(resolved, expected().queue_codes);
    // The exporter's sanitised label for `No Answer`, and a raw GUID for the unexported role.
    assert!(ids.contains_key("genesyscloud_routing_wrapupcode.No_Answer"));
    let client = config
        .get("resource")
        .and_then(|r| r.get("genesyscloud_oauth_client"))
        .and_then(|c| c.get("Data_Actions_Client"))
        .expect("client");
    let role = client.blocks("roles")[0]
        .get("role_id")
        .and_then(Val::as_str);
    assert_eq!(role, Some("1b9d5f3a-7c2e-4a6b-8d0f-4e6a2c8b0d93"));
}

#[test]
fn addresses_cover_modules_for_each_count_and_data() {
    let addrs = |name: &str| -> Vec<String> {
        load(&read(name))
            .expect(name)
            .resources
            .iter()
            .map(|r| r.address.clone())
            .collect()
    };
    let v4 = addrs("v4.tfstate");
    assert!(
        v4.contains(&"data.genesyscloud_auth_division_home.home".to_string()),
        "{v4:?}"
    );
    assert!(v4.contains(&"genesyscloud_routing_wrapupcode.codes[\"No Answer\"]".to_string()));
    assert!(v4.contains(&"module.contact_center.genesyscloud_routing_queue.support".to_string()));
    let flat = addrs("v4-attributes-flat.tfstate");
    assert!(
        flat.contains(&"genesyscloud_routing_wrapupcode.code[2]".to_string()),
        "{flat:?}"
    );
    let v3 = addrs("v3.tfstate");
    assert!(
        v3.contains(&"genesyscloud_routing_queue.Support".to_string()),
        "{v3:?}"
    );
    assert!(v3.contains(&"module.lookups.data.genesyscloud_auth_division_home.home".to_string()));
    let plan = load(&read("plan.json")).expect("plan");
    // The wrap-up code being deleted is gone; the skill being created has an unknown id.
    assert!(
        !plan
            .resources
            .iter()
            .any(|r| r.address == "genesyscloud_routing_wrapupcode.old")
    );
    let skill = plan
        .resources
        .iter()
        .find(|r| r.address == "genesyscloud_routing_skill.callbacks")
        .expect("created skill");
    assert_eq!(skill.id, None);
    assert!(skill.attrs.get("id").is_some_and(Val::is_unknown));
}

#[test]
fn spans_slice_to_the_state_text() {
    let code_span = |name: &str| {
        let text = read(name);
        let doc = load(&text).expect(name);
        let support = doc
            .resources
            .iter()
            .find(|r| r.attrs.get("name").and_then(Val::as_str) == Some("Support"))
            .expect("support")
            .clone();
        let entry = text[support.span.expect("entry span").range()].to_string();
        let codes = support.attrs.get("wrapup_codes").expect("codes").elements();
        let first = text[codes[0].span.expect("code span").range()].to_string();
        let timeout = support.attrs.blocks("media_settings_call")[0]
            .get("alerting_timeout_sec")
            .and_then(|v| v.span)
            .map(|s| text[s.range()].to_string());
        (entry, first, timeout)
    };
    let (entry, first, timeout) = code_span("v4.tfstate");
    assert!(
        entry.starts_with("{\n") && entry.contains("\"schema_version\": 0"),
        "{entry}"
    );
    assert_eq!(first, format!("\"{RESOLVED}\""));
    assert_eq!(timeout.as_deref(), Some("8"));
    let (entry, first, timeout) = code_span("v3.tfstate");
    assert!(entry.starts_with("{\n") && entry.contains("\"type\": \"genesyscloud_routing_queue\""));
    assert!(
        first == format!("\"{RESOLVED}\"") || first == format!("\"{NO_ANSWER}\""),
        "{first}"
    );
    assert_eq!(timeout.as_deref(), Some("\"8\""));
    let (entry, _, timeout) = code_span("plan.json");
    assert!(
        entry.starts_with(
            "{\"address\":\"module.contact_center.genesyscloud_routing_queue.support\""
        )
    );
    assert_eq!(timeout.as_deref(), Some("8"));
}

#[test]
fn truncated_and_corrupt_files_fail_at_the_right_place() {
    for name in ["v4.tfstate", "v3.tfstate", "plan.json"] {
        let text = read(name);
        let cut = &text[..text.len() / 2];
        // Still recognised, so the failure is a located parse error rather than "not a state".
        assert_eq!(detect(cut), detect(&text), "{name}");
        let e = load(cut).expect_err(name);
        assert_eq!(e.span.start as usize, cut.len(), "{name}: {}", e.message);
        assert_eq!(e.span.file, F);

        let at = text.find(RESOLVED).expect("guid") - 1; // the opening quote of a GUID string
        let corrupt = format!("{}@{}", &text[..at], &text[at + 1..]);
        let e = load(&corrupt).expect_err(name);
        assert_eq!(e.span.start as usize, at, "{name}: {}", e.message);
    }
    let e = parse_tfstate(F, r#"{"version": 5, "resources": []}"#).expect_err("v5");
    assert!(e.message.starts_with("unsupported state version 5"));

    // Valid JSON of the wrong shape: a located error, not a resource dropped without a word.
    let entry = |instances: &str| {
        format!(
            r#"{{"version": 4, "resources": [{{"mode": "managed", "type": "genesyscloud_routing_queue", "name": "q", "instances": {instances}}}]}}"#
        )
    };
    for (instances, message, at) in [
        (r#"{"0": {}}"#, "`instances` must be a list", r#"{"0""#),
        ("[1]", "instance must be an object", "1]"),
        (
            r#"[{"attributes": [1, 2]}]"#,
            "`attributes` must be an object",
            "[1, 2]",
        ),
        (
            r#"[{"attributes_flat": "x"}]"#,
            "`attributes_flat` must be an object",
            r#""x""#,
        ),
    ] {
        let text = entry(instances);
        let e = parse_tfstate(F, &text).expect_err(instances);
        assert!(e.message.contains(message), "{instances}: {}", e.message);
        assert_eq!(e.span.start as usize, text.find(at).unwrap(), "{instances}");
    }
    // Null or absent is no instance, or an instance with nothing known.
    for instances in ["null", r#"[{"attributes": null, "schema_version": 0}]"#] {
        parse_tfstate(F, &entry(instances)).expect(instances);
    }
}

#[test]
fn hostile_input_never_panics() {
    let v4 = read("v4.tfstate");
    let nul = v4
        .replacen("\"serial\"", "\"se\0rial\"", 1)
        .replacen(": 27", ": \0", 1);
    assert!(parse_tfstate(F, &nul).is_err());
    for text in [
        "\0",
        "{\0}",
        "{\"version\": 4, \"resources\": [\0]}",
        "\u{feff}",
        "\"\\u0000\"",
    ] {
        let _ = detect(text);
        let _ = parse_tfstate(F, text);
        let _ = parse_plan(F, text);
    }
    let deep = format!("{{\"version\": 4, \"resources\": {}", "[".repeat(100_000));
    let e = parse_tfstate(F, &deep).expect_err("deep");
    assert!(e.message.contains("nested deeper"), "{}", e.message);
    // Wrong shapes are errors or skipped entries, never panics.
    for text in [
        r#"{"version": 4, "resources": {}}"#,
        r#"{"version": 4, "resources": [1, 2]}"#,
        r#"{"version": 4, "resources": [{"type": "t", "name": "n", "instances": [1, {"attributes": 3}]}]}"#,
        r#"{"version": 3, "modules": [{"path": 1, "resources": {"t.n": {"primary": {"attributes": {"a.#": "x", "a.b.c": 1}}}}}]}"#,
        r#"{"version": 3, "modules": [{"resources": {"bad": {"primary": {"attributes": {}}}}}]}"#,
        r#"{"format_version": "1.0", "planned_values": {"root_module": {"resources": [{"address": 1}], "child_modules": [{}]}}, "resource_changes": [{"change": 1}, {"address": "a", "type": "t", "change": {"actions": "x", "after_unknown": [true]}}]}"#,
    ] {
        let _ = parse_tfstate(F, text);
        let _ = parse_plan(F, text);
    }
}

#[test]
fn classify_by_content_not_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let renamed = dir.path().join("org-state.txt");
    std::fs::copy(fixture("v3.tfstate"), &renamed).expect("copy");
    let found = classify_state_path(&renamed).expect("detected");
    assert_eq!(
        found,
        vec![(renamed.clone(), StateKindGuess::Kind(StateKind::TfstateV3))]
    );

    let random = dir.path().join("terraform.tfstate");
    std::fs::write(
        &random,
        r#"{"name": "web", "version": "1.0.0", "scripts": {}}"#,
    )
    .expect("write");
    let e = classify_state_path(&random).expect_err("random json");
    assert!(
        e.to_string()
            .contains("not a state, plan, snapshot or export"),
        "{e}"
    );

    let snapshot = dir.path().join("org.json");
    std::fs::write(
        &snapshot,
        r#"{"format": "cxlint-snapshot", "version": 1, "objects": []}"#,
    )
    .expect("write");
    let found = classify_state_path(&snapshot).expect("snapshot");
    assert_eq!(found[0].1, StateKindGuess::Kind(StateKind::Snapshot));
}

#[test]
fn export_directory_lists_its_parts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for f in [
        "genesyscloud.tf.json",
        "terraform.tfstate",
        "terraform.tfvars",
    ] {
        std::fs::copy(fixture("export").join(f), d.join(f)).expect("copy");
    }
    std::fs::copy(
        fixture("export/terraform.tfstate"),
        d.join("terraform.tfstate.backup"),
    )
    .expect("copy");
    std::fs::write(d.join("provider.tf"), "provider \"genesyscloud\" {\n}\n").expect("write");
    std::fs::write(d.join("notes.md"), "resource \"x\" is documented here\n").expect("write");
    std::fs::write(d.join("package.json"), r#"{"name": "x"}"#).expect("write");
    std::fs::create_dir(d.join("architect_flows")).expect("mkdir");
    std::fs::write(
        d.join("architect_flows/Main-INBOUNDCALL-1.yaml"),
        "inboundCall:\n  name: Main\n",
    )
    .expect("write");
    let found = classify_state_path(d).expect("export dir");
    let got: Vec<(String, StateKindGuess)> = found
        .into_iter()
        .map(|(p, g)| {
            (
                p.strip_prefix(d)
                    .expect("below")
                    .to_string_lossy()
                    .replace('\\', "/"),
                g,
            )
        })
        .collect();
    let k = StateKindGuess::Kind;
    assert_eq!(
        got,
        vec![
            (
                "architect_flows/Main-INBOUNDCALL-1.yaml".to_string(),
                StateKindGuess::FlowYaml
            ),
            ("genesyscloud.tf.json".to_string(), k(StateKind::Export)),
            ("provider.tf".to_string(), k(StateKind::Export)),
            ("terraform.tfstate".to_string(), k(StateKind::TfstateV3)),
            ("terraform.tfvars".to_string(), StateKindGuess::Tfvars),
        ]
    );
    let empty = tempfile::tempdir().expect("tempdir");
    assert!(classify_state_path(empty.path()).is_err());
}

/// `cargo test --release --test state_loaders -- --ignored --nocapture`: throughput on a ~50 MB
/// v4 state (the benchmark figure for the issue; not run by default).
#[test]
#[ignore]
fn perf_50mb_state() {
    use std::time::Instant;
    let one = read("v4.tfstate");
    let doc = parse_json(F, &one).expect("fixture");
    let queue = doc
        .get("resources")
        .and_then(Val::as_list)
        .and_then(|r| {
            r.iter()
                .find(|r| r.get("name").and_then(Val::as_str) == Some("support"))
        })
        .expect("queue");
    let queue_text = &one[queue.span.expect("span").range()];
    let mut text = String::from(
        "{\n  \"version\": 4,\n  \"terraform_version\": \"1.9.8\",\n  \"serial\": 1,\n  \"lineage\": \"x\",\n  \"outputs\": {},\n  \"resources\": [\n",
    );
    let mut n = 0;
    while text.len() < 50 << 20 {
        if n > 0 {
            text.push_str(",\n");
        }
        text.push_str(&queue_text.replace("\"name\": \"support\"", &format!("\"name\": \"q{n}\"")));
        n += 1;
    }
    text.push_str("\n  ]\n}\n");
    let mb = text.len() as f64 / (1 << 20) as f64;

    // On a loaded machine wall time mostly measures waiting: report the thread's on-CPU time too.
    let timed = |f: &mut dyn FnMut()| {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        f();
        (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu)
    };
    let mut kind = None;
    let (detect_wall, _) = timed(&mut || kind = detect(&text));
    assert_eq!(kind, Some(StateKind::TfstateV4));
    let mut state = None;
    let (wall, cpu) = timed(&mut || state = Some(parse_tfstate(F, &text).expect("parses")));
    assert_eq!(state.as_ref().map(|s| s.resources.len()), Some(n));
    let (drop_wall, _) = timed(&mut || drop(state.take()));
    let mut ok = false;
    let (jsonc_wall, jsonc_cpu) = timed(&mut || {
        ok = jsonc_parser::parse_to_ast(&text, &Default::default(), &Default::default()).is_ok()
    });
    assert!(ok);
    eprintln!(
        "{mb:.1} MB, {n} resources: detect {detect_wall:.4}s; parse_tfstate {wall:.3}s wall, \
         {cpu:.3}s cpu ({:.0} MB/s cpu); drop {drop_wall:.3}s; jsonc-parser parse_to_ast alone \
         {jsonc_wall:.3}s wall, {jsonc_cpu:.3}s cpu ({:.0} MB/s cpu)",
        mb / cpu,
        mb / jsonc_cpu
    );
}

/// This thread's time on a CPU (Linux `schedstat`, nanoseconds); 0 elsewhere.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0.0, |ns| ns as f64 / 1e9)
}
