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

/// The documented layout `[state] paths = ["export/"]`, the export inside the configuration's
/// directory: the export is the org, not a second root module of the configuration (which made
/// every lookup by name fail, and its own files get findings).
#[test]
fn an_export_directory_inside_the_checked_tree_is_the_org_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        root.join(CONFIG).join("main.tf"),
        dir.path().join("main.tf"),
    )
    .expect("copy");
    let export = dir.path().join("export");
    std::fs::create_dir(&export).expect("mkdir");
    for e in std::fs::read_dir(root.join("testdata/state/export")).expect("export") {
        let e = e.expect("entry");
        if e.path().is_file() {
            std::fs::copy(e.path(), export.join(e.file_name())).expect("copy");
        }
    }
    let mut opts = CheckOptions::new(dir.path().to_path_buf(), vec![PathBuf::from(".")]);
    opts.settings.state = vec![PathBuf::from("export")];
    let r = check(&opts);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let mut got: Vec<(String, String)> = (r.diagnostics.iter())
        .filter(|d| d.severity > Severity::Info)
        .map(|d| (d.rule.name.to_owned(), d.message.to_string()))
        .collect();
    got.sort();
    assert_eq!(got, expected());
    // Named as the path to check, the export's files are checked as asked.
    let mut opts = CheckOptions::new(dir.path().to_path_buf(), vec![PathBuf::from("export")]);
    opts.settings.state = vec![PathBuf::from("export")];
    assert!(check(&opts).files_checked > 0);
}

/// Runs `check` on `main_tf` in a temporary directory with `state` (file name, text) as
/// `--state`: every finding as (rule, severity, message).
fn check_with_state(main_tf: &str, state: (&str, &str)) -> Vec<(String, Severity, String)> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("main.tf"), main_tf).expect("write");
    std::fs::write(dir.path().join(state.0), state.1).expect("write");
    let mut opts = CheckOptions::new(dir.path().to_path_buf(), vec![PathBuf::from(".")]);
    opts.settings.state = vec![PathBuf::from(state.0)];
    let r = check(&opts);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let notes = |d: &cxlint::diagnostic::Diagnostic| {
        let notes: Vec<String> = d.notes.iter().map(ToString::to_string).collect();
        format!("{} {}", d.message, notes.join(" "))
    };
    (r.diagnostics.iter())
        .map(|d| (d.rule.name.to_owned(), d.severity, notes(d)))
        .collect()
}

/// One resource of a version 4 state, with one instance of these attributes (JSON).
fn v4_entry(mode: &str, rtype: &str, name: &str, attrs: &str) -> String {
    format!(
        r#"{{"mode": "{mode}", "type": "{rtype}", "name": "{name}", "instances": [{{"attributes": {attrs}}}]}}"#
    )
}

/// A version 4 state of these resources.
fn v4_state(resources: &[String]) -> String {
    format!(
        r#"{{"version": 4, "resources": [{}]}}"#,
        resources.join(", ")
    )
}

/// Asserts that every finding is information (nothing built on the org is claimed).
fn assert_only_info(got: &[(String, Severity, String)]) {
    assert!(
        got.iter().all(|(_, sev, _)| *sev == Severity::Info),
        "{got:?}"
    );
}

/// Whether an error of `rule` whose message (and notes) says `said` was found.
fn has_error(got: &[(String, Severity, String)], rule: &str, said: &str) -> bool {
    (got.iter()).any(|(r, sev, m)| r == rule && *sev == Severity::Error && m.contains(said))
}

/// A data source the workspace's own state records as resolved was found by the plan, though
/// no managed object of the state holds its id: not "does not exist in the org".
#[test]
fn a_data_source_the_state_records_as_resolved_exists() {
    let main_tf = r#"resource "genesyscloud_routing_wrapupcode" "sale" {
  name = "Sale"
}
data "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}
resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = [genesyscloud_routing_wrapupcode.sale.id, data.genesyscloud_routing_wrapupcode.resolved.id]
}
"#;
    let state = |with_data: bool| {
        let mut resources = vec![
            v4_entry(
                "managed",
                "genesyscloud_routing_wrapupcode",
                "sale",
                r#"{"id": "22222222-2222-4222-8222-222222222222", "name": "Sale"}"#,
            ),
            v4_entry(
                "managed",
                "genesyscloud_routing_queue",
                "support",
                r#"{"id": "33333333-3333-4333-8333-333333333333", "name": "Support"}"#,
            ),
        ];
        if with_data {
            resources.push(v4_entry(
                "data",
                "genesyscloud_routing_wrapupcode",
                "resolved",
                r#"{"id": "11111111-1111-4111-8111-111111111111", "name": "Resolved"}"#,
            ));
        }
        v4_state(&resources)
    };
    let got = check_with_state(main_tf, ("terraform.tfstate", &state(true)));
    assert_only_info(&got);
    // Without the data source's entry, this workspace's own state (it holds only what the
    // configuration declares) does not list the org: the code may have been made in the UI
    // or by another workspace.
    let got = check_with_state(main_tf, ("terraform.tfstate", &state(false)));
    assert_only_info(&got);
    // A state holding objects the configuration does not declare (an export's, another
    // workspace's) lists the type: there the listing decides.
    let listing = state(false).replacen(
        "\"resources\": [",
        &format!(
            "\"resources\": [{},",
            v4_entry(
                "managed",
                "genesyscloud_routing_wrapupcode",
                "other",
                r#"{"id": "44444444-4444-4444-8444-444444444444", "name": "Other"}"#,
            )
        ),
        1,
    );
    let got = check_with_state(main_tf, ("terraform.tfstate", &listing));
    let missing = "`Resolved` does not exist in the org";
    assert!(has_error(&got, "unknown-wrapup-code", missing), "{got:?}");
}

