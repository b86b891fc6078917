//! Matching a method and a path (concrete, templated, or a URL) against the catalog's templates.
//!
//! A template's `{param}` matches any single segment. A literal segment of the query matches an
//! equal literal or a parameter; a parameter of the query (`{id}`, or a Velocity reference such as
//! `${input.conversationId}`) matches only a parameter, because its value is unknown. When several
//! templates match, the most specific wins, segment by segment from the left (a literal beats a
//! parameter), which is how the API routes `/routing/queues/divisionviews` before
//! `/routing/queues/{queueId}`; the method is then checked against that template only.
//!
//! One exception keeps invented paths from passing as real: a concrete segment that is a word of
//! the API's own vocabulary (a literal segment of some template, such as `wrapupcodes`) does not
//! fill an id parameter (`{conversationId}`). Ids are GUIDs, so `GET /api/v2/conversations/wrapupcodes`
//! is a mistaken path, not a request for the conversation whose id is "wrapupcodes".

use super::{Catalog, Operation};

// Shared with `build.rs`, which derives the catalog's tables with them.
pub use super::tables::{API_PREFIX, is_template_param, template_segments};

/// Result of [`Catalog::lookup`].
#[derive(Debug, Clone)]
pub enum Lookup<'a> {
    /// The operation.
    Found(&'a Operation),
    /// The path exists, but not with this method.
    MethodNotAllowed {
        /// The matched path template.
        path: &'static str,
        /// The operations the template has, in the catalog's method order.
        allowed: Vec<&'a Operation>,
    },
    /// No template matches the path.
    NotFound,
}

/// One segment of a query path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    /// A literal segment such as `routing`.
    Literal(&'a str),
    /// A parameter: `{id}`, a Velocity reference, or an empty placeholder, as written.
    Param(&'a str),
}

/// A query path split into segments after `/api/v2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathQuery<'a> {
    /// Segments after `/api/v2`.
    pub segments: Vec<Segment<'a>>,
    /// `api/v2` as written: `API/V2` too when parsed by [`PathQuery::parse_any_case`].
    pub prefix: &'a str,
}

impl<'a> PathQuery<'a> {
    /// Parse a path: `/api/v2/...`, `api/v2/...`, or a URL whose path is one. The query string and
    /// fragment are ignored, and so are empty segments (trailing or doubled slashes). `None` when the
    /// path is not under `/api/v2`.
    pub fn parse(path: &'a str) -> Option<Self> {
        Self::parse_any_case(path).filter(|q| q.prefix == &API_PREFIX[1..])
    }

    /// [`PathQuery::parse`], with the `/api/v2` prefix written in any case (`/API/V2/...`), as
    /// the API does not take it: for saying how a path differs from the API's spelling.
    pub fn parse_any_case(path: &'a str) -> Option<Self> {
        let path = path.trim();
        let path = match path.find("://") {
            Some(i) => {
                let after = &path[i + 3..];
                &after[after.find('/')?..]
            }
            None => path,
        };
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let path = path.strip_prefix('/').unwrap_or(path);
        let n = API_PREFIX.len() - 1;
        let (prefix, rest) = (path.get(..n)?, &path[n..]);
        if !prefix.eq_ignore_ascii_case(&API_PREFIX[1..])
            || !(rest.is_empty() || rest.starts_with('/'))
        {
            return None;
        }
        let segments = rest
            .split('/')
            .filter(|s| !s.is_empty())
            .map(classify)
            .collect();
        Some(PathQuery { segments, prefix })
    }

    /// The path written back with `{}` for parameters, for messages.
    pub fn display(&self) -> String {
        let mut out = String::from(API_PREFIX);
        for s in &self.segments {
            out.push('/');
            match s {
                Segment::Literal(l) => out.push_str(l),
                Segment::Param(_) => out.push_str("{}"),
            }
        }
        out
    }

    /// The path written back for people: a parameter as the template names it (`{id}`), a
    /// Velocity reference that is the whole segment as `{input.id}`, anything else as written.
    pub fn display_written(&self) -> String {
        let mut out = format!("/{}", self.prefix);
        for s in &self.segments {
            out.push('/');
            push_written(&mut out, s);
        }
        out
    }
}

