//! Tests for `.cxlint.toml` loading, discovery and the layered merge.

use super::*;
use crate::rules::parse_error::ParseError;
use crate::rules::unused_suppression::UnusedSuppression;
use std::collections::HashMap;

/// A rule registry that does not change as rules are added: a few names and codes.
fn lookup(name: &str) -> Option<&'static str> {
    let n = name.to_ascii_lowercase();
    Some(match n.as_str() {
        "parse-error" | "cx901" => "parse-error",
        "unused-suppression" | "cx902" => "unused-suppression",
        "unassigned-wrapup-code" | "cx108" => "unassigned-wrapup-code",
        "hardcoded-secret" | "cx301" => "hardcoded-secret",
        _ => return None,
    })
}

fn no_env(_: &str) -> Option<String> {
    None
}

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |k| map.get(k).cloned()
}

fn res(cwd: &Path, cli: &CliOverrides, env: &dyn Fn(&str) -> Option<String>) -> Settings {
    resolve_with(cwd, cli, env, &lookup).unwrap_or_else(|e| panic!("{e}"))
}

fn err(cwd: &Path, cli: &CliOverrides, env: &dyn Fn(&str) -> Option<String>) -> ConfigError {
    resolve_with(cwd, cli, env, &lookup).expect_err("expected a config error")
}

/// A project directory with `.cxlint.toml` holding `text`.
fn project(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".cxlint.toml"), text).expect("write config");
    dir
}

/// Parse `text` as a config file and return the located error.
fn parse_err(text: &str) -> InvalidConfig {
    match parse_config(Path::new(".cxlint.toml"), text, Path::new("/p"), &lookup) {
        Err(ConfigError::Invalid(e)) => *e,
        Err(other) => panic!("expected a located error, got {other}"),
        Ok(_) => panic!("expected an error for:\n{text}"),
    }
}

fn parse_ok(text: &str) -> Settings {
    parse_config(Path::new(".cxlint.toml"), text, Path::new("/p"), &lookup)
        .unwrap_or_else(|e| panic!("{e}"))
}

// --- discovery --------------------------------------------------------------------------------

#[test]
fn discovery_walks_up_and_nearest_wins() {
    let root = tempfile::tempdir().expect("tempdir");
    let deep = root.path().join("a/b/c");
    std::fs::create_dir_all(&deep).expect("mkdir");
    std::fs::write(
        root.path().join(".cxlint.toml"),
        "[check]\nformat = \"json\"\n",
    )
    .expect("w");
    let s = res(&deep, &CliOverrides::default(), &no_env);
    assert_eq!(
        s.config_file.as_deref(),
        Some(root.path().join(".cxlint.toml").as_path())
    );
    assert_eq!(s.format, "json");

    // A nearer `cxlint.toml` wins over a farther `.cxlint.toml`.
    std::fs::write(
        root.path().join("a/cxlint.toml"),
        "[check]\nformat = \"sarif\"\n",
    )
    .expect("w");
    let s = res(&deep, &CliOverrides::default(), &no_env);
    assert_eq!(
        s.config_file.as_deref(),
        Some(root.path().join("a/cxlint.toml").as_path())
    );
    assert_eq!(s.format, "sarif");

    // In one directory `.cxlint.toml` comes before `cxlint.toml`.
    std::fs::write(
        root.path().join("a/.cxlint.toml"),
        "[check]\nformat = \"junit\"\n",
    )
    .expect("w");
    assert_eq!(
        res(&deep, &CliOverrides::default(), &no_env).format,
        "junit"
    );
}

#[test]
fn no_config_found_gives_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Discovery may find a config above the temp dir on a developer machine; --no-config cannot.
    let cli = CliOverrides {
        no_config: true,
        ..Default::default()
    };
    let s = res(dir.path(), &cli, &no_env);
    assert!(s.config_file.is_none());
    assert_eq!(s.format, "human");
    assert_eq!(s.fail_on, FailOn::Error);
    assert!(s.inline_ignores);
    assert!(s.select.is_none() && s.ignore.is_empty() && s.state.is_empty());
}

