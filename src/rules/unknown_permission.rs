//! `unknown-permission`: a role grants a permission the Platform API never mentions.

use super::{Context, Rule, RuleMeta};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::types;
use crate::value::Val;

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
    /// by UI features may be missing from it, hence the default severity of warning.
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
            for p in cfg.attrs.blocks("permission_policies") {
                let (Some(d), Some(e)) = (
                    p.get("domain").and_then(Val::as_str),
                    p.get("entity_name").and_then(Val::as_str),
                ) else {
                    continue;
                };
                for a in p
                    .get("action_set")
                    .map(|v| v.elements())
                    .unwrap_or_default()
                {
                    let Some(action) = a.as_str() else { continue };
                    if catalog.permission_known(d, e, action) {
                        continue;
                    }
                    let perm = format!("{d}:{e}:{action}");
                    let span = a.span.or(p.span).unwrap_or(cfg.header);
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
                    diag = match catalog.suggest_permission(&perm) {
                        Some(s) => diag.help(format!("did you mean `{s}`?")),
                        None => diag.help("check the domain, entity and action names (`cxlint api` shows what each endpoint needs)"),
                    };
                    out.push(diag);
                }
            }
            if let Some(perms) = cfg.attrs.get_set("permissions") {
                for p in perms.elements() {
                    let (Some(s), Some(span)) = (p.as_str(), p.span) else {
                        continue;
                    };
                    // Legacy single-word permissions (`admin`, `group_creation`) are not checked.
                    if s.matches(':').count() != 2 || catalog.permission_string_known(s) {
                        continue;
                    }
                    let mut diag = Diagnostic::at(
                        &Self::META,
                        format!(
                            "role `{}` grants `{s}`, which no API operation uses",
                            role.display()
                        ),
                        span,
                    )
                    .label("unknown permission")
                    .subject(role.address.clone());
                    if let Some(sugg) = catalog.suggest_permission(s) {
                        diag = diag.help(format!("did you mean `{sugg}`?"));
                    }
                    out.push(diag);
                }
            }
        }
    }
}
