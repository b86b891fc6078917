//! A pre-flight scan that rejects hostile input before any recursive parser sees it.
//!
//! hcl-edit, jsonc-parser and the IR conversion all recurse once per nesting level, so a file of a
//! few kilobytes of `[[[[...` could overflow a worker thread's stack. One linear pass over the bytes
//! bounds the nesting depth (brackets, braces, parentheses and template interpolations, outside
//! string literals and comments) and refuses binary content, so the parsers only ever see input
//! whose recursion is bounded. It also bounds memory: hcl-edit's tree costs about 200 bytes per node,
//! so a 100 MB line of `1,1,1,...` would need some 10 GB; files over [`MAX_FILE_BYTES`] and lists or
//! objects of more than [`MAX_ITEMS`] elements in one file are refused up front, in linear time.
//! The scan is deliberately rough: it only has to never under-count
//! real nesting and not to flag ordinary files; exact syntax checking is the parsers' job.

use super::LoadError;
use crate::source::{FileId, Span};

/// The deepest nesting accepted. Real configurations stay below 15; hcl-edit itself stops at 64.
pub const MAX_DEPTH: usize = 128;

/// The largest file accepted (the IR of a file this size already takes some gigabytes).
pub const MAX_FILE_BYTES: usize = 128 << 20;

/// The most commas (list, object and argument separators, outside strings and comments) accepted in
/// one file: about 800 MB of parse tree at worst. A large `genesyscloud_tf_export` file has one
/// comma per few dozen bytes, so this only stops pathological input.
pub const MAX_ITEMS: usize = 4 << 20;

/// Which lexical rules the scan follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// HCL native syntax: `"..."` strings with `${`/`%{` templates, heredocs, `#`, `//`, `/* */`.
    Hcl,
    /// JSON (leniently, as jsonc-parser reads it): `"..."` and `'...'` strings, `//` and `/* */`.
    Json,
}

/// Checks `text` for NUL bytes, size, nesting deeper than [`MAX_DEPTH`] and more than
/// [`MAX_ITEMS`] elements.
///
/// The error points at the first NUL byte ("file looks binary"), at the bracket that goes one
/// level too deep, or at the comma that is one too many.
pub fn check(file: FileId, text: &str, syntax: Syntax) -> Result<(), LoadError> {
    check_content(file, text)?;
    let Some((pos, limit)) = scan(text.as_bytes(), syntax) else {
        return Ok(());
    };
    let message = match limit {
        Limit::Depth => format!("nesting deeper than {MAX_DEPTH} levels"),
        Limit::Items => format!("more than {MAX_ITEMS} list or object elements in one file"),
    };
    Err(LoadError::new(message, Span::new(file, pos..pos + 1)))
}

/// The part of [`check`] that needs no lexing: NUL bytes and size. Enough before a parser that
/// bounds nesting itself as the scan does (the HCL fast path), for files too small to exceed
/// [`MAX_ITEMS`].
pub fn check_content(file: FileId, text: &str) -> Result<(), LoadError> {
    let bytes = text.as_bytes();
    if let Some(pos) = memchr::memchr(0, bytes) {
        return Err(LoadError::new(
            "file looks binary (it contains a NUL byte)",
            Span::new(file, pos..pos + 1),
        ));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(LoadError::new(
            format!(
                "file is too large to load ({} MiB; the limit is {} MiB)",
                bytes.len() >> 20,
                MAX_FILE_BYTES >> 20
            ),
            Span::file_start(file),
        ));
    }
    Ok(())
}

/// What the scanner is inside of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `(`, `[` or `{` in code, at this offset.
    Bracket(usize),
    /// `${` or `%{` inside a string or heredoc: code until the matching `}`.
    Interp,
    /// A quoted string; the byte is the quote character.
    Str(u8),
    /// A heredoc body; the range is its closing delimiter in the input.
    Heredoc(usize, usize),
}