/// One segment as [`PathQuery::display_written`] writes it.
fn push_written(out: &mut String, s: &Segment<'_>) {
    match s {
        Segment::Literal(l) => out.push_str(l),
        Segment::Param(p) => match crate::velocity::reference_name(p, true) {
            Some(name) => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
            None => out.push_str(p),
        },
    }
}

/// A query segment is a parameter when it is a template (`{x}`) or holds a Velocity reference
/// (`${input.x}`, `$!{x}`, `$input.x`), whose value is only known at run time.
fn classify(seg: &str) -> Segment<'_> {
    if (seg.starts_with('{') && seg.ends_with('}')) || seg.contains('$') {
        Segment::Param(seg)
    } else {
        Segment::Literal(seg)
    }
}

/// Whether a query parameter's name says it holds a kind of thing, whose values are words of the
/// API's paths (`${input.mediaType}` is `calls`, `emails`, ...): `type`, `media` or `kind` in it,
/// and no `id` at its end.
fn names_a_kind(param: &str) -> bool {
    let name = param
        .rsplit(['.', '{', '$', '!'])
        .find(|w| !w.is_empty() && *w != "}")
        .unwrap_or_default()
        .trim_end_matches('}')
        .to_ascii_lowercase();
    !name.ends_with("id")
        && !name.ends_with("ids")
        && ["type", "media", "kind"].iter().any(|k| name.contains(k))
}

/// Whether a query parameter's name says it holds a path (`${input.apiPath}`, `$!{input.resource}`,
/// `${input.endpoint}`), which may hold several segments.
fn names_a_path(param: &str) -> bool {
    let name = param
        .rsplit(['.', '{', '$', '!'])
        .find(|w| !w.is_empty() && *w != "}")
        .unwrap_or_default()
        .trim_end_matches('}')
        .to_ascii_lowercase();
    !name.ends_with("id")
        && ["path", "resource", "endpoint", "uri", "url", "route"]
            .iter()
            .any(|k| name.contains(k))
}

/// Whether a template parameter names an id (`{id}`, `{conversationId}`, `{codeIds}`).
fn is_id_param(t: &str) -> bool {
    let name = t.trim_start_matches('{').trim_end_matches('}');
    name == "id" || name.ends_with("Id") || name.ends_with("Ids")
}

impl Catalog {
    /// Every literal segment of the templates, sorted (built on first use).
    pub(super) fn literal_words(&self) -> &[&'static str] {
        &self.literal_words
    }

    /// Specificity of `template` for `query`, or `None` when it does not match: one bit per
    /// segment, most significant first, set for a literal match, so a larger value is more specific.
    /// With `any_case`, literal segments are compared ignoring ASCII case.
    fn specificity(
        &self,
        query: &PathQuery<'_>,
        template: &'static str,
        any_case: bool,
    ) -> Option<u64> {
        let mut score = 0u64;
        let mut count = 0;
        for (i, t) in template_segments(template).enumerate() {
            let q = query.segments.get(i)?;
            let literal = match (q, is_template_param(t)) {
                (Segment::Literal(l), false)
                    if *l == t || any_case && l.eq_ignore_ascii_case(t) =>
                {
                    true
                }
                (Segment::Literal(l), true)
                    if is_id_param(t) && self.is_literal_word(l, any_case) =>
                {
                    return None;
                }
                (_, true) => false,
                _ => return None,
            };
            if literal && i < 64 {
                score |= 1 << (63 - i);
            }
            count += 1;
        }
        (count == query.segments.len()).then_some(score)
    }

    /// Whether `word` is a literal segment of some template (in any case, with `any_case`: the
    /// templates' literals are all lowercase).
    fn is_literal_word(&self, word: &str, any_case: bool) -> bool {
        let words = self.literal_words();
        words.binary_search(&word).is_ok()
            || any_case
                && words
                    .binary_search(&word.to_ascii_lowercase().as_str())
                    .is_ok()
    }

