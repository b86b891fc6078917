//! `hardcoded-secret`: a literal OAuth client secret, token or password in configuration.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::ir::{Body, Expr, ExprKind, TemplatePart};
use crate::source::{FileId, Span};
use crate::workspace::Item;

mod yaml;
pub use yaml::secrets_in_flow;

crate::declare_rule! {
    /// ## What it does
    /// Checks for literal secrets in `.tf`, `.tf.json` and `.tfvars` files, and in the Architect
    /// flow YAML that `genesyscloud_flow` resources upload: OAuth client secrets
    /// (`client_secret`, `oauthclient_secret`, an integration credential's `clientSecret`), access
    /// tokens, passwords and API keys written as plain strings, including as a variable's default,
    /// under any key that names one (`password`, or a key ending in `_password`, `_secret`,
    /// `_api_key`, `_access_token`...: `servicenow_password`, `classifier_api_key`), also when
    /// the org or environment follows (`oauthClientSecret_EMEA`, `client_secret_prod`).
    /// Literals are found wherever they are written: in an output, inside function calls
    /// (`merge(var.base, { clientSecret = "..." })`, `jsonencode({ client_secret = "..." })`,
    /// `sensitive("...")`), in either branch of a conditional, in a `for` expression. A string
    /// that a function does not return as its value (`lookup`'s key, `file`'s path) is masked but
    /// not reported.
    /// Every `*.tfvars` is scanned, also those Terraform reads only with `-var-file` (`lab.tfvars`,
    /// `envs/dev/terraform.tfvars`): they are committed all the same. So are commented-out
    /// assignments (`# client_secret = "..."`, the lines of a `/* */` block, a `.tf.json`
    /// comment property `"//": "client_secret = \"...\""`), and, in a file that
    /// cannot be parsed, every value whose key names a secret: a string (to its line's end when
    /// left open), a heredoc, and, masked but not reported, an unquoted value or the strings of
    /// an expression, and every value nested at any depth in an object or list under such a key
    /// (a plan's `"oauthclient_secret": {"value": "..."}`) or in an object marked
    /// `"sensitive": true` (a state's or a plan's output), but for its `type` and `description`.
    /// A `--state` file that cannot be parsed is masked alike. So is a `"key": "value"`
    /// pair in JSON written as a string (a data action's `request_template`): the whole string
    /// is masked, since its escapes make offsets in it differ from the file's. The finding shows where;
    /// cxlint never prints the value. Stand-ins are not reported (still masked):
    /// `"your-client-secret"`, `"PROVIDE_YOUR_SECRET"`, `"ENTER_SECRET_HERE"`,
    /// `"REPLACE_WITH_SECRET"`, `"some-api-key"`, the kind of secret alone (`"client_secret"`),
    /// `"XXXXXXXX"`, `"<token>"`, and values a data action fills in at run time
    /// (`$credentials.clientSecret`, `${input.token}`).
    /// In a flow, a value under such a key at any depth of indentation (a data action's input:
    /// `apiToken:`, then `lit: "..."`), and a flow variable's `initialValue` when its `name`
    /// names a secret (`Flow.apiKey`), also in a flow that cannot be parsed; not an `exp:` or a
    /// `var:`, which read the value at run time, a variable's path (a data action's output
    /// `accessToken: Flow.token`), nor a `{{placeholder}}` filled in by the flow's
    /// `substitutions`.
    ///
    /// ## Why is this bad?
    /// Anyone who can read the repository, its CI logs or its forks can act as the client on your
    /// org. Genesys client secrets do not expire on their own.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_integration_credential" "data_actions" {
    ///   name                 = "Data Actions"
    ///   credential_type_name = "pureCloudOAuthClient"
    ///   fields = {
    ///     clientId     = "3b2b1c2d-0000-4000-8000-000000000001"
    ///     clientSecret = "not-a-real-secret-but-a-literal"
    ///   }
    /// }
    /// ```
    /// Use instead: a sensitive variable, set from CI secrets (`TF_VAR_client_secret`).
    /// ```hcl
    /// variable "client_secret" {
    ///   sensitive = true
    /// }
    /// resource "genesyscloud_integration_credential" "data_actions" {
    ///   # ...
    ///   fields = {
    ///     clientId     = var.client_id
    ///     clientSecret = var.client_secret
    ///   }
    /// }
    /// ```
    HardcodedSecret, "CX301", "hardcoded-secret", Access, Error
}

impl Rule for HardcodedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for s in cx.secrets.iter().filter(|s| !s.placeholder) {
            let key = &s.key;
            out.push(match (s.in_comment, s.in_flow) {
                (false, false) => Diagnostic::at(&Self::META, format!("`{key}` is a literal secret"), s.span)
                    .label("secret value (redacted in cxlint's output)")
                    .help("move it to a sensitive variable set from your CI's secret store (`TF_VAR_...`), and rotate it: it is in the repository history"),
                (false, true) => Diagnostic::at(&Self::META, format!("`{key}` is a literal secret, in a flow"), s.span)
                    .label("secret value (redacted in cxlint's output)")
                    .help("keep it out of the file: a `{{placeholder}}` filled in from a sensitive variable by the `genesyscloud_flow`'s `substitutions`, or, for a data action, its integration's credential; and rotate it: it is in the repository history"),
                (true, _) => Diagnostic::at(&Self::META, format!("`{key}` is a literal secret, in a comment"), s.span)
                    .label("secret value (redacted in cxlint's output)")
                    .help("delete the line and rotate the secret: commented out, it is still in the repository and its history"),
            });
        }
    }
}

/// A literal string where a secret goes.
#[derive(Debug, Clone)]
pub struct Secret {
    /// The attribute or object key it is the value of.
    pub key: String,
    /// The value.
    pub span: Span,
    /// It reads as a stand-in (`"your-client-secret"`, `"XXXXXXXX"`, a data action's
    /// `$credentials.clientSecret`): not reported, but redacted all the same, since a heuristic
    /// must never be why a real secret is shown.
    pub placeholder: bool,
    /// Written in a comment: a commented-out assignment (`# client_secret = "..."`).
    pub in_comment: bool,
    /// Written in an Architect flow's YAML.
    pub in_flow: bool,
}

impl Secret {
    fn new(key: &str, value: &str, span: Span) -> Self {
        Self::masked(key, span, is_placeholder(value))
    }

    fn masked(key: &str, span: Span, placeholder: bool) -> Self {
        Secret {
            key: key.to_owned(),
            span,
            placeholder,
            in_comment: false,
            in_flow: false,
        }
    }
}

/// Secrets in commented-out assignments: `# client_secret = "..."`, `// "clientSecret": "..."`,
/// and the lines of a `/* */` block. Terraform ignores them, but they are in the repository all
/// the same, and a finding's snippet could show them. `comments` are the file's
/// ([`crate::ir::ConfigFile::comments`]); called while the text is at hand, during the parse.
pub fn secrets_in_comments(
    file: FileId,
    text: &str,
    comments: &[std::ops::Range<u32>],
) -> Vec<Secret> {
    let mut found = Vec::new();
    for r in comments {
        let range = r.start as usize..(r.end as usize).min(text.len());
        assignments_in(file, text, range, true, &mut found);
    }
    found
}

/// Secrets in a file that could not be parsed, found by their shape alone (`key = "value"`,
/// `"key": "value"`): the parse error's snippet shows the lines around it, and the secrets on
/// them must be masked like any other.
pub fn secrets_in_unparsed(file: FileId, text: &str) -> Vec<Secret> {
    let mut found = Vec::new();
    assignments_in(file, text, 0..text.len(), false, &mut found);
    nested_secrets(file, text, &mut found);
    // Both passes can find one value (`{"password": {"x": "..."}}` on one line): kept once,
    // as a finding if either reports it.
    found.sort_by_key(|s| (s.span, s.placeholder));
    found.dedup_by_key(|s| s.span);
    found
}

