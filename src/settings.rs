//! Configuration: the `.cxlint.toml` schema, its discovery, and the layered merge into [`Settings`].
//!
//! Three stages, as ruff names them: [`ConfigFile`] is the file as written (strict: unknown keys are
//! errors, every value keeps its span so a semantic error can point at it); each source (file,
//! environment, command line) becomes a [`Layer`] of optional values; [`resolve`] merges the layers
//! (defaults < file < `CXLINT_*` environment < command line) into a validated [`Settings`].
//!
//! How layers combine, per option:
//!
//! | option | merge |
//! |---|---|
//! | `format`, `fail-on`, `baseline`, `inline-ignores`, `live`, `output`, `color`, `quiet` | the highest layer that sets it wins |
//! | `select`, `state`, `var-files` | the highest layer that sets it replaces the lists below it |
//! | `ignore` | union over all layers: an ignore is always a deliberate choice, and a CI job that adds `--ignore x` should not silently re-enable what the config file turned off; but a rule a layer names in `select` runs even when a lower layer ignores it or sets it `off` (at its default severity then) |
//! | `vars` | merged by name; the highest layer wins for each name |
//!
//! Environment variables (an empty value counts as unset): `CXLINT_CONFIG`, `CXLINT_NO_CONFIG`,
//! `CXLINT_FORMAT`, `CXLINT_FAIL_ON`, `CXLINT_SELECT` and `CXLINT_IGNORE` (comma-separated),
//! `CXLINT_STATE` and `CXLINT_VAR_FILE` (lists separated by the OS path separator, `:` or `;`),
//! `CXLINT_BASELINE`, `CXLINT_OUTPUT`, `CXLINT_COLOR`, `CXLINT_NO_INLINE_IGNORES`, `CXLINT_LIVE` and
//! `CXLINT_QUIET` (booleans: `1/0`, `true/false`, `yes/no`, `on/off`).
//! Which config file is used: `--no-config`, `--config`, `CXLINT_NO_CONFIG`, `CXLINT_CONFIG`, then
//! discovery (walk up from the working directory; in each directory `.cxlint.toml` then
//! `cxlint.toml`; the first found wins).
//!
//! Paths written in the config file (`state.paths`, `check.var-files`, `check.baseline`,
//! `check.output`, `files.exclude`, `rules.per-file-ignores`) are relative to the config file's directory, so a
//! config keeps meaning the same thing from any sub-directory. Paths from the environment and the
//! command line are relative to the working directory, as a shell user expects.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use miette::{Diagnostic as MietteDiagnostic, NamedSource, SourceSpan};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::rules::RuleMeta;
use crate::source::{SourceFile, display_path};

/// File names tried in each directory, in order (the first found wins).
pub const CONFIG_FILE_NAMES: [&str; 2] = [".cxlint.toml", "cxlint.toml"];

/// Output formats `--format` accepts. The reporters live in `report/`; this list is the contract
/// (INTERFACE.md) that configuration is validated against.
pub const FORMATS: [&str; 9] = [
    "human",
    "compact",
    "json",
    "sarif",
    "github",
    "junit",
    "checkstyle",
    "gitlab",
    "rdjson",
];

// ---------------------------------------------------------------------------------------------
// What rules receive
// ---------------------------------------------------------------------------------------------

/// The part of the configuration that rules may read (through `rules::Context`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RuleSettings {
    /// Which OAuth client each data-action integration runs as, when the configuration cannot tell
    /// (`[[data-action-clients]]`).
    pub data_action_clients: Vec<DataActionClient>,
}

impl RuleSettings {
    /// The configured OAuth client for an integration (matched by its Terraform address, name or
    /// id, exactly as written in the config).
    pub fn data_action_client(&self, integration: &str) -> Option<&str> {
        self.data_action_clients
            .iter()
            .find(|c| c.integration == integration)
            .map(|c| c.oauth_client.as_str())
    }
}

/// One `[[data-action-clients]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct DataActionClient {
    /// The data-action integration: a Terraform address, a name or an id.
    pub integration: String,
    /// The OAuth client it runs as: a name, a Terraform address or an id.
    pub oauth_client: String,
}

// ---------------------------------------------------------------------------------------------
// Small validated values
// ---------------------------------------------------------------------------------------------

/// A rule's configured level: `off` or a severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RuleLevel {
    Off,
    Info,
    Warning,
    Error,
}

impl RuleLevel {
    /// Accepts `off | info | warning | error` and the selene/clippy aliases `allow | warn | deny`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "off" | "allow" => RuleLevel::Off,
            "info" => RuleLevel::Info,
            "warning" | "warn" => RuleLevel::Warning,
            "error" | "deny" => RuleLevel::Error,
            _ => return None,
        })
    }

    /// The severity findings get, or `None` when the rule is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleLevel::Off => None,
            RuleLevel::Info => Some(Severity::Info),
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Error => Some(Severity::Error),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RuleLevel::Off => "off",
            RuleLevel::Info => "info",
            RuleLevel::Warning => "warning",
            RuleLevel::Error => "error",
        }
    }
}

const LEVEL_HELP: &str =
    "expected one of `off`, `info`, `warning`, `error` (or `allow`, `warn`, `deny`)";

/// The lowest severity that makes the exit code 1 (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Findings never fail the run (exit 2 for real failures still applies).
    Never,
}

impl FailOn {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "error" => FailOn::Error,
            "warning" => FailOn::Warning,
            "info" => FailOn::Info,
            "never" => FailOn::Never,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::Never => "never",
        }
    }

    /// Whether a finding of this severity makes the run fail.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

const FAIL_ON_HELP: &str = "expected one of `error`, `warning`, `info`, `never`";

/// When the report uses colour (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    /// On a terminal, unless `NO_COLOR` is set or the report goes to a file.
    Auto,
    Always,
    Never,
}

impl Color {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "auto" => Color::Auto,
            "always" => Color::Always,
            "never" => Color::Never,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Color::Auto => "auto",
            Color::Always => "always",
            Color::Never => "never",
        }
    }
}

const COLOR_HELP: &str = "expected one of `auto`, `always`, `never`";

fn format_help() -> String {
    format!(
        "expected one of {}",
        FORMATS.map(|f| format!("`{f}`")).join(", ")
    )
}

// ---------------------------------------------------------------------------------------------
// The file as written
// ---------------------------------------------------------------------------------------------

/// `.cxlint.toml` as written. Every value that can be wrong after parsing keeps its span.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Which files to lint.
    pub files: FilesSection,
    /// Org state to cross-check against.
    pub state: StateSection,
    /// Defaults for `cxlint check` options.
    pub check: CheckSection,
    /// Per-rule levels and per-file ignores.
    pub rules: RulesSection,
    /// Which OAuth client a data-action integration runs as, when the configuration cannot tell.
    pub data_action_clients: Vec<DataActionClientEntry>,
}