    /// The most specific template matching `query` (literals compared ignoring ASCII case with
    /// `any_case`), with its specificity: what [`Self::lookup_query`] and [`Self::spelling_of`]
    /// both start from.
    fn best_template(&self, query: &PathQuery<'_>, any_case: bool) -> Option<(u64, &'static str)> {
        let mut best: Option<(u64, &'static str)> = None;
        for &i in self.by_len.get(query.segments.len())? {
            let op = &self.ops[i as usize];
            if best.is_some_and(|(_, p)| p == op.path) {
                continue; // same template as the previous operation
            }
            if let Some(s) = self.specificity(query, op.path, any_case) {
                if best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, op.path));
                }
            }
        }
        best
    }

    /// `query` as the API spells it, when it differs from a real path only in the case of its
    /// words (`/API/V2/Routing/Queues`, `/api/v2/routing/Queues/{id}`): each word as the
    /// template writes it (the templates' words are all lowercase), parameters and ids as
    /// written. `None` when no path matches even ignoring case. Such a path is not the API's
    /// (URL paths are case-sensitive), so it is answered "not found" like any other, and was
    /// without a word on how near it is.
    pub fn spelling_of(&self, query: &PathQuery<'_>) -> Option<String> {
        let (_, template) = self.best_template(query, true)?;
        let mut out = String::from(API_PREFIX);
        for (q, t) in query.segments.iter().zip(template_segments(template)) {
            out.push('/');
            if is_template_param(t) {
                push_written(&mut out, q);
            } else {
                out.push_str(t);
            }
        }
        Some(out)
    }

    /// Whether some `method` operation matches `query` once each parameter named as a kind of
    /// thing (see [`names_a_kind`]) may stand for a literal segment too: with
    /// `/api/v2/conversations/${input.mediaType}/{id}/...`, the reference is filled at run time
    /// with `calls`, `emails`, ..., so the request cannot be judged. A last segment named as a
    /// path (see [`names_a_path`]: `/api/v2/${input.apiPath}`, a generic action's) may stand for
    /// several segments. `false` when `query` has no such parameter. Ids never stand for words:
    /// `PATCH /api/v2/conversations/${input.conversationId}` is the forum's mistake, not
    /// `PATCH /api/v2/conversations/settings`.
    pub fn matches_with_kinds(&self, method: &str, query: &PathQuery<'_>) -> bool {
        let kinds: Vec<bool> = (query.segments.iter())
            .map(|s| matches!(s, Segment::Param(p) if names_a_kind(p) || names_a_path(p)))
            .collect();
        if !kinds.contains(&true) {
            return false;
        }
        let n = query.segments.len();
        let rest = matches!(query.segments.last(), Some(Segment::Param(p)) if names_a_path(p));
        let lens = if rest { n..self.by_len.len() } else { n..n + 1 };
        let candidates = lens.filter_map(|len| self.by_len.get(len)).flatten();
        candidates.into_iter().any(|&i| {
            let op = &self.ops[i as usize];
            op.method.eq_ignore_ascii_case(method.trim())
                && template_segments(op.path)
                    .zip(&query.segments)
                    .zip(&kinds)
                    .all(|((t, q), &kind)| match (q, is_template_param(t)) {
                        (Segment::Literal(l), false) => *l == t,
                        (Segment::Literal(l), true) => {
                            !(is_id_param(t) && self.is_literal_word(l, false))
                        }
                        (Segment::Param(_), true) => true,
                        (Segment::Param(_), false) => kind,
                    })
        })
    }

    /// Find the operation for `method` and `path` (see the module docs for the matching rules).
    pub fn lookup(&self, method: &str, path: &str) -> Lookup<'_> {
        match PathQuery::parse(path) {
            Some(q) => self.lookup_query(method, &q),
            None => Lookup::NotFound,
        }
    }

    /// [`Catalog::lookup`] for an already parsed path.
    pub fn lookup_query(&self, method: &str, query: &PathQuery<'_>) -> Lookup<'_> {
        let Some((score, template)) = self.best_template(query, false) else {
            return Lookup::NotFound;
        };
        let candidates = &self.by_len[query.segments.len()];
        // The operations of every template as specific as the best one, not only of that
        // template: the catalog names one route's parameter differently by method
        // (`GET .../messages/{messageIds}`, `DELETE .../messages/{messageId}`), and matching the
        // first spelling alone called a real DELETE not allowed. Two matching templates of equal
        // specificity have the same literals in the same places, so they are the same route.
        let allowed: Vec<&Operation> = candidates
            .iter()
            .map(|&i| &self.ops[i as usize])
            .filter(|op| {
                op.path == template || self.specificity(query, op.path, false) == Some(score)
            })
            .collect();
        match allowed
            .iter()
            .find(|op| op.method.eq_ignore_ascii_case(method.trim()))
        {
            Some(op) => Lookup::Found(op),
            None => Lookup::MethodNotAllowed {
                path: template,
                allowed,
            },
        }
    }

    /// `nearest`, with the operation of `method` `path` first when it has one, `n` at most: for
    /// a path given its right spelling ([`Catalog::spelling_of`]), whose operation leads
    /// whatever the words' scores.
    pub fn lead_with_operation<'a>(
        &'a self,
        method: &str,
        path: &str,
        mut nearest: Vec<&'a Operation>,
        n: usize,
    ) -> Vec<&'a Operation> {
        if let Lookup::Found(op) = self.lookup(method, path) {
            nearest.retain(|o| !std::ptr::eq(*o, op));
            nearest.insert(0, op);
            nearest.truncate(n);
        }
        nearest
    }

    /// The operations of one exact path template.
    pub fn operations_at(&self, template: &str) -> Vec<&Operation> {
        let start = self.ops.partition_point(|op| op.path < template);
        self.ops[start..]
            .iter()
            .take_while(|op| op.path == template)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paths_and_urls() {
        let q =
            PathQuery::parse("https://api.mypurecloud.com/api/v2/routing/queues/abc/?x=1").unwrap();
        assert_eq!(
            q.segments,
            vec![
                Segment::Literal("routing"),
                Segment::Literal("queues"),
                Segment::Literal("abc")
            ]
        );
        let q = PathQuery::parse("api/v2/conversations/${input.id}/participants/{p}").unwrap();
        assert!(matches!(q.segments[1], Segment::Param(_)));
        assert!(matches!(q.segments[3], Segment::Param(_)));
        assert_eq!(q.display(), "/api/v2/conversations/{}/participants/{}");
        // Messages show parameters as their names.
        assert_eq!(
            q.display_written(),
            "/api/v2/conversations/{input.id}/participants/{p}"
        );
        let written = |p: &str| PathQuery::parse(p).unwrap().display_written();
        assert_eq!(
            written("/api/v2/users/$!{input.USER_ID}"),
            "/api/v2/users/{input.USER_ID}"
        );
        assert_eq!(
            written("/api/v2/users/$userId/queues"),
            "/api/v2/users/{userId}/queues"
        );
        assert_eq!(
            written("/api/v2/users/id-${input.x}"),
            "/api/v2/users/id-${input.x}"
        );
        assert!(PathQuery::parse("/api/v20/x").is_none());
        assert!(PathQuery::parse("/v2/x").is_none());
        assert!(PathQuery::parse("https://example.com").is_none());
        assert_eq!(PathQuery::parse("/api/v2").unwrap().segments, vec![]);
    }

    /// The API's paths are case-sensitive: a path in another case is not found, and its right
    /// spelling is the real path's words with the query's own parameters and ids.
    #[test]
    fn spelling_of_a_path_in_another_case() {
        let c = Catalog::get();
        assert!(PathQuery::parse("/API/V2/routing/queues").is_none());
        let q = PathQuery::parse_any_case("/API/V2/Routing/Queues?pageSize=1").unwrap();
        assert_eq!(q.prefix, "API/V2");
        assert_eq!(q.display_written(), "/API/V2/Routing/Queues");
        assert!(matches!(
            c.lookup("GET", "/API/V2/Routing/Queues"),
            Lookup::NotFound
        ));
        assert_eq!(c.spelling_of(&q).as_deref(), Some("/api/v2/routing/queues"));
        let spelt = |p: &str| c.spelling_of(&PathQuery::parse_any_case(p).unwrap());
        assert_eq!(
            spelt("/api/v2/Routing/queues/AbC-1/WrapupCodes").as_deref(),
            Some("/api/v2/routing/queues/AbC-1/wrapupcodes")
        );
        assert_eq!(
            spelt("/api/v2/Conversations/${input.Id}/Participants/{pid}").as_deref(),
            Some("/api/v2/conversations/{input.Id}/participants/{pid}")
        );
        // A word of the API in any case does not fill an id, as in the exact lookup.
        assert_eq!(spelt("/api/v2/Conversations/WRAPUPCODES"), None);
        assert_eq!(spelt("/API/V2/Nothing/Here"), None);
    }

    #[test]
    fn literal_beats_param() {
        let c = Catalog::get();
        let Lookup::Found(op) = c.lookup("GET", "/api/v2/routing/queues/divisionviews") else {
            panic!("divisionviews not found")
        };
        assert_eq!(op.path, "/api/v2/routing/queues/divisionviews");
        let Lookup::Found(op) = c.lookup("get", "/api/v2/routing/queues/0d6b2f3a/") else {
            panic!("queue not found")
        };
        assert_eq!(op.path, "/api/v2/routing/queues/{queueId}");
        // A parameter in the query never matches a literal template segment.
        let Lookup::Found(op) = c.lookup("GET", "/api/v2/routing/queues/{id}") else {
            panic!("templated queue not found")
        };
        assert_eq!(op.path, "/api/v2/routing/queues/{queueId}");
    }

    #[test]
    fn method_not_allowed_lists_the_template_methods() {
        let c = Catalog::get();
        match c.lookup("PATCH", "/api/v2/conversations/{id}") {
            Lookup::MethodNotAllowed { path, allowed } => {
                assert_eq!(path, "/api/v2/conversations/{conversationId}");
                let methods: Vec<_> = allowed.iter().map(|o| o.method).collect();
                assert_eq!(methods, ["GET", "DELETE"]);
            }
            other => panic!("expected method-not-allowed, got {other:?}"),
        }
        assert!(matches!(
            c.lookup("GET", "/api/v2/nothing/here"),
            Lookup::NotFound
        ));
        // A vocabulary word does not fill an id parameter.
        assert!(matches!(
            c.lookup("GET", "/api/v2/conversations/wrapupcodes"),
            Lookup::NotFound
        ));
        assert!(matches!(
            c.lookup("GET", "/api/v2/conversations/0a1b2c"),
            Lookup::Found(_)
        ));
        assert!(matches!(c.lookup("GET", "/not/the/api"), Lookup::NotFound));
        // One route whose parameter the catalog names differently by method: each method is
        // found, and a method it lacks lists all of them.
        for (method, path) in [
            ("GET", "/api/v2/chats/rooms/{roomJid}/messages/{messageIds}"),
            (
                "DELETE",
                "/api/v2/chats/rooms/{roomJid}/messages/{messageId}",
            ),
            ("PATCH", "/api/v2/chats/rooms/r1/messages/m1"),
            (
                "POST",
                "/api/v2/chats/rooms/{roomJid}/participants/{userId}",
            ),
            ("DELETE", "/api/v2/chats/users/u1/messages/{id}"),
        ] {
            match c.lookup(method, path) {
                Lookup::Found(op) => assert_eq!(op.method, method, "{path}"),
                other => panic!("{method} {path}: expected found, got {other:?}"),
            }
        }
        match c.lookup("PUT", "/api/v2/chats/rooms/r1/messages/m1") {
            Lookup::MethodNotAllowed { allowed, .. } => {
                let methods: Vec<_> = allowed.iter().map(|o| o.method).collect();
                assert_eq!(methods, ["GET", "PATCH", "DELETE"]);
            }
            other => panic!("expected method-not-allowed, got {other:?}"),
        }
        assert_eq!(
            c.operations_at("/api/v2/conversations/{conversationId}")
                .len(),
            2
        );
    }
}