/// Keys of a member that describes a value marked sensitive rather than holding it: a
/// Terraform output's `"type": "string"`, a plan's `"actions": ["update"]`, a variable's
/// `description`.
fn describes_a_value(key: &str) -> bool {
    matches!(key, "type" | "actions" | "description")
}

/// Keys whose `true` marks the object they are in as holding a secret: outputs and variables
/// (`"sensitive": true` in a state, a plan, HCL), an output's change in a plan
/// (`"after_sensitive": true`).
fn marks_sensitive(key: &str) -> bool {
    matches!(key, "sensitive" | "before_sensitive" | "after_sensitive")
}

/// Strings in a file that could not be parsed that are secrets by where they are, not by a key
/// of their own: every value nested, at any depth, in an object or list that is a secret key's
/// value (`"oauthclient_secret": {"value": "..."}` in a plan's variables, `client_secret = {
/// prod = "..." }`), and every value in an object marked sensitive (`{"value": "...", "type":
/// "string", "sensitive": true}`, a state's output); in either, the members that describe the
/// value ([`describes_a_value`]) are left as written. Masked, not reported. The file is broken, truncated most often:
/// whatever is there is read, as brackets and strings, in one pass; an object left open ends
/// with the text. A sensitive mark can follow the value (a state writes `value` first), so an
/// object's strings are held until it closes; each is held once and then masked or let go.
fn nested_secrets(file: FileId, text: &str, out: &mut Vec<Secret>) {
    /// The member being read: the key before the last `:` or `=`, until a `,` or the line's end.
    #[derive(Clone, Copy)]
    struct Member<'t> {
        key: &'t str,
        secret: bool,
        describes: bool,
    }
    /// An open `{`, `[` or `(` (or the file itself).
    struct Frame<'t> {
        /// The member it is the value of.
        name: Option<&'t str>,
        /// The secret's key it is nested under: everything in it is a secret, except what
        /// describes the value (`"oauthclient_secret": {"value": "...", "type": "string"}`).
        secret: Option<&'t str>,
        /// It is that key's value itself, whose members can describe it.
        secret_root: bool,
        member: Option<Member<'t>>,
        sensitive: bool,
        /// Where its strings start in `held`.
        held_from: usize,
        /// The depth of the frame whose describing member (`type`) it is nested in: its strings
        /// are not that frame's value.
        describes: Option<usize>,
    }
    /// A string held until the frames it is in close: (start, end, depth of `describes`).
    type Held = (u32, u32, u32);
    const NOT_DESCRIBING: u32 = u32::MAX;

    let b = text.as_bytes();
    let root = Frame {
        name: None,
        secret: None,
        secret_root: false,
        member: None,
        sensitive: false,
        held_from: 0,
        describes: None,
    };
    let mut stack = vec![root];
    let mut held: Vec<Held> = Vec::new();
    let to_u32 = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    let mask = |out: &mut Vec<Secret>, key: &str, r: std::ops::Range<usize>| {
        out.push(Secret::masked(key, Span::new(file, r), true));
    };
    // A value read in the innermost frame: a secret at once, or held for a sensitive mark.
    let value = |stack: &[Frame],
                 held: &mut Vec<Held>,
                 out: &mut Vec<Secret>,
                 r: std::ops::Range<usize>| {
        let depth = stack.len() - 1;
        let top = &stack[depth];
        let describing = top.member.is_some_and(|m| m.describes);
        if let Some(key) = top.secret.filter(|_| !(top.secret_root && describing)) {
            mask(out, key, r);
            return;
        }
        let describes = match top.member {
            Some(m) if m.describes => Some(depth),
            _ => top.describes,
        };
        held.push((
            to_u32(r.start),
            to_u32(r.end),
            describes.map_or(NOT_DESCRIBING, to_u32),
        ));
    };
    // Closes the innermost frame: a sensitive one masks the strings it holds.
    let close = |stack: &mut Vec<Frame>, held: &mut Vec<Held>, out: &mut Vec<Secret>| {
        let depth = stack.len() - 1;
        let f = stack.pop().expect("never called on an empty stack");
        if f.sensitive {
            let key = f.name.unwrap_or("sensitive value");
            for (start, end, describes) in held.drain(f.held_from..) {
                if describes != to_u32(depth) {
                    mask(out, key, start as usize..end as usize);
                }
            }
        }
    };

    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let (r, next) = string_at(b, i);
                i = next;
                // A key (`"client_secret":`) is no value: the operator after it is read next.
                let mut j = next;
                while j < b.len() && matches!(b[j], b' ' | b'\t') {
                    j += 1;
                }
                if !(j < b.len() && is_assignment(b, j)) {
                    value(&stack, &mut held, out, r);
                }
            }
            b'{' | b'[' | b'(' => {
                let depth = stack.len() - 1;
                let top = &stack[depth];
                let member = top.member;
                let describing = member.is_some_and(|m| m.describes);
                let frame = Frame {
                    name: member.map(|m| m.key),
                    secret: match top.secret_root && describing {
                        true => None,
                        false => (top.secret).or(member.filter(|m| m.secret).map(|m| m.key)),
                    },
                    secret_root: top.secret.is_none() && member.is_some_and(|m| m.secret),
                    member: None,
                    sensitive: false,
                    held_from: held.len(),
                    describes: match member {
                        Some(m) if m.describes => Some(depth),
                        _ => top.describes,
                    },
                };
                stack.push(frame);
                i += 1;
            }
            b'}' | b']' | b')' => {
                // A closing bracket that matches no open one (the file is broken) closes the
                // innermost, never the file.
                if stack.len() > 1 {
                    close(&mut stack, &mut held, out);
                }
                i += 1;
            }
            b':' | b'=' if is_assignment(b, i) => {
                if let Some(key) = key_before(text, i) {
                    stack.last_mut().expect("the file's frame").member = Some(Member {
                        key,
                        secret: is_secret_key(key),
                        describes: describes_a_value(key),
                    });
                }
                i += 1;
            }
            b',' | b'\n' => {
                stack.last_mut().expect("the file's frame").member = None;
                i += 1;
            }
            // Comments: their quotes and brackets are prose.
            b'#' => i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n),
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |n| i + n)
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |n| i + 2 + n + 2)
            }
            b'<' if b.get(i + 1) == Some(&b'<') => match heredoc_body(text, i, b.len()) {
                Some(body) => {
                    i = body.end.max(i + 2);
                    if !body.is_empty() {
                        value(&stack, &mut held, out, body);
                    }
                }
                None => i += 2,
            },
            c if is_name_byte(c) => {
                let start = i;
                while i < b.len()
                    && !b[i].is_ascii_whitespace()
                    && !matches!(
                        b[i],
                        b',' | b'}' | b']' | b')' | b'{' | b'[' | b'(' | b'#' | b'=' | b':' | b'"'
                    )
                {
                    i += 1;
                }
                let word = &text[start..i];
                let top = stack.last_mut().expect("the file's frame");
                if word == "true" && top.member.is_some_and(|m| marks_sensitive(m.key)) {
                    top.sensitive = true;
                } else if top.secret.is_some() && is_bare_value(word) {
                    // `client_secret = { prod = aB3dE7fG }`: a secret written without quotes,
                    // unless it is a key or a function's name.
                    let mut j = i;
                    while j < b.len() && matches!(b[j], b' ' | b'\t') {
                        j += 1;
                    }
                    if !(j < b.len() && (is_assignment(b, j) || b[j] == b'(')) {
                        value(&stack, &mut held, out, start..i);
                    }
                }
            }
            _ => i += 1,
        }
    }
    // What is left open ends with the text.
    while !stack.is_empty() {
        close(&mut stack, &mut held, out);
    }
}

