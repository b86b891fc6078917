//! `conversation-change-without-user-context`: a data action that changes a conversation
//! participant, which only the participant's own user token may do.

use super::{Context, Rule, RuleMeta};
use crate::catalog::ApiProblem;
use crate::diagnostic::Diagnostic;

crate::declare_rule! {
    /// ## What it does
    /// Checks for data actions calling an operation that changes a conversation participant
    /// (setting wrap-up, patching a participant or one of its communications). Setting a
    /// participant's attributes (participant data) is not such a change: Genesys publishes a
    /// data action for it.
    ///
    /// ## Why is this bad?
    /// A data action authenticates as a client-credentials client: no user, not a participant of
    /// the conversation. Genesys states that data actions cannot act on conversations this way;
    /// the call fails, typically with 400 or 409, however the roles are set up. Only the agent's
    /// own token (a script, a client app, an agent-assist widget) can set wrap-up.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_integration_action" "set_wrapup" {
    ///   config_request {
    ///     request_type         = "POST"
    ///     request_url_template = "/api/v2/conversations/calls/$${input.conversationId}/participants/$${input.participantId}/communications/$${input.communicationId}/wrapup"
    ///   }
    /// }
    /// ```
    /// Use instead: set the code from the agent's side (a script's "Set wrap-up code" action, or a
    /// client app calling the same endpoint with the agent's token), or in the flow with
    /// `setWrapupCode`.
    ConversationChangeWithoutUserContext, "CX307", "conversation-change-without-user-context", Access, Warning
}

impl Rule for ConversationChangeWithoutUserContext {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for call in cx.model.api_calls() {
            let Some(ApiProblem::ConversationChange(op)) = call
                .problems
                .iter()
                .find(|p| matches!(p, ApiProblem::ConversationChange(_)))
            else {
                continue;
            };
            let action = cx.model.obj(call.subject);
            let Some(at) = call.url_span else { continue };
            out.push(
                Diagnostic::at(
                    &Self::META,
                    format!("data action `{}` changes a conversation participant (`{} {}`)", action.display(), op.method, op.path),
                    at,
                )
                .label("data actions run without a user: not a participant")
                .subject(action.address.clone())
                .help(match sets_wrapup(op.path, call.body.as_deref()) {
                    true => "set wrap-up with the agent's own token (script or client app), or with `setWrapupCode` in the flow",
                    false => "make the change with the participant's own token (script or client app), or in the flow",
                }),
            );
        }
    }
}

/// Does the request set wrap-up: a `.../wrapup` operation, or a participant patched with a
/// `wrapup` (an unknown body may be doing so)?
fn sets_wrapup(path: &str, body: Option<&str>) -> bool {
    path.ends_with("/wrapup") || body.is_none_or(|b| b.to_ascii_lowercase().contains("wrapup"))
}