/// Which limit the input broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    Depth,
    Items,
}

/// Where the last bracket (`(`, `[` or `{`) left open at the end of `text` was opened, if one
/// was: for a parse error at the end of the file, which says what was expected there but not
/// which block is missing its `}`.
pub fn unclosed_bracket(text: &str, syntax: Syntax) -> Option<usize> {
    let mut stack = Vec::new();
    if scan_with(text.as_bytes(), syntax, &mut stack, &mut |_| {}).is_some() {
        return None;
    }
    stack.iter().rev().find_map(|f| match f {
        Frame::Bracket(at) => Some(*at),
        _ => None,
    })
}

/// Every bracket left open at the end of `text`, outermost first, when nothing else (a string,
/// a heredoc, an interpolation) is: what a file cut short, or missing its last `}`s, leaves.
pub fn open_brackets(text: &str, syntax: Syntax) -> Vec<usize> {
    let mut stack = Vec::new();
    if scan_with(text.as_bytes(), syntax, &mut stack, &mut |_| {}).is_some() {
        return Vec::new();
    }
    (stack.iter())
        .map(|f| match f {
            Frame::Bracket(at) => Some(*at),
            _ => None,
        })
        .collect::<Option<Vec<usize>>>()
        .unwrap_or_default()
}

/// Where the comments of HCL `text` are (`#` and `//` to the line end, `/* */`), outside strings
/// and heredocs: the hcl-edit path's share of [`crate::ir::ConfigFile::comments`].
pub fn comments(text: &str) -> Vec<std::ops::Range<u32>> {
    let mut found = Vec::new();
    scan_with(text.as_bytes(), Syntax::Hcl, &mut Vec::new(), &mut |r| {
        found.push(crate::ir::comment_range(r))
    });
    found
}

/// Returns where the input first breaks a limit, if it does.
fn scan(b: &[u8], syntax: Syntax) -> Option<(usize, Limit)> {
    scan_with(b, syntax, &mut Vec::new(), &mut |_| {})
}

