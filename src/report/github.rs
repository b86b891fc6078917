//! `--format github`: GitHub Actions workflow commands, which GitHub shows as annotations on the
//! pull request's changed lines.
//!
//! `::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=T::message`, with `warning` and
//! `notice` for the other severities. `col`/`endColumn` are left out when the span covers several
//! lines (GitHub ignores columns then and may reject the annotation). Findings on org objects have
//! no `file`: GitHub shows them on the run's summary page. The message carries the help, notes and
//! related locations on further lines. GitHub shows at most 10 annotations of each type per step;
//! `summary::github_step_summary` reports the rest.
//!
//! Control characters in paths, messages and labels are written as escapes ([`Text::Shown`])
//! before the runner's own escaping: the runner decodes only `%25`, `%0D`, `%0A`, `%3A` and
//! `%2C`, so an `ESC` in a file name would otherwise reach the log as it is. A file whose name
//! holds one is then annotated under its escaped name.

use super::common::{Text, Where, locate, long_message};
use super::{ReportContext, Reporter, TOOL_NAME};
use crate::diagnostic::{Diagnostic, Severity};

/// The GitHub Actions annotations reporter.
#[derive(Debug, Default, Clone, Copy)]
pub struct GithubReporter;

/// The workflow command for a severity.
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escape a command's data (the part after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command property value (`file=…`, `title=…`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for GithubReporter {
    fn report(
        &self,
        w: &mut dyn std::io::Write,
        diags: &[Diagnostic],
        cx: &ReportContext<'_>,
    ) -> std::io::Result<()> {
        for d in diags {
            let mut props = Vec::new();
            if let Where::File(p) = locate(cx.sources, &d.location) {
                props.push(format!(
                    "file={}",
                    escape_property(&Text::Shown.of(&p.path))
                ));
                props.push(format!("line={}", p.start.line));
                if !p.is_multiline() {
                    props.push(format!("col={}", p.start.column));
                }
                props.push(format!("endLine={}", p.end.line));
                if !p.is_multiline() {
                    props.push(format!("endColumn={}", p.end.column));
                }
            }
            let title = format!("{TOOL_NAME} {} {}", d.rule.code, d.rule.name);
            props.push(format!("title={}", escape_property(&title)));
            writeln!(
                w,
                "::{} {}::{}",
                command(d.severity),
                props.join(","),
                escape_data(&long_message(d, cx.sources, true, Text::Shown))
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::fixture::{fixture, render};
    use super::*;

    #[test]
    fn snapshot() {
        let (sources, diags) = fixture();
        insta::assert_snapshot!(render(Format::Github, &sources, &diags));
    }

    #[test]
    fn escapes_follow_the_runner_rules() {
        assert_eq!(escape_data("50%\r\n:,"), "50%25%0D%0A:,");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn multi_line_spans_have_no_columns_and_org_findings_no_file() {
        let (sources, diags) = fixture();
        let out = render(Format::Github, &sources, &diags);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), diags.len(), "each annotation is one line");
        assert!(
            lines[0].starts_with("::warning file=queues.tf,line=6,endLine=7,title="),
            "{}",
            lines[0]
        );
        let org = lines.last().expect("org finding");
        assert!(
            org.starts_with("::notice title=cxlint CX107 unassigned-wrapup-code::"),
            "{org}"
        );
    }
}