#[test]
fn config_flag_and_env_choose_the_file() {
    let dir = project("[check]\nformat = \"json\"\n");
    std::fs::write(
        dir.path().join("other.toml"),
        "[check]\nformat = \"gitlab\"\n",
    )
    .expect("w");
    let d = dir.path();

    let cli = CliOverrides {
        config: Some("other.toml".into()),
        ..Default::default()
    };
    assert_eq!(res(d, &cli, &no_env).format, "gitlab");
    assert_eq!(
        res(
            d,
            &CliOverrides::default(),
            &env_of(&[("CXLINT_CONFIG", "other.toml")])
        )
        .format,
        "gitlab"
    );

    let off = CliOverrides {
        no_config: true,
        ..Default::default()
    };
    assert_eq!(res(d, &off, &no_env).format, "human");
    assert_eq!(
        res(
            d,
            &CliOverrides::default(),
            &env_of(&[("CXLINT_NO_CONFIG", "1")])
        )
        .format,
        "human"
    );
    // The command line beats the environment.
    assert_eq!(
        res(d, &cli, &env_of(&[("CXLINT_NO_CONFIG", "true")])).format,
        "gitlab"
    );
    assert_eq!(
        res(d, &off, &env_of(&[("CXLINT_CONFIG", "other.toml")])).format,
        "human"
    );

    let missing = CliOverrides {
        config: Some("nope.toml".into()),
        ..Default::default()
    };
    assert!(matches!(
        err(d, &missing, &no_env),
        ConfigError::Read { .. }
    ));
    let e = err(
        d,
        &CliOverrides::default(),
        &env_of(&[("CXLINT_NO_CONFIG", "maybe")]),
    );
    assert!(e.to_string().contains("CXLINT_NO_CONFIG"), "{e}");
}

// --- precedence -------------------------------------------------------------------------------

#[test]
fn precedence_defaults_file_env_cli() {
    let dir = project(
        "[check]\nformat = \"json\"\nfail-on = \"warning\"\nselect = [\"parse-error\", \"cx902\"]\n\
         ignore = [\"hardcoded-secret\"]\nbaseline = \"base.json\"\nvars = { a = \"file\", b = \"file\" }\n",
    );
    let d = dir.path();
    let s = res(d, &CliOverrides::default(), &no_env);
    assert_eq!((s.format.as_str(), s.fail_on), ("json", FailOn::Warning));
    assert_eq!(
        s.select,
        Some(BTreeSet::from(["parse-error", "unused-suppression"]))
    );
    assert_eq!(s.baseline, Some(d.join("base.json")));

    let env = env_of(&[
        ("CXLINT_FORMAT", "sarif"),
        ("CXLINT_FAIL_ON", "info"),
        ("CXLINT_SELECT", "unassigned-wrapup-code"),
        ("CXLINT_IGNORE", "CX901"),
        ("CXLINT_BASELINE", "env.json"),
    ]);
    let s = res(d, &CliOverrides::default(), &env);
    assert_eq!((s.format.as_str(), s.fail_on), ("sarif", FailOn::Info));
    assert_eq!(s.select, Some(BTreeSet::from(["unassigned-wrapup-code"])));
    // Ignores accumulate over layers.
    assert_eq!(
        s.ignore,
        BTreeSet::from(["hardcoded-secret", "parse-error"])
    );
    assert_eq!(s.baseline, Some(d.join("env.json")));

    let cli = CliOverrides {
        format: Some("compact".into()),
        fail_on: Some("never".into()),
        select: Some(vec!["parse-error,unused-suppression".into()]),
        ignore: Some(vec!["unused-suppression".into()]),
        vars: vec!["b=cli".into(), "c=x=y".into()],
        baseline: Some("cli.json".into()),
        no_inline_ignores: true,
        ..Default::default()
    };
    let s = res(d, &cli, &env);
    assert_eq!((s.format.as_str(), s.fail_on), ("compact", FailOn::Never));
    assert_eq!(
        s.select,
        Some(BTreeSet::from(["parse-error", "unused-suppression"]))
    );
    // `parse-error`, ignored by the environment, is selected on the command line: it runs. The
    // command line's own ignore beats its own select.
    assert_eq!(
        s.ignore,
        BTreeSet::from(["hardcoded-secret", "unused-suppression"])
    );
    assert_eq!(s.baseline, Some(d.join("cli.json")));
    assert!(!s.inline_ignores);
    let vars: Vec<_> = s.vars.iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(vars, ["a=file", "b=cli", "c=x=y"]);
}

