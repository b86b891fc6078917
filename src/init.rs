//! `cxlint init`: the commented starter `.cxlint.toml` and the writer that never overwrites a
//! user's file unless told to.

use std::io;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::settings::CONFIG_FILE_NAMES;

/// The starter configuration. Everything optional is commented out, so the file parses as-is
/// (a test checks it) and changes nothing until the user opts in.
pub fn starter_config() -> &'static str {
    STARTER
}

const STARTER: &str = r#"# cxlint configuration. Found by walking up from the working directory; the first
# `.cxlint.toml` or `cxlint.toml` wins. Unknown keys are errors, so typos never pass silently.
# Precedence: defaults < this file < CXLINT_* environment variables < command-line options.
# `cxlint check --show-config` prints the merged result. Paths are relative to this file.

[files]
# Globs of files and directories not to lint (.gitignore is respected as well).
# A pattern without `/` matches at any depth; `*` does not cross directories.
exclude = []
# exclude = ["legacy/**", "*.generated.tf"]

[state]
# Org state to cross-check the configuration against, as `--state`: a genesyscloud_tf_export
# directory, a terraform.tfstate, a plan from `terraform show -json`, or a `cxlint snapshot` file.
paths = []
# paths = ["export/"]

[check]
# Defaults for `cxlint check` options; the command line overrides them.
# format = "human"          # human | compact | json | sarif | github | junit | checkstyle | gitlab | rdjson
# fail-on = "error"         # error | warning | info | never: the lowest severity that fails the run
# select = ["hardcoded-secret"] # run only these rules (names or codes)
# ignore = []               # skip these rules
# var-files = ["prod.tfvars"]
# vars = { environment = "prod" }
# baseline = ".cxlint-baseline.json"
# inline-ignores = true     # false ignores `# cxlint-ignore` comments (for audits)
# output = "cxlint-report.sarif"   # write the report there instead of standard output
# color = "auto"            # auto | always | never
# quiet = false             # true: findings and errors only, no summary line or warnings
# live = false              # true fetches org state from the API on every run (as --live)

[rules]
# Per-rule level: off | info | warning | error (or allow | warn | deny). `cxlint rules` lists them.
# unassigned-wrapup-code = "off"
# mandatory-wrapup-without-codes = "error"

[rules.per-file-ignores]
# Rules not reported in files matching a glob. JSON files cannot hold `# cxlint-ignore` comments,
# so this is the way to silence findings in them.
# "export/genesyscloud.tf.json" = ["hardcoded-secret"]

# Which OAuth client a data-action integration runs as, when the configuration cannot tell.
# [[data-action-clients]]
# integration = "genesyscloud_integration.data_actions"
# oauth-client = "Data Actions Client"   # a name, a Terraform address, or an id
"#;

