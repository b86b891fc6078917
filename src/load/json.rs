//! Span-keeping JSON: state files, plans and snapshots into [`Val`] trees.
//!
//! serde_json keeps no positions and jsonc-parser builds a full syntax tree (and accepts JSON5
//! extensions that Terraform would reject), so state inputs go through this small strict parser
//! instead: one pass straight into [`Val`], every value carrying the byte range of its JSON text.
//! It is RFC 8259 JSON with two tolerances Terraform's own reader has too: a leading UTF-8 BOM is
//! skipped, and an unpaired `\u` surrogate decodes to U+FFFD instead of failing.
//!
//! Hostile input is bounded: nesting deeper than [`MAX_DEPTH`] is an error before recursing, and
//! no input panics.

use std::borrow::Cow;

use smol_str::SmolStr;

use crate::load::LoadError;
use crate::source::{FileId, Span};
use crate::value::{V, Val};

/// Deepest nesting of arrays and objects accepted. Real state files nest about 10 levels; the
/// limit keeps recursion (and the stack) small on hostile input.
pub const MAX_DEPTH: usize = 128;

/// Parse JSON `text` of `file` into a [`Val`] whose every node's span is its JSON value's range.
///
/// Numbers become `f64`, strings are decoded, objects keep the last of duplicate keys (as Go's
/// and Terraform's readers do). Errors are located at the offending character; a truncated file
/// fails at its end.
pub fn parse_json(file: FileId, text: &str) -> Result<Val, LoadError> {
    parse(file, text, None)
}

/// [`parse_json`], handing each element of the root object's array member `key` to `each` as
/// soon as it is parsed, instead of keeping it: in the returned tree that array is empty (with
/// its span). A state file is nearly all its `resources`, and its whole tree is about three
/// times its size; read this way, only what `each` keeps of every resource stays.
pub fn parse_json_streaming(
    file: FileId,
    text: &str,
    key: &str,
    each: &mut dyn FnMut(Val),
) -> Result<Val, LoadError> {
    parse(file, text, Some((key, each)))
}

fn parse<'a>(
    file: FileId,
    text: &'a str,
    stream: Option<(&'a str, &'a mut dyn FnMut(Val))>,
) -> Result<Val, LoadError> {
    let mut p = Parser {
        text,
        b: text.as_bytes(),
        pos: 0,
        file,
        items: Vec::new(),
        stream,
    };
    if text.starts_with('\u{feff}') {
        p.pos = '\u{feff}'.len_utf8();
    }
    p.skip_ws();
    if p.pos >= p.b.len() {
        return Err(p.error_here("empty file: expected a json value"));
    }
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos < p.b.len() {
        return Err(p.error_here("unexpected text after the json value"));
    }
    Ok(value)
}

/// The span of the key (with its quotes) of an object member, given the member's value.
///
/// Key spans are not stored in the tree (they are rarely needed and would cost memory on large
/// state files); this walks back from the value over `"key" :` in `text`, the file the value was
/// parsed from. `None` for array elements, the root value, or a value without a span.
pub fn key_span(text: &str, value: &Val) -> Option<Span> {
    let span = value.span?;
    let b = text.as_bytes();
    let mut i = (span.start as usize).min(b.len());
    while i > 0 && is_ws(b[i - 1]) {
        i -= 1;
    }
    if i == 0 || b[i - 1] != b':' {
        return None;
    }
    i -= 1;
    while i > 0 && is_ws(b[i - 1]) {
        i -= 1;
    }
    if i == 0 || b[i - 1] != b'"' {
        return None;
    }
    let end = i;
    i -= 1; // now at the closing quote
    // Find the opening quote: the previous `"` not escaped by an odd run of backslashes.
    while i > 0 {
        i -= 1;
        if b[i] == b'"' {
            let backslashes = b[..i].iter().rev().take_while(|&&c| c == b'\\').count();
            if backslashes % 2 == 0 {
                return Some(Span::new(span.file, i..end));
            }
        }
    }
    None
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    file: FileId,
    /// Elements of the arrays being parsed, innermost last: one buffer reused for every array,
    /// so each array is allocated once at its exact size.
    items: Vec<Val>,
    /// See [`parse_json_streaming`].
    stream: Option<(&'a str, &'a mut dyn FnMut(Val))>,
}

impl<'a> Parser<'a> {
    fn span(&self, start: usize) -> Span {
        Span::new(self.file, start..self.pos)
    }

