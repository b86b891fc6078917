//! `cxlint api <METHOD> <PATH>`: what a Platform API endpoint is and what it needs (scopes,
//! permissions, body), or, when it does not exist, that it does not and what the nearest real
//! operations are. The logic and both renderings (human text, JSON) live here; the CLI prints
//! [`ApiAnswer::text`] or [`ApiAnswer::json`] and exits 1 when [`ApiAnswer::found`] is false.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::catalog::{Catalog, FieldType, Lookup, Operation, PermissionKind, RequestBody};

/// How many nearest operations a "does not exist" answer lists.
const NEAREST: usize = 5;

/// The answer to `cxlint api METHOD PATH`.
#[derive(Debug, Clone)]
pub struct ApiAnswer {
    /// Whether the operation exists.
    pub found: bool,
    /// Human rendering, ending in a newline.
    pub text: String,
    /// JSON rendering (keys sorted, deterministic).
    pub json: Value,
    /// With a body to check: the problems found in it (keys the operation's model does not
    /// have, or a body the operation does not take).
    pub body_problems: usize,
}

/// Explain `method` `path`. `path` may hold concrete values or `{param}`s, a query string, a full
/// URL, or omit the `/api/v2` prefix.
pub fn explain_endpoint(method: &str, path: &str) -> ApiAnswer {
    explain_request(method, path, None)
}