/// An id the state itself holds (a queue's codes, assigned in the UI, read by the refresh)
/// existed in the org: no listing loaded holding it does not make it "not exist", and no
/// finding points into the generated state file.
#[test]
fn an_id_the_terraform_state_holds_is_not_reported_missing() {
    let main_tf = r#"resource "genesyscloud_routing_wrapupcode" "sale" {
  name = "Sale"
}
resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}
"#;
    let state = &v4_state(&[
        v4_entry(
            "managed",
            "genesyscloud_routing_wrapupcode",
            "sale",
            r#"{"id": "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "name": "Sale"}"#,
        ),
        v4_entry(
            "managed",
            "genesyscloud_routing_queue",
            "support",
            r#"{"id": "cccccccc-cccc-4ccc-8ccc-cccccccccccc", "name": "Support", "wrapup_codes": ["aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"]}"#,
        ),
    ]);
    let got = check_with_state(main_tf, ("terraform.tfstate", state));
    assert_only_info(&got);
    // The same id written in the configuration is checked against a listing: none here, as
    // this workspace's own state lists only what it manages.
    let configured = main_tf.replace(
        "name = \"Support\"",
        "name = \"Support\"\n  wrapup_codes = [\"bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb\"]",
    );
    let got = check_with_state(&configured, ("terraform.tfstate", state));
    assert_only_info(&got);
    // With a state that lists codes (it holds one the configuration does not declare), an id
    // no listing holds is reported.
    let listing = state.replacen(
        "\"resources\": [",
        &format!(
            "\"resources\": [{},",
            v4_entry(
                "managed",
                "genesyscloud_routing_wrapupcode",
                "other",
                r#"{"id": "dddddddd-dddd-4ddd-8ddd-dddddddddddd", "name": "Other"}"#,
            )
        ),
        1,
    );
    let got = check_with_state(&configured, ("terraform.tfstate", &listing));
    assert!(has_error(&got, "unknown-wrapup-code", ""), "{got:?}");
}

/// A snapshot that was refused a listing says so, instead of "without org state".
#[test]
fn a_lookup_in_a_listing_the_snapshot_was_refused_says_so() {
    let main_tf = r#"data "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}
resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}
resource "genesyscloud_outbound_ruleset" "retry" {
  name     = "Retry"
  queue_id = genesyscloud_routing_queue.support.id
  rules {
    name     = "r"
    category = "DIALER_PRECALL"
    conditions {
      type  = "wrapupCondition"
      codes = [data.genesyscloud_routing_wrapupcode.escalated.id]
    }
  }
}
"#;
    let snapshot = r#"{"format": "cxlint-snapshot", "version": 1, "api_base": "http://stand-in.invalid",
  "fetched_at": "2026-01-01T00:00:00Z", "cxlint_version": "0.0.0-test",
  "resources": [{"type": "genesyscloud_routing_queue", "id": "33333333-3333-4333-8333-333333333333", "name": "Other", "attributes": {"name": "Other"}}],
  "missing": [{"type": "genesyscloud_routing_wrapupcode", "endpoint": "/api/v2/routing/wrapupcodes", "status": 403, "permission": "routing:wrapupCode:view"}]}"#;
    let got = check_with_state(main_tf, ("snapshot.json", snapshot));
    assert_only_info(&got);
    let said = |needle: &str| got.iter().any(|(_, _, m)| m.contains(needle));
    assert!(
        said("listing of `genesyscloud_routing_wrapupcode` is incomplete"),
        "{got:?}"
    );
    assert!(!said("without org state"), "{got:?}");
}

