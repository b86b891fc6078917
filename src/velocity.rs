//! Reading data action templates as Genesys Cloud fills them in: Apache Velocity references in
//! text that is meant to become JSON (a request body, a success template).
//!
//! cxlint does not run Velocity. It finds the references (`${input.id}`, `$!{x}`,
//! `$esc.jsonString($input.note)`) and replaces each with a stand-in of the same length, so
//! that the rest of the template can be parsed as the JSON it will be once filled in, and every
//! offset in the stand-in text is one in the template.

use std::ops::Range;

/// Byte ranges of the Velocity references of `text`: `${...}` and `$!{...}` (braces balanced),
/// and `$name` / `$!name` followed by any `.member`, `(arguments)` and `[index]`. A `$` that
/// starts none of these (`$5`, a lone `$`) is text.
pub fn references(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'$', &b[i..]).map(|p| i + p) {
        let mut j = at + 1;
        if b.get(j) == Some(&b'!') {
            j += 1;
        }
        let end = match b.get(j) {
            Some(b'{') => balanced(b, j, b'{', b'}'),
            Some(c) if c.is_ascii_alphabetic() => Some(member_chain(b, j)),
            _ => None,
        };
        match end {
            Some(end) => {
                // `\${x}` is Velocity's escape: it prints `${x}`, without the backslash.
                let escaped = at > 0 && b[at - 1] == b'\\' && (at < 2 || b[at - 2] != b'\\');
                out.push(if escaped { at - 1 } else { at }..end);
                i = end;
            }
            // An unterminated `${`: the rest is left as text, and fails to parse as JSON.
            None if b.get(j) == Some(&b'{') => break,
            None => i = at + 1,
        }
    }
    out
}

