//! A fast path for the YAML that Archy exports and people write: block mappings and sequences
//! of one-line scalars, nothing else.
//!
//! `saphyr-parser` reads about 45 MB/s, character by character, through a token queue: at 50 MB
//! of configuration the flows' 3 MB of YAML took 70 ms of CPU, a tenth of what the whole check
//! spends after the parse. Most flows use a sliver of YAML: `key: value` lines, `- ` items,
//! plain, `"double"` and `'single'` quoted scalars on one line, comments. This reads those a line
//! at a time and builds the same [`Tree`] (nodes in the order `parse` pushes them, with the same
//! spans) and gives up, returning `None`, on anything else: the caller then parses the text with
//! saphyr. Giving up is always correct, so every rule here is "accept only when sure": tabs,
//! carriage returns, anchors, tags, aliases, flow collections, block scalars, escapes, keys that
//! are quoted or complex, scalars that go on to the next line, empty values, document markers and
//! directives all fall back. A test compares both parsers on every flow of the test data and on
//! generated documents (`tests::fast_path_builds_the_trees_saphyr_does`), and the `archy_tree`
//! fuzz target compares them on whatever libFuzzer writes (`super::check_fast_path`).

use std::ops::Range;

use super::{MAX_DEPTH, MAX_NODES, Node, NodeId, Tree};

/// One line with content: not blank, not only a comment.
#[derive(Clone, Copy)]
struct Line {
    /// Byte offset of its first character that is not a space.
    at: usize,
    /// Spaces before it.
    indent: usize,
    /// Byte offset of the end of the line (its `\n`, or the end of the text).
    end: usize,
}

struct P<'a> {
    text: &'a str,
    lines: Vec<Line>,
    /// The next line to read.
    next: usize,
    nodes: Vec<Node>,
    spans: Vec<Range<usize>>,
    scalars: Vec<Range<usize>>,
}

/// The tree `super::parse` builds of `text`, when `text` is in the subset this reads; `None`
/// otherwise (and for a text with no document, which saphyr answers).
pub(super) fn parse(text: &str) -> Option<Tree> {
    // Control characters other than the line feed (tabs, carriage returns, NUL), a byte order
    // mark, and the Unicode line breaks YAML 1.1 knows: saphyr's business.
    let odd = |b: &u8| *b < b' ' && *b != b'\n';
    if text.as_bytes().iter().any(odd)
        || (!text.is_ascii() && text.contains(['\u{feff}', '\u{85}', '\u{2028}', '\u{2029}']))
    {
        return None;
    }
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.trim_end_matches('\n').len();
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        let at = start + indent;
        match text.as_bytes().get(at) {
            None | Some(b'\n' | b'#') => {}
            // `---` and `...` at the start of a line may be document markers, wherever they
            // are (a `--- t: u` line after the first starts a second document): saphyr's.
            Some(_) if indent == 0 && (line.starts_with("---") || line.starts_with("...")) => {
                return None;
            }
            Some(_) => lines.push(Line { at, indent, end }),
        }
        start += line.len();
    }
    let first = *lines.first()?;
    // A mapping at the top, as every flow is; directives fall back (document markers did above).
    if first.indent != 0 || text[first.at..].starts_with('%') {
        return None;
    }
    let mut p = P {
        text,
        lines,
        next: 0,
        nodes: Vec::new(),
        spans: Vec::new(),
        scalars: Vec::new(),
    };
    let root = p.mapping(0, first.at, 1)?;
    // Every line read: a second top-level node is an error saphyr reports.
    if p.next != p.lines.len() {
        return None;
    }
    Some(Tree {
        nodes: p.nodes,
        spans: p.spans,
        root,
        scalars: p.scalars,
    })
}