/// `[files]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct FilesSection {
    /// Globs (relative to the config file's directory) of files and directories not to lint.
    /// Default: none, because `.gitignore` is respected already and anything else is a choice.
    pub exclude: Vec<Spanned<String>>,
}

/// `[state]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct StateSection {
    /// As `--state`: export directories, `terraform.tfstate`, plans or snapshots, relative to the
    /// config file's directory. Default: none, so a plain `cxlint check` never reads org data it
    /// was not pointed at.
    #[serde(deserialize_with = "non_empty_paths")]
    pub paths: Vec<PathBuf>,
}

/// `[check]`: defaults for `cxlint check` options. All optional; absent means "not set here".
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckSection {
    /// As `--format`.
    pub format: Option<Spanned<String>>,
    /// As `--fail-on`.
    pub fail_on: Option<Spanned<String>>,
    /// As `--select`: run only these rules (names or codes).
    pub select: Option<Spanned<Vec<Spanned<String>>>>,
    /// As `--ignore`: skip these rules (names or codes).
    pub ignore: Option<Vec<Spanned<String>>>,
    /// As `--var-file`, relative to the config file's directory.
    #[serde(deserialize_with = "non_empty_path_list")]
    pub var_files: Option<Vec<PathBuf>>,
    /// As `--var NAME=VALUE`, written as a table `{ NAME = "VALUE" }`.
    pub vars: Option<BTreeMap<String, String>>,
    /// As `--baseline`, relative to the config file's directory.
    #[serde(deserialize_with = "non_empty_path")]
    pub baseline: Option<PathBuf>,
    /// `false` as `--no-inline-ignores`.
    pub inline_ignores: Option<bool>,
    /// As `--live`.
    pub live: Option<bool>,
    /// As `--output`, relative to the config file's directory.
    #[serde(deserialize_with = "non_empty_path")]
    pub output: Option<PathBuf>,
    /// As `--color`: `auto`, `always` or `never`.
    pub color: Option<Spanned<String>>,
    /// As `--quiet`.
    pub quiet: Option<bool>,
}

/// A path in the file, never `""`: joined to the file's directory, it would name that directory
/// without saying so (`[state] paths = [""]` read the project itself as org state). The command
/// line refuses an empty value too, and an empty environment variable counts as unset.
struct NonEmptyPath(PathBuf);

impl<'de> Deserialize<'de> for NonEmptyPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p = PathBuf::deserialize(d)?;
        match p.as_os_str().is_empty() {
            true => Err(de::Error::custom("a path must not be empty")),
            false => Ok(NonEmptyPath(p)),
        }
    }
}

fn non_empty_path<'de, D: Deserializer<'de>>(d: D) -> Result<Option<PathBuf>, D::Error> {
    Ok(Option::<NonEmptyPath>::deserialize(d)?.map(|p| p.0))
}

fn non_empty_paths<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PathBuf>, D::Error> {
    Ok(Vec::<NonEmptyPath>::deserialize(d)?
        .into_iter()
        .map(|p| p.0)
        .collect())
}

fn non_empty_path_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<PathBuf>>, D::Error> {
    let list = Option::<Vec<NonEmptyPath>>::deserialize(d)?;
    Ok(list.map(|v| v.into_iter().map(|p| p.0).collect()))
}

/// `[rules]`: `<rule> = "<level>"` or `[rules.<rule>] severity = "<level>"`, plus
/// `[rules.per-file-ignores]`. Deserialised by hand because rule names are open-ended keys next to
/// the fixed `per-file-ignores` key.
#[derive(Debug, Default)]
pub struct RulesSection {
    /// Rule name or code (as written) -> level (as written).
    pub levels: Vec<(Spanned<String>, Spanned<String>)>,
    /// Glob (relative to the config file's directory) -> rules not reported in matching files.
    pub per_file_ignores: Vec<(Spanned<String>, Vec<Spanned<String>>)>,
}

/// `[rules.<rule>]` in table form. Only `severity` exists today; a rule that grows options adds
/// them here (and the strictness keeps typos in option names from passing silently).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleTable {
    /// The rule's level.
    severity: Spanned<String>,
}

/// A rule's value: a level string or a table.
struct RuleValue(Spanned<String>);

