//! Whole configurations: the same org written in different styles gives the same findings, and
//! unknown values never produce errors.

use std::path::PathBuf;

use cxlint::check::{CheckOptions, check};
use cxlint::diagnostic::Severity;

fn findings(dir: &str) -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let opts = CheckOptions::new(root, vec![PathBuf::from(dir)]);
    let r = check(&opts);
    assert!(
        !r.incomplete && r.errors.is_empty(),
        "{dir} did not load cleanly: {:?}",
        r.errors
    );
    let mut out: Vec<(String, String)> = r
        .diagnostics
        .iter()
        .map(|d| (d.rule.name.to_owned(), d.message.to_string()))
        .collect();
    out.sort();
    out
}

/// Checks a configuration written to a fresh directory (`(relative path, contents)` pairs;
/// directories are made as needed).
fn check_files(files: &[(&str, &str)]) -> cxlint::check::CheckResult {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    check(&CheckOptions::new(dir.path(), vec![PathBuf::from(".")]))
}

/// A fresh directory holding `main.tf`, for checks run with options of their own.
fn dir_with_main(main_tf: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("main.tf"), main_tf).expect("write");
    dir
}

/// The (rule, message) of every warning and error of a check that loaded everything cleanly.
fn warnings_of_clean_load(r: &cxlint::check::CheckResult) -> Vec<(&'static str, String)> {
    assert!(!r.incomplete && r.errors.is_empty(), "{:?}", r.errors);
    (r.diagnostics.iter())
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| (d.rule.name, d.message.to_string()))
        .collect()
}

#[test]
fn export_style_and_json_give_the_same_findings_as_hand_written() {
    let hand = findings("testdata/projects/hand_written");
    assert_eq!(
        hand,
        vec![
            (
                "unassigned-wrapup-code".to_owned(),
                "wrap-up code `Escalated` is not assigned to any queue".to_owned()
            ),
            (
                "wrapup-code-not-assigned".to_owned(),
                "wrap-up code `Escalated` is not assigned to queue `Support`".to_owned()
            ),
        ]
    );
    assert_eq!(
        findings("testdata/projects/export_style"),
        hand,
        "export-style HCL differs"
    );
    assert_eq!(
        findings("testdata/projects/tf_json"),
        hand,
        ".tf.json differs"
    );
}

/// `dynamic` blocks in Terraform's JSON syntax are read as in HCL: the roles they give an OAuth
/// client, the codes a ruleset's rules use, and their iterators (`roles.value`, `code.value`),
/// a `dynamic` inside a provider's nested block included.
#[test]
fn dynamic_blocks_in_json_give_the_findings_of_hcl() {
    let hcl = findings("testdata/projects/dynamic_blocks/hcl");
    let rules: Vec<&str> = hcl.iter().map(|(rule, _)| rule.as_str()).collect();
    assert_eq!(
        rules,
        [
            "mandatory-wrapup-without-codes",
            "unassigned-wrapup-code",
            "unassigned-wrapup-code",
            "wrapup-code-not-assigned",
            "wrapup-code-not-assigned"
        ],
        "{hcl:?}"
    );
    // The second code is used only by a `dynamic` inside a nested block (`rules`), which JSON
    // writes as an object expression.
    assert!(
        hcl.iter()
            .any(|(_, m)| m == "wrap-up code `Late` is not assigned to queue `Support`"),
        "{hcl:?}"
    );
    assert_eq!(findings("testdata/projects/dynamic_blocks/json"), hcl);
}

/// `self` in a provisioner, its connection and a postcondition is the resource, in Terraform's
/// JSON syntax as in HCL (both shapes of `provisioner`).
#[test]
fn self_in_json_provisioners_and_postconditions_is_the_resource() {
    let provisioner = r#"{"local-exec": {"command": "echo ${self.name}", "connection": {"host": "${self.name}"}}}"#;
    for provisioner in [provisioner.to_owned(), format!("[{provisioner}]")] {
        let text = format!(
            r#"{{"resource": {{"genesyscloud_routing_wrapupcode": {{"resolved": {{
                "name": "Resolved",
                "provisioner": {provisioner},
                "lifecycle": {{"postcondition": {{"condition": "${{self.name != \"\"}}", "error_message": "empty"}}}}
            }}}}}}}}"#
        );
        let r = check_files(&[("main.tf.json", &text)]);
        assert_eq!(warnings_of_clean_load(&r), [], "{text}");
    }
}

/// A data source declared inside a `check` block, in Terraform's JSON syntax, is declared for
/// the block's assertions.
#[test]
fn a_data_source_of_a_json_check_block_is_declared() {
    let text = r#"{
      "resource": {"genesyscloud_routing_queue": {"support": {"name": "Support"}}},
      "check": {"queue_is_staffed": {
        "data": {"genesyscloud_routing_queue": {"live": {"name": "${genesyscloud_routing_queue.support.name}"}}},
        "assert": {"condition": "${data.genesyscloud_routing_queue.live.id != \"\"}", "error_message": "missing"}
      }}
    }"#;
    let r = check_files(&[("main.tf.json", text)]);
    assert_eq!(warnings_of_clean_load(&r), []);
    // Declared for the check block alone, as in HCL.
    let outside = text.replace(
        r#""resource": {"#,
        r#""output": {"id": {"value": "${data.genesyscloud_routing_queue.live.id}"}}, "resource": {"#,
    );
    let r = check_files(&[("main.tf.json", &outside)]);
    let undeclared = "reference to undeclared data source `data.genesyscloud_routing_queue.live`";
    assert_eq!(
        warnings_of_clean_load(&r),
        [("unresolved-reference", undeclared.to_owned())]
    );
}

/// A secret in a `.tf.json` comment property (`"//"`) is reported as one in an HCL `#` comment
/// is, written as an assignment or as JSON.
#[test]
fn a_secret_in_a_json_comment_property_is_reported() {
    for (comment, key) in [
        (
            r#""oauthclient_secret = \"rT9x-Qm2vL8kZpW4yN6bC1dF3gH5jK7s\"""#,
            "oauthclient_secret",
        ),
        (
            r#""{\"client_secret\": \"rT9x-Qm2vL8kZpW4yN6bC1dF3gH5jK7s\"}""#,
            "client_secret",
        ),
    ] {
        let text = format!(
            r#"{{"provider": {{"genesyscloud": {{"//": {comment}, "aws_region": "eu-west-1"}}}}}}"#
        );
        let r = check_files(&[("main.tf.json", &text)]);
        let message = format!("`{key}` is a literal secret, in a comment");
        assert_eq!(warnings_of_clean_load(&r), [("hardcoded-secret", message)]);
    }
}

#[test]
fn unknown_values_never_produce_errors() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let opts = CheckOptions::new(root, vec![PathBuf::from("testdata/projects/unknowns")]);
    let r = check(&opts);
    let errors: Vec<String> = r
        .diagnostics
        .iter()
        .filter(|d| d.severity > Severity::Info)
        .map(|d| d.message.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "errors built on unknown values: {errors:?}"
    );
    // ...but the user is told what could not be checked.
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.rule.name == "dynamic-reference")
    );
}

#[test]
fn variables_follow_terraform_precedence() {
    // The default says "Support"; a --var overrides it; the finding names the overriding value.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        r#"
variable "queue_name" { default = "Support" }
resource "genesyscloud_routing_queue" "q" {
  name         = var.queue_name
  wrapup_codes = []
}
"#,
    )
    .expect("write");
    std::fs::write(
        dir.path().join("terraform.tfvars"),
        "queue_name = \"From tfvars\"\n",
    )
    .expect("write");
    let run = |vars: Vec<(String, String)>, env: Vec<(String, String)>| {
        let mut opts = CheckOptions::new(dir.path(), vec![PathBuf::from(".")]);
        opts.settings.vars = vars.into_iter().collect();
        opts.env_vars = env;
        check(&opts)
            .diagnostics
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(run(vec![], vec![]).contains("`From tfvars`"));
    // TF_VAR_ ranks below terraform.tfvars...
    assert!(run(vec![], vec![("queue_name".into(), "From env".into())]).contains("`From tfvars`"));
    // ...and --var above it.
    assert!(run(vec![("queue_name".into(), "From cli".into())], vec![]).contains("`From cli`"));
}

/// Terraform stops on a `-var` no root module declares; a misspelt one left the variable meant
/// without a value and its checks skipped, without a word.
#[test]
fn a_value_for_an_undeclared_variable_is_a_warning() {
    let dir = dir_with_main(
        "variable \"queue_name\" {}\nresource \"genesyscloud_routing_queue\" \"q\" {\n  name = var.queue_name\n}\n",
    );
    let warnings = |vars: &[(&str, &str)]| {
        let mut opts = CheckOptions::new(dir.path(), vec![PathBuf::from(".")]);
        opts.settings.vars = (vars.iter())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        check(&opts).warnings
    };
    let w = warnings(&[("queue_nmae", "Support")]);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("variable `queue_nmae`") && w[0].contains("did you mean `queue_name`?"),
        "{w:?}"
    );
    assert_eq!(warnings(&[("queue_name", "Support")]), Vec::<String>::new());
}

/// A `[[data-action-clients]]` entry for an integration the run does not have is never used.
#[test]
fn a_data_action_client_declared_for_no_integration_is_a_warning() {
    let dir = dir_with_main(
        "resource \"genesyscloud_integration\" \"crm\" {\n  integration_type = \"purecloud-data-actions\"\n}\n",
    );
    let warnings = |integration: &str| {
        let mut opts = CheckOptions::new(dir.path(), vec![PathBuf::from(".")]);
        opts.settings.rules.data_action_clients = vec![cxlint::settings::DataActionClient {
            integration: integration.to_owned(),
            oauth_client: "Data actions".to_owned(),
        }];
        check(&opts).warnings
    };
    let w = warnings("genesyscloud_integration.cmr");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("integration `genesyscloud_integration.cmr`")
            && w[0].contains("did you mean `genesyscloud_integration.crm`?"),
        "{w:?}"
    );
    assert_eq!(
        warnings("genesyscloud_integration.crm"),
        Vec::<String>::new()
    );
}