/// [`explain_endpoint`], with a request body (JSON, or a data action's JSON template, parsed
/// once by [`RequestBody::parse`]): its keys are checked against the operation's model, and
/// when the operation does not exist, the nearest one whose model has them comes first (a
/// `wrapupCode` body on `PATCH /api/v2/conversations/{id}` meant the participant's `wrapup`).
pub fn explain_request(method: &str, path: &str, body: Option<&RequestBody<'_>>) -> ApiAnswer {
    let body_text = body.map(RequestBody::text);
    let catalog = Catalog::get();
    let method = method.trim().to_ascii_uppercase();
    let path = path.trim();
    let full = full_path(path);
    let query = json!({ "method": method, "path": path });
    // The text repeats the user's arguments: control characters in them (a pasted escape
    // sequence) are shown escaped, as in every other message (the JSON escapes them itself).
    let (method_shown, path_shown) = (crate::shown::text(&method), crate::shown::text(path));
    match catalog.lookup(&method, &full) {
        Lookup::Found(op) => {
            let mut text = render_operation(catalog, op);
            let mut json =
                json!({ "query": query, "found": true, "operation": operation_json(catalog, op) });
            let mut body_problems = 0;
            if let Some(body) = body {
                let (problems, checked) = body_check(op, body);
                body_problems = problems.len();
                render_body_check(&mut text, op, &problems);
                json["bodyCheck"] = checked;
            }
            ApiAnswer {
                found: true,
                text,
                json,
                body_problems,
            }
        }
        Lookup::MethodNotAllowed {
            path: template,
            allowed,
        } => {
            // The path's own operations are listed above the nearest ones: not twice.
            let nearest: Vec<&Operation> = nearest_for(&method, &full, body_text, allowed.len())
                .into_iter()
                .filter(|o| !allowed.iter().any(|a| std::ptr::eq(*a, *o)))
                .take(NEAREST)
                .collect();
            let mut text = format!(
                "{method_shown} {template}: no such operation; this path has only {}\n",
                allowed
                    .iter()
                    .map(|o| o.method)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            text.push('\n');
            for op in &allowed {
                render_brief(&mut text, op);
            }
            render_nearest(&mut text, &method_shown, &nearest);
            ApiAnswer {
                found: false,
                text,
                json: json!({
                    "query": query,
                    "found": false,
                    "methodNotAllowed": {
                        "path": template,
                        "allowed": allowed.iter().map(|o| brief_json(o)).collect::<Vec<_>>(),
                    },
                    "nearest": nearest.iter().map(|o| brief_json(o)).collect::<Vec<_>>(),
                }),
                body_problems: 0,
            }
        }
        Lookup::NotFound => {
            let spelling = crate::catalog::PathQuery::parse_any_case(&full)
                .and_then(|q| catalog.spelling_of(&q));
            let mut text = format!(
                "{method_shown} {path_shown} does not exist in the Genesys Cloud Platform API\n"
            );
            let nearest = match &spelling {
                Some(spelt) => {
                    let _ = writeln!(text, "{}", case_note(catalog, &method, spelt));
                    let nearest = nearest_for(&method, spelt, body_text, 0);
                    catalog.lead_with_operation(&method, spelt, nearest, NEAREST)
                }
                None => nearest_for(&method, &full, body_text, 0),
            };
            render_nearest(&mut text, &method_shown, &nearest);
            let mut json = json!({
                "query": query,
                "found": false,
                "nearest": nearest.iter().map(|o| brief_json(o)).collect::<Vec<_>>(),
            });
            if let Some(spelt) = spelling {
                json["differsOnlyInCaseFrom"] = json!(spelt);
            }
            ApiAnswer {
                found: false,
                text,
                json,
                body_problems: 0,
            }
        }
    }
}

/// The line saying that a path differs from `spelt`, a real one, only in case: with the
/// operation when `method` has one there, else with the methods the path has.
fn case_note(catalog: &Catalog, method: &str, spelt: &str) -> String {
    let what = match catalog.lookup(method, spelt) {
        Lookup::MethodNotAllowed { allowed, .. } => format!(
            "`{spelt}` (which has only {})",
            allowed
                .iter()
                .map(|o| o.method)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => format!("`{method} {spelt}`"),
    };
    // The parameters and ids are the user's, as written.
    let what = crate::shown::text(&what);
    format!(
        "it differs only in case from {what}; the Platform API's paths are lowercase (URL paths are case-sensitive)"
    )
}

/// The nearest real operations to `method` `path`, [`NEAREST`] of them and `extra` more, with a
/// body the one its keys point to first (see [`crate::catalog::intended_operation`]).
fn nearest_for(
    method: &str,
    path: &str,
    body: Option<&str>,
    extra: usize,
) -> Vec<&'static Operation> {
    let wanted = NEAREST + extra;
    let Some(body) = body else {
        return Catalog::get().nearest(method, path, wanted);
    };
    // One search for both: the body's choice is made among more than are listed.
    let mut nearest =
        (Catalog::get()).nearest(method, path, wanted.max(crate::catalog::INTENDED_AMONG));
    let intended = crate::catalog::intended_among(&nearest, method, path, Some(body));
    if let Some(first) = intended {
        nearest.retain(|o| !std::ptr::eq(*o, first));
        nearest.insert(0, first);
    }
    nearest.truncate(wanted);
    nearest
}

/// The problems of `body` as a request to `op` (one for a body it does not take), and their
/// JSON rendering.
fn body_check(op: &Operation, body: &RequestBody<'_>) -> (Vec<String>, Value) {
    let Some(ty) = op.body else {
        let problem = "this operation takes no request body".to_string();
        return (
            vec![problem.clone()],
            json!({ "model": null, "problems": [{ "message": problem }] }),
        );
    };
    let fields = body.unknown_fields(op);
    let problems: Vec<String> = (fields.iter())
        .map(|f| {
            let mut m = format!("`{}` ({}) is not a field of `{}`", f.key, f.path, f.model);
            if let Some(s) = f.suggestion {
                let _ = write!(m, "; did you mean `{s}`?");
            }
            crate::shown::text(&m).into_owned()
        })
        .collect();
    let json_problems: Vec<Value> = (fields.iter())
        .zip(&problems)
        .map(|(f, message)| {
            json!({ "message": message, "path": f.path, "key": f.key, "model": f.model, "suggestion": f.suggestion })
        })
        .collect();
    (problems, json!({ "model": ty, "problems": json_problems }))
}

fn render_body_check(t: &mut String, op: &Operation, problems: &[String]) {
    t.push('\n');
    match (op.body, problems) {
        (Some(ty), []) => {
            let model = body_model(ty).unwrap_or(ty);
            let _ = writeln!(t, "body check: every key is a field of `{model}`");
        }
        _ => {
            let n = problems.len();
            let _ = writeln!(
                t,
                "body check: {n} problem{}",
                if n == 1 { "" } else { "s" }
            );
            for p in problems {
                let _ = writeln!(t, "  {p}");
            }
        }
    }
}

/// `path` as a path under `/api/v2` that [`Catalog::lookup`] reads. A full URL or a path with the
/// prefix is kept; so is one without it (`routing/queues`), prefixed. So are two spellings of a
/// URL copied from forum answers and logs that are not: a host without its scheme
/// (`api.mypurecloud.com/api/v2/...`, whose host was taken for the first segment) and a doubled
/// leading slash (`${base}/` + `/api/v2/...`, read as `/api/v2/api/v2/...`). Either was answered
/// "does not exist", with the real operation not even first among the nearest.
fn full_path(path: &str) -> String {
    if crate::catalog::PathQuery::parse_any_case(path).is_some() {
        return path.to_string();
    }
    let rest = path.trim_start_matches('/');
    let after_host = match rest.split_once('/') {
        Some((host, after)) if host.contains('.') => after,
        _ => rest,
    };
    let under_prefix = format!("/{}", after_host.trim_start_matches('/'));
    if crate::catalog::PathQuery::parse_any_case(&under_prefix).is_some() {
        return under_prefix;
    }
    format!("/api/v2/{rest}")
}

/// `any one of: a, b` / `unknown: not in the swagger` / `none listed`.
fn scopes_text(op: &Operation) -> String {
    match op.scopes {
        None => "unknown: not in the swagger".to_string(),
        Some([]) => "none listed in the swagger".to_string(),
        Some(list) => format!("any one of: {}", list.join(", ")),
    }
}

fn permissions_text(op: &Operation) -> String {
    let list = op.permissions.list.join(", ");
    match op.permissions.kind {
        PermissionKind::Any | PermissionKind::All if op.permissions.list.len() == 1 => list,
        PermissionKind::Any => format!("any of: {list}"),
        PermissionKind::All => format!("all of: {list}"),
        PermissionKind::NoneRequired => "none required".to_string(),
        PermissionKind::Unknown => "unknown: not in the SDK documentation".to_string(),
    }
}

fn render_operation(catalog: &Catalog, op: &Operation) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{} {}", op.method, op.path);
    if !op.summary.is_empty() {
        let _ = writeln!(t, "  {}", op.summary);
    }
    t.push('\n');
    let row = |t: &mut String, label: &str, value: &str| {
        let _ = writeln!(t, "  {label:<14}{value}");
    };
    row(
        &mut t,
        "operation id",
        op.operation_id.unwrap_or("unknown: not in the swagger"),
    );
    match (op.js_method(), op.python_method()) {
        (Some(js), Some(py)) => {
            row(&mut t, "SDK", &format!("JavaScript {js}"));
            row(&mut t, "", &format!("Python     {py}"));
        }
        _ => row(&mut t, "SDK", "unknown"),
    }
    row(&mut t, "scopes", &scopes_text(op));
    row(&mut t, "permissions", &permissions_text(op));
    match op.body {
        None => row(&mut t, "body", "none"),
        Some(ty) => {
            let need = if op.body_required {
                "required"
            } else {
                "optional"
            };
            row(&mut t, "body", &format!("{} ({need})", type_text(ty)));
            if let Some(model) = body_model(ty).and_then(|m| catalog.model(m)) {
                let width = model.fields.iter().map(|f| f.name.len()).max().unwrap_or(0);
                for f in model.fields.iter() {
                    let mark = if f.required { "  required" } else { "" };
                    row(&mut t, "", &format!("  {:<width$}  {}{mark}", f.name, f.ty));
                }
            }
        }
    }
    let query = if op.query_params.is_empty() {
        "none".to_string()
    } else {
        op.query_params.join(", ")
    };
    row(&mut t, "query params", &query);
    for note in notes(catalog, op) {
        row(&mut t, "note", &note);
    }
    t
}