    /// An error at the current position: on the character there, or empty at the end of input.
    fn error_here(&self, message: &str) -> LoadError {
        if self.pos >= self.b.len() {
            let span = Span::new(self.file, self.b.len()..self.b.len());
            return LoadError::new(format!("unexpected end of file: {message}"), span);
        }
        let (shown, len) = match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            Some(c) => (describe_char(c), c.len_utf8()),
            None => ("a byte".to_string(), 1),
        };
        LoadError::new(
            format!("{message}, found {shown}"),
            Span::new(self.file, self.pos..self.pos + len),
        )
    }

    fn skip_ws(&mut self) {
        while self.pos < self.b.len() && is_ws(self.b[self.pos]) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn value(&mut self, depth: usize) -> Result<Val, LoadError> {
        let start = self.pos;
        let v = match self.peek() {
            Some(b'{') => return self.object(depth),
            Some(b'[') => return self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                V::String(SmolStr::new(s))
            }
            Some(b't') => self.keyword("true", V::Bool(true))?,
            Some(b'f') => self.keyword("false", V::Bool(false))?,
            Some(b'n') => self.keyword("null", V::Null)?,
            Some(b'-' | b'0'..=b'9') => V::Number(self.number()?),
            _ => return Err(self.error_here("expected a json value")),
        };
        Ok(Val::at(v, self.span(start)))
    }

    fn keyword(&mut self, word: &str, v: V) -> Result<V, LoadError> {
        if self.b[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(self.error_here("expected a json value"))
        }
    }

    fn enter(&self, depth: usize) -> Result<(), LoadError> {
        if depth >= MAX_DEPTH {
            return Err(LoadError::new(
                format!("json nested deeper than {MAX_DEPTH} levels"),
                Span::new(self.file, self.pos..self.pos + 1),
            ));
        }
        Ok(())
    }

    fn object(&mut self, depth: usize) -> Result<Val, LoadError> {
        self.enter(depth)?;
        let start = self.pos;
        self.pos += 1; // `{`
        // Inserting as we go keeps the last of duplicate keys, as Go's and Terraform's readers do.
        let mut fields: Vec<(String, Val)> = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            // State files are full of `{}` and `[]`: every empty one shares one allocation.
            return Ok(Val::object(
                crate::value::Fields::new(),
                Some(self.span(start)),
            ));
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.error_here("expected a string object key"));
            }
            let key = self.string()?.into_owned();
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error_here("expected `:` after the object key"));
            }
            self.pos += 1;
            self.skip_ws();
            let streamed = depth == 0
                && self.peek() == Some(b'[')
                && self.stream.as_ref().is_some_and(|(k, _)| *k == key);
            let value = match streamed {
                true => self.streamed_array(depth + 1)?,
                false => self.value(depth + 1)?,
            };
            fields.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.error_here("expected `,` or `}` after the object member")),
            }
        }
        Ok(Val::object(
            fields.into_iter().collect::<crate::value::Fields>(),
            Some(self.span(start)),
        ))
    }

    fn array(&mut self, depth: usize) -> Result<Val, LoadError> {
        let first = self.items.len();
        let start = self.elements(depth, &mut |p, item| p.items.push(item))?;
        let span = Some(self.span(start));
        Ok(Val::list_of(self.items.drain(first..), span))
    }

    /// An array whose elements go to the stream's `each` (see [`parse_json_streaming`]): an
    /// empty list with the array's span.
    fn streamed_array(&mut self, depth: usize) -> Result<Val, LoadError> {
        let start = self.elements(depth, &mut |p, item| {
            if let Some((_, each)) = p.stream.as_mut() {
                each(item);
            }
        })?;
        Ok(Val::list(Vec::new(), Some(self.span(start))))
    }

    /// The array at `pos` (which holds `[`), each element given to `f` as it is parsed; returns
    /// where the array starts.
    fn elements(
        &mut self,
        depth: usize,
        f: &mut dyn FnMut(&mut Self, Val),
    ) -> Result<usize, LoadError> {
        self.enter(depth)?;
        let start = self.pos;
        self.pos += 1; // `[`
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(start);
        }
        loop {
            let item = self.value(depth + 1)?;
            f(self, item);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(start);
                }
                _ => return Err(self.error_here("expected `,` or `]` after the array element")),
            }
        }
    }

    /// A string token at `pos` (which holds `"`), decoded. Borrowed when it has no escapes,
    /// which is nearly every string in a state file.
    fn string(&mut self) -> Result<Cow<'a, str>, LoadError> {
        self.pos += 1; // opening quote
        let content = self.pos;
        let mut owned: Option<String> = None;
        // Start of the run of plain characters not yet copied into `owned`.
        let mut run = content;
        loop {
            let Some(&c) = self.b.get(self.pos) else {
                return Err(self.error_here("unterminated string"));
            };
            match c {
                b'"' => {
                    // Slice bounds are always at ASCII bytes, hence char boundaries.
                    let tail = self.text.get(run..self.pos).unwrap_or_default();
                    self.pos += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(self.text.get(run..self.pos).unwrap_or_default());
                    self.pos += 1;
                    let decoded = self.escape()?;
                    owned.get_or_insert_with(String::new).push(decoded);
                    run = self.pos;
                }
                0x00..=0x1f => {
                    return Err(self.error_here("control character in string (must be escaped)"));
                }
                _ => self.pos += 1,
            }
        }
    }

    /// The escape after a backslash (`pos` is just past the backslash).
    fn escape(&mut self) -> Result<char, LoadError> {
        let Some(c) = self.peek() else {
            return Err(self.error_here("unterminated string"));
        };
        let decoded = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                self.pos += 1;
                let first = self.hex4()?;
                return Ok(self.surrogate_pair(first));
            }
            _ => return Err(self.error_here("invalid escape in string")),
        };
        self.pos += 1;
        Ok(decoded)
    }

    /// Combine a high surrogate with a following `\uDC00`-`\uDFFF`; lone surrogates become U+FFFD.
    fn surrogate_pair(&mut self, first: u32) -> char {
        if (0xD800..0xDC00).contains(&first) && self.b[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            if let Ok(second) = self.hex4() {
                if (0xDC00..0xE000).contains(&second) {
                    let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                    return char::from_u32(code).unwrap_or('\u{fffd}');
                }
            }
            self.pos = save;
        }
        char::from_u32(first).unwrap_or('\u{fffd}')
    }

    fn hex4(&mut self) -> Result<u32, LoadError> {
        let mut n = 0u32;
        for _ in 0..4 {
            let digit = self.peek().and_then(|c| (c as char).to_digit(16));
            let Some(d) = digit else {
                return Err(self.error_here("expected 4 hex digits after `\\u`"));
            };
            n = n * 16 + d;
            self.pos += 1;
        }
        Ok(n)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<f64, LoadError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error_here("expected a digit in number")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error_here("expected a digit after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error_here("expected a digit in the exponent"));
            }
        }
        let literal = self.text.get(start..self.pos).unwrap_or_default();
        // The grammar was checked above, so this only fails on nothing; overflow gives infinity.
        literal
            .parse::<f64>()
            .map_err(|_| LoadError::new("invalid number", Span::new(self.file, start..self.pos)))
    }
}