/// Write the starter file as `dir/.cxlint.toml` and return its path. Refuses (with
/// `ErrorKind::AlreadyExists`) when a config file of either name already exists in `dir`, unless
/// `force`: `cxlint.toml` counts too, because a new `.cxlint.toml` would silently shadow it.
pub fn write_init(dir: &Path, force: bool) -> Result<PathBuf, io::Error> {
    let path = dir.join(CONFIG_FILE_NAMES[0]);
    if !force {
        // `symlink_metadata`, not `exists`: a dangling `.cxlint.toml` link made `create_new`
        // below fail with a bare "File exists (os error 17)" naming no file.
        if let Some(existing) = CONFIG_FILE_NAMES
            .iter()
            .find(|n| std::fs::symlink_metadata(dir.join(n)).is_ok())
        {
            // Named as the user knows it (the file in the directory they ran `init` in), and
            // for `cxlint.toml` without the promise to overwrite it: `--force` writes
            // `.cxlint.toml` beside it, which is found first and shadows it.
            let what = if *existing == CONFIG_FILE_NAMES[0] {
                "use --force to overwrite it".to_string()
            } else {
                format!(
                    "`--force` would write `{}` beside it, which takes precedence",
                    CONFIG_FILE_NAMES[0]
                )
            };
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("`{existing}` already exists ({what})"),
            ));
        }
    }
    let mut file = if force {
        std::fs::File::create(&path)?
    } else {
        // `create_new` closes the race between the check above and the write: an existing file
        // is never truncated.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?
    };
    file.write_all(STARTER.as_bytes())?;
    file.sync_all()?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{ConfigFile, parse_config};

    #[test]
    fn starter_parses_with_the_loader() {
        let s = parse_config(
            Path::new(".cxlint.toml"),
            starter_config(),
            Path::new("/p"),
            &|n| crate::rules::find(n).map(|m| m.name),
        )
        .expect("starter config must parse");
        assert_eq!(s.format, "human");
        assert!(s.levels.is_empty() && s.state.is_empty() && s.exclude.is_empty());
    }

    /// Every commented-out example, uncommented, is valid too (with every rule of INTERFACE.md
    /// known), so the examples teach nothing wrong.
    #[test]
    fn starter_examples_are_valid_when_uncommented() {
        let mut text = String::new();
        let mut seen = std::collections::HashSet::new();
        for line in starter_config().lines() {
            let Some(rest) = line.strip_prefix("# ") else {
                text.push_str(line);
                text.push('\n');
                continue;
            };
            let is_example = rest.starts_with('[')
                || rest.starts_with('"')
                || rest
                    .split_once(" = ")
                    .is_some_and(|(k, _)| !k.contains(' '));
            if is_example {
                // Drop the live `key = []` that an example of the same key follows.
                let key = rest.split(" = ").next().unwrap_or("").to_owned();
                if seen.insert(key.clone()) {
                    text = text.replace(&format!("\n{key} = []\n"), "\n");
                }
                text.push_str(rest);
                text.push('\n');
            }
        }
        let known = |n: &str| {
            [
                "unassigned-wrapup-code",
                "mandatory-wrapup-without-codes",
                "hardcoded-secret",
            ]
            .into_iter()
            .find(|k| *k == n)
        };
        let s = parse_config(Path::new(".cxlint.toml"), &text, Path::new("/p"), &known)
            .unwrap_or_else(|e| panic!("{e}\n---\n{text}"));
        assert_eq!(s.exclude, ["legacy/**", "*.generated.tf"]);
        assert_eq!(s.rules.data_action_clients.len(), 1);
        assert_eq!(
            s.baseline.as_deref(),
            Some(Path::new("/p/.cxlint-baseline.json"))
        );
        assert_eq!(
            s.output.as_deref(),
            Some(Path::new("/p/cxlint-report.sarif"))
        );
        // And it is a plain `ConfigFile` too.
        assert!(toml::from_str::<ConfigFile>(&text).is_ok());
    }

    #[test]
    fn write_init_never_overwrites_without_force() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = write_init(dir.path(), false).expect("first write");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), starter_config());

        std::fs::write(&p, "# mine\n").expect("write");
        let e = write_init(dir.path(), false).expect_err("must refuse");
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "# mine\n");

        write_init(dir.path(), true).expect("forced");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), starter_config());
    }

    #[test]
    fn write_init_respects_the_other_file_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("cxlint.toml"), "").expect("write");
        let e = write_init(dir.path(), false).expect_err("must refuse");
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert!(!dir.path().join(".cxlint.toml").exists());
        assert_eq!(
            e.to_string(),
            "`cxlint.toml` already exists (`--force` would write `.cxlint.toml` beside it, which \
             takes precedence)"
        );
    }

    /// A dangling `.cxlint.toml` symlink was refused with a bare "File exists (os error 17)".
    #[cfg(unix)]
    #[test]
    fn write_init_names_a_dangling_link() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::os::unix::fs::symlink("nowhere", dir.path().join(".cxlint.toml")).expect("link");
        let e = write_init(dir.path(), false).expect_err("must refuse");
        assert_eq!(
            e.to_string(),
            "`.cxlint.toml` already exists (use --force to overwrite it)"
        );
        assert!(!dir.path().join("nowhere").exists());
    }
}
