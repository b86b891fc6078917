//! `unknown-permission`: a role grants a permission the Platform API never mentions.

use super::{Context, Rule, RuleMeta};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::api_use::role_grants;
use crate::model::types;

crate::declare_rule! {
    /// ## What it does
    /// Checks each `permission_policies` entry of a `genesyscloud_auth_role` (domain, entity name
    /// and every action, `*` wildcards allowed) and each `domain:entity:action` string in
    /// `permissions` against the permissions the Platform API catalog mentions.
    ///
    /// ## Why is this bad?
    /// A misspelt domain, entity or action grants nothing: the automation that relies on the role
    /// fails with 403 even though the role "has" the permission.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_auth_role" "wrapup" {
    ///   name = "Wrap-up writer"
    ///   permission_policies {
    ///     domain      = "conversation"
    ///     entity_name = "participant"
    ///     action_set  = ["wrap-up"]
    ///   }
    /// }
    /// ```
    /// Use instead: `action_set = ["wrapup"]` (`conversation:participant:wrapup`).
    ///
    /// The catalog lists the permissions Platform API operations require; a permission used only
    /// by UI features may be missing from it, hence the default severity of warning. A permission
    /// of a domain the catalog does not know, and that is close to none it knows (`ui:*:*`,
    /// `cobrowse:*:*`, as admin roles and org exports grant them), is not reported: it cannot be
    /// a misspelt API permission.
    UnknownPermission, "CX306", "unknown-permission", Access, Warning
}

impl Rule for UnknownPermission {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let catalog = Catalog::get();
        for (_, role) in cx.model.of_type(types::ROLE) {
            let Some(cfg) = &role.config else { continue };
            for g in role_grants(role) {
                if catalog.permission_known(g.domain, g.entity, g.action) {
                    continue;
                }
                let perm = format!("{}:{}:{}", g.domain, g.entity, g.action);
                let suggestion = catalog.suggest_permission(&perm);
                // A domain the API never mentions, and close to none it does, is no misspelling:
                // it is a product's own (`ui`, `cobrowse`, `widgets`), which admin roles and org
                // exports grant whole.
                if suggestion.is_none() && !catalog.permission_domain_known(g.domain) {
                    continue;
                }
                let span = g.span.unwrap_or(cfg.header);
                let mut diag = Diagnostic::at(
                    &Self::META,
                    format!(
                        "role `{}` grants `{perm}`, which no API operation uses",
                        role.display()
                    ),
                    span,
                )
                .label("unknown permission")
                .subject(role.address.clone());
                diag = match suggestion {
                    Some(s) => diag.help(format!("did you mean `{s}`?")),
                    None => diag.help("check the domain, entity and action names (`cxlint api` shows what each endpoint needs)"),
                };
                out.push(diag);
            }
        }
    }
}