impl P<'_> {
    fn push(&mut self, node: Node, span: Range<usize>) -> Option<NodeId> {
        if self.nodes.len() >= MAX_NODES {
            return None;
        }
        self.nodes.push(node);
        self.spans.push(span);
        Some(self.nodes.len() - 1)
    }

    /// Where the node that ends before line `next` ends, as saphyr places it: at the next
    /// token (the next line's content), or at the end of the text.
    fn end_before_next(&self) -> usize {
        self.lines.get(self.next).map_or(self.text.len(), |l| l.at)
    }

    /// A block mapping whose keys start at column `col`, the first at byte `at` of the current
    /// line (after a `- ` when it is a sequence item's).
    fn mapping(&mut self, col: usize, at: usize, depth: usize) -> Option<NodeId> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut entries = Vec::new();
        let mut key_at = at;
        loop {
            let line = self.lines[self.next];
            let (key, rest) = self.key(key_at, line.end)?;
            let key = self
                .push(
                    Node::Scalar {
                        value: self.text[key.clone()].to_owned(),
                        content: key.clone(),
                    },
                    key.clone(),
                )
                .inspect(|_| self.scalars.push(key))?;
            let value = match self.scalar(rest, line.end, col)? {
                Some(v) => v,
                None => {
                    // `key:` alone: a block on the lines below, deeper or (a sequence) at the
                    // key's own column.
                    self.next += 1;
                    let below = *self.lines.get(self.next)?;
                    let is_item = self.is_item(below);
                    if below.indent > col {
                        self.block(below, depth + 1)?
                    } else if below.indent == col && is_item {
                        self.sequence(col, depth + 1, true)?
                    } else {
                        return None;
                    }
                }
            };
            entries.push((key, value));
            let Some(&next) = self.lines.get(self.next) else {
                break;
            };
            if next.indent < col {
                break;
            }
            // A sibling key; anything else at this column (or deeper: a continued scalar) is
            // not this subset.
            if next.indent != col || self.is_item(next) {
                return None;
            }
            key_at = next.at;
        }
        let end = self.end_before_next();
        self.push(Node::Map(entries), at..end)
    }

    /// A block sequence whose `-` are at column `col`, the first on the current line.
    /// `indentless` when it is a mapping's value at the key's own column: saphyr then starts it
    /// at the first item's content, not at its `-`.
    fn sequence(&mut self, col: usize, depth: usize, indentless: bool) -> Option<NodeId> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = match indentless {
            false => self.lines[self.next].at,
            true => {
                let line = self.lines[self.next];
                let gap = (self.text[line.at + 1..line.end].bytes())
                    .take_while(|&b| b == b' ')
                    .count();
                // An item that is only `-` starts such a sequence elsewhere: saphyr's.
                if line.at + 1 + gap == line.end || gap == 0 {
                    return None;
                }
                line.at + 1 + gap
            }
        };
        let mut items = Vec::new();
        loop {
            let line = self.lines[self.next];
            // After the `-`: the item's content, past the spaces.
            let after = line.at + 1;
            let gap = self.text[after..line.end]
                .bytes()
                .take_while(|&b| b == b' ')
                .count();
            let content = after + gap;
            let item = if content == line.end {
                // `-` alone: the item is the block below, deeper.
                self.next += 1;
                let below = *self.lines.get(self.next)?;
                if below.indent <= col {
                    return None;
                }
                self.block(below, depth + 1)?
            } else if gap == 0 {
                return None;
            } else if self.key(content, line.end).is_some() {
                // `- key: value`: a mapping whose keys line up with this one.
                self.mapping(content - line.at + col, content, depth + 1)?
            } else if self.text[content..].starts_with("- ") {
                return None;
            } else {
                self.scalar(content, line.end, col)??
            };
            items.push(item);
            let Some(&next) = self.lines.get(self.next) else {
                break;
            };
            if next.indent < col {
                break;
            }
            if next.indent != col || !self.is_item(next) {
                // A key at the sequence's column ends it when the sequence is a mapping's value
                // at the key's own column; the mapping's loop decides.
                if next.indent == col && self.key(next.at, next.end).is_some() {
                    break;
                }
                return None;
            }
        }
        let end = self.end_before_next();
        self.push(Node::Seq(items), start..end)
    }

    /// The block starting on line `line`: a sequence or a mapping.
    fn block(&mut self, line: Line, depth: usize) -> Option<NodeId> {
        if self.is_item(line) {
            self.sequence(line.indent, depth, false)
        } else {
            self.key(line.at, line.end)?;
            self.mapping(line.indent, line.at, depth)
        }
    }

    fn is_item(&self, line: Line) -> bool {
        let rest = &self.text[line.at..line.end];
        rest == "-" || rest.starts_with("- ")
    }

    /// A plain key at `at`, up to its `:` followed by a space or the end of the line: its range,
    /// and where its value may start.
    fn key(&self, at: usize, end: usize) -> Option<(Range<usize>, usize)> {
        let s = &self.text[at..end];
        if !plain_start(s) {
            return None;
        }
        let bytes = s.as_bytes();
        let i = (0..bytes.len())
            .find(|&i| bytes[i] == b':' && matches!(bytes.get(i + 1), None | Some(b' ')))?;
        let key = &s[..i];
        // ` #` would have started a comment before the colon; YAML limits an implicit key to
        // 1024 characters.
        if key.ends_with(' ') || key.contains(" #") || key.len() > 1024 {
            return None;
        }
        Some((at..at + i, at + i + 1))
    }

    /// The one-line scalar from `at` (spaces first) to the end of the line at `end`, or a
    /// comment: `Some(None)` when there is nothing but spaces and a comment (the caller reads the
    /// block below); `None` when it is not in the subset. Pushes the scalar and moves to the
    /// next line, which must not continue it.
    fn scalar(&mut self, at: usize, end: usize, col: usize) -> Option<Option<NodeId>> {
        let s = &self.text[at..end];
        let lead = s.bytes().take_while(|&b| b == b' ').count();
        let s = &s[lead..];
        let start = at + lead;
        if s.is_empty() || s.starts_with('#') {
            // A comment needs a space before it (`- #x` is not this subset).
            return (lead > 0 || s.is_empty()).then_some(None);
        }
        let (node, span) = match s.as_bytes()[0] {
            q @ (b'"' | b'\'') => {
                let close = s[1..].find(q as char)? + 1;
                let inner = &s[1..close];
                // Escapes and `''` change the value: saphyr's.
                if (q == b'"' && inner.contains('\\')) || s[close + 1..].starts_with('\'') {
                    return None;
                }
                let after = s[close + 1..].trim_start_matches(' ');
                let spaced = after.len() < s.len() - close - 1;
                if !(after.is_empty() || (after.starts_with('#') && spaced)) {
                    return None;
                }
                let span = start..start + close + 1;
                let node = Node::Scalar {
                    value: inner.to_owned(),
                    content: start + 1..start + close,
                };
                (node, span)
            }
            _ => {
                if !plain_start(s) {
                    return None;
                }
                // Up to a comment (` #`), without trailing spaces.
                let text = match s.find(" #") {
                    Some(i) => &s[..i],
                    None => s,
                }
                .trim_end_matches(' ');
                // `a: b` in a value is an error; a `:` at its end starts a mapping.
                if text.contains(": ") || text.ends_with(':') {
                    return None;
                }
                let span = start..start + text.len();
                let node = Node::Scalar {
                    value: text.to_owned(),
                    content: span.clone(),
                };
                (node, span)
            }
        };
        self.next += 1;
        // A deeper line after a scalar continues it (or is an error): saphyr's.
        if self.lines.get(self.next).is_some_and(|l| l.indent > col) {
            return None;
        }
        self.scalars.push(span.clone());
        Some(Some(self.push(node, span)?))
    }
}

