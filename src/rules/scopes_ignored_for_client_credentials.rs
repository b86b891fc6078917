//! `scopes-ignored-for-client-credentials`: scopes on a client-credentials client.

use super::helpers::is_client_credentials;
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::types;

crate::declare_rule! {
    /// ## What it does
    /// Checks for `scopes` on a `genesyscloud_oauth_client` with `authorized_grant_type =
    /// "CLIENT-CREDENTIALS"`.
    ///
    /// ## Why is this bad?
    /// Scopes apply only to grants that act for a user (code, implicit, SAML2 bearer, password). A
    /// client-credentials client ignores them: what it may do comes from its `roles`. Scopes there
    /// suggest a restriction that does not exist.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_oauth_client" "data_actions" {
    ///   name                  = "Data actions"
    ///   authorized_grant_type = "CLIENT-CREDENTIALS"
    ///   scopes                = ["routing:readonly"]
    ///   roles { role_id = genesyscloud_auth_role.reader.id }
    /// }
    /// ```
    /// Use instead: remove `scopes`, and restrict the client with a narrower role.
    ScopesIgnoredForClientCredentials, "CX304", "scopes-ignored-for-client-credentials", Access, Warning
}

impl Rule for ScopesIgnoredForClientCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (id, client) in cx.model.of_type(types::OAUTH_CLIENT) {
            let Some(cfg) = &client.config else { continue };
            if is_client_credentials(cx.model, id) != Some(true) {
                continue;
            }
            let Some(scopes) = cfg.attrs.get_set("scopes") else {
                continue;
            };
            if scopes.elements().is_empty() {
                continue;
            }
            let Some(span) = scopes.span else { continue };
            out.push(
                Diagnostic::at(
                    &Self::META,
                    format!(
                        "scopes of client-credentials OAuth client `{}` are ignored",
                        client.display()
                    ),
                    span,
                )
                .label("not applied to client-credentials tokens")
                .subject(client.address.clone())
                .help("remove `scopes`; restrict what the client may do through its `roles`"),
            );
        }
    }
}