/// `module.x` as a whole is an object of its outputs; with `for_each` a map of them by key, with
/// `count` a list. `for_each = module.queues` left the rule sets' instances unknown.
#[test]
fn a_module_as_a_whole_is_its_outputs_by_instance() {
    let module = r#"
variable "name" {}
resource "genesyscloud_routing_queue" "q" {
  name         = var.name
  wrapup_codes = []
  acw_wrapup_prompt = "OPTIONAL"
}
output "id" { value = genesyscloud_routing_queue.q.id }
"#;
    let rule_set = |name: &str, queue: &str, extra: &str| {
        format!(
            r#"resource "genesyscloud_outbound_ruleset" "{name}" {{
  {extra}
  name     = "{name}"
  queue_id = {queue}
  rules {{
    conditions {{
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.esc.id]
    }}
  }}
}}
"#
        )
    };
    let main = [
        r#"resource "genesyscloud_routing_wrapupcode" "esc" { name = "Escalated" }
module "keyed" {
  for_each = { support = "Support", sales = "Sales" }
  source   = "./m"
  name     = each.value
}
module "counted" {
  count  = 2
  source = "./m"
  name   = "Counted ${count.index}"
}
module "single" {
  source = "./m"
  name   = "Single"
}
locals {
  single = module.single
}
"#
        .to_owned(),
        rule_set("keyed", "each.value.id", "for_each = module.keyed"),
        rule_set(
            "counted",
            "(module.counted[*].id)[count.index]",
            "count = 2",
        ),
        rule_set("single", "local.single.id", ""),
    ]
    .concat();
    let r = check_files(&[("main.tf", &main), ("m/main.tf", module)]);
    let mut found: Vec<String> = warnings_of_clean_load(&r)
        .into_iter()
        .map(|(_, message)| message)
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "wrap-up code `Escalated` is not assigned to queue `Counted 0`",
            "wrap-up code `Escalated` is not assigned to queue `Counted 1`",
            "wrap-up code `Escalated` is not assigned to queue `Sales`",
            "wrap-up code `Escalated` is not assigned to queue `Single`",
            "wrap-up code `Escalated` is not assigned to queue `Support`",
        ]
    );
}

/// The help names the code as it can be written where the fix goes: without the module path in
/// the queue's own module, and as the object it is when it lives in another module.
#[test]
fn the_help_names_a_code_as_the_queues_module_can_write_it() {
    let module = r#"
variable "other_code_id" {}
resource "genesyscloud_routing_wrapupcode" "callback" { name = "Callback" }
resource "genesyscloud_routing_queue" "q" {
  name         = "Inner"
  wrapup_codes = []
  acw_wrapup_prompt = "OPTIONAL"
}
resource "genesyscloud_outbound_ruleset" "r" {
  name     = "r"
  queue_id = genesyscloud_routing_queue.q.id
  rules {
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.callback.id, var.other_code_id]
    }
  }
}
"#;
    let main = r#"
resource "genesyscloud_routing_wrapupcode" "root" { name = "Root" }
module "cc" {
  source        = "./m"
  other_code_id = genesyscloud_routing_wrapupcode.root.id
}
"#;
    let r = check_files(&[("main.tf", main), ("m/main.tf", module)]);
    let mut helps: Vec<String> = (r.diagnostics.iter())
        .filter(|d| d.rule.name == "wrapup-code-not-assigned")
        .filter_map(|d| d.help.as_ref().map(|h| h.to_string()))
        .collect();
    helps.sort();
    assert_eq!(
        helps,
        [
            "add `genesyscloud_routing_wrapupcode.callback.id` to the `wrapup_codes` of queue `Inner`",
            "add wrap-up code `Root` (`genesyscloud_routing_wrapupcode.root`, passed through module variables and outputs) to the `wrapup_codes` of queue `Inner`",
        ]
    );
}

#[test]
fn flows_set_then_transfer_and_in_queue_flows() {
    let got = findings("testdata/projects/flows");
    let errors: Vec<&(String, String)> = got
        .iter()
        .filter(|(r, _)| r == "wrapup-code-not-assigned")
        .collect();
    assert_eq!(
        errors,
        vec![
            &(
                "wrapup-code-not-assigned".to_owned(),
                "wrap-up code `Billing Enquiry` is not assigned to queue `Billing`".to_owned()
            ),
            &(
                "wrapup-code-not-assigned".to_owned(),
                "wrap-up code `Billing Enquiry` is not assigned to queue `Support`".to_owned()
            ),
        ],
        "{got:?}"
    );
    // The transfer to an `exp:` queue cannot be checked: said at info, never an error.
    assert!(
        got.iter()
            .any(|(r, m)| r == "dynamic-reference" && m.contains("`Main line`")),
        "{got:?}"
    );
}

/// Flows declared once per file with `fileset()` are each checked: the set is read from the
/// disk, as Terraform reads it at plan.
#[test]
fn flows_from_fileset_are_each_checked() {
    let hold = std::fs::read_to_string("testdata/projects/flows/flows/hold.yaml").unwrap();
    let main = r#"
resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}
resource "genesyscloud_routing_wrapupcode" "billing" {
  name = "Billing Enquiry"
}
resource "genesyscloud_routing_queue" "support" {
  name          = "Support"
  wrapup_codes  = [genesyscloud_routing_wrapupcode.resolved.id]
  queue_flow_id = genesyscloud_flow.each["hold.yaml"].id
}
resource "genesyscloud_flow" "each" {
  for_each = fileset("${path.module}/flows", "*.yaml")
  filepath = "${path.module}/flows/${each.key}"
}
"#;
    let r = check_files(&[
        ("main.tf", main),
        ("flows/hold.yaml", &hold),
        // Neither matches `*.yaml`: not flows of this configuration.
        ("flows/README.md", "# flows\n"),
        ("flows/old/broken.yaml", "inboundCall: [unclosed\n"),
    ]);
    assert_eq!(
        warnings_of_clean_load(&r),
        [(
            "wrapup-code-not-assigned",
            "wrap-up code `Billing Enquiry` is not assigned to queue `Support`".to_owned()
        )]
    );
    let d = (r.diagnostics.iter())
        .find(|d| d.rule.name == "wrapup-code-not-assigned")
        .unwrap();
    let file = &r.sources.get(d.span().unwrap().file).path;
    assert!(file.ends_with("flows/hold.yaml"), "{file:?}");
    assert!(
        !r.diagnostics
            .iter()
            .any(|d| d.rule.name == "dynamic-reference"),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn flow_yaml_that_is_invalid_or_not_a_flow_is_a_located_parse_error() {
    let r = check_files(&[
        (
            "main.tf",
            "resource \"genesyscloud_flow\" \"a\" {\n  filepath = \"a.yaml\"\n}\nresource \"genesyscloud_flow\" \"b\" {\n  filepath = \"b.yaml\"\n}\n",
        ),
        ("a.yaml", "inboundCall:\n  name: [unclosed\n"),
        ("b.yaml", "apiVersion: v1\nkind: ConfigMap\n"),
    ]);
    assert!(r.incomplete);
    let errs: Vec<String> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule.name == "parse-error")
        .map(|d| {
            format!(
                "{}: {}",
                r.sources
                    .get(d.span().expect("located").file)
                    .path
                    .display(),
                d.message
            )
        })
        .collect();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(errs[0].starts_with("a.yaml: "), "{errs:?}");
    assert!(
        errs[1].starts_with("b.yaml: ") && errs[1].contains("not an Archy flow"),
        "{errs:?}"
    );
}

#[test]
fn scripts_beside_the_configuration_are_checked_for_invented_endpoints_and_sdk_calls() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let r = check(&CheckOptions::new(
        root,
        vec![PathBuf::from("testdata/projects/scripts")],
    ));
    let got: Vec<String> = r
        .diagnostics
        .iter()
        .map(|d| {
            let s = d.span().expect("located");
            let f = r.sources.get(s.file);
            format!(
                "{}:{} {} {}",
                f.path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default(),
                f.line_col(s.start).line,
                d.rule.name,
                d.message
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            "check.sh:3 unknown-api-endpoint `POST /api/v2/conversations/{CID}/wrap-up` is not a Platform API endpoint",
            "report.py:8 unknown-api-endpoint `GET /api/v2/conversations/wrapupcodes` is not a Platform API endpoint",
            "report.py:10 unknown-api-endpoint `post_conversations_conversations_id_wrapup` is not a Genesys Cloud SDK method",
            "set-wrapup.js:7 api-method-not-allowed `/api/v2/conversations/{conversationId}` has no `PATCH` operation",
            "set-wrapup.js:8 unknown-api-endpoint `POST /api/v2/conversations/voice/{conversationId}/wrapup` is not a Platform API endpoint",
            "set-wrapup.js:10 unknown-api-endpoint `platformClient.wrapup.update` is not a Genesys Cloud SDK method",
        ],
        "the correct calls in the same files must not be reported"
    );
}

#[test]
fn a_for_each_collection_is_not_part_of_its_instances() {
    // `for_each` configures the block; it is not an attribute of the instances. The conditions
    // in the map are each instance's only through `each.value`: instance "a" must not be
    // checked against "b"'s pair (and its codes), nor "b"'s pair twice.
    let r = check_files(&[(
        "main.tf",
        r#"resource "genesyscloud_routing_wrapupcode" "offered" {
  name = "Offered"
}

resource "genesyscloud_routing_wrapupcode" "other" {
  name = "Other"
}

resource "genesyscloud_routing_queue" "q" {
  name         = "Q"
  wrapup_codes = [genesyscloud_routing_wrapupcode.offered.id]
}

resource "genesyscloud_recording_media_retention_policy" "p" {
  for_each = {
    a = {
      wrapup_code_ids = [genesyscloud_routing_wrapupcode.offered.id]
      for_queue_ids   = [genesyscloud_routing_queue.q.id]
    }
    b = {
      wrapup_code_ids = [genesyscloud_routing_wrapupcode.other.id]
      for_queue_ids   = [genesyscloud_routing_queue.q.id]
    }
  }
  name = "P ${each.key}"
  media_policies {
    call_policy {
      conditions {
        for_queue_ids   = each.value.for_queue_ids
        wrapup_code_ids = each.value.wrapup_code_ids
      }
    }
  }
}
"#,
    )]);
    assert_eq!(
        warnings_of_clean_load(&r),
        vec![(
            "wrapup-code-not-assigned",
            "wrap-up code `Other` is not assigned to queue `Q`".to_owned()
        )],
        "{:#?}",
        r.diagnostics
    );
}

#[test]
fn for_each_instances_by_key_known_missing_and_unknown() {
    // `type.name["key"]` picks one instance; a key the for_each lacks is Terraform's "Invalid
    // index" when the for_each is spelt out in the configuration (here a literal set), and not
    // asked of the user again as a dynamic reference; one not known statically is unknown.
    let r = check_files(&[(
        "main.tf",
        r#"variable "k" {}

resource "genesyscloud_routing_wrapupcode" "all" {
  for_each = toset(["A", "B"])
  name     = each.value
}

resource "genesyscloud_routing_queue" "q" {
  name         = "Q"
  wrapup_codes = [genesyscloud_routing_wrapupcode.all["A"].id]
}

resource "genesyscloud_outbound_ruleset" "rs" {
  name     = "RS"
  queue_id = genesyscloud_routing_queue.q.id
  rules {
    name     = "r"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [
        genesyscloud_routing_wrapupcode.all["B"].id,
        genesyscloud_routing_wrapupcode.all["Zed"].id,
        genesyscloud_routing_wrapupcode.all[var.k].id,
        [for c in genesyscloud_routing_wrapupcode.all : c.id][0],
      ]
    }
  }
}
"#,
    )]);
    assert_eq!(
        warnings_of_clean_load(&r),
        vec![
            (
                "wrapup-code-not-assigned",
                "wrap-up code `B` is not assigned to queue `Q`".to_owned()
            ),
            (
                "unresolved-reference",
                "`genesyscloud_routing_wrapupcode.all` has no instance `[\"Zed\"]`".to_owned()
            ),
        ],
        "{:#?}",
        r.diagnostics
    );
    let dynamic: Vec<String> = r
        .diagnostics
        .iter()
        .filter(|d| d.rule.name == "dynamic-reference")
        .flat_map(|d| d.notes.iter().map(|n| n.to_string()))
        .collect();
    assert!(!dynamic.iter().any(|n| n.contains("Zed")), "{dynamic:#?}");
    assert!(
        dynamic.iter().any(|n| n.contains("key is not known")),
        "{dynamic:#?}"
    );
}

