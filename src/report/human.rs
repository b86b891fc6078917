//! `--format human` (the default): miette's graphical reports, one per finding, then a summary line.
//!
//! Each finding becomes a miette diagnostic over its file's text (read from the snippet's first
//! line, see [`Snippet`]): the primary label and the related labels in the same file are drawn on
//! one snippet; related labels in other files (or on org objects) follow as
//! `note: path:line:col: message` lines, then the finding's notes. The header is
//! `severity[code] rule-name`. Colour only when [`ReportContext::color`]; without it the output has
//! no ANSI escapes at all. Control characters from the user's files never reach the terminal:
//! paths, messages and labels show them as escapes ([`Text::Shown`]), snippets as `?`. Lines wrap
//! at a fixed width so output (and snapshots) do not depend on the terminal.

use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use super::common::{Text, Where, describe_object, locate};
use super::{ReportContext, Reporter};
use crate::diagnostic::{Counts, Diagnostic, Severity};

/// The human reporter.
#[derive(Debug, Clone, Copy)]
pub struct HumanReporter {
    /// Wrap width in columns.
    pub width: usize,
}

impl HumanReporter {
    /// The width used unless the caller knows the terminal's.
    pub const DEFAULT_WIDTH: usize = 100;

    /// A reporter wrapping at `width` columns (the CLI may pass the terminal width).
    pub fn with_width(width: usize) -> Self {
        HumanReporter {
            width: width.max(40),
        }
    }
}

impl Default for HumanReporter {
    fn default() -> Self {
        HumanReporter {
            width: Self::DEFAULT_WIDTH,
        }
    }
}

/// One finding in miette's terms. The message and help are as [`Text::Shown`] writes them.
struct Rendered<'a> {
    d: &'a Diagnostic,
    header: String,
    message: String,
    help: Option<String>,
    source: Option<Snippet<'a>>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rendered")
            .field("header", &self.header)
            .finish()
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.header))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// `ESC[36m…ESC[0m` (cyan, as miette styles `help:`) when colouring.
fn paint(text: &str, color: bool) -> String {
    if color {
        format!("\u{1b}[36m{text}\u{1b}[0m")
    } else {
        text.to_owned()
    }
}

/// The final line: `Found 1 error, 2 warnings and 2 infos in 3 files.`, and `; the check is
/// incomplete` before the full stop when some inputs could not be read or parsed.
pub fn summary_line(counts: Counts, files: usize, incomplete: bool) -> String {
    let line = counts_line(counts, files);
    match incomplete {
        true => format!("{}; the check is incomplete.", line.trim_end_matches('.')),
        false => line,
    }
}