/// Whether the `:` or `=` at `i` assigns (`key = value`, `"key": value`), not compares or maps
/// (`==`, `!=`, `<=`, `>=`, `=>`).
fn is_assignment(b: &[u8], i: usize) -> bool {
    match b[i] {
        b':' => true,
        b'=' => {
            let compares = matches!(b.get(i + 1), Some(b'=' | b'>'))
                || (i > 0 && matches!(b[i - 1], b'=' | b'!' | b'<' | b'>'));
            !compares
        }
        _ => false,
    }
}

/// The string whose opening quote is at `at`: the range inside its quotes (to its line's end
/// when left open) and where reading goes on. An HCL template's interpolations are read
/// through, with the strings inside them (`"${lookup(var.m, "k")}"`), so that their quotes
/// do not end it.
fn string_at(b: &[u8], at: usize) -> (std::ops::Range<usize>, usize) {
    let mut j = at + 1;
    let mut depth = 0usize;
    while j < b.len() {
        match b[j] {
            b'\n' => return (at + 1..j, j),
            b'\\' => j += 2,
            b'"' if depth == 0 => return (at + 1..j, j + 1),
            b'"' => {
                j += 1;
                while j < b.len() && !matches!(b[j], b'"' | b'\n') {
                    j += 1 + usize::from(b[j] == b'\\');
                }
                j += usize::from(b.get(j) == Some(&b'"'));
            }
            // `$${` and `%%{` are written for a literal `${` and `%{`.
            b'$' | b'%' if b.get(j + 1) == Some(&b[j]) => j += 2,
            b'$' | b'%' if b.get(j + 1) == Some(&b'{') => {
                depth += 1;
                j += 2;
            }
            b'{' if depth > 0 => {
                depth += 1;
                j += 1;
            }
            b'}' if depth > 0 => {
                depth -= 1;
                j += 1;
            }
            _ => j += 1,
        }
    }
    (at + 1..b.len(), b.len())
}

/// Every `key = value` or `"key": value` in `text[range]` whose key names a secret.
fn assignments_in(
    file: FileId,
    text: &str,
    range: std::ops::Range<usize>,
    in_comment: bool,
    out: &mut Vec<Secret>,
) {
    let b = text.as_bytes();
    let Some(part) = b.get(range.clone()) else {
        return;
    };
    for op in memchr::memchr2_iter(b'=', b':', part).map(|i| range.start + i) {
        let Some(key) = key_before(text, op).filter(|k| is_secret_key(k)) else {
            continue;
        };
        match value_after(text, op, range.end) {
            Some(value) => {
                let value_text = &text[value.clone()];
                if !value_text.trim().is_empty() {
                    let mut secret = Secret::new(key, value_text, Span::new(file, value));
                    secret.in_comment = in_comment;
                    out.push(secret);
                }
            }
            // A file that could not be parsed is shown as written beside its error, whatever
            // follows a secret's key: an unquoted value, a call or a conditional with the
            // secret inside. Masked, not reported: without the syntax, which of its parts is
            // the value cannot be told. A comment's prose is left alone (`# password: see
            // the vault`).
            None if !in_comment => {
                for r in values_in_expression(text, op + 1) {
                    out.push(Secret::masked(key, Span::new(file, r), true));
                }
            }
            None => {}
        }
    }
}

/// The key before the `=` or `:` at `op`, on its line: `key = `, `"key": `, and `\"key\": `
/// inside a JSON string (a `"//"` comment of a `.tf.json` file).
fn key_before(text: &str, op: usize) -> Option<&str> {
    let b = text.as_bytes();
    let mut k = op;
    while k > 0 && matches!(b[k - 1], b' ' | b'\t') {
        k -= 1;
    }
    let quoted = k > 0 && b[k - 1] == b'"';
    let mut key_end = k - usize::from(quoted);
    if quoted && key_end > 0 && b[key_end - 1] == b'\\' {
        key_end -= 1;
    }
    let mut key_start = key_end;
    while key_start > 0 && is_name_byte(b[key_start - 1]) {
        key_start -= 1;
    }
    if key_start == key_end || (quoted && (key_start == 0 || b[key_start - 1] != b'"')) {
        return None;
    }
    Some(&text[key_start..key_end])
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// The literal value after the `=` or `:` at `op`, read no further than `limit`: a quoted
/// string (the range inside its quotes), also escaped inside a JSON string (`\"v\"`), or a
/// heredoc's lines. A string left open, as in a file that fails to parse for it, runs to its
/// line's end: the snippet beside the parse error shows that line.
fn value_after(text: &str, op: usize, limit: usize) -> Option<std::ops::Range<usize>> {
    let b = &text.as_bytes()[..limit.min(text.len())];
    let mut v = op + 1;
    while v < b.len() && matches!(b[v], b' ' | b'\t') {
        v += 1;
    }
    if b[v..].starts_with(b"<<") {
        return heredoc_body(text, v, b.len());
    }
    let escaped = b.get(v) == Some(&b'\\');
    v += usize::from(escaped);
    if b.get(v) != Some(&b'"') {
        return None;
    }
    let value_start = v + 1;
    // To the closing quote, on the same line. Not to the line's end first: a minified state is
    // one line, and each of its values would scan the rest of it.
    let mut from = value_start;
    let end = loop {
        let Some(q) = memchr::memchr2(b'"', b'\n', &b[from..]).map(|i| from + i) else {
            // The end of the comment that holds an escaped value is the end of its JSON
            // string: the value has no end. Any other runs to the limit, a line's end.
            match escaped {
                true => return None,
                false => break b.len(),
            }
        };
        match b[q] {
            b'\n' => break q,
            // An escaped quote ends an escaped value, and is part of any other.
            _ if q > value_start && b[q - 1] == b'\\' => match escaped {
                true => break q - 1,
                false => from = q + 1,
            },
            // The end of the JSON string that holds an escaped value: it has no end.
            _ if escaped => return None,
            _ => break q,
        }
    };
    Some(value_start..end)
}

/// The lines of the heredoc whose `<<MARKER` or `<<-MARKER` is at `at`, to the line holding the
/// marker alone (indented or not) or, left open, to `limit`.
fn heredoc_body(text: &str, at: usize, limit: usize) -> Option<std::ops::Range<usize>> {
    let b = &text.as_bytes()[..limit];
    let mut m = at + 2;
    m += usize::from(b.get(m) == Some(&b'-'));
    let marker_start = m;
    while m < b.len() && is_name_byte(b[m]) {
        m += 1;
    }
    let marker = &text[marker_start..m];
    if marker.is_empty() {
        return None;
    }
    let start = m + memchr::memchr(b'\n', &b[m..])? + 1;
    let mut line = start;
    while line < b.len() {
        let eol = memchr::memchr(b'\n', &b[line..]).map_or(b.len(), |i| line + i);
        if text[line..eol].trim() == marker {
            return Some(start..line);
        }
        line = eol + 1;
    }
    Some(start..b.len())
}

/// What could hold a secret in the expression from `from`, in a file that could not be parsed:
/// every quoted string (to the line's end if left open), and the first word when it is written
/// bare (`password = hunter2`), which Terraform would read as a name, but is no reference
/// (`var.x`), call, keyword or number. The expression ends at its line's end, a comment, or a
/// `,` or closing bracket outside its own brackets: a minified state is one line, and the
/// values after this one are not this key's.
fn values_in_expression(text: &str, from: usize) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = from;
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    let word_end = (i..b.len())
        .find(|&j| b[j].is_ascii_whitespace() || matches!(b[j], b',' | b'}' | b']' | b')' | b'#'))
        .unwrap_or(b.len());
    if is_bare_value(&text[i..word_end]) {
        found.push(i..word_end);
    }
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < b.len() && !matches!(b[j], b'"' | b'\n') {
                    j += 1 + usize::from(b[j] == b'\\');
                }
                let close = j.min(b.len());
                if close > start {
                    found.push(start..close);
                }
                i = close + 1;
                if b.get(close) != Some(&b'"') {
                    break;
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b',' | b')' | b']' | b'}' if depth == 0 => break,
            b')' | b']' | b'}' => {
                depth -= 1;
                i += 1;
            }
            // The rest of the line is a comment.
            b'\n' | b'#' => break,
            b'/' if b.get(i + 1) == Some(&b'/') => break,
            _ => i += 1,
        }
    }
    found
}