/// The evidence behind "does not exist in the org" names each `--state` path once: an export
/// directory (its configuration and its `terraform.tfstate`) is one input as given.
#[test]
fn the_evidence_note_names_each_state_path_once() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut opts = CheckOptions::new(root, vec![PathBuf::from(CONFIG)]);
    opts.settings.state = vec![
        PathBuf::from("testdata/state/export"),
        PathBuf::from("testdata/state/v4.tfstate"),
    ];
    let r = check(&opts);
    let notes: Vec<String> = (r.diagnostics.iter())
        .flat_map(|d| d.notes.iter().map(ToString::to_string))
        .filter(|n| n.starts_with("checked against"))
        .collect();
    assert!(!notes.is_empty(), "{:?}", r.diagnostics);
    for n in notes {
        assert_eq!(
            n,
            "checked against the configuration and `testdata/state/export`, `testdata/state/v4.tfstate`"
        );
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

/// A state is read resource by resource, and the model keeps only the attributes its readers
/// read (`model::keep`); a secret in an attribute that is let go is still found first, so no
/// report can show it.
#[test]
fn state_secrets_are_masked_though_the_model_lets_their_attributes_go() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = r#"{
  "version": 4,
  "resources": [
    {
      "mode": "managed",
      "type": "genesyscloud_oauth_client",
      "name": "sync",
      "instances": [
        {
          "attributes": {
            "id": "11111111-2222-4333-8444-555555555555",
            "name": "Sync",
            "authorized_grant_type": "CLIENT-CREDENTIALS",
            "client_secret": "s3cr3t-Value-That-Must-Not-Show",
            "description": "nightly sync"
          }
        }
      ]
    },
    {
      "mode": "managed",
      "type": "genesyscloud_routing_queue",
      "name": "support",
      "instances": [
        {
          "attributes": {
            "id": "22222222-2222-4333-8444-555555555555",
            "name": "Support",
            "description": "first line",
            "wrapup_codes": []
          }
        }
      ]
    }
  ]
}"#;
    std::fs::write(dir.path().join("org.tfstate"), state).expect("write");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"genesyscloud_routing_wrapupcode\" \"w\" {\n  name = \"W\"\n}\n",
    )
    .expect("write");
    let mut opts = CheckOptions::new(dir.path(), vec![PathBuf::from("main.tf")]);
    opts.settings.state = vec![PathBuf::from("org.tfstate")];
    let r = check(&opts);
    assert!(r.errors.is_empty() && !r.incomplete, "{:?}", r.errors);
    let state_text = (r.sources.iter())
        .find(|(_, f)| f.path.ends_with("org.tfstate"))
        .map(|(_, f)| f.text().to_owned())
        .expect("the state file is a source");
    assert!(!state_text.contains("s3cr3t"), "{state_text}");
    let attrs = |name: &str| {
        let o = (r.model.objects.iter())
            .find(|o| o.name.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("no object {name}"));
        let body = o.state[0].attrs.as_object().expect("an object");
        body.keys().map(|k| k.to_string()).collect::<Vec<_>>()
    };
    assert_eq!(attrs("Sync"), ["authorized_grant_type", "name"]);
    assert_eq!(attrs("Support"), ["name", "wrapup_codes"]);
}

/// A queue's name where its id goes is wrong with or without state; when only the org knows a
/// queue by that name, the help says how to look it up rather than naming a resource.
#[test]
fn a_name_where_an_id_goes_points_at_a_lookup_when_only_the_org_has_it() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"genesyscloud_outbound_ruleset\" \"r\" {\n  name     = \"R\"\n  queue_id = \"Sales\"\n}\n",
    )
    .expect("write");
    let mut opts = CheckOptions::new(dir.path(), vec![PathBuf::from("main.tf")]);
    opts.settings.state = vec![root.join("testdata/state/v4.tfstate")];
    let r = check(&opts);
    assert!(r.errors.is_empty() && !r.incomplete, "{:?}", r.errors);
    let found: Vec<_> = (r.diagnostics.iter())
        .filter(|d| d.rule.name == "unknown-queue")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].message.to_string(), "`Sales` is not a queue id");
    let help = found[0].help.as_deref().expect("a help");
    assert!(
        help.contains("`data \"genesyscloud_routing_queue\"` block (`name = \"Sales\"`)"),
        "{help}"
    );
}

/// A division id written as a literal is looked up in a state that lists divisions; one
/// written as a reference, or read from the state itself, is not checked again.
#[test]
fn a_literal_division_id_the_org_does_not_have_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = "11111111-1111-4111-8111-111111111111";
    let other_org = "2f3c9a55-1b7e-4b5e-9d0a-6f1e2c3d4b5a";
    let state = format!(
        r#"{{"version": 4, "terraform_version": "1.6.0", "serial": 1, "lineage": "l", "outputs": {{}},
  "resources": [
    {{"mode": "managed", "type": "genesyscloud_auth_division", "name": "home",
      "provider": "provider[\"registry.terraform.io/mypurecloud/genesyscloud\"]",
      "instances": [{{"attributes": {{"id": "{home}", "name": "Home", "home": true}}}}]}},
    {{"mode": "managed", "type": "genesyscloud_routing_queue", "name": "elsewhere",
      "provider": "provider[\"registry.terraform.io/mypurecloud/genesyscloud\"]",
      "instances": [{{"attributes": {{"id": "22222222-1111-4111-8111-111111111111",
        "name": "Elsewhere", "division_id": "{other_org}"}}}}]}}
  ]}}"#
    );
    std::fs::write(dir.path().join("org.tfstate"), state).expect("write");
    let config = format!(
        r#"resource "genesyscloud_auth_division" "emea" {{
  name = "EMEA"
}}

