//! Checking one Platform API request as a data action (or any template) writes it: method, URL
//! template and optional JSON body template with Velocity placeholders.
//!
//! The URL may be relative (`/api/v2/...`) or absolute on a Genesys API host; other hosts are not
//! the Platform API (Zendesk also serves `/api/v2/...`) and are ignored. Velocity references in path
//! segments become parameters. The body is checked only when it is JSON once each Velocity
//! reference is replaced by a stand-in of the same byte length (so key offsets stay exact, see
//! [`crate::velocity`]); any other template (directives, a bare `${input.rawRequest}`) yields no
//! field problems: guessing would be noise.

use std::ops::Range;

use super::body::{FieldProblem, Node, Prop};
use super::paths::{Lookup, PathQuery};
use super::{Catalog, FieldType, Operation};

/// Domains of Genesys Cloud API hosts (`api.<domain>`), one per region, plus Genesys's own
/// development and test environments.
const GENESYS_DOMAINS: &[&str] = &[
    "mypurecloud.com",
    "mypurecloud.ie",
    "mypurecloud.de",
    "mypurecloud.com.au",
    "mypurecloud.jp",
    "pure.cloud",
    "us-gov-pure.cloud",
    "inindca.com",
    "inintca.com",
];

/// A problem with one request.
#[derive(Debug, Clone)]
pub enum ApiProblem {
    /// No operation has this path.
    UnknownEndpoint {
        /// Upper-case method.
        method: String,
        /// The path as understood, for messages (see [`PathQuery::display_written`]).
        path: String,
        /// The nearest real operations, best first.
        nearest: Vec<&'static Operation>,
        /// The path as the API spells it, when it differs from a real one only in case
        /// (`/API/V2/Routing/Queues`; see [`Catalog::spelling_of`]).
        spelling: Option<String>,
    },
    /// The path exists, but not with this method.
    MethodNotAllowed {
        /// Upper-case method.
        method: String,
        /// The matched template.
        path: &'static str,
        /// The methods the template has.
        allowed: Vec<&'static str>,
    },
    /// The operation was removed (SDK 259 release notes).
    Removed(&'static Operation),
    /// The operation is deprecated.
    Deprecated(&'static Operation),
    /// A body key the operation's model does not have.
    UnknownField(FieldProblem),
    /// The operation changes a conversation participant, which needs the participant's user context.
    ConversationChange(&'static Operation),
    /// The operation acts for the user making the request, which needs a user context.
    CurrentUser(&'static Operation),
}

/// Problems of a request: `method`, `url_template` (relative or absolute, Velocity allowed) and
/// the body template, if any. Empty for URLs that are not the Platform API.
pub fn check_request(
    method: &str,
    url_template: &str,
    body_template: Option<&str>,
) -> Vec<ApiProblem> {
    let catalog = Catalog::get();
    let method = method.trim().to_ascii_uppercase();
    let Some(query) = platform_path(url_template) else {
        return Vec::new();
    };
    // The API's prefix written in another case (`/API/V2`) is not the API's path either.
    let written_as_the_api = query.prefix == &super::paths::API_PREFIX[1..];
    let lookup = if written_as_the_api {
        catalog.lookup_query(&method, &query)
    } else {
        Lookup::NotFound
    };
    // A reference standing for a word of the path (`/conversations/${input.mediaType}/...`) is
    // known only at run time: when some operation of this method matches with it filled in,
    // the request cannot be judged (DOMAIN.md: never a finding built on an unknown value).
    if !matches!(lookup, Lookup::Found(_)) && catalog.matches_with_kinds(&method, &query) {
        return Vec::new();
    }
    let op = match lookup {
        Lookup::Found(op) => op,
        Lookup::MethodNotAllowed { path, allowed } => {
            return vec![ApiProblem::MethodNotAllowed {
                method,
                path,
                allowed: allowed.iter().map(|o| o.method).collect(),
            }];
        }
        Lookup::NotFound => {
            let spelling = catalog.spelling_of(&query);
            if spelling.is_none() && !written_as_the_api {
                // `/API/V2/...` that is near no real path: perhaps not the Platform API at all.
                return Vec::new();
            }
            let nearest = match &spelling {
                Some(spelt) => {
                    let nearest = catalog.nearest(&method, spelt, 5);
                    catalog.lead_with_operation(&method, spelt, nearest, 5)
                }
                None => catalog.nearest(&method, &query.display(), 5),
            };
            return vec![ApiProblem::UnknownEndpoint {
                method,
                path: query.display_written(),
                nearest,
                spelling,
            }];
        }
    };
    let mut out = Vec::new();
    if op.removed_in_sdk259 {
        out.push(ApiProblem::Removed(op));
    } else if op.deprecated {
        out.push(ApiProblem::Deprecated(op));
    }
    if let Some(fields) = body_template.and_then(|body| check_body(op, body)) {
        out.extend(fields.into_iter().map(ApiProblem::UnknownField));
    }
    if catalog.is_conversation_participant_change(op) {
        out.push(ApiProblem::ConversationChange(op));
    }
    if catalog.acts_for_current_user(op) {
        out.push(ApiProblem::CurrentUser(op));
    }
    out
}

/// A request body, parsed once for every check of it: JSON, or a data action's JSON template
/// (Velocity references standing for values).
#[derive(Debug)]
pub struct RequestBody<'a> {
    text: &'a str,
    node: Node,
}

impl<'a> RequestBody<'a> {
    /// `text` parsed, or `None` when it is not JSON, even as a template.
    pub fn parse(text: &'a str) -> Option<Self> {
        parse_body_template(text).map(|node| RequestBody { text, node })
    }

    /// The text as given.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The keys `op`'s request model does not have.
    pub fn unknown_fields(&self, op: &Operation) -> Vec<FieldProblem> {
        let mut fields = Vec::new();
        if let Some(ty) = op.body {
            Catalog::get().check_node(&FieldType::parse(ty), &self.node, "$", &mut fields);
        }
        fields
    }
}

/// The keys of `body` (JSON, or a data action's JSON template with Velocity references) that
/// `op`'s request model does not have; `None` when `body` is not JSON even so.
pub fn check_body(op: &Operation, body: &str) -> Option<Vec<FieldProblem>> {
    RequestBody::parse(body).map(|b| b.unknown_fields(op))
}

/// The operation a request with the wrong method, or a path that does not exist, most likely
/// meant: among nearby operations with that method, the one whose body model shares the most
/// words with the request body's keys (`wrapupCode` ~ `wrapup`), then the nearest by path.
pub fn intended_operation(
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Option<&'static Operation> {
    let nearest = Catalog::get().nearest(method, path, INTENDED_AMONG);
    intended_among(&nearest, method, path, body)
}

/// How many of the nearest operations [`intended_operation`] chooses among.
pub const INTENDED_AMONG: usize = 40;

/// [`intended_operation`], choosing among `nearest` (the nearest operations to `method` `path`,
/// best first, as [`Catalog::nearest`] gives them) for a caller that has them already.
pub fn intended_among(
    nearest: &[&'static Operation],
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Option<&'static Operation> {
    let catalog = Catalog::get();
    let keys: Vec<String> = body
        .map(|b| {
            // Top-level keys of a JSON-ish template, without parsing Velocity.
            b.split('"')
                .skip(1)
                .step_by(2)
                .filter(|k| !k.contains('$') && k.len() >= 4)
                .map(str::to_ascii_lowercase)
                .collect()
        })
        .unwrap_or_default();
    let candidates: Vec<&'static Operation> = (nearest.iter().copied())
        .filter(|o| o.method == method && o.path != path)
        .collect();
    let score = |op: &Operation| -> usize {
        let Some(model) = op
            .body
            .and_then(|b| catalog.model(b.trim_end_matches("[]")))
        else {
            return 0;
        };
        keys.iter()
            .filter(|k| {
                model.fields.iter().any(|f| {
                    let f = f.name.to_ascii_lowercase();
                    f.len() >= 4 && (k.contains(&f) || f.contains(k.as_str()))
                })
            })
            .count()
    };
    let best = candidates.iter().map(|o| score(o)).max().unwrap_or(0);
    candidates.into_iter().find(|o| score(o) == best)
}

/// The operation a request calls, when its URL is on the Platform API and the operation exists.
pub fn resolve_request(method: &str, url_template: &str) -> Option<&'static Operation> {
    let query =
        platform_path(url_template).filter(|q| q.prefix == &super::paths::API_PREFIX[1..])?;
    match Catalog::get().lookup_query(&method.trim().to_ascii_uppercase(), &query) {
        Lookup::Found(op) => Some(op),
        _ => None,
    }
}

/// The `/api/v2` path of a URL template on a Genesys API host (or relative), else `None`.
fn platform_path(url: &str) -> Option<PathQuery<'_>> {
    let url = url.trim();
    if let Some(i) = url.find("://") {
        let after = &url[i + 3..];
        let host_end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let host = after[..host_end].rsplit('@').next().unwrap_or_default();
        let host = host
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let genesys = host.strip_prefix("api.").is_some_and(|domain| {
            GENESYS_DOMAINS
                .iter()
                .any(|d| domain == *d || domain.ends_with(&format!(".{d}")))
        });
        if !genesys {
            return None;
        }
    } else if !url
        .get(..super::paths::API_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(super::paths::API_PREFIX))
    {
        return None;
    }
    // No Platform API path has a file extension; other services' relative `/api/v2` paths do
    // (Zendesk's `/api/v2/tickets.json`, for a Zendesk data action whose integration is not
    // known).
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let last = (path.trim_end_matches('/').rsplit('/').next())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if last.ends_with(".json") || last.ends_with(".xml") {
        return None;
    }
    PathQuery::parse_any_case(url)
}

#[cfg(test)]
thread_local! {
    /// How many body templates this thread has parsed: a test counts that a body is parsed once.
    pub(crate) static BODY_PARSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Parse a body template to key-checking nodes, or `None` when it is not JSON.
fn parse_body_template(text: &str) -> Option<Node> {
    #[cfg(test)]
    BODY_PARSES.with(|n| n.set(n.get() + 1));
    let holes = crate::velocity::references(text);
    let mask = crate::velocity::json_string_mask(text, &holes);
    let json = crate::velocity::json_stand_in(text, &holes, &mask);
    let parsed =
        jsonc_parser::parse_to_ast(&json, &Default::default(), &crate::velocity::strict_json())
            .ok()?;
    Some(to_node(&parsed.value?, &holes))
}

fn to_node(v: &jsonc_parser::ast::Value<'_>, holes: &[Range<usize>]) -> Node {
    use jsonc_parser::ast::{ObjectPropName, Value};
    match v {
        Value::Object(obj) => Node::Object(
            obj.properties
                .iter()
                .map(|p| {
                    let (key, range) = match &p.name {
                        ObjectPropName::String(s) => {
                            (s.value.to_string(), s.range.start..s.range.end)
                        }
                        ObjectPropName::Word(w) => {
                            (w.value.to_string(), w.range.start..w.range.end)
                        }
                    };
                    let trusted = !holes
                        .iter()
                        .any(|h| h.start < range.end && range.start < h.end);
                    Prop {
                        key,
                        range: Some(range),
                        trusted,
                        value: to_node(&p.value, holes),
                    }
                })
                .collect(),
        ),
        Value::Array(arr) => Node::Array(arr.elements.iter().map(|e| to_node(e, holes)).collect()),
        _ => Node::Scalar,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRAPUP_URL: &str = "/api/v2/conversations/calls/${input.conversationId}/participants/${input.participantId}/communications/${input.communicationId}/wrapup";

    fn kinds(problems: &[ApiProblem]) -> Vec<&'static str> {
        problems
            .iter()
            .map(|p| match p {
                ApiProblem::UnknownEndpoint { .. } => "unknown-endpoint",
                ApiProblem::MethodNotAllowed { .. } => "method-not-allowed",
                ApiProblem::Removed(_) => "removed",
                ApiProblem::Deprecated(_) => "deprecated",
                ApiProblem::UnknownField(_) => "unknown-field",
                ApiProblem::ConversationChange(_) => "conversation-change",
                ApiProblem::CurrentUser(_) => "current-user",
            })
            .collect()
    }

    #[test]
    fn correct_calls_only_flag_the_user_context() {
        let body = r#"{"code": "${input.wrapupCodeId}", "notes": "$!{input.notes}"}"#;
        let p = check_request("POST", WRAPUP_URL, Some(body));
        assert_eq!(kinds(&p), ["conversation-change"]);
        let p = check_request(
            "patch",
            "https://api.mypurecloud.ie/api/v2/conversations/${input.conversationId}/participants/${input.participantId}",
            Some(r#"{"wrapup": {"code": "${input.code}", "notes": "x"}}"#),
        );
        assert_eq!(kinds(&p), ["conversation-change"]);
        let p = check_request(
            "GET",
            "/api/v2/routing/queues/${input.queueId}/wrapupcodes?pageSize=100",
            None,
        );
        assert!(p.is_empty(), "{p:?}");
        let p = check_request(
            "GET",
            "https://api.usw2.pure.cloud/api/v2/routing/wrapupcodes",
            None,
        );
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn forum_mistakes() {
        let p = check_request(
            "PATCH",
            "/api/v2/conversations/${input.conversationId}",
            Some(r#"{"wrapupCode": "x"}"#),
        );
        match &p[..] {
            [ApiProblem::MethodNotAllowed { path, allowed, .. }] => {
                assert_eq!(*path, "/api/v2/conversations/{conversationId}");
                assert_eq!(allowed, &["GET", "DELETE"]);
            }
            other => panic!("{other:?}"),
        }
        for (method, url) in [
            ("POST", "/api/v2/conversations/voice/${input.id}/wrapup"),
            ("PATCH", "/api/v2/interactions/interactions/${input.id}"),
            ("PATCH", "/api/v2/interactions/${input.id}/actions"),
            ("POST", "/api/v2/conversations/${input.id}/wrap-up"),
            ("GET", "/api/v2/conversations/wrapupcodes"),
        ] {
            let p = check_request(method, url, None);
            match &p[..] {
                [ApiProblem::UnknownEndpoint { nearest, .. }] => {
                    assert!(!nearest.is_empty(), "{url}")
                }
                other => panic!("{url}: {other:?}"),
            }
        }
    }

    /// A reference named as a media type or kind stands for a word of the path, known only at
    /// run time: not judged when some operation matches with it filled in; an id never does.
    #[test]
    fn references_that_stand_for_path_words() {
        for (method, url) in [
            (
                "POST",
                "/api/v2/conversations/${input.mediaType}/${input.conversationId}/participants/${input.participantId}/communications/${input.communicationId}/wrapup",
            ),
            (
                "PATCH",
                "/api/v2/conversations/$!{input.conversationType}/${input.conversationId}/participants/${input.participantId}",
            ),
            (
                "GET",
                "/api/v2/routing/queues/${input.queueId}/mediatypes/${input.media}/estimatedwaittime",
            ),
            // A generic action's path, one or several segments.
            ("GET", "/api/v2/${input.apiPath}"),
            ("GET", "/api/v2/routing/$!{input.resource}"),
            ("GET", "/api/v2/routing/${input.path}?pageSize=100"),
        ] {
            let p = check_request(method, url, None);
            assert!(p.is_empty(), "{url}: {p:?}");
        }
        // Still wrong with any word filled in: no operation has `voice`, nor this method.
        let p = check_request(
            "POST",
            "/api/v2/conversations/voice/${input.mediaType}/wrapup",
            None,
        );
        assert_eq!(kinds(&p), ["unknown-endpoint"]);
        let p = check_request(
            "DELETE",
            "/api/v2/conversations/${input.mediaType}/${input.conversationId}/participants/${input.participantId}/communications/${input.communicationId}/wrapup",
            None,
        );
        assert_eq!(kinds(&p), ["unknown-endpoint"]);
        // No routing path at all has this method.
        let p = check_request("HEAD", "/api/v2/routing/${input.path}", None);
        assert_eq!(kinds(&p), ["unknown-endpoint"]);
        // An id is never a word: `PATCH /conversations/settings` exists, this is still a mistake.
        let p = check_request(
            "PATCH",
            "/api/v2/conversations/${input.conversationId}",
            None,
        );
        assert_eq!(kinds(&p), ["method-not-allowed"]);
        let p = check_request("PATCH", "/api/v2/conversations/${input.id}", None);
        assert_eq!(kinds(&p), ["method-not-allowed"]);
    }

    /// A path in another case than the API's gets its right spelling, and the operation of
    /// that spelling first among the nearest.
    #[test]
    fn paths_in_another_case() {
        for (url, want) in [
            ("/API/V2/Routing/Queues", "/api/v2/routing/queues"),
            (
                "https://api.mypurecloud.ie/api/v2/Routing/Queues/${input.queueId}/wrapupcodes",
                "/api/v2/routing/queues/{input.queueId}/wrapupcodes",
            ),
        ] {
            match &check_request("GET", url, None)[..] {
                [
                    ApiProblem::UnknownEndpoint {
                        spelling, nearest, ..
                    },
                ] => {
                    assert_eq!(spelling.as_deref(), Some(want), "{url}");
                    let op = Catalog::get().lookup("GET", want);
                    let Lookup::Found(op) = op else {
                        panic!("{want}: {op:?}")
                    };
                    assert!(std::ptr::eq(nearest[0], op), "{url}: {nearest:?}");
                }
                other => panic!("{url}: {other:?}"),
            }
            assert!(resolve_request("GET", url).is_none(), "{url}");
        }
        // A relative `/API/V2/...` near no real path is perhaps not the Platform API: not judged.
        assert!(check_request("GET", "/API/V2/tickets", None).is_empty());
        // A path that differs otherwise too gets the nearest operations, as before.
        match &check_request("GET", "/api/v2/Routing/Queue", None)[..] {
            [ApiProblem::UnknownEndpoint { spelling: None, .. }] => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unknown_fields_carry_offsets_and_suggestions() {
        let body = "{\n  \"wrapUpCodeId\": \"${input.code}\",\n  \"notes\": ${input.notes}\n}";
        let p = check_request("POST", WRAPUP_URL, Some(body));
        assert_eq!(kinds(&p), ["unknown-field", "conversation-change"]);
        let ApiProblem::UnknownField(f) = &p[0] else {
            unreachable!()
        };
        assert_eq!(f.key, "wrapUpCodeId");
        assert_eq!(f.path, "$.wrapUpCodeId");
        assert_eq!(f.suggestion, Some("code"));
        let range = f.range.clone().unwrap();
        assert_eq!(&body[range], "\"wrapUpCodeId\"");

        let body = r#"{"wrapup": {"wrapupCodeId": "${input.code}"}, "actionType": "wrapup"}"#;
        let p = check_request(
            "PATCH",
            "/api/v2/conversations/{c}/participants/{p}",
            Some(body),
        );
        let fields: Vec<_> = p
            .iter()
            .filter_map(|p| match p {
                ApiProblem::UnknownField(f) => Some((
                    f.path.as_str(),
                    f.suggestion,
                    f.range.clone().map(|r| &body[r]),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            fields,
            [
                (
                    "$.wrapup.wrapupCodeId",
                    Some("code"),
                    Some("\"wrapupCodeId\"")
                ),
                ("$.actionType", None, Some("\"actionType\""))
            ]
        );
    }

    #[test]
    fn no_guessing_on_templates_that_are_not_json() {
        for body in [
            "${input.rawRequest}",
            "$input.rawRequest",
            "#if($input.x) {\"wrapupCode\": 1} #end",
            "{\"wrapupCode\": ",
        ] {
            let p = check_request("POST", WRAPUP_URL, Some(body));
            assert_eq!(kinds(&p), ["conversation-change"], "{body}");
        }
        // A reference with arguments is a value like any other: the keys around it are read.
        let p = check_request(
            "POST",
            WRAPUP_URL,
            Some("{\"wrapupCode\": $esc.jsonString($input.code)}"),
        );
        assert_eq!(kinds(&p), ["unknown-field", "conversation-change"]);
        // A key that is itself a placeholder is not judged.
        let p = check_request("POST", WRAPUP_URL, Some(r#"{"${input.key}": 1}"#));
        assert_eq!(kinds(&p), ["conversation-change"]);
    }

    #[test]
    fn other_hosts_and_paths_are_ignored() {
        assert!(check_request("GET", "https://api.zendesk.com/api/v2/tickets", None).is_empty());
        assert!(check_request("POST", "/api/v2/tickets.json", None).is_empty());
        assert!(check_request("GET", "/api/v2/users/me.json?x=1", None).is_empty());
        assert!(check_request("GET", "https://${input.host}/api/v2/nope", None).is_empty());
        assert!(check_request("GET", "/v1/other", None).is_empty());
        assert!(check_request("GET", "https://api.mypurecloud.com/api/v2/nope", None).len() == 1);
    }

    #[test]
    fn removed_and_deprecated() {
        let p = check_request("GET", "/api/v2/conversations/chats", None);
        assert_eq!(kinds(&p), ["removed", "current-user"]);
        let c = Catalog::get();
        let dep = c
            .operations()
            .iter()
            .find(|o| o.deprecated && !o.removed_in_sdk259)
            .unwrap();
        let p = check_request(dep.method, dep.path, None);
        assert!(kinds(&p).contains(&"deprecated"), "{}", dep.key());
    }

    /// The table in `testdata/catalog/requests.json`.
    #[test]
    fn request_fixtures() {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../testdata/catalog/requests.json")).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let body = case["body"].as_str();
            let p = check_request(
                case["method"].as_str().unwrap(),
                case["url"].as_str().unwrap(),
                body,
            );
            let want: Vec<&str> = case["expect"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap())
                .collect();
            assert_eq!(kinds(&p), want, "{name}");
            let fields: Vec<(String, Option<String>)> = p
                .iter()
                .filter_map(|p| match p {
                    ApiProblem::UnknownField(f) => {
                        // The range must cover the quoted key in the template.
                        let r = f.range.clone().unwrap();
                        assert_eq!(&body.unwrap()[r], format!("\"{}\"", f.key), "{name}");
                        Some((f.path.clone(), f.suggestion.map(str::to_string)))
                    }
                    _ => None,
                })
                .collect();
            let want_fields: Vec<(String, Option<String>)> = case["fields"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|f| {
                            (
                                f[0].as_str().unwrap().to_string(),
                                f[1].as_str().map(str::to_string),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(fields, want_fields, "{name}");
        }
    }
}