/// `live`, `output`, `color` and `quiet` follow the same layers as the other `check` options
/// (they were unknown keys in `[check]`, and had no `CXLINT_*` variable).
#[test]
fn report_and_live_options_follow_the_layers() {
    let dir = project(
        "[check]\nlive = true\noutput = \"reports/cxlint.txt\"\ncolor = \"never\"\nquiet = true\n",
    );
    let d = dir.path();
    let sub = d.join("sub");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let s = res(&sub, &CliOverrides::default(), &no_env);
    assert_eq!(
        (s.live, s.output.clone(), s.color, s.quiet),
        (true, Some(d.join("reports/cxlint.txt")), Color::Never, true)
    );

    let env = env_of(&[
        ("CXLINT_LIVE", "0"),
        ("CXLINT_OUTPUT", "env.txt"),
        ("CXLINT_COLOR", "always"),
        ("CXLINT_QUIET", "no"),
    ]);
    let s = res(&sub, &CliOverrides::default(), &env);
    assert_eq!(
        (s.live, s.output.clone(), s.color, s.quiet),
        (false, Some(sub.join("env.txt")), Color::Always, false)
    );

    let cli = CliOverrides {
        live: true,
        output: Some("cli.txt".into()),
        color: Some("auto".into()),
        quiet: true,
        ..Default::default()
    };
    let s = res(&sub, &cli, &env);
    assert_eq!(
        (s.live, s.output.clone(), s.color, s.quiet),
        (true, Some(sub.join("cli.txt")), Color::Auto, true)
    );

    // Defaults: no fetching, standard output, colour on a terminal, the summary line.
    let none = CliOverrides {
        no_config: true,
        ..Default::default()
    };
    let s = res(d, &none, &no_env);
    assert_eq!(
        (s.live, s.output, s.color, s.quiet),
        (false, None, Color::Auto, false)
    );

    // Values are validated where they come from.
    let e = parse_err("[check]\ncolor = \"sometimes\"\n");
    assert_located(&e, 2, 9, "check.color", "unknown colour choice `sometimes`");
    let e = err(d, &none, &env_of(&[("CXLINT_COLOR", "sometimes")]));
    assert!(e.to_string().contains("CXLINT_COLOR"), "{e}");
    let e = err(d, &none, &env_of(&[("CXLINT_QUIET", "maybe")]));
    assert!(e.to_string().contains("CXLINT_QUIET"), "{e}");
    let cli = CliOverrides {
        color: Some("sometimes".into()),
        ..none
    };
    assert!(err(d, &cli, &no_env).to_string().contains("--color"));
}

#[test]
fn paths_are_relative_to_the_config_file_or_the_working_directory() {
    let dir = project(
        "[state]\npaths = [\"export/\", \"./org.json\"]\n[check]\nvar-files = [\"a.tfvars\"]\n",
    );
    let sub = dir.path().join("sub");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let s = res(&sub, &CliOverrides::default(), &no_env);
    assert_eq!(
        s.state,
        [dir.path().join("export"), dir.path().join("org.json")]
    );
    assert_eq!(s.var_files, [dir.path().join("a.tfvars")]);

    let joined = std::env::join_paths(["x.tfstate", "snap.json"]).expect("join");
    let joined = joined.to_string_lossy().into_owned();
    let s = res(
        &sub,
        &CliOverrides::default(),
        &env_of(&[("CXLINT_STATE", &joined)]),
    );
    assert_eq!(s.state, [sub.join("x.tfstate"), sub.join("snap.json")]);

    let cli = CliOverrides {
        state: Some(vec!["cli.tfstate".into()]),
        ..Default::default()
    };
    assert_eq!(
        res(&sub, &cli, &env_of(&[("CXLINT_STATE", &joined)])).state,
        [sub.join("cli.tfstate")]
    );
}

