//! `client-credentials-without-roles`: a client-credentials OAuth client with no roles.

use super::helpers::is_client_credentials;
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::types;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `genesyscloud_oauth_client` with `authorized_grant_type = "CLIENT-CREDENTIALS"`
    /// has at least one `roles` block.
    ///
    /// ## Why is this bad?
    /// A client-credentials client has no user: its permissions come only from its roles. Without
    /// roles every API call it makes fails with 403, including the data actions that run as it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_oauth_client" "data_actions" {
    ///   name                  = "Data actions"
    ///   authorized_grant_type = "CLIENT-CREDENTIALS"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "genesyscloud_oauth_client" "data_actions" {
    ///   name                  = "Data actions"
    ///   authorized_grant_type = "CLIENT-CREDENTIALS"
    ///   roles {
    ///     role_id     = genesyscloud_auth_role.data_actions.id
    ///     division_id = "*"
    ///   }
    /// }
    /// ```
    ClientCredentialsWithoutRoles, "CX303", "client-credentials-without-roles", Access, Error
}

impl Rule for ClientCredentialsWithoutRoles {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (id, client) in cx.model.of_type(types::OAUTH_CLIENT) {
            let Some(cfg) = &client.config else { continue };
            if is_client_credentials(cx.model, id) != Some(true) {
                continue;
            }
            // `roles` written as a dynamic block over an unknown collection cannot be judged.
            if let Some(roles) = cfg.attrs.get("roles") {
                if roles.contains_unknown() || !roles.elements().is_empty() {
                    continue;
                }
            }
            let at = client
                .attr_span("authorized_grant_type")
                .unwrap_or(cfg.header);
            out.push(
                Diagnostic::at(&Self::META, format!("client-credentials OAuth client `{}` has no roles", client.display()), at)
                    .label("its permissions come only from roles")
                    .subject(client.address.clone())
                    .help("add a `roles { role_id = ..., division_id = \"*\" }` block granting what its automation needs"),
            );
        }
    }
}
