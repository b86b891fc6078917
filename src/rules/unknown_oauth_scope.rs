//! `unknown-oauth-scope`: an OAuth client scope that does not exist.

use super::{Context, Rule, RuleMeta};
use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::model::types;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every scope in a `genesyscloud_oauth_client`'s `scopes` is a real Genesys Cloud
    /// OAuth scope (the set in the embedded Platform API catalog).
    ///
    /// ## Why is this bad?
    /// The API rejects the client with an invalid scope, or the token silently lacks the access the
    /// automation needs. There are no `:write` scopes: `conversation:write` and
    /// `conversations:write` are invented names from forum answers; the scope is `conversations`
    /// (and `conversations:readonly` for read-only access).
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_oauth_client" "wrapup_app" {
    ///   name                  = "Wrap-up app"
    ///   authorized_grant_type = "CODE"
    ///   scopes                = ["conversation:write"]
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// resource "genesyscloud_oauth_client" "wrapup_app" {
    ///   name                  = "Wrap-up app"
    ///   authorized_grant_type = "CODE"
    ///   scopes                = ["conversations"]
    /// }
    /// ```
    UnknownOauthScope, "CX302", "unknown-oauth-scope", Access, Error
}

impl Rule for UnknownOauthScope {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let catalog = Catalog::get();
        for (_, client) in cx.model.of_type(types::OAUTH_CLIENT) {
            let Some(cfg) = &client.config else { continue };
            let Some(scopes) = cfg.attrs.get_set("scopes") else {
                continue;
            };
            for s in scopes.elements() {
                let (Some(name), Some(span)) = (s.as_str(), s.span) else {
                    continue;
                };
                if catalog.is_scope(name) {
                    continue;
                }
                let mut d = Diagnostic::at(
                    &Self::META,
                    format!("`{name}` is not a Genesys Cloud OAuth scope"),
                    span,
                )
                .label(format!("scope of OAuth client `{}`", client.display()))
                .subject(client.address.clone());
                d = match catalog.suggest_scope(name) {
                    Some(sugg) => d.help(format!("did you mean `{sugg}`?")),
                    None => d.help(
                        "see `cxlint api <METHOD> <PATH>` for the scopes an endpoint accepts",
                    ),
                };
                if name.ends_with(":write") {
                    d = d.note("there are no `:write` scopes: a scope `X` grants read and write, `X:readonly` only read");
                }
                out.push(d);
            }
        }
    }
}
