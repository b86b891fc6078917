//! `--format junit`: JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure).
//!
//! The convention of eslint's and ruff's JUnit output: one `<testsuite>` per file, one
//! `<testcase>` per finding (named `CODE rule-name`, `classname` = the file), each with one
//! `<failure>` whose `message` is the finding's message and whose text has the location, help and
//! notes. A clean run yields one passing test case, so the CI view shows "1 passed" rather than an
//! empty report. Org-located findings go under their `org:<kind>/<id>` pseudo path. Paths and
//! messages are written as [`Text::Shown`] says: XML 1.0 cannot hold most control characters
//! even escaped.

use super::common::{Text, Where, locate, long_message, xml_escape, xml_text};
use super::{ReportContext, Reporter, TOOL_NAME};
use crate::diagnostic::Diagnostic;

/// The JUnit reporter.
#[derive(Debug, Default, Clone, Copy)]
pub struct JunitReporter;

impl Reporter for JunitReporter {
    fn report(
        &self,
        w: &mut dyn std::io::Write,
        diags: &[Diagnostic],
        cx: &ReportContext<'_>,
    ) -> std::io::Result<()> {
        writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        let n = diags.len().max(1);
        writeln!(
            w,
            r#"<testsuites name="{TOOL_NAME}" tests="{n}" failures="{}" errors="0">"#,
            diags.len()
        )?;
        if diags.is_empty() {
            writeln!(
                w,
                r#"  <testsuite name="{TOOL_NAME}" tests="1" failures="0" errors="0">"#
            )?;
            writeln!(
                w,
                r#"    <testcase name="no problems found" classname="{TOOL_NAME}"/>"#
            )?;
            writeln!(w, "  </testsuite>")?;
        }
        // Group by path in order of first appearance (findings arrive sorted by file).
        let mut groups = super::common::Groups::default();
        for d in diags {
            let at = locate(cx.sources, &d.location);
            let path = Text::Shown.of(&at.path()).into_owned();
            let (position, attrs) = match &at {
                Where::File(p) => (
                    format!("line {}, column {}: ", p.start.line, p.start.column),
                    format!(r#" file="{}" line="{}""#, xml_escape(&path), p.start.line),
                ),
                _ => (String::new(), String::new()),
            };
            let case = format!(
                "    <testcase name=\"{} {}\" classname=\"{}\"{attrs}>\n      \
                 <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                xml_escape(d.rule.code),
                xml_escape(d.rule.name),
                xml_escape(&path),
                xml_escape(&Text::Shown.of(&d.message)),
                d.severity,
                xml_text(&format!(
                    "{position}{}",
                    long_message(d, cx.sources, true, Text::Shown)
                )),
            );
            groups.push(path, case);
        }
        for (path, cases) in groups.into_vec() {
            writeln!(
                w,
                r#"  <testsuite name="{}" tests="{n}" failures="{n}" errors="0">"#,
                xml_escape(&path),
                n = cases.len()
            )?;
            for c in cases {
                writeln!(w, "{c}")?;
            }
            writeln!(w, "  </testsuite>")?;
        }
        writeln!(w, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::fixture::{fixture, render};

    #[test]
    fn snapshot() {
        let (sources, diags) = fixture();
        insta::assert_snapshot!(render(Format::Junit, &sources, &diags));
    }

    #[test]
    fn counts_add_up_and_a_clean_run_passes() {
        let (sources, diags) = fixture();
        let out = render(Format::Junit, &sources, &diags);
        assert!(out.contains(r#"<testsuites name="cxlint" tests="5" failures="5" errors="0">"#));
        assert_eq!(out.matches("<failure ").count(), diags.len());
        assert_eq!(
            out.matches("<testsuite ").count(),
            4,
            "queues, codes, flow, org"
        );

        let clean = render(Format::Junit, &sources, &[]);
        assert!(clean.contains(r#"<testcase name="no problems found" classname="cxlint"/>"#));
        assert!(!clean.contains("<failure"));
    }
}