/// An index naming an instance that a spelt-out `for_each` or `count` does not make stops the
/// plan ("Invalid index"): reported with the instances there are. One that a variable could
/// make (a `tfvars` file, `-var` in CI), or inside `try`, is not.
#[test]
fn an_instance_that_for_each_or_count_does_not_make() {
    let r = check_files(&[(
        "main.tf",
        r#"variable "codes" {
  default = ["X", "Y"]
}

locals {
  names  = ["Callback Requested", "Sale"]
  by_key = { for n in local.names : lower(replace(n, " ", "_")) => n }
}

resource "genesyscloud_routing_wrapupcode" "standard" {
  for_each = toset(local.names)
  name     = each.value
}

resource "genesyscloud_routing_wrapupcode" "keyed" {
  for_each = local.by_key
  name     = each.value
}

resource "genesyscloud_routing_wrapupcode" "from_var" {
  for_each = toset(var.codes)
  name     = each.value
}

resource "genesyscloud_routing_wrapupcode" "counted" {
  count = 2
  name  = "C${count.index}"
}

resource "genesyscloud_routing_queue" "q" {
  name = "Q"
  wrapup_codes = [
    genesyscloud_routing_wrapupcode.standard["Callback Requested"].id,
    genesyscloud_routing_wrapupcode.standard["Callback Requestd"].id,
    genesyscloud_routing_wrapupcode.keyed["callback_requested"].id,
    genesyscloud_routing_wrapupcode.keyed["sales"].id,
    genesyscloud_routing_wrapupcode.from_var["Z"].id,
    genesyscloud_routing_wrapupcode.counted[1].id,
    genesyscloud_routing_wrapupcode.counted[2].id,
    try(genesyscloud_routing_wrapupcode.standard["Nope"].id, null),
  ]
}
"#,
    )]);
    let missing: Vec<(String, Option<String>)> = (r.diagnostics.iter())
        .filter(|d| d.rule.name == "unresolved-reference")
        .map(|d| {
            (
                d.message.to_string(),
                d.help.as_ref().map(ToString::to_string),
            )
        })
        .collect();
    assert_eq!(
        missing,
        [
            (
                "`genesyscloud_routing_wrapupcode.standard` has no instance `[\"Callback Requestd\"]`",
                Some("did you mean `Callback Requested`?")
            ),
            (
                "`genesyscloud_routing_wrapupcode.keyed` has no instance `[\"sales\"]`",
                Some("did you mean `sale`?")
            ),
            (
                "`genesyscloud_routing_wrapupcode.counted` has no instance `[2]`",
                Some("indexes run from 0 to 1")
            ),
        ]
        .map(|(m, h)| (m.to_owned(), h.map(str::to_owned))),
        "{:#?}",
        r.diagnostics
    );
    let d = (r.diagnostics.iter())
        .find(|d| d.message.contains("`[2]`"))
        .expect("the count finding");
    assert_eq!(
        d.related[0].message.to_string(),
        "`count` makes 2 instances"
    );
}

/// Terraform evaluates every output, the root module's too, which nothing reads: an index there
/// that names no instance, or no key of a map, stops the plan all the same.
#[test]
fn an_output_read_by_nothing_is_still_checked() {
    let r = check_files(&[
        (
            "main.tf",
            r#"resource "genesyscloud_routing_wrapupcode" "all" {
  for_each = toset(["A", "B"])
  name     = each.key
}

locals {
  m = { a = 1 }
}

module "child" {
  source = "./child"
}

output "missing_instance" {
  value = genesyscloud_routing_wrapupcode.all["C"].id
}

output "missing_key" {
  value = local.m["b"]
}

output "guarded" {
  value = try(genesyscloud_routing_wrapupcode.all["D"].id, null)
}

output "fine" {
  value = [genesyscloud_routing_wrapupcode.all["A"].id, local.m["a"], module.child.q]
}
"#,
        ),
        (
            "child/main.tf",
            r#"resource "genesyscloud_routing_wrapupcode" "c" {
  count = 1
  name  = "Child"
}

output "q" {
  value = "q"
}

output "unread" {
  value = genesyscloud_routing_wrapupcode.c[1].id
}
"#,
        ),
    ]);
    let found: Vec<(String, String)> = (r.diagnostics.iter())
        .filter(|d| d.rule.name == "unresolved-reference")
        .map(|d| {
            let s = d.span().expect("located");
            let f = r.sources.get(s.file);
            let at = f.line_col(s.start);
            let path = f.path.to_string_lossy().replace('\\', "/");
            (
                d.message.to_string(),
                format!("{path}:{}:{}", at.line, at.column),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "`genesyscloud_routing_wrapupcode.c` has no instance `[1]`",
                "child/main.tf:11:45"
            ),
            (
                "`genesyscloud_routing_wrapupcode.all` has no instance `[\"C\"]`",
                "main.tf:15:47"
            ),
            ("the map has no key `b`", "main.tf:19:19"),
        ]
        .map(|(m, l)| (m.to_owned(), l.to_owned())),
        "{:#?}",
        r.diagnostics
    );
}

/// A resource whose instances are not known is located at the `for_each` that applies: an
/// override file's when one sets it, not the declaration's that it replaces.
#[test]
fn unknown_instances_are_located_at_the_override_that_sets_for_each() {
    let r = check_files(&[
        (
            "main.tf",
            r#"variable "names" {
  type = list(string)
}

resource "genesyscloud_routing_wrapupcode" "codes" {
  for_each = toset(["a"])
  name     = each.key
}
"#,
        ),
        (
            "main_override.tf",
            r#"resource "genesyscloud_routing_wrapupcode" "codes" {
  for_each = toset(var.names)
}
"#,
        ),
    ]);
    let at: Vec<String> = (r.diagnostics.iter())
        .filter(|d| d.message.contains("its instances are not known"))
        .map(|d| {
            let s = d.span().expect("located");
            let f = r.sources.get(s.file);
            let lc = f.line_col(s.start);
            format!("{}:{}:{}", f.path.display(), lc.line, lc.column)
        })
        .collect();
    assert_eq!(at, ["main_override.tf:2:14"], "{:#?}", r.diagnostics);
}

#[test]
fn only_a_large_input_calls_the_large_input_hook() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // One counter per case: tests run in parallel, and a hook is a plain `fn`.
    static SMALL: AtomicUsize = AtomicUsize::new(0);
    static BIG_FILE: AtomicUsize = AtomicUsize::new(0);
    static BIG_STATE: AtomicUsize = AtomicUsize::new(0);
    static MANY_FILES: AtomicUsize = AtomicUsize::new(0);
    fn small() {
        SMALL.fetch_add(1, Ordering::SeqCst);
    }
    fn big_file() {
        BIG_FILE.fetch_add(1, Ordering::SeqCst);
    }
    fn big_state() {
        BIG_STATE.fetch_add(1, Ordering::SeqCst);
    }
    fn many_files() {
        MANY_FILES.fetch_add(1, Ordering::SeqCst);
    }
    let queue = "resource \"genesyscloud_routing_queue\" \"q\" {\n  name = \"Q\"\n}\n";
    let padding = format!(
        "{}\n",
        "#".repeat(cxlint::check::SMALL_INPUT_BYTES as usize)
    );
    let run = |files: &[(String, &str)], state: Option<&str>, hook: fn()| {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).expect("write");
        }
        let mut opts = CheckOptions::new(dir.path(), vec![PathBuf::from(".")]);
        opts.on_large_input = Some(hook);
        if let Some(text) = state {
            // Outside the configuration's directory, so that it only counts as a state input.
            let path = dir.path().join("state").join("terraform.tfstate");
            std::fs::create_dir(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, text).expect("write");
            opts.settings.state.push(path);
        }
        check(&opts);
    };
    run(&[("main.tf".into(), queue)], None, small);
    assert_eq!(SMALL.load(Ordering::SeqCst), 0, "a small input: not called");

    run(
        &[("main.tf".into(), queue), ("pad.tf".into(), &padding)],
        None,
        big_file,
    );
    assert_eq!(BIG_FILE.load(Ordering::SeqCst), 1, "2 MiB of configuration");

    let state = format!(
        "{{\"version\": 4, \"resources\": []{}}}",
        " ".repeat(2 << 20)
    );
    run(&[("main.tf".into(), queue)], Some(&state), big_state);
    assert_eq!(BIG_STATE.load(Ordering::SeqCst), 1, "2 MiB of state");

    let many: Vec<(String, &str)> = (0..cxlint::check::SIZED_FILES_MAX)
        .map(|i| (format!("f{i}.tf"), ""))
        .collect();
    run(&many, None, many_files);
    assert_eq!(
        MANY_FILES.load(Ordering::SeqCst),
        1,
        "as many files as that"
    );
}