fn describe_char(c: char) -> String {
    match c {
        '\0' => "a NUL byte".to_string(),
        c if c.is_control() => format!("control character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: FileId = FileId(0);

    fn slice<'t>(text: &'t str, v: &Val) -> &'t str {
        &text[v.span.expect("span").range()]
    }

    #[test]
    fn values_and_spans() {
        let text = r#" {"a": [1, -2.5e3, true, null], "b": {"c": "x\"y"}, "d": "é"} "#;
        let v = parse_json(F, text).expect("valid");
        assert_eq!(slice(text, &v), &text[1..text.len() - 1]);
        let a = v.get("a").expect("a");
        assert_eq!(slice(text, a), "[1, -2.5e3, true, null]");
        let items = a.as_list().expect("list");
        assert_eq!(items[1].as_number(), Some(-2500.0));
        assert_eq!(slice(text, &items[1]), "-2.5e3");
        assert_eq!(items[2].as_bool(), Some(true));
        assert!(items[3].is_null());
        let c = v.get("b").and_then(|b| b.get("c")).expect("c");
        assert_eq!(c.as_str(), Some("x\"y"));
        assert_eq!(slice(text, c), r#""x\"y""#);
        assert_eq!(v.get("d").and_then(Val::as_str), Some("é"));
    }

    #[test]
    fn streamed_elements_are_the_parsed_ones_and_only_the_root_member_streams() {
        let text = r#"{"r": [{"x": 1}, [2], {"r": [3]}], "s": [4], "n": {"r": [5]}}"#;
        let whole = parse_json(F, text).expect("valid");
        let mut seen = Vec::new();
        let root = parse_json_streaming(F, text, "r", &mut |v| seen.push(v)).expect("valid");
        let expected = whole.get("r").and_then(Val::as_list).expect("list");
        let shown = |v: &Val| (slice(text, v).to_owned(), crate::value::to_json(v));
        assert_eq!(
            seen.iter().map(shown).collect::<Vec<_>>(),
            expected.iter().map(shown).collect::<Vec<_>>()
        );
        // The streamed array is empty in the tree, with its span; nothing else is streamed.
        let r = root.get("r").expect("r");
        assert_eq!(r.as_list().map(<[Val]>::len), Some(0));
        assert_eq!(slice(text, r), slice(text, whole.get("r").expect("r")));
        assert_eq!(
            root.get("s").and_then(Val::as_list).map(<[Val]>::len),
            Some(1)
        );
        let nested = root
            .get("n")
            .and_then(|n| n.get("r"))
            .and_then(Val::as_list);
        assert_eq!(nested.map(<[Val]>::len), Some(1));
        // A member that is not an array is kept as it is; errors are located as ever.
        let root = parse_json_streaming(F, r#"{"r": 7}"#, "r", &mut |_| panic!("streamed"));
        assert_eq!(
            root.expect("valid").get("r").and_then(Val::as_number),
            Some(7.0)
        );
        let e = parse_json_streaming(F, r#"{"r": [1, }"#, "r", &mut |_| {}).expect_err("bad");
        assert_eq!(e.span.start, 10);
    }

    #[test]
    fn escapes_decode() {
        let text = r#"["\n\t\\\/\u00e9\ud83d\ude00\ud800x"]"#;
        let v = parse_json(F, text).expect("valid");
        assert_eq!(
            v.as_list().expect("list")[0].as_str(),
            Some("\n\t\\/é😀\u{fffd}x")
        );
    }

    #[test]
    fn duplicate_keys_keep_the_last() {
        let v = parse_json(F, r#"{"a": 1, "a": 2}"#).expect("valid");
        assert_eq!(v.get("a").and_then(Val::as_number), Some(2.0));
    }

    #[test]
    fn key_span_walks_back_over_escaped_keys() {
        let text = r#"{ "plain" : 1, "we\"ird\\" :"v"}"#;
        let v = parse_json(F, text).expect("valid");
        let plain = key_span(text, v.get("plain").expect("plain")).expect("span");
        assert_eq!(&text[plain.range()], r#""plain""#);
        let weird = key_span(text, v.get("we\"ird\\").expect("weird")).expect("span");
        assert_eq!(&text[weird.range()], r#""we\"ird\\""#);
        assert_eq!(key_span(text, &v), None);
    }

    #[test]
    fn errors_are_located() {
        let cases: &[(&str, usize, &str)] = &[
            (r#"{"a": 1,}"#, 8, "expected a string object key"),
            (r#"{"a" 1}"#, 5, "expected `:`"),
            (r#"[1 2]"#, 3, "expected `,` or `]`"),
            (r#"{"a": tru}"#, 6, "expected a json value"),
            (r#"[01]"#, 2, "expected `,` or `]`"),
            (r#"[1.]"#, 3, "decimal point"),
            (r#"["a\qb"]"#, 4, "invalid escape"),
            ("[\"a\nb\"]", 3, "control character"),
            (r#"{} {}"#, 3, "unexpected text after"),
            ("[\0]", 1, "NUL"),
        ];
        for (text, at, msg) in cases {
            let e = parse_json(F, text).expect_err(text);
            assert_eq!(e.span.start as usize, *at, "{text}: {}", e.message);
            assert!(e.message.contains(msg), "{text}: {}", e.message);
        }
    }

    #[test]
    fn truncation_is_located_at_the_end() {
        for text in [
            r#"{"a": [1, 2"#,
            r#"{"a": "unterminated"#,
            r#"{"a""#,
            "",
            "  ",
            "[\"\\u12",
        ] {
            let e = parse_json(F, text).expect_err(text);
            assert_eq!(e.span.start as usize, text.len(), "{text}: {}", e.message);
            assert!(e.message.starts_with("unexpected end of file") || text.trim().is_empty());
        }
    }

    #[test]
    fn deep_nesting_is_rejected_without_overflow() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse_json(F, &ok).is_ok());
        let deep = "[".repeat(MAX_DEPTH + 1);
        let e = parse_json(F, &deep).expect_err("too deep");
        assert!(e.message.contains("nested deeper"), "{}", e.message);
        assert_eq!(e.span.start as usize, MAX_DEPTH);
        let hostile = "{\"a\":".repeat(1_000_000);
        assert!(parse_json(F, &hostile).is_err());
    }

    #[test]
    fn bom_is_skipped() {
        let text = "\u{feff}{\"a\": 1}";
        let v = parse_json(F, text).expect("valid");
        assert_eq!(slice(text, &v), "{\"a\": 1}");
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // A deterministic pseudo-random walk over JSON-ish bytes: every prefix and mutation must
        // return Ok or Err, never panic.
        let base = r#"{"version": 4, "resources": [{"a": "x\u00e9\"", "b": [1.5e-3, null, {}]}]}"#;
        let mut seed = 0x2545_f491_u32;
        for i in 0..base.len() {
            let _ = parse_json(F, &base[..i]);
        }
        let alphabet = b"{}[]\":,\\u0123456789.eE+-tfnrl \n\x00\x7f";
        for _ in 0..2000 {
            let mut bytes = base.as_bytes().to_vec();
            for _ in 0..3 {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let at = seed as usize % bytes.len();
                bytes[at] = alphabet[(seed >> 8) as usize % alphabet.len()];
            }
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse_json(F, &text);
        }
    }
}
