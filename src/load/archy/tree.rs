//! A small YAML tree with byte spans, built from `saphyr-parser` events.
//!
//! We build our own flat tree (an arena of nodes) instead of a library DOM for three reasons:
//! the parser's markers count characters, and we need byte offsets; aliases stay opaque nodes, so
//! an alias bomb ("billion laughs") costs one node per `*alias` written, never an expansion; and
//! nesting is counted as events arrive, so a hostile file is rejected at depth [`MAX_DEPTH`]
//! before any recursive code sees it. Dropping the arena is flat, whatever the depth.

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle};

mod fast;

/// Deepest nesting of mappings and sequences accepted. Real Archy flows stay well under 40.
pub const MAX_DEPTH: usize = 128;

/// Most nodes accepted in a document. A flow of 32 MiB of `[],` was 10 million empty sequences
/// and near 1 GB; the largest Archy exports hold tens of thousands of nodes.
pub const MAX_NODES: usize = 1_000_000;

/// Index of a node in [`Tree::nodes`].
pub type NodeId = usize;

/// One YAML node.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Scalar {
        value: String,
        /// Byte range of the scalar's content (quotes, anchor and tag excluded where possible).
        content: Range<usize>,
    },
    Seq(Vec<NodeId>),
    /// Entries in document order (duplicate keys are kept).
    Map(Vec<(NodeId, NodeId)>),
    /// `*name`: never expanded.
    Alias,
}

/// A parsed YAML document.
#[derive(Debug)]
pub struct Tree {
    pub nodes: Vec<Node>,
    /// Byte span of each node in the parsed text (parallel to `nodes`).
    pub spans: Vec<Range<usize>>,
    pub root: NodeId,
    /// Spans of every scalar (keys included), ascending: text outside them is structure or
    /// comments.
    scalars: Vec<Range<usize>>,
}

/// Why the text could not be parsed into one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeError {
    pub message: String,
    /// Byte offset in the parsed text.
    pub at: usize,
}

