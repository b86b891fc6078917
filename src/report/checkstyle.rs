//! `--format checkstyle`: Checkstyle XML, which reviewdog, Jenkins' Warnings plugin and many IDEs
//! import.
//!
//! `<checkstyle version="4.3"><file name="…"><error line column severity message source/></file>`,
//! one `<file>` per path in order of first appearance (findings arrive sorted by file, so each path
//! appears once). `source` is the rule code as ruff does; checkstyle's `info` severity is used for
//! cxlint's `info`. Org-located findings go under their `org:<kind>/<id>` pseudo path, without
//! `line`/`column` (both optional in checkstyle). Paths and messages are written as
//! [`Text::Shown`] says: XML 1.0 cannot hold most control characters even escaped.

use super::common::{Text, Where, locate, long_message, xml_escape};
use super::{ReportContext, Reporter};
use crate::diagnostic::Diagnostic;

/// The checkstyle reporter.
#[derive(Debug, Default, Clone, Copy)]
pub struct CheckstyleReporter;

impl Reporter for CheckstyleReporter {
    fn report(
        &self,
        w: &mut dyn std::io::Write,
        diags: &[Diagnostic],
        cx: &ReportContext<'_>,
    ) -> std::io::Result<()> {
        writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(w, r#"<checkstyle version="4.3">"#)?;
        // Group by path, keeping the order of first appearance.
        let mut groups = super::common::Groups::default();
        for d in diags {
            let at = locate(cx.sources, &d.location);
            let position = match &at {
                Where::File(p) => {
                    format!(r#" line="{}" column="{}""#, p.start.line, p.start.column)
                }
                _ => String::new(),
            };
            let element = format!(
                r#"    <error{position} severity="{}" message="{}" source="{}"/>"#,
                d.severity,
                xml_escape(&long_message(d, cx.sources, true, Text::Shown)),
                xml_escape(d.rule.code),
            );
            let path = Text::Shown.of(&at.path()).into_owned();
            groups.push(path, element);
        }
        for (path, errors) in groups.into_vec() {
            writeln!(w, r#"  <file name="{}">"#, xml_escape(&path))?;
            for e in errors {
                writeln!(w, "{e}")?;
            }
            writeln!(w, "  </file>")?;
        }
        writeln!(w, "</checkstyle>")
    }
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::fixture::{fixture, render};

    #[test]
    fn snapshot() {
        let (sources, diags) = fixture();
        insta::assert_snapshot!(render(Format::Checkstyle, &sources, &diags));
    }

    #[test]
    fn each_file_appears_once_and_markup_is_escaped() {
        let (sources, diags) = fixture();
        let out = render(Format::Checkstyle, &sources, &diags);
        assert_eq!(
            out.matches(r#"<file name="flows/inbound flow.tf">"#)
                .count(),
            1
        );
        assert_eq!(out.matches("<error ").count(), diags.len());
        // The line break is the message's own (a name's), shown as an escape; the one before
        // `help:` is the format's, kept as a character reference.
        assert!(out.contains("&lt;not&gt; &amp; &quot;quoted&quot;\\nsecond line&#10;help:"));
        assert!(!out.contains("<not>"));
    }
}
