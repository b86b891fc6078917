//! Inline suppressions (`# cxlint-ignore: rule -- reason`) and config `per-file-ignores`.
//!
//! Syntax, in a `#` or `//` comment (HCL, YAML flow files):
//!
//! - `cxlint-ignore: rule-a, rule-b -- reason` covers findings that start on the comment's line.
//!   When the comment stands alone on its line it also covers the next line, and when that line
//!   opens a block (`resource "..." "..." {`) the whole block. Stacked suppression comments above
//!   the same line all apply to it. A comment trailing code covers only its own line, so it never
//!   reaches down to unrelated code.
//! - `cxlint-ignore-file: rule -- reason` anywhere in a file covers the whole file.
//! - Rules are named by name or code, separated by commas (or spaces); the `-- reason` is
//!   optional but recommended. There is no `all`: each suppression must say what it hides, so an
//!   audit (`--no-inline-ignores`) can tell what was hidden and why.
//!
//! A suppression entry that hides nothing, names an unknown rule, or names no rule is reported as
//! `unused-suppression` (ruff's RUF100), except: entries naming a rule that did not run this time
//! (cxlint cannot know whether they would have matched), and entries naming `unused-suppression`
//! itself (they exist to silence this very report). `per-file-ignores` from the config are never
//! reported as unused: they often cover generated files that are clean today.
//!
//! Comments are found by a line scan that follows HCL strings (with their nested `${ ... }` and
//! `%{ ... }`, the `$${` and `%%{` escapes and backslash escapes), skips heredocs and `/* */`
//! comments, so a `#`, `//` or `/*` inside a string is never a comment.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::rules::RuleMeta;
use crate::rules::unused_suppression::UnusedSuppression;
use crate::settings::Settings;
use crate::source::{FileId, SourceMap, Span};

/// Whether a suppression covers lines (and blocks) or its whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionKind {
    /// `cxlint-ignore`.
    Line,
    /// `cxlint-ignore-file`.
    File,
}

/// One rule named in a suppression, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressedRule {
    /// The name or code as written.
    pub name: String,
    /// Where it is written (the smallest span to point at when it is unused).
    pub span: Span,
}

/// One `cxlint-ignore` or `cxlint-ignore-file` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// The comment, from its `#` or `//` to the end of the line.
    pub span: Span,
    /// The rules it names; empty when malformed.
    pub rules: Vec<SuppressedRule>,
    /// The text after `--`, if any.
    pub reason: Option<String>,
    /// Set when the comment is not a well-formed directive (e.g. `cxlint-ignore-next-line`).
    pub malformed: Option<String>,
    /// The byte range of the comment's own line.
    own_line: Range<u32>,
    /// The byte range of the line it reaches down to (only when the comment stands alone).
    next_line: Option<Range<u32>>,
}

/// Per-line facts from the scan.
struct LineScan {
    range: Range<u32>,
    /// A directive comment alone on its line.
    standalone_directive: bool,
}

/// Scanner state carried across lines.
#[derive(Default)]
struct ScanState {
    heredoc: Option<String>,
    block_comment: bool,
    /// The strings and interpolations open at the scan position, innermost last; cleared at each
    /// line's start (kept here only to reuse its allocation).
    stack: Vec<Frame>,
}

