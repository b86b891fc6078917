//! The command line as users see it: exit code, stdout and stderr, snapshotted with insta-cmd.
//! Every command runs from the repository root with a clean environment (no `CXLINT_*`,
//! `TF_VAR_*`, `GITHUB_*`), so results do not depend on the machine.

use std::path::{Path, PathBuf};
use std::process::Command;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `cxlint` in `dir` with a scrubbed environment.
fn cxlint_in(dir: &Path) -> Command {
    let mut cmd = Command::new(get_cargo_bin("cxlint"));
    cmd.current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("CXLINT_")
            || k.starts_with("TF_VAR_")
            || k.starts_with("GITHUB_")
            || k == "NO_COLOR"
        {
            cmd.env_remove(k);
        }
    }
    cmd.env("CI", "true");
    cmd
}

fn cxlint() -> Command {
    cxlint_in(&root())
}

/// Temporary paths differ per run: hide them in snapshots.
macro_rules! with_filters {
    ($($body:tt)*) => {
        insta::with_settings!({filters => vec![
            (r"/tmp/[^\s`'\x22:]+", "[TMP]"),
            (r"(?m)\s+$", ""),
        ]}, { $($body)* })
    };
}

// ----- the demo, as in the README's quick start -----

#[test]
fn demo_human() {
    assert_cmd_snapshot!(cxlint().args(["check", "testdata/demo", "--color", "never"]));
}

#[test]
fn demo_json() {
    assert_cmd_snapshot!(cxlint().args(["check", "testdata/demo", "--format", "json"]));
}

#[test]
fn demo_every_format_renders_and_exits_1() {
    for format in ALL_FORMATS {
        let out = cxlint()
            .args(["check", "testdata/demo", "--format", format])
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("integrations.tf"),
            "{format} does not name the files"
        );
        // The demo's literal secret must never appear, in any format.
        assert!(
            !stdout.contains("rT9x-Qm2vL8kZpW4yN6bC1dF3gH5jK7s"),
            "{format} leaks the secret"
        );
    }
}

/// `cxlint ARGS` in `dir`: its exit code and standard output.
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = cxlint_in(dir).args(args).output().expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// `cxlint check . --format FORMAT` in `dir`: its exit code and standard output.
fn check_here(dir: &Path, format: &str) -> (Option<i32>, String) {
    run_in(dir, &["check", ".", "--format", format])
}

/// Every `--format` (the list the binary validates against).
const ALL_FORMATS: [&str; 9] = cxlint::settings::FORMATS;

/// `cxlint ARGS --format FORMAT` in `dir` for each of `formats`: asserts the exit code, and that
/// none of `secrets` is on standard output or standard error. Each format's standard output.
fn outputs_hiding(
    dir: &Path,
    args: &[&str],
    formats: &[&'static str],
    code: i32,
    secrets: &[&str],
) -> Vec<(&'static str, String)> {
    let mut outputs = Vec::new();
    for &format in formats {
        let out = (cxlint_in(dir).args(args).args(["--format", format]))
            .output()
            .expect("run");
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(code), "{format}: {stdout}{stderr}");
        for secret in secrets {
            assert!(
                !stdout.contains(secret) && !stderr.contains(secret),
                "{format} shows {secret}: {stdout}{stderr}"
            );
        }
        outputs.push((format, stdout));
    }
    outputs
}

/// Each output of [`outputs_hiding`] in a format that quotes messages verbatim (all but
/// checkstyle and junit, whose XML escapes them) holds `message` `n` times.
fn each_message_count(outputs: &[(&str, String)], message: &str, n: usize) {
    for (format, stdout) in outputs {
        if !matches!(*format, "checkstyle" | "junit") {
            assert_eq!(stdout.matches(message).count(), n, "{format}: {stdout}");
        }
    }
}

/// Each output of [`outputs_hiding`] reports a parse error, by name or by code.
fn each_shows_a_parse_error(outputs: &[(&str, String)]) {
    for (format, stdout) in outputs {
        assert!(
            stdout.contains("parse-error") || stdout.contains("CX901"),
            "{format}: {stdout}"
        );
    }
}

#[test]
fn stand_in_secrets_are_not_reported_but_still_redacted() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The stand-in sits next to a finding, so the human report's source excerpt covers its line.
    std::fs::write(
        dir.path().join("main.tf"),
        "locals {\n  code     = genesyscloud_routing_wrapupcode.missing.id\n  password = \"your-password-here\"\n}\n",
    )
    .expect("write");
    for format in ["human", "json"] {
        let (code, stdout) = check_here(dir.path(), format);
        assert_eq!(code, Some(1), "{format}: {stdout}");
        assert!(
            stdout.contains("unresolved-reference"),
            "{format}: {stdout}"
        );
        assert!(!stdout.contains("hardcoded-secret"), "{format}: {stdout}");
        assert!(!stdout.contains("your-password-here"), "{format}: {stdout}");
    }
}

/// A secret written without quotes is a bare name to Terraform: reported as such, never quoted
/// in a message and masked in every report's source text.
#[test]
fn unquoted_secrets_are_reported_without_being_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "provider \"genesyscloud\" {\n  oauthclient_secret = Zx9QwErTyU1oP\n}\n\
         locals {\n  creds = { clientSecret = Qq7SeCrEt99 }\n}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("terraform.tfvars"),
        "client_secret = Pp8SeCrEt77\n",
    )
    .expect("write");
    let formats = ["human", "json", "sarif", "github", "compact"];
    let secrets = ["Zx9QwErTyU1oP", "Qq7SeCrEt99", "Pp8SeCrEt77"];
    for (format, stdout) in outputs_hiding(dir.path(), &["check", "."], &formats, 1, &secrets) {
        assert_eq!(
            stdout.matches("a bare name where a secret goes").count(),
            3,
            "{format}: {stdout}"
        );
    }
}

/// A commented-out secret is still in the repository: reported, and masked in every report
/// whose source text shows its line.
#[test]
fn commented_out_secrets_are_reported_without_being_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "provider \"genesyscloud\" {\n  # oauthclient_secret = \"Zx9QwErTyU1oPa7S\"\n}\n\
         /*\nlocals {\n  creds = { \"clientSecret\": \"Qq7SeCrEt99xYz\" }\n}\n*/\n\
         locals {\n  # password = \"your-password\" (a stand-in: masked, not reported)\n  \
         code = genesyscloud_routing_wrapupcode.missing.id // token = \"Tt5SeCrEt55aBc\"\n}\n",
    )
    .expect("write");
    let formats = ["human", "json", "sarif", "github", "compact"];
    let secrets = [
        "Zx9QwErTyU1oPa7S",
        "Qq7SeCrEt99xYz",
        "Tt5SeCrEt55aBc",
        "your-password",
    ];
    let outputs = outputs_hiding(dir.path(), &["check", "."], &formats, 1, &secrets);
    each_message_count(&outputs, "is a literal secret, in a comment", 3);
}

/// A file that cannot be parsed is shown around its error: the secrets on those lines are found
/// by their shape and masked, in configuration, state and flow files alike.
#[test]
fn secrets_beside_a_parse_error_are_not_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"genesyscloud_oauth_client\" \"c\" {\n  client_secret = \"Hh7Gk2PqL9xVw3Rt\"\n  \
         roles { role_id = \"x\" division_id = \"*\" }\n}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("org.tfstate"),
        "{\n  \"version\": 4,\n  \"resources\": [{\"type\": \"genesyscloud_oauth_client\", \"name\": \"c\",\n    \
         \"instances\": [{\"attributes\": {\n      \"client_secret\": \"Ss3StAtE77qWeRtY\",,\n    }}]}]\n}\n",
    )
    .expect("write");
    let args = ["check", ".", "--state", "org.tfstate"];
    let formats = ["human", "json", "sarif", "compact"];
    let secrets = ["Hh7Gk2PqL9xVw3Rt", "Ss3StAtE77qWeRtY"];
    for (format, stdout) in outputs_hiding(dir.path(), &args, &formats, 2, &secrets) {
        assert!(
            stdout.matches("parse-error").count() >= 2,
            "{format}: {stdout}"
        );
    }
}

/// A string left open is the parse error itself, and the snippet shows its line: the value runs
/// to the line's end, and is masked. So are a heredoc's lines, closed or not, an unquoted value
/// and the strings of an expression, in `.tf`, `.tf.json` and `.tfvars` files alike.
#[test]
fn secrets_left_open_beside_a_parse_error_are_not_shown() {
    let dir = project(&[
        (
            "main.tf",
            b"resource \"genesyscloud_integration_credential\" \"c\" {\n  name = \"c\"\n  \
              credential_type_name = \"pureCloudOAuthClient\"\n  fields = {\n    \
              clientSecret = \"Zq8vLm3nRt6yWp1xKc4bHs7dFg2jNa5e\n  }\n}\n",
        ),
        (
            "heredoc.tf",
            b"locals {\n  password = <<-EOT\n    Hq4sWq8ZmX2rTy6vBn\n  }\n",
        ),
        (
            "expression.tf",
            b"locals {\n  password = Hd4sWq8ZmX2rTy6vBn\n  token = coalesce(var.t, \"He4sWq8ZmX2rTy6vBn\")\n  x = = 1\n}\n",
        ),
        (
            "broken.tf.json",
            b"{\n  \"locals\": {\n    \"client_secret\": \"Jc8vLm3nRt6yWp1xKc4bHs7\n  }\n}\n",
        ),
        ("terraform.tfvars", b"client_secret = \"Hf4sWq8ZmX2rTy6vBn\n"),
    ]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--color", "never"]));
    }
    let formats = ["human", "json", "sarif", "compact", "github"];
    let secrets = [
        "Zq8vLm3nRt6yWp1xKc4bHs7dFg2jNa5e",
        "Hq4sWq8ZmX2rTy6vBn",
        "Hd4sWq8ZmX2rTy6vBn",
        "He4sWq8ZmX2rTy6vBn",
        "Jc8vLm3nRt6yWp1xKc4bHs7",
        "Hf4sWq8ZmX2rTy6vBn",
    ];
    for (format, stdout) in outputs_hiding(dir.path(), &["check", "."], &formats, 2, &secrets) {
        assert!(
            stdout.matches("parse-error").count() >= 5,
            "{format}: {stdout}"
        );
    }
}

/// A plan or state cut off or broken is shown beside its error as written: a value nested under a
/// secret's key (a plan's `"variables": {"oauthclient_secret": {"value": ...}}`, a state's
/// outputs), or in an output marked `"sensitive": true` whatever its name, is masked in every
/// format; so is one in an object under a secret's key in `.tfvars`.
#[test]
fn secrets_nested_in_a_broken_plan_or_state_are_not_shown() {
    let dir = project(&[
        ("main.tf", b"locals {}\n"),
        (
            "plan-trunc.json",
            b"{\n  \"format_version\": \"1.2\",\n  \"terraform_version\": \"1.9.8\",\n  \
              \"variables\": {\n    \"oauthclient_secret\": {\n      \
              \"value\": \"Zq8uVtF3kP9wRxL2mN7bYcD4hJ6sG1aE0oTzWvUq\"\n",
        ),
        (
            "named.tfstate",
            b"{\n  \"version\": 4,\n  \"terraform_version\": \"1.9.8\",\n  \"serial\": 3,\n  \
              \"outputs\": {\n    \"data_actions_client_secret\": {\n      \
              \"value\": \"Hx7pQ2wErT9yUiO1aSdF3gHjK5lZxC8vB\",\n      ,\"type\": \"string\",\n      \
              \"sensitive\": true\n    }\n  },\n  \"resources\": []\n}\n",
        ),
        (
            "marked.tfstate",
            b"{\n  \"version\": 4,\n  \"terraform_version\": \"1.9.8\",\n  \"serial\": 3,\n  \
              \"outputs\": {\n    \"integration_credentials\": {\n      \
              \"value\": {\"id\": \"svc\", \"key\": \"Mk4rTq9vWz2xLp7sNb3c\"},\n      \
              ,\"type\": [\"object\", {\"id\": \"string\", \"key\": \"string\"}],\n      \
              \"sensitive\": true\n    }\n  },\n  \"resources\": []\n}\n",
        ),
        (
            "terraform.tfvars",
            b"oauthclient_secret = {\n  prod = \"Tv6pWq8ZmX2rTy6vBnLk\"\n  dev  = = 1\n}\n",
        ),
    ]);
    let args = [
        "check",
        ".",
        "--state",
        "plan-trunc.json",
        "--state",
        "named.tfstate",
        "--state",
        "marked.tfstate",
        "--color",
        "never",
    ];
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(args));
    }
    let secrets = [
        "Zq8uVtF3kP9wRxL2mN7bYcD4hJ6sG1aE0oTzWvUq",
        "Hx7pQ2wErT9yUiO1aSdF3gHjK5lZxC8vB",
        "Mk4rTq9vWz2xLp7sNb3c",
        "Tv6pWq8ZmX2rTy6vBnLk",
    ];
    each_shows_a_parse_error(&outputs_hiding(
        dir.path(),
        &args,
        &ALL_FORMATS,
        2,
        &secrets,
    ));
}