impl<'de> Deserialize<'de> for RuleValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RuleValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a level (`off`, `info`, `warning`, `error`) or a table `{ severity = ... }`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RuleValue, E> {
                // The span is filled in by the `Spanned` wrapper around this value.
                Ok(RuleValue(Spanned::new(0..0, v.to_owned())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RuleValue, A::Error> {
                let t = RuleTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RuleValue(t.severity))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RulesSection {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RulesSection;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of rule levels")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RulesSection, A::Error> {
                let mut out = RulesSection::default();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    if key.get_ref() == "per-file-ignores" {
                        let table: BTreeMap<Spanned<String>, Vec<Spanned<String>>> =
                            map.next_value()?;
                        out.per_file_ignores.extend(table);
                    } else {
                        let value: Spanned<RuleValue> = map.next_value()?;
                        let span = value.span();
                        let inner = value.into_inner().0;
                        // A string value has no inner span: use the outer one.
                        let level = if inner.span() == (0..0) {
                            Spanned::new(span, inner.into_inner())
                        } else {
                            inner
                        };
                        out.levels.push((key, level));
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

/// One `[[data-action-clients]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DataActionClientEntry {
    /// The data-action integration: a Terraform address, a name or an id.
    pub integration: Spanned<String>,
    /// The OAuth client it runs as: a name, a Terraform address or an id.
    pub oauth_client: Spanned<String>,
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why the configuration could not be used. Every error about the file's content is located.
#[derive(Debug, thiserror::Error, MietteDiagnostic)]
pub enum ConfigError {
    #[error("cannot read config file `{}`: {source}", path.display())]
    #[diagnostic(code(cxlint::config::read))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidConfig>),
    #[error("environment variable `{var}`: {message}")]
    #[diagnostic(code(cxlint::config::env))]
    Env { var: String, message: String },
    #[error("option `{option}`: {message}")]
    #[diagnostic(code(cxlint::config::option))]
    Option { option: String, message: String },
}

/// A located error in a config file: `path:line:column: message`, with the source attached so
/// miette can underline it.
#[derive(Debug, thiserror::Error, MietteDiagnostic)]
#[error("{}:{line}:{column}: {message}", path.display())]
#[diagnostic(code(cxlint::config::invalid))]
pub struct InvalidConfig {
    pub path: PathBuf,
    /// 1-based.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
    /// The dotted key the error is about (`rules.unknown-rule`), when known.
    pub key: Option<String>,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: SourceSpan,
    #[help]
    pub help: Option<String>,
}

/// Builds located errors for one config file.
struct Locator<'a> {
    path: &'a Path,
    file: SourceFile,
}

impl<'a> Locator<'a> {
    fn new(path: &'a Path, text: &str) -> Self {
        Locator {
            path,
            file: SourceFile::new(path.to_path_buf(), Arc::from(text)),
        }
    }

    fn error(
        &self,
        span: std::ops::Range<usize>,
        key: Option<String>,
        message: String,
        help: Option<String>,
    ) -> ConfigError {
        let lc = self
            .file
            .line_col(u32::try_from(span.start).unwrap_or(u32::MAX));
        let len = span.end.saturating_sub(span.start);
        ConfigError::Invalid(Box::new(InvalidConfig {
            path: self.path.to_path_buf(),
            line: lc.line,
            column: lc.column,
            key,
            message,
            src: NamedSource::new(
                self.path.display().to_string(),
                self.file.text().to_string(),
            ),
            span: (lc.byte as usize, len).into(),
            help,
        }))
    }

    /// Turn the toml crate's error (parse, unknown key, wrong type) into a located one that names
    /// the key. The crate keeps the key path private, so the key is recovered from the text.
    fn toml_error(&self, e: &toml::de::Error) -> ConfigError {
        let span = e.span().unwrap_or(0..0);
        let key = key_path_at(self.file.text(), span.start);
        let raw = e.message().trim_end();
        let message = if let Some(rest) = raw.strip_prefix("unknown field ") {
            let (name, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
            let section = key
                .as_deref()
                .and_then(|k| k.rsplit_once('.'))
                .map(|(s, _)| s);
            let mut m = match section {
                Some(s) => format!("unknown key {name} in `[{s}]`"),
                None => format!("unknown key {name}"),
            };
            if !expected.is_empty() {
                m.push_str(&format!("; expected{expected}"));
            }
            m
        } else {
            match &key {
                Some(k) => format!("`{k}`: {raw}"),
                None => raw.to_owned(),
            }
        };
        self.error(span, key, message, None)
    }
}

/// The dotted key path of the entry at `offset`: the nearest `[table]` header above plus the key
/// before `=` on the line of `offset` (best effort; only used to name the key in messages).
fn key_path_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let before = text.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    let clean = |s: &str| s.trim().trim_matches('"').trim_matches('\'').to_owned();
    let header_of = |l: &str| {
        let l = l.trim();
        let inner = l.strip_prefix("[[").and_then(|l| l.split("]]").next());
        let inner = inner.or_else(|| l.strip_prefix('[').and_then(|l| l.split(']').next()));
        inner.map(|s| s.split('.').map(clean).collect::<Vec<_>>().join("."))
    };
    if let Some(h) = header_of(line) {
        return Some(h);
    }
    let key = line
        .split_once('=')
        .map(|(k, _)| clean(k))
        .filter(|k| !k.is_empty());
    let section = text[..line_start].lines().rev().find_map(header_of);
    match (section, key) {
        (Some(s), Some(k)) => Some(format!("{s}.{k}")),
        (None, Some(k)) => Some(k),
        (Some(s), None) => Some(s),
        (None, None) => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Layers
// ---------------------------------------------------------------------------------------------

/// Command-line values, filled by the clap layer. `None`/`false` means "not given". The clap layer
/// should not read `CXLINT_*` itself: [`resolve`] does, so the precedence stays in one place.
#[derive(Debug, Default, Clone)]
pub struct CliOverrides {
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// `--no-config`.
    pub no_config: bool,
    /// `--format`.
    pub format: Option<String>,
    /// `--fail-on`.
    pub fail_on: Option<String>,
    /// `--select` (each item may itself be comma-separated).
    pub select: Option<Vec<String>>,
    /// `--ignore` (each item may itself be comma-separated).
    pub ignore: Option<Vec<String>>,
    /// `--state` (repeatable).
    pub state: Option<Vec<PathBuf>>,
    /// `--var NAME=VALUE` (repeatable).
    pub vars: Vec<String>,
    /// For each of [`Self::vars`], how many `--var-file`s the command line gave before it:
    /// Terraform applies the two in command-line order, the last winning. Empty: after all.
    pub var_positions: Vec<usize>,
    /// `--var-file` (repeatable).
    pub var_files: Option<Vec<PathBuf>>,
    /// `--baseline FILE`.
    pub baseline: Option<PathBuf>,
    /// `--no-inline-ignores`.
    pub no_inline_ignores: bool,
    /// `--live`.
    pub live: bool,
    /// `--output FILE`.
    pub output: Option<PathBuf>,
    /// `--color`.
    pub color: Option<String>,
    /// `--quiet`.
    pub quiet: bool,
}

/// One source's values, all optional, already validated and with paths resolved.
#[derive(Debug, Default)]
struct Layer {
    format: Option<String>,
    fail_on: Option<FailOn>,
    select: Option<Vec<&'static str>>,
    ignore: Vec<&'static str>,
    state: Option<Vec<PathBuf>>,
    var_files: Option<Vec<PathBuf>>,
    vars: BTreeMap<String, String>,
    var_positions: BTreeMap<String, usize>,
    baseline: Option<PathBuf>,
    inline_ignores: Option<bool>,
    live: Option<bool>,
    output: Option<PathBuf>,
    color: Option<Color>,
    quiet: Option<bool>,
    /// How this layer's paths were given, by the paths as resolved (see [`Settings::shown`]).
    given: Vec<(PathBuf, PathBuf)>,
}

impl Layer {
    fn apply_over(self, out: &mut Settings, origin: Origin) {
        if let Some(f) = self.format {
            out.format = f;
        }
        if let Some(f) = self.fail_on {
            out.fail_on = f;
        }
        if let Some(s) = self.select {
            // A rule this layer selects runs even when a lower layer ignores it or turns it
            // `off` (then at its default severity): `--select X` on the command line must not be
            // cancelled by the config file. A higher layer's ignore still wins, being applied
            // after this, and so does this layer's own.
            for rule in &s {
                out.ignore.remove(rule);
                if out.levels.get(rule) == Some(&RuleLevel::Off) {
                    out.levels.remove(rule);
                }
            }
            out.select = Some(s.into_iter().collect());
        }
        out.ignore.extend(self.ignore);
        if let Some(s) = self.state {
            out.state = s;
            out.state_origin = origin;
        }
        if let Some(v) = self.var_files {
            out.var_files = v;
        }
        // A variable a higher layer sets takes that layer's place among the variable files.
        for name in self.vars.keys() {
            out.var_positions.remove(name);
        }
        out.vars.extend(self.vars);
        out.var_positions.extend(self.var_positions);
        if let Some(b) = self.baseline {
            out.baseline = Some(b);
        }
        if let Some(i) = self.inline_ignores {
            out.inline_ignores = i;
        }
        if let Some(l) = self.live {
            out.live = l;
        }
        if let Some(o) = self.output {
            out.output = Some(o);
        }
        if let Some(c) = self.color {
            out.color = c;
        }
        if let Some(q) = self.quiet {
            out.quiet = q;
        }
        out.given.extend(self.given);
    }
}

/// Which layer a setting's value came from, so a message about it can say where to fix it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Origin {
    /// Not set anywhere.
    #[default]
    Default,
    /// The config file ([`Settings::config_file`]).
    ConfigFile,
    /// A `CXLINT_*` environment variable.
    Environment,
    /// The command line.
    CommandLine,
}

/// Looks a rule up by name or code and returns its canonical name.
pub type RuleLookup<'a> = &'a dyn Fn(&str) -> Option<&'static str>;

fn registry_lookup(name: &str) -> Option<&'static str> {
    crate::rules::find(name).map(|m| m.name)
}

fn unknown_rule_help(name: &str) -> Option<String> {
    let best = crate::rules::ALL_RULES
        .iter()
        .map(|r| r.meta().name)
        .map(|n| (strsim::jaro_winkler(n, name), n))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    Some(format!(
        "did you mean `{}`? `cxlint rules` lists every rule",
        best.1
    ))
}

/// Split comma-separated rule lists and validate every name.
fn rule_list(
    items: &[String],
    lookup: RuleLookup<'_>,
    err: &dyn Fn(String) -> ConfigError,
) -> Result<Vec<&'static str>, ConfigError> {
    let mut out = Vec::new();
    for name in items
        .iter()
        .flat_map(|i| i.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match lookup(name) {
            Some(n) => out.push(n),
            None => return Err(err(format!("unknown rule `{name}`"))),
        }
    }
    Ok(out)
}

fn parse_var(s: &str) -> Option<(String, String)> {
    let (k, v) = s.split_once('=')?;
    let k = k.trim();
    (!k.is_empty()).then(|| (k.to_owned(), v.to_owned()))
}

/// The loaded file: its layer plus what only a file can say.
#[derive(Debug)]
struct FileLayer {
    layer: Layer,
    levels: BTreeMap<&'static str, RuleLevel>,
    exclude: Vec<String>,
    per_file_ignores: Vec<(String, Vec<&'static str>)>,
    data_action_clients: Vec<DataActionClient>,
    exclude_set: GlobSet,
    per_file_set: GlobSet,
}

/// Why a glob names nothing, when it does not: `""` and `"/"` became `**/`, which matched every
/// path, so `exclude = [""]` excluded every file and the check passed having read none
/// (in a `.gitignore`, a blank line matches nothing).
fn empty_glob(pattern: &str) -> Option<&'static str> {
    pattern
        .trim_matches('/')
        .is_empty()
        .then_some("is empty: it names no file (`**` is the glob for every file)")
}

/// Compile a gitignore-like glob: a pattern with no `/` (other than a trailing one) matches at
/// any depth; a leading `/` anchors it; `*` never crosses a `/`.
fn compile_glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    let trimmed = pattern.trim_end_matches('/');
    let anchored = trimmed.strip_prefix('/');
    let pat = match anchored {
        Some(p) => p.to_owned(),
        None if !trimmed.contains('/') => format!("**/{trimmed}"),
        None => trimmed.to_owned(),
    };
    GlobBuilder::new(&pat).literal_separator(true).build()
}

/// Parse and validate a config file's text. `path` is only used in messages; `base` is the
/// directory its relative paths are relative to.
fn load_file(
    path: &Path,
    text: &str,
    base: &Path,
    lookup: RuleLookup<'_>,
) -> Result<FileLayer, ConfigError> {
    let loc = Locator::new(path, text);
    let cfg: ConfigFile = toml::from_str(text).map_err(|e| loc.toml_error(&e))?;

    let at = |s: &Spanned<String>, key: String, msg: String, help: Option<String>| {
        loc.error(s.span(), Some(key), msg, help)
    };
    let rules_in = |list: Option<&[Spanned<String>]>, key: &str| -> Result<_, ConfigError> {
        let Some(list) = list else { return Ok(None) };
        let mut out = Vec::new();
        for item in list {
            for name in item
                .get_ref()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                match lookup(name) {
                    Some(n) => out.push(n),
                    None => {
                        return Err(at(
                            item,
                            key.to_owned(),
                            format!("unknown rule `{name}` in `{key}`"),
                            unknown_rule_help(name),
                        ));
                    }
                }
            }
        }
        Ok(Some(out))
    };

    let mut layer = Layer::default();
    let check = &cfg.check;
    if let Some(f) = &check.format {
        if !FORMATS.contains(&f.get_ref().as_str()) {
            let msg = format!("unknown format `{}`", f.get_ref());
            return Err(at(f, "check.format".into(), msg, Some(format_help())));
        }
        layer.format = Some(f.get_ref().clone());
    }
    if let Some(f) = &check.fail_on {
        let Some(v) = FailOn::parse(f.get_ref()) else {
            let msg = format!("unknown level `{}`", f.get_ref());
            return Err(at(
                f,
                "check.fail-on".into(),
                msg,
                Some(FAIL_ON_HELP.into()),
            ));
        };
        layer.fail_on = Some(v);
    }
    if let Some(c) = &check.color {
        let Some(v) = Color::parse(c.get_ref()) else {
            let msg = format!("unknown colour choice `{}`", c.get_ref());
            return Err(at(c, "check.color".into(), msg, Some(COLOR_HELP.into())));
        };
        layer.color = Some(v);
    }
    if let Some(select) = &check.select {
        let rules = rules_in(Some(select.get_ref()), "check.select")?;
        // As `--select ""`: a list that names no rule would run none and pass every check.
        if rules.as_ref().is_none_or(Vec::is_empty) {
            return Err(loc.error(
                select.span(),
                Some("check.select".into()),
                "`check.select` names no rule".into(),
                Some(
                    "name rules or codes to run only them, or leave `select` out to run every rule"
                        .into(),
                ),
            ));
        }
        layer.select = rules;
    }
    layer.ignore = rules_in(check.ignore.as_deref(), "check.ignore")?.unwrap_or_default();
    let rel = |p: &PathBuf| tidy(&base.join(p));
    if !cfg.state.paths.is_empty() {
        layer.state = Some(cfg.state.paths.iter().map(rel).collect());
    }
    layer.var_files = check
        .var_files
        .as_ref()
        .map(|v| v.iter().map(rel).collect());
    layer.vars = check.vars.clone().unwrap_or_default();
    layer.baseline = check.baseline.as_ref().map(rel);
    layer.inline_ignores = check.inline_ignores;
    layer.live = check.live;
    layer.output = (check.output.as_ref()).map(|o| output_path(o, &|p| tidy(&base.join(p))));
    layer.quiet = check.quiet;
    // A relative path is the config file's directory's; a message names it from the working
    // directory instead, as it names files. An absolute one stays as written.
    let paths = (cfg.state.paths.iter())
        .chain(check.var_files.iter().flatten())
        .chain(&check.baseline)
        .chain(&check.output);
    layer.given = as_given(paths.filter(|p| p.is_absolute()), base);

    let mut levels = BTreeMap::new();
    // In file order (the parser hands keys over sorted), so the first problem reported is the
    // first in the file and a duplicate is reported at its second occurrence.
    let mut in_order: Vec<_> = cfg.rules.levels.iter().collect();
    in_order.sort_by_key(|(name, _)| name.span().start);
    for (name, level) in in_order {
        let key = format!("rules.{}", name.get_ref());
        let Some(rule) = lookup(name.get_ref()) else {
            let msg = format!("unknown rule `{}` in `[rules]`", name.get_ref());
            return Err(at(name, key, msg, unknown_rule_help(name.get_ref())));
        };
        let Some(l) = RuleLevel::parse(level.get_ref()) else {
            let msg = format!("unknown level `{}` for rule `{rule}`", level.get_ref());
            return Err(at(level, key, msg, Some(LEVEL_HELP.into())));
        };
        // `parse-error` and `CX901` are the same rule: two levels for it is a mistake to show,
        // not a precedence puzzle to solve silently.
        if levels.insert(rule, l).is_some() {
            let msg = format!("rule `{rule}` is configured more than once in `[rules]`");
            return Err(at(name, key, msg, None));
        }
    }

    // Each glob with where it is written, for a set that fails to build.
    let mut exclude_set: Vec<(globset::Glob, &Spanned<String>, String)> = Vec::new();
    let mut exclude = Vec::new();
    for (i, g) in cfg.files.exclude.iter().enumerate() {
        if let Some(why) = empty_glob(g.get_ref()) {
            let msg = format!("glob `{}` {why}", g.get_ref());
            return Err(at(g, format!("files.exclude[{i}]"), msg, None));
        }
        let glob = compile_glob(g.get_ref()).map_err(|e| {
            let msg = format!("invalid glob `{}`: {}", g.get_ref(), e.kind());
            at(g, format!("files.exclude[{i}]"), msg, None)
        })?;
        exclude_set.push((glob, g, format!("files.exclude[{i}]")));
        exclude.push(g.get_ref().clone());
    }
    let mut per_file_set: Vec<(globset::Glob, &Spanned<String>, String)> = Vec::new();
    let mut per_file_ignores = Vec::new();
    for (g, rules) in &cfg.rules.per_file_ignores {
        let key = format!("rules.per-file-ignores.\"{}\"", g.get_ref());
        if let Some(why) = empty_glob(g.get_ref()) {
            return Err(at(g, key, format!("glob `{}` {why}", g.get_ref()), None));
        }
        let glob = compile_glob(g.get_ref()).map_err(|e| {
            let msg = format!("invalid glob `{}`: {}", g.get_ref(), e.kind());
            at(g, key.clone(), msg, None)
        })?;
        let mut names = Vec::new();
        for r in rules {
            let Some(n) = lookup(r.get_ref()) else {
                let msg = format!("unknown rule `{}` in `rules.per-file-ignores`", r.get_ref());
                return Err(at(r, key, msg, unknown_rule_help(r.get_ref())));
            };
            names.push(n);
        }
        per_file_set.push((glob, g, key));
        per_file_ignores.push((g.get_ref().clone(), names));
    }
    let build = |globs: Vec<(globset::Glob, &Spanned<String>, String)>| {
        let set = |n: usize| {
            let mut b = GlobSetBuilder::new();
            for (g, _, _) in &globs[..n] {
                b.add(g.clone());
            }
            b.build()
        };
        // Each glob compiled on its own above, yet a set can still fail (its combined
        // pattern too large): locate the first entry whose addition breaks it.
        set(globs.len()).map_err(|e| {
            let culprit = (1..=globs.len()).find(|&n| set(n).is_err());
            match culprit.map(|n| &globs[n - 1]) {
                Some((_, g, key)) => at(
                    g,
                    key.clone(),
                    format!("glob `{}` cannot be matched: {e}", g.get_ref()),
                    None,
                ),
                None => loc.error(0..0, None, format!("invalid glob set: {e}"), None),
            }
        })
    };

    let mut clients = Vec::new();
    for c in &cfg.data_action_clients {
        for (s, key) in [
            (&c.integration, "integration"),
            (&c.oauth_client, "oauth-client"),
        ] {
            if s.get_ref().trim().is_empty() {
                let msg = format!("`data-action-clients.{key}` must not be empty");
                return Err(at(s, format!("data-action-clients.{key}"), msg, None));
            }
        }
        clients.push(DataActionClient {
            integration: c.integration.get_ref().clone(),
            oauth_client: c.oauth_client.get_ref().clone(),
        });
    }

    Ok(FileLayer {
        layer,
        levels,
        exclude,
        per_file_ignores,
        data_action_clients: clients,
        exclude_set: build(exclude_set)?,
        per_file_set: build(per_file_set)?,
    })
}

/// `-` means standard output, as for most tools (`--output -` undoes a configured file); any
/// other path is resolved as the layer's paths are.
pub const STDOUT: &str = "-";

fn output_path(o: &Path, resolve: &dyn Fn(&Path) -> PathBuf) -> PathBuf {
    match o == Path::new(STDOUT) {
        true => PathBuf::from(STDOUT),
        // Resolving drops a trailing separator, which says the path names a directory: kept,
        // so that the write refuses it instead of making a file of that name.
        false if crate::atomic::ends_with_separator(o) => resolve(o).join(""),
        false => resolve(o),
    }
}

/// Each of `paths`, given relative to `base` (or absolute), as resolved and as given.
fn as_given<'p>(paths: impl Iterator<Item = &'p PathBuf>, base: &Path) -> Vec<(PathBuf, PathBuf)> {
    paths.map(|p| (tidy(&base.join(p)), p.clone())).collect()
}