resource "genesyscloud_routing_queue" "copied" {{
  name        = "Copied"
  division_id = "{other_org}"
}}

resource "genesyscloud_routing_queue" "home" {{
  name        = "Home queue"
  division_id = "{home}"
}}

resource "genesyscloud_routing_queue" "emea" {{
  name        = "EMEA queue"
  division_id = genesyscloud_auth_division.emea.id
}}
"#
    );
    std::fs::write(dir.path().join("main.tf"), config).expect("write");
    let mut opts = CheckOptions::new(dir.path(), vec![PathBuf::from("main.tf")]);
    opts.settings.state = vec![dir.path().join("org.tfstate")];
    let r = check(&opts);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let found: Vec<String> = (r.diagnostics.iter())
        .filter(|d| d.rule.name == "unresolved-reference")
        .map(|d| d.message.to_string())
        .collect();
    assert_eq!(
        found,
        [format!(
            "division id `{other_org}` does not exist in the org"
        )]
    );
}

/// A queue known only from state that sets its prompt says what it is, not the provider's default.
#[test]
fn a_state_queue_with_a_mandatory_prompt_and_no_codes_names_its_prompt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = r#"{"version": 4, "terraform_version": "1.6.0", "serial": 1, "lineage": "l", "outputs": {},
  "resources": [
    {"mode": "managed", "type": "genesyscloud_routing_queue", "name": "set",
      "provider": "provider[\"registry.terraform.io/mypurecloud/genesyscloud\"]",
      "instances": [{"attributes": {"id": "22222222-1111-4111-8111-111111111111",
        "name": "Set", "acw_wrapup_prompt": "MANDATORY", "wrapup_codes": []}}]},
    {"mode": "managed", "type": "genesyscloud_routing_queue", "name": "unset",
      "provider": "provider[\"registry.terraform.io/mypurecloud/genesyscloud\"]",
      "instances": [{"attributes": {"id": "33333333-1111-4111-8111-111111111111",
        "name": "Unset", "wrapup_codes": []}}]}
  ]}"#;
    std::fs::write(dir.path().join("org.tfstate"), state).expect("write");
    // A snapshot's values are not located: the prompt is said in a note.
    let snapshot = r#"{"format": "cxlint-snapshot", "version": 1, "region": "us-east-1", "api_base": "https://api.mypurecloud.com",
  "fetched_at": "2026-01-01T00:00:00Z", "cxlint_version": "0.1.0", "missing": [],
  "resources": [{"type": "genesyscloud_routing_queue", "id": "44444444-1111-4111-8111-111111111111",
    "name": "Snapped", "attributes": {"name": "Snapped", "acw_wrapup_prompt": "MANDATORY_FORCED_TIMEOUT",
      "wrapup_codes": []}}]}"#;
    std::fs::write(dir.path().join("snap.json"), snapshot).expect("write");
    std::fs::write(dir.path().join("main.tf"), "locals {}\n").expect("write");
    let mut opts = CheckOptions::new(dir.path(), vec![PathBuf::from(".")]);
    opts.settings.state = vec![dir.path().join("org.tfstate"), dir.path().join("snap.json")];
    let r = check(&opts);
    assert!(r.errors.is_empty() && !r.incomplete, "{:?}", r.errors);
    let mut found: Vec<String> = (r.diagnostics.iter())
        .filter(|d| d.rule.name == "mandatory-wrapup-without-codes")
        .map(|d| {
            let related = d.related.iter().map(|r| r.message.to_string());
            let said: Vec<String> = related
                .chain(d.notes.iter().map(|n| n.to_string()))
                .collect();
            format!("{}: {}", d.message, said.join("; "))
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "queue `Set` requires a wrap-up code but assigns none: `MANDATORY` wrap-up",
            "queue `Snapped` requires a wrap-up code but assigns none: `acw_wrapup_prompt` is `MANDATORY_FORCED_TIMEOUT`",
            "queue `Unset` requires a wrap-up code but assigns none: `acw_wrapup_prompt` defaults to `MANDATORY_TIMEOUT`",
        ]
    );
}