/// What the scanner is inside of, within a line.
///
/// HCL strings nest: a quoted string holds `${ ... }` interpolations and `%{ ... }` directives,
/// which are expressions and may hold strings of their own, so `"${join(",", x)}"` is one string.
/// Reading every `"` as a toggle took `"/*"` in such a string for a block comment that swallowed
/// every later suppression in the file.
#[derive(Debug, Clone, Copy)]
enum Frame {
    /// A quoted string: `"` closes it.
    Quoted,
    /// An interpolation or directive: the `}` that closes it is the one after as many `}` as
    /// `{` opened inside it (object constructors, `for` expressions).
    Template { braces: u32 },
}

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Find where a line comment starts (the offset of `#` or `//`), skipping strings (with their
/// interpolations) and block comments, and note heredoc openings for the following lines.
///
/// Quoted strings cannot span lines in HCL, so what is open at the end of a line is dropped: a
/// stray `"` (a parse error, or a YAML plain scalar) costs at most the rest of its own line.
/// Each byte is looked at once.
fn comment_start(line: &str, st: &mut ScanState) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = 0;
    st.stack.clear();
    while i < bytes.len() {
        let b = bytes[i];
        let rest = &bytes[i..];
        if st.block_comment {
            if rest.starts_with(b"*/") {
                st.block_comment = false;
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        match st.stack.last_mut() {
            Some(Frame::Quoted) => {
                // `$${` and `%%{` are the escapes for a literal `${` and `%{`.
                if rest.starts_with(b"$${") || rest.starts_with(b"%%{") {
                    i += 3;
                } else if rest.starts_with(b"${") || rest.starts_with(b"%{") {
                    st.stack.push(Frame::Template { braces: 0 });
                    i += 2;
                } else if b == b'\\' {
                    i += 2;
                } else {
                    if b == b'"' {
                        st.stack.pop();
                    }
                    i += 1;
                }
                continue;
            }
            Some(Frame::Template { braces }) => match b {
                b'{' => *braces += 1,
                b'}' if *braces == 0 => {
                    st.stack.pop();
                    i += 1;
                    continue;
                }
                b'}' => *braces -= 1,
                _ => {}
            },
            None => {}
        }
        // Code, at the top level or inside an interpolation (where HCL allows comments too).
        match b {
            b'"' => st.stack.push(Frame::Quoted),
            b'#' => return Some(i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => return Some(i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                st.block_comment = true;
                i += 2;
                continue;
            }
            b'<' if rest.starts_with(b"<<") => {
                let rest = line[i + 2..].strip_prefix('-').unwrap_or(&line[i + 2..]);
                let ident: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !ident.is_empty() && rest[ident.len()..].trim().is_empty() {
                    st.heredoc = Some(ident);
                    return None;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A parsed directive body (the comment text after `#`/`//`).
struct Directive {
    kind: SuppressionKind,
    /// (offset in body, name)
    rules: Vec<(usize, String)>,
    reason: Option<String>,
    malformed: Option<String>,
}

fn parse_directive(body: &str) -> Option<Directive> {
    let rest = body.strip_prefix("cxlint-")?;
    let word_end = rest
        .find(|c: char| c == ':' || c.is_whitespace())
        .unwrap_or(rest.len());
    let word = &rest[..word_end];
    let kind = match word {
        "ignore" => SuppressionKind::Line,
        "ignore-file" => SuppressionKind::File,
        _ if word.starts_with("ignore-") => {
            return Some(Directive {
                kind: SuppressionKind::Line,
                rules: Vec::new(),
                reason: None,
                malformed: Some(format!(
                    "unknown directive `cxlint-{word}`; use `cxlint-ignore` or `cxlint-ignore-file`"
                )),
            });
        }
        // `# cxlint-something` that is not about ignoring: not ours to judge.
        _ => return None,
    };
    let mut offset = "cxlint-".len() + word_end;
    let mut tail = &body[offset..];
    if let Some(t) = tail.strip_prefix(':') {
        tail = t;
        offset += 1;
    }
    let (list, reason) = match tail.find("--") {
        Some(i) => (
            &tail[..i],
            Some(tail[i + 2..].trim().to_owned()).filter(|r| !r.is_empty()),
        ),
        None => (tail, None),
    };
    let mut rules = Vec::new();
    let mut start = None;
    for (i, c) in list
        .char_indices()
        .chain(std::iter::once((list.len(), ',')))
    {
        let sep = c == ',' || c.is_whitespace();
        match (sep, start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                rules.push((offset + s, list[s..i].to_owned()));
                start = None;
            }
            _ => {}
        }
    }
    let malformed = rules
        .is_empty()
        .then(|| "suppression names no rule".to_owned());
    Some(Directive {
        kind,
        rules,
        reason,
        malformed,
    })
}

/// Every suppression comment in a file's text.
pub fn collect(file: FileId, text: &str) -> Vec<Suppression> {
    let mut st = ScanState::default();
    let mut lines: Vec<LineScan> = Vec::new();
    let mut found: Vec<(usize, Suppression)> = Vec::new();
    let mut pos = 0usize;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let range = u32_of(pos)..u32_of(pos + line.len());
        let idx = lines.len();
        let mut standalone_directive = false;
        if let Some(term) = &st.heredoc {
            if line.trim() == term {
                st.heredoc = None;
            }
        } else if let Some(c) = comment_start(line, &mut st) {
            let marker = if line[c..].starts_with("//") { 2 } else { 1 };
            let body_raw = &line[c + marker..];
            let body = body_raw.trim_start();
            let body_off = c + marker + (body_raw.len() - body.len());
            if let Some(d) = parse_directive(body) {
                let standalone = line[..c].trim().is_empty();
                standalone_directive = standalone;
                let span_of = |off: usize, len: usize| Span::new(file, pos + off..pos + off + len);
                let sup = Suppression {
                    kind: d.kind,
                    span: span_of(c, line[c..].trim_end().len()),
                    rules: d
                        .rules
                        .into_iter()
                        .map(|(off, name)| SuppressedRule {
                            span: span_of(body_off + off, name.len()),
                            name,
                        })
                        .collect(),
                    reason: d.reason,
                    malformed: d.malformed,
                    own_line: range.clone(),
                    next_line: None,
                };
                found.push((idx, sup));
            }
        }
        lines.push(LineScan {
            range,
            standalone_directive,
        });
        pos += raw.len();
    }
    for (idx, sup) in &mut found {
        if sup.kind == SuppressionKind::Line && lines[*idx].standalone_directive {
            // Skip stacked directive comments: they all aim at the first line of code below.
            sup.next_line = lines[*idx + 1..]
                .iter()
                .find(|l| !l.standalone_directive)
                .map(|l| l.range.clone());
        }
    }
    found.into_iter().map(|(_, s)| s).collect()
}

/// Whether a name as written in a suppression refers to `meta`.
/// The rule an entry names (by name or code, in any case); `None` for an unknown name.
fn named_rule(written: &str) -> Option<&'static str> {
    crate::rules::find(written).map(|meta| meta.name)
}

/// The byte ranges a line suppression covers in its file; `blocks` is sorted by start.
fn line_coverage(sup: &Suppression, blocks: &[Span]) -> Vec<Range<u32>> {
    let mut out = vec![sup.own_line.clone()];
    if let Some(next) = &sup.next_line {
        out.push(next.clone());
        // The largest block whose header starts on the next line.
        let from = blocks.partition_point(|b| b.start < next.start);
        let to = blocks.partition_point(|b| b.start <= next.end);
        if let Some(b) = blocks[from..to].iter().max_by_key(|b| b.end) {
            out.push(b.start..b.end);
        }
    }
    out
}

/// The line suppressions of one file as intervals sorted by start, with the running maximum of
/// their ends, so finding the ones containing an offset is a binary search plus a short walk
/// back (an interval-stabbing query) instead of a scan of every suppression.
#[derive(Default)]
struct FileIndex {
    /// `cxlint-ignore-file` suppressions.
    whole: Vec<usize>,
    /// (start, end exclusive, suppression); empty ranges widened to one byte.
    intervals: Vec<(u32, u32, usize)>,
    max_end: Vec<u32>,
}

impl FileIndex {
    fn covering(&self, at: u32) -> impl Iterator<Item = usize> + '_ {
        let upto = self.intervals.partition_point(|iv| iv.0 <= at);
        let back = (0..upto)
            .rev()
            .take_while(move |&i| self.max_end[i] > at)
            .filter(move |&i| self.intervals[i].1 > at)
            .map(move |i| self.intervals[i].2);
        self.whole.iter().copied().chain(back)
    }
}

/// Suppressions of one run with their coverage, indexed by file.
struct Index {
    /// The rules each suppression names, as a set: a comment may name thousands (a hostile
    /// one did, the same rule 100,000 times), and matching every finding against every entry
    /// took minutes.
    rules: Vec<HashSet<&'static str>>,
    by_file: HashMap<FileId, FileIndex>,
}

impl Index {
    fn new(sups: &[Suppression], block_spans: &dyn Fn(FileId) -> Vec<Span>) -> Self {
        let mut blocks: HashMap<FileId, Vec<Span>> = HashMap::new();
        let mut by_file: HashMap<FileId, FileIndex> = HashMap::new();
        for (i, s) in sups.iter().enumerate() {
            let fi = by_file.entry(s.span.file).or_default();
            if s.kind == SuppressionKind::File {
                fi.whole.push(i);
                continue;
            }
            let b = blocks.entry(s.span.file).or_insert_with(|| {
                let mut b = block_spans(s.span.file);
                b.sort_unstable_by_key(|b| b.start);
                b
            });
            for r in line_coverage(s, b) {
                fi.intervals
                    .push((r.start, r.end.max(r.start.saturating_add(1)), i));
            }
        }
        for fi in by_file.values_mut() {
            fi.intervals.sort_unstable();
            let mut max = 0;
            fi.max_end = fi
                .intervals
                .iter()
                .map(|iv| {
                    max = max.max(iv.1);
                    max
                })
                .collect();
        }
        let rules = (sups.iter())
            .map(|s| s.rules.iter().filter_map(|r| named_rule(&r.name)).collect())
            .collect();
        Index { rules, by_file }
    }

    /// The suppressions that hide `d`.
    fn matches(&self, d: &Diagnostic) -> Vec<usize> {
        let Some(span) = d.span() else {
            return Vec::new();
        };
        let Some(fi) = self.by_file.get(&span.file) else {
            return Vec::new();
        };
        (fi.covering(span.start))
            .filter(|&i| self.rules[i].contains(d.rule.name))
            .collect()
    }
}

/// Hide the findings that suppressions cover, and report the suppressions that hid nothing.
///
/// `block_spans(file)` gives the spans of the file's blocks (top-level and nested), so a comment
/// above a block header covers the block. `rule_ran(meta)` says whether a rule ran in this run:
/// an entry for a rule that did not run is not reported as unused. With `enabled == false`
/// (`--no-inline-ignores`) nothing is hidden and nothing is reported.
///
/// Returns `(kept, unused)`; the `unused-suppression` findings get the rule's default severity
/// (the caller applies configured levels and selection to them as to any other finding).
pub fn apply(
    diags: Vec<Diagnostic>,
    sups: &[Suppression],
    block_spans: &dyn Fn(FileId) -> Vec<Span>,
    enabled: bool,
    rule_ran: &dyn Fn(&'static RuleMeta) -> bool,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    if !enabled || sups.is_empty() {
        return (diags, Vec::new());
    }
    let index = Index::new(sups, block_spans);
    // The rules each suppression hid a finding of.
    let mut used: Vec<HashSet<&'static str>> = vec![HashSet::new(); sups.len()];
    let mut kept = Vec::with_capacity(diags.len());
    for d in diags {
        let hits = index.matches(&d);
        if hits.is_empty() {
            kept.push(d);
        } else {
            for i in hits {
                used[i].insert(d.rule.name);
            }
        }
    }

    let meta = &UnusedSuppression::META;
    let mut unused = Vec::new();
    for (i, sup) in sups.iter().enumerate() {
        if let Some(why) = &sup.malformed {
            unused.push(Diagnostic::at(meta, why.clone(), sup.span).help(
                "write `# cxlint-ignore: rule-name -- reason` (`cxlint rules` lists the names)",
            ));
            continue;
        }
        for r in &sup.rules {
            let rule = crate::rules::find(&r.name);
            if rule.is_some_and(|rule| used[i].contains(rule.name) || rule.name == meta.name) {
                continue;
            }
            match rule {
                None => {
                    let mut d = Diagnostic::at(
                        meta,
                        format!("unknown rule `{}` in suppression", r.name),
                        r.span,
                    );
                    d = match closest_rule(&r.name) {
                        Some(best) => d.help(format!("did you mean `{best}`?")),
                        None if r.name.eq_ignore_ascii_case("all") => d.help(
                            "name the rules to suppress; `all` is not accepted so that every \
                             suppression says what it hides",
                        ),
                        None => d.help("`cxlint rules` lists every rule"),
                    };
                    unused.push(d);
                }
                Some(rule) if rule_ran(rule) => {
                    let scope = match sup.kind {
                        SuppressionKind::File => "in this file",
                        SuppressionKind::Line => "here",
                    };
                    unused.push(
                        Diagnostic::at(
                            meta,
                            format!("unused suppression for `{}`", r.name),
                            r.span,
                        )
                        .help(format!(
                            "remove `{}` from the comment: no `{}` finding is reported {scope}",
                            r.name, rule.name
                        )),
                    );
                }
                Some(_) => {}
            }
        }
    }
    // `cxlint-ignore: unused-suppression` may silence these reports too.
    unused.retain(|d| index.matches(d).is_empty());
    (kept, unused)
}

fn closest_rule(name: &str) -> Option<&'static str> {
    crate::rules::ALL_RULES
        .iter()
        .map(|r| r.meta().name)
        .map(|n| (strsim::jaro_winkler(n, &name.to_ascii_lowercase()), n))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

/// Drop findings hidden by `rules.per-file-ignores` (matched on the file's path as loaded).
/// Findings without a file location are never hidden this way.
pub fn apply_per_file_ignores(
    diags: Vec<Diagnostic>,
    sources: &SourceMap,
    settings: &Settings,
) -> Vec<Diagnostic> {
    if settings.per_file_ignores.is_empty() {
        return diags;
    }
    diags
        .into_iter()
        .filter(|d| {
            let Some(file) = d.span().and_then(|s| sources.try_get(s.file)) else {
                return true;
            };
            !settings.per_file_ignored(&file.path, d.rule.name)
        })
        .collect()
}

#[cfg(test)]
mod tests;

/// True when `text` may hold inline suppressions: a fast byte search, so files without any skip
/// the comment parser (and block-span collection) entirely.
pub fn may_have_inline_ignores(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), b"cxlint-ignore").is_some()
}