/// Deprecation, preview, removal and user-context notes.
fn notes(catalog: &Catalog, op: &Operation) -> Vec<String> {
    let mut out = Vec::new();
    if op.removed_in_sdk259 {
        out.push("removed: SDK 259's release notes say this path was removed".to_string());
    } else if op.absent_from_sdk259 {
        out.push(
            "absent from SDK 259's documentation (present in the Feb-2026 swagger)".to_string(),
        );
    }
    if op.deprecated {
        out.push("deprecated".to_string());
    }
    if op.preview {
        out.push("preview: may change or disappear without notice".to_string());
    }
    if catalog.is_conversation_participant_change(op) {
        out.push(
            "changes a conversation participant: needs the participant's user context; a \
             client-credentials token (as data actions use) cannot do it"
                .to_string(),
        );
    }
    out
}

/// `WrapupInput`, `array of QueueMember`, ...
fn type_text(ty: &str) -> String {
    match FieldType::parse(ty) {
        FieldType::Array(inner) => match *inner {
            FieldType::Model(m) | FieldType::Scalar(m) => format!("array of {m}"),
            _ => ty.to_string(),
        },
        _ => ty.to_string(),
    }
}

/// The model a body type names, directly or as the element of an array.
fn body_model(ty: &str) -> Option<&str> {
    match FieldType::parse(ty) {
        FieldType::Model(m) => Some(m),
        FieldType::Array(inner) => match *inner {
            FieldType::Model(m) => Some(m),
            _ => None,
        },
        _ => None,
    }
}