/// A trigger as the provider's state records it: `match_criteria` blocks under `json_path`, the
/// one of `value`/`values` not given written as `""` or `[]`. The queue criterion's list is in
/// `values`, so its `value = ""` names no queue; the code's `values = []` takes nothing away.
#[test]
fn a_trigger_in_provider_state_pairs_its_code_with_its_queues() {
    let state = v4_state(&[
        v4_entry(
            "managed",
            "genesyscloud_routing_wrapupcode",
            "Resolved",
            r#"{"id": "11111111-1111-4111-8111-111111111111", "name": "Resolved"}"#,
        ),
        v4_entry(
            "managed",
            "genesyscloud_routing_wrapupcode",
            "Escalated",
            r#"{"id": "22222222-2222-4222-8222-222222222222", "name": "Escalated"}"#,
        ),
        v4_entry(
            "managed",
            "genesyscloud_routing_queue",
            "Support",
            r#"{"id": "33333333-3333-4333-8333-333333333333", "name": "Support", "wrapup_codes": ["11111111-1111-4111-8111-111111111111"]}"#,
        ),
        v4_entry(
            "managed",
            "genesyscloud_processautomation_trigger",
            "Escalations",
            r#"{"id": "44444444-4444-4444-8444-444444444444", "name": "Escalations",
                "topic_name": "v2.detail.events.conversation.{id}.acw", "enabled": true,
                "match_criteria": [
                  {"json_path": "queueId", "operator": "In", "value": "", "values": ["33333333-3333-4333-8333-333333333333"]},
                  {"json_path": "wrapupCode", "operator": "Equal", "value": "22222222-2222-4222-8222-222222222222", "values": []}
                ]}"#,
        ),
    ]);
    let got = check_with_state("", ("terraform.tfstate", &state));
    let errors: Vec<_> = (got.iter())
        .filter(|f| f.1 == Severity::Error)
        .map(|(rule, _, said)| (rule.as_str(), said.split(" the ").next().unwrap_or(said)))
        .collect();
    assert_eq!(
        errors,
        [(
            "wrapup-code-not-assigned",
            "wrap-up code `Escalated` is not assigned to queue `Support`"
        )],
        "{got:?}"
    );
}

/// A queue whose codes include an id no loaded listing holds (an export writes a raw GUID for a
/// code it did not export): a code whose id the state gives is not that one, so its absence is
/// known; a code assigned by its id is simply assigned; a code the configuration declares,
/// whose id is not known, may be that one, and stays unchecked.
#[test]
fn a_raw_id_among_a_queues_codes_hides_only_codes_of_unknown_id() {
    let main_tf = r#"data "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}
data "genesyscloud_routing_wrapupcode" "second" {
  name = "2nd Call"
}
resource "genesyscloud_routing_wrapupcode" "new" {
  name = "New"
}
data "genesyscloud_routing_queue" "sales" {
  name = "Sales Team"
}
resource "genesyscloud_outbound_ruleset" "retry" {
  name     = "Retry"
  queue_id = data.genesyscloud_routing_queue.sales.id
  rules {
    name     = "r1"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [data.genesyscloud_routing_wrapupcode.resolved.id, data.genesyscloud_routing_wrapupcode.second.id, genesyscloud_routing_wrapupcode.new.id]
    }
  }
}
"#;
    let state = v4_state(&[
        v4_entry(
            "managed",
            "genesyscloud_routing_wrapupcode",
            "Resolved",
            r#"{"id": "b0000000-0000-4000-8000-000000000001", "name": "Resolved"}"#,
        ),
        v4_entry(
            "managed",
            "genesyscloud_routing_wrapupcode",
            "_2nd_Call",
            r#"{"id": "b0000000-0000-4000-8000-000000000003", "name": "2nd Call"}"#,
        ),
        v4_entry(
            "managed",
            "genesyscloud_routing_queue",
            "Sales_Team",
            r#"{"id": "c0000000-0000-4000-8000-000000000002", "name": "Sales Team", "wrapup_codes": ["b0000000-0000-4000-8000-000000000001", "7c7b8e14-1c4f-4d3e-9a8b-2f1e0d9c8b7a"]}"#,
        ),
    ]);
    let got = check_with_state(main_tf, ("terraform.tfstate", &state));
    let mut said: Vec<(&str, Severity)> = (got.iter())
        .filter(|(rule, ..)| rule != "unassigned-wrapup-code")
        .map(|(rule, sev, _)| (rule.as_str(), *sev))
        .collect();
    said.sort();
    assert_eq!(
        said,
        [
            ("dynamic-reference", Severity::Info),
            ("wrapup-code-not-assigned", Severity::Error),
        ],
        "{got:?}"
    );
    let error = &got
        .iter()
        .find(|f| f.1 == Severity::Error)
        .expect("error")
        .2;
    assert!(
        error.starts_with("wrap-up code `2nd Call` is not assigned to queue `Sales Team`"),
        "{error}"
    );
    // The info is about `New` alone: `Resolved` is assigned.
    let info = &got
        .iter()
        .find(|f| f.0 == "dynamic-reference")
        .expect("info")
        .2;
    assert!(
        info.contains("`Sales Team`'s codes are not known"),
        "{info}"
    );
    let without_new = main_tf.replace(", genesyscloud_routing_wrapupcode.new.id", "");
    let got = check_with_state(&without_new, ("terraform.tfstate", &state));
    assert!(got.iter().all(|f| f.0 != "dynamic-reference"), "{got:?}");
    // `2nd Call`'s id in capitals: not resolved, but not ruled out either.
    let capitals = state.replace(
        "7c7b8e14-1c4f-4d3e-9a8b-2f1e0d9c8b7a",
        "B0000000-0000-4000-8000-000000000003",
    );
    let got = check_with_state(&without_new, ("terraform.tfstate", &capitals));
    assert!(got.iter().all(|f| f.1 != Severity::Error), "{got:?}");
}