#[test]
fn env_and_cli_values_are_validated() {
    let d = tempfile::tempdir().expect("tempdir");
    let none = CliOverrides {
        no_config: true,
        ..Default::default()
    };
    let e = err(d.path(), &none, &env_of(&[("CXLINT_FORMAT", "xml")]));
    assert!(
        e.to_string().contains("CXLINT_FORMAT") && e.to_string().contains("`xml`"),
        "{e}"
    );
    let e = err(
        d.path(),
        &none,
        &env_of(&[("CXLINT_IGNORE", "parse-error,nope")]),
    );
    assert!(e.to_string().contains("unknown rule `nope`"), "{e}");
    let cli = CliOverrides {
        fail_on: Some("fatal".into()),
        ..none.clone()
    };
    assert!(
        err(d.path(), &cli, &no_env)
            .to_string()
            .contains("--fail-on")
    );
    // A `--var` without its name may be the secret alone: not echoed.
    let cli = CliOverrides {
        vars: vec!["a=1".into(), "Hx7pQ2mZ9vK4tR8wLn3bYc6d".into()],
        ..none.clone()
    };
    let e = err(d.path(), &cli, &no_env).to_string();
    assert!(e.contains("NAME=VALUE") && e.contains("number 2"), "{e}");
    assert!(!e.contains("Hx7pQ2mZ9vK4tR8wLn3bYc6d"), "{e}");
    let cli = CliOverrides {
        select: Some(vec!["bogus".into()]),
        ..none
    };
    assert!(
        err(d.path(), &cli, &no_env)
            .to_string()
            .contains("--select")
    );
}

// --- located errors ---------------------------------------------------------------------------

/// Assert `path:line:col` in the message, the key, and a fragment of the message.
fn assert_located(e: &InvalidConfig, line: u32, col: u32, key: &str, fragment: &str) {
    let shown = e.to_string();
    assert!(
        shown.starts_with(&format!(".cxlint.toml:{line}:{col}: ")),
        "{shown}"
    );
    assert_eq!(e.key.as_deref(), Some(key), "{shown}");
    assert!(shown.contains(fragment), "{shown} lacks {fragment}");
}

#[test]
fn unknown_keys_are_located() {
    let e = parse_err("[files]\nexclude = []\n\n[chek]\nformat = \"json\"\n");
    assert_located(&e, 4, 2, "chek", "unknown key `chek`");
    let e = parse_err("[check]\nformat = \"json\"\n  falil-on = \"error\"\n");
    assert_located(
        &e,
        3,
        3,
        "check.falil-on",
        "unknown key `falil-on` in `[check]`",
    );
    let e = parse_err("[[data-action-clients]]\nintegration = \"x\"\noauth_client = \"y\"\n");
    assert_located(
        &e,
        3,
        1,
        "data-action-clients.oauth_client",
        "unknown key `oauth_client`",
    );
    let e = parse_err("[rules.parse-error]\nseverity = \"warn\"\nlimit = 3\n");
    assert_located(&e, 3, 1, "rules.parse-error.limit", "unknown key `limit`");
}

#[test]
fn wrong_types_and_syntax_are_located() {
    let e = parse_err("[check]\nformat = 3\n");
    assert_located(&e, 2, 10, "check.format", "`check.format`: invalid type");
    let e = parse_err("[files]\nexclude = \"legacy/**\"\n");
    assert_located(&e, 2, 11, "files.exclude", "invalid type");
    let e = parse_err("[rules]\nparse-error = 2\n");
    assert_located(&e, 2, 15, "rules.parse-error", "invalid type");
    // A TOML syntax error.
    let e = parse_err("[check]\nformat = \"json\n");
    assert!(e.to_string().starts_with(".cxlint.toml:2:"), "{e}");
}

