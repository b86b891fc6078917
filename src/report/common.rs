//! Helpers every format shares: resolving a [`Location`] to a path and line/column numbers, the
//! pseudo path of org objects, stable fingerprints, XML escaping, and how text from outside cxlint
//! is written ([`Text`]).
//!
//! Nothing here panics on a bad span: offsets are clamped to the file and to char boundaries, and a
//! span into a file the [`SourceMap`] does not hold resolves to [`Where::Nowhere`].

use std::borrow::Cow;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Location, OrgObject};
use crate::source::{LineCol, SourceFile, SourceMap, Span};

/// A span resolved against its file.
#[derive(Debug, Clone)]
pub struct Place<'a> {
    /// The file the span is in.
    pub file: &'a SourceFile,
    /// The display path with `/` separators.
    pub path: String,
    /// The span, clamped to the text and to char boundaries.
    pub span: Span,
    /// Where the span starts.
    pub start: LineCol,
    /// The exclusive end.
    pub end: LineCol,
}

impl Place<'_> {
    /// Whether the span covers more than one line.
    pub fn is_multiline(&self) -> bool {
        self.end.line > self.start.line
    }

    /// The last line the span touches (inclusive): a span ending right after a newline ends on
    /// the line before, as line-based formats (GitLab, checkstyle) expect.
    pub fn last_line(&self) -> u32 {
        if self.span.end > self.span.start {
            self.file.line_col(self.span.end - 1).line
        } else {
            self.start.line
        }
    }

    /// The underlined source text.
    pub fn text(&self) -> &str {
        self.file.slice(self.span)
    }

    /// The 1-based column of `at` counted in UTF-8 bytes (rdjson counts this way).
    pub fn byte_column(&self, at: LineCol) -> u32 {
        at.byte.saturating_sub(self.file.line_start(at.line)) + 1
    }

    /// The number of chars before `at` in the file (SARIF `charOffset`).
    pub fn char_offset(&self, at: LineCol) -> usize {
        self.file.char_offset(at.byte)
    }

    /// `path:line:col`.
    pub fn short(&self) -> String {
        format!("{}:{}:{}", self.path, self.start.line, self.start.column)
    }
}

/// Where a location is, in a form reporters can print.
#[derive(Debug, Clone)]
pub enum Where<'a> {
    /// A range in a loaded file.
    File(Place<'a>),
    /// An org object known only from live state.
    Org(&'a OrgObject),
    /// A span into a file the source map does not hold (a bug upstream; printed without a place).
    Nowhere,
}

impl Where<'_> {
    /// A one-line description for formats that need a path-like string: `path:line:col`, the org
    /// pseudo path, or `<unknown>`.
    pub fn short(&self) -> String {
        match self {
            Where::File(p) => p.short(),
            Where::Org(o) => org_path(o),
            Where::Nowhere => "<unknown>".to_owned(),
        }
    }

    /// The path (or pseudo path) alone.
    pub fn path(&self) -> String {
        match self {
            Where::File(p) => p.path.clone(),
            Where::Org(o) => org_path(o),
            Where::Nowhere => "<unknown>".to_owned(),
        }
    }
}

/// Resolve a location.
pub fn locate<'a>(sources: &'a SourceMap, location: &'a Location) -> Where<'a> {
    match location {
        Location::Source(span) => place(sources, *span).map_or(Where::Nowhere, Where::File),
        Location::Org(o) => Where::Org(o),
    }
}

/// Resolve a span, clamping it to its file's text and to char boundaries.
pub fn place(sources: &SourceMap, span: Span) -> Option<Place<'_>> {
    let file = sources.try_get(span.file)?;
    let start = file.floor_char_boundary(span.start);
    let end = file.floor_char_boundary(span.end).max(start);
    let span = Span::new(span.file, start as usize..end as usize);
    Some(Place {
        file,
        path: slash_path(&file.path),
        span,
        start: file.line_col(span.start),
        end: file.line_col(span.end),
    })
}

/// A path with `/` separators whatever the platform.
pub fn slash_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

/// The pseudo path of an org object, for formats that need a path: `org:queue/<id>`.
pub fn org_path(o: &OrgObject) -> String {
    format!("org:{}/{}", o.kind, o.id)
}

/// A phrase naming an org object: ``queue `Support` (id `q-1`)``.
pub fn describe_object(o: &OrgObject) -> String {
    match &o.name {
        Some(name) => format!("{} `{}` (id `{}`)", o.kind, name, o.id),
        None => format!("{} `{}`", o.kind, o.id),
    }
}