fn render_brief(t: &mut String, op: &Operation) {
    let _ = writeln!(t, "  {} {}", op.method, op.path);
    if !op.summary.is_empty() {
        let _ = writeln!(t, "      {}", op.summary);
    }
    let _ = writeln!(
        t,
        "      scopes: {}; permissions: {}",
        scopes_text(op),
        permissions_text(op)
    );
}

fn render_nearest(t: &mut String, method: &str, nearest: &[&Operation]) {
    if nearest.is_empty() {
        let _ = writeln!(t, "\nno similar operation found (method {method})");
        return;
    }
    let _ = writeln!(t, "\nnearest real operations:");
    for op in nearest {
        render_brief(t, op);
    }
}

fn scopes_json(op: &Operation) -> Value {
    match op.scopes {
        None => json!({ "known": false, "list": [] }),
        Some(list) => json!({ "known": true, "list": list }),
    }
}

fn permissions_json(op: &Operation) -> Value {
    json!({ "type": op.permissions.kind.as_str(), "list": op.permissions.list })
}

fn brief_json(op: &Operation) -> Value {
    json!({
        "method": op.method,
        "path": op.path,
        "summary": op.summary,
        "operationId": op.operation_id,
        "scopes": scopes_json(op),
        "permissions": permissions_json(op),
    })
}