/// [`scan`], leaving in `stack` what is still open where it stops, and passing each comment's
/// range to `on_comment`.
fn scan_with(
    b: &[u8],
    syntax: Syntax,
    stack: &mut Vec<Frame>,
    on_comment: &mut impl FnMut(std::ops::Range<usize>),
) -> Option<(usize, Limit)> {
    let mut depth = 0usize;
    let mut items = 0usize;
    let mut i = 0usize;
    // Set when `i` is at the start of a line inside a heredoc (where the delimiter may appear).
    let mut heredoc_line_start = false;
    while i < b.len() {
        let frame = stack.last().copied();
        // Skip the bytes that cannot change the state in one tight loop: most of a file.
        let interesting = match (frame, syntax) {
            (Some(Frame::Str(_)), Syntax::Hcl) => &STR_HCL,
            (Some(Frame::Str(_)), Syntax::Json) => &STR_JSON,
            (Some(Frame::Heredoc(..)), _) if !heredoc_line_start => &HEREDOC,
            (Some(Frame::Heredoc(..)), _) => &ALL,
            (_, Syntax::Hcl) => &CODE_HCL,
            (_, Syntax::Json) => &CODE_JSON,
        };
        while i < b.len() && !interesting[usize::from(b[i])] {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        match frame {
            Some(Frame::Str(quote)) => match b[i] {
                b'\\' => i += 2,
                c if c == quote => {
                    stack.pop();
                    i += 1;
                }
                // HCL quoted strings cannot span lines: resynchronise instead of reading the rest
                // of the file as a string.
                b'\n' if syntax == Syntax::Hcl => {
                    stack.pop();
                    i += 1;
                }
                b'$' | b'%' if syntax == Syntax::Hcl => {
                    match open_interp(b, i, stack, &mut depth) {
                        Ok(next) => i = next,
                        Err(at) => return Some((at, Limit::Depth)),
                    }
                }
                _ => i += 1,
            },
            Some(Frame::Heredoc(ds, de)) => {
                if heredoc_line_start {
                    heredoc_line_start = false;
                    let eol = line_end(b, i);
                    if b[i..eol].trim_ascii() == &b[ds..de] {
                        stack.pop();
                        i = eol;
                        continue;
                    }
                }
                match b[i] {
                    b'\n' => {
                        heredoc_line_start = true;
                        i += 1;
                    }
                    b'$' | b'%' => match open_interp(b, i, stack, &mut depth) {
                        Ok(next) => i = next,
                        Err(at) => return Some((at, Limit::Depth)),
                    },
                    _ => i += 1,
                }
            }
            // Code: top level, inside brackets, or inside an interpolation.
            _ => match b[i] {
                b'"' => {
                    stack.push(Frame::Str(b'"'));
                    i += 1;
                }
                b'\'' if syntax == Syntax::Json => {
                    stack.push(Frame::Str(b'\''));
                    i += 1;
                }
                b'#' if syntax == Syntax::Hcl => {
                    let end = line_end(b, i);
                    on_comment(i..end);
                    i = end;
                }
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    let end = line_end(b, i);
                    on_comment(i..end);
                    i = end;
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    let end = find(b, i + 2, b"*/").map_or(b.len(), |p| p + 2);
                    on_comment(i..end);
                    i = end;
                }
                b'<' if syntax == Syntax::Hcl && b.get(i + 1) == Some(&b'<') => {
                    match heredoc_start(b, i) {
                        Some((ds, de, body)) => {
                            stack.push(Frame::Heredoc(ds, de));
                            heredoc_line_start = true;
                            i = body;
                        }
                        None => i += 2,
                    }
                }
                b',' => {
                    items += 1;
                    if items > MAX_ITEMS {
                        return Some((i, Limit::Items));
                    }
                    i += 1;
                }
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some((i, Limit::Depth));
                    }
                    stack.push(Frame::Bracket(i));
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    // Unbalanced closers are the parser's to report; only pop what we opened.
                    if matches!(stack.last(), Some(Frame::Bracket(_) | Frame::Interp)) {
                        stack.pop();
                        depth -= 1;
                    }
                    i += 1;
                }
                _ => i += 1,
            },
        }
    }
    None
}

/// At a `$` or `%` inside a template: opens an interpolation for `${`/`%{` and skips the `$${`/`%%{`
/// escapes. Returns the next offset, or `Err(offset)` when the opening is one level too deep.
fn open_interp(
    b: &[u8],
    i: usize,
    stack: &mut Vec<Frame>,
    depth: &mut usize,
) -> Result<usize, usize> {
    let c = b[i];
    if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') {
        return Ok(i + 3);
    }
    if b.get(i + 1) == Some(&b'{') {
        *depth += 1;
        if *depth > MAX_DEPTH {
            return Err(i);
        }
        stack.push(Frame::Interp);
        return Ok(i + 2);
    }
    Ok(i + 1)
}

fn line_end(b: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |p| i + p)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(b.get(from..)?, needle).map(|p| from + p)
}

/// A byte-class table: `true` for the bytes listed.
const fn table(bytes: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
}

// The bytes that matter in each state; every other byte is skipped without a look at the stack.
static CODE_HCL: [bool; 256] = table(b"\"#/<([{)]},");
static CODE_JSON: [bool; 256] = table(b"\"'/([{)]},");
static STR_HCL: [bool; 256] = table(b"\\\"\n$%");
static STR_JSON: [bool; 256] = table(b"\\\"'");
static HEREDOC: [bool; 256] = table(b"\n$%");
static ALL: [bool; 256] = [true; 256];