/// An integration whose credential id the state records as an OAuth client's
/// `integration_credential_id` (the credential the provider made for the client) runs its data
/// actions as that client.
#[test]
fn a_credential_id_state_records_for_a_client_leads_to_the_client() {
    let main_tf = r#"resource "genesyscloud_integration_action" "codes" {
  name           = "Get a wrap-up code"
  category       = "Routing"
  integration_id = "e0000000-0000-4000-8000-000000000001"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/routing/wrapupcodes/$${input.codeId}"
    request_template     = "$${input.rawRequest}"
  }
}
"#;
    let state = v4_state(&[
        v4_entry(
            "managed",
            "genesyscloud_auth_role",
            "DA_role",
            r#"{"id": "a0000000-0000-4000-8000-000000000001", "name": "DA role",
                "permission_policies": [{"domain": "routing", "entity_name": "queue", "action_set": ["view"]}]}"#,
        ),
        v4_entry(
            "managed",
            "genesyscloud_oauth_client",
            "DA_client",
            r#"{"id": "b0000000-0000-4000-8000-000000000001", "name": "DA client",
                "authorized_grant_type": "CLIENT-CREDENTIALS",
                "integration_credential_name": "DA credential",
                "integration_credential_id": "c0000000-0000-4000-8000-000000000001",
                "roles": [{"role_id": "a0000000-0000-4000-8000-000000000001", "division_id": "*"}]}"#,
        ),
        v4_entry(
            "managed",
            "genesyscloud_integration",
            "DA",
            r#"{"id": "e0000000-0000-4000-8000-000000000001", "intended_state": "ENABLED",
                "integration_type": "purecloud-data-actions",
                "config": [{"name": "DA", "credentials": {"pureCloudOAuthClient": "c0000000-0000-4000-8000-000000000001"}}]}"#,
        ),
    ]);
    let got = check_with_state(main_tf, ("terraform.tfstate", &state));
    let said: Vec<(&str, Severity)> = (got.iter())
        .map(|(rule, sev, _)| (rule.as_str(), *sev))
        .collect();
    assert_eq!(said, [("missing-permission", Severity::Error)], "{got:?}");
    assert!(
        got[0]
            .2
            .contains("OAuth client `DA client` lacks `routing:wrapupCode:view`"),
        "{got:?}"
    );
}

/// The wrap-up code mappings are the org's: a mapped code that no campaign of the
/// configuration offers may be offered by a campaign made elsewhere, so it is reported only
/// against org state that lists the campaigns.
#[test]
fn a_mapped_code_is_checked_against_the_orgs_campaigns() {
    let main_tf = r#"resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}
resource "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}
resource "genesyscloud_routing_queue" "collections" {
  name         = "Collections"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
}
resource "genesyscloud_outbound_campaign" "c" {
  name     = "Collections"
  queue_id = genesyscloud_routing_queue.collections.id
}
resource "genesyscloud_outbound_wrapupcodemappings" "m" {
  default_set = ["Right_Party_Contact"]
  mappings {
    wrapup_code_id = genesyscloud_routing_wrapupcode.escalated.id
    flags          = ["Contact_UnCallable"]
  }
}
"#;
    let snapshot = |campaigns: &str| {
        format!(
            r#"{{"format": "cxlint-snapshot", "version": 1, "api_base": "http://stand-in.invalid",
  "fetched_at": "2026-01-01T00:00:00Z", "cxlint_version": "0.0.0-test",
  "resources": [{{"type": "genesyscloud_routing_queue", "id": "33333333-3333-4333-8333-333333333333", "name": "Other", "attributes": {{"name": "Other"}}}}{campaigns}]}}"#
        )
    };
    // Org state that does not list campaigns: only the configuration's are known.
    let got = check_with_state(main_tf, ("snapshot.json", &snapshot("")));
    assert_only_info(&got);
    assert!(
        got.iter().any(|(r, _, m)| r == "dynamic-reference"
            && m.contains("campaigns the configuration does not manage are not known")),
        "{got:?}"
    );
    // Listed, and none offers it: reported.
    let listed = r#", {"type": "genesyscloud_outbound_campaign", "id": "55555555-5555-4555-8555-555555555555", "name": "Collections", "attributes": {"name": "Collections"}}"#;
    let got = check_with_state(main_tf, ("snapshot.json", &snapshot(listed)));
    let said =
        "wrap-up code `Escalated` is mapped, but the queue of no outbound campaign offers it";
    assert!(has_error(&got, "wrapup-code-not-assigned", said), "{got:?}");
}

