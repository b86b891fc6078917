//! Automation scripts kept beside the configuration (`*.js`, `*.ts`, `*.py`, `*.sh`, ...): the
//! Platform API calls they make with a literal path, and the SDK methods they call.
//!
//! Not a parser: a scan for string literals holding `/api/v2/` and for SDK-shaped method calls,
//! with the HTTP method taken from the call around the literal (`axios.patch(`, `requests.post(`,
//! `fetch(url, { method: "PATCH" })`, `curl -X PATCH`). What cannot be told (a URL built by
//! concatenation, a method in a variable) is left alone: a guess would be noise.

use crate::source::{FileId, Span};

/// One call found in a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptCall {
    /// An HTTP request to a literal `/api/v2/...` path. `method` is `None` when the call does not
    /// say (then only the path is checked).
    Http {
        method: Option<String>,
        url: String,
        span: Span,
    },
    /// A call of an SDK-shaped method (`postConversationsCallParticipantCommunicationWrapup`,
    /// `post_conversations_call_participant_communication_wrapup`, `platformClient.wrapup.update`).
    Sdk { name: String, span: Span },
}

/// Which script languages are scanned, by file name.
pub fn is_script(name: &str) -> bool {
    [".js", ".mjs", ".cjs", ".ts", ".py", ".sh", ".bash"]
        .iter()
        .any(|e| name.ends_with(e))
}

const METHODS: [&str; 6] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

/// Scan a script for API calls.
pub fn scan(file: FileId, text: &str) -> Vec<ScriptCall> {
    let mut out = Vec::new();
    // Other services have `/api/v2/` too (Zendesk, ...): a relative path is judged only in a file
    // that is evidently about Genesys Cloud. Absolute URLs are judged by their host later.
    let lower = text.to_ascii_lowercase();
    let about_genesys = ["genesys", "purecloud", "pure.cloud", "platformclient"]
        .iter()
        .any(|m| lower.contains(m));
    let literals = string_literals(text);
    let bare = bare_curl_urls(text, &literals);
    for (start, end) in literals.into_iter().chain(bare) {
        let lit = &text[start..end];
        let Some(api) = lit.find("/api/v2/") else {
            continue;
        };
        if !about_genesys && !lit[..api].contains("://") {
            continue;
        }
        // `"/api/v2/conversations/" + id + "/wrapup"`: only a prefix is literal; do not guess.
        let after = text[end..]
            .trim_start_matches(['"', '\'', '`'])
            .trim_start();
        if after.starts_with('+')
            || after.starts_with('.') && after[1..].trim_start().starts_with("concat")
        {
            continue;
        }
        let url = normalise_placeholders(&lit[api..]);
        let method = method_before(text, start).or_else(|| method_after(text, end));
        out.push(ScriptCall::Http {
            method,
            url,
            span: Span::new(file, start + api..end),
        });
    }
    // Method names shaped like SDK calls are judged only in files that use the Genesys SDK: a
    // project's own `getQueueCodes()` is none of our business.
    if [
        "platformClient",
        "purecloud-platform-client",
        "PureCloudPlatformClientV2",
        "genesyscloud",
    ]
    .iter()
    .any(|m| text.contains(m))
    {
        sdk_calls(file, text, &mut out);
    }
    out
}

/// Byte ranges of the contents of `'...'`, `"..."` and `` `...` `` literals (escapes honoured; a
/// literal does not span lines, except template literals).
fn string_literals(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let q = b[i];
        if q == b'#' && (i == 0 || b[i - 1] == b'\n' || b[i - 1] == b' ') {
            // A shell or Python comment: skip to the end of the line.
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if q == b'"' || q == b'\'' || q == b'`' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j] != q && (q == b'`' || b[j] != b'\n') {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = j.min(b.len());
            if end > start && text.is_char_boundary(start) && text.is_char_boundary(end) {
                out.push((start, end));
            }
            i = end + 1;
            continue;
        }
        i += 1;
    }
    out
}