/// The model build frees each resource's syntax once every instance of it is evaluated; a
/// reference to another resource's attribute then reads that resource's evaluated body. Which of
/// the two a reference finds depends on which core got there first, and must not change what it
/// reads: plain and `jsonencode` attributes, nested and `dynamic` blocks, in both file orders.
#[test]
fn attributes_of_other_resources_read_the_same_before_and_after_their_syntax_is_freed() {
    let keys: Vec<String> = (0..300).map(|i| format!("\"{i:03}\"")).collect();
    let main = format!(
        r#"
resource "genesyscloud_outbound_ruleset" "rs" {{
  name     = "RS ${{genesyscloud_routing_queue.copy.name}}"
  queue_id = genesyscloud_routing_queue.copy.id
  rules {{
    name     = "r"
    category = "DIALER_WRAPUP"
    conditions {{
      type  = "wrapupCondition"
      codes = [
        genesyscloud_routing_wrapupcode.derived["007"].id,
        genesyscloud_routing_wrapupcode.derived["299"].id,
        genesyscloud_routing_wrapupcode.base.id,
        genesyscloud_routing_wrapupcode.extra[0].id,
      ]
    }}
  }}
}}

resource "genesyscloud_routing_wrapupcode" "derived" {{
  for_each = toset([{keys}])
  name     = "${{genesyscloud_routing_wrapupcode.base.name}} ${{each.key}}"
}}

resource "genesyscloud_routing_wrapupcode" "base" {{
  name = "Base"
}}

resource "genesyscloud_routing_wrapupcode" "extra" {{
  count = length(genesyscloud_routing_queue.q.settings)
  name  = "Extra ${{jsondecode(genesyscloud_routing_queue.q.meta).n}} ${{genesyscloud_routing_queue.q.settings[count.index].label}}"
}}

resource "genesyscloud_routing_queue" "q" {{
  name         = "Q"
  wrapup_codes = [genesyscloud_routing_wrapupcode.base.id, genesyscloud_routing_wrapupcode.derived["299"].id]
  meta         = jsonencode({{ n = 5 }})
  dynamic "settings" {{
    for_each = ["x", "y"]
    content {{
      label = settings.value
    }}
  }}
}}

resource "genesyscloud_routing_queue" "copy" {{
  name         = "${{genesyscloud_routing_queue.q.name}} copy"
  wrapup_codes = genesyscloud_routing_queue.q.wrapup_codes
}}
"#,
        keys = keys.join(", ")
    );
    let r = check_files(&[("main.tf", &main)]);
    assert!(!r.incomplete && r.errors.is_empty(), "{:?}", r.errors);
    let found = |min: Severity| -> Vec<String> {
        let mut v: Vec<String> = (r.diagnostics.iter())
            .filter(|d| d.severity >= min)
            .map(|d| format!("{}: {}", d.rule.name, d.message))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        found(Severity::Warning),
        [
            "wrapup-code-not-assigned: wrap-up code `Base 007` is not assigned to queue `Q copy`",
            "wrapup-code-not-assigned: wrap-up code `Extra 5 x` is not assigned to queue `Q copy`",
        ],
        "{:#?}",
        r.diagnostics
    );
    // Every derived code got its name from `base` (all but `299` are offered by no queue), and the
    // rule set's name from the copied queue.
    let unassigned = found(Severity::Info)
        .into_iter()
        .filter(|m| m.starts_with("unassigned-wrapup-code: wrap-up code `Base "))
        .count();
    assert_eq!(unassigned, 299);
    let rs = (r.model.objects)
        .iter()
        .find(|o| o.rtype == "genesyscloud_outbound_ruleset")
        .expect("rule set");
    assert_eq!(rs.name.as_deref(), Some("RS Q copy"));
}

/// The model keeps only the attributes its readers read (`model::keep`), except of resources
/// that some expression reads otherwise: by an attribute no rule reads, or whole (a `for_each`
/// over a resource, a module output of one), after which any attribute can be read anywhere.
#[test]
fn unread_attributes_are_dropped_unless_an_expression_reads_them() {
    let main = r#"
module "team" {
  source = "./team"
}

resource "genesyscloud_routing_queue" "plain" {
  name        = "Plain"
  description = "never read"
}

resource "genesyscloud_routing_queue" "described" {
  name        = "Described"
  description = "Sales"
}

resource "genesyscloud_routing_queue" "iterated" {
  for_each    = toset(["a", "b"])
  name        = "Iterated ${each.key}"
  description = "Desc ${each.key}"
}

resource "genesyscloud_routing_wrapupcode" "by_attribute" {
  name = "Code for ${genesyscloud_routing_queue.described.description}"
}

resource "genesyscloud_routing_wrapupcode" "by_whole_value" {
  for_each = genesyscloud_routing_queue.iterated
  name     = "Code for ${each.value.description}"
}

resource "genesyscloud_routing_wrapupcode" "through_a_module" {
  name = "Code for ${module.team.queue.description}"
}
"#;
    let team = r#"
resource "genesyscloud_routing_queue" "team" {
  name        = "Team"
  description = "Team queue"
}

output "queue" {
  value = genesyscloud_routing_queue.team
}
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("main.tf"), main).expect("write");
    std::fs::create_dir(dir.path().join("team")).expect("mkdir");
    std::fs::write(dir.path().join("team/main.tf"), team).expect("write");
    let r = check(&CheckOptions::new(dir.path(), vec![PathBuf::from(".")]));
    assert!(!r.incomplete && r.errors.is_empty(), "{:?}", r.errors);
    let object = |name: &str| {
        (r.model.objects.iter())
            .find(|o| o.name.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("no object named {name}"))
    };
    let description = |name: &str| {
        let body = &object(name).config.as_ref().expect("configured").attrs;
        body.get("description")
            .and_then(|v| v.as_str().map(str::to_owned))
    };
    for code in [
        "Code for Sales",
        "Code for Desc a",
        "Code for Desc b",
        "Code for Team queue",
    ] {
        object(code);
    }
    assert_eq!(description("Plain"), None);
    assert_eq!(description("Described").as_deref(), Some("Sales"));
    assert_eq!(description("Iterated a").as_deref(), Some("Desc a"));
    assert_eq!(description("Team").as_deref(), Some("Team queue"));
}

#[test]
fn modules_installed_by_terraform_init_are_followed() {
    // The data action's client is made by a registry module that `terraform init` installed:
    // the chain runs through it, and what is wrong inside it alone is not reported.
    assert_eq!(
        findings("testdata/projects/installed_module"),
        vec![(
            "missing-permission".to_owned(),
            "OAuth client `Data actions client` lacks `conversation:communication:disconnect` \
             for `POST /api/v2/conversations/{conversationId}/disconnect`"
                .to_owned()
        )]
    );
    // Before `terraform init` (no manifest), the call is unknown, as any remote module.
    let dir = tempfile::tempdir().expect("tempdir");
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/projects/installed_module");
    std::fs::copy(src.join("main.tf"), dir.path().join("main.tf")).expect("copy");
    let r = check(&CheckOptions::new(dir.path(), vec![PathBuf::from(".")]));
    let rules: Vec<(&str, Severity)> = (r.diagnostics.iter())
        .map(|d| (d.rule.name, d.severity))
        .collect();
    assert_eq!(rules, [("missing-permission", Severity::Info)]);
}

#[test]
fn a_state_goes_to_the_root_module_whose_directory_holds_it() {
    // Two environments declare the same addresses; the queue leaves `wrapup_codes` to the org.
    // prod's state says its queue offers only "No Sale": prod's rule set, which uses "Sale",
    // is wrong there; dev's has no state, so its queue's codes are unknown.
    let dir = tempfile::tempdir().expect("tempdir");
    let config = r#"
resource "genesyscloud_routing_wrapupcode" "sale" {
  name = "Sale"
}
resource "genesyscloud_routing_wrapupcode" "no_sale" {
  name = "No Sale"
}
resource "genesyscloud_routing_queue" "sales" {
  name = "Sales"
}
resource "genesyscloud_outbound_ruleset" "rules" {
  name     = "Rules"
  queue_id = genesyscloud_routing_queue.sales.id
  rules {
    name     = "sale"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.sale.id]
    }
  }
}
"#;
    let resource = |rtype: &str, name: &str, attrs: &str| {
        format!(
            r#"{{"mode":"managed","type":"{rtype}","name":"{name}","provider":"provider[\"registry.terraform.io/mypurecloud/genesyscloud\"]","instances":[{{"schema_version":0,"attributes":{attrs}}}]}}"#
        )
    };
    let state = format!(
        r#"{{"version":4,"terraform_version":"1.9.8","serial":1,"lineage":"x","outputs":{{}},"resources":[{},{},{}]}}"#,
        resource(
            "genesyscloud_routing_wrapupcode",
            "sale",
            r#"{"id":"5a1e0000-0000-4000-8000-000000000001","name":"Sale"}"#
        ),
        resource(
            "genesyscloud_routing_wrapupcode",
            "no_sale",
            r#"{"id":"5a1e0000-0000-4000-8000-000000000002","name":"No Sale"}"#
        ),
        resource(
            "genesyscloud_routing_queue",
            "sales",
            r#"{"id":"9e0e0000-0000-4000-8000-000000000003","name":"Sales","wrapup_codes":["5a1e0000-0000-4000-8000-000000000002"]}"#
        ),
    );
    for env in ["dev", "prod"] {
        let d = dir.path().join("envs").join(env);
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::write(d.join("main.tf"), config).expect("write");
    }
    // Whichever of the two the model holds first, the state goes to its own environment.
    for env in ["dev", "prod"] {
        let state_path = PathBuf::from(format!("envs/{env}/terraform.tfstate"));
        std::fs::write(dir.path().join(&state_path), &state).expect("write");
        let mut opts = CheckOptions::new(dir.path(), vec![PathBuf::from("envs")]);
        opts.settings.state = vec![state_path.clone()];
        let r = check(&opts);
        std::fs::remove_file(dir.path().join(&state_path)).expect("remove");
        assert!(!r.incomplete && r.errors.is_empty(), "{:?}", r.errors);
        let errors: Vec<(String, &str)> = (r.diagnostics.iter())
            .filter(|d| d.severity == Severity::Error)
            .filter_map(|d| match &d.location {
                cxlint::diagnostic::Location::Source(s) => Some((
                    r.sources.get(s.file).path.display().to_string(),
                    d.rule.name,
                )),
                cxlint::diagnostic::Location::Org(_) => None,
            })
            .collect();
        assert_eq!(
            errors,
            [(format!("envs/{env}/main.tf"), "wrapup-code-not-assigned")],
            "state of {env}"
        );
    }
}

/// A rule set whose one wrap-up condition names `codes`, on the queue `queue_id`.
fn ruleset_on(queue_id: &str, codes: &str) -> String {
    format!(
        r#"
resource "genesyscloud_outbound_ruleset" "r" {{
  name     = "Rules"
  queue_id = {queue_id}
  rules {{
    name     = "r"
    category = "DIALER_WRAPUP"
    conditions {{
      type  = "wrapupCondition"
      codes = [{codes}]
    }}
    actions {{
      type             = "Action"
      action_type_name = "DO_NOT_DIAL"
    }}
  }}
}}
"#
    )
}

/// A module's queue and rule set, configured through one object variable (`var.cfg`) whose
/// queue codes come from the caller, `root_cfg` being the module call's `cfg = {...}` argument.
fn queue_module(variable_extra: &str, root_cfg: &str) -> Vec<(&'static str, String)> {
    let module = format!(
        r#"
variable "cfg" {{
  type = object({{
    name  = optional(string, "Support")
    codes = optional(list(string), [])
  }})
  {variable_extra}
}}
variable "code_id" {{}}
resource "genesyscloud_routing_queue" "q" {{
  name              = var.cfg.name
  acw_wrapup_prompt = "OPTIONAL"
  wrapup_codes      = var.cfg.codes
}}
{}"#,
        ruleset_on("genesyscloud_routing_queue.q.id", "var.code_id")
    );
    let root = format!(
        r#"
resource "genesyscloud_routing_wrapupcode" "escalated" {{
  name = "Escalated"
}}
module "q" {{
  source  = "./q"
  code_id = genesyscloud_routing_wrapupcode.escalated.id
  {root_cfg}
}}
"#
    );
    let r = check_files(&[("main.tf", &root), ("q/main.tf", &module)]);
    warnings_of_clean_load(&r)
}