/// Whether `word`, written where a value goes, is one that is no reference (`var.x`,
/// `genesyscloud_oauth_client.c.secret`), call, keyword, number or the start of a string,
/// list or object: a secret written without quotes.
fn is_bare_value(word: &str) -> bool {
    let is_reference = word.split_once('.').is_some_and(|(root, rest)| {
        !root.is_empty()
            && !rest.is_empty()
            && (root.bytes()).all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
    });
    !word.is_empty()
        && !is_reference
        && !word.contains(['(', '"', '{', '[', '<'])
        && !matches!(word, "true" | "false" | "null")
        && word.parse::<f64>().is_err()
}

/// Every literal secret in the configuration, with the span of its value. Also used to redact the
/// source text before any report is rendered, whether or not this rule is enabled.
pub fn find_secrets(ws: &crate::workspace::Workspace) -> Vec<Secret> {
    use rayon::prelude::*;
    let mut found: Vec<Secret> = (ws.par_items())
        .flat_map_iter(|(_, item)| {
            let mut found = Vec::new();
            match item {
                Item::Variable(name, v) => {
                    if let Some(d) = v.body.attr("default") {
                        scan_attr(v.file(), name, &d.expr, &mut found);
                    }
                }
                Item::Local(l) => scan_attr(l.file, &l.attr.name.name, &l.attr.expr, &mut found),
                // Bodies are released only once the model is built, after this scan (check.rs).
                Item::Resource(r) => {
                    if let Some(body) = r.body() {
                        scan_body(r.file, &body, &mut found)
                    }
                    for o in r.overlays() {
                        scan_body(o.file, &o.body, &mut found)
                    }
                }
                // An output's value is most often a reference, but a literal written there
                // (`value = jsonencode({ client_secret = "..." })`) is in the repository too.
                Item::ModuleCall(b) | Item::Output(b) | Item::Other(b) => {
                    scan_body(b.file(), &b.body, &mut found)
                }
            }
            found
        })
        .collect();
    for v in ws.tfvars.values().flatten().chain(&ws.unapplied_tfvars) {
        scan_attr(v.file, &v.name, &v.expr, &mut found);
    }
    for v in &ws.cli_vars[ws.env_var_count.min(ws.cli_vars.len())..] {
        // `--var-file` contents (command-line `--var` values have no file to point at).
        if v.file != FileId::NONE {
            scan_attr(v.file, &v.name, &v.expr, &mut found);
        }
    }
    found.sort_by_key(|s| s.span);
    found
}

/// Keys whose literal string values are secrets (compared lowercase, without `_` and `-`).
const SECRET_KEYS: &[&str] = &["secret", "password", "token", "apikey"];

/// Endings that make a key a secret's (compared as [`SECRET_KEYS`]): `sn_password`,
/// `integration_creds_client_secret`, `servicenow_api_key`, as variables and `tfvars` name
/// them. `token` alone is not one: `next_page_token` and the like are not secrets.
const SECRET_SUFFIXES: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "apikey",
    "privatekey",
    "accesstoken",
    "refreshtoken",
    "bearertoken",
    "authtoken",
    "apitoken",
    // `outbound_notification_webhook_signature_secret_token` (an open messaging integration's).
    "secrettoken",
    // Salesforce's security token (`securityToken` in a Salesforce integration's credentials),
    // an AWS session token.
    "securitytoken",
    "sessiontoken",
];

/// Is `key` the name of a secret (compared lowercase, without `_` and `-`)?
pub fn is_secret_key(key: &str) -> bool {
    is_secret_key_end(key) || is_qualified_secret_key(key)
}

/// The names of [`SECRET_KEYS`] and [`SECRET_SUFFIXES`].
fn is_secret_key_end(key: &str) -> bool {
    // Called for every attribute of every file (2% of a check when written as iterator
    // comparisons): normalise the key's end once, on the stack. Every name compared is
    // shorter than `TAIL`.
    const TAIL: usize = 16;
    // Every name ends in one of these pairs (`secret`, `password`, `passwd`, `token`, `apikey`):
    // most keys (`name`, `division_id`) are decided by their last two letters.
    let mut from_end = (key.bytes().rev())
        .filter(|b| *b != b'_' && *b != b'-')
        .map(|b| b.to_ascii_lowercase());
    let (last, before) = (from_end.next(), from_end.next());
    if !matches!(
        (before, last),
        (Some(b'e'), Some(b't' | b'n' | b'y')) | (Some(b'r' | b'w'), Some(b'd'))
    ) {
        return false;
    }
    let mut tail = [0u8; TAIL];
    let mut n = 0;
    for b in key.bytes().rev().filter(|b| *b != b'_' && *b != b'-') {
        if n == TAIL {
            n += 1; // longer than any exact name
            break;
        }
        tail[TAIL - 1 - n] = b.to_ascii_lowercase();
        n += 1;
    }
    let end = &tail[TAIL - n.min(TAIL)..];
    (n <= TAIL && SECRET_KEYS.iter().any(|k| k.as_bytes() == end))
        || SECRET_SUFFIXES.iter().any(|k| end.ends_with(k.as_bytes()))
}

/// A secret's key followed by the org or environment it is for: `oauthClientSecret_ASSE`,
/// `client_secret_prod`, `clientSecretProd`, `password2`, as repositories that manage several
/// orgs name them. The words after the secret's must all be such qualifiers: `secret_name`,
/// `password_policy` and `SECRET_ARN` are not secrets.
fn is_qualified_secret_key(key: &str) -> bool {
    // Most keys are nothing like it: decided without splitting them, in one pass that looks
    // further only at an `s` or a `p` (called for every attribute of every file and state).
    let b = key.as_bytes();
    let names_one = (0..b.len()).any(|i| match b[i] | 0x20 {
        b's' => b
            .get(i..i + 6)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"secret")),
        b'p' => b
            .get(i..i + 5)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"passw")),
        _ => false,
    });
    if !names_one {
        return false;
    }
    let words = words_of(key);
    let Some(at) = (words.iter()).rposition(|w| {
        matches!(
            w.to_ascii_lowercase().as_str(),
            "secret" | "password" | "passwd" | "apikey"
        )
    }) else {
        return false;
    };
    let after = &words[at + 1..];
    // A word in capitals is an org's or a team's code only where the key has lower case too:
    // in `CLIENT_SECRET_NAME` it says nothing.
    let mixed_case = key.bytes().any(|b| b.is_ascii_lowercase());
    let qualifier = |w: &&str| {
        let lower = w.to_ascii_lowercase();
        let env = matches!(
            lower.as_str(),
            "prod"
                | "production"
                | "prd"
                | "dev"
                | "development"
                | "test"
                | "testing"
                | "qa"
                | "uat"
                | "stage"
                | "staging"
                | "stg"
                | "sandbox"
                | "lab"
                | "live"
                | "preprod"
                | "nonprod"
                | "sit"
                | "demo"
                | "dr"
                | "primary"
                | "secondary"
                | "new"
                | "old"
        );
        let code = mixed_case && w.len() <= 6 && w.bytes().all(|b| b.is_ascii_uppercase());
        env || w.bytes().all(|b| b.is_ascii_digit()) || code && !is_attribute_word(&lower)
    };
    !after.is_empty() && after.iter().all(qualifier)
}