/// The end of the group opened at `open` (exclusive), skipping quoted strings; `None` when it
/// never closes.
fn balanced(b: &[u8], open: usize, opener: u8, closer: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = open;
    while j < b.len() {
        match b[j] {
            q @ (b'"' | b'\'') if opener != b'{' => {
                // An argument's string may hold brackets and parentheses.
                j += 1;
                while j < b.len() && b[j] != q {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
            }
            c if c == opener => depth += 1,
            c if c == closer => {
                depth -= 1;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// The end of `name(.member | (args) | [index])*` starting at `start`.
fn member_chain(b: &[u8], start: usize) -> usize {
    let ident = |mut j: usize| {
        while j < b.len() && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'_' | b'-')) {
            j += 1;
        }
        j
    };
    let mut j = ident(start);
    loop {
        match b.get(j) {
            Some(b'.') if b.get(j + 1).is_some_and(u8::is_ascii_alphabetic) => j = ident(j + 1),
            Some(b'(') => match balanced(b, j, b'(', b')') {
                Some(end) => j = end,
                None => return j,
            },
            Some(b'[') => match balanced(b, j, b'[', b']') {
                Some(end) => j = end,
                None => return j,
            },
            _ => return j,
        }
    }
}

/// The objects a data action's request templates start from, as Genesys Cloud names them.
pub const VELOCITY_ROOTS: &[&str] = &["input", "credentials"];

/// `{name}` groups of `text` that no `$`, `$!` or `#` opens, whose name `wanted` accepts:
/// Velocity leaves them as written.
pub fn bare_names(text: &str, wanted: impl Fn(&str) -> bool) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(close) = memchr::memchr(b'}', &b[i..]).map(|p| i + p) {
        // The innermost group: the last `{` before this `}` (a JSON body's own braces enclose
        // `{input.x}`).
        if let Some(open) = memchr::memrchr(b'{', &b[i..close]).map(|p| i + p) {
            let opened_by_velocity = match open {
                0 => false,
                _ => {
                    matches!(b[open - 1], b'$' | b'#') || (open >= 2 && &b[open - 2..open] == b"$!")
                }
            };
            let inner = &text[open + 1..close];
            let a_name = inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && inner
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'));
            if !opened_by_velocity && a_name && wanted(inner) {
                found.push(open..close + 1);
            }
        }
        i = close + 1;
    }
    found
}

/// A request template's `{input.x}` and `{credentials.x}` missing their `$`.
pub fn bare_request_names(text: &str) -> Vec<Range<usize>> {
    bare_names(text, |name| {
        VELOCITY_ROOTS.iter().any(|r| {
            name.strip_prefix(r)
                .is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

/// A success template's `{rawResult}`, `{input.x}` and translation map names (`translated`)
/// missing their `$`.
/// A translation map's name inside a JSON string is left alone: `"https://x/items/{id}"` may be
/// a literal, where `{rawResult}` and `{input.x}` are plainly references.
pub fn bare_success_names(text: &str, translated: impl Fn(&str) -> bool) -> Vec<Range<usize>> {
    let holes = references(text);
    let mask = json_string_mask(text, &holes);
    let plainly = |name: &str| name == "rawResult" || name.starts_with("input.");
    bare_names(text, |name| plainly(name) || translated(name))
        .into_iter()
        .filter(|r| plainly(&text[r.start + 1..r.end - 1]) || !mask[r.start])
        .collect()
}

/// Whether `text` uses a Velocity directive (`#if`, `#foreach`, `#set`, `#{else}`) or comment
/// (`##`, `#*`): its output is not the text around it, so it cannot be read as JSON.
pub fn has_directive(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'#', b).any(|i| {
        b.get(i + 1)
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'{' | b'#' | b'*'))
    })
}

/// For each byte of `text`, whether it is inside a JSON string, the `holes` (references) read
/// as one value each: a quote inside a reference's arguments opens no string.
pub fn json_string_mask(text: &str, holes: &[Range<usize>]) -> Vec<bool> {
    let b = text.as_bytes();
    let mut mask = vec![false; b.len()];
    let mut in_string = false;
    let mut escaped = false;
    let mut holes = holes.iter().peekable();
    let mut i = 0;
    while i < b.len() {
        if let Some(h) = holes.next_if(|h| h.start == i) {
            mask[h.clone()].fill(in_string);
            i = h.end;
            escaped = false;
            continue;
        }
        mask[i] = in_string;
        match b[i] {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            _ => {}
        }
        i += 1;
    }
    mask
}

/// `text` with each of `holes` replaced by a stand-in of the same length that is valid JSON
/// where it stands (`mask`, from [`json_string_mask`]): letters inside a JSON string, `0` and
/// spaces elsewhere (a value).
pub fn json_stand_in(text: &str, holes: &[Range<usize>], mask: &[bool]) -> String {
    let mut out = text.as_bytes().to_vec();
    for h in holes {
        match mask.get(h.start) {
            Some(true) => out[h.clone()].fill(b'x'),
            _ => {
                out[h.start] = b'0';
                out[h.start + 1..h.end].fill(b' ');
            }
        }
    }
    // Only ASCII was written, over whole references (which start and end on ASCII bytes).
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The name a reference refers to: `status` for `${status}`, `$!status` or `\$status`
/// (`input.id` for `${input.id}` when `dotted`); `None` when it goes on to a call or an index,
/// or to a member where `dotted` is not allowed.
pub fn reference_name(reference: &str, dotted: bool) -> Option<&str> {
    let r = reference.trim_start_matches('\\').strip_prefix('$')?;
    let r = r.strip_prefix('!').unwrap_or(r);
    let r = match r.strip_prefix('{') {
        Some(braced) => braced.strip_suffix('}')?,
        None => r,
    };
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || (dotted && c == '.');
    (!r.is_empty() && r.chars().all(plain)).then_some(r)
}

/// The names `text` refers to outside a JSON string, where their values go in as JSON:
/// `build` in `{"build": ${build}}` (and not in `{"build": "${build}"}`).
pub fn unquoted_names(text: &str) -> Vec<&str> {
    let holes = references(text);
    let mask = json_string_mask(text, &holes);
    holes
        .into_iter()
        .filter(|h| !mask[h.start])
        .filter_map(|h| reference_name(&text[h], false))
        .collect()
}

/// Escape tools that escape a string for JSON but do not quote it.
const UNQUOTED_ESCAPES: &[&str] = &[
    "esc.jsonString(",
    "esc.json(",
    "esc.javascript(",
    "esc.java(",
];

/// JSON as RFC 8259 has it: no comments, trailing commas, single quotes or bare names.
pub fn strict_json() -> jsonc_parser::ParseOptions {
    jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// Why a template meant to produce JSON does not, once its references are filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonTemplateError {
    /// Byte offset of the error in the template.
    pub offset: usize,
    /// 1-based line and column (in characters) of the error in the template.
    pub line: usize,
    pub column: usize,
    /// What is wrong, in lower case (`expected comma`).
    pub message: String,
    /// How to fix it, when there is more to say than "fix the JSON".
    pub help: Option<String>,
}

/// The JSON syntax error of a template that is meant to produce JSON: one that starts with `{`
/// or `[` and uses no directive. `None` when it parses, when it is not such a template, or when
/// the error is at or right after a reference, whose value (`, "more": 1`, a whole object) may
/// be what makes it JSON.
pub fn json_template_error(text: &str) -> Option<JsonTemplateError> {
    let start = text.trim_start();
    if !(start.starts_with('{') || start.starts_with('[')) || has_directive(text) {
        return None;
    }
    let holes = references(text);
    let mask = json_string_mask(text, &holes);
    let json = json_stand_in(text, &holes, &mask);
    let Some(err) = jsonc_parser::parse_to_ast(&json, &Default::default(), &strict_json()).err()
    else {
        return unquoted_escape(text, &holes, &mask);
    };
    let offset = err.range().start.min(text.len());
    // The parser reports some errors at the token before the culprit, some at it.
    let before = json[..offset].trim_end().len();
    let after = json.len() - json[offset..].trim_start().len();
    let near_reference = holes.iter().any(|h| {
        h.contains(&offset) || h.contains(&after) || (before > 0 && h.contains(&(before - 1)))
    });
    if near_reference {
        return None;
    }
    let message = match err.kind() {
        // "Text cannot contain more than one JSON value": a closing brace too many, as a rule.
        jsonc_parser::errors::ParseErrorKind::MultipleRootJsonValues => {
            "text after the end of the JSON value".to_owned()
        }
        kind => {
            let message = kind.to_string();
            match message.get(..1) {
                Some(first) => first.to_lowercase() + &message[1..],
                None => message,
            }
        }
    };
    Some(error_at(text, offset, message))
}

/// `$esc.jsonString(...)` as a JSON value outside quotes: it escapes the string but does not
/// quote it, so `{"note": $esc.jsonString($input.note)}` renders `{"note": some text}`.
fn unquoted_escape(text: &str, holes: &[Range<usize>], mask: &[bool]) -> Option<JsonTemplateError> {
    let h = holes.iter().find(|h| {
        let r = text[h.start..h.end].trim_start_matches(['\\', '$', '!', '{']);
        !mask[h.start] && UNQUOTED_ESCAPES.iter().any(|e| r.starts_with(e))
    })?;
    let call = &text[h.clone()];
    let name = &call[..call.find('(').unwrap_or(call.len())];
    let message =
        format!("`{name}(...)` outside quotes (it escapes a string but does not quote it)");
    let mut err = error_at(text, h.start, message);
    err.help = Some(format!("put it in quotes: `\"{call}\"`"));
    Some(err)
}

fn error_at(text: &str, offset: usize, message: String) -> JsonTemplateError {
    let upto = &text[..char_floor(text, offset)];
    let line = upto.matches('\n').count() + 1;
    let column = upto[upto.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    JsonTemplateError {
        offset,
        line,
        column,
        message,
        help: None,
    }
}

/// The largest char boundary of `text` at or before `i` (`str::floor_char_boundary`, which is
/// newer than cxlint's minimum Rust).
pub fn char_floor(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(text: &str) -> Vec<&str> {
        references(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn references_braced_and_not() {
        assert_eq!(
            refs("a${x}b$!{y{z}}c${"),
            vec!["${x}", "$!{y{z}}"],
            "an unterminated one is text"
        );
        assert_eq!(
            refs(r#"{"n": $esc.jsonString($input.note), "a": $input.list[0].id, "c": "$5 $"}"#),
            vec!["$esc.jsonString($input.note)", "$input.list[0].id"]
        );
        assert_eq!(
            refs(r#"$utils.f("a)b", ${x}).y end"#),
            vec![r#"$utils.f("a)b", ${x}).y"#]
        );
        assert_eq!(refs("$!input.x."), vec!["$!input.x"]);
    }

    #[test]
    fn stand_ins_keep_lengths_and_strings() {
        let text = r#"{"a": "${x}", "b": ${y}, "c\"${z}": 1}"#;
        let holes = references(text);
        let json = json_stand_in(text, &holes, &json_string_mask(text, &holes));
        assert_eq!(json.len(), text.len());
        assert_eq!(json, r#"{"a": "xxxx", "b": 0   , "c\"xxxx": 1}"#);
    }

    #[test]
    fn unquoted_references() {
        assert!(unquoted_names(r#"{"b": ${build}}"#).contains(&"build"));
        assert!(unquoted_names(r#"{"b": $!build, "c": 1}"#).contains(&"build"));
        assert!(!unquoted_names(r#"{"b": "${build}"}"#).contains(&"build"));
        assert!(!unquoted_names(r#"{"b": ${build.x}}"#).contains(&"build"));
        assert!(!unquoted_names(r#"{"b": ${builds}}"#).contains(&"build"));
        let bare = |t: &str| -> Vec<String> {
            bare_success_names(t, |n| n == "id")
                .into_iter()
                .map(|r| t[r].to_owned())
                .collect()
        };
        assert_eq!(
            bare(r#"{"url": "https://x/items/{id}", "raw": "{rawResult}"}"#),
            ["{rawResult}"]
        );
        assert_eq!(bare(r#"{"id": {id}}"#), ["{id}"]);
    }

    #[test]
    fn directives() {
        assert!(has_directive("#if($input.x)a#end"));
        assert!(has_directive("a #{else} b"));
        assert!(has_directive("## comment"));
        assert!(!has_directive(r##"{"tag": "#1"}"##));
    }

    #[test]
    fn json_errors() {
        let err = |t: &str| json_template_error(t).map(|e| (e.line, e.column, e.message));
        // A comma left out between two fields (a real blueprint's template).
        assert_eq!(
            err(r#"{"flowId":"${input.flowId}" "name":"x"}"#),
            Some((1, 28, "expected comma".to_owned()))
        );
        assert_eq!(
            err("{\n  \"a\": 1,\n}"),
            Some((2, 9, "trailing commas are not allowed".to_owned()))
        );
        assert_eq!(
            err("{\"a\": ${x}} \n }"),
            Some((2, 2, "text after the end of the JSON value".to_owned()))
        );
        assert_eq!(
            err(r#"{'a': 1}"#),
            Some((1, 2, "single-quoted strings are not allowed".to_owned()))
        );
        // Valid once filled in, or not meant to be JSON.
        assert_eq!(
            err(r#"{"a": ${input.a}, "b": "$!{input.b}", "c": [$input.c]}"#),
            None
        );
        assert_eq!(err(r#"{"n": "$esc.jsonString($input.note)"}"#), None);
        assert_eq!(err("${input.rawRequest}"), None);
        assert_eq!(err("grant_type=client_credentials"), None);
        assert_eq!(err("<soap:Envelope/>"), None);
        assert_eq!(err(r##"{"a": 1 #if($input.b), "b": 2#end}"##), None);
        // Velocity prints an escaped reference as written, without the backslash.
        assert_eq!(err(r#"{"text": "run \${input.flowId}"}"#), None);
        // An escape tool outside quotes leaves the string unquoted.
        assert_eq!(
            err(r#"{"a": "$esc.jsonString($input.a)", "n": $esc.jsonString($input.note)}"#),
            Some((
                1,
                41,
                "`$esc.jsonString(...)` outside quotes (it escapes a string but does not quote it)"
                    .to_owned()
            ))
        );
        // An error at or right after a reference may be the reference's to fill.
        assert_eq!(err(r#"{"a": 1 ${input.more}}"#), None);
        assert_eq!(err(r#"{${input.key}: 1}"#), None);
        assert_eq!(err(r#"{"a": ${input.a} "b": 2}"#), None);
    }

    proptest::proptest! {
        /// On any text made of the characters that matter (quotes, braces, `$`, `#`, escapes,
        /// a multi-byte letter): references are in bounds, ordered and disjoint, the stand-in
        /// keeps every byte outside them, and reading the template never panics.
        #[test]
        fn any_template_is_read_safely(text in r#"[{}\[\]()"'$!#.,:\\ a-z0-9é\n]{0,60}"#) {
            let holes = references(&text);
            let mut end = 0;
            for h in &holes {
                proptest::prop_assert!(h.start >= end && h.start < h.end && h.end <= text.len());
                end = h.end;
            }
            let json = json_stand_in(&text, &holes, &json_string_mask(&text, &holes));
            proptest::prop_assert_eq!(json.len(), text.len());
            let mut outside = text.as_bytes().to_vec();
            let mut stood = json.as_bytes().to_vec();
            for h in holes.iter().rev() {
                outside.drain(h.clone());
                stood.drain(h.clone());
            }
            proptest::prop_assert_eq!(outside, stood);
            if let Some(err) = json_template_error(&text) {
                proptest::prop_assert!(err.offset <= text.len() && err.line >= 1 && err.column >= 1);
            }
            for r in bare_names(&text, |_| true) {
                proptest::prop_assert!(text.as_bytes()[r.start] == b'{', "{:?}", r);
            }
        }
    }
}