fn operation_json(catalog: &Catalog, op: &Operation) -> Value {
    let body = op.body.map(|ty| {
        let fields: Option<Vec<Value>> = body_model(ty).and_then(|m| catalog.model(m)).map(|m| {
            m.fields
                .iter()
                .map(|f| json!({ "name": f.name, "type": f.ty, "required": f.required }))
                .collect()
        });
        json!({ "type": ty, "required": op.body_required, "model": body_model(ty), "fields": fields })
    });
    json!({
        "method": op.method,
        "path": op.path,
        "summary": op.summary,
        "operationId": op.operation_id,
        "sdk": { "javascript": op.js_method(), "python": op.python_method() },
        "scopes": scopes_json(op),
        "permissions": permissions_json(op),
        "body": body,
        "queryParams": op.query_params,
        "deprecated": op.deprecated,
        "preview": op.preview,
        "removedInSdk259": op.removed_in_sdk259,
        "absentFromSdk259": op.absent_from_sdk259,
        "changesConversationParticipant": catalog.is_conversation_participant_change(op),
        "notes": notes(catalog, op),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(name: &str, method: &str, path: &str, found: bool) {
        let answer = explain_endpoint(method, path);
        assert_eq!(answer.found, found, "{method} {path}");
        insta::assert_snapshot!(format!("{name}_text"), answer.text);
        insta::assert_json_snapshot!(format!("{name}_json"), answer.json);
    }

    #[test]
    fn real_wrapup_operation() {
        snapshot(
            "calls_wrapup",
            "POST",
            "/api/v2/conversations/calls/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup",
            true,
        );
    }

    #[test]
    fn patch_conversation_is_method_not_allowed() {
        snapshot(
            "patch_conversation",
            "PATCH",
            "/api/v2/conversations/{id}",
            false,
        );
    }

    #[test]
    fn invented_wrap_up() {
        snapshot(
            "invented_wrap_up",
            "POST",
            "/api/v2/conversations/{id}/wrap-up",
            false,
        );
    }

    #[test]
    fn queue_wrapupcodes() {
        snapshot(
            "queue_wrapupcodes",
            "GET",
            "/api/v2/routing/queues/{queueId}/wrapupcodes",
            true,
        );
    }

    #[test]
    fn path_in_another_case() {
        snapshot("mixed_case", "GET", "/API/V2/Routing/Queues", false);
        // With the method wrong as well: the path's methods are named.
        let a = explain_endpoint("PATCH", "/api/v2/Conversations/{id}");
        assert!(!a.found);
        assert!(
            a.text.contains(
                "it differs only in case from `/api/v2/conversations/{id}` (which has only GET, DELETE)"
            ),
            "{}",
            a.text
        );
        assert_eq!(
            a.json["differsOnlyInCaseFrom"],
            "/api/v2/conversations/{id}"
        );
        // Other paths that are not found say nothing of case.
        let a = explain_endpoint("GET", "/api/v2/routing/Queue");
        assert!(!a.text.contains("case"), "{}", a.text);
        assert!(a.json.get("differsOnlyInCaseFrom").is_none());
    }

    #[test]
    fn control_characters_of_the_arguments_are_escaped_in_the_text() {
        let a = explain_endpoint("GET\u{1b}[2J", "/api/v2/\u{1b}]0;title\u{7}x\ny");
        assert!(!a.found);
        assert!(
            !a.text.contains('\u{1b}') && !a.text.contains('\u{7}'),
            "{}",
            a.text
        );
        assert!(
            a.text
                .starts_with("GET\\u{1b}[2J /api/v2/\\u{1b}]0;title\\u{7}x\\ny does not exist"),
            "{}",
            a.text
        );
        // The JSON keeps the arguments as given: its encoding escapes them.
        assert_eq!(a.json["query"]["path"], "/api/v2/\u{1b}]0;title\u{7}x\ny");
        let a = explain_endpoint("\u{7}PUT", "/api/v2/routing/queues/q1");
        assert!(
            a.text
                .starts_with("\\u{7}PUT /api/v2/routing/queues/{queueId}: no such"),
            "{}",
            a.text
        );
    }

    #[test]
    fn forgiving_input() {
        let a = explain_endpoint(" get ", "routing/queues/abc/wrapupcodes?pageSize=25");
        assert!(a.found);
        assert!(
            a.text
                .starts_with("GET /api/v2/routing/queues/{queueId}/wrapupcodes\n")
        );
        let a = explain_endpoint(
            "GET",
            "https://api.mypurecloud.de/api/v2/routing/wrapupcodes",
        );
        assert!(a.found);
        // A URL copied without its scheme, and a doubled slash from joining a base and a path.
        for path in [
            "api.mypurecloud.com/api/v2/routing/wrapupcodes",
            "//api/v2/routing/wrapupcodes",
            "api.mypurecloud.com//api/v2/routing/wrapupcodes?pageSize=25",
        ] {
            let a = explain_endpoint("GET", path);
            assert!(a.found, "{path}");
            assert!(
                a.text.starts_with("GET /api/v2/routing/wrapupcodes\n"),
                "{path}"
            );
        }
        // A dotted first segment is a host only when `/api/v2` follows it.
        let a = explain_endpoint("GET", "v1.2/routing/wrapupcodes");
        assert!(!a.found);
        assert_eq!(a.json["query"]["path"], "v1.2/routing/wrapupcodes");
    }

    /// `POST .../participants/{participantId}/wrapup` has only GET: that GET was listed as the
    /// path's operation and again among the nearest.
    #[test]
    fn nearest_repeats_no_operation_of_the_path() {
        for (method, path) in [
            (
                "POST",
                "/api/v2/conversations/calls/{id}/participants/{pid}/wrapup",
            ),
            ("PATCH", "/api/v2/conversations/{id}"),
        ] {
            let a = explain_endpoint(method, path);
            let allowed = a.json["methodNotAllowed"]["allowed"].as_array().unwrap();
            let nearest = a.json["nearest"].as_array().unwrap();
            assert_eq!(nearest.len(), NEAREST, "{path}");
            for op in nearest {
                assert!(!allowed.contains(op), "{method} {path}: {op} listed twice");
            }
        }
    }

    #[test]
    fn unknown_figures_are_said_to_be_unknown() {
        let op = Catalog::get()
            .operations()
            .iter()
            .find(|o| o.scopes.is_none())
            .unwrap();
        let a = explain_endpoint(op.method, op.path);
        assert!(
            a.text.contains("scopes        unknown: not in the swagger"),
            "{}",
            a.text
        );
        assert_eq!(a.json["operation"]["scopes"]["known"], false);
    }

    #[test]
    fn odd_input_never_panics() {
        let odd = [
            "",
            "/",
            "/api/v2",
            "/api/v2/",
            "//api//v2//routing//",
            "https://",
            "https://api.mypurecloud.com",
            "${",
            "$!{{{",
            "/api/v2/${input.a}/${",
            "é/ü/{}",
            "?x=1",
            "#frag",
            "/api/v2/{}/{}/{}/{}/{}/{}/{}/{}/{}",
        ];
        for path in odd {
            for method in ["", "GET", "weird method", "POST"] {
                let a = explain_endpoint(method, path);
                assert!(a.text.ends_with('\n'), "{method} {path}");
                let _ = crate::catalog::check_request(method, path, Some(path));
            }
        }
    }

    #[test]
    fn deterministic() {
        let a = explain_endpoint("POST", "/api/v2/conversations/voice/{id}/wrapup");
        let b = explain_endpoint("POST", "/api/v2/conversations/voice/{id}/wrapup");
        assert_eq!(a.text, b.text);
        assert_eq!(a.json, b.json);
        assert!(!a.found);
        assert!(a.text.contains("does not exist"));
    }
}
