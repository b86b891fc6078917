//! Literal secrets in Architect flow YAML. Archy nests a value under its input's name
//! (`apiKey:` then `lit: "..."` on the next line) and a flow variable's under `initialValue`
//! beside its `name: Flow.apiKey`: a secret is told by where it is, as in the HCL passes, but
//! by indentation instead of brackets. Read line by line on the text as written, so that the
//! same pass serves a flow that parses and one that does not (whose error's snippet shows the
//! lines around it), and a value that a `{{placeholder}}` fills in is never taken for a literal.

use super::{Secret, is_secret_key};
use crate::source::{FileId, Span};
use std::ops::Range;

/// What a line of YAML holds, as far as finding secrets goes.
struct Line<'t> {
    /// The column its content starts at (after every `- `).
    content: usize,
    /// The mapping key it starts with, if any.
    key: Option<&'t str>,
    /// The value after the key (or the item's, or the line's), trimmed and without quotes or
    /// comment; `None` when empty.
    value: Option<Range<usize>>,
    /// The value is a block scalar (`|`, `>`): the more indented lines that follow are its text.
    block: bool,
}

/// An open mapping key whose more indented lines are read in its light.
#[derive(Clone, Copy)]
struct Open<'t> {
    /// The column of its key.
    at: usize,
    /// The secret's key the lines under it are the value of; `None` for a block scalar of
    /// another key, whose lines are prose.
    secret: Option<&'t str>,
    /// A block scalar's: every line under it is text, none is a key.
    block: bool,
}

/// Keys under a secret's key whose values are not the secret: an expression or a variable
/// (`exp:`, `var:`: read at run time from elsewhere), Archy's "no value" marker, words about the
/// value.
fn not_the_value(key: &str) -> bool {
    matches!(key, "exp" | "var" | "noValue" | "description" | "type")
}

/// A flow variable's path (`Flow.accessToken`, `Task.apiKey`, `State.token`), as a data
/// action's output names where its value goes: no literal, though it may sit under a secret's
/// key.
fn is_variable_path(value: &str) -> bool {
    let Some((scope, rest)) = value.split_once('.') else {
        return false;
    };
    matches!(
        scope,
        "Flow" | "Task" | "State" | "Common" | "Memory" | "Slot" | "Session"
    ) && !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
}

/// The secret a flow variable's name announces: `Flow.apiKey`, `Task.password`,
/// `State.client_secret` (what follows the last `.`).
fn variable_secret(name: &str) -> Option<&str> {
    let (scope, var) = name.rsplit_once('.')?;
    (!scope.is_empty() && is_secret_key(var)).then_some(var)
}

/// Every literal secret in a flow's YAML: a value under a key that names a secret, at any depth
/// (`apiKey: "..."`, `apiKey:` + `lit: "..."`, a list of them, a block scalar), and a flow
/// variable's `initialValue` when its `name` names one. Values filled in at run time or by a
/// substitution (`{{api_key}}`) are stand-ins: masked, not reported.
pub fn secrets_in_flow(file: FileId, text: &str) -> Vec<Secret> {
    let mut found = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    // A variable's `name: Flow.apiKey` seen at this column: its `initialValue` sibling is the
    // secret's.
    let mut variable: Option<(usize, &str)> = None;
    let mut start = 0;
    while start < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |n| start + n);
        let line_range = start..end;
        start = end + 1;
        let raw = &text[line_range.clone()];
        // Tabs are no YAML indentation, but a broken flow's lines are read as they look.
        let indent = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let rest = raw[indent..].trim_end_matches('\r');
        if rest.trim().is_empty() {
            continue;
        }
        // Inside a block scalar every line is its text, a `#` too.
        let is_item = rest == "-" || rest.starts_with("- ");
        while let Some(o) = open.last() {
            let inside = indent > o.at || (indent == o.at && is_item && !o.block);
            if inside {
                break;
            }
            open.pop();
        }
        if let Some(o) = open.last().filter(|o| o.block) {
            if let Some(key) = o.secret {
                let trimmed = raw.trim_end_matches('\r').trim_end();
                let from = line_range.start + (raw.len() - raw.trim_start().len());
                let to = line_range.start + trimmed.len();
                found.push(secret_at(file, text, key, from..to));
            }
            continue;
        }
        if rest.starts_with('#') {
            continue;
        }
        let line = parse_line(text, line_range.start, indent);
        if variable.is_some_and(|(at, _)| line.content < at) {
            variable = None;
        }
        let within = open.last().and_then(|o| o.secret);
        match (within, line.key) {
            // Under a secret's key: every value is the secret's, but for what describes it.
            (Some(secret), key) => {
                let skip = key.is_some_and(not_the_value);
                if line.block {
                    let secret = (!skip).then_some(secret);
                    open.push(Open {
                        at: line.content,
                        secret,
                        block: true,
                    });
                } else if let Some(v) = line.value.filter(|_| !skip) {
                    found.push(secret_at(file, text, secret, v));
                } else if skip && key.is_some() {
                    // `exp:` with its expression on the lines under it.
                    open.push(Open {
                        at: line.content,
                        secret: None,
                        block: false,
                    });
                }
            }
            (None, Some(key)) => {
                let secret = match (is_secret_key(key), variable) {
                    (true, _) => Some(key),
                    (false, Some((at, var))) if key == "initialValue" && at == line.content => {
                        Some(var)
                    }
                    _ => None,
                };
                if key == "name" {
                    let name = line.value.as_ref().map(|v| &text[v.clone()]);
                    if let Some(var) = name.and_then(variable_secret) {
                        variable = Some((line.content, var));
                    }
                }
                match (secret, &line.value) {
                    (Some(secret), _) if line.block => open.push(Open {
                        at: line.content,
                        secret: Some(secret),
                        block: true,
                    }),
                    (Some(secret), Some(v)) => found.push(secret_at(file, text, secret, v.clone())),
                    (Some(secret), None) => open.push(Open {
                        at: line.content,
                        secret: Some(secret),
                        block: false,
                    }),
                    (None, _) if line.block => open.push(Open {
                        at: line.content,
                        secret: None,
                        block: true,
                    }),
                    (None, _) => {}
                }
            }
            (None, None) => {}
        }
    }
    found
}

