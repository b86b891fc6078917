//! `api-method-not-allowed`: a real Platform API path called with a method it does not have.

use super::helpers::script_http_problems;
use super::{Context, Rule, RuleMeta};
use crate::catalog::{ApiProblem, intended_operation};
use crate::diagnostic::Diagnostic;
use crate::load::scripts::ScriptCall;

crate::declare_rule! {
    /// ## What it does
    /// Checks that a data action's `request_type` is a method its `request_url_template`'s path
    /// supports, and names the methods that exist.
    ///
    /// ## Why is this bad?
    /// The call fails with 405 (or 404) at run time. The classic: `PATCH /api/v2/conversations/{id}`
    /// with a `wrapupCode` body; that path has only `GET` and `DELETE`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_integration_action" "set_wrapup" {
    ///   config_request {
    ///     request_type         = "PATCH"
    ///     request_url_template = "/api/v2/conversations/$${input.conversationId}"
    ///   }
    /// }
    /// ```
    /// Use instead: `PATCH /api/v2/conversations/{conversationId}/participants/{participantId}`
    /// with `{"wrapup": {"code": "<id>"}}`, from the agent's own token.
    ApiMethodNotAllowed, "CX402", "api-method-not-allowed", Automation, Error
}

impl Rule for ApiMethodNotAllowed {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // Identical requests (common across teams) are looked up once.
        let mut intended: std::collections::HashMap<
            (String, String, Option<String>),
            Option<&'static crate::catalog::Operation>,
        > = std::collections::HashMap::new();
        for call in cx.model.api_calls() {
            for p in &call.problems {
                let ApiProblem::MethodNotAllowed {
                    method,
                    path,
                    allowed,
                } = p
                else {
                    continue;
                };
                let Some(at) = call.method_span.or(call.url_span) else {
                    continue;
                };
                let action = cx.model.obj(call.subject);
                let op = *intended
                    .entry((method.clone(), path.to_string(), call.body.clone()))
                    .or_insert_with(|| intended_operation(method, path, call.body.as_deref()));
                let mut d = finding(method, path, allowed, op, at)
                    .label(format!("data action `{}`", action.display()))
                    .subject(action.address.clone());
                if let Some(u) = call.url_span.filter(|u| Some(*u) != call.method_span) {
                    d = d.related_span(u, "this path");
                }
                out.push(d);
            }
        }
        for call in &cx.model.script_calls {
            let ScriptCall::Http {
                method: Some(m),
                url,
                span,
            } = call
            else {
                continue;
            };
            for p in script_http_problems(Some(m), url) {
                let ApiProblem::MethodNotAllowed {
                    method,
                    path,
                    allowed,
                } = p
                else {
                    continue;
                };
                let op = intended_operation(&method, path, None);
                out.push(
                    finding(&method, path, &allowed, op, *span)
                        .label(format!("called with `{method}` from this script")),
                );
            }
        }
    }
}

/// The finding for a data action or a script alike: what the path supports, and the operation
/// the request most likely meant when there is one.
fn finding(
    method: &str,
    path: &str,
    allowed: &[&str],
    intended: Option<&crate::catalog::Operation>,
    at: crate::source::Span,
) -> Diagnostic {
    let d = Diagnostic::at(
        &ApiMethodNotAllowed::META,
        format!("`{path}` has no `{method}` operation"),
        at,
    )
    .help(format!("`{path}` supports `{}`", allowed.join("`, `")));
    match intended {
        Some(op) => d.note(format!(
            "the nearest `{method}` operation is `{} {}`",
            op.method, op.path
        )),
        None => d,
    }
}