/// A stable fingerprint of a finding, for SARIF `partialFingerprints` and GitLab `fingerprint`.
///
/// It hashes the rule name, the file path, the subject (the Terraform address) and the offending
/// source text (or the org object's kind and id), never line numbers: a finding keeps its
/// fingerprint when unrelated edits move it. `seen` makes identical findings in the same place
/// distinct (GitLab merges findings with equal fingerprints); pass a fresh `Fingerprints` per report.
pub struct Fingerprints {
    seen: std::collections::HashMap<u128, u32>,
    texts: RecentTexts,
}

/// The texts of the last few files a report read, as [`SourceFile::transient_text`] gives them:
/// findings come sorted by file, so each file is read about once, and a large run's report does
/// not hold the text of every file with a finding at once (they were 3 MB of a 10 MB run's
/// 42 MB peak, for SARIF and GitLab).
#[derive(Default)]
struct RecentTexts {
    recent: Vec<(crate::source::FileId, std::sync::Arc<str>)>,
}

impl RecentTexts {
    /// Files kept: a finding's related locations are in a few other files at most.
    const KEEP: usize = 8;

    /// The text `p` spans.
    fn span(&mut self, p: &Place<'_>) -> &str {
        let id = p.span.file;
        match self.recent.iter().position(|(f, _)| *f == id) {
            Some(i) => {
                let hit = self.recent.remove(i);
                self.recent.push(hit);
            }
            None => {
                if self.recent.len() == Self::KEEP {
                    self.recent.remove(0);
                }
                self.recent.push((id, p.file.transient_text()));
            }
        }
        (self.recent.last())
            .and_then(|(_, text)| text.get(p.span.range()))
            .unwrap_or_default()
    }
}

impl Fingerprints {
    /// A fresh set: use one per report.
    pub fn new() -> Self {
        Fingerprints {
            seen: std::collections::HashMap::new(),
            texts: RecentTexts::default(),
        }
    }

    /// The fingerprint of `d` as 32 lowercase hex digits.
    pub fn of(&mut self, d: &Diagnostic, sources: &SourceMap) -> String {
        let mut h = Fnv128::new();
        h.field(d.rule.name.as_bytes());
        match locate(sources, &d.location) {
            Where::File(p) => {
                h.field(p.path.as_bytes());
                h.field(self.texts.span(&p).as_bytes());
            }
            Where::Org(o) => {
                h.field(o.kind.as_bytes());
                h.field(o.id.as_bytes());
            }
            Where::Nowhere => h.field(b"<unknown>"),
        }
        h.field(d.subject.as_deref().unwrap_or("").as_bytes());
        let base = h.finish();
        let n = self.seen.entry(base).or_insert(0);
        let value = if *n == 0 {
            base
        } else {
            let mut h = Fnv128::new();
            h.field(&base.to_le_bytes());
            h.field(&n.to_le_bytes());
            h.finish()
        };
        *n += 1;
        format!("{value:032x}")
    }
}

impl Default for Fingerprints {
    fn default() -> Self {
        Self::new()
    }
}

/// FNV-1a with 128-bit state. Implemented here rather than pulled in: ten lines, no dependency, and
/// its output is fixed by specification (unlike `std`'s `DefaultHasher`, which may change between
/// Rust releases and would silently change every fingerprint). Not cryptographic; it need not be.
struct Fnv128(u128);

