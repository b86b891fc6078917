//! `--format compact`: one line per finding, `file:line:col: severity[code] message (rule)`, the
//! shape editors' problem matchers and `grep` understand. Control characters in paths and
//! messages are printed as escapes (`\n`, `\u{1b}`, see [`Text::Shown`]) so that every finding
//! stays on one line and none reaches the terminal. Org-located findings use the `org:<kind>/<id>`
//! pseudo path.

use super::common::{Text, Where, locate};
use super::{ReportContext, Reporter};
use crate::diagnostic::Diagnostic;

/// The compact reporter.
#[derive(Debug, Default, Clone, Copy)]
pub struct CompactReporter;

impl Reporter for CompactReporter {
    fn report(
        &self,
        w: &mut dyn std::io::Write,
        diags: &[Diagnostic],
        cx: &ReportContext<'_>,
    ) -> std::io::Result<()> {
        for d in diags {
            let at = match locate(cx.sources, &d.location) {
                Where::Org(o) => super::common::org_path(o),
                other => other.short(),
            };
            writeln!(
                w,
                "{}: {}[{}] {} ({})",
                Text::Shown.of(&at),
                d.severity,
                d.rule.code,
                Text::Shown.of(&d.message),
                d.rule.name
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::fixture::{fixture, render};

    #[test]
    fn snapshot() {
        let (sources, diags) = fixture();
        insta::assert_snapshot!(render(Format::Compact, &sources, &diags));
    }

    #[test]
    fn one_line_per_finding() {
        let (sources, diags) = fixture();
        let out = render(Format::Compact, &sources, &diags);
        assert_eq!(out.lines().count(), diags.len());
        assert!(out.starts_with("queues.tf:6:1: warning[CX106] "));
    }
}
