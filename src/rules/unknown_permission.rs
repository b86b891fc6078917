//! `unknown-permission`: a role grants a permission the Platform API never mentions.

use super::{Context, Rule, RuleMeta};
use crate::catalog::{Catalog, PermissionPart};
use crate::diagnostic::Diagnostic;
use crate::model::api_use::role_grants;
use crate::model::types;
use crate::source::Span;

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
    /// The catalog lists the permissions Platform API operations require, not those of UI
    /// features alone (`routing:agent:onqueue`, `conversation:call:accept`, `ui:*:*`), which
    /// exported roles grant by the dozen. So only a misspelling is reported: the first unknown
    /// part (domain, entity or action, case aside) is one edit per four letters from one the
    /// catalog knows there (`wrap-up` for `wrapup`, `queues` for `queue`, `veiw` for `view`).
    /// A permission close to nothing known is left alone, hence the default severity of warning
    /// too, and so are the domains that exist without any operation requiring them, which the
    /// built-in Master Admin role grants in every org export (`reporting`, `wfp`, `ui`).
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
            let mut reported: Vec<(Option<Span>, String)> = Vec::new();
            for g in role_grants(role) {
                if catalog.permission_known(g.domain, g.entity, g.action) {
                    continue;
                }
                // Only a misspelling is reported: a permission close to nothing the catalog
                // knows is most likely one it does not list (the UI's own, `routing:agent:onqueue`,
                // `conversation:call:accept`, which exported roles grant by the dozen).
                let Some((part, meant)) = catalog.misspelt_permission(g.domain, g.entity, g.action)
                else {
                    continue;
                };
                // A misspelt domain or entity is named alone, once for all the actions granted.
                let (span, label, written, meant) = match part {
                    PermissionPart::Domain => (
                        g.domain_span,
                        "unknown domain",
                        format!("permissions in domain `{}`", g.domain),
                        leading_parts(&meant, 1),
                    ),
                    PermissionPart::Entity => (
                        g.entity_span,
                        "unknown entity",
                        format!("permissions on `{}:{}`", g.domain, g.entity),
                        leading_parts(&meant, 2),
                    ),
                    PermissionPart::Action => (
                        g.span,
                        "unknown action",
                        format!("`{}:{}:{}`", g.domain, g.entity, g.action),
                        meant.as_str(),
                    ),
                };
                let key = (span, written.clone());
                if reported.contains(&key) {
                    continue;
                }
                reported.push(key);
                let diag = Diagnostic::at(
                    &Self::META,
                    format!(
                        "role `{}` grants {written}, which no API operation uses",
                        role.display()
                    ),
                    span.unwrap_or(cfg.header),
                )
                .label(label)
                .subject(role.address.clone())
                .help(format!("did you mean `{meant}`?"));
                out.push(diag);
            }
        }
    }
}

/// The first `n` parts of `domain:entity:action`.
fn leading_parts(permission: &str, n: usize) -> &str {
    let end = permission
        .match_indices(':')
        .nth(n - 1)
        .map_or(permission.len(), |(i, _)| i);
    &permission[..end]
}