/// Words that say what about a secret a key holds, not whose it is.
fn is_attribute_word(w: &str) -> bool {
    matches!(
        w,
        "name"
            | "id"
            | "ids"
            | "arn"
            | "path"
            | "file"
            | "ref"
            | "key"
            | "type"
            | "var"
            | "env"
            | "url"
            | "uri"
            | "hash"
            | "len"
            | "min"
            | "max"
            | "field"
            | "label"
            | "store"
    )
}

/// The words of a key: split at `_`, `-`, `.`, and where a capital follows a lower-case letter or
/// a letter meets a digit (`clientSecretProd` -> `client`, `Secret`, `Prod`; `password2` ->
/// `password`, `2`).
fn words_of(key: &str) -> Vec<&str> {
    let b = key.as_bytes();
    let mut words = Vec::new();
    let mut start = 0;
    for i in 0..=b.len() {
        let split = i == b.len()
            || matches!(b[i], b'_' | b'-' | b'.')
            || (i > start
                && ((b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase())
                    || (b[i].is_ascii_digit() != b[i - 1].is_ascii_digit())));
        if split {
            if i > start {
                words.push(&key[start..i]);
            }
            start = if i < b.len() && matches!(b[i], b'_' | b'-' | b'.') {
                i + 1
            } else {
                i
            };
        }
    }
    words
}

/// A body written in `file`, and its nested blocks.
fn scan_body(file: FileId, body: &Body, out: &mut Vec<Secret>) {
    for a in &body.attrs {
        scan_attr(file, &a.name.name, &a.expr, out);
    }
    for b in &body.blocks {
        scan_body(file, &b.body, out);
    }
}

/// The secrets in `e`, the value of `key`: its literal if `key` names a secret, else those of
/// the objects and JSON strings anywhere inside it (see [`scan_value`]).
fn scan_attr(file: FileId, key: &str, e: &Expr, out: &mut Vec<Secret>) {
    if is_secret_key(key) {
        literal(file, e, key, true, out);
        return;
    }
    if key.eq_ignore_ascii_case("authorization") {
        if let ExprKind::String(s) = &e.kind {
            let lower = s.to_ascii_lowercase();
            if (lower.starts_with("bearer ") || lower.starts_with("basic ")) && s.len() > 12 {
                out.push(Secret::new(key, s, e.span.in_file(file)));
            }
        }
    }
    scan_value(file, e, out);
}

/// The secrets inside `e`, the value of a key that names none: those of the objects and JSON
/// strings anywhere in it. Function calls, conditionals, `for` expressions and templates are
/// walked whatever they are (`merge(var.base, {...})`, `jsonencode({...})`,
/// `cond ? {...} : {...}`): a literal is in the repository wherever it is written. Parentheses
/// are not in the syntax tree (see `load::hcl`).
fn scan_value(file: FileId, e: &Expr, out: &mut Vec<Secret>) {
    match &e.kind {
        // JSON written as a string (a data action's request template): its secrets are in the
        // repository as much as an attribute's.
        ExprKind::String(text) if memchr::memchr(b'"', text.as_bytes()).is_some() => {
            embedded(text, e.span.in_file(file), out)
        }
        ExprKind::Template(parts) => {
            if let Some(text) = template_text_with_quotes(parts) {
                embedded(&text, e.span.in_file(file), out);
            }
            template_exprs(parts, &mut |x| scan_value(file, x, out));
        }
        ExprKind::Object(fields) => scan_fields(file, fields, out),
        ExprKind::For(f) => {
            scan_value(file, &f.collection, out);
            // `{ for ... : "client_secret" => "..." }` names the key it makes.
            match f.key_expr.as_ref().map(|k| &k.kind) {
                Some(ExprKind::String(k)) => scan_attr(file, k, &f.value_expr, out),
                _ => scan_value(file, &f.value_expr, out),
            }
        }
        ExprKind::Array(items) => items.iter().for_each(|i| scan_value(file, i, out)),
        ExprKind::Call(c) => c.args.iter().for_each(|a| scan_value(file, a, out)),
        ExprKind::Conditional(p) => p.iter().for_each(|x| scan_value(file, x, out)),
        ExprKind::Binary(_, p) => p.iter().for_each(|x| scan_value(file, x, out)),
        ExprKind::Unary(_, x) => scan_value(file, x, out),
        // `{ client_secret = "..." }.client_secret`; an index is a key, not a value.
        ExprKind::Traversal(t) => scan_value(file, &t.root, out),
        ExprKind::Null
        | ExprKind::Bool(_)
        | ExprKind::Number(_)
        | ExprKind::String(_)
        | ExprKind::Variable(_)
        | ExprKind::Path(_)
        | ExprKind::Unsupported(_) => {}
    }
}

/// An object's fields, each under its own key.
fn scan_fields(file: FileId, fields: &[(Expr, Expr)], out: &mut Vec<Secret>) {
    for (k, v) in fields {
        if let Some(name) = field_name(k) {
            scan_attr(file, name, v, out);
        }
    }
}

/// An object key written as a name or a plain string.
fn field_name(k: &Expr) -> Option<&str> {
    match &k.kind {
        ExprKind::String(s) => Some(s),
        ExprKind::Variable(s) => Some(s),
        _ => None,
    }
}

/// Secrets in a string that holds `"key": "value"` pairs (`{"client_secret": "..."}`). Offsets
/// in the string are not offsets in the file (escapes), so the whole string is the secret's span
/// and is masked whole; stand-ins (`"${credentials.clientSecret}"`) are passed over, so that a
/// template filled in at run time stays readable in snippets.
fn embedded(text: &str, span: Span, out: &mut Vec<Secret>) {
    for op in memchr::memchr_iter(b':', text.as_bytes()) {
        let Some(key) = key_before(text, op).filter(|k| is_secret_key(k)) else {
            continue;
        };
        let Some(value) = value_after(text, op, text.len()) else {
            continue;
        };
        let value = &text[value];
        if !value.trim().is_empty() && !is_placeholder(value) {
            out.push(Secret::new(key, value, span));
        }
    }
}

/// The literal text of a template, each interpolation and directive written `${}` (a value
/// filled in later: see [`is_placeholder`]); `None` unless it has a quote, as JSON would (most
/// templates are names, `"${var.env}-queue"`, and are not copied).
fn template_text_with_quotes(parts: &[TemplatePart]) -> Option<String> {
    fn has_quote(parts: &[TemplatePart]) -> bool {
        parts.iter().any(|p| match p {
            TemplatePart::Literal(s) => s.contains('"'),
            TemplatePart::Interpolation(_) => false,
            TemplatePart::If(d) => has_quote(&d.then) || has_quote(&d.otherwise),
            TemplatePart::For(d) => has_quote(&d.body),
        })
    }
    fn write(parts: &[TemplatePart], out: &mut String) {
        for p in parts {
            match p {
                TemplatePart::Literal(s) => out.push_str(s),
                TemplatePart::Interpolation(_) => out.push_str("${}"),
                TemplatePart::If(d) => {
                    write(&d.then, out);
                    write(&d.otherwise, out);
                }
                TemplatePart::For(d) => write(&d.body, out),
            }
        }
    }
    has_quote(parts).then(|| {
        let mut text = String::new();
        write(parts, &mut text);
        text
    })
}

/// Whether a template has text of its own, not only interpolations and blanks.
fn has_text(parts: &[TemplatePart]) -> bool {
    parts.iter().any(|p| match p {
        TemplatePart::Literal(s) => !s.trim().is_empty(),
        TemplatePart::Interpolation(_) => false,
        TemplatePart::If(d) => has_text(&d.then) || has_text(&d.otherwise),
        TemplatePart::For(d) => has_text(&d.body),
    })
}