/// Whether a plain scalar may start `s` in block context: not with an indicator, nor with `-`,
/// `?` or `:` followed by a space (or nothing).
fn plain_start(s: &str) -> bool {
    match s.as_bytes() {
        [] => false,
        [b'-' | b'?' | b':', rest @ ..] => rest.first().is_some_and(|&b| b != b' '),
        [first, ..] => !matches!(
            first,
            b',' | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::check_fast_path;
    use super::parse;

    /// When the fast path answers, its tree is saphyr's, node for node and span for span.
    /// Returns whether it answered.
    fn agrees(text: &str) -> bool {
        check_fast_path(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_subset_is_read_and_the_rest_left_to_saphyr() {
        let taken = [
            "inboundCall:\n  name: \"{{flow_name}}\"\n  division: Home # a comment\n",
            "a:\n  - x\n  - 'y z'\n  -   k: v\n      l: w\n  -\n    m: 1\nb: c\n",
            "# header\n\na:\n- 1\n- 2\nb:   # why\n  c: d:e\n\n# end",
            "a: é ü {{x}}\nb: \"q # not a comment\"\nc: v#w\n",
            "a:\n  b:\n    c:\n      - d: 1\n        e: 2\n      - f\n",
        ];
        for text in taken {
            assert!(agrees(text), "not taken:\n{text}");
        }
        let left = [
            "a:\tb\n",
            "a: b\r\n",
            "---\na: b\n",
            "%YAML 1.2\n---\na: b\n",
            "a: &x b\nc: *x\n",
            "a: !tag b\n",
            "a: [1, 2]\n",
            "a: {b: c}\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: \"esc\\\"aped\"\n",
            "a: 'it''s'\n",
            "\"quoted key\": b\n",
            "? complex\n: b\n",
            "a: plain\n  continued\n",
            "a:\nb: c\n",
            "a: b: c\n",
            "- a\n- b\n",
            "a: \"open\n  quote\"\n",
            "a:\n  - - b\n",
            // Document markers after the first line (found by the `archy_tree` fuzz target:
            // `--- t` was read as a key, where saphyr starts a second document).
            "d: t\n--- t: u",
            "d: t\n---\ne: u\n",
            "d: t\n... t: u\n",
            "d: t\n...\n",
            "d:\n- t\n---x: u\n",
            "a: b\n  c: d\n",
            "key :b\n",
            "a: b\nc\n",
            "\u{feff}a: b\n",
            "",
            "# only\n",
        ];
        for text in left {
            assert!(parse(text).is_none(), "taken:\n{text}");
        }
    }

    /// Every flow of the test data: what the fast path takes, it reads as saphyr does.
    #[test]
    fn the_test_datas_flows_read_the_same() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        let (mut seen, mut taken) = (0, 0);
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let path = e.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                    let Ok(text) = std::fs::read_to_string(&path) else {
                        continue;
                    };
                    seen += 1;
                    taken += usize::from(agrees(&text));
                }
            }
        }
        assert!(seen > 10 && taken * 2 > seen, "{taken} of {seen} taken");
    }

    /// A small deterministic generator (xorshift), so that failures reproduce from the seed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn pick<'a>(&mut self, of: &[&'a str]) -> &'a str {
            of[self.below(of.len())]
        }
    }

    const WORDS: &[&str] = &[
        "name",
        "menu",
        "x",
        "Transfer 1",
        "{{queue}}",
        "en-us",
        "v:w",
        "a#b",
        "-1",
        "é",
        "1.5",
        "true",
        "~",
        "/inboundCall/menus/menu[Main_10]",
        "a,b",
        "a]b",
        "a}",
        "::",
    ];

    fn scalar(r: &mut Rng) -> String {
        let w = r.pick(WORDS);
        match r.below(6) {
            0 => format!("\"{w}\""),
            1 => format!("'{w}'"),
            2 => format!("{w} {}", r.pick(WORDS)),
            _ => w.to_owned(),
        }
    }

    fn comment(r: &mut Rng) -> &'static str {
        ["", "", "", " # c", "  #x: y", " #"][r.below(6)]
    }

    fn map(r: &mut Rng, out: &mut String, indent: usize, depth: usize, first_inline: bool) {
        let n = 1 + r.below(4);
        for i in 0..n {
            if !(first_inline && i == 0) {
                match r.below(8) {
                    0 => out.push('\n'),
                    1 => out.push_str(&format!("{}# note\n", " ".repeat(r.below(6)))),
                    _ => {}
                }
                out.push_str(&" ".repeat(indent));
            }
            let key = if r.below(8) == 0 {
                r.pick(WORDS)
            } else {
                ["a", "name", "k2"][i % 3]
            };
            out.push_str(key);
            out.push(':');
            match if depth > 3 { 0 } else { r.below(4) } {
                1 => {
                    out.push_str(comment(r));
                    out.push('\n');
                    let deeper = indent + 1 + r.below(3);
                    out.push_str(&" ".repeat(deeper));
                    map(r, out, deeper, depth + 1, true);
                }
                2 => {
                    out.push_str(comment(r));
                    out.push('\n');
                    let at = if r.below(2) == 0 { indent } else { indent + 2 };
                    seq(r, out, at, depth + 1);
                }
                _ => {
                    out.push_str(&" ".repeat(1 + r.below(2)));
                    out.push_str(&scalar(r));
                    out.push_str(&" ".repeat(r.below(2)));
                    out.push_str(comment(r));
                    out.push('\n');
                }
            }
        }
    }

    fn seq(r: &mut Rng, out: &mut String, indent: usize, depth: usize) {
        for _ in 0..1 + r.below(3) {
            out.push_str(&" ".repeat(indent));
            out.push('-');
            match if depth > 3 { 0 } else { r.below(4) } {
                1 => {
                    let gap = 1 + r.below(3);
                    out.push_str(&" ".repeat(gap));
                    map(r, out, indent + 1 + gap, depth + 1, true);
                }
                2 => {
                    out.push('\n');
                    let deeper = indent + 1 + r.below(3);
                    out.push_str(&" ".repeat(deeper));
                    map(r, out, deeper, depth + 1, true);
                }
                _ => {
                    out.push(' ');
                    out.push_str(&scalar(r));
                    out.push_str(comment(r));
                    out.push('\n');
                }
            }
        }
    }

    fn document(seed: u64) -> String {
        let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut out = String::from("inboundCall:\n  ");
        map(&mut r, &mut out, 2, 0, true);
        if r.below(4) == 0 {
            out.pop();
        }
        out
    }

    /// `text` with a few bytes deleted, inserted or lines repeated.
    fn mutated(seed: u64, text: &str) -> String {
        let mut r = Rng(seed.wrapping_mul(0xD1B5_4A32_D192_ED03) | 1);
        let mut chars: Vec<char> = text.chars().collect();
        for _ in 0..1 + r.below(3) {
            let at = r.below(chars.len() + 1);
            match r.below(3) {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                _ => {
                    let c = [
                        ' ', ':', '-', '#', '"', '\'', '\n', 'a', '\t', '[', '&', '|', '\\',
                    ][r.below(13)];
                    chars.insert(at, c);
                }
            }
        }
        chars.into_iter().collect()
    }

    #[test]
    fn fast_path_builds_the_trees_saphyr_does() {
        let (mut taken, mut taken_mutated) = (0, 0);
        const N: u64 = 3000;
        for seed in 0..N {
            let text = document(seed);
            taken += usize::from(agrees(&text));
            taken_mutated += usize::from(agrees(&mutated(seed, &text)));
        }
        // Not a vacuous comparison: many generated flows take the fast path (the generator
        // writes keys and values it must leave to saphyr too), and some of their mutations.
        assert!(taken as u64 * 3 > N, "{taken} of {N} taken");
        assert!(taken_mutated > 100, "{taken_mutated} of {N} mutated taken");
    }
}