#[test]
fn optional_object_attributes_take_their_defaults() {
    // `codes` left out is `[]`, and `name` is "Support": the rule set's code is on no queue.
    let found = queue_module("", "cfg = {}");
    assert_eq!(
        found,
        [(
            "wrapup-code-not-assigned",
            "wrap-up code `Escalated` is not assigned to queue `Support`".to_owned()
        )]
    );
    // A null attribute takes the default too; a given one wins.
    assert_eq!(queue_module("", "cfg = { codes = null }"), found);
    let given = "cfg = { codes = [genesyscloud_routing_wrapupcode.escalated.id] }";
    assert_eq!(queue_module("", given), []);
}

#[test]
fn a_null_module_input_is_null_unless_the_variable_is_not_nullable() {
    // `cfg = null` makes the whole object null: the queue's codes are not managed, so unknown.
    assert_eq!(queue_module("default = {}", "cfg = null"), []);
    // With `nullable = false` the default stands in for null, and its `codes` default is `[]`.
    assert_eq!(
        queue_module("default = {}\n  nullable = false", "cfg = null").len(),
        1
    );
}

#[test]
fn the_long_form_of_a_resource_reference_resolves() {
    // `resource.type.name` is `type.name`: the queue's codes and the rule set's code resolve.
    let main = [
        r#"
resource "genesyscloud_routing_wrapupcode" "a" { name = "A" }
resource "genesyscloud_routing_wrapupcode" "b" { name = "B" }
resource "genesyscloud_routing_queue" "q" {
  name              = "Q"
  acw_wrapup_prompt = "OPTIONAL"
  wrapup_codes      = [resource.genesyscloud_routing_wrapupcode.a.id]
}
"#,
        &ruleset_on(
            "resource.genesyscloud_routing_queue.q.id",
            "resource.genesyscloud_routing_wrapupcode.b.id, genesyscloud_routing_wrapupcode.a.id",
        ),
    ]
    .concat();
    let r = check_files(&[("main.tf", &main)]);
    assert_eq!(
        warnings_of_clean_load(&r),
        [(
            "wrapup-code-not-assigned",
            "wrap-up code `B` is not assigned to queue `Q`".to_owned()
        )]
    );
}

/// A queue named by a template with directives, and a rule set using a code not on it: the
/// finding names the queue as Terraform would render it.
fn queue_named(name: &str) -> Vec<(&'static str, String)> {
    let r = check_files(&[(
        "main.tf",
        &format!(
            r#"
variable "vip" {{
  default = true
}}
variable "regions" {{
  default = {{ emea = "EU", amer = "US" }}
}}
resource "genesyscloud_routing_wrapupcode" "a" {{ name = "A" }}
resource "genesyscloud_routing_queue" "q" {{
  name              = {name}
  acw_wrapup_prompt = "OPTIONAL"
  wrapup_codes      = []
}}
{}"#,
            ruleset_on(
                "genesyscloud_routing_queue.q.id",
                "genesyscloud_routing_wrapupcode.a.id"
            )
        ),
    )]);
    (warnings_of_clean_load(&r).into_iter())
        .filter(|(rule, _)| *rule == "wrapup-code-not-assigned")
        .collect()
}

