//! `--format gitlab`: a GitLab Code Quality report (a JSON array), shown in merge requests.
//!
//! Each entry: `description` (message and rule name), `check_name` (the rule code),
//! `fingerprint` (32 hex digits, the same stable hash as SARIF `partialFingerprints`: rule, file,
//! subject and offending text, never line numbers, so GitLab can tell new findings from moved ones),
//! `severity` and `location {path, lines {begin, end}}`. Severity mapping: `error` → `major`,
//! `warning` → `minor`, `info` → `info`; `critical`/`blocker` are left for nothing, since a lint
//! finding never blocks by itself (the exit code does). Org-located findings use the
//! `org:<kind>/<id>` pseudo path and line 1.

use serde::Serialize;

use super::common::{Fingerprints, Text, Where, locate, long_message};
use super::{ReportContext, Reporter};
use crate::diagnostic::{Diagnostic, Severity};

/// The GitLab Code Quality reporter.
#[derive(Debug, Default, Clone, Copy)]
pub struct GitlabReporter;

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

/// GitLab's severity for ours.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

impl Reporter for GitlabReporter {
    fn report(
        &self,
        w: &mut dyn std::io::Write,
        diags: &[Diagnostic],
        cx: &ReportContext<'_>,
    ) -> std::io::Result<()> {
        let mut fingerprints = Fingerprints::new();
        let issues: Vec<Issue<'_>> = diags
            .iter()
            .map(|d| {
                let at = locate(cx.sources, &d.location);
                let lines = match &at {
                    Where::File(p) => Lines {
                        begin: p.start.line,
                        end: p.last_line(),
                    },
                    _ => Lines { begin: 1, end: 1 },
                };
                // The rule name goes at the end of the first line, where GitLab's list shows it.
                let mut description = long_message(d, cx.sources, true, Text::Exact);
                let first_line_end = description.find('\n').unwrap_or(description.len());
                description.insert_str(first_line_end, &format!(" ({})", d.rule.name));
                Issue {
                    description,
                    check_name: d.rule.code,
                    fingerprint: fingerprints.of(d, cx.sources),
                    severity: severity(d.severity),
                    location: IssueLocation {
                        path: at.path(),
                        lines,
                    },
                }
            })
            .collect();
        serde_json::to_writer_pretty(&mut *w, &issues)?;
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
        insta::assert_snapshot!(render(Format::Gitlab, &sources, &diags));
    }

    #[test]
    fn fingerprints_are_unique_and_ignore_line_moves() {
        let (sources, diags) = fixture();
        let v: Value =
            serde_json::from_str(&render(Format::Gitlab, &sources, &diags)).expect("JSON");
        let fps: Vec<&str> = v
            .as_array()
            .expect("array")
            .iter()
            .map(|i| i["fingerprint"].as_str().expect("str"))
            .collect();
        let mut unique = fps.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), fps.len());
        assert!(fps.iter().all(|f| f.len() == 32));

        // The same file with two lines inserted at the top: every fingerprint is unchanged.
        let (moved_sources, moved_diags) = super::super::fixture::fixture_shifted();
        let v2: Value = serde_json::from_str(&render(Format::Gitlab, &moved_sources, &moved_diags))
            .expect("JSON");
        let fps2: Vec<&str> = v2
            .as_array()
            .expect("array")
            .iter()
            .map(|i| i["fingerprint"].as_str().expect("str"))
            .collect();
        assert_eq!(fps, fps2);
        assert_ne!(
            v[0]["location"]["lines"]["begin"],
            v2[0]["location"]["lines"]["begin"]
        );
    }
}