/// A plan that destroys a queue and a wrap-up code (they left the configuration) while a flow
/// still names them and a campaign still holds the queue's id: after apply they are gone, so
/// each use is an error that names the plan, though the workspace's own plan lists no type.
#[test]
fn what_a_plan_destroys_is_missing_where_it_is_still_used() {
    let dir = tempfile::tempdir().expect("tempdir");
    let main_tf = r#"resource "genesyscloud_flow" "ivr" {
  filepath = "ivr.yaml"
}
resource "genesyscloud_outbound_campaign" "c" {
  name     = "Camp"
  queue_id = "11111111-2222-4333-8444-555555555555"
}
"#;
    let flow = r"inboundCall:
  name: IVR
  tasks:
    - task:
        name: Start
        actions:
          - setWrapupCode:
              wrapupCode:
                lit:
                  name: Legacy
          - transferToAcd:
              targetQueue:
                lit:
                  name: Sales
";
    let gone = |rtype: &str, name: &str, attrs: &str| {
        format!(
            r#"{{"address": "{rtype}.{name}", "mode": "managed", "type": "{rtype}", "name": "{name}", "change": {{"actions": ["delete"], "before": {attrs}, "after": null}}}}"#
        )
    };
    let plan = format!(
        r#"{{"format_version": "1.2", "resource_changes": [{}, {}, {}]}}"#,
        gone(
            "genesyscloud_routing_queue",
            "sales",
            r#"{"id": "11111111-2222-4333-8444-555555555555", "name": "Sales"}"#
        ),
        gone(
            "genesyscloud_routing_wrapupcode",
            "legacy",
            r#"{"id": "dddddddd-2222-4333-8444-555555555555", "name": "Legacy"}"#
        ),
        r#"{"address": "genesyscloud_flow.ivr", "mode": "managed", "type": "genesyscloud_flow", "name": "ivr", "change": {"actions": ["create"], "before": null, "after": {"filepath": "ivr.yaml"}, "after_unknown": {"id": true}}}"#,
    );
    for (file, text) in [
        ("main.tf", main_tf),
        ("ivr.yaml", flow),
        ("plan.json", &plan),
    ] {
        std::fs::write(dir.path().join(file), text).expect("write");
    }
    let mut opts = CheckOptions::new(dir.path().to_path_buf(), vec![PathBuf::from(".")]);
    opts.settings.state = vec![PathBuf::from("plan.json")];
    let r = check(&opts);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let mut got: Vec<String> = (r.diagnostics.iter())
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let notes: Vec<String> = d.notes.iter().map(ToString::to_string).collect();
            format!("{}: {} ({})", d.rule.name, d.message, notes.join("; "))
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "unknown-queue: queue `Sales` is destroyed by the plan (`plan.json` destroys `genesyscloud_routing_queue.sales`)",
            "unknown-queue: queue id `11111111-2222-4333-8444-555555555555` is destroyed by the plan (`plan.json` destroys `genesyscloud_routing_queue.sales`)",
            "unknown-wrapup-code: wrap-up code `Legacy` is destroyed by the plan (`plan.json` destroys `genesyscloud_routing_wrapupcode.legacy`)",
        ]
    );
}

/// `terraform plan -destroy` destroys everything, the objects' users too: its deletions are not
/// reported against the configuration, which declares what it destroys.
#[test]
fn a_destroy_plan_reports_nothing_destroyed() {
    let main_tf = r#"resource "genesyscloud_routing_queue" "q" {
  name = "Q"
}
resource "genesyscloud_outbound_campaign" "c" {
  name     = "C"
  queue_id = "aaaaaaaa-0000-4000-8000-000000000003"
}
"#;
    let plan = r#"{"format_version": "1.2", "resource_changes": [{"address": "genesyscloud_routing_queue.q", "mode": "managed", "type": "genesyscloud_routing_queue", "name": "q", "change": {"actions": ["delete"], "before": {"id": "aaaaaaaa-0000-4000-8000-000000000003", "name": "Q"}, "after": null}}, {"address": "genesyscloud_outbound_campaign.c", "mode": "managed", "type": "genesyscloud_outbound_campaign", "name": "c", "change": {"actions": ["delete"], "before": {"id": "aaaaaaaa-0000-4000-8000-000000000009", "name": "C", "queue_id": "aaaaaaaa-0000-4000-8000-000000000003"}, "after": null}}]}"#;
    let got = check_with_state(main_tf, ("plan.json", plan));
    assert_only_info(&got);
}