/// Lexically simplify a path (drop `.`, fold `dir/..`) without touching the file system, so
/// `../legacy/a.tf` from a sub-directory compares equal to the config's `legacy/a.tf`.
fn tidy(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn env_layer(
    env: &dyn Fn(&str) -> Option<String>,
    cwd: &Path,
    lookup: RuleLookup<'_>,
) -> Result<Layer, ConfigError> {
    let get = |k: &str| env(k).filter(|v| !v.trim().is_empty());
    let bad = |var: &str, message: String| ConfigError::Env {
        var: var.to_owned(),
        message,
    };
    let mut layer = Layer::default();
    if let Some(f) = get("CXLINT_FORMAT") {
        if !FORMATS.contains(&f.as_str()) {
            return Err(bad(
                "CXLINT_FORMAT",
                format!("unknown format `{f}`; {}", format_help()),
            ));
        }
        layer.format = Some(f);
    }
    if let Some(f) = get("CXLINT_FAIL_ON") {
        let v = FailOn::parse(&f).ok_or_else(|| {
            bad(
                "CXLINT_FAIL_ON",
                format!("unknown level `{f}`; {FAIL_ON_HELP}"),
            )
        })?;
        layer.fail_on = Some(v);
    }
    if let Some(s) = get("CXLINT_SELECT") {
        let rules = rule_list(&[s], lookup, &|m| bad("CXLINT_SELECT", m))?;
        // Separators alone (`,`) are as empty as an empty value, which counts as unset.
        layer.select = (!rules.is_empty()).then_some(rules);
    }
    if let Some(s) = get("CXLINT_IGNORE") {
        layer.ignore = rule_list(&[s], lookup, &|m| bad("CXLINT_IGNORE", m))?;
    }
    let split = |s: String| -> Vec<PathBuf> {
        std::env::split_paths(&s)
            .filter(|p| !p.as_os_str().is_empty())
            .collect()
    };
    let state = get("CXLINT_STATE").map(split);
    let var_files = get("CXLINT_VAR_FILE").map(split);
    let baseline = get("CXLINT_BASELINE").map(PathBuf::from);
    let output = get("CXLINT_OUTPUT").map(PathBuf::from);
    let rel = |p: &PathBuf| tidy(&cwd.join(p));
    layer.state = state.as_ref().map(|v| v.iter().map(rel).collect());
    layer.var_files = var_files.as_ref().map(|v| v.iter().map(rel).collect());
    layer.baseline = baseline.as_ref().map(rel);
    layer.output = output
        .as_ref()
        .map(|o| output_path(o, &|p| tidy(&cwd.join(p))));
    let paths = (state.iter().flatten())
        .chain(var_files.iter().flatten())
        .chain(&baseline)
        .chain(&output);
    layer.given = as_given(paths, cwd);
    if let Some(c) = get("CXLINT_COLOR") {
        let v = Color::parse(&c).ok_or_else(|| {
            bad(
                "CXLINT_COLOR",
                format!("unknown colour choice `{c}`; {COLOR_HELP}"),
            )
        })?;
        layer.color = Some(v);
    }
    let flag = |var: &str| -> Result<Option<bool>, ConfigError> {
        get(var)
            .map(|v| parse_bool(&v).ok_or_else(|| bad(var, bool_help(&v))))
            .transpose()
    };
    layer.inline_ignores = flag("CXLINT_NO_INLINE_IGNORES")?.map(|on| !on);
    layer.live = flag("CXLINT_LIVE")?;
    layer.quiet = flag("CXLINT_QUIET")?;
    Ok(layer)
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn bool_help(v: &str) -> String {
    format!("expected a boolean (`true`/`false`, `1`/`0`), got `{v}`")
}

fn cli_layer(cli: &CliOverrides, cwd: &Path, lookup: RuleLookup<'_>) -> Result<Layer, ConfigError> {
    let bad = |option: &str, message: String| ConfigError::Option {
        option: option.to_owned(),
        message,
    };
    let mut layer = Layer::default();
    if let Some(f) = &cli.format {
        if !FORMATS.contains(&f.as_str()) {
            return Err(bad(
                "--format",
                format!("unknown format `{f}`; {}", format_help()),
            ));
        }
        layer.format = Some(f.clone());
    }
    if let Some(f) = &cli.fail_on {
        let v = FailOn::parse(f)
            .ok_or_else(|| bad("--fail-on", format!("unknown level `{f}`; {FAIL_ON_HELP}")))?;
        layer.fail_on = Some(v);
    }
    if let Some(s) = &cli.select {
        let rules = rule_list(s, lookup, &|m| bad("--select", m))?;
        // `--select "$RULES"` with the variable empty would run no rule at all and pass: that is
        // a script's mistake to stop, not a selection to honour.
        if rules.is_empty() {
            let msg =
                "no rule given; name rules or codes, comma-separated, or leave `--select` out";
            return Err(bad("--select", msg.into()));
        }
        layer.select = Some(rules);
    }
    if let Some(s) = &cli.ignore {
        layer.ignore = rule_list(s, lookup, &|m| bad("--ignore", m))?;
    }
    let rel = |p: &PathBuf| tidy(&cwd.join(p));
    layer.state = cli.state.as_ref().map(|v| v.iter().map(rel).collect());
    layer.var_files = cli.var_files.as_ref().map(|v| v.iter().map(rel).collect());
    for (i, v) in cli.vars.iter().enumerate() {
        // Not echoed: a `--var` is how CI passes a secret, and one missing its `NAME=` is the
        // secret alone.
        let (k, val) = parse_var(v).ok_or_else(|| {
            let n = i + 1;
            bad("--var", format!("expected `NAME=VALUE`, got something else in `--var` number {n} (not shown: it may be a secret)"))
        })?;
        if let Some(&at) = cli.var_positions.get(i) {
            layer.var_positions.insert(k.clone(), at);
        }
        layer.vars.insert(k, val);
    }
    layer.baseline = cli.baseline.as_ref().map(rel);
    if cli.no_inline_ignores {
        layer.inline_ignores = Some(false);
    }
    // A flag can only turn these on: `CXLINT_LIVE=0` or the file's `false` stay below it.
    layer.live = cli.live.then_some(true);
    layer.quiet = cli.quiet.then_some(true);
    layer.output = (cli.output.as_ref()).map(|o| output_path(o, &|p| tidy(&cwd.join(p))));
    let paths = (cli.state.iter().flatten())
        .chain(cli.var_files.iter().flatten())
        .chain(&cli.baseline)
        .chain(&cli.output);
    layer.given = as_given(paths, cwd);
    if let Some(c) = &cli.color {
        let v = Color::parse(c).ok_or_else(|| {
            bad(
                "--color",
                format!("unknown colour choice `{c}`; {COLOR_HELP}"),
            )
        })?;
        layer.color = Some(v);
    }
    Ok(layer)
}

// ---------------------------------------------------------------------------------------------
// Discovery and resolution
// ---------------------------------------------------------------------------------------------

/// The first config file found walking up from `start` through its ancestors (`.cxlint.toml`
/// before `cxlint.toml` in each directory).
pub fn discover(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        CONFIG_FILE_NAMES
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    })
}

