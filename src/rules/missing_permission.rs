//! `missing-permission`: a data action's client lacks the permissions its API call needs.

use super::{Context, Rule, RuleMeta};
use crate::catalog::PermissionKind;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::api_use::{ClientOf, grants};

crate::declare_rule! {
    /// ## What it does
    /// Checks that the OAuth client a data action runs as has, through its roles' permission
    /// policies (`*` wildcards included), the permissions the called Platform API operation needs
    /// (`ANY`: one of them; `ALL`: every one). The client is found through the chain data action ->
    /// `genesyscloud_integration` -> `genesyscloud_integration_credential` (`clientId`: the
    /// client's `id` or `client_id`, or a literal id found in state) ->
    /// `genesyscloud_oauth_client` -> `roles`; or, for the credential the provider makes for a
    /// client given `integration_credential_name`, the client's `integration_credential_id`, a
    /// data source looking up that name, or that credential's id in state; or from
    /// `[[data-action-clients]]` in `.cxlint.toml`
    /// when the configuration cannot tell (the client id usually arrives through a variable).
    ///
    /// ## Why is this bad?
    /// The data action fails at run time with 403, typically in the middle of a flow, where the
    /// caller only sees the failure path.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_auth_role" "reader" {
    ///   name = "Queue reader"
    ///   permission_policies {
    ///     domain      = "routing"
    ///     entity_name = "queue"
    ///     action_set  = ["view"]
    ///   }
    /// }
    /// resource "genesyscloud_integration_action" "add_code" {
    ///   # runs as a client whose only role is "Queue reader"
    ///   config_request {
    ///     request_type         = "POST"
    ///     request_url_template = "/api/v2/routing/queues/$${input.queueId}/wrapupcodes"
    ///   }
    /// }
    /// ```
    /// Use instead: grant the role `routing:queue:edit`, or call a read-only endpoint.
    ///
    /// ## Configuration
    /// ```toml
    /// [[data-action-clients]]
    /// integration = "genesyscloud_integration.data_actions"
    /// oauth-client = "Data Actions Client"
    /// ```
    /// When the chain cannot be closed and nothing is declared, cxlint says once per data action,
    /// at `info`, that it could not verify the permissions; likewise when the client's roles, or
    /// what they grant, are not all known before apply (a role id from a variable without a
    /// value, `permission_policies` written as a `dynamic` block over one, an `action_set`
    /// built from one): a permission missing from the grants that are known may be among the
    /// others.
    MissingPermission, "CX305", "missing-permission", Access, Error
}

impl Rule for MissingPermission {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let m = cx.model;
        let mut unverified = std::collections::HashSet::new();
        let mut grants_of = std::collections::HashMap::new();
        for call in m.api_calls() {
            let Some(op) = call.op else { continue };
            let needed: Vec<&str> = match op.permissions.kind {
                PermissionKind::Any | PermissionKind::All => op.permissions.list.to_vec(),
                PermissionKind::NoneRequired | PermissionKind::Unknown => continue,
            };
            if needed.is_empty() {
                continue;
            }
            let action = m.obj(call.subject);
            let Some(at) = call
                .url_span
                .or_else(|| action.config.as_ref().map(|c| c.header))
            else {
                continue;
            };
            let unverified_finding = |why: String, help: &str| {
                Diagnostic::at(
                    &Self::META,
                    format!(
                        "cannot verify the permissions of data action `{}`",
                        action.display()
                    ),
                    at,
                )
                .severity(Severity::Info)
                .label(format!(
                    "needs {} of `{}`",
                    if op.permissions.kind == PermissionKind::All {
                        "all"
                    } else {
                        "one"
                    },
                    needed.join("`, `")
                ))
                .note(why)
                .subject(action.address.clone())
                .help(help.to_owned())
            };
            let (client, how) = match m.client_of_action(call.subject, cx.settings) {
                ClientOf::Known { client, how } => (client, how),
                ClientOf::Unknown(why) => {
                    if unverified.insert(call.subject) {
                        out.push(unverified_finding(why, "declare the client in `.cxlint.toml`: `[[data-action-clients]]` with `integration` and `oauth-client`"));
                    }
                    continue;
                }
            };
            // Many data actions run as one client: compute its grants once.
            let Some(granted) = grants_of
                .entry(client)
                .or_insert_with(|| m.granted_permissions(client))
                .as_ref()
            else {
                // Only some of what the client's roles grant is known: what is missing cannot
                // be told (DOMAIN 4: "cannot verify", not a guess).
                if unverified.insert(call.subject) {
                    out.push(unverified_finding(
                        format!(
                            "the roles of OAuth client `{}`, or the permissions they grant, are not all known before apply",
                            m.obj(client).display()
                        ),
                        "give the variables the roles are built from a value (`--var`, `--var-file`, a `terraform.tfvars`), or pass org state with `--state`",
                    ));
                }
                continue;
            };
            let missing: Vec<&str> = match op.permissions.kind {
                PermissionKind::All => needed
                    .iter()
                    .copied()
                    .filter(|p| !grants(granted, p))
                    .collect(),
                _ if needed.iter().any(|p| grants(granted, p)) => Vec::new(),
                _ => needed.clone(),
            };
            if missing.is_empty() {
                continue;
            }
            let c = m.obj(client);
            let roles: Vec<String> = granted
                .iter()
                .map(|g| format!("`{}`", m.obj(g.3).display()))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let what = if op.permissions.kind == PermissionKind::All || missing.len() == 1 {
                format!("`{}`", missing.join("`, `"))
            } else {
                format!("one of `{}`", missing.join("`, `"))
            };
            out.push(
                Diagnostic::at(
                    &Self::META,
                    format!(
                        "OAuth client `{}` lacks {what} for `{} {}`",
                        c.display(),
                        op.method,
                        op.path
                    ),
                    at,
                )
                .label(format!(
                    "data action `{}` runs as `{}` ({how})",
                    action.display(),
                    c.display()
                ))
                .related(c.location(), format!("OAuth client `{}`", c.display()))
                .note(if roles.is_empty() {
                    "its roles grant no permission policies".to_owned()
                } else {
                    format!("its roles: {}", roles.join(", "))
                })
                .subject(action.address.clone())
                .help(format!(
                    "add a permission policy granting {what} to one of the client's roles"
                )),
            );
        }
    }
}