/// The expressions of a template: interpolations, and directives' conditions and collections.
fn template_exprs<'a>(parts: &'a [TemplatePart], f: &mut impl FnMut(&'a Expr)) {
    for p in parts {
        match p {
            TemplatePart::Literal(_) => {}
            TemplatePart::Interpolation(x) => f(x),
            TemplatePart::If(d) => {
                f(&d.cond);
                template_exprs(&d.then, f);
                template_exprs(&d.otherwise, f);
            }
            TemplatePart::For(d) => {
                f(&d.collection);
                template_exprs(&d.body, f);
            }
        }
    }
}

/// The literals `e` can evaluate to, as the value of `key`, which names a secret: the
/// expression itself, either branch of a conditional, a `for`'s values, a list's items, and the
/// arguments a function returns unchanged or decoded (see [`passes_through`]). With `report`
/// false, or in any other argument (`file("token.txt")`, `lookup`'s key, `format`'s pattern),
/// a literal is masked but not reported: it may be no secret, but a heuristic must never be why
/// one is shown.
fn literal(file: FileId, e: &Expr, key: &str, report: bool, out: &mut Vec<Secret>) {
    let span = e.span.in_file(file);
    match &e.kind {
        ExprKind::String(s) if !s.trim().is_empty() => out.push(match report {
            true => Secret::new(key, s, span),
            false => Secret::masked(key, span, true),
        }),
        // A secret written without quotes (`client_secret = aB3dE7fG`) is a bare name to
        // Terraform, which `unresolved-reference` reports; it is still a secret to mask.
        ExprKind::Variable(_) => out.push(Secret::masked(key, span, true)),
        // `"Zk9x${var.suffix}"`: part of a secret is written. Masked whole, never reported (the
        // rest is filled in later: see `is_placeholder`); `"${var.secret}"` is left as it is.
        ExprKind::Template(parts) if has_text(parts) => out.push(Secret::masked(key, span, true)),
        ExprKind::Template(parts) => {
            template_exprs(parts, &mut |x| literal(file, x, key, report, out))
        }
        ExprKind::Conditional(p) => {
            literal(file, &p[1], key, report, out);
            literal(file, &p[2], key, report, out);
        }
        ExprKind::For(f) => literal(file, &f.value_expr, key, report, out),
        ExprKind::Array(items) => items
            .iter()
            .for_each(|i| literal(file, i, key, report, out)),
        // `client_secret = { prod = "...", dev = "..." }`, a secret per org: masked, not reported
        // (`token = { type = "Bearer" }` is no secret). A field named for a secret is its own.
        ExprKind::Object(fields) => {
            for (k, v) in fields {
                match field_name(k).filter(|name| is_secret_key(name)) {
                    Some(name) => literal(file, v, name, report, out),
                    None => literal(file, v, key, false, out),
                }
            }
        }
        ExprKind::Call(c) => {
            for (i, a) in c.args.iter().enumerate() {
                // `None`: `lookup(var.secrets, "client_secret", "")`'s key, not a value.
                if let Some(passes) = passes_through(&c.name.name, i) {
                    literal(file, a, key, report && passes, out)
                }
            }
        }
        _ => {}
    }
}

/// Whether argument `i` of function `name`, where a secret's value goes, is that value
/// (`Some(true)`: `sensitive("...")`, `coalesce(var.x, "...")`, `lookup`'s default), or
/// something else that may still be it (`Some(false)`: `file`'s path, `replace`'s patterns...),
/// or the key of a map (`None`: `lookup`'s second argument). A short list of the functions that
/// return an argument as it is or decoded: the others are many, and their literal arguments are
/// most often paths, patterns and separators.
fn passes_through(name: &str, i: usize) -> Option<bool> {
    match (name, i) {
        ("lookup", 1) => None,
        ("lookup", 0 | 2) => Some(true),
        (
            "sensitive" | "nonsensitive" | "tostring" | "trimspace" | "chomp" | "coalesce" | "try"
            | "base64decode",
            _,
        ) => Some(true),
        _ => Some(false),
    }
}

/// Whether a literal where a secret goes reads as a stand-in for one, as in documentation
/// examples and starter `tfvars`. Kept narrow: a value that could be a real password (even a weak
/// one, `changeme`, `Password1!`) is reported.
fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    // A value filled in at run time: a data action's Velocity (`$credentials.clientSecret`,
    // `$encoding.base64(...)`, `${input.token}`) or a mustache-style template (`{{token}}`).
    const RUNTIME: &[&str] = &[
        "${",
        "$!{",
        "{{",
        "$input.",
        "$credentials.",
        "$encoding.",
        "$esc.",
        "$math.",
    ];
    if RUNTIME.iter().any(|r| lower.contains(r)) {
        return true;
    }
    // Masked: one character repeated (`XXXXXXXX`, `********`), separators aside.
    let mut chars = v.chars().filter(|c| !matches!(c, '-' | '_' | ' ' | '.'));
    if let Some(first) = chars.next() {
        if chars.all(|c| c.eq_ignore_ascii_case(&first)) {
            return true;
        }
    }
    // `<client secret>`, `[token]`.
    if (v.starts_with('<') && v.ends_with('>')) || (v.starts_with('[') && v.ends_with(']')) {
        return true;
    }
    // Instructions: `your-client-secret`, `YOUR_TOKEN`, `PROVIDE_YOUR_SECRET`, `client secret
    // here`, `ENTER_SECRET_HERE`, `insert here`. Words must be separated: `yourmum1234` and
    // `herewego` could be passwords.
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let separated = v.contains(['-', '_', ' ']);
    let instruction = |w: &&str| {
        matches!(
            *w,
            "provide" | "enter" | "put" | "insert" | "paste" | "add" | "set" | "replace" | "type"
        )
    };
    if separated
        && (words.iter().position(|w| *w == "your"))
            .is_some_and(|at| words[..at].iter().all(instruction))
    {
        return true;
    }
    let secret_word = |w: &&str| {
        matches!(
            *w,
            "secret" | "password" | "token" | "key" | "id" | "value" | "credential"
        )
    };
    if separated
        && words.contains(&"here")
        && (v.contains(' ') || words.iter().any(|w| instruction(w) || secret_word(w)))
    {
        return true;
    }
    if v.contains(' ') && words.iter().any(|w| matches!(*w, "insert" | "paste")) {
        return true;
    }
    // A description of the value: `some-api-key`, `my-secret`, `example_token`, `dummy password`.
    // Every word is a determiner or names the kind of secret, with one of each: `my-secret-9`
    // and `initial-password` could be passwords.
    let filler = |w: &&str| {
        matches!(
            *w,
            "some" | "my" | "the" | "a" | "an" | "example" | "sample" | "dummy" | "fake" | "test"
        )
    };
    let kind = |w: &&str| {
        secret_word(w)
            || matches!(
                *w,
                "api" | "apikey" | "client" | "access" | "auth" | "oauth"
            )
    };
    if separated
        && words.iter().any(filler)
        && words.iter().any(kind)
        && words.iter().all(|w| filler(w) || kind(w))
    {
        return true;
    }
    // Only the kind of secret, as the key names it: `client_secret = "client_secret"`,
    // `"password"`, `"api-key"`.
    if !words.is_empty() && words.iter().all(kind) {
        return true;
    }
    // An instruction about the kind: `REPLACE_WITH_SECRET`, `enter-client-secret`.
    let joiner = |w: &&str| matches!(*w, "with" | "your" | "here" | "the" | "a" | "an");
    if separated
        && words.first().is_some_and(instruction)
        && words.iter().any(kind)
        && words[1..].iter().all(|w| kind(w) || filler(w) || joiner(w))
    {
        return true;
    }
    let squashed: String = words.concat();
    matches!(
        squashed.as_str(),
        "replaceme" | "redacted" | "placeholder" | "todo" | "tbd" | "none" | "null"
    )
}

#[cfg(test)]
mod tests {
    use super::{
        SECRET_KEYS, SECRET_SUFFIXES, is_placeholder, is_secret_key, is_secret_key_end,
        secrets_in_comments, secrets_in_unparsed, words_of,
    };
    use crate::source::FileId;

