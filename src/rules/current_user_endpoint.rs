//! `current-user-endpoint`: a data action calling an operation that acts for the logged-in user,
//! which a data action does not have.

use super::{Context, Rule, RuleMeta};
use crate::catalog::{ApiProblem, Catalog};
use crate::diagnostic::Diagnostic;

crate::declare_rule! {
    /// ## What it does
    /// Checks for data actions calling a Platform API operation that acts for the user making the
    /// request: a `me` or `mine` path (`/api/v2/users/me`, `/api/v2/routing/queues/me`), or an
    /// operation the API catalog describes as the logged-in user's, the current user's or "my"
    /// (`GET /api/v2/conversations/emails`: "active email conversations for the logged in user").
    /// The organization's and the token's own `me` (`/api/v2/organizations/me`,
    /// `/api/v2/tokens/me`, `/api/v2/authorization/...`) are not a user's.
    ///
    /// ## Why is this bad?
    /// A data action authenticates as a client-credentials client, which has no user. Genesys
    /// refuses such a request ("requires a user context"), so the action fails every time it runs,
    /// however the client's roles are set up.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_integration_action" "agent_email_count" {
    ///   config_request {
    ///     request_type         = "GET"
    ///     request_url_template = "/api/v2/conversations/emails"
    ///   }
    /// }
    /// ```
    /// Use instead: an operation that takes the user or conversation by id
    /// (`/api/v2/users/{userId}`, `/api/v2/conversations/emails/{conversationId}`), or an
    /// analytics query filtered on the user.
    CurrentUserEndpoint, "CX308", "current-user-endpoint", Access, Warning
}

impl Rule for CurrentUserEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for call in cx.model.api_calls() {
            let Some(op) = call.problems.iter().find_map(|p| match p {
                ApiProblem::CurrentUser(op) => Some(*op),
                _ => None,
            }) else {
                continue;
            };
            let Some(at) = call.url_span else { continue };
            let action = cx.model.obj(call.subject);
            let help = match Catalog::get().for_any_user(op) {
                Some(by_id) => format!(
                    "call `{} {}` with the user's id instead (an input of the action)",
                    by_id.method, by_id.path
                ),
                None => "call an operation that takes the user or the conversation by id, or \
                         query analytics filtered on the user"
                    .to_owned(),
            };
            out.push(
                Diagnostic::at(
                    &Self::META,
                    format!(
                        "data action `{}` calls `{} {}`, which acts for the logged-in user",
                        action.display(),
                        op.method,
                        op.path
                    ),
                    at,
                )
                .label("data actions run as an OAuth client: there is no logged-in user")
                .subject(action.address.clone())
                .note(format!("the operation: \"{}\"", op.summary.trim()))
                .help(help),
            );
        }
    }
}