/// Architect flows are committed beside the configuration: a literal secret in one (a data
/// action's input, nested by indentation under its name; a flow variable's initial value) is
/// reported, and masked in every format, also beside the parse error of a flow that is broken;
/// a `{{placeholder}}` that the flow's substitutions fill in is not a literal.
#[test]
fn secrets_in_flows_are_reported_and_never_shown() {
    let dir = project(&[
        (
            "main.tf",
            b"variable \"crm_token\" {\n  sensitive = true\n}\n\
              resource \"genesyscloud_flow\" \"main\" {\n  filepath = \"${path.module}/flows/main.yaml\"\n  \
              substitutions = { crm_token = var.crm_token }\n}\n\
              resource \"genesyscloud_flow\" \"broken\" {\n  filepath = \"${path.module}/flows/broken.yaml\"\n}\n",
        ),
        (
            "flows/main.yaml",
            b"workflow:\n  name: Main\n  variables:\n    - stringVariable:\n        name: Flow.apiKey\n        \
              initialValue:\n          lit: Vq7tWq8ZmX2rTy6vBnLk\n  actions:\n    - callData:\n        \
              name: Look up\n        category:\n          Acme CRM:\n            dataAction:\n              \
              Get account:\n                inputs:\n                  apiToken:\n                    \
              lit: Tq7tWq8ZmX2rTy6vBnLk\n                  crmToken:\n                    \
              lit: \"{{crm_token}}\"\n",
        ),
        (
            "flows/broken.yaml",
            b"workflow:\n  name: Broken\n  inputs:\n    password:\n      lit: Pq7tWq8ZmX2rTy6vBnLk\n    \
              queue: \"Support\n  next: 1\n",
        ),
    ]);
    let args = ["check", ".", "--color", "never"];
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(args));
    }
    let secrets = ["q7tWq8ZmX2rTy6vBnLk"];
    let outputs = outputs_hiding(dir.path(), &args, &ALL_FORMATS, 2, &secrets);
    each_message_count(&outputs, "is a literal secret, in a flow", 3);
    // Masked by where it is, not because the rule reports it: the parse error's snippet
    // shows the line above the error.
    let args = ["check", ".", "--select", "parse-error"];
    each_shows_a_parse_error(&outputs_hiding(
        dir.path(),
        &args,
        &ALL_FORMATS,
        2,
        &secrets,
    ));
}

/// Secrets written inside function calls, conditionals, parentheses and `for` expressions are
/// reported, and masked in every format, as those written directly under their key.
#[test]
fn secrets_inside_calls_and_conditionals_are_reported_without_being_shown() {
    let dir = project(&[(
        "main.tf",
        b"variable \"base\" {\n  default = {}\n}\n\
          resource \"genesyscloud_integration_credential\" \"c\" {\n  name = \"c\"\n  \
          credential_type_name = \"pureCloudOAuthClient\"\n  \
          fields = merge(var.base, { clientId = \"svc\", clientSecret = \"Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdC\" })\n}\n\
          locals {\n  \
          template = jsonencode({ client_id = \"svc\", client_secret = \"Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdG\" })\n  \
          chosen = length(var.base) > 0 ? { token = \"Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdI\" } : {}\n  \
          per_env = { for e in [\"dev\"] : e => ({ password = \"Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gdK\" }) }\n  \
          key_only = lookup(var.base, \"client_secret\", \"\")\n}\n",
    )]);
    let secrets = ["Zk9xQ2mZ9vK4tR8wLn3bYc6dFs1gd"];
    let outputs = outputs_hiding(dir.path(), &["check", "."], &ALL_FORMATS, 1, &secrets);
    each_message_count(&outputs, "is a literal secret", 4);
}

/// `--show-config` masks every variable's value: `--var` is how CI passes its secrets.
#[test]
fn show_config_masks_variable_values() {
    let dir = project(&[(
        ".cxlint.toml",
        b"[check]\nvars = { region = \"us-east-1\" }\n",
    )]);
    assert_cmd_snapshot!(cxlint_in(dir.path()).args([
        "check",
        "--show-config",
        "--var",
        "password=Hx7pQ2mZ9vK4tR8wLn3bYc6dFs1gJa5e",
        "--var",
        "empty=",
    ]));
    // Nor is a `--var` without its name, which may be the secret alone, echoed in the error.
    let out = cxlint_in(dir.path())
        .args(["check", "--var", "Hx7pQ2mZ9vK4tR8wLn3bYc6dFs1gJa5e"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("NAME=VALUE") && !stderr.contains("Hx7pQ2m"),
        "{stderr}"
    );
}

/// Automatic variable files apply in Terraform's order, later winning: `terraform.tfvars`,
/// `terraform.tfvars.json`, then the `*.auto.tfvars[.json]` files by name.
#[test]
fn automatic_tfvars_apply_in_terraforms_order() {
    let main = "variable \"scope\" {\n  type = string\n}\nresource \"genesyscloud_oauth_client\" \"a\" {\n  name = \"A\"\n  authorized_grant_type = \"CODE\"\n  scopes = [var.scope]\n}\n";
    let scope = |s: &str| format!("scope = \"{s}:bad\"\n");
    let dir = project(&[
        ("main.tf", main.as_bytes()),
        ("terraform.tfvars", scope("plain").as_bytes()),
        ("terraform.tfvars.json", b"{\"scope\": \"json:bad\"}"),
        // Sorts before `terraform.tfvars`, and still wins over it.
        ("a.auto.tfvars", scope("a-auto").as_bytes()),
        ("b.auto.tfvars.json", b"{\"scope\": \"b-auto-json:bad\"}"),
        ("c.auto.tfvars", scope("c-auto").as_bytes()),
    ]);
    let shown = |dir: &Path| {
        let (_, stdout) = check_here(dir, "compact");
        let at = stdout
            .find("` is not a Genesys Cloud OAuth scope")
            .expect(&stdout);
        let start = stdout[..at].rfind('`').expect("opening quote") + 1;
        stdout[start..at].to_owned()
    };
    assert_eq!(shown(dir.path()), "c-auto:bad");
    std::fs::remove_file(dir.path().join("c.auto.tfvars")).expect("remove");
    assert_eq!(shown(dir.path()), "b-auto-json:bad");
    std::fs::remove_file(dir.path().join("b.auto.tfvars.json")).expect("remove");
    assert_eq!(shown(dir.path()), "a-auto:bad");
    std::fs::remove_file(dir.path().join("a.auto.tfvars")).expect("remove");
    assert_eq!(shown(dir.path()), "json:bad");
    std::fs::remove_file(dir.path().join("terraform.tfvars.json")).expect("remove");
    assert_eq!(shown(dir.path()), "plain:bad");
}

/// `--var` and `--var-file` apply in command-line order, the last winning, as in Terraform.
#[test]
fn var_and_var_file_apply_in_command_line_order() {
    let main = "variable \"scope\" {\n  type = string\n}\nresource \"genesyscloud_oauth_client\" \"a\" {\n  name = \"A\"\n  authorized_grant_type = \"CODE\"\n  scopes = [var.scope]\n}\n";
    let dir = project(&[
        ("main.tf", main.as_bytes()),
        ("one.tfvars", b"scope = \"one:bad\"\n"),
        ("two.tfvars", b"scope = \"two:bad\"\n"),
    ]);
    let shown = |args: &[&str]| {
        let out = (cxlint_in(dir.path()).args(["check", ".", "--format", "compact"]))
            .args(args)
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let at = stdout
            .find("` is not a Genesys Cloud OAuth scope")
            .expect(&stdout);
        let start = stdout[..at].rfind('`').expect("opening quote") + 1;
        stdout[start..at].to_owned()
    };
    let var = "scope=cli:bad";
    assert_eq!(
        shown(&["--var", var, "--var-file", "one.tfvars"]),
        "one:bad"
    );
    assert_eq!(
        shown(&["--var-file", "one.tfvars", "--var", var]),
        "cli:bad"
    );
    assert_eq!(
        shown(&[
            "--var-file",
            "one.tfvars",
            "--var",
            var,
            "--var-file",
            "two.tfvars"
        ]),
        "two:bad"
    );
    assert_eq!(
        shown(&[
            "--var",
            "scope=first:bad",
            "--var-file",
            "one.tfvars",
            "--var",
            var
        ]),
        "cli:bad"
    );
}

/// A `*.tfvars` Terraform reads only with `-var-file` is scanned all the same, and once when it
/// is also given with `--var-file`; its values apply only then. A broken one is a parse error.
#[test]
fn variable_files_not_loaded_by_terraform_are_scanned_once() {
    let dir = project(&[
        (
            "main.tf",
            b"variable \"client_secret\" {}\nvariable \"queue\" {\n  default = \"8f3a1c52-0b7e-4d1a-9c3e-2f6b7a8d9e01\"\n}\nresource \"genesyscloud_outbound_ruleset\" \"r\" {\n  name     = \"R\"\n  queue_id = var.queue\n}\n",
        ),
        (
            "env/lab.tfvars",
            b"client_secret = \"J7mQ2-lab-Xr9vTt4KpZ0wE6sYh3LdNc\"\nqueue = \"Support\"\n",
        ),
    ]);
    let run = |extra: &[&str]| {
        let out = (cxlint_in(dir.path()).args(["check", ".", "--format", "compact"]))
            .args(extra)
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        (out.status.code(), stdout)
    };
    let (code, stdout) = run(&[]);
    assert_eq!(code, Some(1), "{stdout}");
    assert_eq!(stdout.matches("hardcoded-secret").count(), 1, "{stdout}");
    assert!(!stdout.contains("J7mQ2"), "{stdout}");
    // Not applied: the queue stays the default's id.
    assert!(!stdout.contains("unknown-queue"), "{stdout}");
    let (code, stdout) = run(&["--var-file", "env/lab.tfvars"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert_eq!(stdout.matches("hardcoded-secret").count(), 1, "{stdout}");
    assert!(stdout.contains("`Support` is not a queue id"), "{stdout}");

    // A `terraform.tfvars` with no configuration beside it is a `-var-file` too.
    std::fs::create_dir_all(dir.path().join("envs/dev")).expect("mkdir");
    std::fs::write(
        dir.path().join("envs/dev/terraform.tfvars"),
        "client_secret = \"Q4nW8-dev-Lp2sVb7RtY5mK1xZc9HgFd\"\nqueue = \"Billing\"\n",
    )
    .expect("write");
    let (code, stdout) = run(&[]);
    assert_eq!(code, Some(1), "{stdout}");
    assert_eq!(stdout.matches("hardcoded-secret").count(), 2, "{stdout}");
    assert!(
        stdout.contains("envs/dev/terraform.tfvars:1:17"),
        "{stdout}"
    );
    assert!(!stdout.contains("unknown-queue"), "{stdout}");
    let (code, stdout) = run(&["--var-file", "envs/dev/terraform.tfvars"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert_eq!(stdout.matches("hardcoded-secret").count(), 2, "{stdout}");
    assert!(stdout.contains("`Billing` is not a queue id"), "{stdout}");

    std::fs::write(dir.path().join("env/broken.tfvars"), "x = {\n").expect("write");
    let (code, stdout) = run(&[]);
    assert_eq!(code, Some(2), "{stdout}");
    assert!(stdout.contains("env/broken.tfvars:1:5"), "{stdout}");
}

#[test]
fn demo_compact() {
    assert_cmd_snapshot!(cxlint().args(["check", "testdata/demo", "--format", "compact"]));
}

#[test]
fn fail_on_and_select() {
    // Only the warning rule runs: exit 0 with the default --fail-on error, 1 with warning.
    let run = |extra: &[&str]| {
        cxlint()
            .args([
                "check",
                "testdata/demo",
                "--format",
                "compact",
                "--select",
                "mandatory-wrapup-without-codes",
            ])
            .args(extra)
            .output()
            .expect("run")
            .status
            .code()
    };
    assert_eq!(run(&[]), Some(0));
    assert_eq!(run(&["--fail-on", "warning"]), Some(1));
    assert_eq!(run(&["--fail-on", "never"]), Some(0));
    // --ignore by code removes the errors.
    let out = cxlint()
        .args([
            "check",
            "testdata/demo",
            "--format",
            "compact",
            "--ignore",
            "CX101,CX301,CX305,CX307,CX302,CX401,CX402,CX403",
        ])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn output_file_is_written_and_stdout_is_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_file = dir.path().join("report.sarif");
    let out = cxlint()
        .args(["check", "testdata/demo", "--format", "sarif", "--output"])
        .arg(&out_file)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out_file).expect("written")).expect("json");
    assert_eq!(sarif["version"], "2.1.0");
}

/// `CXLINT_TIMINGS` (profiling) lists every phase on stderr, in order, with resident memory
/// unless it is `time`; stdout is the report as without it.
#[test]
fn timings_list_every_phase_with_or_without_memory() {
    let plain = cxlint()
        .args(["check", "testdata/demo", "--format", "json"])
        .output()
        .expect("cxlint runs");
    for (value, rss) in [("1", true), ("time", false)] {
        let out = cxlint()
            .env("CXLINT_TIMINGS", value)
            .args(["check", "testdata/demo", "--format", "json"])
            .output()
            .expect("cxlint runs");
        assert_eq!(out.status.code(), Some(1), "{value}");
        assert_eq!(out.stdout, plain.stdout, "{value}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let phases: Vec<&str> = stderr
            .lines()
            .filter_map(|l| l.strip_prefix("cxlint: timing: "))
            .collect();
        let names: Vec<&str> = phases
            .iter()
            .filter_map(|p| p.split_whitespace().next())
            .collect();
        assert_eq!(names.first(), Some(&"discover"), "{stderr}");
        assert_eq!(names.last(), Some(&"report"), "{stderr}");
        assert!(
            names.contains(&"read+parse") && names.contains(&"rules"),
            "{stderr}"
        );
        for p in &phases {
            assert!(p.contains(" ms"), "{p}");
            assert_eq!(p.contains(" MiB"), rss, "{value}: {p}");
        }
    }
}

// ----- bad input: a clear, located error, exit 2, never a panic -----

/// `cxlint check | head -1`: the report is streamed to stdout, so the reader going away
/// mid-report is an ordinary end, not an error (exit 1 for the findings, nothing on stderr).
#[test]
fn closed_stdout_is_not_an_error() {
    use std::io::Read;
    // Far more report than a pipe holds, so writes are still under way when the reader leaves.
    let tf: String = (0..2000)
        .map(|i| {
            format!(
                "resource \"genesyscloud_routing_queue\" \"q{i}\" {{\n  name = \"Q{i}\"\n  \
                 queue_flow_id = genesyscloud_flow.missing{i}.id\n}}\n"
            )
        })
        .collect();
    let dir = project(&[("main.tf", tf.as_bytes())]);
    for format in ["json", "human", "sarif"] {
        let mut child = cxlint_in(dir.path())
            .args(["check", ".", "--format", format, "--color", "never"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("cxlint starts");
        // Read one byte, then close the pipe: the rest of the report meets a closed reader.
        let mut stdout = child.stdout.take().expect("piped stdout");
        let mut first = [0u8; 1];
        stdout.read_exact(&mut first).expect("some output");
        drop(stdout);
        let out = child.wait_with_output().expect("cxlint exits");
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{format}");
    }
}

/// Every command that prints treats a reader that has gone as `check` does: its own exit code,
/// nothing on stderr, never a panic (exit 101).
#[test]
fn closed_stdout_is_not_an_error_for_any_command() {
    let dir = project(&[("main.tf", b"")]);
    let cases: [(&[&str], i32); 7] = [
        (&["explain", "--all"], 0),
        (&["explain", "CX101"], 0),
        (&["rules", "--format", "json"], 0),
        (
            &["api", "GET", "/api/v2/routing/queues", "--format", "json"],
            0,
        ),
        (&["api", "GET", "/api/v2/routing/queues"], 0),
        (
            &["api", "PATCH", "/api/v2/conversations/{conversationId}"],
            1,
        ),
        (&["check", "--show-config"], 0),
    ];
    for (args, code) in cases {
        let mut child = cxlint_in(dir.path())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("cxlint starts");
        // Closed before cxlint writes anything: every write meets a closed reader.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("cxlint exits");
        assert_eq!(
            (
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).as_ref()
            ),
            (Some(code), ""),
            "{args:?}"
        );
    }
}

/// A closed standard error (`cxlint check 2>&1 | head -1` once `head` is gone) loses what was
/// to be said there, but the exit code stays the run's: never a panic (exit 101).
#[test]
fn closed_stderr_is_not_a_crash() {
    let dir = project(&[(
        "broken.tf",
        b"resource \"genesyscloud_routing_queue\" \"q\" {\n",
    )]);
    let empty = tempfile::tempdir().expect("tempdir");
    let cases: [(&std::path::Path, &[&str], i32); 3] = [
        // Errors, then the "incomplete" note.
        (dir.path(), &["check"], 2),
        // A warning only.
        (empty.path(), &["check"], 0),
        (dir.path(), &["check", "--bogus"], 2),
    ];
    for (cwd, args, code) in cases {
        let mut child = cxlint_in(cwd)
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("cxlint starts");
        drop(child.stderr.take());
        let status = child.wait().expect("cxlint exits");
        assert_eq!(status.code(), Some(code), "{args:?}");
    }
}

fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
    dir
}

#[test]
fn malformed_hcl_is_a_located_parse_error_and_others_are_still_checked() {
    let dir = project(&[
        ("broken.tf", b"resource \"genesyscloud_routing_queue\" \"q\" {\n  name = \"Q\"\n"),
        ("ok.tf", b"resource \"genesyscloud_routing_queue\" \"billing\" {\n  name = \"Billing\"\n  acw_wrapup_prompt = \"MANDATORY\"\n  wrapup_codes = []\n}\n"),
    ]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--format", "compact"]));
    }
}

/// Terraform reads `.tf.json` and `.tfvars.json` as strict JSON: a comment or a trailing comma
/// that a lenient parser would let through fails `terraform validate`, so it is a parse error.
#[test]
fn json_that_terraform_rejects_is_a_located_parse_error() {
    let dir = project(&[
        ("main.tf.json", b"{\n  \"variable\": {\"queue\": {}},\n  \"resource\": {\"genesyscloud_routing_queue\": {\"q\": {\"name\": \"Q\",}}}\n}\n"),
        ("terraform.tfvars.json", b"// generated\n{\"queue\": \"Support\"}\n"),
    ]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--format", "compact"]));
    }
}

#[test]
fn binary_file_named_tf() {
    let dir = project(&[(
        "main.tf",
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00",
    )]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--format", "compact"]));
    }
}

#[test]
fn invalid_utf8() {
    let dir = project(&[(
        "main.tf",
        b"resource \"genesyscloud_routing_queue\" \"q\" {\n  name = \"Caf\xe9\"\n}\n",
    )]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--format", "compact"]));
    }
}

#[test]
fn empty_file_is_fine() {
    let dir = project(&[("main.tf", b"")]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check"]));
    }
}

#[test]
fn directory_that_does_not_exist() {
    assert_cmd_snapshot!(cxlint().args(["check", "testdata/no-such-dir"]));
}

/// A `*.tf` link in a checked directory is read as the file it points to, as Terraform does; one
/// that points nowhere fails the run (Terraform fails on it too), as when it is named. It was
/// skipped silently.
#[cfg(unix)]
#[test]
fn a_dangling_link_in_a_directory_is_an_error() {
    let dir = project(&[("main.tf", b""), ("shared/codes.tf", BILLING.as_bytes())]);
    std::os::unix::fs::symlink("shared/codes.tf", dir.path().join("codes.tf")).expect("link");
    std::os::unix::fs::symlink("gone.tf", dir.path().join("queues.tf")).expect("link");
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--format", "compact", "--no-config", "main.tf", "codes.tf", "queues.tf"]));
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--format", "compact", "--no-config"]));
    }
}

/// Variable files and scripts as Terraform treats them: a dangling `terraform.tfvars` is
/// looked for and passed over, a dangling `*.auto.tfvars` fails `plan`, and other variable
/// files and scripts are never read by Terraform, so their dangling links are no error.
#[cfg(unix)]
#[test]
fn dangling_variable_files_fail_only_where_terraform_fails() {
    let dir = project(&[("main.tf", b"variable \"x\" {\n  default = \"a\"\n}\n")]);
    for name in [
        "terraform.tfvars",
        "terraform.tfvars.json",
        "lab.tfvars",
        "hook.js",
    ] {
        std::os::unix::fs::symlink("gone", dir.path().join(name)).expect("link");
    }
    let run = || {
        cxlint_in(dir.path())
            .args(["check", "--format", "compact", "--no-config"])
            .output()
            .expect("run")
    };
    let out = run();
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).as_ref()
        ),
        (Some(0), "")
    );
    std::os::unix::fs::symlink("gone", dir.path().join("z.auto.tfvars")).expect("link");
    let out = run();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`z.auto.tfvars`: a symbolic link to `gone`, which cannot be read"),
        "{stderr}"
    );
    assert!(!stderr.contains("terraform.tfvars"), "{stderr}");
}