/// Byte ranges of the unquoted URLs of curl commands, as shell scripts often write them:
/// `curl -s https://api.mypurecloud.com/api/v2/... -H ...`, `curl $BASE/api/v2/...`. Only whole
/// words: one that runs into a quote (`.../conversations/"$ID"`) is partly quoted and is not
/// guessed at, and one inside a string literal or a comment line is not a command's.
fn bare_curl_urls(text: &str, literals: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut base = 0;
    for line in text.split_inclusive('\n') {
        let line_start = base;
        base += line.len();
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.starts_with("//") || trimmed.starts_with('*') {
            continue;
        }
        let mut from = 0;
        while let Some(i) = line[from..].find("/api/v2/") {
            let at = from + i;
            let ws = line[..at].rfind(char::is_whitespace).map_or(0, |n| n + 1);
            let we = line[at..]
                .find(char::is_whitespace)
                .map_or(line.len(), |n| at + n);
            from = we;
            let word = line[ws..we].trim_end_matches([')', ';', '|', '&', '\\']);
            // `URL=$BASE/api/v2/...` is an assignment, not the command's URL.
            if word.contains(['"', '\'', '`']) || word[..at - ws].contains('=') {
                continue;
            }
            let (start, end) = (line_start + ws, line_start + ws + word.len());
            let quoted = literals.iter().any(|&(ls, le)| ls <= end && start <= le);
            if !quoted && curl_method(text, start).is_some() {
                out.push((start, end));
            }
        }
    }
    out
}