#[test]
fn semantic_errors_are_located() {
    let e = parse_err("[rules]\nparse-error = \"warn\"\nunasigned-wrapup-code = \"off\"\n");
    assert_located(
        &e,
        3,
        1,
        "rules.unasigned-wrapup-code",
        "unknown rule `unasigned-wrapup-code`",
    );
    let e = parse_err("[rules]\nparse-error = \"loud\"\n");
    assert_located(
        &e,
        2,
        15,
        "rules.parse-error",
        "unknown level `loud` for rule `parse-error`",
    );
    assert!(e.help.as_deref().is_some_and(|h| h.contains("`warning`")));
    let e = parse_err("[rules]\nparse-error = \"warn\"\nCX901 = \"off\"\n");
    assert_located(
        &e,
        3,
        1,
        "rules.CX901",
        "rule `parse-error` is configured more than once",
    );
    let e = parse_err("[rules.parse-error]\nseverity = \"loud\"\n");
    assert_located(&e, 2, 12, "rules.parse-error", "unknown level `loud`");
    let e = parse_err("[check]\nfail-on = \"fatal\"\n");
    assert_located(&e, 2, 11, "check.fail-on", "unknown level `fatal`");
    let e = parse_err("[check]\nformat = \"xml\"\n");
    assert_located(&e, 2, 10, "check.format", "unknown format `xml`");
    let e = parse_err("[check]\nselect = [\"parse-error\", \"bogus\"]\n");
    assert_located(
        &e,
        2,
        26,
        "check.select",
        "unknown rule `bogus` in `check.select`",
    );
    for empty in ["[]", "[\"\"]", "[\" , \"]"] {
        let e = parse_err(&format!("[check]\nselect = {empty}\n"));
        assert_located(&e, 2, 10, "check.select", "`check.select` names no rule");
    }
    let e = parse_err("[files]\nexclude = [\"ok/**\", \"bad/[z-a\"]\n");
    assert_located(&e, 2, 21, "files.exclude[1]", "invalid glob `bad/[z-a`");
    // Each glob compiles, but the set of them does not (alternatives nested 128 deep).
    let nested = format!("{}x{}", "{a,".repeat(128), "}".repeat(128));
    let e = parse_err(&format!("[files]\nexclude = [\"ok/**\", \"{nested}\"]\n"));
    assert_located(&e, 2, 21, "files.exclude[1]", "cannot be matched");
    let e = parse_err("[rules.per-file-ignores]\n\"a/*.json\" = [\"nope\"]\n");
    assert_located(
        &e,
        2,
        15,
        "rules.per-file-ignores.\"a/*.json\"",
        "unknown rule `nope`",
    );
    let e = parse_err("[rules.per-file-ignores]\n\"a/{b\" = [\"parse-error\"]\n");
    assert_located(&e, 2, 1, "rules.per-file-ignores.\"a/{b\"", "invalid glob");
    // An empty glob matched every path: `exclude = [""]` checked nothing and passed.
    for empty in ["", "/"] {
        let e = parse_err(&format!("[files]\nexclude = [\"ok/**\", \"{empty}\"]\n"));
        assert_located(&e, 2, 21, "files.exclude[1]", "is empty: it names no file");
        let e = parse_err(&format!(
            "[rules.per-file-ignores]\n\"{empty}\" = [\"CX301\"]\n"
        ));
        let key = format!("rules.per-file-ignores.\"{empty}\"");
        assert_located(&e, 2, 1, &key, "is empty: it names no file");
    }
    // An empty path named the config file's directory: `[state] paths = [""]` read the
    // project as org state. The command line refuses an empty value too. (In a list, toml
    // locates the list.)
    for (text, line, col, key) in [
        ("[state]\npaths = [\"export\", \"\"]\n", 2, 9, "state.paths"),
        ("[check]\nvar-files = [\"\"]\n", 2, 13, "check.var-files"),
        ("[check]\nbaseline = \"\"\n", 2, 12, "check.baseline"),
        ("[check]\noutput = \"\"\n", 2, 10, "check.output"),
    ] {
        let e = parse_err(text);
        assert_located(&e, line, col, key, "a path must not be empty");
    }
    let e = parse_err("[[data-action-clients]]\nintegration = \"x\"\noauth-client = \" \"\n");
    assert_located(
        &e,
        3,
        16,
        "data-action-clients.oauth-client",
        "must not be empty",
    );
}