#[test]
fn truncated_state_is_a_parse_error_and_the_configuration_is_still_checked() {
    let dir = project(&[
        ("main.tf", b"resource \"genesyscloud_routing_queue\" \"billing\" {\n  name = \"Billing\"\n  acw_wrapup_prompt = \"MANDATORY\"\n  wrapup_codes = []\n}\n"),
        ("state/terraform.tfstate", b"{\"version\": 4, \"terraform_version\": \"1.9.0\", \"resources\": [{\"mode\": \"managed\", \"type\": \"genesyscloud_routing_queue\""),
    ]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "main.tf", "--state", "state/terraform.tfstate", "--format", "compact"]));
    }
}

/// Tools that lint changed files pass a flow's YAML (or a state) beside the `.tf` that names
/// it: skipped with a warning, not parsed as HCL; the flow is still checked through its
/// resource.
#[test]
fn files_named_that_are_not_terraform_are_skipped_and_said_so() {
    let dir = project(&[
        (
            "main.tf",
            b"resource \"genesyscloud_flow\" \"inbound\" {\n  filepath = \"flows/inbound.yaml\"\n}\n",
        ),
        (
            "flows/inbound.yaml",
            b"inboundCall:\n  name: Main IVR\n  defaultLanguage: en-us\n  startUpRef: \"{{missing}}\"\n",
        ),
        ("terraform.tfstate", b"{\"version\": 4}"),
    ]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args([
            "check",
            "main.tf",
            "flows/inbound.yaml",
            "terraform.tfstate",
            "--format",
            "compact",
        ]));
    }
}

/// One flow file, two flows: the values of one break its YAML (an unquoted placeholder takes
/// `Sales: EMEA`), those of the other do not. The parse error says whose values broke it.
#[test]
fn a_flow_broken_by_its_substitutions_is_named() {
    let dir = project(&[
        (
            "main.tf",
            b"resource \"genesyscloud_flow\" \"sales\" {\n  filepath      = \"flow.yaml\"\n  substitutions = { flow_name = \"Sales: EMEA\" }\n}\n\nresource \"genesyscloud_flow\" \"support\" {\n  filepath      = \"flow.yaml\"\n  substitutions = { flow_name = \"Support\" }\n}\n",
        ),
        (
            "flow.yaml",
            b"inboundCall:\n  name: {{flow_name}}\n  defaultLanguage: en-us\n",
        ),
    ]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--format", "compact"]));
    }
}

#[test]
fn a_state_that_is_not_a_state() {
    let dir = project(&[
        ("main.tf", b""),
        ("random.json", b"{\"hello\": [1, 2, 3]}"),
        ("notes.tfstate.txt", b"not json at all\n"),
    ]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args([
            "check",
            "main.tf",
            "--state",
            "random.json",
            "--state",
            "notes.tfstate.txt",
            "--format",
            "compact",
        ]));
    }
}

/// A state path that does not exist is named, with where it was given: the command line or the
/// config file's `[state] paths`.
#[test]
fn a_missing_state_path_is_named_with_its_origin() {
    let dir = project(&[("main.tf", b""), ("export/genesyscloud.tf", b"")]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--no-config", "--state", "exports/prod"]));
    }
    std::fs::write(
        dir.path().join(".cxlint.toml"),
        "[state]\npaths = [\"export/\", \"org-snapshot.json\"]\n",
    )
    .expect("write");
    let out = cxlint_in(dir.path())
        .args(["check", "-q"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).lines().next(),
        Some(
            "cxlint: error: cannot use state `org-snapshot.json` (from `[state] paths` in \
             `.cxlint.toml`): No such file or directory (os error 2)"
        )
    );
}

