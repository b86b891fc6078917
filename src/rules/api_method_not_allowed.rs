//! `api-method-not-allowed`: a real Platform API path called with a method it does not have.

use super::{Context, Rule, RuleMeta};
use crate::catalog::ApiProblem;
use crate::diagnostic::Diagnostic;

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
                let mut d = Diagnostic::at(
                    &Self::META,
                    format!("`{path}` has no `{method}` operation"),
                    at,
                )
                .label(format!("data action `{}`", action.display()))
                .subject(action.address.clone())
                .help(format!("`{path}` supports `{}`", allowed.join("`, `")));
                if let Some(u) = call.url_span.filter(|u| Some(*u) != call.method_span) {
                    d = d.related_span(u, "this path");
                }
                out.push(d);
            }
        }
    }
}
