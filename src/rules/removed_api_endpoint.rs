//! `removed-api-endpoint`: a data action calls a removed or deprecated Platform API operation.

use super::{Context, Rule, RuleMeta};
use crate::catalog::ApiProblem;
use crate::diagnostic::Diagnostic;

crate::declare_rule! {
    /// ## What it does
    /// Checks for data actions calling Platform API operations that Genesys has removed (per the
    /// platform SDK's release notes, e.g. the legacy `/api/v2/conversations/chats/*`) or marked
    /// deprecated.
    ///
    /// ## Why is this bad?
    /// A removed operation fails at run time; a deprecated one will. Both are easy to miss because
    /// old data actions keep working until the day they stop.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_integration_action" "chat" {
    ///   config_request {
    ///     request_type         = "GET"
    ///     request_url_template = "/api/v2/conversations/chats/$${input.conversationId}"
    ///   }
    /// }
    /// ```
    /// Use instead: the replacement the API documents (for chats, the web messaging endpoints
    /// under `/api/v2/conversations/messages`).
    RemovedApiEndpoint, "CX404", "removed-api-endpoint", Automation, Warning
}

impl Rule for RemovedApiEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for call in cx.model.api_calls() {
            for p in &call.problems {
                let (op, what) = match p {
                    ApiProblem::Removed(op) => (op, "was removed from the Platform API"),
                    ApiProblem::Deprecated(op) => (op, "is deprecated"),
                    _ => continue,
                };
                let Some(at) = call.url_span else { continue };
                let action = cx.model.obj(call.subject);
                out.push(
                    Diagnostic::at(
                        &Self::META,
                        format!("`{} {}` {what}", op.method, op.path),
                        at,
                    )
                    .label(format!("data action `{}`", action.display()))
                    .subject(action.address.clone())
                    .help({
                        let catalog = crate::catalog::Catalog::get();
                        match (catalog.replacement(op), catalog.chat_successor(op)) {
                            (Some(r), _) => format!(
                                "use `{} {}` instead, as the API documents",
                                r.method, r.path
                            ),
                            // The removed chat operations' summaries name no replacement.
                            (None, Some(r)) => format!(
                                "web chat was retired for web messaging: use `{} {}`",
                                r.method, r.path
                            ),
                            (None, None) => {
                                "move to the replacement operation; `cxlint api` shows what exists"
                                    .to_owned()
                            }
                        }
                    }),
                );
            }
        }
    }
}