#[test]
fn template_directives_are_evaluated() {
    let queue = |name: &str| match &queue_named(name)[..] {
        [(_, message)] => message
            .strip_prefix("wrap-up code `A` is not assigned to queue `")
            .and_then(|m| m.strip_suffix('`'))
            .unwrap_or_else(|| panic!("{message}"))
            .to_owned(),
        none => panic!("no finding: {none:?}"),
    };
    assert_eq!(
        queue(r#""%{ if var.vip }VIP %{ endif }Support""#),
        "VIP Support"
    );
    assert_eq!(
        queue(r#""%{ if !var.vip }VIP%{ else }Standard%{ endif } Support""#),
        "Standard Support"
    );
    // A map iterates in key order; strip markers trim the whitespace beside the tags.
    assert_eq!(
        queue(r#""Support %{~ for k, v in var.regions ~} ${k}=${v} %{~ endfor ~} ""#),
        "Supportamer=USemea=EU"
    );
    assert_eq!(
        queue("<<-EOT\n    %{ for i, r in [\"a\", \"b\"] }${i}${r}%{ endfor }\n    EOT"),
        "0a1b\n"
    );
    // A condition not known makes the name unknown: the queue goes by its address.
    assert_eq!(
        queue(r#""%{ if var.undeclared }VIP%{ endif }""#),
        "genesyscloud_routing_queue.q"
    );
}

#[test]
fn references_inside_template_directives_are_checked() {
    let r = check_files(&[(
        "main.tf",
        r#"
variable "names" {
  default = ["a"]
}
locals {
  # `n` and `i` are the directive's own; the rest name nothing.
  banner = "%{ for i, n in var.names }${i}: ${n}${local.missing}%{ endfor }"
  other  = "%{ if var.undeclared }x%{ else }${genesyscloud_routing_queue.nope.name}%{ endif }"
}
"#,
    )]);
    let mut found: Vec<String> = (r.diagnostics.iter())
        .filter(|d| d.rule.name == "unresolved-reference")
        .map(|d| d.message.to_string())
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "reference to undeclared input variable `var.undeclared`",
            "reference to undeclared local value `local.missing`",
            "reference to undeclared resource `genesyscloud_routing_queue.nope`"
        ]
    );
}

#[test]
fn a_file_that_fails_to_parse_hides_no_declaration_behind_findings() {
    let r = check_files(&[
        (
            "variables.tf",
            "variable \"email\" {}\nvariable \"password\" {\n  sensitive = true\n",
        ),
        (
            "main.tf",
            "locals {\n  to = var.email\n  pw = var.password\n}\n",
        ),
        // Another directory, loaded cleanly: its undeclared names are still found.
        ("other/main.tf", "locals {\n  to = var.email\n}\n"),
    ]);
    assert!(r.incomplete);
    let found: Vec<(&str, String, &std::path::Path)> = (r.diagnostics.iter())
        .map(|d| {
            let file = d.span().expect("located").file;
            (
                d.rule.name,
                d.message.to_string(),
                &*r.sources.get(file).path,
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    let undeclared = "reference to undeclared input variable `var.email`";
    assert!(
        found
            .iter()
            .any(|(rule, message, path)| *rule == "unresolved-reference"
                && message == undeclared
                && path.ends_with("other/main.tf"))
    );
    assert!(
        found
            .iter()
            .any(|(rule, _, path)| *rule == "parse-error" && path.ends_with("variables.tf"))
    );
}

/// Wrap-up codes with no queue in sight (the queues are another root module's) are not
/// reported as unassigned; with one queue in the configuration that lacks them, they are.
#[test]
fn codes_without_any_queue_in_sight_are_not_unassigned() {
    let code = "resource \"genesyscloud_routing_wrapupcode\" \"sale\" {\n  name = \"Sale\"\n}\n";
    let unassigned = |r: &cxlint::check::CheckResult| {
        (r.diagnostics.iter())
            .filter(|d| d.rule.name == "unassigned-wrapup-code")
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        unassigned(&check_files(&[("codes.tf", code)])),
        Vec::<String>::new()
    );
    let queue =
        "resource \"genesyscloud_routing_queue\" \"q\" {\n  name = \"Q\"\n  wrapup_codes = []\n}\n";
    assert_eq!(
        unassigned(&check_files(&[("codes.tf", code), ("queues.tf", queue)])),
        ["wrap-up code `Sale` is not assigned to any queue"]
    );
}

/// `cxlint check envs/dev` follows local modules outside the directory checked, as Terraform
/// does (`../../modules/x`), and the modules they call in turn.
#[test]
fn local_modules_outside_the_checked_directory_are_followed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = [
        (
            "envs/dev/main.tf",
            r#"module "team" {
  source = "../../modules/team"
  typo_arg = 1
}
resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = [module.team.resolved_id]
}
resource "genesyscloud_outbound_ruleset" "rs" {
  name     = "rs"
  queue_id = genesyscloud_routing_queue.support.id
  rules {
    name     = "r"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [module.team.escalated_id]
    }
  }
}
"#,
        ),
        (
            "modules/team/main.tf",
            r#"module "codes" {
  source = "../codes"
}
output "resolved_id" { value = module.codes.resolved_id }
output "escalated_id" { value = module.codes.escalated_id }
"#,
        ),
        (
            "modules/codes/main.tf",
            r#"resource "genesyscloud_routing_wrapupcode" "resolved" { name = "Resolved" }
resource "genesyscloud_routing_wrapupcode" "escalated" { name = "Escalated" }
output "resolved_id" { value = genesyscloud_routing_wrapupcode.resolved.id }
output "escalated_id" { value = genesyscloud_routing_wrapupcode.escalated.id }
"#,
        ),
        // Not a part of the module: a module is one directory.
        ("modules/codes/examples/main.tf", "variable \"x\" {\n"),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let dev = dir.path().join("envs/dev");
    let r = check(&CheckOptions::new(&dev, vec![PathBuf::from(".")]));
    let mut got = warnings_of_clean_load(&r);
    got.sort();
    assert_eq!(
        got,
        [
            (
                "unresolved-reference",
                "module `team` has no variable `typo_arg`".to_owned()
            ),
            (
                "wrapup-code-not-assigned",
                "wrap-up code `Escalated` is not assigned to queue `Support`".to_owned()
            ),
        ]
    );
}

/// A file read at plan from a path relative to where `terraform` runs is judged there: in the
/// directory checked, for a module it calls too, and not in a module directory nothing calls
/// (another root's child, whose working directory is not known).
#[test]
fn missing_files_are_judged_where_terraform_runs() {
    let called = "locals {\n  contract = file(\"contracts/input.json\")\n  there = file(\"present.json\")\n}\n";
    let r = check_files(&[
        (
            "main.tf",
            "locals {\n  contract = file(\"contracts/input.json\")\n}\nmodule \"called\" {\n  source = \"./modules/called\"\n}\n",
        ),
        ("present.json", "{}"),
        // Read where the root runs `terraform`: `present.json` is the root's.
        ("modules/called/main.tf", called),
        (
            "modules/orphan/main.tf",
            "locals {\n  contract = file(\"contracts/input.json\")\n  own = file(\"${path.module}/own.json\")\n}\n",
        ),
    ]);
    let mut found: Vec<String> = (r.diagnostics.iter())
        .filter(|d| d.rule.name == "unresolved-reference")
        .map(|d| {
            format!(
                "{}: {}",
                r.sources.get(d.span().unwrap().file).path.display(),
                d.message
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "main.tf: file `contracts/input.json` does not exist",
            "modules/called/main.tf: file `contracts/input.json` does not exist",
            "modules/orphan/main.tf: file `own.json` does not exist",
        ]
    );
}

/// A `for_each` over a variable is reported as not known where `terraform` runs (the directory
/// checked), not in a module directory nothing calls, whose caller would give the value.
#[test]
fn unknown_instances_of_a_module_checked_on_its_own_are_not_reported() {
    let queues = "variable \"names\" {}\nresource \"genesyscloud_routing_queue\" \"q\" {\n  for_each = toset(var.names)\n  name     = each.value\n}\n";
    let r = check_files(&[("main.tf", queues), ("modules/queues/main.tf", queues)]);
    let files: Vec<String> = (r.diagnostics.iter())
        .filter(|d| d.message.contains("its instances are not known"))
        .map(|d| {
            r.sources
                .get(d.span().unwrap().file)
                .path
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(files, ["main.tf"]);
}

/// A flow file read by two flows (here one file with two sets of substitutions) is one file of
/// the report: a finding in it that does not depend on the flow is reported once.
#[test]
fn a_flow_file_read_twice_reports_a_finding_once() {
    let main = "resource \"genesyscloud_flow\" \"a\" {\n  filepath      = \"flow.yaml\"\n  substitutions = { name = \"A\" }\n}\nresource \"genesyscloud_flow\" \"b\" {\n  filepath      = \"flow.yaml\"\n  substitutions = { name = \"B\" }\n}\n";
    let flow = "inboundCall:\n  name: \"{{name}}\"\n  division: \"{{typo}}\"\n";
    let r = check_files(&[("main.tf", main), ("flow.yaml", flow)]);
    let missing: Vec<String> = (r.diagnostics.iter())
        .filter(|d| d.rule.name == "missing-flow-substitution")
        .map(|d| d.message.to_string())
        .collect();
    assert_eq!(missing, ["placeholder `{{typo}}` has no substitution"]);
}

/// Override files change the blocks of the module's other files, as Terraform merges them: no
/// `duplicate-declaration`, the queue's codes and name (a local) are the override's, a rule
/// set's nested block is replaced wholesale (its finding located in the override file), an
/// override's `for_each` repeats the base resource, whose `each.key` is then declared, and a
/// variable's default is the override's.
#[test]
fn override_files_are_merged_into_their_base_blocks() {
    let dir = "testdata/projects/override";
    let s = |(a, b): (&str, &str)| (a.to_owned(), b.to_owned());
    assert_eq!(
        findings(dir),
        [
            (
                "unassigned-wrapup-code",
                "wrap-up code `Escalated` is not assigned to any queue"
            ),
            (
                "unassigned-wrapup-code",
                "wrap-up code `Team a` is not assigned to any queue"
            ),
            (
                "unassigned-wrapup-code",
                "wrap-up code `Team b` is not assigned to any queue"
            ),
            (
                "unknown-oauth-scope",
                "`conversation:write` is not a Genesys Cloud OAuth scope"
            ),
            (
                "wrapup-code-not-assigned",
                "wrap-up code `Escalated` is not assigned to queue `Support`"
            ),
        ]
        .map(s)
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let r = check(&CheckOptions::new(root, vec![PathBuf::from(dir)]));
    let d = (r.diagnostics.iter())
        .find(|d| d.rule.name == "wrapup-code-not-assigned")
        .expect("the override's finding");
    let cxlint::diagnostic::Location::Source(at) = &d.location else {
        panic!("not located in a file: {d:?}")
    };
    assert!(
        r.sources.get(at.file).path.ends_with("override.tf.json"),
        "{:?}",
        r.sources.get(at.file).path
    );
}

/// Only these names are override files, as in Terraform.
#[test]
fn override_file_names() {
    use cxlint::workspace::is_override_file;
    for yes in [
        "override.tf",
        "a/override.tf.json",
        "queues_override.tf",
        "x_override.tf.json",
    ] {
        assert!(is_override_file(std::path::Path::new(yes)), "{yes}");
    }
    for no in [
        "overrides.tf",
        "override.tfvars",
        "myoverride.tf",
        "override_x.tf",
        "override",
    ] {
        assert!(!is_override_file(std::path::Path::new(no)), "{no}");
    }
}

/// A module's override files count as the module's: a default given there makes an input
/// optional, and an output's value there is the one its callers read.
#[test]
fn override_files_of_a_module_change_its_inputs_and_outputs() {
    let r = check_files(&[
        (
            "main.tf",
            "module \"m\" {\n  source = \"./m\"\n}\nresource \"genesyscloud_oauth_client\" \"c\" {\n  name = \"C\"\n  authorized_grant_type = \"CODE\"\n  scopes = [module.m.scope]\n}\n",
        ),
        (
            "m/main.tf",
            "variable \"scope\" {\n  type = string\n}\noutput \"scope\" {\n  value = \"routing\"\n}\n",
        ),
        (
            "m/override.tf",
            "variable \"scope\" {\n  default = \"conversation:write\"\n}\noutput \"scope\" {\n  value = var.scope\n}\n",
        ),
    ]);
    assert_eq!(
        warnings_of_clean_load(&r),
        [(
            "unknown-oauth-scope",
            "`conversation:write` is not a Genesys Cloud OAuth scope".to_owned()
        )]
    );
}

/// A module call's override: its `source` (a local copy of the module, the usual reason), its
/// arguments (the override's win; an argument only it sets counts as set) and its `for_each`,
/// whose `each.key` the call's own arguments then use.
#[test]
fn override_files_change_a_module_call() {
    let module = |scope: &str| {
        format!(
            "variable \"name\" {{\n  type = string\n}}\nvariable \"scope\" {{\n  type = string\n}}\nresource \"genesyscloud_oauth_client\" \"c\" {{\n  name = var.name\n  authorized_grant_type = \"CODE\"\n  scopes = [var.scope, \"{scope}\"]\n}}\n"
        )
    };
    let (published, local) = (module("routing"), module("queues:everything"));
    let r = check_files(&[
        (
            "main.tf",
            "module \"m\" {\n  source = \"./published\"\n  name   = \"C ${each.key}\"\n  scope  = \"routing\"\n}\n",
        ),
        (
            "main_override.tf",
            "module \"m\" {\n  source   = \"./local\"\n  for_each = toset([\"a\"])\n  scope    = \"conversation:write\"\n}\n",
        ),
        ("published/main.tf", published.as_str()),
        ("local/main.tf", local.as_str()),
    ]);
    let found = warnings_of_clean_load(&r);
    // The override's scope, through the override's source: only the local copy adds
    // `queues:everything` (the published module's `routing` is a real scope).
    let mut messages: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    messages.sort_unstable();
    assert_eq!(
        messages,
        [
            "`conversation:write` is not a Genesys Cloud OAuth scope",
            "`queues:everything` is not a Genesys Cloud OAuth scope"
        ],
        "{found:?}"
    );
}

/// An override of what no other file declares stops Terraform ("Missing base resource to
/// override"): reported once, at the override, and not again where it is referenced.
#[test]
fn an_override_of_nothing_is_reported() {
    let r = check_files(&[
        (
            "main.tf",
            "resource \"genesyscloud_routing_queue\" \"support\" {\n  name = local.queue_name\n  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]\n}\n",
        ),
        (
            "codes_override.tf",
            "resource \"genesyscloud_routing_wrapupcode\" \"resolved\" {\n  name = \"Resolved\"\n}\nlocals {\n  queue_name = \"Support\"\n}\n",
        ),
    ]);
    let found = warnings_of_clean_load(&r);
    assert_eq!(
        found,
        [
            (
                "unresolved-reference",
                "override of resource \"genesyscloud_routing_wrapupcode\" \"resolved\", which no other file declares".to_owned()
            ),
            (
                "unresolved-reference",
                "override of local value \"queue_name\", which no other file declares".to_owned()
            ),
        ],
        "{found:?}"
    );
    for d in r
        .diagnostics
        .iter()
        .filter(|d| d.rule.name == "unresolved-reference")
    {
        let cxlint::diagnostic::Location::Source(s) = &d.location else {
            panic!("not in a file: {d:?}")
        };
        assert!(
            r.sources.get(s.file).path.ends_with("codes_override.tf"),
            "{d:?}"
        );
    }
}

/// A role whose permission policies come from a variable without a value (a `dynamic` block
/// over it, or an `action_set` built from it) may grant what a data action needs: only some
/// grants are known, so the missing permission is "cannot verify" (info), never an error.
#[test]
fn permissions_granted_through_unknown_policies_are_not_reported_missing() {
    let chain = |role: &str| {
        format!(
            r#"
resource "genesyscloud_oauth_client" "da" {{
  name                  = "Data actions"
  authorized_grant_type = "CLIENT-CREDENTIALS"
  roles {{
    role_id     = {role}
    division_id = "*"
  }}
}}
resource "genesyscloud_integration_credential" "c" {{
  name                 = "c"
  credential_type_name = "pureCloudOAuthClient"
  fields = {{
    clientId     = genesyscloud_oauth_client.da.client_id
    clientSecret = genesyscloud_oauth_client.da.client_secret
  }}
}}
resource "genesyscloud_integration" "i" {{
  intended_state   = "ENABLED"
  integration_type = "purecloud-data-actions"
  config {{
    name        = "Data actions"
    credentials = {{ pureCloudOAuthClient = genesyscloud_integration_credential.c.id }}
  }}
}}
resource "genesyscloud_integration_action" "add_code" {{
  name           = "Add a code to a queue"
  category       = "Routing"
  integration_id = genesyscloud_integration.i.id
  config_request {{
    request_type         = "POST"
    request_url_template = "/api/v2/routing/queues/$${{input.queueId}}/wrapupcodes"
    request_template     = "[{{\"id\": \"$${{input.codeId}}\"}}]"
  }}
}}
"#
        )
    };
    let dynamic_policies = r#"
variable "policies" {
  type = list(object({ domain = string, entity = string, actions = list(string) }))
}
resource "genesyscloud_auth_role" "r" {
  name = "Dynamic"
  dynamic "permission_policies" {
    for_each = var.policies
    content {
      domain      = permission_policies.value.domain
      entity_name = permission_policies.value.entity
      action_set  = permission_policies.value.actions
    }
  }
}
"#;
    let unknown_actions = r#"
variable "extra_actions" {
  type = list(string)
}
resource "genesyscloud_auth_role" "r" {
  name = "Reader and more"
  permission_policies {
    domain      = "routing"
    entity_name = "queue"
    action_set  = concat(["view"], var.extra_actions)
  }
}
"#;
    for role in [dynamic_policies, unknown_actions] {
        let main = format!("{role}{}", chain("genesyscloud_auth_role.r.id"));
        let r = check_files(&[("main.tf", &main)]);
        assert_eq!(warnings_of_clean_load(&r), vec![], "{role}");
        assert!(
            r.diagnostics
                .iter()
                .any(|d| d.rule.name == "missing-permission"
                    && d.severity == Severity::Info
                    && d.notes.iter().any(|n| n.contains("not all known"))),
            "{role}: {:?}",
            r.diagnostics
        );
    }
    // The same role with its policies known still lacks `routing:queue:edit`.
    let known = unknown_actions.replace(r#"concat(["view"], var.extra_actions)"#, r#"["view"]"#);
    let main = format!("{known}{}", chain("genesyscloud_auth_role.r.id"));
    let r = check_files(&[("main.tf", &main)]);
    assert_eq!(
        warnings_of_clean_load(&r),
        vec![(
            "missing-permission",
            "OAuth client `Data actions` lacks `routing:queue:edit` for `POST /api/v2/routing/queues/{queueId}/wrapupcodes`".to_owned()
        )]
    );
}

/// A flow module's `substitutions = var.flow_subs`, with no value: any `{{name}}` of the YAML
/// may be replaced, so none is "without a substitution", and the queue and wrap-up code it
/// names are unknown (info), not missing from the org. `{{ code }}`, which no key replaces,
/// is still reported.
#[test]
fn a_flow_whose_substitutions_are_not_known_has_no_missing_placeholder() {
    let flow = r#"inboundCall:
  name: "{{flow_name}}"
  defaultLanguage: en-us
  startUpRef: "/inboundCall/tasks/task[main]"
  tasks:
    - task:
        name: main
        refId: main
        actions:
          - setWrapupCode:
              name: w
              wrapupCode:
                lit:
                  name: "{{code}}"
          - transferToAcd:
              name: x
              targetQueue:
                lit:
                  name: "{{queue}}"
"#;
    let main = r#"
variable "flow_subs" {
  type = map(string)
}
resource "genesyscloud_flow" "f" {
  filepath      = "${path.module}/flows/f.yaml"
  substitutions = var.flow_subs
}
"#;
    let r = check_files(&[("main.tf", main), ("flows/f.yaml", flow)]);
    assert_eq!(warnings_of_clean_load(&r), vec![]);
    assert!(
        (r.diagnostics.iter()).any(
            |d| d.rule.name == "dynamic-reference" && d.message.contains("queue named by flow")
        ),
        "{:?}",
        r.diagnostics
    );
    let spaced = flow.replace("\"{{code}}\"", "\"{{ code }}\"");
    let r = check_files(&[("main.tf", main), ("flows/f.yaml", &spaced)]);
    assert_eq!(
        warnings_of_clean_load(&r),
        vec![(
            "missing-flow-substitution",
            "placeholder `{{ code }}` is not replaced: the provider replaces only `{{code}}`"
                .to_owned()
        )]
    );
    // `null` is no substitutions at all, not ones not known: each placeholder is missing.
    let null = main.replace("var.flow_subs", "null");
    let r = check_files(&[("main.tf", &null), ("flows/f.yaml", flow)]);
    let missing = (r.diagnostics.iter())
        .filter(|d| d.rule.name == "missing-flow-substitution")
        .count();
    assert_eq!(missing, 3, "{:#?}", r.diagnostics);
}

/// System wrap-up codes are named by their ids, which are their names: an outbound rule set's
/// `ININ-OUTBOUND-BUSY` condition is set by the dialer on any queue's calls, so it is neither
/// a finding nor "cannot check ... is not an id"; one in a queue's `wrapup_codes` leaves the
/// rest of its codes known.
#[test]
fn system_wrapup_codes_need_no_queue() {
    let main = r#"
resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}
resource "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}
resource "genesyscloud_routing_queue" "sales" {
  name         = "Sales"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id, "ININ-WRAP-UP-TIMEOUT"]
}
resource "genesyscloud_outbound_ruleset" "retry" {
  name     = "Retry"
  queue_id = genesyscloud_routing_queue.sales.id
  rules {
    name     = "busy"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = ["ININ-OUTBOUND-BUSY", "ININ-OUTBOUND-MACHINE", CODE]
    }
  }
}
"#;
    let r = check_files(&[(
        "main.tf",
        &main.replace("CODE", "genesyscloud_routing_wrapupcode.resolved.id"),
    )]);
    let said: Vec<(&str, String)> = (r.diagnostics.iter())
        .map(|d| (d.rule.name, d.message.to_string()))
        .collect();
    assert_eq!(
        said,
        vec![(
            "unassigned-wrapup-code",
            "wrap-up code `Escalated` is not assigned to any queue".to_owned()
        )]
    );
    let r = check_files(&[(
        "main.tf",
        &main.replace("CODE", "genesyscloud_routing_wrapupcode.escalated.id"),
    )]);
    assert_eq!(
        warnings_of_clean_load(&r),
        vec![(
            "wrapup-code-not-assigned",
            "wrap-up code `Escalated` is not assigned to queue `Sales`".to_owned()
        )]
    );
}

/// A wrap-up code a flow sets with `exp:` is worked out when the flow runs: the info says it
/// cannot be checked, and does not ask for org state or a variable's value, which would not
/// make it known.
#[test]
fn a_flow_expression_is_not_asked_of_the_user() {
    let flow = r#"inqueueCall:
  name: Support in-queue
  defaultLanguage: en-us
  startUpRef: "/inqueueCall/tasks/task[main]"
  tasks:
    - task:
        name: main
        refId: main
        actions:
          - setWrapupCode:
              name: By expression
              wrapupCode:
                exp: FindWrapupCode("Escalated")
"#;
    let main = r#"
resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}
resource "genesyscloud_routing_queue" "support" {
  name          = "Support"
  wrapup_codes  = [genesyscloud_routing_wrapupcode.resolved.id]
  queue_flow_id = genesyscloud_flow.in_queue.id
}
resource "genesyscloud_flow" "in_queue" {
  filepath = "${path.module}/flows/in_queue.yaml"
}
"#;
    let r = check_files(&[("main.tf", main), ("flows/in_queue.yaml", flow)]);
    assert_eq!(warnings_of_clean_load(&r), vec![]);
    let helps: Vec<&str> = (r.diagnostics.iter())
        .filter(|d| d.rule.name == "dynamic-reference")
        .filter_map(|d| d.help.as_deref())
        .collect();
    assert_eq!(
        helps,
        [
            "the flow works this value out when it runs: name the object with `lit:` to have it checked"
        ]
    );
}

/// A `moved` or `import` block's `to` is a resource address: `module.<call>.<type>.<name>`
/// there is a resource the module declares, not an output of the module.
#[test]
fn a_moved_or_imported_address_inside_a_module_is_its_resource() {
    let module = r#"
resource "genesyscloud_routing_queue" "this" {
  for_each = toset(["Support"])
  name     = each.key
}
output "queue_ids" {
  value = { for k, q in genesyscloud_routing_queue.this : k => q.id }
}
"#;
    let main = r#"
module "queues" {
  source = "./modules/queues"
}
moved {
  from = genesyscloud_routing_queue.support
  to   = module.queues.genesyscloud_routing_queue.this["Support"]
}
import {
  to = module.queues.genesyscloud_routing_queue.this["Support"]
  id = "0f3b2c1a-8a0e-4a57-9d2b-5c1e6b7a9f10"
}
moved {
  from = genesyscloud_routing_queue.sales
  to   = module.queues.genesyscloud_routing_queue.sales
}
"#;
    let r = check_files(&[("main.tf", main), ("modules/queues/main.tf", module)]);
    assert_eq!(
        warnings_of_clean_load(&r),
        vec![(
            "unresolved-reference",
            "module `queues` declares no resource `genesyscloud_routing_queue.sales`".to_owned()
        )]
    );
}

/// A rule set's code checked against the queue of a campaign that runs it: the information
/// names the rule set as the rule set and the campaign as the campaign (it called the rule
/// set an outbound campaign).
#[test]
fn a_code_unchecked_on_a_campaigns_queue_names_rule_set_and_campaign() {
    let main = r#"
variable "campaign_queue_id" {}
resource "genesyscloud_routing_wrapupcode" "lost" {
  name = "Lost"
}
resource "genesyscloud_routing_queue" "claims" {
  name         = "Claims"
  wrapup_codes = [genesyscloud_routing_wrapupcode.lost.id]
}
resource "genesyscloud_outbound_ruleset" "follow_up" {
  name     = "Claims follow-up"
  queue_id = genesyscloud_routing_queue.claims.id
  rules {
    name     = "lost"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.lost.id]
    }
  }
}
resource "genesyscloud_outbound_campaign" "callbacks" {
  name         = "Claims callbacks"
  queue_id     = var.campaign_queue_id
  rule_set_ids = [genesyscloud_outbound_ruleset.follow_up.id]
}
"#;
    let r = check_files(&[("main.tf", main)]);
    let said: Vec<(&str, String)> = (r.diagnostics.iter())
        .map(|d| (d.rule.name, d.message.to_string()))
        .collect();
    assert_eq!(
        said,
        [(
            "dynamic-reference",
            "cannot check the wrap-up code used by outbound rule set `Claims follow-up` on campaign `Claims callbacks`".to_owned()
        )]
    );
}

