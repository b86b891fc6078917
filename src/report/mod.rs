//! Rendering findings: one module per output format.
//!
//! Reporters never decide anything: they receive findings that are already filtered, sorted and
//! de-duplicated, and render them. Each format lives in its own file; [`Format::reporter`] picks
//! one. Everything a format needs beyond the findings (file text for line numbers and snippets,
//! rule metadata, counts) arrives in a [`ReportContext`].
//!
//! Conventions shared by every format:
//! - paths are the [`SourceMap`]'s display paths, always printed with `/` separators;
//! - lines and columns are 1-based, columns count Unicode scalar values (except `rdjson`, whose
//!   format counts UTF-8 bytes), span ends are exclusive;
//! - a finding located on an org object (known only from live state) has no file: formats with a
//!   native way to say so use it (JSON `object`, SARIF `logicalLocations`), the others print the
//!   pseudo path `org:<kind>/<id>` (see [`common::org_path`]);
//! - text from outside cxlint (paths, names, the messages that quote them) is written as
//!   [`common::Text`] says: with control characters escaped in formats read as text, exactly in
//!   JSON formats;
//! - output is deterministic: no timestamps, no absolute paths, no hash-map ordering.

use crate::diagnostic::Diagnostic;
use crate::rules::RuleMeta;
use crate::source::SourceMap;

pub mod checkstyle;
pub mod common;
pub mod compact;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;
pub mod summary;

#[cfg(test)]
mod fixture;

/// The output formats of `cxlint check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
#[value(rename_all = "kebab-case")]
pub enum Format {
    /// Code snippets with underlined spans, for people at a terminal.
    #[default]
    Human,
    /// One line per finding: `file:line:col: severity[code] message (rule)`.
    Compact,
    /// cxlint's own versioned JSON document (see INTERFACE.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…::…`), shown as annotations.
    Github,
    /// JUnit XML, for CI test report views.
    Junit,
    /// Checkstyle XML, for tools that import it (reviewdog, Jenkins, IDEs).
    Checkstyle,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// reviewdog Diagnostic Format (rdjson).
    Rdjson,
}

impl Format {
    /// The reporter that renders this format.
    pub fn reporter(self) -> Box<dyn Reporter> {
        match self {
            Format::Human => Box::new(human::HumanReporter::default()),
            Format::Compact => Box::new(compact::CompactReporter),
            Format::Json => Box::new(json::JsonReporter),
            Format::Sarif => Box::new(sarif::SarifReporter),
            Format::Github => Box::new(github::GithubReporter),
            Format::Junit => Box::new(junit::JunitReporter),
            Format::Checkstyle => Box::new(checkstyle::CheckstyleReporter),
            Format::Gitlab => Box::new(gitlab::GitlabReporter),
            Format::Rdjson => Box::new(rdjson::RdjsonReporter),
        }
    }

    /// Every format, in the order of `--help`.
    pub const ALL: [Format; 9] = [
        Format::Human,
        Format::Compact,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Checkstyle,
        Format::Gitlab,
        Format::Rdjson,
    ];
}

/// What a reporter may look at besides the findings.
#[derive(Debug, Clone, Copy)]
pub struct ReportContext<'a> {
    /// Every loaded file: for line/column numbers and snippets.
    pub sources: &'a SourceMap,
    /// How many files were checked (`summary.files`).
    pub files_checked: usize,
    /// Every rule known to this build, in code order (SARIF `tool.driver.rules`).
    pub rules: &'a [&'a RuleMeta],
    /// Whether to colour the output (only `human` uses it).
    pub color: bool,
    /// cxlint's version (`env!("CARGO_PKG_VERSION")`).
    pub tool_version: &'static str,
    /// `--quiet`: findings only, no summary line (text formats).
    pub quiet: bool,
    /// Some inputs could not be read or parsed (exit code 2): the summary line says so, so
    /// that "No problems found" is not read as a clean bill.
    pub incomplete: bool,
}

/// Renders a list of findings in one format.
pub trait Reporter {
    /// Write the whole report for `diags` (already sorted) to `w`.
    fn report(
        &self,
        w: &mut dyn std::io::Write,
        diags: &[Diagnostic],
        cx: &ReportContext<'_>,
    ) -> std::io::Result<()>;
}

/// The tool's name as printed in reports.
pub const TOOL_NAME: &str = "cxlint";

/// The tool's home page (SARIF `informationUri`, rdjson `source.url`).
pub const TOOL_URI: &str = "https://github.com/cxlint/cxlint";