#[test]
fn located_errors_come_through_resolve_with_the_shown_path() {
    let dir = project("[rules]\n\nbogus-rule = \"off\"\n");
    let sub = dir.path().join("x");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let e = err(dir.path(), &CliOverrides::default(), &no_env);
    assert!(
        e.to_string()
            .starts_with(".cxlint.toml:3:1: unknown rule `bogus-rule`"),
        "{e}"
    );
    // From a sub-directory the path stays absolute (it is outside the working directory).
    let e = err(&sub, &CliOverrides::default(), &no_env);
    assert!(e.to_string().contains(".cxlint.toml:3:1:"), "{e}");
}

// --- rules, files, clients --------------------------------------------------------------------

#[test]
fn per_rule_levels_and_off() {
    let s = parse_ok("[rules]\nparse-error = \"warn\"\nCX902 = \"off\"\n");
    assert_eq!(s.rule_severity(&ParseError::META), Some(Severity::Warning));
    assert_eq!(s.rule_severity(&UnusedSuppression::META), None);
    assert!(!s.rule_enabled(&UnusedSuppression::META));

    let s = parse_ok("[rules.parse-error]\nseverity = \"info\"\n[rules]\n");
    assert_eq!(s.rule_severity(&ParseError::META), Some(Severity::Info));
    assert_eq!(
        s.rule_severity(&UnusedSuppression::META),
        Some(Severity::Warning)
    );

    // Selection and ignores switch rules off too.
    let mut s = parse_ok("[check]\nselect = [\"parse-error\"]\n");
    assert!(s.rule_enabled(&ParseError::META) && !s.rule_enabled(&UnusedSuppression::META));
    s.ignore.insert("parse-error");
    assert_eq!(s.rule_severity(&ParseError::META), None);
}

#[test]
fn excludes_are_relative_to_the_config_directory() {
    let mut s =
        parse_ok("[files]\nexclude = [\"legacy/**\", \"*.gen.tf\", \"/top.tf\", \"vendor/\"]\n");
    s.cwd = PathBuf::from("/p/sub");
    assert!(s.is_excluded(Path::new("/p/legacy/a.tf")));
    assert!(s.is_excluded(Path::new("../legacy/deep/b.tf")));
    assert!(s.is_excluded(Path::new("x.gen.tf")), "no `/`: any depth");
    assert!(s.is_excluded(Path::new("/p/a/b/c.gen.tf")));
    assert!(s.is_excluded(Path::new("/p/top.tf")));
    assert!(
        !s.is_excluded(Path::new("/p/a/top.tf")),
        "leading `/` anchors"
    );
    assert!(
        s.is_excluded(Path::new("/p/vendor/m/main.tf")),
        "a directory excludes its contents"
    );
    assert!(!s.is_excluded(Path::new("/p/main.tf")));
    assert!(
        !s.is_excluded(Path::new("/elsewhere/legacy/a.tf")),
        "outside the config's tree"
    );
    assert!(!s.is_excluded(Path::new("/p/legacyx/a.tf")));
}

#[test]
fn per_file_ignores_match_globs_and_rules() {
    let s = parse_ok(
        "[rules.per-file-ignores]\n\"export/*.tf.json\" = [\"hardcoded-secret\", \"CX901\"]\n\"gen/\" = [\"parse-error\"]\n",
    );
    assert!(s.per_file_ignored(
        Path::new("/p/export/genesyscloud.tf.json"),
        "hardcoded-secret"
    ));
    assert!(s.per_file_ignored(Path::new("/p/export/genesyscloud.tf.json"), "parse-error"));
    assert!(!s.per_file_ignored(
        Path::new("/p/export/genesyscloud.tf.json"),
        "unused-suppression"
    ));
    assert!(!s.per_file_ignored(Path::new("/p/export/deep/x.tf.json"), "hardcoded-secret"));
    assert!(s.per_file_ignored(Path::new("/p/gen/x/y.tf"), "parse-error"));
    assert!(!s.per_file_ignored(Path::new("/p/main.tf"), "parse-error"));
}