/// Recognises `<<ID` or `<<-ID` followed by a line end at `i`; returns the delimiter's range and
/// the offset where the body starts.
fn heredoc_start(b: &[u8], i: usize) -> Option<(usize, usize, usize)> {
    let mut j = i + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let ds = j;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'-') {
        j += 1;
    }
    if j == ds {
        return None;
    }
    let de = j;
    match b.get(j) {
        Some(b'\n') => Some((ds, de, j + 1)),
        Some(b'\r') if b.get(j + 1) == Some(&b'\n') => Some((ds, de, j + 2)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_error(text: &str, syntax: Syntax) -> Option<u32> {
        check(FileId(0), text, syntax).err().map(|e| e.span.start)
    }

    #[test]
    fn counts_brackets_and_interpolations_in_code() {
        let ok = format!("{}{}", "{".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        assert_eq!(depth_error(&ok, Syntax::Hcl), None);
        let bad = format!("{}{}", "(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1));
        assert_eq!(depth_error(&bad, Syntax::Hcl), Some(MAX_DEPTH as u32));
        // Siblings do not add up.
        let wide = "[[1]]".repeat(10_000);
        assert_eq!(depth_error(&wide, Syntax::Hcl), None);
        let tpl = format!("\"{}\"", "${\"".repeat(MAX_DEPTH + 1));
        assert!(depth_error(&tpl, Syntax::Hcl).is_some());
    }

    #[test]
    fn ignores_strings_comments_heredocs_and_escapes() {
        let deep = "[".repeat(MAX_DEPTH + 5);
        for text in [
            format!("a = \"{deep}\""),
            format!("# {deep}\na = 1"),
            format!("// {deep}\na = 1"),
            format!("/* {deep} */ a = 1"),
            format!("a = <<EOT\n{deep}\nEOT\nb = 1"),
            format!("a = <<-EOT\n  {deep}\n  EOT\n"),
            format!("a = \"{}\"", "$${".repeat(MAX_DEPTH + 5)),
            format!("a = \"\\\"{deep}\""),
        ] {
            assert_eq!(depth_error(&text, Syntax::Hcl), None, "{text:?}");
        }
        // After the heredoc ends, brackets count again.
        let text = format!("a = <<EOT\nx\nEOT\nb = {deep}");
        assert!(depth_error(&text, Syntax::Hcl).is_some());
        // JSON: single-quoted strings and comments; `${` is not special at this stage.
        for text in [
            format!("{{\"a\": \"{deep}\"}}"),
            format!("{{'a': '{deep}'}}"),
            format!("// {deep}\n{{}}"),
        ] {
            assert_eq!(depth_error(&text, Syntax::Json), None, "{text:?}");
        }
    }

    #[test]
    fn huge_or_dense_files_are_refused_in_linear_time() {
        let dense = format!("a = [{}1]", "1,".repeat(MAX_ITEMS + 1));
        let e = check(FileId(0), &dense, Syntax::Hcl).expect_err("too many items");
        assert!(e.message.starts_with("more than"), "{}", e.message);
        assert_eq!(e.span.start as usize, 5 + 2 * MAX_ITEMS + 1);
        // Commas in strings and comments are not elements.
        let text = format!(
            "a = \"{}\" # {}",
            ",".repeat(MAX_ITEMS + 1),
            ",".repeat(MAX_ITEMS + 1)
        );
        assert!(check(FileId(0), &text, Syntax::Hcl).is_ok());
        let big = " ".repeat(MAX_FILE_BYTES + 1);
        let e = check(FileId(0), &big, Syntax::Json).expect_err("too large");
        assert!(e.message.starts_with("file is too large"), "{}", e.message);
    }

    #[test]
    fn nul_is_reported_first() {
        let text = format!("{}\0", "[".repeat(MAX_DEPTH + 5));
        let e = check(FileId(2), &text, Syntax::Json).expect_err("binary");
        assert!(e.message.contains("binary"));
        assert_eq!(e.span, Span::new(FileId(2), MAX_DEPTH + 5..MAX_DEPTH + 6));
    }
}