#[cfg(test)]
mod tests {
    use super::fixture::{fixture, hostile, render};
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn format_names_match_the_published_list() {
        let names: Vec<String> = Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_owned()))
            .collect();
        // The reporters `--format` offers are exactly the contract's list, in its order.
        assert_eq!(names, crate::settings::FORMATS);
        assert_eq!(Format::value_variants(), Format::ALL);
        assert_eq!(Format::from_str("sarif", true), Ok(Format::Sarif));
    }

    #[test]
    fn every_format_renders_hostile_input_without_panicking() {
        let (sources, diags) = hostile();
        for format in Format::ALL {
            let out = render(format, &sources, &diags);
            assert!(!out.is_empty(), "{format:?} wrote nothing");
            if matches!(
                format,
                Format::Json | Format::Sarif | Format::Gitlab | Format::Rdjson
            ) {
                serde_json::from_str::<serde_json::Value>(&out)
                    .unwrap_or_else(|e| panic!("{format:?} is not JSON: {e}"));
            }
            if matches!(format, Format::Compact | Format::Github) {
                assert_eq!(
                    out.lines().count(),
                    diags.len(),
                    "{format:?}: one line per finding"
                );
            }
        }
    }

    /// Control characters in file names and in names from the configuration and the org, and so in
    /// messages, labels, help and notes: formats read as text show them as escapes, so none
    /// reaches a terminal or splits a line; JSON formats keep the exact names (JSON escapes them).
    #[test]
    fn control_characters_reach_no_text_format_and_json_keeps_exact_names() {
        use crate::diagnostic::{Location, OrgObject};
        use crate::source::Span;
        use std::sync::Arc;

        let primary = "x\u{1b}]0;pwned\u{7}\u{1b}[2J\r\nnote: forged\u{9b}\u{7f}\u{202e}.tf";
        let related = "a\tb\u{1b}[31m.tf";
        let mut sources = SourceMap::new();
        let text = "resource \"x\" \"y\" {\n  name = \"q\"\n}\n";
        let p = sources.add(primary.into(), Arc::from(text));
        let r = sources.add(related.into(), Arc::from(text));
        let name = text.find("name").expect("name");
        let evil = "`q\u{1b}[2J\nq`";
        let meta = fixture::RULES[1];
        let diags = vec![
            Diagnostic::at(
                meta,
                format!("queue {evil} is unknown"),
                Span::new(p, name..name + 4),
            )
            .label(format!("label {evil}"))
            .related_span(Span::new(r, name..name + 4), format!("related {evil}"))
            .help(format!("help {evil}"))
            .note(format!("note {evil}")),
            Diagnostic::new(
                meta,
                format!("org {evil}"),
                Location::Org(OrgObject {
                    kind: "queue".into(),
                    id: "id\u{1b}[2J".into(),
                    name: Some("n\u{7}\n".into()),
                }),
            ),
        ];
        let raw = |out: &str| {
            out.chars()
                .any(|c| c != '\n' && crate::shown::is_control(c))
        };
        for format in [
            Format::Human,
            Format::Compact,
            Format::Github,
            Format::Junit,
            Format::Checkstyle,
        ] {
            let out = render(format, &sources, &diags);
            assert!(!raw(&out), "{format:?}:\n{out}");
            // The name is shown, escaped, and not replaced by U+FFFD as XML's last resort would.
            assert!(out.contains("x\\u{1b}]0;pwned\\u{7}"), "{format:?}:\n{out}");
            assert!(!out.contains('\u{FFFD}'), "{format:?}:\n{out}");
            assert!(!out.contains("\nnote: forged"), "{format:?}:\n{out}");
            if matches!(format, Format::Compact | Format::Github) {
                assert_eq!(out.lines().count(), diags.len(), "{format:?}:\n{out}");
            }
        }
        let md = summary::github_step_summary(
            &diags,
            &fixture::context(&sources),
            &summary::QueueCodeMatrix {
                queues: vec!["q\u{1b}[2J".into()],
                codes: vec!["c\r\n".into()],
                cells: vec![vec![summary::Cell::Assigned]],
            },
            10,
            None,
        );
        assert!(!raw(&md), "{md}");

        let json = |format| -> serde_json::Value {
            serde_json::from_str(&render(format, &sources, &diags)).expect("valid JSON")
        };
        let v = json(Format::Json);
        assert_eq!(v["diagnostics"][0]["range"]["filename"], primary);
        assert_eq!(
            v["diagnostics"][0]["related"][0]["range"]["filename"],
            related
        );
        let v = json(Format::Gitlab);
        assert_eq!(v[0]["location"]["path"], primary);
        let v = json(Format::Rdjson);
        assert_eq!(v["diagnostics"][0]["location"]["path"], primary);
        let v = json(Format::Sarif);
        let at = &v["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(at["artifactLocation"]["uri"], sarif::uri_encode(primary));
    }

    #[test]
    fn every_format_renders_an_empty_report() {
        let (sources, _) = fixture();
        for format in Format::ALL {
            let out = render(format, &sources, &[]);
            match format {
                Format::Compact | Format::Github => assert_eq!(out, ""),
                Format::Human => assert_eq!(out, "No problems found in 3 files.\n"),
                _ => assert!(
                    !out.is_empty(),
                    "{format:?} must still write a valid document"
                ),
            }
        }
    }
}

#[cfg(test)]
mod timing {
    /// Rendering cost at scale: 10,000 findings in every format. Run with
    /// `cargo test --lib report::timing -- --ignored --nocapture`.
    #[test]
    #[ignore = "measurement, not a check"]
    fn render_ten_thousand_findings() {
        let (sources, diags) = super::fixture::fixture();
        let many: Vec<_> = diags.iter().cycle().take(10_000).cloned().collect();
        for format in super::Format::ALL {
            let t = std::time::Instant::now();
            let out = super::fixture::render(format, &sources, &many);
            println!("{format:?}: {:?} for {} bytes", t.elapsed(), out.len());
        }
    }
}