/// Python `%s` / `%(name)s` / `{}` placeholders become `{p}` so they read as path parameters.
fn normalise_placeholders(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let skip = if let Some(t) = tail.strip_prefix('(') {
            t.find(')').map(|j| j + 3).filter(|&n| n <= tail.len())
        } else if tail.starts_with(['s', 'd']) {
            Some(1)
        } else {
            None
        };
        match skip {
            Some(n) => {
                out.push_str("{p}");
                rest = &tail[n..];
            }
            None => {
                out.push('%');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out.replace("{}", "{p}")
}

/// The method named just before a literal: `axios.patch(`, `requests.post(`, `http.delete(`,
/// `request("PATCH", `, `curl -X PATCH`, `--request PATCH`, `Invoke-RestMethod -Method Patch`.
fn method_before(text: &str, start: usize) -> Option<String> {
    let from = floor_boundary(text, start.saturating_sub(160));
    let before = &text[from..start.saturating_sub(1).max(from)];
    // The URL as a call's first argument on a line of its own, as black and prettier break a
    // long call (`requests.patch(\n    f"{base}/api/v2/...",`): the call is on the line of the
    // `(` (a string prefix such as Python's `f` between the two).
    let unprefixed = before
        .strip_suffix(|c: char| "fFrRbBuU".contains(c))
        .map_or(before, |b| {
            b.strip_suffix(['f', 'F', 'r', 'R']).unwrap_or(b)
        });
    let opened = unprefixed.trim_end();
    let before = match opened.ends_with('(') && opened.len() < unprefixed.len() {
        true => opened,
        false => before,
    };
    let line = before.rsplit('\n').next().unwrap_or(before);
    let lower = line.to_ascii_lowercase();
    // A curl command says its method anywhere in the command, before or after the URL, and
    // often over several lines joined by `\`: read the whole command, not the text before.
    if let Some(m) = curl_method(text, start) {
        return Some(m);
    }
    let mut best: Option<(usize, &str)> = None;
    for m in METHODS {
        let ml = m.to_ascii_lowercase();
        for pat in [
            format!(".{ml}("),
            format!("-x {ml}"),
            format!("--request {ml}"),
            format!("\"{ml}\""),
            format!("'{ml}'"),
            format!("-method {ml}"),
        ] {
            if let Some(i) = lower.rfind(&pat) {
                if best.is_none_or(|(b, _)| i > b) {
                    best = Some((i, m));
                }
            }
        }
    }
    best.map(|(_, m)| m.to_owned())
}

/// The method of the curl command whose URL starts at `start`, or `None` when the literal is not
/// in a curl command. The command is the logical line (lines ended by `\` joined), from the last
/// `curl` before the URL to the next one: `-X PATCH`, `-XPATCH`, `--request PATCH` and
/// `--request=PATCH` anywhere in it name the method; otherwise a command sending data (`-d`,
/// `--data*`, `--json`, `-F`) is a POST unless `-G`/`--get` puts the data in the query string,
/// `-I`/`--head` a HEAD, and any other a GET, as curl does.
fn curl_method(text: &str, start: usize) -> Option<String> {
    let b = text.as_bytes();
    // Back to the start of the logical line: a previous line ending in `\` continues into this one.
    let mut from = text[..start].rfind('\n').map_or(0, |n| n + 1);
    while from >= 2
        && text[..from - 1]
            .trim_end_matches([' ', '\t', '\r'])
            .ends_with('\\')
    {
        from = text[..from - 1].rfind('\n').map_or(0, |n| n + 1);
    }
    // On to its end.
    let mut to = start;
    loop {
        to = text[to..].find('\n').map_or(text.len(), |n| to + n);
        if to < b.len()
            && text[..to]
                .trim_end_matches([' ', '\t', '\r'])
                .ends_with('\\')
        {
            to += 1;
        } else {
            break;
        }
    }
    let is_curl = |i: usize, t: &str| {
        let before_ok = i == 0 || !t.as_bytes()[i - 1].is_ascii_alphanumeric();
        let after = t.as_bytes().get(i + 4);
        before_ok && after.is_none_or(|c| c.is_ascii_whitespace())
    };
    let head = &text[from..start];
    let cmd_start = (head.match_indices("curl"))
        .map(|(i, _)| i)
        .filter(|&i| is_curl(i, head))
        .last()?;
    let tail = &text[start..to];
    let cmd_end = (tail.match_indices("curl"))
        .map(|(i, _)| i)
        .find(|&i| is_curl(i, tail))
        .map_or(to, |i| start + i);
    let cmd = &text[from + cmd_start..cmd_end];
    // Options are words after whitespace; `-X` is case-sensitive (`-x` is the proxy).
    let words: Vec<&str> = cmd
        .split(|c: char| c.is_ascii_whitespace() || c == '\\')
        .filter(|w| !w.is_empty())
        .collect();
    let method_word = |w: &str| {
        let m = w.trim_matches(['"', '\'']).to_ascii_uppercase();
        METHODS.contains(&m.as_str()).then_some(m)
    };
    let mut sends_data = false;
    let mut head_only = false;
    let mut get = false;
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1).copied().unwrap_or_default();
        let given = match *w {
            "-X" | "--request" => Some(next),
            _ => (w.strip_prefix("--request="))
                .or_else(|| w.strip_prefix("-X").filter(|m| !m.is_empty())),
        };
        if let Some(given) = given {
            // `-X "$METHOD"`: the method is chosen at run time; the data does not tell it.
            return method_word(given);
        }
        sends_data |= *w == "-d"
            || *w == "-F"
            || w.starts_with("--data")
            || w.starts_with("--json")
            || w.starts_with("--form")
            || (w.starts_with("-d") && !w.starts_with("--"));
        head_only |= *w == "-I" || *w == "--head";
        get |= *w == "-G" || *w == "--get";
    }
    Some(
        if sends_data && !get {
            "POST"
        } else if head_only {
            "HEAD"
        } else {
            "GET"
        }
        .into(),
    )
}