#[test]
fn data_action_clients_are_read() {
    let s = parse_ok(
        "[[data-action-clients]]\nintegration = \"genesyscloud_integration.data_actions\"\n\
         oauth-client = \"Data Actions Client\"\n[[data-action-clients]]\nintegration = \"Other\"\n\
         oauth-client = \"genesyscloud_oauth_client.x\"\n",
    );
    assert_eq!(s.rules.data_action_clients.len(), 2);
    assert_eq!(
        s.rules
            .data_action_client("genesyscloud_integration.data_actions"),
        Some("Data Actions Client")
    );
    assert_eq!(
        s.rules.data_action_client("Other"),
        Some("genesyscloud_oauth_client.x")
    );
    assert_eq!(s.rules.data_action_client("missing"), None);
    let e = parse_err("[[data-action-clients]]\nintegration = \"x\"\n");
    assert!(
        e.to_string().contains("missing field `oauth-client`"),
        "{e}"
    );
}

// --- show-config ------------------------------------------------------------------------------

#[test]
fn show_config_is_deterministic_and_readable_back() {
    let dir = project(
        "[files]\nexclude = [\"legacy/**\"]\n[state]\npaths = [\"export\"]\n\
         [check]\nvars = { z = \"1\", a = \"2\" }\n[rules]\nunused-suppression = \"error\"\nparse-error = \"off\"\n\
         [rules.per-file-ignores]\n\"x/*.json\" = [\"hardcoded-secret\"]\n\
         [[data-action-clients]]\nintegration = \"i\"\noauth-client = \"c\"\n",
    );
    let s = res(dir.path(), &CliOverrides::default(), &no_env);
    let shown = show_config(&s);
    assert_eq!(
        shown,
        show_config(&res(dir.path(), &CliOverrides::default(), &no_env))
    );
    assert!(
        shown.starts_with("# merged settings; config file: .cxlint.toml\n"),
        "{shown}"
    );
    assert!(
        !shown.contains(&*dir.path().to_string_lossy()),
        "no absolute paths:\n{shown}"
    );
    // Sorted: `parse-error` before `unused-suppression`, `a` before `z`.
    let pe = shown
        .find("parse-error = \"off\"")
        .expect("parse-error level");
    let us = shown
        .find("unused-suppression = \"error\"")
        .expect("unused level");
    assert!(pe < us, "{shown}");
    assert!(
        shown.find("a = \"********\"") < shown.find("z = \"********\""),
        "{shown}"
    );
    // The output is itself a valid config with the same meaning, but for the variables' values.
    let again = parse_ok(&shown);
    assert_eq!(again.levels, s.levels);
    assert_eq!(again.exclude, s.exclude);
    assert_eq!(again.per_file_ignores, s.per_file_ignores);
    assert_eq!(again.rules, s.rules);
    assert!(again.vars.keys().eq(s.vars.keys()));
    assert_eq!(again.format, "human");
}

/// `--var` is how CI passes its secrets, under any name: no value is shown, from the command line
/// or the config file, whether or not its name reads as a secret's. An empty one holds nothing.
#[test]
fn show_config_masks_every_variable_value() {
    let dir =
        project("[check]\nvars = { region = \"us-east-1\", db = \"postgres://u:Pq9wX@h\" }\n");
    let cli = CliOverrides {
        vars: vec![
            "password=Hx7pQ2mZ9vK4tR8wLn3bYc6dFs1gJa5e".into(),
            "creds=Zt5vB8nM2qL6wR9xK3cJ7hF4gD1sA0pE".into(),
            "empty=".into(),
        ],
        ..CliOverrides::default()
    };
    let shown = show_config(&res(dir.path(), &cli, &no_env));
    for value in [
        "Hx7pQ2mZ9vK4tR8wLn3bYc6dFs1gJa5e",
        "Zt5vB8nM2qL6wR9xK3cJ7hF4gD1sA0pE",
        "postgres",
        "us-east-1",
    ] {
        assert!(!shown.contains(value), "shows {value}:\n{shown}");
    }
    for name in ["password", "creds", "db", "region"] {
        assert!(shown.contains(&format!("{name} = \"********\"")), "{shown}");
    }
    assert!(shown.contains("empty = \"\""), "{shown}");
}