/// A queue's codes looked up by name with data sources, no state given: those lookups are not
/// resolved, but names are unique in an org, so a code of another name is none of them.
#[test]
fn codes_a_queue_looks_up_by_name_rule_out_codes_of_other_names() {
    let main = r#"
data "genesyscloud_routing_wrapupcode" "codes" {
  for_each = toset(["Resolved", "Escalated"])
  name     = each.key
}
resource "genesyscloud_routing_wrapupcode" "fraud" {
  name = "Fraud"
}
resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = [for c in data.genesyscloud_routing_wrapupcode.codes : c.id]
}
resource "genesyscloud_outbound_ruleset" "rs" {
  name     = "Retry"
  queue_id = genesyscloud_routing_queue.support.id
  rules {
    name     = "r"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.fraud.id]
    }
  }
}
"#;
    let r = check_files(&[("main.tf", main)]);
    assert_eq!(
        warnings_of_clean_load(&r),
        vec![(
            "wrapup-code-not-assigned",
            "wrap-up code `Fraud` is not assigned to queue `Support`".to_owned()
        )]
    );
    // Nor can that queue offer it: `unassigned-wrapup-code` does not say it may.
    let unassigned = (r.diagnostics.iter())
        .find(|d| d.rule.name == "unassigned-wrapup-code")
        .expect("Fraud is on no queue");
    assert!(unassigned.notes.is_empty(), "{:?}", unassigned.notes);
}