fn counts_line(counts: Counts, files: usize) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let files = plural(files, "file", "files");
    let parts: Vec<String> = [
        (counts.errors, "error", "errors"),
        (counts.warnings, "warning", "warnings"),
        (counts.infos, "info", "infos"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    match parts.as_slice() {
        [] => format!("No problems found in {files}."),
        [one] => format!("Found {one} in {files}."),
        [init @ .., last] => format!("Found {} and {last} in {files}.", init.join(", ")),
    }
}

impl HumanReporter {
    fn render_one(&self, d: &Diagnostic, cx: &ReportContext<'_>, shown: &ShownTexts) -> String {
        // Paths, names and messages come from the user's files and org: none of their control
        // characters may reach the terminal (the snippet's text is sanitised apart, below).
        let show = |s: &str| Text::Shown.of(s).into_owned();
        let header = format!("{}[{}] {}", d.severity, d.rule.code, d.rule.name);
        let mut extra = Vec::new();
        let mut labels = Vec::new();
        let mut source = None;
        let primary = locate(cx.sources, &d.location);
        match &primary {
            Where::File(p) => {
                let text = shown.text(p.span.file, p.file);
                // A snippet of a very long line would quote megabytes (and miette cannot draw
                // past column 65,535): say where instead.
                if line_too_long(p.file, &text.text, p.span) {
                    extra.push(format!("at: {}", show(&p.short())));
                    if let Some(l) = &d.label {
                        extra.push(format!("note: {}", show(l)));
                    }
                } else {
                    source = Some(Snippet {
                        name: show(&p.path),
                        text,
                        file: p.file,
                    });
                    labels.push(LabeledSpan::new_primary_with_span(
                        d.label.as_deref().map(show),
                        p.span.range(),
                    ));
                }
            }
            Where::Org(o) => extra.push(format!("org object: {}", show(&describe_object(o)))),
            Where::Nowhere => {}
        }
        // Related labels share the snippet only when the primary location has one.
        let primary_file = match (&primary, &source) {
            (Where::File(p), Some(s)) => Some((p.span.file, Arc::clone(&s.text.text))),
            _ => None,
        };
        let in_snippet = |p: &super::common::Place<'_>| match &primary_file {
            Some((file, text)) => *file == p.span.file && !line_too_long(p.file, text, p.span),
            None => false,
        };
        for label in &d.related {
            match locate(cx.sources, &label.location) {
                Where::File(p) if in_snippet(&p) => labels.push(LabeledSpan::new_with_span(
                    Some(show(&label.message)),
                    p.span.range(),
                )),
                Where::File(p) => extra.push(format!(
                    "note: {}: {}",
                    show(&p.short()),
                    show(&label.message)
                )),
                Where::Org(o) => extra.push(format!(
                    "note: {}: {}",
                    show(&describe_object(o)),
                    show(&label.message)
                )),
                Where::Nowhere => extra.push(format!("note: {}", show(&label.message))),
            }
        }
        extra.extend(d.notes.iter().map(|n| format!("note: {}", show(n))));

        let rendered = Rendered {
            d,
            header,
            message: show(&d.message),
            help: d.help.as_deref().map(show),
            source,
            labels,
        };
        let theme = if cx.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_urls(false)
            .without_syntax_highlighting();
        let mut out = String::new();
        if handler.render_report(&mut out, &rendered).is_err() {
            // miette refuses spans it cannot read; the finding must still be shown.
            out = format!("{}\n\n  {}\n", rendered.header, rendered.message);
            if let Where::File(p) = &primary {
                out.push_str(&format!("  at {}\n", show(&p.short())));
            }
        }
        for line in extra {
            let (tag, rest) = line.split_once(": ").unwrap_or(("note", &line));
            out.push_str(&format!(
                "  {} {rest}\n",
                paint(&format!("{tag}:"), cx.color)
            ));
        }
        out
    }
}