#[test]
fn bad_usage_exits_2() {
    let out = cxlint()
        .args(["check", "--format", "yaml"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = cxlint()
        .args(["check", "testdata/demo", "--select", "no-such-rule"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rule"));
}

/// `--select "$RULES"` with the variable empty ran no rule and passed; it is a usage error now.
/// An empty `CXLINT_SELECT` still counts as unset, as every empty `CXLINT_*` does.
#[test]
fn an_empty_select_is_a_usage_error() {
    assert_cmd_snapshot!(cxlint().args(["check", "testdata/demo", "--select", ""]));
    let out = cxlint()
        .args(["check", "testdata/demo", "--select", ","])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`--select`: no rule given"));
    for empty in ["", ","] {
        let out = cxlint()
            .env("CXLINT_SELECT", empty)
            .args(["check", "testdata/demo", "--format", "compact"])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "CXLINT_SELECT={empty:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("CX101"));
    }
}

// ----- configuration -----

#[test]
fn unknown_config_key_is_a_located_error() {
    let dir = project(&[
        ("main.tf", b""),
        (".cxlint.toml", b"[files]\nexclude = []\n\n[rulez]\nx = 1\n"),
    ]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check"]));
    }
}

#[test]
fn config_turns_rules_off_and_sets_levels() {
    let dir = project(&[
        ("main.tf", b"resource \"genesyscloud_routing_queue\" \"billing\" {\n  name = \"Billing\"\n  acw_wrapup_prompt = \"MANDATORY\"\n  wrapup_codes = []\n}\n"),
        (".cxlint.toml", b"[rules]\nmandatory-wrapup-without-codes = \"error\"\n"),
    ]);
    let out = cxlint_in(dir.path())
        .args(["check", "--format", "compact"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("error[CX106]"));
    std::fs::write(
        dir.path().join(".cxlint.toml"),
        "[rules]\nmandatory-wrapup-without-codes = \"off\"\n",
    )
    .expect("write");
    let out = cxlint_in(dir.path())
        .args(["check", "--format", "compact"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    // --no-config ignores the file.
    let out = cxlint_in(dir.path())
        .args(["check", "--format", "compact", "--no-config"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("warning[CX106]"));
}

/// INTERFACE.md: defaults < file < environment < command line. `--select X` ran no rule at all
/// when the config file ignored X or set it `off`, and exited 0.
#[test]
fn select_on_the_command_line_beats_an_ignore_or_off_below_it() {
    let dir = project(&[("main.tf", BILLING.as_bytes())]);
    let run = |config: &str, env: &[(&str, &str)], args: &[&str]| {
        std::fs::write(dir.path().join(".cxlint.toml"), config).expect("write");
        let out = cxlint_in(dir.path())
            .args(["check", "--format", "compact"])
            .args(args)
            .envs(env.iter().copied())
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let select = ["--select", "CX106", "--fail-on", "warning"];
    for config in [
        "[check]\nignore = [\"CX106\"]\n",
        "[check]\nignore = [\"mandatory-wrapup-without-codes\"]\n",
        "[rules]\nCX106 = \"off\"\n",
    ] {
        let (code, out) = run(config, &[], &select);
        assert_eq!(code, Some(1), "{config}: {out}");
        // `off` below gives way to the rule's default severity.
        assert!(
            out.contains("main.tf:4:18: warning[CX106]"),
            "{config}: {out}"
        );
    }
    // The environment is below the command line too.
    let (code, out) = run("", &[("CXLINT_IGNORE", "CX106")], &select);
    assert_eq!(code, Some(1), "{out}");
    // A level other than `off` is kept.
    let (_, out) = run("[rules]\nCX106 = \"error\"\n", &[], &select);
    assert!(out.contains("error[CX106]"), "{out}");
    // A higher layer's ignore beats a lower layer's select.
    for (config, env, args) in [
        (
            "[check]\nselect = [\"CX106\"]\n",
            &[][..],
            &["--ignore", "CX106"][..],
        ),
        (
            "[check]\nselect = [\"CX106\"]\n",
            &[("CXLINT_IGNORE", "CX106")][..],
            &[][..],
        ),
        (
            "",
            &[("CXLINT_SELECT", "CX106")][..],
            &["--ignore", "CX106"][..],
        ),
    ] {
        let (code, out) = run(config, env, args);
        assert_eq!(code, Some(0), "{config} {env:?} {args:?}: {out}");
        assert!(!out.contains("CX106"), "{config} {env:?} {args:?}: {out}");
    }
}

#[test]
fn config_levels_apply_to_findings_made_before_the_model() {
    // `unresolved-reference` finds undeclared names in a pass that runs beside the model build:
    // the configured level and `off` must reach those findings too.
    let dir = project(&[(
        "main.tf",
        b"resource \"genesyscloud_routing_queue\" \"q\" {\n  name = var.nme\n}\n",
    )]);
    let run = || {
        let out = cxlint_in(dir.path())
            .args(["check", "--format", "compact"])
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run().contains("error[CX104]"), "{}", run());
    let set = |level: &str| {
        std::fs::write(
            dir.path().join(".cxlint.toml"),
            format!("[rules]\nunresolved-reference = \"{level}\"\n"),
        )
        .expect("write")
    };
    set("info");
    let shown = run();
    assert!(
        shown.contains("info[CX104]") && !shown.contains("error[CX104]"),
        "{shown}"
    );
    set("off");
    assert!(!run().contains("CX104"), "{}", run());
}

/// `output`, `color` and `quiet` in `[check]` (and their `CXLINT_*` variables) act as the flags
/// do; a relative `output` is relative to the config file, as its other paths are.
#[test]
fn config_sets_output_color_and_quiet() {
    let dir = project(&[
        ("envs/prod/main.tf", BILLING.as_bytes()),
        (
            ".cxlint.toml",
            b"[check]\nformat = \"compact\"\noutput = \"reports/cxlint.txt\"\nquiet = true\n",
        ),
    ]);
    std::fs::create_dir(dir.path().join("reports")).expect("mkdir");
    let out = cxlint_in(&dir.path().join("envs/prod"))
        .args(["check"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    let report =
        std::fs::read_to_string(dir.path().join("reports/cxlint.txt")).expect("report written");
    assert!(
        report.starts_with("main.tf:4:18: warning[CX106]"),
        "{report}"
    );
    // Quiet: only findings, no summary line.
    assert_eq!(report.lines().count(), 1, "{report}");

    // The command line still wins, and colour is asked for where a flag would.
    std::fs::write(
        dir.path().join(".cxlint.toml"),
        "[check]\ncolor = \"always\"\noutput = \"reports/cxlint.txt\"\n",
    )
    .expect("write");
    let out = cxlint_in(&dir.path().join("envs/prod"))
        .args(["check", "--output", "here.txt"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let here = std::fs::read_to_string(dir.path().join("envs/prod/here.txt")).expect("written");
    assert!(here.contains("\u{1b}["), "no colour: {here}");
    let out = cxlint_in(&dir.path().join("envs/prod"))
        .env("CXLINT_COLOR", "never")
        .env("CXLINT_OUTPUT", "env.txt")
        .args(["check"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let env = std::fs::read_to_string(dir.path().join("envs/prod/env.txt")).expect("written");
    assert!(!env.contains("\u{1b}[") && env.contains("CX106"), "{env}");
}

#[test]
fn show_config_and_init() {
    let dir = project(&[("main.tf", b"")]);
    let out = cxlint_in(dir.path()).args(["init"]).output().expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.path().join(".cxlint.toml").is_file());
    // init never overwrites a user's file.
    let out = cxlint_in(dir.path()).args(["init"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = cxlint_in(dir.path())
        .args(["check", "--show-config"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("fail-on"));
}

// ----- suppressions and baselines -----

const BILLING: &str = "resource \"genesyscloud_routing_queue\" \"billing\" {\n  name = \"Billing\"\n  acw_wrapup_prompt = \"MANDATORY\"\n  wrapup_codes = []\n}\n";

#[test]
fn inline_suppression_and_unused_suppression() {
    let text = format!(
        "# cxlint-ignore: mandatory-wrapup-without-codes -- billing codes are decided next sprint\n{BILLING}\n# cxlint-ignore: duplicate-wrapup-code-name -- nothing here\nlocals {{}}\n"
    );
    let dir = project(&[("main.tf", text.as_bytes())]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--format", "compact"]));
    }
    // --no-inline-ignores shows everything again.
    let out = cxlint_in(dir.path())
        .args(["check", "--format", "compact", "--no-inline-ignores"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("CX106"));
}

/// A string holding quotes inside `${ }` (here `","` and `"flows/*.yaml"`) was read as closing
/// and reopening strings, so `/*` opened a block comment that hid every later suppression, and
/// a trailing one after `"https://"` was never seen.
#[test]
fn suppressions_after_strings_with_quotes_inside_interpolations() {
    let dir = project(&[
        (
            "main.tf",
            br#"locals {
  flow_files = "${join(",", fileset(path.module, "flows/*.yaml"))}"
}
resource "genesyscloud_routing_queue" "q" {
  name              = "Q"
  acw_wrapup_prompt = "MANDATORY"
  # cxlint-ignore: mandatory-wrapup-without-codes -- decided later
  wrapup_codes = []
}
"#,
        ),
        (
            "action.tf",
            br#"resource "genesyscloud_integration_action" "a" {
  name           = "A"
  category       = "C"
  integration_id = "3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f"
  config_request {
    request_type         = "GET"
    request_url_template = "/api/v2/nope/things${replace("", "https://", "")}" # cxlint-ignore: unknown-api-endpoint
  }
}
"#,
        ),
    ]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--format", "compact"]));
    }
}

#[test]
fn baseline_survives_inserted_lines_and_reports_new_findings() {
    let dir = project(&[("main.tf", BILLING.as_bytes())]);
    let out = cxlint_in(dir.path())
        .args([
            "check",
            "--write-baseline",
            "baseline.json",
            "--fail-on",
            "warning",
        ])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Insert lines above: the recorded finding stays hidden.
    std::fs::write(
        dir.path().join("main.tf"),
        format!("# a comment\n\n\n{BILLING}"),
    )
    .expect("write");
    let out = cxlint_in(dir.path())
        .args([
            "check",
            "--baseline",
            "baseline.json",
            "--fail-on",
            "warning",
            "--format",
            "compact",
        ])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // A new finding is still reported.
    let second = BILLING
        .replace("billing", "sales")
        .replace("Billing", "Sales");
    std::fs::write(dir.path().join("main.tf"), format!("{BILLING}{second}")).expect("write");
    let out = cxlint_in(dir.path())
        .args([
            "check",
            "--baseline",
            "baseline.json",
            "--fail-on",
            "warning",
            "--format",
            "compact",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("`Sales`") && !stdout.contains("`Billing`"),
        "{stdout}"
    );
}

#[test]
fn a_baseline_hides_the_secrets_it_recorded() {
    let main = "resource \"genesyscloud_oauth_client\" \"c\" {\n  name = \"C\"\n  authorized_grant_type = \"CODE\"\n  client_secret = \"Zq8vK2pL9xW4mT7r\"\n}\n";
    let dir = project(&[("main.tf", main.as_bytes())]);
    let run = |args: &[&str]| {
        (cxlint_in(dir.path()).args([
            "check",
            "--format",
            "compact",
            "--select",
            "hardcoded-secret",
        ]))
        .args(args)
        .output()
        .expect("run")
    };
    let out = run(&["--write-baseline", "baseline.json"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("CX301"));
    let recorded = std::fs::read_to_string(dir.path().join("baseline.json")).expect("written");
    assert!(!recorded.contains("Zq8vK2pL9xW4mT7r"), "{recorded}");
    let out = run(&["--baseline", "baseline.json"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(!stdout.contains("CX301"), "{stdout}");
    assert!(!stderr.contains("no longer match"), "{stderr}");
}

/// A parse failure never passes silently (INTERFACE.md): selection, "off", ignore comments and
/// baselines leave it reported.
#[test]
fn nothing_hides_a_parse_error() {
    let dir = project(&[
        (
            "broken.tf",
            b"# cxlint-ignore-file: parse-error\nlocals {\n  a = \n}\n",
        ),
        ("off.toml", b"[rules]\nparse-error = \"off\"\n"),
    ]);
    let run = |args: &[&str]| {
        let out = (cxlint_in(dir.path()).args(["check", ".", "--format", "compact"]))
            .args(args)
            .output()
            .expect("run");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stdout}");
        assert!(stdout.contains("broken.tf:3:"), "{args:?}: {stdout}");
        assert!(stdout.contains("(parse-error)"), "{args:?}: {stdout}");
        stdout
    };
    // The comment that tries to hide it is reported as hiding nothing.
    assert!(run(&[]).contains("unused suppression for `parse-error`"));
    run(&["--select", "hardcoded-secret"]);
    run(&["--ignore", "parse-error"]);
    run(&["--config", "off.toml"]);
    run(&["--write-baseline", "baseline.json"]);
    let recorded = std::fs::read_to_string(dir.path().join("baseline.json")).expect("written");
    assert!(
        !recorded.contains("\"rule\": \"parse-error\""),
        "{recorded}"
    );
    run(&["--baseline", "baseline.json"]);
}

/// A file that is not a baseline is named, located and said in the file's terms (it was
/// "invalid length 0, expected struct Document with 2 elements").
#[test]
fn a_baseline_that_is_not_one_is_a_located_error() {
    let dir = project(&[("main.tf", BILLING.as_bytes()), ("b.json", b"[]\n")]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--baseline", "b.json", "--format", "compact"]));
    }
}

/// A baseline is committed and read from wherever cxlint runs (CI in the repository's root, a
/// developer in `infra/`): its entries name files relative to its own directory. They were
/// relative to the directory that wrote it, and matched nothing from anywhere else (nine stale
/// entries, and every finding reported again). A flow-file-not-found message shows the path
/// from the working directory, so it differs from one directory to the next: its fingerprint
/// leaves the path out.
#[test]
fn a_baseline_matches_from_any_directory() {
    let flow = "provider \"genesyscloud\" {}\nresource \"genesyscloud_flow\" \"f\" {\n  filepath = \"${path.module}/flows/missing.yaml\"\n}\n";
    let dir = project(&[
        ("infra/queues.tf", BILLING.as_bytes()),
        ("infra/flows.tf", flow.as_bytes()),
        (
            ".cxlint.toml",
            b"[check]\nbaseline = \"bl.json\"\nfail-on = \"warning\"\n",
        ),
    ]);
    let (code, _) = run_in(
        dir.path(),
        &["check", "infra", "--write-baseline", "bl.json"],
    );
    assert_eq!(code, Some(1));
    let recorded = std::fs::read_to_string(dir.path().join("bl.json")).expect("written");
    insta::assert_snapshot!(recorded);
    for from in [dir.path().to_path_buf(), dir.path().join("infra")] {
        let (code, stdout) = run_in(&from, &["check", "--format", "compact"]);
        assert_eq!(code, Some(0), "from {}: {stdout}", from.display());
    }
    assert_cmd_snapshot!(
        cxlint_in(&dir.path().join("infra")).args(["check", "--format", "compact"])
    );
}

/// `--output` and `--write-baseline` never replace a file the run reads (a `.tf` file, a state,
/// the baseline or the config file), nor each other: exit 2, and every file as it was.
#[test]
fn reports_and_baselines_never_overwrite_the_runs_inputs() {
    let dir = project(&[
        ("infra/queues.tf", BILLING.as_bytes()),
        (".cxlint.toml", b"[check]\nfail-on = \"warning\"\n"),
    ]);
    run_in(dir.path(), &["check", "--write-baseline", "bl.json"]);
    let before: Vec<_> = ["infra/queues.tf", ".cxlint.toml", "bl.json"]
        .iter()
        .map(|f| std::fs::read(dir.path().join(f)).expect("read"))
        .collect();
    let cases: &[(&[&str], &str)] = &[
        (
            &["check", "--output", "infra/queues.tf"],
            "`--output` names `infra/queues.tf`, a file this run reads",
        ),
        (
            &["check", "--write-baseline", "./infra/../infra/queues.tf"],
            "`--write-baseline` names `infra/queues.tf`, a file this run reads",
        ),
        (
            &["check", "--baseline", "bl.json", "--output", "bl.json"],
            "`--output` names `bl.json`, a file this run reads",
        ),
        (
            &["check", "--output", ".cxlint.toml"],
            "`--output` names `.cxlint.toml`, a file this run reads",
        ),
        (
            &["check", "--write-baseline", "x.json", "--output", "x.json"],
            "`--write-baseline` and `--output` name the same file `x.json`",
        ),
    ];
    for (args, message) in cases {
        let out = cxlint_in(dir.path()).args(*args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    for (f, was) in ["infra/queues.tf", ".cxlint.toml", "bl.json"]
        .iter()
        .zip(before)
    {
        assert_eq!(std::fs::read(dir.path().join(f)).expect("read"), was, "{f}");
    }
    assert!(!dir.path().join("x.json").exists());
    // A file of the same name elsewhere is not an input.
    let (code, _) = run_in(dir.path(), &["check", "--output", "queues.tf"]);
    assert_eq!(code, Some(1));
    assert!(dir.path().join("queues.tf").exists());
}

/// The README's setup: `baseline = "cxlint-baseline.json"` in the config, and
/// `--write-baseline cxlint-baseline.json` to record or update it. The configured baseline is
/// the file `--write-baseline` rewrites, not an input it would destroy (it was refused as "a
/// file this run reads"); `--output` over it is still refused.
#[test]
fn write_baseline_updates_the_baseline_the_config_names() {
    let dir = project(&[
        ("queues.tf", BILLING.as_bytes()),
        (
            ".cxlint.toml",
            b"[check]\nfail-on = \"warning\"\nbaseline = \"cxlint-baseline.json\"\n",
        ),
    ]);
    // The first recording: the configured baseline does not exist yet.
    let out = (cxlint_in(dir.path()).args(["check", "--write-baseline", "cxlint-baseline.json"]))
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        run_in(dir.path(), &["check", "--format", "compact"]),
        (Some(0), String::new())
    );
    // A new finding, then the update: the baseline the config reads is rewritten.
    let more = format!("{}\n{}", BILLING, BILLING.replace("illing", "illing2"));
    std::fs::write(dir.path().join("queues.tf"), more).expect("write");
    assert_eq!(
        run_in(dir.path(), &["check", "--format", "compact"]).0,
        Some(1)
    );
    for args in [
        &["check", "--write-baseline", "cxlint-baseline.json"][..],
        &[
            "check",
            "--baseline",
            "cxlint-baseline.json",
            "--write-baseline",
            "./cxlint-baseline.json",
        ],
    ] {
        let out = cxlint_in(dir.path()).args(args).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("recorded 2 finding(s)"),
            "{args:?}: {stderr}"
        );
        assert_eq!(
            run_in(dir.path(), &["check", "--format", "compact"]),
            (Some(0), String::new())
        );
    }
    // A report over the baseline the run reads is still refused.
    let out = (cxlint_in(dir.path()).args(["check", "--output", "cxlint-baseline.json"]))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a file this run reads"));
}

/// A baseline written by an earlier cxlint (version 1: paths relative to the working directory
/// that wrote it) still hides its findings from there, and rewriting it gives version 2, the
/// entries it keeps made relative to the baseline's directory.
#[test]
fn a_version_1_baseline_is_still_read_and_rewritten_as_version_2() {
    let dir = project(&[
        ("infra/queues.tf", BILLING.as_bytes()),
        (
            "infra/ref.tf",
            b"locals {\n  x = genesyscloud_routing_wrapupcode.typo.id\n}\n",
        ),
        ("ci/README", b"the baseline's directory\n"),
    ]);
    // The fingerprints of these rules did not change: the old file is today's, but for its
    // version and its paths, which were the working directory's.
    run_in(dir.path(), &["check", "--write-baseline", "ci/old.json"]);
    let old = dir.path().join("ci/old.json");
    let v2 = std::fs::read_to_string(&old).expect("written");
    assert!(v2.contains("\"file\": \"../infra/queues.tf\""), "{v2}");
    let v1 = (v2.replace("\"version\": 2", "\"version\": 1")).replace("../infra/", "infra/");
    std::fs::write(&old, v1).expect("write");
    let (code, stdout) = run_in(
        dir.path(),
        &["check", "--baseline", "ci/old.json", "--fail-on", "warning"],
    );
    assert_eq!(code, Some(0), "{stdout}");
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--select", "unresolved-reference", "--write-baseline", "ci/old.json", "--format", "compact"]));
    }
    let rewritten = std::fs::read_to_string(&old).expect("rewritten");
    assert_eq!(rewritten, v2);
}

/// Entries for what a run did not check (a rule not selected, ignored or "off"; a file not
/// named, or not changed since `--changed-since`) could not have matched: they are not called
/// stale, and rewriting the baseline keeps them. They were called stale, and a rewrite with
/// `--select` kept only the selected rule's entries.
#[test]
fn a_baseline_leaves_alone_what_the_run_did_not_check() {
    let sales = BILLING
        .replace("billing", "sales")
        .replace("Billing", "Sales");
    let dir = project(&[
        ("a/queues.tf", BILLING.as_bytes()),
        (
            "a/ref.tf",
            b"locals {\n  x = genesyscloud_routing_wrapupcode.typo.id\n}\n",
        ),
        ("b/queues.tf", sales.as_bytes()),
        ("off.toml", b"[rules]\nunresolved-reference = \"off\"\n"),
    ]);
    commit_all(dir.path());
    run_in(dir.path(), &["check", "--write-baseline", "bl.json"]);
    let recorded = std::fs::read_to_string(dir.path().join("bl.json")).expect("written");
    assert_eq!(recorded.matches("\"rule\"").count(), 3, "{recorded}");
    // A change to `a/queues.tf` only, for `--changed-since`.
    std::fs::write(
        dir.path().join("a/queues.tf"),
        format!("{BILLING}# changed\n"),
    )
    .expect("write");
    let partial_runs: [&[&str]; 6] = [
        &["--select", "mandatory-wrapup-without-codes"],
        &["--ignore", "unresolved-reference"],
        &["--config", "off.toml"],
        &["a"],
        &["a/queues.tf"],
        &["--changed-since", "HEAD"],
    ];
    for args in partial_runs {
        let out = (cxlint_in(dir.path()).args([
            "check",
            "--baseline",
            "bl.json",
            "--fail-on",
            "warning",
        ]))
        .args(args)
        .output()
        .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
        let out = (cxlint_in(dir.path()).args(["check", "--write-baseline", "bl.json"]))
            .args(args)
            .output()
            .expect("run");
        let rewritten = std::fs::read_to_string(dir.path().join("bl.json")).expect("rewritten");
        assert_eq!(
            rewritten,
            recorded,
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--select", "CX106", "--write-baseline", "bl.json", "--format", "compact"]));
    }
    // Within the run, a fixed finding's entry is stale, and a rewrite drops it.
    std::fs::write(
        dir.path().join("b/queues.tf"),
        sales.replace("MANDATORY", "OPTIONAL"),
    )
    .expect("write");
    let out = (cxlint_in(dir.path()).args(["check", "a", "--baseline", "bl.json"]))
        .output()
        .expect("run");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "b", "--baseline", "bl.json"]));
    }
    run_in(dir.path(), &["check", "b", "--write-baseline", "bl.json"]);
    let rewritten = std::fs::read_to_string(dir.path().join("bl.json")).expect("rewritten");
    assert_eq!(rewritten.matches("\"rule\"").count(), 2, "{rewritten}");
    assert!(!rewritten.contains("b/queues.tf"), "{rewritten}");
}

/// An entry for a file that no longer exists was taken for one outside the run's scope (only
/// the files read were in it): never stale, and kept by every rewrite. A file gone from a
/// directory checked is in the scope; one outside every path checked still is not.
#[test]
fn baseline_entries_for_deleted_files_are_stale_and_dropped() {
    let sales = BILLING
        .replace("billing", "sales")
        .replace("Billing", "Sales");
    let dir = project(&[
        ("a/queues.tf", BILLING.as_bytes()),
        ("b/queues.tf", sales.as_bytes()),
    ]);
    run_in(dir.path(), &["check", "--write-baseline", "bl.json"]);
    let recorded = std::fs::read_to_string(dir.path().join("bl.json")).expect("written");
    assert!(recorded.contains("\"file\": \"b/queues.tf\""), "{recorded}");
    std::fs::remove_file(dir.path().join("b/queues.tf")).expect("delete");
    // A run of `a` did not check `b`: its entry stays, not stale.
    let out = (cxlint_in(dir.path()).args(["check", "a", "--baseline", "bl.json"]))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    run_in(dir.path(), &["check", "a", "--write-baseline", "bl.json"]);
    let rewritten = std::fs::read_to_string(dir.path().join("bl.json")).expect("rewritten");
    assert_eq!(rewritten, recorded);
    // A run of the whole directory: the deleted file's entry no longer matches.
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--baseline", "bl.json", "--format", "compact"]));
    }
    run_in(dir.path(), &["check", "--write-baseline", "bl.json"]);
    let rewritten = std::fs::read_to_string(dir.path().join("bl.json")).expect("rewritten");
    assert_eq!(rewritten.matches("\"rule\"").count(), 1, "{rewritten}");
    assert!(rewritten.contains("a/queues.tf"), "{rewritten}");
    assert!(!rewritten.contains("b/queues.tf"), "{rewritten}");
    // Renamed: the old name's entry is stale, and the finding under the new one is new.
    std::fs::rename(
        dir.path().join("a/queues.tf"),
        dir.path().join("a/billing.tf"),
    )
    .expect("rename");
    let out = (cxlint_in(dir.path()).args([
        "check",
        "a",
        "--baseline",
        "bl.json",
        "--format",
        "compact",
    ]))
    .output()
    .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 baseline entry in `bl.json` no longer matches any finding"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("a/billing.tf:"));
}

// ----- the other commands -----

#[test]
fn rules_list() {
    assert_cmd_snapshot!(cxlint().args(["rules"]));
}

#[test]
fn explain_a_rule_by_code() {
    assert_cmd_snapshot!(cxlint().args(["explain", "CX101"]));
}

#[test]
fn explain_unknown_rule_suggests() {
    assert_cmd_snapshot!(cxlint().args(["explain", "wrapup-code-not-asigned"]));
}

/// `explain --all` is every rule's page, as `explain RULE` prints it, one blank line between
/// two, none after the last (it ended in two).
#[test]
fn explain_all_is_the_pages_one_blank_line_apart() {
    let all = cxlint().args(["explain", "--all"]).output().expect("run");
    assert_eq!(all.status.code(), Some(0));
    let pages: Vec<String> = ["CX101", "CX102"]
        .map(|code| {
            let out = cxlint().args(["explain", code]).output().expect("run");
            String::from_utf8(out.stdout).expect("utf-8")
        })
        .into();
    let all = String::from_utf8(all.stdout).expect("utf-8");
    assert!(all.starts_with(&format!("{}\n{}", pages[0], pages[1])));
    assert!(
        all.ends_with("\n") && !all.ends_with("\n\n"),
        "{:?}",
        &all[all.len() - 20..]
    );
}

/// `explain CX101 --all` printed every rule, ignoring the one named: the two conflict.
#[test]
fn explain_a_rule_and_all_conflict() {
    assert_cmd_snapshot!(cxlint().args(["explain", "CX101", "--all"]));
}

/// `explain --markdown-dir md CX105` failed with "required arguments were not provided: --all"
/// and a usage line naming every flag as required: it writes that rule's page, the same as
/// `--all` writes for it, and `--check` compares that page only.
#[test]
fn explain_markdown_dir_writes_the_rule_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = cxlint_in(dir.path())
        .args(["explain", "--markdown-dir", "md", "CX105"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let written: Vec<_> = std::fs::read_dir(dir.path().join("md"))
        .expect("md written")
        .map(|e| e.expect("entry").file_name())
        .collect();
    let name = "unassigned-wrapup-code.md";
    assert_eq!(written, [name]);
    let page = std::fs::read_to_string(dir.path().join("md").join(name)).expect("read");
    let committed = std::fs::read_to_string(root().join("docs/rules").join(name)).expect("read");
    assert_eq!(page, committed);
    let check = |args: &[&str]| {
        cxlint_in(dir.path())
            .args(args)
            .output()
            .expect("run")
            .status
            .code()
    };
    let checked = ["explain", "CX105", "--markdown-dir", "md", "--check"];
    assert_eq!(check(&checked), Some(0));
    // Other rules' pages are not looked at; the named one is.
    assert_eq!(
        check(&["explain", "--all", "--markdown-dir", "md", "--check"]),
        Some(1)
    );
    std::fs::write(dir.path().join("md").join(name), "edited\n").expect("write");
    assert_eq!(check(&checked), Some(1));
}

#[test]
fn api_real_endpoint() {
    assert_cmd_snapshot!(cxlint().args([
        "api",
        "GET",
        "/api/v2/routing/queues/{queueId}/wrapupcodes"
    ]));
}

#[test]
fn api_invented_endpoint_exits_1_with_the_real_ones() {
    assert_cmd_snapshot!(cxlint().args(["api", "PATCH", "/api/v2/conversations/{conversationId}"]));
}

/// An empty method or path is bad usage (exit 2), as a missing one is: it was answered
/// "GET  does not exist in the Genesys Cloud Platform API" with exit 1.
#[test]
fn api_empty_argument_is_bad_usage() {
    assert_cmd_snapshot!(cxlint().args(["api", "GET", ""]));
    let out = cxlint()
        .args(["api", "", "/api/v2/routing/queues"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

/// `api --body`: the body is checked against the operation's model (an unknown key is a
/// finding, exit 1), and when the operation does not exist, the nearest one whose model has
/// the body's keys comes first: the forum's `PATCH /api/v2/conversations/{id}` with a
/// `wrapupCode` meant the participant's PATCH, which the path alone did not find.
#[test]
fn api_body_is_checked_and_steers_the_nearest() {
    assert_cmd_snapshot!(cxlint().args([
        "api",
        "PATCH",
        "/api/v2/conversations/{conversationId}",
        "--body",
        r#"{"wrapupCode": "${input.codeId}"}"#,
    ]));
    assert_cmd_snapshot!(cxlint().args([
        "api",
        "PUT",
        "/api/v2/routing/wrapupcodes/abc",
        "--body",
        r#"{"name": "Escalated", "wrapUpCodeId": "x"}"#,
        "--format",
        "json",
    ]));
    let dir = project(&[("body.json", br#"{"name": "Escalated"}"#)]);
    let run = |args: &[&str], stdin: &str| {
        use std::io::Write as _;
        let mut child = cxlint_in(dir.path())
            .args(["api", "PUT", "/api/v2/routing/wrapupcodes/abc"])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run");
        let mut input = child.stdin.take().expect("stdin");
        input.write_all(stdin.as_bytes()).expect("write stdin");
        drop(input);
        let out = child.wait_with_output().expect("exit");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .last()
                .map(str::to_owned),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let fine = Some("body check: every key is a field of `WrapupCodeRequest`".to_owned());
    assert_eq!(
        run(&["--body", "@body.json"], ""),
        (Some(0), fine.clone(), String::new())
    );
    assert_eq!(
        run(&["--body", "@-"], r#"{"name": "$input.name"}"#),
        (Some(0), fine, String::new())
    );
    for (args, error) in [
        (
            ["--body", "{name: 1"],
            "cxlint: error: `--body` is not JSON (nor a data action's JSON template, with Velocity references for values)\n",
        ),
        (
            ["--body", "@gone.json"],
            "cxlint: error: cannot read `--body` file `gone.json`: No such file or directory (os error 2)\n",
        ),
    ] {
        assert_eq!(run(&args, ""), (Some(2), None, error.to_owned()));
    }
}

/// `cxlint api --help` says what its exit codes mean (1 is not "a finding at or above
/// --fail-on" here) and which spellings of a path it reads.
#[test]
fn api_help_has_its_exit_codes() {
    assert_cmd_snapshot!(cxlint().args(["api", "--help"]));
}

/// The catalog names one route's parameter differently by method (`GET .../{messageIds}`,
/// `DELETE .../{messageId}`): the real DELETE was answered "no such operation; this path has
/// only GET" (and listed among the nearest), and a data action calling it was reported as
/// `api-method-not-allowed`.
#[test]
fn a_route_whose_parameter_is_named_per_method() {
    for (method, path) in [
        (
            "DELETE",
            "/api/v2/chats/rooms/{roomJid}/messages/{messageId}",
        ),
        ("PATCH", "/api/v2/chats/users/u1/messages/m1"),
        (
            "POST",
            "/api/v2/chats/rooms/{roomJid}/participants/{userId}",
        ),
    ] {
        let out = cxlint().args(["api", method, path]).output().expect("run");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{method} {path}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let dir = project(&[(
        "main.tf",
        b"resource \"genesyscloud_integration_action\" \"unpin\" {\n  name           = \"Delete message\"\n  category       = \"Chat\"\n  integration_id = \"3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f\"\n  config_request {\n    request_type         = \"DELETE\"\n    request_url_template = \"/api/v2/chats/rooms/$${input.room}/messages/$${input.message}\"\n  }\n}\n",
    )]);
    let out = cxlint_in(dir.path())
        .args([
            "check",
            "--format",
            "compact",
            "--select",
            "api-method-not-allowed,unknown-api-endpoint",
        ])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// `--markdown-dir` naming a file failed with "cannot write `afile/wrapup-code-not-assigned.md`:
/// File exists (os error 17)", a path the user never gave.
#[test]
fn explain_markdown_dir_that_is_a_file() {
    let dir = project(&[("afile", b"")]);
    assert_cmd_snapshot!(cxlint_in(dir.path()).args([
        "explain",
        "--all",
        "--markdown-dir",
        "afile"
    ]));
}

/// `init` beside a `cxlint.toml` said "use --force to overwrite it", though `--force` writes a
/// `.cxlint.toml` that shadows it; and it named the file by its absolute path, where the
/// success message names `.cxlint.toml` as the user knows it.
#[test]
fn init_refuses_beside_an_existing_config() {
    let dir = project(&[("cxlint.toml", b"")]);
    assert_cmd_snapshot!(cxlint_in(dir.path()).args(["init"]));
    assert!(!dir.path().join(".cxlint.toml").exists());
    let dir = project(&[(".cxlint.toml", b"# mine\n")]);
    assert_cmd_snapshot!(cxlint_in(dir.path()).args(["init"]));
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".cxlint.toml")).expect("read"),
        "# mine\n"
    );
}

#[test]
fn generated_rule_docs_are_current() {
    let out = cxlint()
        .args([
            "explain",
            "--all",
            "--markdown-dir",
            "docs/rules",
            "--check",
        ])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn github_step_summary_is_appended() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "previous step\n").expect("write");
    let out = cxlint()
        .args(["check", "testdata/demo", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let md = std::fs::read_to_string(&summary).expect("read");
    assert!(
        md.starts_with("previous step\n"),
        "the summary must be appended"
    );
    assert!(
        md.contains("| Queue |") && md.contains("Sales Outbound"),
        "{md}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("::error file=testdata/demo/"));
}

/// `git init` in `dir` and commit everything in it.
fn commit_all(dir: &std::path::Path) {
    for args in [
        &["init", "-q"][..],
        &["add", "."],
        &["commit", "-q", "-m", "base"],
    ] {
        let ok = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git")
            .status
            .success();
        assert!(ok, "git {args:?}");
    }
}

/// A finding in a `--var` value is in no file: `--changed-since` leaves it out (it used to look
/// the value's file up in the source map and panic).
#[test]
fn changed_since_leaves_out_findings_in_command_line_values() {
    let client = "variable \"scopes\" {\n  type = list(string)\n}\nresource \"genesyscloud_oauth_client\" \"c\" {\n  name                  = \"C\"\n  authorized_grant_type = \"CODE\"\n  scopes                = var.scopes\n}\n";
    let dir = project(&[("client.tf", client.as_bytes())]);
    commit_all(dir.path());
    std::fs::write(dir.path().join("client.tf"), format!("{client}# changed\n")).expect("write");
    let run = |extra: &[&str]| {
        cxlint_in(dir.path())
            .args([
                "check",
                "--format",
                "compact",
                "--var",
                "scopes=[\"conversation:write\"]",
            ])
            .args(extra)
            .output()
            .expect("run")
    };
    // Without the filter the finding is reported, in no file.
    let all = run(&[]);
    let stdout = String::from_utf8_lossy(&all.stdout);
    assert!(stdout.contains("unknown-oauth-scope"), "{stdout}");
    assert_eq!(all.status.code(), Some(1));
    let changed = run(&["--changed-since", "HEAD"]);
    let stderr = String::from_utf8_lossy(&changed.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!String::from_utf8_lossy(&changed.stdout).contains("unknown-oauth-scope"));
    assert_eq!(changed.status.code(), Some(0), "{stderr}");
}

#[test]
fn changed_since_reports_only_changed_files_but_checks_everything() {
    let dir = project(&[
        ("codes.tf", b"resource \"genesyscloud_routing_wrapupcode\" \"resolved\" {\n  name = \"Resolved\"\n}\n"),
        ("queues.tf", BILLING.as_bytes()),
    ]);
    commit_all(dir.path());
    // Change only codes.tf: the queue finding in queues.tf is no longer reported, but the new
    // code is still cross-checked against the unchanged queue file.
    std::fs::write(
        dir.path().join("codes.tf"),
        "resource \"genesyscloud_routing_wrapupcode\" \"resolved\" {\n  name = \"Resolved\"\n}\nresource \"genesyscloud_routing_wrapupcode\" \"again\" {\n  name = \"resolved\"\n}\n",
    )
    .expect("write");
    let (code, stdout) = run_in(
        dir.path(),
        &["check", "--format", "compact", "--changed-since", "HEAD"],
    );
    assert!(
        stdout.contains("codes.tf") && stdout.contains("duplicate-wrapup-code-name"),
        "{stdout}"
    );
    assert!(!stdout.contains("queues.tf"), "{stdout}");
    assert_eq!(code, Some(1));
}

/// Run from a root module's directory, a change in a module it calls from outside
/// (`../../modules/q`) counts; a parse failure in an unchanged file is never left out.
#[test]
fn changed_since_sees_the_whole_repository_and_every_parse_error() {
    let dir = project(&[
        (
            "envs/dev/main.tf",
            b"module \"q\" {\n  source = \"../../modules/q\"\n}\n",
        ),
        ("envs/dev/legacy.tf", b"locals {\n  a = \n}\n"),
        ("modules/q/main.tf", b"locals {\n  x = 1\n}\n"),
    ]);
    commit_all(dir.path());
    std::fs::write(
        dir.path().join("modules/q/main.tf"),
        "locals {\n  x = genesyscloud_routing_wrapupcode.typo.id\n}\n",
    )
    .expect("write");
    let (code, stdout) = run_in(
        &dir.path().join("envs/dev"),
        &[
            "check",
            ".",
            "--format",
            "compact",
            "--changed-since",
            "HEAD",
        ],
    );
    assert!(stdout.contains("../../modules/q/main.tf:2:"), "{stdout}");
    assert!(
        stdout.contains("legacy.tf:2:") && stdout.contains("(parse-error)"),
        "{stdout}"
    );
    assert_eq!(code, Some(2), "{stdout}");
}

/// A finding in an unchanged file whose other end the change made is reported: taking a code
/// off a queue breaks the rule set that uses it.
#[test]
fn changed_since_reports_what_the_change_broke_elsewhere() {
    let queue = |codes: &str| {
        format!(
            "resource \"genesyscloud_routing_wrapupcode\" \"sale\" {{\n  name = \"Sale\"\n}}\nresource \"genesyscloud_routing_queue\" \"support\" {{\n  name = \"Support\"\n  wrapup_codes = [{codes}]\n}}\n"
        )
    };
    let rules = "resource \"genesyscloud_outbound_ruleset\" \"r\" {\n  name = \"R\"\n  queue_id = genesyscloud_routing_queue.support.id\n  rules {\n    name = \"x\"\n    category = \"DIALER_PRECALL\"\n    conditions {\n      type = \"wrapupCondition\"\n      codes = [genesyscloud_routing_wrapupcode.sale.id]\n    }\n    actions {\n      type = \"Action\"\n      action_type_name = \"DO_NOT_DIAL\"\n    }\n  }\n}\n";
    let dir = project(&[
        (
            "queues.tf",
            queue("genesyscloud_routing_wrapupcode.sale.id").as_bytes(),
        ),
        ("rules.tf", rules.as_bytes()),
    ]);
    commit_all(dir.path());
    std::fs::write(dir.path().join("queues.tf"), queue("")).expect("write");
    let (code, stdout) = run_in(
        dir.path(),
        &["check", "--format", "compact", "--changed-since", "HEAD"],
    );
    assert!(
        stdout.contains("rules.tf") && stdout.contains("wrapup-code-not-assigned"),
        "{stdout}"
    );
    assert_eq!(code, Some(1), "{stdout}");
}

/// Outside a git work tree, or with a ref git does not know, the error is git's one line (it was
/// `git diff`'s whole usage text), and no report is written.
#[test]
fn changed_since_errors_are_one_line() {
    let dir = project(&[("queues.tf", BILLING.as_bytes())]);
    // Outside any work tree even when the temporary directory is inside one (a `TMPDIR` below
    // this repository's): git looks no higher than the project.
    let ceiling = dir.path().parent().expect("parent");
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path())
            .env("GIT_CEILING_DIRECTORIES", ceiling)
            .args(["check", "--changed-since", "HEAD"]));
    }
    commit_all(dir.path());
    let out = cxlint_in(dir.path())
        .args(["check", "--changed-since", "no-such-ref"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("cxlint: error: --changed-since no-such-ref: "),
        "{stderr}"
    );
}

/// The summary counts files, not loads: a flow YAML that three flows publish, each with its own
/// substitutions, is one file.
#[test]
fn a_flow_file_used_by_several_flows_is_counted_once() {
    let mut tf = String::new();
    for name in ["a", "b", "c"] {
        tf.push_str(&format!(
            "resource \"genesyscloud_flow\" \"{name}\" {{\n  filepath      = \"flow.yaml\"\n  substitutions = {{ flow_name = \"{name}\" }}\n}}\n"
        ));
    }
    let dir = project(&[
        ("main.tf", tf.as_bytes()),
        ("flow.yaml", b"inboundCall:\n  name: \"{{flow_name}}\"\n"),
    ]);
    let out = (cxlint_in(dir.path()).args(["check", "."]))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("No problems found in 2 files."), "{stdout}");
}

/// Files outside the working directory are shown by their path from it, never an absolute one
/// (INTERFACE.md): a root's module in `../../modules`, a directory named as `../x`.
#[test]
fn paths_outside_the_working_directory_are_relative() {
    let dir = project(&[
        (
            "envs/prod/main.tf",
            b"module \"q\" {\n  source = \"../../modules/q\"\n}\n",
        ),
        (
            "modules/q/main.tf",
            b"locals {\n  x = genesyscloud_routing_wrapupcode.nope.id\n}\n",
        ),
    ]);
    let root = dir.path().to_string_lossy().into_owned();
    for (cwd, arg, shown) in [
        ("envs/prod", ".", "../../modules/q/main.tf"),
        ("envs", "../modules/q", "../modules/q/main.tf"),
    ] {
        for format in ["json", "sarif", "compact", "github"] {
            let (_, stdout) = run_in(&dir.path().join(cwd), &["check", arg, "--format", format]);
            assert!(stdout.contains(shown), "{cwd} {format}: {stdout}");
            assert!(!stdout.contains(&root), "{cwd} {format}: {stdout}");
        }
    }
}

/// `--output -` is standard output, whatever the configuration's `output` says (the GitHub
/// Action reads the report it asks for there).
#[test]
fn output_dash_is_standard_output() {
    let dir = project(&[
        ("main.tf", BILLING.as_bytes()),
        (".cxlint.toml", b"[check]\noutput = \"report.txt\"\n"),
    ]);
    let run = |args: &[&str]| {
        let out = (cxlint_in(dir.path()).args([
            "check",
            ".",
            "--format",
            "compact",
            "--fail-on",
            "never",
        ]))
        .args(args)
        .output()
        .expect("run");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let stdout = run(&["--output", "-"]);
    assert!(
        stdout.contains("mandatory-wrapup-without-codes"),
        "{stdout}"
    );
    assert!(!dir.path().join("report.txt").exists());
    assert!(!dir.path().join("-").exists());
    assert_eq!(run(&[]), "");
    let written = std::fs::read_to_string(dir.path().join("report.txt")).expect("written");
    assert!(
        written.contains("mandatory-wrapup-without-codes"),
        "{written}"
    );
}

/// A file named alone (pre-commit passes the changed files) is checked with its directory's
/// other files for what they declare: no false unresolved references, and only its findings.
#[test]
fn a_file_named_alone_is_checked_with_its_module() {
    let dir = project(&[
        ("codes.tf", b"resource \"genesyscloud_routing_wrapupcode\" \"sale\" {\n  name = \"Sale\"\n}\n"),
        ("queues.tf", BILLING.as_bytes()),
        ("vars.tf", b"variable \"scope\" {\n  type = string\n}\n"),
        ("terraform.tfvars", b"scope = \"conversation:write\"\n"),
        ("client.tf", b"resource \"genesyscloud_oauth_client\" \"c\" {\n  name = \"C\"\n  authorized_grant_type = \"CODE\"\n  scopes = [var.scope]\n  roles = [genesyscloud_routing_wrapupcode.sale.id]\n}\n"),
    ]);
    let (code, stdout) = run_in(
        dir.path(),
        &[
            "check",
            "client.tf",
            "--format",
            "compact",
            "--fail-on",
            "info",
        ],
    );
    assert!(!stdout.contains("unresolved-reference"), "{stdout}");
    // Its own finding, with the value from the directory's `terraform.tfvars`.
    assert!(
        stdout.contains("client.tf:4:") && stdout.contains("`conversation:write`"),
        "{stdout}"
    );
    // Not the findings of files it was not named with.
    assert!(!stdout.contains("queues.tf"), "{stdout}");
    assert_eq!(code, Some(1), "{stdout}");
    // Nor are they counted as checked: the summary is of the file named.
    let (_, stdout) = run_in(dir.path(), &["check", "client.tf", "--color", "never"]);
    assert!(stdout.trim_end().ends_with("in 1 file."), "{stdout}");
    let out = cxlint_in(dir.path())
        .args(["check", "client.tf", "--format", "json"])
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["summary"]["files"], 1, "{json}");
}

/// A local module outside the directory checked is read, unless `files.exclude` names its
/// files (`modules/f/**`) or its directory.
#[test]
fn excluded_modules_outside_the_checked_directory_stay_unread() {
    let files: [(&str, &[u8]); 2] = [
        (
            "root/main.tf",
            b"module \"f\" {\n  source = \"../modules/f\"\n}\n",
        ),
        (
            "modules/f/main.tf",
            b"locals {\n  x = genesyscloud_routing_wrapupcode.nope.id\n}\n",
        ),
    ];
    let run = |dir: &Path| {
        let out = cxlint_in(dir)
            .args(["check", "root", "--format", "compact"])
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let dir = project(&files);
    let (code, stdout) = run(dir.path());
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("modules/f/main.tf:2:7"), "{stdout}");
    for pattern in ["modules/f/**", "modules/f"] {
        let dir = project(&files);
        let config = format!("[files]\nexclude = [\"{pattern}\"]\n");
        std::fs::write(dir.path().join(".cxlint.toml"), config).expect("write");
        assert_eq!(run(dir.path()), (Some(0), String::new()), "{pattern}");
    }
}

/// The human report's `file:line:col` counts columns in characters, as every other format and
/// `terraform validate -json` do: after a `é` (two bytes) it said column 19 where compact,
/// JSON and SARIF say 18.
#[test]
fn human_columns_count_characters_as_every_format_does() {
    let dir = project(&[(
        "main.tf",
        "resource \"genesyscloud_oauth_client\" \"a\" {\n  name = \"A\"\n  authorized_grant_type = \"CODE\"\n  scopes = [\"é\", \"conversation:write\"]\n}\n"
            .as_bytes(),
    )]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--no-config", "--color", "never"]));
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--no-config", "--format", "compact"]));
    }
    let (_, human) = run_in(dir.path(), &["check", "--no-config", "--color", "never"]);
    assert!(human.contains("╭─[main.tf:4:18]"), "{human}");
    let (_, json) = run_in(dir.path(), &["check", "--no-config", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(json["diagnostics"][1]["range"]["start"]["column"], 18);
}

/// `--output /dev/stdout` (or `/dev/fd/1`, `/dev/stderr`) writes through the descriptor, a
/// pipe as much as a file or a terminal. To a pipe it failed (exit 2, `cannot write
/// ../../../dev/stdout`): the link `/proc/self/fd/1` names `pipe:[123]`, no path, and was
/// followed as one.
#[cfg(unix)]
#[test]
fn output_to_dev_stdout_reaches_a_pipe() {
    let dir = project(&[("main.tf", BILLING.as_bytes())]);
    // insta-cmd reads standard output and standard error through pipes.
    assert_cmd_snapshot!(cxlint_in(dir.path()).args([
        "check",
        "--no-config",
        "--format",
        "compact",
        "--output",
        "/dev/stdout"
    ]));
    let (_, plain) = run_in(dir.path(), &["check", "--no-config", "--format", "compact"]);
    let (code, through_fd) = run_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "compact",
            "-o",
            "/dev/fd/1",
        ],
    );
    assert_eq!((code, &through_fd), (Some(0), &plain));
    let out = (cxlint_in(dir.path()))
        .args([
            "check",
            "--no-config",
            "--format",
            "compact",
            "-o",
            "/dev/stderr",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(String::from_utf8_lossy(&out.stderr), plain);
}

/// `--output /dev/stdout` with standard output a file is written after what the file holds
/// (`>> log`, or what a shell block wrote before): the file was replaced, and lost it.
#[cfg(unix)]
#[test]
fn output_to_dev_stdout_appends_to_a_file_opened_for_appending() {
    let dir = project(&[("main.tf", BILLING.as_bytes())]);
    let log = dir.path().join("log.txt");
    std::fs::write(&log, "earlier\n").expect("write");
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(&log)
        .expect("open");
    let status = (cxlint_in(dir.path()))
        .args([
            "check",
            "--no-config",
            "--format",
            "compact",
            "-o",
            "/dev/stdout",
        ])
        .stdout(file)
        .status()
        .expect("run");
    assert_eq!(status.code(), Some(0));
    let (_, plain) = run_in(dir.path(), &["check", "--no-config", "--format", "compact"]);
    let written = std::fs::read_to_string(&log).expect("read");
    assert_eq!(written, format!("earlier\n{plain}"));
}

/// Errors about a path the user gave name it as written: absolute stays absolute, relative
/// stays as typed. Absolute ones were rewritten from the working directory
/// (`../../../nonexistent`), some relative ones made absolute (`--var-file`, `--config`).
#[cfg(unix)]
#[test]
fn errors_name_paths_as_the_user_wrote_them() {
    let dir = project(&[
        ("a/b/main.tf", BILLING.as_bytes()),
        ("a/dir/flow.yaml", b""),
    ]);
    let cwd = dir.path().join("a/b");
    let flow = dir.path().join("a/dir/flow.yaml");
    let flow = flow.to_string_lossy();
    let mut seen = String::new();
    for args in [
        &["/nonexistent-cxlint"][..],
        &["../gone"],
        &[&flow],
        &["--state", "/nonexistent-cxlint"],
        &["--state", "../gone"],
        &["--baseline", "/nonexistent-cxlint.json"],
        &["--var-file", "../gone.tfvars"],
        &["--config", "../gone.toml"],
        &["--output", ".."],
        &["--output", "../dir/"],
    ] {
        let mut cmd = cxlint_in(&cwd);
        cmd.arg("check").args(args);
        if args[0] != "--config" {
            cmd.arg("--no-config");
        }
        let out = cmd.output().expect("run");
        let code = out.status.code().unwrap_or(-1);
        seen.push_str(&format!("{} -> {code}\n", args.join(" ")));
        for line in String::from_utf8_lossy(&out.stderr).lines() {
            seen.push_str(&format!("    {line}\n"));
        }
    }
    // The report's own paths are still relative to the working directory.
    let out = (cxlint_in(&cwd))
        .args(["check", "--no-config", "--format", "compact"])
        .arg(dir.path().join("a/b"))
        .output()
        .expect("run");
    seen.push_str(&String::from_utf8_lossy(&out.stdout));
    // The temporary directory named as such wherever it is: `with_filters!` knows only `/tmp/`,
    // and a `TMPDIR` elsewhere (below the working tree, say) left its path in the text.
    let seen = seen.replace(&*dir.path().to_string_lossy(), "[TMP]");
    with_filters! {
        insta::assert_snapshot!(seen);
    }
}

/// A run where no path can be read still writes its report, as one where some cannot does:
/// a valid document that checked no file, exit code 2 and the errors on standard error. It
/// wrote nothing, and an `--output` file from an earlier run stayed as if it were this one's.
#[test]
fn a_report_is_written_when_no_path_can_be_read() {
    let dir = project(&[("report.json", b"{\"stale\": true}\n")]);
    with_filters! {
        assert_cmd_snapshot!(cxlint_in(dir.path()).args(["check", "--no-config", "gone", "--format", "json"]));
    }
    let out = (cxlint_in(dir.path()))
        .args([
            "check",
            "--no-config",
            "gone",
            "--format",
            "json",
            "-o",
            "report.json",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let report = std::fs::read(dir.path().join("report.json")).expect("read");
    let report: serde_json::Value = serde_json::from_slice(&report).expect("json");
    assert_eq!(report["summary"]["files"], 0, "{report}");
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{report}");
}

/// `--output` replacing a file keeps the file's permissions: a group-writable report stayed
/// 0644 (the process's default), a private one would have been made readable by all.
#[cfg(unix)]
#[test]
fn output_keeps_the_permissions_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[("main.tf", BILLING.as_bytes())]);
    for mode in [0o664, 0o600] {
        let report = dir.path().join("report.txt");
        std::fs::write(&report, "old").expect("write");
        std::fs::set_permissions(&report, std::fs::Permissions::from_mode(mode)).expect("chmod");
        let (code, _) = run_in(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--format",
                "compact",
                "-o",
                "report.txt",
            ],
        );
        assert_eq!(code, Some(0));
        let meta = std::fs::metadata(&report).expect("written");
        assert_eq!(meta.permissions().mode() & 0o7777, mode);
        let text = std::fs::read_to_string(&report).expect("read");
        assert!(text.contains("mandatory-wrapup-without-codes"), "{text}");
    }
}

/// When several `--state` inputs list a queue's wrap-up codes, the finding built on the first
/// one's list says so only when another lists different codes: not when they agree, nor between
/// the configuration and the `terraform.tfstate` of one export directory (one org, one export).
#[test]
fn a_finding_notes_another_state_only_when_its_codes_differ() {
    const NOTE: &str = "also lists codes for this queue";
    let notes = |states: &[&str]| {
        let mut args = vec![
            "check",
            "testdata/projects/against_state",
            "--color",
            "never",
        ];
        for s in states {
            args.extend(["--state", s]);
        }
        let (code, stdout) = run_in(&root(), &args);
        assert_eq!(code, Some(1), "{states:?}: {stdout}");
        assert!(
            stdout.contains("wrap-up code `Resolved` is not assigned to queue `Sales`"),
            "{states:?}: {stdout}"
        );
        (stdout.matches(NOTE).count(), stdout)
    };
    // The export directory's configuration and state agree; so do the v4 and v3 states.
    assert_eq!(notes(&["testdata/state/export"]).0, 0);
    assert_eq!(
        notes(&["testdata/state/v4.tfstate", "testdata/state/v3.tfstate"]).0,
        0
    );
    assert_eq!(
        notes(&["testdata/state/v4.tfstate", "testdata/state/export"]).0,
        0
    );
    // A state in which queue `Sales` offers one more code: the first one given still wins, and
    // the finding says so, on `Sales` only.
    let dir = tempfile::tempdir().expect("tempdir");
    let v4 = std::fs::read_to_string(root().join("testdata/state/v4.tfstate")).expect("read");
    let sales_codes =
        "\"wrapup_codes\": [\n              \"b2e9d4a7-3c1f-4e8b-a6d5-9f0c2e7b4a13\"\n";
    assert_eq!(v4.matches(sales_codes).count(), 1);
    let other = v4.replacen(
        sales_codes,
        "\"wrapup_codes\": [\n              \"b2e9d4a7-3c1f-4e8b-a6d5-9f0c2e7b4a13\",\n              \
         \"e5a1c7d3-9b2f-4d6e-8c4a-3f7b1e9d2c56\"\n",
        1,
    );
    let other_path = dir.path().join("other.tfstate");
    std::fs::write(&other_path, other).expect("write");
    // Shown relative to the working directory (`../../tmp/...`): matched by its name.
    let other_path = other_path.to_str().expect("utf-8 path");
    let (count, stdout) = notes(&["testdata/state/v4.tfstate", other_path]);
    assert_eq!(count, 1, "{stdout}");
    assert!(
        stdout.contains(
            "other.tfstate` also lists codes for this queue; `testdata/state/v4.tfstate` was read first and wins"
        ),
        "{stdout}"
    );
    // Given first, it wins, and the other is named.
    let (count, stdout) = notes(&[other_path, "testdata/state/export"]);
    assert_eq!(count, 1, "{stdout}");
    assert!(
        stdout.contains(
            "`testdata/state/export/terraform.tfstate` also lists codes for this queue; `"
        ) && stdout.contains("other.tfstate` was read first and wins"),
        "{stdout}"
    );
}

/// `cxlint ARGS` in `dir` (with `env`), as a snapshot's lines: the command and its exit code,
/// then standard error and standard output, indented.
fn transcript(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = (cxlint_in(dir).args(args).envs(env.iter().copied()))
        .output()
        .expect("run");
    let mut seen = format!(
        "{} -> {}\n",
        args.join(" "),
        out.status.code().unwrap_or(-1)
    );
    for (stream, text) in [("stderr", &out.stderr), ("stdout", &out.stdout)] {
        for line in String::from_utf8_lossy(text).lines() {
            seen.push_str(&format!("    {stream}: {line}\n"));
        }
    }
    seen
}

/// `-q` (or `quiet = true`) prints the findings and, on standard error, only what makes the
/// exit code 2 (ruff: "print diagnostics, but nothing else"). It printed every warning and
/// note: a file skipped, a `--var` no root module declares, a `[[data-action-clients]]` entry
/// not used, stale baseline entries, a job summary not written, a file not a baseline replaced,
/// "recorded N finding(s)". The same runs without it show what it leaves out.
#[test]
fn quiet_prints_errors_and_nothing_else() {
    let sales = BILLING
        .replace("billing", "sales")
        .replace("Billing", "Sales");
    const CLIENTS: &str = "[[data-action-clients]]\nintegration = \"genesyscloud_integration.nope\"\noauth-client = \"X\"\n";
    let dir = project(&[
        ("main.tf", format!("{BILLING}{sales}").as_bytes()),
        ("flow.yaml", b""),
        (".cxlint.toml", CLIENTS.as_bytes()),
        ("other.json", b"{\"x\": 1}\n"),
        ("other2.json", b"{\"x\": 1}\n"),
        // A directory: the job summary cannot be appended to.
        ("summary/.keep", b""),
    ]);
    let d = dir.path();
    let summary = [("GITHUB_STEP_SUMMARY", "summary")];
    let mut seen = transcript(
        d,
        &[
            "check",
            "--format",
            "compact",
            "--write-baseline",
            "baseline.json",
        ],
        &[],
    );
    // Queue `Sales` is gone: its baseline entry is stale.
    std::fs::write(d.join("main.tf"), BILLING).expect("write");
    let noisy = [
        "check",
        "main.tf",
        "flow.yaml",
        "--var",
        "nope=1",
        "--state",
        "gone.tfstate",
        "--format",
        "compact",
    ];
    let with = |extra: &[&'static str]| [&noisy[..], extra].concat();
    seen += &transcript(d, &with(&["--baseline", "baseline.json"]), &summary);
    seen += &transcript(d, &with(&["--baseline", "baseline.json", "-q"]), &summary);
    seen += &transcript(d, &with(&["--write-baseline", "other.json"]), &summary);
    std::fs::write(
        d.join(".cxlint.toml"),
        format!("[check]\nquiet = true\n\n{CLIENTS}"),
    )
    .expect("write");
    let quiet = transcript(d, &with(&["--write-baseline", "other2.json"]), &summary);
    seen += &quiet;
    // Quiet runs: errors only, and the run still did its job.
    for line in quiet.lines().filter(|l| l.contains("stderr: ")) {
        assert!(
            line.contains("stderr: cxlint: error: ")
                || line.contains("stderr: cxlint: the check is incomplete"),
            "{line}"
        );
    }
    assert!(
        std::fs::read_to_string(d.join("other2.json"))
            .expect("baseline written")
            .contains("mandatory-wrapup-without-codes")
    );
    insta::assert_snapshot!(seen);
}

/// `--output` and `--write-baseline` make the directories missing on the way to their file, as
/// ruff's `--output-file` does: they failed with "No such file or directory".
#[test]
fn output_and_write_baseline_make_missing_directories() {
    let dir = project(&[("main.tf", BILLING.as_bytes())]);
    assert_cmd_snapshot!(cxlint_in(dir.path()).args([
        "check",
        "--no-config",
        "--format",
        "compact",
        "--output",
        "reports/ci/cxlint.txt",
        "--write-baseline",
        "baselines/cxlint-baseline.json",
    ]));
    let report = std::fs::read_to_string(dir.path().join("reports/ci/cxlint.txt")).expect("report");
    assert!(
        report.starts_with("main.tf:4:18: warning[CX106]"),
        "{report}"
    );
    let baseline = dir.path().join("baselines/cxlint-baseline.json");
    let baseline = std::fs::read_to_string(baseline).expect("baseline");
    assert!(
        baseline.contains("mandatory-wrapup-without-codes"),
        "{baseline}"
    );
    // Written atomically as ever: nothing but the file in the new directories.
    for (made, file) in [
        ("reports/ci", "cxlint.txt"),
        ("baselines", "cxlint-baseline.json"),
    ] {
        let names: Vec<_> = std::fs::read_dir(dir.path().join(made))
            .expect("ls")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, [file], "{made}");
    }
}

/// `--output reports/` names a directory: refused (exit 2), where the trailing `/` used to be
/// dropped and the report written to a file called `reports`. `--write-baseline` too, without
/// first saying the "baseline" there was unreadable and would be replaced.
#[test]
fn output_naming_a_directory_is_refused() {
    let dir = project(&[("main.tf", BILLING.as_bytes())]);
    for flag in ["--output", "--write-baseline"] {
        for target in ["reports/", "."] {
            let out = cxlint_in(dir.path())
                .args(["check", "--no-config", flag, target])
                .output()
                .expect("run");
            assert_eq!(out.status.code(), Some(2), "{flag} {target}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                stderr,
                format!(
                    "cxlint: error: `{flag}` names `{target}`, a directory; give the file to write\n"
                ),
            );
            assert!(!dir.path().join("reports").exists(), "{flag} {target}");
        }
    }
}

/// A pipe or a device outside the working directory is named as given: `--state <(cat x)` is
/// `/dev/fd/63`, and was shown as `../../dev/fd/63` (the `..` steps up to the root from the
/// working directory). An ordinary file outside keeps its path from the working directory, and
/// one inside stays relative.
#[cfg(unix)]
#[test]
fn pipes_and_devices_outside_the_working_directory_are_named_as_given() {
    const BROKEN: &str = "{\"version\": 4, \"resources\": [";
    let dir = project(&[
        ("proj/main.tf", b"locals {}\n"),
        ("state.json", BROKEN.as_bytes()),
    ]);
    let proj = dir.path().join("proj");
    let state = ["check", "--no-config", "--format", "compact", "--state"];
    // The `/dev/fd/N` of `<(...)` is, on Linux, a link to the pipe `/proc/self/fd/N`, as
    // `/dev/stdin` is.
    assert_cmd_snapshot!(
        cxlint_in(&proj)
            .args(state)
            .arg("/dev/stdin")
            .pass_stdin(BROKEN)
    );
    let fifo = dir.path().join("state.pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let writer = std::thread::spawn({
        let fifo = fifo.clone();
        move || std::fs::write(fifo, BROKEN).expect("write the pipe")
    });
    let out = cxlint_in(&proj)
        .args(state)
        .arg(&fifo)
        .output()
        .expect("run");
    writer.join().expect("writer");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "{}:1:30: error[CX901] unexpected end of file: expected a json value (parse-error)\n",
            fifo.display()
        )
    );
    let (code, stdout) = run_in(
        &proj,
        &["check", "--no-config", "--format", "compact", "--state"]
            .into_iter()
            .chain([dir.path().join("state.json").to_str().expect("utf-8 path")])
            .collect::<Vec<_>>(),
    );
    assert_eq!(code, Some(2));
    assert!(
        stdout.starts_with("../state.json:1:30: error[CX901]"),
        "{stdout}"
    );
}
