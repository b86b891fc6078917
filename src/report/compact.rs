//! `--format compact`: one line per finding, `file:line:col: severity[code] message (rule)`, the
//! shape editors' problem matchers and `grep` understand. Newlines in a message are printed as
//! `\n` so that every finding stays on one line. Org-located findings use the `org:<kind>/<id>`
//! pseudo path.

use super::common::{Where, locate};
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
            let message = d.message.replace('\r', "\\r").replace('\n', "\\n");
            writeln!(
                w,
                "{at}: {}[{}] {message} ({})",
                d.severity, d.rule.code, d.rule.name
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