impl Reporter for HumanReporter {
    // Snippets need the texts: `report` reads them a chunk of findings at a time, so that they
    // are not all read, and kept, first.
    fn report(
        &self,
        w: &mut dyn std::io::Write,
        diags: &[Diagnostic],
        cx: &ReportContext<'_>,
    ) -> std::io::Result<()> {
        // Rendering is most of a large report's time, and each finding's is independent: on
        // every core, a chunk at a time so that memory holds one chunk's output and the texts
        // of its files, not the report's (findings come sorted by file). At 10 MB with 532
        // findings, holding every text shown took the peak from 38 to 41 MiB.
        let mut shown = ShownTexts::default();
        for chunk in diags.chunks(RENDER_CHUNK) {
            shown = ShownTexts::of(chunk, cx.sources, shown);
            let rendered: Vec<String> = chunk
                .par_iter()
                .map(|d| self.render_one(d, cx, &shown))
                .collect();
            for r in rendered {
                write!(w, "{r}")?;
                writeln!(w)?;
            }
        }
        if cx.quiet {
            return Ok(());
        }
        writeln!(
            w,
            "{}",
            summary_line(Counts::of(diags), cx.files_checked, cx.incomplete)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::fixture::{context, fixture, render};
    use super::*;

    /// The windowed reading gives miette exactly what its reading of the whole text gives: the
    /// same bytes, span, line, column and line count, for every span of texts with LF, CRLF and
    /// lone CR line ends, with and without a final newline, at any number of context lines;
    /// except that the column of a reading without context lines (the header's) counts
    /// characters, where miette counts bytes.
    #[test]
    fn snippets_read_as_miette_reads_the_whole_text() {
        let texts = [
            "a = 1\nbb = 2\n\nccc = [\n  3,\n]\nlast",
            "a = 1\r\nbb = 2\r\n\r\nccc = 3\r\n",
            "a = 1\rbb = 2\r\nc = 3\n",
            "one line, no newline",
            "é = \"ü\"\nx = 1\n",
            "\u{feff}é = \"ü\"\r\nx = \"ü\u{1f600}\" # ü\rz\n",
            "",
        ];
        for text in texts {
            let file = crate::source::SourceFile::new("f.tf".into(), Arc::from(text));
            let shown = ShownText::of(&file);
            let windowed = Snippet {
                name: "f.tf".into(),
                text: shown,
                file: &file,
            };
            let whole = miette::NamedSource::new("f.tf", text.to_owned());
            let starts = (0..=text.len()).filter(|&i| text.is_char_boundary(i));
            for start in starts {
                for end in (start..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                    for context in 0..3 {
                        let span = SourceSpan::new(start.into(), end - start);
                        let got = windowed.read_span(&span, context, context);
                        let want = whole.read_span(&span, context, context);
                        // miette's byte column, counted again in characters: the bytes
                        // before the span on its line (a `\r` right before the span's `\n`
                        // is half a line break, which miette does not count), without a
                        // byte-order mark.
                        let chars = |byte_column: usize| {
                            let head = &text.as_bytes()[..start];
                            let head = match head.strip_suffix(b"\r") {
                                Some(h) if text[start..].starts_with('\n') => h,
                                _ => head,
                            };
                            let line = &head[head.len() - byte_column..];
                            let line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
                            String::from_utf8_lossy(line).chars().count()
                        };
                        let facts = |c: Result<Box<dyn SpanContents<'_> + '_>, MietteError>,
                                     header: bool| {
                            c.map(|c| {
                                let name = c.name().map(str::to_owned);
                                let at = (c.span().offset(), c.span().len());
                                let column = match header {
                                    true => chars(c.column()),
                                    false => c.column(),
                                };
                                (
                                    c.data().to_vec(),
                                    at,
                                    c.line(),
                                    column,
                                    c.line_count(),
                                    name,
                                )
                            })
                            .map_err(|e| e.to_string())
                        };
                        assert_eq!(
                            facts(got, false),
                            facts(want, context == 0),
                            "{text:?} {start}..{end} ±{context}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn snapshot() {
        let (sources, diags) = fixture();
        insta::assert_snapshot!(render(Format::Human, &sources, &diags));
    }

    #[test]
    fn no_ansi_without_color_and_ansi_with_it() {
        let (sources, diags) = fixture();
        let plain = render(Format::Human, &sources, &diags);
        assert!(!plain.contains('\u{1b}'));
        let mut out = Vec::new();
        let cx = ReportContext {
            color: true,
            ..context(&sources)
        };
        HumanReporter::default()
            .report(&mut out, &diags, &cx)
            .expect("write");
        assert!(String::from_utf8_lossy(&out).contains('\u{1b}'));
    }

    #[test]
    fn summary_line_counts_and_pluralises() {
        let c = |errors, warnings, infos| Counts {
            errors,
            warnings,
            infos,
        };
        assert_eq!(
            summary_line(c(0, 0, 0), 12, false),
            "No problems found in 12 files."
        );
        assert_eq!(
            summary_line(c(1, 0, 0), 1, false),
            "Found 1 error in 1 file."
        );
        assert_eq!(
            summary_line(c(3, 1, 2), 12, false),
            "Found 3 errors, 1 warning and 2 infos in 12 files."
        );
        assert_eq!(
            summary_line(c(0, 2, 1), 2, false),
            "Found 2 warnings and 1 info in 2 files."
        );
        // Some inputs could not be read: "No problems found" is not the whole story.
        assert_eq!(
            summary_line(c(0, 0, 0), 0, true),
            "No problems found in 0 files; the check is incomplete."
        );
        assert_eq!(
            summary_line(c(1, 0, 0), 3, true),
            "Found 1 error in 3 files; the check is incomplete."
        );
    }

    #[test]
    fn cross_file_labels_become_notes_and_same_file_labels_stay_in_the_snippet() {
        let (sources, diags) = fixture();
        let out = render(Format::Human, &sources, &diags);
        assert!(
            out.contains("note: queues.tf:3:3: queue `Support` assigns these codes"),
            "{out}"
        );
        assert!(out.contains("╰── for calls to this queue"), "{out}");
        assert!(out.contains("note: agents only see codes assigned to their queue"));
        assert!(out.contains("org object: wrapup-code `Legacy`"));
    }

    /// Snippets of files whose texts were let go are read a chunk of findings at a time and
    /// not kept: a large report holds a few files' texts, not every file with a finding.
    #[test]
    fn snippets_of_texts_let_go_are_shown_and_not_kept() {
        use crate::source::tests::unloaded;
        let dir = tempfile::tempdir().expect("tempdir");
        let mut sources = crate::source::SourceMap::new();
        let meta = super::super::fixture::RULES[0];
        let mut diags = Vec::new();
        // More files than a chunk holds findings, so that several chunks read texts.
        for i in 0..RENDER_CHUNK + 3 {
            let text = format!("resource \"x\" \"r{i}\" {{\n  name = \"queue {i}\"\n}}\n");
            let id = unloaded(&mut sources, dir.path(), &format!("f{i:03}.tf"), &text);
            let at = text.find("name").expect("name");
            diags.push(Diagnostic::at(
                meta,
                "here",
                crate::source::Span::new(id, at..at + 4),
            ));
        }
        let out = render(Format::Human, &sources, &diags);
        for i in 0..RENDER_CHUNK + 3 {
            assert!(out.contains(&format!("[f{i:03}.tf:2:3]")), "{out}");
            assert!(out.contains(&format!("name = \"queue {i}\"")), "{out}");
        }
        for d in &diags {
            let file = d.span().expect("a span").file;
            assert!(
                !sources.get(file).is_loaded(),
                "{}",
                sources.get(file).path.display()
            );
        }
        assert!(sources.failures().is_empty());
    }

    /// A file's findings span chunks: its text is read once for all of them, not once a chunk
    /// (the report was quadratic in a large file's findings).
    #[test]
    fn a_file_with_findings_in_many_chunks_is_read_once() {
        use crate::source::tests::{reads_of, unloaded};
        let dir = tempfile::tempdir().expect("tempdir");
        let mut sources = crate::source::SourceMap::new();
        let meta = super::super::fixture::RULES[0];
        let n = 3 * RENDER_CHUNK + 5;
        let text: String = (0..n).map(|i| format!("a{i:04} = \"v{i}\"\n")).collect();
        let id = unloaded(&mut sources, dir.path(), "big.tf", &text);
        let other = unloaded(&mut sources, dir.path(), "other.tf", "b = 1\n");
        let mut diags: Vec<Diagnostic> = (0..n)
            .map(|i| {
                let at = text.find(&format!("a{i:04}")).expect("line");
                Diagnostic::at(meta, "here", crate::source::Span::new(id, at..at + 5))
            })
            .collect();
        diags.push(Diagnostic::at(
            meta,
            "there",
            crate::source::Span::new(other, 0..1),
        ));
        let out = render(Format::Human, &sources, &diags);
        assert!(
            out.contains(&format!("a{:04} = \"v{}\"", n - 1, n - 1)),
            "{out}"
        );
        assert_eq!(reads_of(&dir.path().join("big.tf")), 1);
        assert_eq!(reads_of(&dir.path().join("other.tf")), 1);
        assert!(!sources.get(id).is_loaded());
    }

    #[test]
    fn a_span_into_an_unknown_file_is_still_reported() {
        let (sources, _) = fixture();
        let d = Diagnostic::at(
            &super::super::fixture::UNKNOWN_QUEUE,
            "lost span",
            crate::source::Span {
                file: crate::source::FileId(99),
                start: 5,
                end: 9,
            },
        );
        let out = render(Format::Human, &sources, &[d]);
        assert!(out.contains("lost span"));
        assert!(out.ends_with("Found 1 error in 3 files.\n"));
    }
}

/// Findings rendered at once (see [`HumanReporter::report`]). The texts of their files are
/// held meanwhile: at 10 MB, 64 held 1.2 MB of
/// texts at the peak, and 16 took 0.3 MiB off it (medians of 8 alternating runs, 39,854 against
/// 39,532 KiB) in the same time, the report unchanged.
const RENDER_CHUNK: usize = 16;

/// Lines longer than this are not quoted in a snippet.
const MAX_SNIPPET_LINE: usize = 4096;

/// Whether a line of `span` in `text` (`file`'s, as shown) is too long to quote.
fn line_too_long(file: &crate::source::SourceFile, text: &str, span: crate::source::Span) -> bool {
    let start = file.line_col(span.start).line;
    let end = file.line_col(span.end).line;
    (start..=end.min(start + 50)).any(|l| file.line_text_in(text, l).len() > MAX_SNIPPET_LINE)
}

/// The text shown in snippets: the file's text with control characters (terminal escapes, NUL,
/// bidirectional overrides) replaced byte for byte by `?`, so nothing in a file can drive the
/// user's terminal and byte offsets stay valid (which is why they are not escaped as in paths and
/// messages, [`crate::shown::text`]: an escape is longer than the character). Computed once per
/// file of a chunk of findings, and not kept after it (see
/// [`crate::source::SourceFile::transient_text`]).
#[derive(Default)]
struct ShownTexts {
    by_file: rustc_hash::FxHashMap<crate::source::FileId, ShownText>,
}

#[derive(Clone)]
struct ShownText {
    text: Arc<str>,
    /// Whether a `\r` alone ends a line somewhere: miette counts it as a line break, the file's
    /// line index does not, so only the whole text gives miette's line numbers.
    lone_cr: bool,
}

impl ShownTexts {
    /// The texts of the files where `diags` are, read on every core; those of `previous` (the
    /// chunk before) that these need are kept, the others let go. Findings come sorted by file:
    /// a file's findings span chunks, and reading its text again for each chunk made a report
    /// quadratic (600,000 findings in one 20 MB file: 9,375 reads of it, masked each time).
    fn of(diags: &[Diagnostic], sources: &crate::source::SourceMap, previous: Self) -> Self {
        let mut previous = previous.by_file;
        let mut ids: Vec<_> = diags
            .iter()
            .filter_map(|d| d.span())
            .map(|s| s.file)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut by_file: rustc_hash::FxHashMap<_, _> = (ids.iter())
            .filter_map(|id| Some((*id, previous.remove(id)?)))
            .collect();
        drop(previous);
        let read: Vec<_> = (ids.par_iter())
            .filter(|id| !by_file.contains_key(id))
            .filter_map(|&id| Some((id, ShownText::of(sources.try_get(id)?))))
            .collect();
        by_file.extend(read);
        ShownTexts { by_file }
    }

    fn text(&self, id: crate::source::FileId, file: &crate::source::SourceFile) -> ShownText {
        match self.by_file.get(&id) {
            Some(text) => text.clone(),
            // Not a finding's own file: made each time.
            None => ShownText::of(file),
        }
    }
}

impl ShownText {
    fn of(file: &crate::source::SourceFile) -> Self {
        let text = sanitize(&file.transient_text());
        let bytes = text.as_bytes();
        let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
        ShownText { text, lone_cr }
    }
}

/// A file's text as miette reads it for a snippet, starting at the first line the snippet shows.
/// miette's own reading of a `str` counts lines from the start of the text, byte by byte, for
/// every label: over a large file with many findings that was most of a run's time. The file's
/// line index finds the line at once; miette then reads from there, and the line numbers, spans
/// and columns it returns are moved back to the whole text's.
struct Snippet<'a> {
    name: String,
    text: ShownText,
    file: &'a crate::source::SourceFile,
}

impl SourceCode for Snippet<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text: &str = &self.text.text;
        let (before, after) = (context_lines_before, context_lines_after);
        let start = span.offset();
        let (base_line, base) = match self.text.lone_cr || start > text.len() {
            true => (0, 0),
            false => {
                // miette reads an empty span from the byte before it: that byte must be read.
                let first_read = match span.len() {
                    0 => start.saturating_sub(1),
                    _ => start,
                };
                let line = self.file.line_col(first_read as u32).line.saturating_sub(1) as usize;
                let first = line.saturating_sub(before);
                (first, self.file.line_start(first as u32 + 1) as usize)
            }
        };
        let inner = SourceSpan::new((start - base).into(), span.len());
        let c = text.as_bytes()[base..].read_span(&inner, before, after)?;
        // Read without context lines, the column is where the span starts, and miette prints
        // it in the header (`[main.tf:4:18]`); miette counts it in bytes. Every other format
        // counts characters, as `terraform validate -json` does: so does the header. The
        // snippet's drawing reads with context lines, where the column is always 0.
        let column = match before {
            0 => char_column(text, start, c.column()),
            _ => c.column(),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            SourceSpan::new((c.span().offset() + base).into(), c.span().len()),
            c.line() + base_line,
            column,
            c.line_count() + base_line,
        )))
    }
}

/// The 0-based column, in characters, of byte `start` of `text` (`byte_column` when `start` is
/// no char boundary). Lines break where miette breaks them: at `\n`, `\r\n` and a lone `\r`;
/// a `\r` right before `start`'s `\n` is half a break, neither a break nor a character. A
/// byte-order mark starting the text takes no column ([`crate::source::SourceFile::line_col`]).
fn char_column(text: &str, start: usize, byte_column: usize) -> usize {
    let Some(head) = text.get(..start) else {
        return byte_column;
    };
    let head = match head.strip_suffix('\r') {
        Some(h) if text[start..].starts_with('\n') => h,
        _ => head,
    };
    let line = match head.rfind(['\n', '\r']) {
        Some(at) => &head[at + 1..],
        None => head.strip_prefix('\u{feff}').unwrap_or(head),
    };
    line.chars().count()
}

fn sanitize(text: &Arc<str>) -> Arc<str> {
    // Line breaks and tabs are the snippet's own layout; every other character that paths and
    // messages escape ([`crate::shown::is_control`]) is replaced.
    let bad_char = |c: char| crate::shown::is_control(c) && !matches!(c, '\n' | '\t' | '\r');
    // Every character `bad_char` matches starts with one of these bytes (C0 controls, DEL, the C1
    // controls' 0xC2, the bidirectional controls' 0xE2): most texts are cleared by this scan alone.
    let suspect = |b: &u8| {
        (*b < 0x20 && !matches!(b, b'\n' | b'\t' | b'\r')) || matches!(b, 0x7f | 0xc2 | 0xe2)
    };
    if !text.as_bytes().iter().any(suspect) || !text.chars().any(bad_char) {
        return Arc::clone(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if bad_char(c) {
            // One `?` per byte keeps every later byte offset where the spans expect it.
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Arc::from(out)
}