impl Fnv128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;

    fn new() -> Self {
        Fnv128(Self::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// A length-prefixed field, so that `("ab", "c")` and `("a", "bc")` hash differently.
    fn field(&mut self, bytes: &[u8]) {
        self.write(&(bytes.len() as u64).to_le_bytes());
        self.write(bytes);
    }

    fn finish(&self) -> u128 {
        self.0
    }
}

/// Items grouped by path in order of first appearance (XML formats nest findings in a per-file
/// element). Findings normally arrive sorted by file, but grouping does not rely on it.
#[derive(Debug, Default)]
pub struct Groups {
    index: std::collections::HashMap<String, usize>,
    groups: Vec<(String, Vec<String>)>,
}

impl Groups {
    /// Add `item` to the group of `path`, creating it at the end if new.
    pub fn push(&mut self, path: String, item: String) {
        match self.index.get(&path) {
            Some(&i) => self.groups[i].1.push(item),
            None => {
                self.index.insert(path.clone(), self.groups.len());
                self.groups.push((path, vec![item]));
            }
        }
    }

    /// The groups, in order of first appearance.
    pub fn into_vec(self) -> Vec<(String, Vec<String>)> {
        self.groups
    }
}

/// Escape text for XML element content: like [`xml_escape`] but line breaks and tabs stay as they
/// are (they are preserved in content).
pub fn xml_text(s: &str) -> String {
    xml_escape(s)
        .replace("&#10;", "\n")
        .replace("&#13;", "\r")
        .replace("&#9;", "\t")
}

/// Escape text for XML content or a double-quoted attribute. Characters XML 1.0 forbids (most
/// control characters) become U+FFFD; newlines and tabs become character references so that they
/// survive attribute-value normalisation.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// How a format writes text that comes from outside cxlint: paths, names and values from the
/// user's files, org objects, and the messages, labels and notes that quote them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    /// As it is, for JSON formats: JSON escapes every control character, and their readers need
    /// the real file names.
    Exact,
    /// Through [`crate::shown::text`], for formats read as lines (a terminal, a CI log, XML):
    /// control characters become visible escapes.
    Shown,
}

impl Text {
    /// `s` as this format writes it.
    pub fn of(self, s: &str) -> Cow<'_, str> {
        match self {
            Text::Exact => Cow::Borrowed(s),
            Text::Shown => crate::shown::text(s),
        }
    }
}

/// The full text of a finding for formats with a single text field: the message (with the org
/// object it is about, if any), then related locations as `path:line:col: label` (unless the
/// format carries them separately), `help:` and `note:` lines. Each part is written as `text`
/// says; the line breaks between them are the only ones [`Text::Shown`] leaves.
pub fn long_message(d: &Diagnostic, sources: &SourceMap, with_related: bool, text: Text) -> String {
    let mut s = text.of(&d.message).into_owned();
    if let Location::Org(o) = &d.location {
        s.push_str(&format!(" [{}]", text.of(&describe_object(o))));
    }
    for label in d.related.iter().filter(|_| with_related) {
        let at = locate(sources, &label.location);
        let at = match &at {
            Where::Org(o) => describe_object(o),
            other => other.short(),
        };
        s.push_str(&format!("\n{}: {}", text.of(&at), text.of(&label.message)));
    }
    if let Some(help) = &d.help {
        s.push_str(&format!("\nhelp: {}", text.of(help)));
    }
    for note in &d.notes {
        s.push_str(&format!("\nnote: {}", text.of(note)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn fnv128_matches_the_reference_vectors() {
        // Published FNV-1a 128-bit test vectors (empty input and "a").
        assert_eq!(Fnv128::new().finish(), 0x6c62272e07bb014262b821756295c58d);
        let mut h = Fnv128::new();
        h.write(b"a");
        assert_eq!(h.finish(), 0xd228cb696f1a8caf78912b704e4a8964);
    }

    #[test]
    fn places_clamp_bad_spans_instead_of_panicking() {
        let mut sources = SourceMap::new();
        let id = sources.add("a.tf".into(), Arc::from("é\nb"));
        // Mid-character start, end past the text.
        let p = place(
            &sources,
            Span {
                file: id,
                start: 1,
                end: 99,
            },
        )
        .expect("file exists");
        assert_eq!(p.span.start, 0);
        assert_eq!(p.span.end, 4);
        assert_eq!((p.end.line, p.end.column), (2, 2));
        assert!(
            place(
                &sources,
                Span {
                    file: crate::source::FileId(7),
                    start: 0,
                    end: 1
                }
            )
            .is_none()
        );
    }

    #[test]
    fn last_line_excludes_a_trailing_newline() {
        let mut sources = SourceMap::new();
        let id = sources.add("a.tf".into(), Arc::from("ab\ncd\n"));
        let p = place(&sources, Span::new(id, 0..3)).expect("file exists");
        assert_eq!(p.end.line, 2);
        assert_eq!(p.last_line(), 1);
        assert_eq!(p.byte_column(p.end), 1);
    }

    #[test]
    fn xml_escape_handles_markup_and_control_characters() {
        assert_eq!(
            xml_escape("a<b & \"c\"\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot;&#10;\u{FFFD}"
        );
        assert_eq!(xml_text("a<b\n\tc"), "a&lt;b\n\tc");
    }
}
