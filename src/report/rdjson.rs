//! `--format rdjson`: the reviewdog Diagnostic Format, for `reviewdog -f=rdjson`, which posts
//! findings as pull-request review comments on GitHub, GitLab, Bitbucket and Gerrit.
//!
//! `{source {name, url}, diagnostics [{message, location {path, range {start {line, column}, end}},
//! severity, code {value, url}, related_locations}]}`. Columns are 1-based and counted in UTF-8
//! bytes, as the format specifies (every other cxlint format counts chars). cxlint has no automatic
//! fixes, so `suggestions` is never written. Org-located findings have the `org:<kind>/<id>`
//! pseudo path and no `range`.

use serde::Serialize;

use super::common::{Text, Where, locate, long_message};
use super::{ReportContext, Reporter, TOOL_NAME, TOOL_URI};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::source::SourceMap;

/// The reviewdog reporter.
#[derive(Debug, Default, Clone, Copy)]
pub struct RdjsonReporter;

#[derive(Serialize)]
struct Document<'a> {
    source: Source<'a>,
    diagnostics: Vec<RdDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Source<'a> {
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct RdDiagnostic<'a> {
    message: String,
    location: RdLocation,
    severity: &'static str,
    code: Code<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation<'a>>,
}

#[derive(Serialize)]
struct Code<'a> {
    value: &'a str,
    url: String,
}

#[derive(Serialize)]
struct RelatedLocation<'a> {
    message: &'a str,
    location: RdLocation,
}

#[derive(Serialize)]
struct RdLocation {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    range: Option<RdRange>,
}

#[derive(Serialize)]
struct RdRange {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

fn location(sources: &SourceMap, loc: &Location) -> RdLocation {
    match locate(sources, loc) {
        Where::File(p) => {
            let range = RdRange {
                start: Position {
                    line: p.start.line,
                    column: p.byte_column(p.start),
                },
                end: Position {
                    line: p.end.line,
                    column: p.byte_column(p.end),
                },
            };
            RdLocation {
                path: p.path.clone(),
                range: Some(range),
            }
        }
        other => RdLocation {
            path: other.path(),
            range: None,
        },
    }
}

/// reviewdog's severity for ours.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Info => "INFO",
    }
}

impl Reporter for RdjsonReporter {
    fn report(
        &self,
        w: &mut dyn std::io::Write,
        diags: &[Diagnostic],
        cx: &ReportContext<'_>,
    ) -> std::io::Result<()> {
        let doc = Document {
            source: Source {
                name: TOOL_NAME,
                url: TOOL_URI,
            },
            diagnostics: diags
                .iter()
                .map(|d| {
                    // Related locations travel separately (`related_locations`).
                    RdDiagnostic {
                        message: long_message(d, cx.sources, false, Text::Exact),
                        location: location(cx.sources, &d.location),
                        severity: severity(d.severity),
                        code: Code {
                            value: d.rule.code,
                            url: d.rule.url(),
                        },
                        related_locations: d
                            .related
                            .iter()
                            .map(|l| RelatedLocation {
                                message: &l.message,
                                location: location(cx.sources, &l.location),
                            })
                            .collect(),
                    }
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *w, &doc)?;
        writeln!(w)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::fixture::{fixture, render};
    use serde_json::Value;

    #[test]
    fn snapshot() {
        let (sources, diags) = fixture();
        insta::assert_snapshot!(render(Format::Rdjson, &sources, &diags));
    }

    #[test]
    fn columns_count_bytes_and_org_findings_have_no_range() {
        use crate::diagnostic::Diagnostic;
        use crate::source::{SourceMap, Span};
        let mut sources = SourceMap::new();
        let id = sources.add("é.tf".into(), std::sync::Arc::from("é = x\n"));
        // `x` is char column 5 but byte column 6.
        let d = Diagnostic::at(
            &super::super::fixture::UNKNOWN_QUEUE,
            "m",
            Span::new(id, 5..6),
        );
        let v: Value = serde_json::from_str(&render(Format::Rdjson, &sources, &[d])).expect("JSON");
        assert_eq!(
            v["diagnostics"][0]["location"]["range"]["start"]["column"],
            6
        );
        assert_eq!(v["diagnostics"][0]["location"]["range"]["end"]["column"], 7);

        let (sources, diags) = fixture();
        let v: Value =
            serde_json::from_str(&render(Format::Rdjson, &sources, &diags)).expect("JSON");
        let last = &v["diagnostics"][diags.len() - 1];
        assert!(last["location"].get("range").is_none());
        assert_eq!(last["severity"], "INFO");
    }
}