/// `fetch(url, { method: "PATCH" })` and `axios({ url, method: 'patch' })`: the method written
/// just after the literal, within the same call.
fn method_after(text: &str, end: usize) -> Option<String> {
    let to = ceil_boundary(text, (end + 200).min(text.len()));
    let after = &text[end..to];
    // The call ends at the bracket that closes around the literal, at `;`, or at a line break
    // not after a `,`: JavaScript without semicolons and Python have none between statements,
    // and the next call's `method: "PATCH"` is not this one's.
    let mut depth = 0i32;
    let mut last = None;
    let mut stop = after.len();
    for (i, c) in after.char_indices().skip(1) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        if depth < 0 || depth == 0 && (c == ';' || c == '\n' && last != Some(',')) {
            stop = i;
            break;
        }
        if !c.is_whitespace() {
            last = Some(c);
        }
    }
    let call = &after[..stop];
    let lower = call.to_ascii_lowercase();
    let i = lower.find("method")?;
    let tail = &call[i + 6..];
    let tail = tail.trim_start_matches(|c: char| {
        c == ':' || c == '=' || c == '"' || c == '\'' || c.is_whitespace()
    });
    let word: String = tail
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let upper = word.to_ascii_uppercase();
    METHODS.contains(&upper.as_str()).then_some(upper)
}

/// SDK-shaped calls on SDK API objects: `routingApi.getRoutingQueues(`,
/// `api.post_conversations_..._wrapup(`, and the invented `platformClient.<lowercase>.<name>(`
/// namespace calls.
fn sdk_calls(file: FileId, text: &str, out: &mut Vec<ScriptCall>) {
    let b = text.as_bytes();
    let apis = api_variables(text);
    let mut i = 0;
    while let Some(pos) = text[i..].find('.') {
        let dot = i + pos;
        i = dot + 1;
        let name_end = text[i..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(text.len(), |n| i + n);
        let name = &text[i..name_end];
        if name.is_empty() || b.get(name_end) != Some(&b'(') {
            continue;
        }
        // `platformClient.wrapup.update(`: the SDK has no lower-case namespaces.
        let owner_start = text[..dot]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .map_or(0, |n| n + 1);
        let owner = &text[owner_start..dot];
        if let Some(ns) = owner.strip_prefix("platformClient.") {
            if ns.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !ns.contains('.') {
                out.push(ScriptCall::Sdk {
                    name: format!("{owner}.{name}"),
                    span: Span::new(file, owner_start..name_end),
                });
                continue;
            }
        }
        // Only on an SDK API object: `document.getElementById(` and a class's own
        // `self.get_all_items()` are SDK-shaped, but not SDK calls.
        let receiver = owner.rsplit('.').next().unwrap_or(owner);
        let on_api =
            is_api_name(receiver) || apis.contains(&receiver) || text[..dot].ends_with("Api()");
        if on_api && looks_like_sdk_method(name) && !SDK_CLIENT_METHODS.contains(&name) {
            out.push(ScriptCall::Sdk {
                name: name.to_owned(),
                span: Span::new(file, i..name_end),
            });
        }
        i = name_end;
    }
}

/// Methods of the Python SDK's `ApiClient` (not operations, so not in the catalog) whose names
/// are shaped like operations: its README logs in with
/// `api_client.get_client_credentials_token(id, secret)`, on a variable named like an API object.
const SDK_CLIENT_METHODS: &[&str] = &[
    "get_client_credentials_token",
    "get_saml2bearer_token",
    "get_code_authorization_token",
    "refresh_code_authorization_token",
    "get_pkce_token",
];

/// Whether a variable's name says it holds an SDK API object: `conversationsApi`,
/// `routing_api`, `apiInstance` (the SDK's own examples), `api`.
fn is_api_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("api") || lower.ends_with("api")
}

/// The variables a script assigns an SDK API object to, whatever their names:
/// `routing = new platformClient.RoutingApi()`, `self.users = PureCloudPlatformClientV2.UsersApi(client)`.
fn api_variables(text: &str) -> Vec<&str> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut vars = Vec::new();
    for (at, _) in text.match_indices("Api(") {
        // The class: `RoutingApi`, capitalised, after `platformClient.` or the like.
        let class_start = text[..at]
            .rfind(|c: char| !is_ident(c))
            .map_or(0, |n| n + 1);
        if !text[class_start..].starts_with(|c: char| c.is_ascii_uppercase()) {
            continue;
        }
        // Back over the qualifier (`platformClient.`), `new` and spaces to `=`.
        let before = text[..class_start].trim_end_matches(|c: char| is_ident(c) || c == '.');
        let before = before.trim_end();
        let before = before.strip_suffix("new").unwrap_or(before).trim_end();
        let Some(before) = before.strip_suffix('=') else {
            continue;
        };
        if before.ends_with(['=', '!', '<', '>']) {
            continue; // a comparison
        }
        let before = before.trim_end();
        let var_start = before.rfind(|c: char| !is_ident(c)).map_or(0, |n| n + 1);
        if var_start < before.len() {
            vars.push(&before[var_start..]);
        }
    }
    vars
}