    /// `is_secret_key` reads at most 16 bytes of a key's end and decides most keys on its last
    /// letter: every name must fit both.
    #[test]
    fn every_secret_name_fits_the_fast_check() {
        for k in SECRET_KEYS.iter().chain(SECRET_SUFFIXES) {
            assert!(k.len() < 16, "{k}");
            assert!(
                matches!(
                    &k.as_bytes()[k.len() - 2..],
                    b"et" | b"en" | b"ey" | b"rd" | b"wd"
                ),
                "{k}"
            );
            assert!(
                is_secret_key_end(k) && is_secret_key_end(&k.to_uppercase()),
                "{k}"
            );
        }
        assert!(is_secret_key_end(
            "a_very_long_prefix_of_the_key_then_client_secret"
        ));
        assert!(!is_secret_key_end(
            "a_very_long_prefix_of_a_key_named_token"
        ));
    }

    /// Each secret's key and the text its span covers.
    fn keys_and_values<'a>(found: &'a [super::Secret], text: &'a str) -> Vec<(&'a str, &'a str)> {
        (found.iter())
            .map(|s| {
                (
                    s.key.as_str(),
                    &text[s.span.start as usize..s.span.end as usize],
                )
            })
            .collect()
    }

    #[test]
    fn assignments_are_read_from_their_shape() {
        let text = "# client_secret = \"a1\"\n// \"clientSecret\": \"b\\\"2\"\n\
                    x = { token = \"c3\", password: \"\" }\nname = \"d4\"\npassword = var.p\n";
        let found = secrets_in_unparsed(FileId(0), text);
        let values = keys_and_values(&found, text);
        // An empty value and a reference hold none; `name` is no secret's key.
        assert_eq!(
            values,
            [
                ("client_secret", "a1"),
                ("clientSecret", "b\\\"2"),
                ("token", "c3")
            ]
        );
        let comment = 0..u32::try_from(text.find('\n').unwrap()).unwrap();
        let in_comment = secrets_in_comments(FileId(0), text, &[comment]);
        assert_eq!(in_comment.len(), 1);
        assert!(in_comment[0].in_comment);
    }

    #[test]
    fn assignments_in_a_json_string_are_read_through_its_escaped_quotes() {
        // `"//"` comments of a `.tf.json` file, as the loader gives them: inside the quotes.
        let text = r#""//": "oauthclient_secret = \"e5\"", "//": "{\"client_secret\": \"f6\", \"token\": \"\"}""#;
        let comments: Vec<_> = (text.match_indices(": \"").map(|(at, _)| at + 3))
            .zip(
                text.match_indices("\"\"")
                    .map(|(at, _)| at + 1)
                    .chain([text.len() - 1]),
            )
            .map(|(start, end)| crate::ir::comment_range(start..end))
            .collect();
        let found = secrets_in_comments(FileId(0), text, &comments);
        let values = keys_and_values(&found, text);
        assert_eq!(
            values,
            [("oauthclient_secret", "e5"), ("client_secret", "f6")]
        );
        assert!(found.iter().all(|s| s.in_comment));
        // An escaped value the string ends inside of is no value; in a file that could not be
        // parsed, it is masked all the same, not reported.
        let open = r#""//": "password = \"g7""#;
        let comment = [crate::ir::comment_range(7..open.len() - 1)];
        assert!(secrets_in_comments(FileId(0), open, &comment).is_empty());
        let found = secrets_in_unparsed(FileId(0), open);
        assert_eq!(keys_and_values(&found, open), [("password", "g7")]);
        assert!(found[0].placeholder);
    }

    /// The snippet beside a parse error shows the file as written: a string left open, a
    /// heredoc (closed or not), an unquoted value or an expression holding a string, under a
    /// secret's key, are all masked; only what is plainly the literal value is reported.
    #[test]
    fn every_value_beside_a_parse_error_is_read_to_its_end() {
        let text = "fields = {\n  clientSecret = \"Zq8v open\n}\n\
                    password = <<EOT\nHp4s\nEOT\n\
                    token = <<-EOT\n    Hq4s\n  EOT\n\
                    \"client_secret\": \"Jc8v open\n\
                    api_key = Hd4s\n\
                    secret = coalesce(var.p, \"He4s\") # \"a comment\"\n\
                    password = var.p\npassword = null\npassword = 12\n\
                    access_token = <<EOT\nHf4s\n  open to the end";
        let found = secrets_in_unparsed(FileId(0), text);
        let values = keys_and_values(&found, text);
        assert_eq!(
            values,
            [
                ("clientSecret", "Zq8v open"),
                ("password", "Hp4s\n"),
                ("token", "    Hq4s\n"),
                ("client_secret", "Jc8v open"),
                ("api_key", "Hd4s"),
                ("secret", "He4s"),
                ("access_token", "Hf4s\n  open to the end"),
            ]
        );
        let reported: Vec<bool> = found.iter().map(|s| !s.placeholder).collect();
        assert_eq!(reported, [true, true, true, true, false, false, true]);
        // On a minified line, an expression ends with its own value: the next are not its key's.
        let minified = r#"{"password": {"x": "Hg4s"}, "name": "Ok1", "token": null, "id": "Ok2"}"#;
        let found = secrets_in_unparsed(FileId(0), minified);
        assert_eq!(
            keys_and_values(&found, minified),
            [("password", "x"), ("password", "Hg4s")]
        );
        // A comment's prose after a key is no value; a string left open in it runs to its end.
        let prose = "# password: see the vault\n# token = \"Tt5s open\n";
        let comment = crate::ir::comment_range(0..prose.len());
        let in_comment = secrets_in_comments(FileId(0), prose, std::slice::from_ref(&comment));
        assert_eq!(
            keys_and_values(&in_comment, prose),
            [("token", "Tt5s open")]
        );
    }

    /// A broken plan or state is shown beside its error as written: a value nested under a
    /// secret's key, or in an object marked sensitive, is masked, however the text is cut.
    #[test]
    fn values_under_a_secret_or_marked_sensitive_are_masked_beside_a_parse_error() {
        let values = |text: &str| -> Vec<String> {
            let found = secrets_in_unparsed(FileId(0), text);
            (keys_and_values(&found, text).into_iter())
                .map(|(_, v)| v.to_owned())
                .collect()
        };
        // A plan's variables, cut off inside the value.
        let plan =
            "{\n  \"variables\": {\n    \"oauthclient_secret\": {\n      \"value\": \"Pv1s\"\n";
        assert_eq!(values(plan), ["Pv1s"]);
        assert_eq!(values(&plan[..plan.len() - 4]), ["Pv"]);
        // A state's outputs: the mark follows the value; what describes it stays.
        let state = "\"outputs\": {\n  \"client_secret\": {\n    \"value\": \"So1s\",\n    \
                     \"type\": \"string\",\n    \"sensitive\": true\n  },\n  \
                     \"creds\": {\n    \"value\": {\"id\": \"So2s\", \"type\": \"So3s\"},\n    \
                     \"type\": [\"object\", {\"id\": \"string\"}],\n    \"sensitive\": true\n  },\n  \
                     \"queue\": {\"value\": \"Ok1\", \"type\": \"string\", \"sensitive\": false},,\n}";
        assert_eq!(values(state), ["So1s", "So2s", "So3s"]);
        // Masked, not reported: where a value is nested does not say it is a literal secret.
        assert!(
            secrets_in_unparsed(FileId(0), state)
                .iter()
                .all(|s| s.placeholder)
        );
        // A plan's output and its change, marked first.
        let plan = "{\"outputs\": {\"creds\": {\"sensitive\": true, \"value\": [\"Po1s\"]}},\n\
                    \"output_changes\": {\"creds\": {\"actions\": [\"update\"], \"before\": \"Po2s\", \
                    \"after\": \"Po3s\", \"after_unknown\": false, \"after_sensitive\": true}}";
        assert_eq!(values(plan), ["Po1s", "Po2s", "Po3s"]);
        // HCL and tfvars: an object or a call under a secret's key, a sensitive block, a
        // template whose quotes are its own; keys, references and comments are not values.
        let hcl = "oauthclient_secret = {\n  prod = \"Hv1s\" # \"Ok1\"\n  dev  = Hv2s\n  \
                   lab  = var.lab\n  uat  = merge(var.m, {\n    x = \"${lookup(var.m, \"Hv3s\")}\"\n  })\n}\n\
                   output \"creds\" {\n  description = \"Ok2\"\n  value = \"Hv4s\"\n  sensitive = true\n}\n\
                   oauthclient = { secret = \"Hv5s\" }\nname = \"Ok3\"\nx = = 1\n";
        assert_eq!(
            values(hcl),
            ["Hv1s", "Hv2s", "${lookup(var.m, \"Hv3s\")}", "Hv4s", "Hv5s"]
        );
        // Brackets that close nothing, and strings that never close, end with the text.
        assert_eq!(values("}]) \"token\": [[\"Tk1s\n"), ["Tk1s"]);
        assert!(values("{\"name\": [\"Ok\"]}, {\"id\": \"Ok\"}").is_empty());
    }

    /// Each literal found in the configuration `text`: key, value as written, reported or only
    /// masked.
    fn scanned(text: &str) -> Vec<(String, String, bool)> {
        let cfg = crate::load::hcl::parse_hcl(FileId(0), text).expect("parses");
        let mut found = Vec::new();
        super::scan_body(FileId(0), &cfg.body, &mut found);
        (found.iter())
            .map(|s| {
                let value = &text[s.span.start as usize..s.span.end as usize];
                (s.key.clone(), value.to_owned(), !s.placeholder)
            })
            .collect()
    }

    #[test]
    fn literals_are_found_inside_calls_conditionals_and_for_expressions() {
        let found = scanned(
            "locals {\n\
             a = merge(var.base, { clientId = \"svc\", clientSecret = \"s1\" })\n\
             b = jsonencode({ client_secret = \"s2\" })\n\
             c = var.x ? { token = \"s3\" } : { token = var.t }\n\
             d = ({ password = \"s4\" })\n\
             e = [for k in var.ks : { api_key = \"s5\" }]\n\
             f = { for k in var.ks : \"client_secret\" => \"s6\" }\n\
             g = \"{\\\"client_secret\\\": \\\"s7\\\", \\\"id\\\": \\\"${var.id}\\\"}\"\n\
             h = { password = var.x ? \"s8\" : var.p }\n\
             i = { client_secret = sensitive(\"s9\") }\n\
             j = { client_secret = lookup(var.m, \"prod_secret_key_name\", \"s10\") }\n\
             k = { client_secret = file(\"token.txt\") }\n\
             l = { password = \"${var.prefix}s11\" }\n\
             }\n",
        );
        let shown: Vec<(&str, &str, bool)> = (found.iter())
            .map(|(k, v, r)| (k.as_str(), v.as_str(), *r))
            .collect();
        assert_eq!(
            shown,
            [
                ("clientSecret", "\"s1\"", true),
                ("client_secret", "\"s2\"", true),
                ("token", "\"s3\"", true),
                ("password", "\"s4\"", true),
                ("api_key", "\"s5\"", true),
                ("client_secret", "\"s6\"", true),
                (
                    "client_secret",
                    "\"{\\\"client_secret\\\": \\\"s7\\\", \\\"id\\\": \\\"${var.id}\\\"}\"",
                    true
                ),
                ("password", "\"s8\"", true),
                ("client_secret", "\"s9\"", true),
                ("client_secret", "\"s10\"", true),
                // A path: masked, since `file` is not known to return it, but not reported.
                ("client_secret", "\"token.txt\"", false),
                ("password", "\"${var.prefix}s11\"", false),
            ]
        );
        // Keys, references and stand-ins are no literal secrets.
        let none = scanned(
            "locals {\n\
             a = lookup(var.m, \"client_secret\", \"\")\n\
             b = { client_secret = sensitive(var.s) }\n\
             c = { client_secret = \"${var.s}\" }\n\
             d = merge(var.m, { clientSecret = var.m[\"client_secret\"] })\n\
             e = var.m[\"client_secret\"]\n\
             f = jsonencode({ client_secret = \"$${credentials.clientSecret}\" })\n\
             }\n",
        );
        assert!(none.iter().all(|(_, _, reported)| !reported), "{none:?}");
    }

    #[test]
    fn stand_ins_are_told_from_secrets() {
        for v in [
            "your-client-secret",
            "your-oauth-client-secret",
            "YOUR_CLIENT_SECRET",
            "your secret",
            "client secret here",
            "insert here",
            "XXXXXXXXXX",
            "xxxx-xxxx-xxxx",
            "********",
            "<client-secret>",
            "[token]",
            "REPLACE_ME",
            "redacted",
            "Basic $encoding.base64(\"${credentials.clientId}:${credentials.clientSecret}\")",
            "Bearer $credentials.token",
            "{{ token }}",
            "PROVIDE_YOUR_SECRET",
            "enter-your-token",
            "ENTER_SECRET_HERE",
            "PUT_SECRET_HERE",
            "token_here",
            "some-api-key",
            "my-api-key",
            "example_client_secret",
            "SOME_SECRET",
            "dummy password",
            "client_secret",
            "password",
            "API-KEY",
            "REPLACE_WITH_SECRET",
            "enter-client-secret",
        ] {
            assert!(is_placeholder(v), "{v}");
        }
        // Real, if weak, secrets; and one that only starts like an instruction.
        for v in [
            "2zJa-p-qcI2gLbEQDwy5y-uTWdDw0DifSk8n1h5Qr5o",
            "b@Zinga1972",
            "$tr0ngP@s$w0rd",
            "initial-password",
            "TerraformDocExample1!",
            "changeme",
            "Password1!",
            "yourmum1234",
            "herewego",
            "here_we_go_2024",
            "my-your-secret-9",
            "my-secret-9",
            "password123",
            "replace-with-9f8e7d",
            "dummy",
            "test-1234",
            "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn keys_split_into_words() {
        assert_eq!(
            words_of("oauthClientSecret_ASSE"),
            ["oauth", "Client", "Secret", "ASSE"]
        );
        assert_eq!(words_of("sn-password-2"), ["sn", "password", "2"]);
        assert_eq!(words_of("password2"), ["password", "2"]);
        assert_eq!(words_of("__a..B"), ["a", "B"]);
        assert!(words_of("").is_empty());
    }

    #[test]
    fn secret_keys_match_regardless_of_case_and_separators() {
        for k in [
            "clientSecret",
            "client_secret",
            "CLIENT-SECRET",
            "oauthclient_secret",
            "password",
            "api_key",
            "Token",
            // Named for what they belong to, as variables and tfvars are.
            "sn_password",
            "integration_creds_client_secret",
            "classifier_api_key",
            "page_access_token",
            "ssh-private-key",
            // For an org or an environment, as repositories managing several name them.
            "oauthClientSecret_ASSE",
            "client_secret_prod",
            "clientSecretProd",
            "CLIENT_SECRET_PROD",
            "sn-password-2",
            "password2",
            "securityToken",
            "salesforce_creds_security_token",
            "aws_session_token",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in [
            "client_id",
            "secretary",
            "tokens",
            "next_page_token",
            "secret_name",
            "secretName",
            "CLIENT_SECRET_NAME",
            "client_secret_ARN",
            "client_secret_version",
            "password_policy",
            "password_min_length",
            "access_token_validity_seconds",
            "",
            "name",
            "description",
        ] {
            assert!(!is_secret_key(k), "{k}");
        }
    }
}