impl Tree {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// The scalar's value, if `id` is a scalar.
    pub fn scalar(&self, id: NodeId) -> Option<&str> {
        match &self.nodes[id] {
            Node::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    /// Whether byte `pos` of `text` (the parsed text) is in a comment: outside every scalar, after
    /// a `#` that starts the line or follows a blank. YAML ignores comments, so a placeholder there
    /// has no effect on the flow.
    pub fn in_comment(&self, text: &str, pos: usize) -> bool {
        let idx = self.scalars.partition_point(|r| r.start <= pos);
        if idx > 0 && pos < self.scalars[idx - 1].end {
            return false;
        }
        let Some(before) = text.get(..pos) else {
            return false;
        };
        let line = &before[before.rfind('\n').map_or(0, |n| n + 1)..];
        line.char_indices().any(|(i, c)| {
            c == '#'
                && line[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|p| p == ' ' || p == '\t')
        })
    }

    /// The value of key `key` in mapping `id` (the first, if repeated).
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        match &self.nodes[id] {
            Node::Map(entries) => entries
                .iter()
                .find(|(k, _)| self.scalar(*k) == Some(key))
                .map(|(_, v)| *v),
            _ => None,
        }
    }
}

/// Converts the parser's character indexes to byte offsets.
struct CharToByte {
    /// Byte offset of each char; empty when the text is ASCII (index = offset).
    offsets: Vec<u32>,
    len: usize,
}

impl CharToByte {
    fn new(text: &str) -> Self {
        let offsets = if text.is_ascii() {
            Vec::new()
        } else {
            // Text size is capped by the caller, so offsets fit in u32.
            text.char_indices()
                .map(|(b, _)| u32::try_from(b).unwrap_or(u32::MAX))
                .collect()
        };
        CharToByte {
            offsets,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.offsets.is_empty() {
            char_index.min(self.len)
        } else {
            self.offsets
                .get(char_index)
                .map_or(self.len, |&b| b as usize)
        }
    }
}

enum Open {
    Seq {
        start: usize,
        items: Vec<NodeId>,
    },
    Map {
        start: usize,
        entries: Vec<(NodeId, NodeId)>,
        key: Option<NodeId>,
    },
}

/// Parse the first YAML document of `text`. An empty stream gives `Ok(None)`; a second document
/// is an error (an Archy file holds one flow).
pub fn parse(text: &str) -> Result<Option<Tree>, TreeError> {
    match fast::parse(text) {
        Some(tree) => Ok(Some(tree)),
        None => parse_saphyr(text),
    }
}

/// The differential check of the fast path on `text`: when [`fast::parse`] answers, saphyr must
/// build the same tree, node for node, span for span (scalars and root included). `Ok(true)` when
/// the fast path answered and agreed, `Ok(false)` when it left the text to saphyr, `Err` saying how
/// the two differ. Used by the fast path's unit tests and the `archy_tree` fuzz target; not API.
#[doc(hidden)]
pub fn check_fast_path(text: &str) -> Result<bool, String> {
    let Some(fast) = fast::parse(text) else {
        return Ok(false);
    };
    let slow = match parse_saphyr(text) {
        Ok(Some(slow)) => slow,
        Ok(None) => return Err(format!("saphyr finds no document:\n{text}")),
        Err(e) => {
            return Err(format!(
                "saphyr rejects what the fast path took ({e:?}):\n{text}"
            ));
        }
    };
    let differ = |what: &str, f: &dyn std::fmt::Debug, s: &dyn std::fmt::Debug| {
        Err(format!(
            "{what} differ:\n fast:   {f:?}\n saphyr: {s:?}\nof:\n{text}"
        ))
    };
    if fast.nodes != slow.nodes {
        return differ("nodes", &fast.nodes, &slow.nodes);
    }
    if fast.spans != slow.spans {
        return differ("spans", &fast.spans, &slow.spans);
    }
    if fast.scalars != slow.scalars {
        return differ("scalars", &fast.scalars, &slow.scalars);
    }
    if fast.root != slow.root {
        return differ("roots", &fast.root, &slow.root);
    }
    Ok(true)
}

/// [`parse`] with `saphyr-parser`, whatever the text.
fn parse_saphyr(text: &str) -> Result<Option<Tree>, TreeError> {
    let map = CharToByte::new(text);
    let mut nodes: Vec<Node> = Vec::new();
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<NodeId> = None;
    let mut scalars: Vec<Range<usize>> = Vec::new();
    let mut documents = 0usize;

    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| TreeError {
            message: e.info().to_string(),
            at: map.byte(e.marker().index()),
        })?;
        let start = map.byte(span.start.index());
        let end = map.byte(span.end.index()).max(start);
        if nodes.len() >= MAX_NODES {
            return Err(TreeError {
                message: format!("more than {MAX_NODES} YAML nodes"),
                at: start,
            });
        }
        let finished: Option<NodeId> = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(TreeError {
                        message: "more than one YAML document in the file".into(),
                        at: start,
                    });
                }
                None
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(TreeError {
                        message: format!("nesting deeper than {MAX_DEPTH} levels"),
                        at: start,
                    });
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::Seq {
                        start,
                        items: Vec::new(),
                    }
                } else {
                    Open::Map {
                        start,
                        entries: Vec::new(),
                        key: None,
                    }
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, from) = match stack.pop() {
                    Some(Open::Seq { start, items }) => (Node::Seq(items), start),
                    Some(Open::Map { start, entries, .. }) => (Node::Map(entries), start),
                    None => {
                        return Err(TreeError {
                            message: "unbalanced collection".into(),
                            at: start,
                        });
                    }
                };
                Some(push(&mut nodes, &mut spans, node, from..end))
            }
            Event::Scalar(value, style, _anchor, _tag) => {
                let (content, end) = content_range(text, start..end, &value, style);
                scalars.push(start..end);
                let node = Node::Scalar {
                    value: value.into_owned(),
                    content,
                };
                Some(push(&mut nodes, &mut spans, node, start..end))
            }
            Event::Alias(_) => Some(push(&mut nodes, &mut spans, Node::Alias, start..end)),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => None,
        };
        if let Some(id) = finished {
            match stack.last_mut() {
                Some(Open::Seq { items, .. }) => items.push(id),
                Some(Open::Map { entries, key, .. }) => match key.take() {
                    None => *key = Some(id),
                    Some(k) => entries.push((k, id)),
                },
                None => root = root.or(Some(id)),
            }
        }
    }
    Ok(root.map(|root| Tree {
        nodes,
        spans,
        root,
        scalars,
    }))
}