/// Reads the line of `text` that starts at `start` (its first `indent` bytes are spaces).
fn parse_line(text: &str, start: usize, indent: usize) -> Line<'_> {
    let b = text.as_bytes();
    let end = memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |n| start + n);
    let mut i = start + indent;
    // `- - key: value`: every `- ` opens an item further in.
    while b.get(i) == Some(&b'-') && matches!(b.get(i + 1), Some(b' ')) {
        i += 2;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    let content = i - start;
    let (key, after) = match key_at(text, i, end) {
        Some((key, after)) => (Some(key), after),
        None => (None, i),
    };
    let (value, block) = value_at(text, after, end);
    Line {
        content,
        key,
        value,
        block,
    }
}

/// The mapping key at `i` (plain, `"double"` or `'single'` quoted) and where its value starts,
/// past the `:`.
fn key_at(text: &str, i: usize, end: usize) -> Option<(&str, usize)> {
    let b = text.as_bytes();
    let (key, after_key) = match b.get(i)? {
        q @ (b'"' | b'\'') => {
            let close = memchr::memchr(*q, &b[i + 1..end]).map(|n| i + 1 + n)?;
            (&text[i + 1..close], close + 1)
        }
        _ => {
            // A plain key ends at the first `: ` (or `:` ending the line).
            let mut j = i;
            loop {
                let colon = memchr::memchr(b':', &b[j..end]).map(|n| j + n)?;
                if matches!(b.get(colon + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r')) {
                    break (text[i..colon].trim_end(), colon);
                }
                j = colon + 1;
            }
        }
    };
    let mut k = after_key;
    while matches!(b.get(k), Some(b' ' | b'\t')) && k < end {
        k += 1;
    }
    let colon_ends = matches!(b.get(k + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'));
    (b.get(k) == Some(&b':') && k < end && colon_ends && !key.is_empty() && !key.contains(" #"))
        .then_some((key, k + 1))
}

/// The scalar value from `i` to the line's `end`: inside its quotes, or plain up to a comment;
/// `None` when there is none. The second half says it is a block scalar's indicator.
fn value_at(text: &str, i: usize, end: usize) -> (Option<Range<usize>>, bool) {
    let b = text.as_bytes();
    let mut i = i;
    while i < end && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    let line_end = if end > i && b[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    // An anchor or a tag before the value (`&key`, `!!str`) is not part of it.
    for _ in 0..2 {
        if i < line_end && matches!(b[i], b'&' | b'!') {
            while i < line_end && !matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
            while i < line_end && matches!(b[i], b' ' | b'\t') {
                i += 1;
            }
        }
    }
    if i >= line_end || b[i] == b'#' {
        return (None, false);
    }
    match b[i] {
        b'|' | b'>' => (None, true),
        // A flow mapping (`{lit: "..."}`) is the value whole, unless it is an expression's.
        b'{' => {
            let inner = &text[i + 1..line_end];
            let key = inner.split(':').next().unwrap_or("");
            let key = key.trim().trim_matches(['"', '\'']);
            match not_the_value(key) {
                true => (None, false),
                false => {
                    let close =
                        memchr::memrchr(b'}', &b[i..line_end]).map_or(line_end, |n| i + n + 1);
                    (non_empty(i..close), false)
                }
            }
        }
        b'"' => {
            // To the closing quote that no backslash escapes, or the line's end when open.
            let mut j = i + 1;
            while j < line_end && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            (non_empty(i + 1..j.min(line_end)), false)
        }
        b'\'' => {
            let mut j = i + 1;
            while j < line_end && !(b[j] == b'\'' && b.get(j + 1) != Some(&b'\'')) {
                j += if b[j] == b'\'' { 2 } else { 1 };
            }
            (non_empty(i + 1..j.min(line_end)), false)
        }
        _ => {
            let comment = memchr::memmem::find(&b[i..line_end], b" #").map_or(line_end, |n| i + n);
            let value = text[i..comment].trim_end();
            (non_empty(i..i + value.len()), false)
        }
    }
}

/// The secret `key`'s value at `r` of a flow's `text`.
fn secret_at(file: FileId, text: &str, key: &str, r: Range<usize>) -> Secret {
    let value = &text[r.clone()];
    let mut secret = Secret::new(key, value, Span::new(file, r));
    // A flow variable's path, or an alias of a value written elsewhere (`*key`), is no literal.
    secret.placeholder |= is_variable_path(value) || value.starts_with('*');
    secret.in_flow = true;
    secret
}

fn non_empty(r: Range<usize>) -> Option<Range<usize>> {
    (r.start < r.end).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (key, value, reported) of every secret found in `text`.
    fn found(text: &str) -> Vec<(String, &str, bool)> {
        let secrets = secrets_in_flow(FileId(0), text);
        assert!(secrets.iter().all(|s| s.in_flow && !s.in_comment));
        (secrets.iter())
            .map(|s| (s.key.clone(), &text[s.span.range()], !s.placeholder))
            .collect()
    }

    fn reported(key: &str, value: &'static str) -> (String, &'static str, bool) {
        (key.to_owned(), value, true)
    }

    #[test]
    fn a_secret_written_under_its_key_at_any_depth() {
        let flow = "\
inboundCall:
  name: Main
  tasks:
    - task:
        actions:
          - callData:
              category:
                Acme CRM:
                  dataAction:
                    Look up account:
                      inputs:
                        apiToken:
                          lit: \"Tk4vWq8ZmX2rTy6vBn\"
                        accountId:
                          exp: Call.Ani
                        client_secret:
                          exp: Flow.secret_from_elsewhere
                        password: 'Pw''9sQ2mZ9vK4tR8'
                        api_key:
                          - Ak1vWq8ZmX2rTy6vBn # the first
                          - \"Ak2vWq8ZmX2rTy6vBn\"
                        accessToken:
                          noValue: true
                      successOutputs:
                        sessionToken:
                          var: Flow.sessionToken
                        refreshToken: Flow.refreshToken
                      timeout:
                        lit:
                          minutes: 1
";
        assert_eq!(
            found(flow),
            [
                reported("apiToken", "Tk4vWq8ZmX2rTy6vBn"),
                reported("password", "Pw''9sQ2mZ9vK4tR8"),
                reported("api_key", "Ak1vWq8ZmX2rTy6vBn"),
                reported("api_key", "Ak2vWq8ZmX2rTy6vBn"),
                // Where an output goes: masked (it is under a secret's key), not reported.
                ("refreshToken".to_owned(), "Flow.refreshToken", false),
            ]
        );
    }

    #[test]
    fn a_variable_named_for_a_secret_has_its_initial_value_reported() {
        let flow = "\
workflow:
  variables:
    - stringVariable:
        name: Flow.apiKey
        initialValue:
          lit: Vk3vWq8ZmX2rTy6vBn
    - stringVariable:
        name: Flow.customerName
        initialValue:
          lit: Jane
    - stringVariable:
        initialValue:
          lit: NotAfterItsName
    - stringVariable:
        name: Task.client_secret
        initialValue:
          noValue: true
";
        assert_eq!(found(flow), [reported("apiKey", "Vk3vWq8ZmX2rTy6vBn")]);
    }

    #[test]
    fn stand_ins_and_substitutions_are_masked_not_reported() {
        let flow = "password: \"{{db_password}}\"\ntoken: your-token-here\n";
        assert_eq!(
            found(flow),
            [
                ("password".to_owned(), "{{db_password}}", false),
                ("token".to_owned(), "your-token-here", false),
            ]
        );
    }

    #[test]
    fn block_scalars_are_text_a_secret_s_whole_and_prose_elsewhere() {
        let flow = "\
description: |
  Set the password: below, never here.
  token: not a key
privateKey: |-
  -----BEGIN KEY-----
  Bk9vWq8ZmX2rTy6vBn
name: After
";
        assert_eq!(
            found(flow),
            [
                reported("privateKey", "-----BEGIN KEY-----"),
                reported("privateKey", "Bk9vWq8ZmX2rTy6vBn"),
            ]
        );
    }

    #[test]
    fn a_secret_s_scope_ends_where_its_indentation_does() {
        let flow = "\
inputs:
  secret:
    lit: Sc1vWq8ZmX2rTy6vBn
  customer:
    lit: Jane
outputs:
- password:
  - Pw2vWq8ZmX2rTy6vBn
- name: Kept
";
        assert_eq!(
            found(flow),
            [
                reported("secret", "Sc1vWq8ZmX2rTy6vBn"),
                reported("password", "Pw2vWq8ZmX2rTy6vBn"),
            ]
        );
        // A sequence may sit at its key's own indentation.
        let flow = "password:\n- Pw3vWq8ZmX2rTy6vBn\nname: Kept\n";
        assert_eq!(found(flow), [reported("password", "Pw3vWq8ZmX2rTy6vBn")]);
    }

    #[test]
    fn comments_quotes_and_line_ends() {
        let flow = "\
# password: in prose, not a value
\"client_secret\": Cs1vWq8ZmX2rTy6vBn   # trailing
token:\r\n  lit: \"Tk2v\\\"Wq8\"\r\n\
url: http://example.com:8080 # password: no
";
        assert_eq!(
            found(flow),
            [
                reported("client_secret", "Cs1vWq8ZmX2rTy6vBn"),
                reported("token", "Tk2v\\\"Wq8"),
            ]
        );
    }

    proptest::proptest! {
        /// On any text made of the pieces that matter (secret keys, indentation, items, quotes,
        /// comments, block indicators, CR, tabs, a multi-byte letter): every secret found is a
        /// non-empty part of one line, on character boundaries, and reading never panics.
        #[test]
        fn any_text_is_read_safely(pieces in proptest::collection::vec(proptest::sample::select(&[
            "password:", "apiKey: ", "  ", "- ", "lit: ", "\"", "'", "''", "\\", "x", "é", " #",
            "#", "|", ">-", "\n", "\r\n", "\t", "name: Flow.token\n", "initialValue:", "exp: ",
            ": ", "noValue: true", "{{a}}", "{", "}", "&a ", "*a", "!!str ", "{exp: x}",
        ][..]), 0..40)) {
            let text = pieces.concat();
            for s in secrets_in_flow(FileId(0), &text) {
                let r = s.span.range();
                proptest::prop_assert!(r.start < r.end && r.end <= text.len(), "{:?} in {:?}", r, text);
                let value = text.get(r.clone());
                proptest::prop_assert!(value.is_some_and(|v| !v.contains('\n')), "{:?} in {:?}", r, text);
            }
        }
    }

    #[test]
    fn flow_mappings_anchors_tags_and_aliases() {
        let flow = "\
apiKey: {lit: Fm1vWq8ZmX2rTy6vBn}
token: {exp: Flow.token}
secret: { \"var\": Flow.secret }
password: &pw !!str Pw5vWq8ZmX2rTy6vBn
client_secret: *pw
";
        assert_eq!(
            found(flow),
            [
                reported("apiKey", "{lit: Fm1vWq8ZmX2rTy6vBn}"),
                reported("password", "Pw5vWq8ZmX2rTy6vBn"),
                ("client_secret".to_owned(), "*pw", false),
            ]
        );
    }

    #[test]
    fn broken_yaml_is_read_as_far_as_it_goes() {
        // Unclosed quotes run to the line's end; a stray bracket stops nothing.
        let flow = "apiKey:\n  lit: \"Ak3vWq8ZmX2rTy6vBn\nname: [broken\npassword: 'Pw4vWq8\n";
        assert_eq!(
            found(flow),
            [
                reported("apiKey", "Ak3vWq8ZmX2rTy6vBn"),
                reported("password", "Pw4vWq8"),
            ]
        );
        // Indented with a tab, which YAML refuses: nested all the same.
        let flow = "token:\n\tlit: Tb1vWq8ZmX2rTy6vBn\nname: Kept\n";
        assert_eq!(found(flow), [reported("token", "Tb1vWq8ZmX2rTy6vBn")]);
    }
}
