//! `unknown-request-field`: a data action's request body has a key the API model does not.

use super::helpers::body_key_span;
use super::{Context, Rule, RuleMeta};
use crate::catalog::ApiProblem;
use crate::diagnostic::Diagnostic;

crate::declare_rule! {
    /// ## What it does
    /// Checks the keys of a data action's JSON `request_template` (top level, and nested where the
    /// API model types them) against the request body model of the operation it calls. Velocity
    /// references are allowed anywhere, and so are Terraform values known only at apply (a
    /// resource's `id` in `jsonencode(...)` or in the string); a template that is not JSON
    /// (`${input.rawRequest}`, Velocity logic) is not guessed at.
    ///
    /// ## Why is this bad?
    /// The API ignores or rejects unknown fields: a 400, or worse, a 200 that did nothing.
    /// `wrapUpCodeId`, `wrapupCodeId` and `wrapupCode` are invented; `WrapupInput` has `code`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_integration_action" "set_wrapup" {
    ///   config_request {
    ///     request_type         = "POST"
    ///     request_url_template = "/api/v2/conversations/calls/$${input.conversationId}/participants/$${input.participantId}/communications/$${input.communicationId}/wrapup"
    ///     request_template     = "{\"wrapUpCodeId\": \"$${input.codeId}\"}"
    ///   }
    /// }
    /// ```
    /// Use instead: `{"code": "${input.codeId}"}`.
    UnknownRequestField, "CX403", "unknown-request-field", Automation, Warning
}

impl Rule for UnknownRequestField {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for call in cx.model.api_calls() {
            for p in &call.problems {
                let ApiProblem::UnknownField(f) = p else {
                    continue;
                };
                let (Some(vs), Some(body)) = (call.body_span, call.body.as_deref()) else {
                    continue;
                };
                let at = match &f.range {
                    Some(r) => body_key_span(cx.sources, vs, body, r.clone()),
                    None => vs,
                };
                let action = cx.model.obj(call.subject);
                let mut d = Diagnostic::at(
                    &Self::META,
                    format!("`{}` is not a field of `{}`", f.key, f.model),
                    at,
                )
                .label(format!(
                    "at `{}` in the request of data action `{}`",
                    f.path,
                    action.display()
                ))
                .subject(action.address.clone());
                if let Some(s) = f.suggestion {
                    d = d.help(format!("did you mean `{s}`?"));
                }
                out.push(d);
            }
        }
    }
}