fn push(
    nodes: &mut Vec<Node>,
    spans: &mut Vec<Range<usize>>,
    n: Node,
    span: Range<usize>,
) -> NodeId {
    nodes.push(n);
    spans.push(span);
    nodes.len() - 1
}

/// The part of a scalar's span that is its content: inside the quotes for quoted scalars, the
/// value itself for a one-line plain scalar (skipping an `&anchor` or `!tag` before it), and the
/// span without trailing blanks for block scalars. Also returns where the scalar really ends:
/// the parser's span of a quoted scalar runs on over a trailing comment.
fn content_range(
    text: &str,
    span: Range<usize>,
    value: &str,
    style: ScalarStyle,
) -> (Range<usize>, usize) {
    let Some(src) = text.get(span.clone()) else {
        return (span.clone(), span.end);
    };
    match style {
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
            let single = style == ScalarStyle::SingleQuoted;
            let q = if single { b'\'' } else { b'"' };
            let bytes = src.as_bytes();
            let Some(open) = bytes.iter().position(|&b| b == q) else {
                return (span.clone(), span.end);
            };
            let mut i = open + 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' if !single => i += 2,
                    b'\'' if single && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    b if b == q => {
                        return (span.start + open + 1..span.start + i, span.start + i + 1);
                    }
                    _ => i += 1,
                }
            }
            (span.clone(), span.end)
        }
        ScalarStyle::Plain => {
            if !value.is_empty() && src.ends_with(value) {
                (span.end - value.len()..span.end, span.end)
            } else {
                (span.clone(), span.end)
            }
        }
        _ => {
            let end = span.start + src.trim_end().len();
            (span.start..end, end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content<'a>(text: &'a str, t: &Tree, id: NodeId) -> &'a str {
        match t.node(id) {
            Node::Scalar { content, .. } => &text[content.clone()],
            _ => "",
        }
    }

    #[test]
    fn scalar_content_spans_are_bytes() {
        let text = "é: \"ü {q}\" # a \"quoted\" comment\nb: 'x''s' # 'c'\nc: &a plain text\nd: *a\ne: |\n  blk\nf: \"a\\\"b\"\n";
        let t = parse(text).ok().flatten().expect("parses");
        let get = |k: &str| t.get(t.root, k).expect(k);
        assert_eq!(content(text, &t, get("é")), "ü {q}");
        assert_eq!(content(text, &t, get("b")), "x''s");
        assert_eq!(content(text, &t, get("f")), "a\\\"b");
        assert_eq!(&text[t.spans[get("é")].clone()], "\"ü {q}\"");
        assert_eq!(content(text, &t, get("c")), "plain text");
        assert!(matches!(t.node(get("d")), Node::Alias));
        assert_eq!(content(text, &t, get("e")), "blk");
    }

    #[test]
    fn comments_are_detected() {
        let text = "# top {{a}}\nk: \"v # {{b}}\" # {{c}}\nu: x#{{d}}\n";
        let t = parse(text).ok().flatten().expect("parses");
        let at = |needle: &str| text.find(needle).unwrap_or(0);
        assert!(t.in_comment(text, at("{{a}}")));
        assert!(!t.in_comment(text, at("{{b}}")), "inside a quoted scalar");
        assert!(t.in_comment(text, at("{{c}}")));
        assert!(
            !t.in_comment(text, at("{{d}}")),
            "`#` inside a plain scalar"
        );
    }

    #[test]
    fn depth_and_size_are_limited() {
        let many = "[],".repeat(MAX_NODES + 1);
        let e = parse(&format!("[{many}]")).expect_err("too many nodes");
        assert_eq!(e.message, format!("more than {MAX_NODES} YAML nodes"));
        assert_eq!(e.at, 1 + 3 * MAX_NODES);
        let deep = "[".repeat(MAX_DEPTH + 1);
        let err = parse(&deep).expect_err("rejected");
        assert!(err.message.contains("nesting"), "{err:?}");
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn empty_and_multi_document() {
        assert!(matches!(parse(""), Ok(None)));
        assert!(matches!(parse("# only a comment\n"), Ok(None)));
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
        // A marker with content after it: the fast path once read `--- t` as a second key.
        let e = parse("d: t\n--- t: u").expect_err("two documents");
        assert_eq!(e.message, "more than one YAML document in the file");
    }
}
