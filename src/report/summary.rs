//! The GitHub job summary (`$GITHUB_STEP_SUMMARY`): a Markdown page with counts by rule, the top
//! findings linked to their lines, how many findings GitHub did not annotate, and a queue × wrap-up
//! code matrix.
//!
//! This is not a `--format`: the GitHub Action writes it beside the `github` annotations. It takes
//! the repository coordinates as parameters (never reads the environment itself) so it stays a pure
//! function of its inputs. Every table cell is escaped: finding messages are user data. Paths and
//! messages are written as [`Text::Shown`] says first (a control character in them is shown as an
//! escape); links to lines keep the real path, percent-encoded.

use super::common::{Text, Where, describe_object, locate};
use super::human::summary_line;
use super::sarif::uri_encode;
use super::{ReportContext, TOOL_NAME};
use crate::diagnostic::{Counts, Diagnostic, Severity};

/// How many findings the "Top findings" table lists.
pub const TOP_FINDINGS: usize = 20;

/// GitHub's limit of annotations of each type (error, warning, notice) shown per step.
pub const GITHUB_ANNOTATION_LIMIT: usize = 10;

/// Which wrap-up codes each queue assigns and its flows use; filled from the model by the caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueCodeMatrix {
    /// Row headers (queue names).
    pub queues: Vec<String>,
    /// Column headers (wrap-up code names).
    pub codes: Vec<String>,
    /// `cells[q][c]` for queue `q` and code `c`; missing cells count as [`Cell::None`].
    pub cells: Vec<Vec<Cell>>,
}

/// The relation between one queue and one wrap-up code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cell {
    /// The queue assigns the code, but no automation uses it on the queue.
    Assigned,
    /// Automation uses the code on the queue, but the queue does not assign it (a finding).
    UsedNotAssigned,
    /// Assigned and used.
    AssignedAndUsed,
    /// Cannot be told (a dynamic reference).
    Unknown,
    /// Neither assigned nor used.
    #[default]
    None,
}

impl Cell {
    fn symbol(self) -> &'static str {
        match self {
            Cell::Assigned => "✓",
            Cell::UsedNotAssigned => "❌",
            Cell::AssignedAndUsed => "✅",
            Cell::Unknown => "?",
            Cell::None => "",
        }
    }
}

/// Where the repository is on GitHub, for links to lines: the values of `GITHUB_SERVER_URL`,
/// `GITHUB_REPOSITORY` and `GITHUB_SHA`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepoLink<'a> {
    pub server_url: &'a str,
    pub repository: &'a str,
    pub sha: &'a str,
}

impl RepoLink<'_> {
    fn blob(&self, path: &str, start: u32, end: u32) -> String {
        let lines = if end > start {
            format!("L{start}-L{end}")
        } else {
            format!("L{start}")
        };
        format!(
            "{}/{}/blob/{}/{}#{lines}",
            self.server_url.trim_end_matches('/'),
            self.repository,
            self.sha,
            uri_encode(path)
        )
    }
}