/// A data-action integration whose credential is the one the provider makes for an OAuth
/// client given `integration_credential_name`: named as the client's
/// `integration_credential_id` (the provider's documented form), or looked up by that name with
/// a data source. Either way the action runs as that client, and its permissions are checked.
#[test]
fn a_credential_the_provider_makes_for_a_client_leads_to_the_client() {
    let main = |credential: &str| {
        format!(
            r#"
resource "genesyscloud_auth_role" "da" {{
  name = "DA role"
  permission_policies {{
    domain      = "routing"
    entity_name = "queue"
    action_set  = ["view"]
  }}
}}
resource "genesyscloud_oauth_client" "da" {{
  name                        = "DA client"
  authorized_grant_type       = "CLIENT-CREDENTIALS"
  integration_credential_name = "DA credential"
  roles {{
    role_id     = genesyscloud_auth_role.da.id
    division_id = "*"
  }}
}}
data "genesyscloud_integration_credential" "da" {{
  name       = "DA credential"
  depends_on = [genesyscloud_oauth_client.da]
}}
resource "genesyscloud_integration" "da" {{
  intended_state   = "ENABLED"
  integration_type = "purecloud-data-actions"
  config {{
    name        = "DA"
    credentials = {{ pureCloudOAuthClient = {credential} }}
  }}
}}
resource "genesyscloud_integration_action" "codes" {{
  name           = "Get a wrap-up code"
  category       = "Routing"
  integration_id = genesyscloud_integration.da.id
  config_request {{
    request_type         = "GET"
    request_url_template = "/api/v2/routing/wrapupcodes/$${{input.codeId}}"
    request_template     = "$${{input.rawRequest}}"
  }}
}}
"#
        )
    };
    for credential in [
        "genesyscloud_oauth_client.da.integration_credential_id",
        "data.genesyscloud_integration_credential.da.id",
    ] {
        let r = check_files(&[("main.tf", &main(credential))]);
        let said: Vec<(&str, String)> = (r.diagnostics.iter())
            .map(|d| (d.rule.name, d.message.to_string()))
            .collect();
        assert_eq!(
            said,
            [(
                "missing-permission",
                "OAuth client `DA client` lacks `routing:wrapupCode:view` for `GET /api/v2/routing/wrapupcodes/{codeId}`".to_owned()
            )],
            "{credential}"
        );
    }
}

/// `setsubtract` ("every code but these") and `setintersection` are evaluated, so the codes of
/// queues built with them are known; an element they cannot compare leaves the result unknown.
#[test]
fn codes_built_with_set_functions_are_known() {
    let main = r#"
variable "extra" {}
resource "genesyscloud_routing_wrapupcode" "c" {
  for_each = toset(["A", "B", "C"])
  name     = each.key
}
locals {
  ids = { for k, v in genesyscloud_routing_wrapupcode.c : k => v.id }
}
resource "genesyscloud_routing_queue" "all_but_c" {
  name         = "All but C"
  wrapup_codes = setsubtract(values(local.ids), [local.ids["C"]])
}
resource "genesyscloud_routing_queue" "common" {
  name         = "Common"
  wrapup_codes = setintersection([local.ids["A"], local.ids["C"]], [local.ids["A"], local.ids["B"]])
}
resource "genesyscloud_routing_queue" "unknown" {
  name         = "Unknown"
  wrapup_codes = setsubtract(values(local.ids), [var.extra])
}
resource "genesyscloud_outbound_ruleset" "rs" {
  for_each = {
    all_but_c = genesyscloud_routing_queue.all_but_c.id
    common    = genesyscloud_routing_queue.common.id
    unknown   = genesyscloud_routing_queue.unknown.id
  }
  name     = each.key
  queue_id = each.value
  rules {
    name     = "r"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [local.ids["A"], local.ids["B"], local.ids["C"]]
    }
  }
}
"#;
    let r = check_files(&[("main.tf", main)]);
    let mut said: Vec<String> = (r.diagnostics.iter())
        .filter(|d| d.rule.name == "wrapup-code-not-assigned")
        .map(|d| d.message.to_string())
        .collect();
    said.sort();
    assert_eq!(
        said,
        [
            "wrap-up code `B` is not assigned to queue `Common`",
            "wrap-up code `C` is not assigned to queue `All but C`",
            "wrap-up code `C` is not assigned to queue `Common`",
        ]
    );
}

/// Queues and codes kept in a YAML file read with `yamldecode(file(...))` are known; a file that
/// YAML readers may read differently (an alias, `yes`) leaves the value unknown, never guessed.
#[test]
fn queues_and_codes_from_a_yaml_file_are_checked() {
    let yaml = r#"# edited by the CX team
wrapup_codes:
  - Resolved
  - "Escalated"
  - 'No Answer'
queues:
  Support:
    acw_timeout_ms: 300000
    codes: [Resolved, Escalated]
  "Sales":
    codes:
      - No Answer
rulesets:
  retry:
    queue: Sales
    codes: [No Answer, Escalated]
"#;
    let main = r#"
locals {
  cfg = yamldecode(file("${path.module}/config.yaml"))
}
resource "genesyscloud_routing_wrapupcode" "c" {
  for_each = toset(local.cfg.wrapup_codes)
  name     = each.value
}
resource "genesyscloud_routing_queue" "q" {
  for_each       = local.cfg.queues
  name           = each.key
  acw_timeout_ms = each.value.acw_timeout_ms == null ? null : each.value.acw_timeout_ms + 0
  wrapup_codes   = [for c in each.value.codes : genesyscloud_routing_wrapupcode.c[c].id]
}
resource "genesyscloud_outbound_ruleset" "r" {
  for_each = local.cfg.rulesets
  name     = each.key
  queue_id = genesyscloud_routing_queue.q[each.value.queue].id
  rules {
    name     = "r"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [for c in each.value.codes : genesyscloud_routing_wrapupcode.c[c].id]
    }
  }
}
"#;
    let r = check_files(&[("main.tf", main), ("config.yaml", yaml)]);
    assert_eq!(
        warnings_of_clean_load(&r),
        vec![(
            "wrapup-code-not-assigned",
            "wrap-up code `Escalated` is not assigned to queue `Sales`".to_owned()
        )]
    );
    let alias = yaml
        .replace(
            "codes: [Resolved, Escalated]",
            "codes: &support [Resolved, Escalated]",
        )
        .replace("codes: [No Answer, Escalated]", "codes: *support");
    let tag = yaml.replace("queue: Sales", "queue: !!str Sales");
    for unsure in [alias, tag] {
        let yaml = unsure;
        let r = check_files(&[("main.tf", main), ("config.yaml", &yaml)]);
        assert_eq!(warnings_of_clean_load(&r), vec![], "{yaml}");
    }
}

/// `one(...)` over a resource that `count` toggles is that resource when it exists, and null when
/// it does not (`one` of more than one is Terraform's error: unknown here).
#[test]
fn one_of_a_toggled_resource_is_that_resource() {
    let main = |enabled: &str| {
        format!(
            r#"
variable "enabled" {{
  default = {enabled}
}}
resource "genesyscloud_routing_wrapupcode" "lost" {{
  name = "Lost"
}}
resource "genesyscloud_routing_queue" "outbound" {{
  count        = var.enabled ? 1 : 0
  name         = "Outbound"
  wrapup_codes = []
}}
resource "genesyscloud_outbound_ruleset" "rs" {{
  name     = "Retry"
  queue_id = one(genesyscloud_routing_queue.outbound[*].id)
  rules {{
    name     = "r"
    category = "DIALER_WRAPUP"
    conditions {{
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.lost.id]
    }}
  }}
}}
"#
        )
    };
    let said = |enabled: &str| {
        let r = check_files(&[("main.tf", &main(enabled))]);
        (r.diagnostics.iter())
            .filter(|d| d.rule.name == "wrapup-code-not-assigned")
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        said("true"),
        ["wrap-up code `Lost` is not assigned to queue `Outbound`"]
    );
    assert!(said("false").is_empty());
}

/// Codes kept in a CSV file read with `csvdecode(file(...))` are known: CRLF line ends, quoted
/// fields with commas and doubled quotes, and empty lines are read as Terraform reads them; a
/// row of another length (Terraform's error) leaves the value unknown.
#[test]
fn codes_from_a_csv_file_are_checked() {
    let csv = "name,description,queue\r\nResolved,\"Issue resolved, no follow-up\",Support\r\nEscalated,\"Handed to \"\"tier 2\"\"\",Support\r\n\r\nLost,Sale lost,Sales\r\n";
    let main = r#"
locals {
  codes = { for r in csvdecode(file("${path.module}/codes.csv")) : r.name => r }
}
resource "genesyscloud_routing_wrapupcode" "c" {
  for_each    = local.codes
  name        = each.key
  description = each.value.description
}
resource "genesyscloud_routing_queue" "q" {
  for_each     = toset([for c in local.codes : c.queue])
  name         = each.key
  wrapup_codes = [for c in local.codes : genesyscloud_routing_wrapupcode.c[c.name].id if c.queue == each.key]
}
resource "genesyscloud_outbound_ruleset" "rs" {
  name     = "Retry"
  queue_id = genesyscloud_routing_queue.q["Sales"].id
  rules {
    name     = "r"
    category = "DIALER_WRAPUP"
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.c["Escalated"].id, genesyscloud_routing_wrapupcode.c["Lost"].id]
    }
  }
}
"#;
    let r = check_files(&[("main.tf", main), ("codes.csv", csv)]);
    assert_eq!(
        warnings_of_clean_load(&r),
        vec![(
            "wrapup-code-not-assigned",
            "wrap-up code `Escalated` is not assigned to queue `Sales`".to_owned()
        )]
    );
    let short_row = csv.replace("Lost,Sale lost,Sales", "Lost,Sales");
    let r = check_files(&[("main.tf", main), ("codes.csv", &short_row)]);
    assert_eq!(warnings_of_clean_load(&r), vec![]);
}

/// Codes named after the files that describe them (`trimsuffix(basename(f), ".txt")`): the
/// instances' keys are known, so a code named that no file declares is reported, as it is
/// for a literal `for_each`, and one a file declares is not.
#[test]
fn codes_named_from_file_names_are_checked() {
    let main = r#"
locals {
  names = toset([for f in fileset(path.module, "codes/*.txt") : trimsuffix(basename(f), ".txt")])
}
resource "genesyscloud_routing_wrapupcode" "c" {
  for_each = local.names
  name     = each.key
}
resource "genesyscloud_routing_queue" "q" {
  name         = "Support"
  wrapup_codes = [genesyscloud_routing_wrapupcode.c["Resolved"].id, genesyscloud_routing_wrapupcode.c["Escalated"].id]
}
"#;
    let r = check_files(&[
        ("main.tf", main),
        ("codes/Resolved.txt", "Issue resolved\n"),
        ("codes/Lost.txt", "Sale lost\n"),
    ]);
    let found = warnings_of_clean_load(&r);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "unresolved-reference", "{found:?}");
    assert!(found[0].1.contains("Escalated"), "{found:?}");
}
