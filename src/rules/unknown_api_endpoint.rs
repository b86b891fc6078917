//! `unknown-api-endpoint`: a data action calls a Platform API path that does not exist.

use super::helpers::script_http_problems;
use super::{Context, Rule, RuleMeta};
use crate::catalog::ApiProblem;
use crate::diagnostic::Diagnostic;
use crate::load::scripts::ScriptCall;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every data action's `request_url_template` under `/api/v2/` (relative, or on a
    /// Genesys Cloud API host) names a real Platform API path, after replacing Velocity references
    /// such as `${input.conversationId}` by path parameters. A reference named as a kind of thing
    /// or a path (`${input.mediaType}` for `calls`, `${input.apiPath}` in a generic action) is
    /// known only at run time: a path that some operation matches with it filled in is not
    /// judged. The help names the nearest real
    /// operation, or, for a path that differs from a real one only in case
    /// (`/API/V2/Routing/Queues`), its right spelling. The same check applies to automation scripts kept beside the configuration
    /// (`*.js`, `*.ts`, `*.py`, `*.sh`): literal `/api/v2/...` paths in `fetch`, `axios`,
    /// `requests` and `curl` calls, and, in files that use the Genesys platform SDK, SDK method
    /// names that do not exist (`platformClient.wrapup.update`,
    /// `post_conversations_conversations_id_wrapup`).
    ///
    /// ## Why is this bad?
    /// The call fails with 404 at run time. A path in another case than the API's is another path
    /// (URL paths are case-sensitive; the API's are lowercase but for the names of parameters).
    /// Invented endpoints are common in forum answers:
    /// `POST /api/v2/conversations/voice/{id}/wrapup`, `POST /api/v2/conversations/{id}/wrap-up`,
    /// `PATCH /api/v2/interactions/{id}/actions`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_integration_action" "set_wrapup" {
    ///   config_request {
    ///     request_type         = "POST"
    ///     request_url_template = "/api/v2/conversations/voice/$${input.conversationId}/wrapup"
    ///   }
    /// }
    /// ```
    /// Use instead: `POST /api/v2/conversations/calls/{conversationId}/participants/{participantId}/communications/{communicationId}/wrapup`
    /// (and see `conversation-change-without-user-context`). `cxlint api POST <path>` shows what
    /// any endpoint needs.
    UnknownApiEndpoint, "CX401", "unknown-api-endpoint", Automation, Error
}

impl Rule for UnknownApiEndpoint {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for call in cx.model.api_calls() {
            for p in &call.problems {
                let ApiProblem::UnknownEndpoint {
                    method,
                    path,
                    nearest,
                    spelling,
                } = p
                else {
                    continue;
                };
                let Some(at) = call.url_span else { continue };
                let action = cx.model.obj(call.subject);
                let mut d = finding(method, path, nearest, spelling.as_deref(), at)
                    .label(format!("data action `{}`", action.display()))
                    .subject(action.address.clone());
                // A path that differs from a real one only in case needs no alternatives.
                let others = if spelling.is_some() { 0 } else { 3 };
                for other in nearest.iter().skip(1).take(others) {
                    d = d.note(format!("also close: `{} {}`", other.method, other.path));
                }
                out.push(d);
            }
        }
        let catalog = crate::catalog::Catalog::get();
        for call in &cx.model.script_calls {
            match call {
                ScriptCall::Http { method, url, span } => {
                    for p in script_http_problems(method.as_deref(), url) {
                        let ApiProblem::UnknownEndpoint {
                            method,
                            path,
                            nearest,
                            spelling,
                        } = p
                        else {
                            continue;
                        };
                        out.push(
                            finding(&method, &path, &nearest, spelling.as_deref(), *span)
                                .label("called from this script"),
                        );
                    }
                }
                ScriptCall::Sdk { name, span } => {
                    if catalog.sdk_method_exists(name) {
                        continue;
                    }
                    let d = Diagnostic::at(
                        &Self::META,
                        format!("`{name}` is not a Genesys Cloud SDK method"),
                        *span,
                    )
                    .label("no such method in the platform SDKs");
                    out.push(match catalog.suggest_sdk_method(name) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help(
                            "`cxlint api <METHOD> <PATH>` names the SDK methods of an endpoint",
                        ),
                    });
                }
            }
        }
    }
}

/// The finding for a data action or a script alike, with the nearest real operation as the help,
/// or the path's right spelling when it differs from a real one only in case.
fn finding(
    method: &str,
    path: &str,
    nearest: &[&crate::catalog::Operation],
    spelling: Option<&str>,
    at: crate::source::Span,
) -> Diagnostic {
    let d = Diagnostic::at(
        &UnknownApiEndpoint::META,
        format!("`{method} {path}` is not a Platform API endpoint"),
        at,
    );
    match (spelling, nearest.first()) {
        (Some(spelt), _) => d.help(format!(
            "it differs only in case from `{spelt}`; the Platform API's paths are lowercase \
             (URL paths are case-sensitive)"
        )),
        (None, Some(best)) => d.help(format!("did you mean `{} {}`?", best.method, best.path)),
        (None, None) => d,
    }
}