/// Escape text for a Markdown table cell. Outside code spans, Markdown and HTML punctuation is
/// backslash-escaped; inside them only `|` needs it (GitHub splits cells before parsing code
/// spans). Newlines, which would end the row, become `<br>` (a space inside a code span). With an
/// odd number of backticks nothing is a code span, so every backtick is escaped.
pub fn md_cell(text: &str) -> String {
    let balanced = text.matches('`').count() % 2 == 0;
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' if balanced => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '\r' => {}
            '\n' if in_code => out.push(' '),
            '\n' => out.push_str("<br>"),
            _ if in_code => out.push(c),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '~' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The Markdown job summary.
///
/// `annotated_limit` is how many annotations of each type GitHub shows per step
/// ([`GITHUB_ANNOTATION_LIMIT`]); `link`, when given, turns locations into links to the lines.
pub fn github_step_summary(
    diags: &[Diagnostic],
    cx: &ReportContext<'_>,
    matrix: &QueueCodeMatrix,
    annotated_limit: usize,
    link: Option<&RepoLink<'_>>,
) -> String {
    let mut md = String::new();
    let counts = Counts::of(diags);
    md.push_str(&format!(
        "## {TOOL_NAME}\n\n{}\n",
        summary_line(counts, cx.files_checked, cx.incomplete)
    ));

    if !diags.is_empty() {
        // Counts by rule, most frequent first.
        let mut by_rule: Vec<(&crate::rules::RuleMeta, usize, Severity)> = Vec::new();
        for d in diags {
            match by_rule.iter_mut().find(|(r, _, _)| r.code == d.rule.code) {
                Some((_, n, sev)) => {
                    *n += 1;
                    *sev = (*sev).max(d.severity);
                }
                None => by_rule.push((d.rule, 1, d.severity)),
            }
        }
        by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.code.cmp(b.0.code)));
        md.push_str(
            "\n### Findings by rule\n\n| Rule | Code | Severity | Count |\n|---|---|---|---:|\n",
        );
        for (rule, n, sev) in &by_rule {
            md.push_str(&format!(
                "| [{}]({}) | {} | {sev} | {n} |\n",
                md_cell(rule.name),
                rule.url(),
                md_cell(rule.code)
            ));
        }

        // The most severe findings first, in report order within a severity.
        let mut top: Vec<&Diagnostic> = diags.iter().collect();
        top.sort_by_key(|d| std::cmp::Reverse(d.severity));
        md.push_str(
            "\n### Top findings\n\n| Severity | Rule | Message | Location |\n|---|---|---|---|\n",
        );
        for d in top.iter().take(TOP_FINDINGS) {
            let location = match locate(cx.sources, &d.location) {
                Where::File(p) => {
                    let text = md_cell(&Text::Shown.of(&format!("{}:{}", p.path, p.start.line)));
                    match link {
                        Some(l) => {
                            format!("[{text}]({})", l.blob(&p.path, p.start.line, p.last_line()))
                        }
                        None => text,
                    }
                }
                Where::Org(o) => md_cell(&Text::Shown.of(&format!("org: {}", describe_object(o)))),
                Where::Nowhere => String::new(),
            };
            md.push_str(&format!(
                "| {} | {} | {} | {location} |\n",
                d.severity,
                md_cell(d.rule.code),
                md_cell(&Text::Shown.of(&d.message))
            ));
        }
        if diags.len() > TOP_FINDINGS {
            md.push_str(&format!("\n…and {} more.\n", diags.len() - TOP_FINDINGS));
        }

        let hidden = [counts.errors, counts.warnings, counts.infos]
            .iter()
            .map(|n| n.saturating_sub(annotated_limit))
            .sum::<usize>();
        if hidden > 0 {
            md.push_str(&format!(
                "\n> [!NOTE]\n> GitHub shows at most {annotated_limit} annotation{} of each type per step, so \
                 {hidden} finding{} {} not annotated. Upload the SARIF report (`--format sarif`) with \
                 `github/codeql-action/upload-sarif` to see every finding in code scanning.\n",
                if annotated_limit == 1 { "" } else { "s" },
                if hidden == 1 { "" } else { "s" },
                if hidden == 1 { "was" } else { "were" },
            ));
        }
    }

    if !matrix.queues.is_empty() && !matrix.codes.is_empty() {
        md.push_str("\n### Wrap-up codes by queue\n\n| Queue |");
        for code in &matrix.codes {
            md.push_str(&format!(" {} |", md_cell(&Text::Shown.of(code))));
        }
        md.push_str("\n|---|");
        md.push_str(&":-:|".repeat(matrix.codes.len()));
        md.push('\n');
        for (q, queue) in matrix.queues.iter().enumerate() {
            md.push_str(&format!("| {} |", md_cell(&Text::Shown.of(queue))));
            for c in 0..matrix.codes.len() {
                let cell = matrix
                    .cells
                    .get(q)
                    .and_then(|row| row.get(c))
                    .copied()
                    .unwrap_or_default();
                md.push_str(&format!(" {} |", cell.symbol()));
            }
            md.push('\n');
        }
        md.push_str(
            "\n✅ assigned and used · ✓ assigned, not used by automation · ❌ used by automation but not assigned · \
             ? unknown (dynamic reference) · blank: neither\n",
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{context, fixture};
    use super::*;

    fn matrix() -> QueueCodeMatrix {
        QueueCodeMatrix {
            queues: vec!["Support".into(), "Sales | EU".into()],
            codes: vec!["Resolved".into(), "Escalated".into()],
            // The second row is short on purpose: missing cells are blank, not a panic.
            cells: vec![
                vec![Cell::AssignedAndUsed, Cell::UsedNotAssigned],
                vec![Cell::Unknown],
            ],
        }
    }

    #[test]
    fn snapshot_with_links() {
        let (sources, diags) = fixture();
        let link = RepoLink {
            server_url: "https://github.com",
            repository: "acme/cx",
            sha: "abc123",
        };
        let md = github_step_summary(&diags, &context(&sources), &matrix(), 1, Some(&link));
        insta::assert_snapshot!(md);
    }

    #[test]
    fn without_links_locations_are_plain_and_a_clean_run_is_short() {
        let (sources, diags) = fixture();
        let md = github_step_summary(
            &diags,
            &context(&sources),
            &QueueCodeMatrix::default(),
            10,
            None,
        );
        assert!(md.contains("| queues.tf:6 |"), "{md}");
        assert!(!md.contains("](https://github.com/acme"));
        assert!(!md.contains("[!NOTE]"), "5 findings fit within 10 per type");
        assert!(!md.contains("Wrap-up codes by queue"));

        let clean = github_step_summary(
            &[],
            &context(&sources),
            &QueueCodeMatrix::default(),
            10,
            None,
        );
        assert_eq!(clean, "## cxlint\n\nNo problems found in 3 files.\n");
    }

    #[test]
    fn not_annotated_counts_each_type_separately() {
        let (sources, diags) = fixture();
        // 1 error, 2 warnings, 2 infos with a limit of 1: 0 + 1 + 1 hidden.
        let md = github_step_summary(
            &diags,
            &context(&sources),
            &QueueCodeMatrix::default(),
            1,
            None,
        );
        assert!(md.contains("so 2 findings were not annotated"), "{md}");
    }

    #[test]
    fn table_cells_are_escaped() {
        assert_eq!(md_cell("a|b"), "a\\|b");
        assert_eq!(md_cell("`x|<y>`"), "`x\\|<y>`");
        assert_eq!(
            md_cell("<b>*x*</b>\nnext"),
            "\\<b\\>\\*x\\*\\</b\\><br>next"
        );
        assert_eq!(md_cell("odd ` tick"), "odd \\` tick");
    }
}
