//! The configuration checked against org state: every kind of state input describing the same org
//! gives the same findings; without state nothing built on the org is an error.

use std::path::PathBuf;

use cxlint::check::{CheckOptions, check};
use cxlint::diagnostic::Severity;

const CONFIG: &str = "testdata/projects/against_state";

fn findings(states: &[&str]) -> (Vec<(String, String)>, bool) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut opts = CheckOptions::new(root, vec![PathBuf::from(CONFIG)]);
    opts.settings.state = states.iter().map(PathBuf::from).collect();
    let r = check(&opts);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let mut out: Vec<(String, String)> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity > Severity::Info)
        .map(|d| (d.rule.name.to_owned(), d.message.to_string()))
        .collect();
    out.sort();
    (out, r.incomplete)
}

fn expected() -> Vec<(String, String)> {
    let mut v = vec![
        (
            "wrapup-code-not-assigned".to_owned(),
            "wrap-up code `Escalated` is not assigned to queue `Support`".to_owned(),
        ),
        (
            "unknown-wrapup-code".to_owned(),
            "wrap-up code `Resolvd` does not exist in the org".to_owned(),
        ),
        (
            "unknown-queue".to_owned(),
            "queue id `0badc0de-0000-4000-8000-000000000000` does not exist in the org".to_owned(),
        ),
        // The trigger's raw ids, and the data action's literal ids.
        (
            "wrapup-code-not-assigned".to_owned(),
            "wrap-up code `Resolved` is not assigned to queue `Sales`".to_owned(),
        ),
        (
            "wrapup-code-not-assigned".to_owned(),
            "wrap-up code `Escalated` is not assigned to queue `Support`".to_owned(),
        ),
    ];
    v.sort();
    v
}

#[test]
fn every_state_kind_gives_the_same_findings() {
    for state in [
        "testdata/state/v4.tfstate",
        "testdata/state/v4-attributes-flat.tfstate",
        "testdata/state/v3.tfstate",
        "testdata/state/plan.json",
        "testdata/state/export",
    ] {
        let (got, incomplete) = findings(&[state]);
        assert!(!incomplete, "{state} did not load cleanly");
        assert_eq!(got, expected(), "with --state {state}");
    }
}

#[test]
fn an_export_configuration_without_its_state_knows_names_but_not_ids() {
    // Findings that need the org's ids (raw GUIDs in triggers, data actions, campaigns) are not
    // made: an unknown id proves nothing when the input has no ids at all. Name lookups still work.
    let (got, incomplete) = findings(&["testdata/state/export/genesyscloud.tf.json"]);
    assert!(!incomplete);
    let mut want = vec![
        (
            "unknown-wrapup-code".to_owned(),
            "wrap-up code `Resolvd` does not exist in the org".to_owned(),
        ),
        (
            "wrapup-code-not-assigned".to_owned(),
            "wrap-up code `Escalated` is not assigned to queue `Support`".to_owned(),
        ),
    ];
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn several_state_inputs_of_one_org_are_not_double_counted() {
    let (got, _) = findings(&[
        "testdata/state/export",
        "testdata/state/v4.tfstate",
        "testdata/state/v3.tfstate",
    ]);
    assert_eq!(got, expected());
}

#[test]
fn without_state_nothing_about_the_org_is_an_error() {
    let (got, _) = findings(&[]);
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn a_snapshot_of_the_same_org_gives_the_same_findings_as_its_tfstate() {
    // Build a snapshot from the v4 state: the format `cxlint snapshot` writes.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let state: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("testdata/state/v4.tfstate")).expect("read"),
    )
    .expect("json");
    let mut resources = Vec::new();
    for r in state["resources"].as_array().expect("resources") {
        if r["mode"] != "managed" {
            continue;
        }
        for i in r["instances"].as_array().expect("instances") {
            let a = &i["attributes"];
            resources.push(serde_json::json!({"type": r["type"], "id": a["id"], "name": a["name"], "attributes": a}));
        }
    }
    let snapshot = serde_json::json!({
        "format": "cxlint-snapshot", "version": 1, "region": "eu-west-1", "api_base": "https://api.mypurecloud.ie",
        "fetched_at": "2026-11-21T00:00:00Z", "cxlint_version": "0.1.0", "resources": resources, "missing": []
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("org-snapshot.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&snapshot).expect("json"),
    )
    .expect("write");
    let (got, incomplete) = findings(&[path.to_str().expect("utf-8 path")]);
    assert!(!incomplete);
    assert_eq!(got, expected());
}