/// Which config file to use, per `--no-config`/`--config`, then `CXLINT_NO_CONFIG`/
/// `CXLINT_CONFIG`, then discovery; with the path as the user gave it, if they did.
fn choose_config(
    cwd: &Path,
    cli: &CliOverrides,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<(PathBuf, Option<PathBuf>)>, ConfigError> {
    if cli.no_config {
        return Ok(None);
    }
    if let Some(p) = &cli.config {
        return Ok(Some((cwd.join(p), Some(p.clone()))));
    }
    if let Some(v) = env("CXLINT_NO_CONFIG").filter(|v| !v.trim().is_empty()) {
        let on = parse_bool(&v).ok_or_else(|| ConfigError::Env {
            var: "CXLINT_NO_CONFIG".into(),
            message: bool_help(&v),
        })?;
        if on {
            return Ok(None);
        }
    }
    if let Some(p) = env("CXLINT_CONFIG").filter(|v| !v.trim().is_empty()) {
        return Ok(Some((cwd.join(&p), Some(PathBuf::from(p)))));
    }
    Ok(discover(cwd).map(|p| (p, None)))
}

/// The fully resolved configuration of a run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The working directory everything was resolved against (absolute when the caller passed an
    /// absolute one).
    pub cwd: PathBuf,
    /// The config file in use, if any.
    pub config_file: Option<PathBuf>,
    /// Output format; one of [`FORMATS`]. Default `human`: a person at a terminal is the common case.
    pub format: String,
    /// Default `error` (INTERFACE.md): warnings inform without breaking builds.
    pub fail_on: FailOn,
    /// Canonical names of the only rules to run; `None` runs every rule.
    pub select: Option<BTreeSet<&'static str>>,
    /// Canonical names of rules to skip.
    pub ignore: BTreeSet<&'static str>,
    /// Per-rule levels from `[rules]` (canonical names).
    pub levels: BTreeMap<&'static str, RuleLevel>,
    /// `files.exclude` as written (for `--show-config`).
    pub exclude: Vec<String>,
    /// `rules.per-file-ignores` as written, with canonical rule names.
    pub per_file_ignores: Vec<(String, Vec<&'static str>)>,
    /// The directory `exclude` and `per-file-ignores` globs are relative to (the config file's).
    pub glob_base: PathBuf,
    exclude_set: GlobSet,
    per_file_set: GlobSet,
    /// State inputs (`--state`).
    pub state: Vec<PathBuf>,
    /// Which layer [`Settings::state`] came from.
    pub state_origin: Origin,
    /// Terraform variable files (`--var-file`), in order.
    pub var_files: Vec<PathBuf>,
    /// Terraform variables (`--var`).
    pub vars: BTreeMap<String, String>,
    /// Where a variable given with `--var` goes among [`Self::var_files`]: after that many of
    /// them (Terraform's command-line order). The others go after every file.
    pub var_positions: BTreeMap<String, usize>,
    /// Baseline to filter findings with (`--baseline`).
    pub baseline: Option<PathBuf>,
    /// Whether `cxlint-ignore` comments are honoured. Default `true`; `--no-inline-ignores` is for
    /// audits.
    pub inline_ignores: bool,
    /// Whether to fetch org state from the API for the run (`--live`). Default `false`: it needs
    /// credentials and the network, which a plain `cxlint check` must not assume.
    pub live: bool,
    /// Where the report is written (`--output`); `None` is standard output, the default.
    pub output: Option<PathBuf>,
    /// When the report uses colour (`--color`). Default `auto`, as ruff and ripgrep do.
    pub color: Color,
    /// Whether to print only findings and errors (`--quiet`): no summary line, and no warnings
    /// or notes on standard error. Default `false`.
    pub quiet: bool,
    /// What rules receive.
    pub rules: RuleSettings,
    /// How the command line and the environment wrote the paths above (and the config file
    /// its absolute ones), by the paths as resolved: see [`Settings::shown`].
    given: BTreeMap<PathBuf, PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            cwd: PathBuf::from("."),
            config_file: None,
            format: "human".into(),
            fail_on: FailOn::Error,
            select: None,
            ignore: BTreeSet::new(),
            levels: BTreeMap::new(),
            exclude: Vec::new(),
            per_file_ignores: Vec::new(),
            glob_base: PathBuf::from("."),
            exclude_set: GlobSet::empty(),
            per_file_set: GlobSet::empty(),
            state: Vec::new(),
            state_origin: Origin::Default,
            var_files: Vec::new(),
            vars: BTreeMap::new(),
            var_positions: BTreeMap::new(),
            baseline: None,
            inline_ignores: true,
            live: false,
            output: None,
            color: Color::Auto,
            quiet: false,
            rules: RuleSettings::default(),
            given: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// How a message names `path`, one of these settings' paths (as resolved): as the user
    /// wrote it on the command line or in the environment (`/x` stays `/x`, `../x` stays
    /// `../x`), an absolute path in the config file as written there, anything else from the
    /// working directory. The user finds what they typed; a path rewritten from the working
    /// directory (`../../../x`) they would have to work back.
    pub fn shown(&self, path: &Path) -> PathBuf {
        match self.given.get(path) {
            Some(given) => given.clone(),
            None => display_path(path, &self.cwd),
        }
    }

    /// Where the state paths were given, as a message names it: `--state`, `CXLINT_STATE`, or
    /// `[state] paths` in the config file.
    pub fn state_origin_text(&self) -> String {
        match (self.state_origin, &self.config_file) {
            (Origin::ConfigFile, Some(file)) => format!(
                "`[state] paths` in `{}`",
                display_path(file, &self.cwd).display()
            ),
            (Origin::Environment, _) => "`CXLINT_STATE`".into(),
            _ => "--state".into(),
        }
    }

    /// The severity a rule's findings get in this run, or `None` when it does not run (not
    /// selected, ignored, or `off`).
    pub fn rule_severity(&self, meta: &RuleMeta) -> Option<Severity> {
        if !self.rule_enabled(meta) {
            return None;
        }
        match self.levels.get(meta.name) {
            Some(level) => level.severity(),
            None => Some(meta.default),
        }
    }

    /// Whether a rule runs: selected (or no selection), not ignored, and not `off`.
    pub fn rule_enabled(&self, meta: &RuleMeta) -> bool {
        self.select.as_ref().is_none_or(|s| s.contains(meta.name))
            && !self.ignore.contains(meta.name)
            && self.levels.get(meta.name) != Some(&RuleLevel::Off)
    }

    /// The path relative to the glob base, `/`-separated, or `None` when it lies outside it.
    fn glob_relative(&self, path: &Path) -> Option<PathBuf> {
        let abs = tidy(&self.cwd.join(path));
        abs.strip_prefix(&self.glob_base)
            .ok()
            .map(Path::to_path_buf)
    }

    /// Whether `files.exclude` excludes `path` (relative to the working directory, or absolute).
    /// A pattern matching a directory excludes everything below it.
    pub fn is_excluded(&self, path: &Path) -> bool {
        if self.exclude_set.is_empty() {
            return false;
        }
        let Some(rel) = self.glob_relative(path) else {
            return false;
        };
        rel.ancestors()
            .filter(|a| !a.as_os_str().is_empty())
            .any(|a| self.exclude_set.is_match(a))
    }

    /// Whether `rules.per-file-ignores` hides `rule` (a canonical name) in `path`.
    pub fn per_file_ignored(&self, path: &Path, rule: &str) -> bool {
        if self.per_file_set.is_empty() {
            return false;
        }
        let Some(rel) = self.glob_relative(path) else {
            return false;
        };
        let hits: BTreeSet<usize> = rel
            .ancestors()
            .filter(|a| !a.as_os_str().is_empty())
            .flat_map(|a| self.per_file_set.matches(a))
            .collect();
        hits.into_iter()
            .any(|i| self.per_file_ignores[i].1.contains(&rule))
    }
}

/// Resolve the run's settings: defaults < config file < `CXLINT_*` environment < command line.
/// `cwd` should be absolute (`std::env::current_dir()`), or discovery cannot walk up from it.
/// `env` is usually `&|k| std::env::var(k).ok()`; tests pass a map.
pub fn resolve(
    cwd: &Path,
    cli: &CliOverrides,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Settings, ConfigError> {
    resolve_with(cwd, cli, env, &registry_lookup)
}

/// [`resolve`] with an injected rule lookup (name or code -> canonical name), for tests and tools.
pub fn resolve_with(
    cwd: &Path,
    cli: &CliOverrides,
    env: &dyn Fn(&str) -> Option<String>,
    lookup: RuleLookup<'_>,
) -> Result<Settings, ConfigError> {
    let mut s = Settings {
        cwd: cwd.to_path_buf(),
        glob_base: cwd.to_path_buf(),
        ..Settings::default()
    };
    if let Some((path, given)) = choose_config(cwd, cli, env)? {
        // A configuration is a page of TOML: 16 MiB is no bound on one, but on a device.
        let text = crate::check::read_to_string_within(&path, 16 << 20).map_err(|source| {
            ConfigError::Read {
                path: given.unwrap_or_else(|| display_path(&path, cwd)),
                source,
            }
        })?;
        let base = path
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
        let shown = display_path(&path, cwd);
        let file = load_file(&shown, &text, &base, lookup)?;
        file.layer.apply_over(&mut s, Origin::ConfigFile);
        s.levels = file.levels;
        s.exclude = file.exclude;
        s.per_file_ignores = file.per_file_ignores;
        s.exclude_set = file.exclude_set;
        s.per_file_set = file.per_file_set;
        s.rules.data_action_clients = file.data_action_clients;
        s.glob_base = tidy(&base);
        s.config_file = Some(path);
    }
    env_layer(env, cwd, lookup)?.apply_over(&mut s, Origin::Environment);
    cli_layer(cli, cwd, lookup)?.apply_over(&mut s, Origin::CommandLine);
    Ok(s)
}

/// Parse a config file's text on its own (no discovery, no layers), as `cxlint init` and the
/// tests use it. Paths resolve against `base`.
pub fn parse_config(
    path: &Path,
    text: &str,
    base: &Path,
    lookup: RuleLookup<'_>,
) -> Result<Settings, ConfigError> {
    let file = load_file(path, text, base, lookup)?;
    let mut s = Settings {
        cwd: base.to_path_buf(),
        glob_base: tidy(base),
        ..Settings::default()
    };
    file.layer.apply_over(&mut s, Origin::ConfigFile);
    s.levels = file.levels;
    s.exclude = file.exclude;
    s.per_file_ignores = file.per_file_ignores;
    s.exclude_set = file.exclude_set;
    s.per_file_set = file.per_file_set;
    s.rules.data_action_clients = file.data_action_clients;
    Ok(s)
}

// ---------------------------------------------------------------------------------------------
// --show-config
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Shown {
    files: ShownFiles,
    state: ShownState,
    check: ShownCheck,
    rules: BTreeMap<String, toml::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    data_action_clients: Vec<DataActionClient>,
}

#[derive(Serialize)]
struct ShownFiles {
    exclude: Vec<String>,
}

#[derive(Serialize)]
struct ShownState {
    paths: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ShownCheck {
    format: String,
    fail_on: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    select: Option<Vec<&'static str>>,
    ignore: Vec<&'static str>,
    var_files: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<String>,
    inline_ignores: bool,
    live: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    color: &'static str,
    quiet: bool,
    // Last: a table must follow the plain values of its parent table in TOML.
    vars: BTreeMap<String, String>,
}

/// What `--show-config` prints for a variable's value: every one is masked, not only those
/// whose name reads as a secret's (`hardcoded_secret::is_secret_key`). `--var` is how CI passes
/// its secrets, under any name (`--var creds=...`, `--var db=postgres://user:pass@host`), and a
/// CI log is read by more people than its secret store. Which variables are set, the question
/// `--show-config` answers, is told by the names; a value from the config file is masked too,
/// so that where a value came from cannot decide whether it is shown. An empty value is shown:
/// it holds nothing, and "why is it empty" is worth seeing.
const MASKED_VAR: &str = "********";

/// The merged settings as TOML (for `check --show-config`): deterministic (sorted), with paths
/// shown relative to the working directory, and re-readable as a config file when placed there
/// (but for the variables' values, masked: see [`MASKED_VAR`]).
pub fn show_config(s: &Settings) -> String {
    let show = |p: &PathBuf| display_path(p, &s.cwd).to_string_lossy().replace('\\', "/");
    let mut rules: BTreeMap<String, toml::Value> = s
        .levels
        .iter()
        .map(|(k, v)| ((*k).to_owned(), toml::Value::from(v.as_str())))
        .collect();
    if !s.per_file_ignores.is_empty() {
        let mut t = toml::Table::new();
        for (glob, names) in &s.per_file_ignores {
            let list = names
                .iter()
                .map(|n| toml::Value::from(*n))
                .collect::<Vec<_>>();
            t.insert(glob.clone(), toml::Value::Array(list));
        }
        rules.insert("per-file-ignores".into(), toml::Value::Table(t));
    }
    let shown = Shown {
        files: ShownFiles {
            exclude: s.exclude.clone(),
        },
        state: ShownState {
            paths: s.state.iter().map(show).collect(),
        },
        check: ShownCheck {
            format: s.format.clone(),
            fail_on: s.fail_on.as_str(),
            select: s.select.as_ref().map(|s| s.iter().copied().collect()),
            ignore: s.ignore.iter().copied().collect(),
            var_files: s.var_files.iter().map(show).collect(),
            baseline: s.baseline.as_ref().map(show),
            inline_ignores: s.inline_ignores,
            live: s.live,
            output: s.output.as_ref().map(show),
            color: s.color.as_str(),
            quiet: s.quiet,
            vars: (s.vars.iter())
                .map(|(k, v)| {
                    let shown = if v.is_empty() { "" } else { MASKED_VAR };
                    (k.clone(), shown.to_owned())
                })
                .collect(),
        },
        rules,
        data_action_clients: s.rules.data_action_clients.clone(),
    };
    let header = match &s.config_file {
        // The TOML below escapes the control characters of its strings; this comment is ours.
        Some(p) => format!(
            "# merged settings; config file: {}\n",
            crate::shown::text(&show(p))
        ),
        None => "# merged settings; no config file\n".to_owned(),
    };
    // Serialising plain strings, lists and tables cannot fail; fall back to the header alone
    // rather than panic if it ever does.
    header + &toml::to_string(&shown).unwrap_or_default()
}

#[cfg(test)]
mod tests;