/// A queue the configuration stopped managing by swapping its resource for a data source of
/// the same name: the plan destroys the queue, and the lookup, which works at plan time, hands
/// the campaign an id that is gone after apply. Found by name, and by the id the plan records.
#[test]
fn a_lookup_of_what_the_plan_destroys_is_reported() {
    let main_tf = r#"data "genesyscloud_routing_queue" "sales" {
  name = "Sales"
}
resource "genesyscloud_outbound_campaign" "c" {
  name     = "Camp"
  queue_id = data.genesyscloud_routing_queue.sales.id
}
"#;
    let queue = r#"{"id": "11111111-2222-4333-8444-555555555555", "name": "Sales"}"#;
    let delete = format!(
        r#"{{"address": "genesyscloud_routing_queue.sales", "mode": "managed", "type": "genesyscloud_routing_queue", "name": "sales", "change": {{"actions": ["delete"], "before": {queue}, "after": null}}}}"#
    );
    let plans = [
        format!(r#"{{"format_version": "1.2", "resource_changes": [{delete}]}}"#),
        // As `terraform show -json` writes it: the data source read at plan time, in prior state.
        format!(
            r#"{{"format_version": "1.2", "prior_state": {{"values": {{"root_module": {{"resources": [{{"address": "data.genesyscloud_routing_queue.sales", "mode": "data", "type": "genesyscloud_routing_queue", "name": "sales", "values": {queue}}}]}}}}}}, "resource_changes": [{delete}]}}"#
        ),
    ];
    for plan in &plans {
        let got = check_with_state(main_tf, ("plan.json", plan));
        assert!(
            has_error(
                &got,
                "unknown-queue",
                "queue `Sales` is destroyed by the plan `plan.json` destroys `genesyscloud_routing_queue.sales`"
            ),
            "{got:?}"
        );
    }
}

/// A flow naming its queue through a placeholder no substitution replaces: one finding,
/// `missing-flow-substitution`, not also a queue literally named `{{queue}}` missing from an
/// org state that lists queues (nor a `dynamic-reference` without one).
#[test]
fn an_unreplaced_placeholder_is_reported_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let flow = r#"inboundCall:
  name: F
  tasks:
    - task:
        name: T
        actions:
          - setWrapupCode:
              wrapupCode:
                lit:
                  name: "{{code}}"
          - transferToAcd:
              targetQueue:
                lit:
                  name: "{{queue}}"
"#;
    let state = v4_state(&[v4_entry(
        "managed",
        "genesyscloud_routing_queue",
        "other",
        r#"{"id": "aaaaaaaa-0000-4000-8000-000000000003", "name": "Other"}"#,
    )]);
    for (file, text) in [
        (
            "main.tf",
            "resource \"genesyscloud_flow\" \"f\" {\n  filepath = \"f.yaml\"\n}\n",
        ),
        ("f.yaml", flow),
        ("org.tfstate", &state),
    ] {
        std::fs::write(dir.path().join(file), text).expect("write");
    }
    for with_state in [true, false] {
        let mut opts = CheckOptions::new(dir.path().to_path_buf(), vec![PathBuf::from(".")]);
        if with_state {
            opts.settings.state = vec![PathBuf::from("org.tfstate")];
        }
        let r = check(&opts);
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let mut got: Vec<String> = (r.diagnostics.iter())
            .map(|d| format!("{}: {}", d.rule.name, d.message))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                "missing-flow-substitution: placeholder `{{code}}` has no substitution",
                "missing-flow-substitution: placeholder `{{queue}}` has no substitution",
            ],
            "with state: {with_state}"
        );
    }
}

/// `cxlint check main.tf` (as pre-commit runs it) reports the findings with an end in the named
/// file: a queue a flow's YAML names that the org lacks is one, through the flow's `filepath`.
#[test]
fn a_flows_missing_queue_is_reported_when_its_tf_file_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let flow = "inboundCall:\n  name: F\n  tasks:\n    - task:\n        name: T\n        actions:\n          - transferToAcd:\n              targetQueue:\n                lit:\n                  name: Nope\n";
    let state = v4_state(&[v4_entry(
        "managed",
        "genesyscloud_routing_queue",
        "other",
        r#"{"id": "aaaaaaaa-0000-4000-8000-000000000003", "name": "Other"}"#,
    )]);
    for (file, text) in [
        (
            "main.tf",
            "resource \"genesyscloud_flow\" \"f\" {\n  filepath = \"f.yaml\"\n}\n",
        ),
        ("f.yaml", flow),
        ("org.tfstate", &state),
    ] {
        std::fs::write(dir.path().join(file), text).expect("write");
    }
    let mut opts = CheckOptions::new(dir.path().to_path_buf(), vec![PathBuf::from("main.tf")]);
    opts.settings.state = vec![PathBuf::from("org.tfstate")];
    let r = check(&opts);
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let got: Vec<String> = (r.diagnostics.iter())
        .map(|d| format!("{}: {}", d.rule.name, d.message))
        .collect();
    assert_eq!(
        got,
        ["unknown-queue: queue `Nope` does not exist in the org"]
    );
}