// --- fixtures (testdata/config/) --------------------------------------------------------------

/// Every rule name in INTERFACE.md, so the fixtures stay valid as rules are registered.
fn interface_lookup(name: &str) -> Option<&'static str> {
    const NAMES: &[&str] = &[
        "wrapup-code-not-assigned",
        "unknown-wrapup-code",
        "unknown-queue",
        "unresolved-reference",
        "duplicate-wrapup-code-name",
        "mandatory-wrapup-without-codes",
        "unassigned-wrapup-code",
        "dynamic-reference",
        "unknown-oauth-scope",
        "client-credentials-without-roles",
        "scopes-ignored-for-client-credentials",
        "missing-permission",
        "unknown-permission",
        "conversation-change-without-user-context",
        "unknown-api-endpoint",
        "api-method-not-allowed",
        "unknown-request-field",
        "removed-api-endpoint",
        "flow-file-not-found",
        "missing-flow-substitution",
        "unused-flow-substitution",
        "hardcoded-secret",
        "unused-suppression",
        "parse-error",
    ];
    NAMES.iter().copied().find(|n| *n == name)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/config")
        .join(name)
}

#[test]
fn full_fixture_resolves() {
    let dir = fixture("full");
    let s = resolve_with(&dir, &CliOverrides::default(), &no_env, &interface_lookup)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.format.as_str(), s.fail_on), ("sarif", FailOn::Warning));
    assert_eq!(
        s.levels.get("unassigned-wrapup-code"),
        Some(&RuleLevel::Off)
    );
    assert_eq!(
        s.levels.get("mandatory-wrapup-without-codes"),
        Some(&RuleLevel::Error)
    );
    assert_eq!(s.levels.get("unknown-permission"), Some(&RuleLevel::Error));
    assert_eq!(s.ignore, BTreeSet::from(["dynamic-reference"]));
    assert_eq!(s.state, [dir.join("export"), dir.join("org-snapshot.json")]);
    assert_eq!(s.baseline, Some(dir.join(".cxlint-baseline.json")));
    assert!(s.is_excluded(&dir.join("legacy/old.tf")));
    assert!(s.per_file_ignored(&dir.join("export/genesyscloud.tf.json"), "hardcoded-secret"));
    assert_eq!(
        s.rules
            .data_action_client("genesyscloud_integration.data_actions"),
        Some("Data Actions Client")
    );
}

#[test]
fn nested_fixture_is_found_by_walking_up() {
    let s = resolve_with(
        &fixture("nested/sub/dir"),
        &CliOverrides::default(),
        &no_env,
        &interface_lookup,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.format, "compact");
    assert_eq!(s.config_file, Some(fixture("nested/cxlint.toml")));
}

#[test]
fn invalid_fixtures_give_located_errors() {
    for (name, line_col, fragment) in [
        ("unknown-key", "3:1", "unknown key `fail_on` in `[check]`"),
        (
            "unknown-rule",
            "2:1",
            "unknown rule `unasigned-wrapup-code`",
        ),
        ("wrong-type", "2:9", "`state.paths`: invalid type"),
        ("bad-level", "2:26", "unknown level `silent`"),
    ] {
        let e = resolve_with(
            &fixture(name),
            &CliOverrides::default(),
            &no_env,
            &interface_lookup,
        )
        .expect_err(name);
        let shown = e.to_string();
        assert!(
            shown.contains(&format!(".cxlint.toml:{line_col}: ")),
            "{name}: {shown}"
        );
        assert!(shown.contains(fragment), "{name}: {shown}");
    }
}