/// `getRoutingQueues` / `post_conversations_call_participant_communication_wrapup`: an HTTP verb
/// then at least two more words, as the generated SDKs name every operation.
fn looks_like_sdk_method(name: &str) -> bool {
    let verbs = ["get", "post", "put", "patch", "delete", "head"];
    verbs.iter().any(|v| {
        let Some(rest) = name.strip_prefix(v) else {
            return false;
        };
        if let Some(snake) = rest.strip_prefix('_') {
            snake.split('_').filter(|w| !w.is_empty()).count() >= 2
                && snake
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        } else {
            rest.starts_with(|c: char| c.is_ascii_uppercase())
                && rest.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2
        }
    })
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(text: &str) -> Vec<(Option<String>, String)> {
        scan(FileId(0), text)
            .into_iter()
            .filter_map(|c| match c {
                ScriptCall::Http { method, url, span } => {
                    assert!(text[span.range()].starts_with("/api/v2/"));
                    Some((method, url))
                }
                ScriptCall::Sdk { .. } => None,
            })
            .collect()
    }

    #[test]
    fn http_calls_in_each_language() {
        // Relative paths count only in files about Genesys Cloud: every case below says so.
        let calls = |t: &str| calls(&format!("// genesys cloud\n{t}"));
        let g = |m: &str, u: &str| (Some(m.to_owned()), u.to_owned());
        assert_eq!(
            calls("await axios.patch(`/api/v2/conversations/${id}`, { wrapupCode: c });"),
            vec![g("PATCH", "/api/v2/conversations/${id}")]
        );
        assert_eq!(
            calls(
                "fetch(`https://api.mypurecloud.com/api/v2/conversations/voice/${id}/wrapup`, {\n  method: 'POST',\n})"
            ),
            vec![g("POST", "/api/v2/conversations/voice/${id}/wrapup")]
        );
        assert_eq!(
            calls("r = requests.post(f\"{base}/api/v2/conversations/{cid}/wrap-up\", json=b)"),
            vec![g("POST", "/api/v2/conversations/{cid}/wrap-up")]
        );
        assert_eq!(
            calls("requests.get('/api/v2/routing/queues/%s/wrapupcodes' % qid)"),
            vec![g("GET", "/api/v2/routing/queues/{p}/wrapupcodes")]
        );
        assert_eq!(
            calls("curl -s -X PATCH \"$BASE/api/v2/conversations/$CID\" -d '{}'"),
            vec![g("PATCH", "/api/v2/conversations/$CID")]
        );
        assert_eq!(
            calls("curl \"$BASE/api/v2/routing/wrapupcodes\""),
            vec![g("GET", "/api/v2/routing/wrapupcodes")]
        );
        // curl's method is wherever the command says it: after the URL, glued to `-X`, after
        // `--request=`, on a continuation line; data without one makes a POST, `-G` a GET.
        let participant = "/api/v2/conversations/$CID/participants/$PID";
        for cmd in [
            format!("curl -s \"$BASE{participant}\" -X PATCH -d '{{}}'"),
            format!("curl -s -XPATCH \"$BASE{participant}\" -d '{{}}'"),
            format!("curl --request=PATCH \"$BASE{participant}\" -d '{{}}'"),
            format!("curl -s \\\n  -X PATCH \\\n  \"$BASE{participant}\" \\\n  --data '{{}}'"),
            format!("curl -s \"$BASE{participant}\" \\\n  --request PATCH \\\n  -d '{{}}'"),
        ] {
            assert_eq!(calls(&cmd), vec![g("PATCH", participant)], "{cmd}");
        }
        assert_eq!(
            calls("curl \"$BASE/api/v2/routing/queues\" \\\n  -d pageSize=100"),
            vec![g("POST", "/api/v2/routing/queues")]
        );
        assert_eq!(
            calls("curl -G \"$BASE/api/v2/routing/queues\" --data-urlencode name=Sales"),
            vec![g("GET", "/api/v2/routing/queues")]
        );
        // A method in a variable is unknown, whatever data the command sends.
        assert_eq!(
            calls("curl -X \"$METHOD\" \"$BASE/api/v2/users/$U\" -d \"$BODY\""),
            vec![(None, "/api/v2/users/$U".to_owned())]
        );
        // Unquoted URLs of curl commands, as shell scripts write them; not in comments, nor
        // partly quoted.
        assert_eq!(
            calls(
                "curl -s -X PATCH https://api.mypurecloud.com/api/v2/conversations/$C/participants/$P -d '{}'\ncurl -s $BASE/api/v2/routing/queues?pageSize=100 | jq .\nR=$(curl -s -XPOST $BASE/api/v2/conversations/$C/wrap-up)"
            ),
            vec![
                g("PATCH", "/api/v2/conversations/$C/participants/$P"),
                g("GET", "/api/v2/routing/queues?pageSize=100"),
                g("POST", "/api/v2/conversations/$C/wrap-up"),
            ]
        );
        assert!(calls("# curl $BASE/api/v2/conversations/$C/wrap-up\n").is_empty());
        assert!(calls("curl $BASE/api/v2/conversations/\"$C\"/participants\n").is_empty());
        assert!(calls("wget $BASE/api/v2/conversations/$C/wrap-up\n").is_empty());
        // The method of one command is not another's.
        assert_eq!(
            calls(
                "curl -X DELETE \"$BASE/api/v2/routing/queues/$Q\" && curl \"$BASE/api/v2/routing/queues\""
            ),
            vec![
                g("DELETE", "/api/v2/routing/queues/$Q"),
                g("GET", "/api/v2/routing/queues")
            ]
        );
        // A call without a method is not given the next statement's (no semicolons).
        assert_eq!(
            calls(
                "const a = await fetch(`$B/api/v2/routing/wrapupcodes`)\nconst b = await fetch(`$B/api/v2/users/${u}`, { method: \"PATCH\" })"
            ),
            vec![
                (None, "/api/v2/routing/wrapupcodes".to_owned()),
                g("PATCH", "/api/v2/users/${u}")
            ]
        );
        assert_eq!(
            calls(
                "r = fetch(\"/api/v2/users/me\", {\n  headers: { a: `b` }\n})\nfetch(\"/api/v2/users/x\", {\n  method: 'PATCH' })"
            ),
            vec![
                (None, "/api/v2/users/me".to_owned()),
                g("PATCH", "/api/v2/users/x")
            ]
        );
        assert_eq!(
            calls(
                "URL = '/api/v2/routing/wrapupcodes'\nr = requests.request(method='PATCH', url=other)"
            ),
            vec![(None, "/api/v2/routing/wrapupcodes".to_owned())]
        );
        assert_eq!(
            calls("axios({ url: `/api/v2/users/${u}`, method: 'patch' })"),
            vec![g("PATCH", "/api/v2/users/${u}")]
        );
        // A long call broken with the URL on a line of its own (black, prettier).
        assert_eq!(
            calls(
                "resp = requests.patch(\n    f\"{BASE}/api/v2/conversations/{cid}\",\n    json=body,\n)"
            ),
            vec![g("PATCH", "/api/v2/conversations/{cid}")]
        );
        assert_eq!(
            calls(
                "await axios.patch(\n  `${base}/api/v2/conversations/${id}`,\n  { wrapupCode },\n);"
            ),
            vec![g("PATCH", "/api/v2/conversations/${id}")]
        );
        // Concatenated URLs are not guessed at; comments are not code.
        assert!(calls("axios.get('/api/v2/conversations/' + id + '/x')").is_empty());
        assert!(calls("# see \"/api/v2/conversations/{id}\"\n").is_empty());
        // A bare constant: the path is checked, the method is unknown.
        assert_eq!(
            calls("const URL = '/api/v2/routing/wrapupcodes';"),
            vec![(None, "/api/v2/routing/wrapupcodes".to_owned())]
        );
    }

    /// The SDK calls `scan` finds in `text`, by name.
    fn sdk_names(text: &str) -> Vec<String> {
        (scan(FileId(0), text).into_iter())
            .filter_map(|c| match c {
                ScriptCall::Sdk { name, .. } => Some(name),
                ScriptCall::Http { .. } => None,
            })
            .collect()
    }

    #[test]
    fn sdk_calls_are_found() {
        let names = sdk_names(
            "const platformClient = require('purecloud-platform-client-v2');\napi.postConversationsCallParticipantCommunicationWrapup(a, b, c, body);\nplatformClient.wrapup.update(x);\napi.post_conversations_conversations_id_wrapup(x)\nlist.push(x);\nclient.getData();",
        );
        assert_eq!(
            names,
            vec![
                "postConversationsCallParticipantCommunicationWrapup",
                "platformClient.wrapup.update",
                "post_conversations_conversations_id_wrapup",
            ]
        );
    }

    #[test]
    fn only_calls_on_sdk_api_objects_are_sdk_calls() {
        let names = sdk_names(
            "const platformClient = require('purecloud-platform-client-v2');\n\
             const routing = new platformClient.RoutingApi();\n\
             routing.getRoutingQueuesInvented();\n\
             conversationsApi.getConversationsEmailInvented('x');\n\
             new platformClient.UsersApi().getUsersMeInvented();\n\
             document.getElementById('btn');\n\
             el.getBoundingClientRect();\n\
             Object.getOwnPropertyNames(x);\n\
             navigator.mediaDevices.getUserMedia({});\n\
             if (kind == platformClient.OtherApi()) { other.getSomethingElse(); }\n\
             self.get_all_items()\n\
             self.routing_api.get_routing_queues_invented()\n",
        );
        assert_eq!(
            names,
            vec![
                "getRoutingQueuesInvented",
                "getConversationsEmailInvented",
                "getUsersMeInvented",
                "get_routing_queues_invented",
            ]
        );
    }

    /// The Python SDK's own login methods, as its README calls them, are not invented operations.
    #[test]
    fn sdk_client_login_methods_are_not_sdk_calls() {
        let names = sdk_names(
            "import PureCloudPlatformClientV2\n\
             api_client = PureCloudPlatformClientV2.api_client.ApiClient()\n\
             api_client.get_client_credentials_token(cid, secret)\n\
             api_client, info = api_client.get_code_authorization_token(cid, secret, code, uri)\n\
             api_client, info = api_client.refresh_code_authorization_token(cid, secret, rt)\n\
             routing_api = PureCloudPlatformClientV2.RoutingApi(api_client)\n\
             routing_api.get_routing_queues_invented()\n",
        );
        assert_eq!(names, vec!["get_routing_queues_invented"]);
    }

    #[test]
    fn relative_paths_in_files_about_other_services_are_ignored() {
        assert!(scan(FileId(0), "axios.get('/api/v2/tickets.json') // zendesk").is_empty());
    }

    #[test]
    fn sdk_shaped_names_outside_sdk_users_are_ignored() {
        assert!(
            scan(
                FileId(0),
                "this.getQueueCodes(); api.postConversationsWhatever();"
            )
            .is_empty()
        );
    }

    #[test]
    fn hostile_text_never_panics() {
        for t in [
            "'",
            "\"/api/v2/",
            "`/api/v2/${",
            "é'/api/v2/x'é",
            ".(",
            "platformClient.",
            "%(",
            "curl -X",
        ] {
            let _ = scan(FileId(0), t);
        }
    }
}
