//! Platform API calls made by automation (data actions), checked against the embedded catalog, and
//! the OAuth client each data action runs as (DOMAIN.md section 4).

use crate::catalog::{ApiProblem, Operation, check_request, resolve_request};
use crate::settings::RuleSettings;
use crate::source::Span;
use crate::value::{V, Val};

use super::resolve::Target;
use super::{Model, ObjId, types};

/// One request a data action makes.
#[derive(Debug, Clone)]
pub struct ApiCall {
    /// The data action.
    pub subject: ObjId,
    pub method: String,
    pub url: String,
    pub method_span: Option<Span>,
    pub url_span: Option<Span>,
    /// The request body template, when it is a known string.
    pub body: Option<String>,
    pub body_span: Option<Span>,
    /// The operation called, when it exists.
    pub op: Option<&'static Operation>,
    pub problems: Vec<ApiProblem>,
}

/// Which OAuth client a data action authenticates as.
#[derive(Debug, Clone)]
pub enum ClientOf {
    Known {
        client: ObjId,
        how: String,
    },
    /// The chain cannot be closed statically; the reason says where it breaks.
    Unknown(String),
}

impl Model {
    /// Every data-action request with a Platform API URL, checked against the catalog (computed
    /// once; identical requests, common across teams, are checked once).
    pub fn api_calls(&self) -> &[ApiCall] {
        self.cache
            .api_calls
            .get_or_init(|| self.compute_api_calls())
    }

    fn compute_api_calls(&self) -> Vec<ApiCall> {
        type Checked = (Vec<ApiProblem>, Option<&'static Operation>);
        let mut memo: std::collections::HashMap<(String, String, Option<String>), Checked> =
            std::collections::HashMap::new();
        let mut out = Vec::new();
        for (id, action) in self.of_type(types::DATA_ACTION) {
            let third_party = self.third_party_integration(action);
            for req in action.blocks("config_request") {
                let (Some(url), Some(method)) =
                    (req.get("request_url_template"), req.get("request_type"))
                else {
                    continue;
                };
                let (Some(url_text), Some(method_text)) = (url.as_str(), method.as_str()) else {
                    continue;
                };
                // A relative URL is on the integration's own service: Zendesk's API is under
                // `/api/v2` too. Absolute URLs say their host whatever the integration.
                if third_party && !url_text.contains("://") {
                    continue;
                }
                let body = req.get("request_template");
                // A body with Terraform values not known before apply: its JSON, each of them
                // standing in as a Velocity reference does.
                let body_text = body
                    .and_then(|b| self.json_text(b))
                    .map(|(text, _)| text.to_owned());
                let key = (
                    method_text.to_owned(),
                    url_text.to_owned(),
                    body_text.clone(),
                );
                let (problems, op) = memo
                    .entry(key)
                    .or_insert_with(|| {
                        (
                            check_request(method_text, url_text, body_text.as_deref()),
                            resolve_request(method_text, url_text),
                        )
                    })
                    .clone();
                if op.is_none() && problems.is_empty() {
                    continue; // not a Platform API URL
                }
                out.push(ApiCall {
                    subject: id,
                    method: method_text.to_ascii_uppercase(),
                    url: url_text.to_owned(),
                    method_span: method.span,
                    url_span: url.span,
                    body: body_text,
                    body_span: body.and_then(|b| b.span),
                    op,
                    problems,
                });
            }
        }
        out
    }

    /// Whether a data action's integration is known to be of another type than Genesys Cloud
    /// Data Actions (`purecloud-data-actions`, the one whose relative URLs are the Platform
    /// API's): Zendesk, Salesforce, web services.
    fn third_party_integration(&self, action: &super::Object) -> bool {
        let Some((iv, _)) = action.attr("integration_id") else {
            return false;
        };
        let Some(integration) = self.resolve(iv, types::INTEGRATION, iv.span).obj() else {
            return false;
        };
        let integ = self.obj(integration);
        integ
            .attr("integration_type")
            .and_then(|(v, _)| v.as_str())
            .is_some_and(|t| !t.eq_ignore_ascii_case("purecloud-data-actions"))
    }

    /// The OAuth client a data action runs as: action -> integration -> credential -> client, or
    /// the user's `[[data-action-clients]]` declaration for the integration.
    pub fn client_of_action(&self, action: ObjId, settings: &RuleSettings) -> ClientOf {
        let a = self.obj(action);
        let Some((iv, _)) = a.attr("integration_id") else {
            return ClientOf::Unknown(format!("`{}` has no `integration_id`", a.address));
        };
        let Some(integration) = self.resolve(iv, types::INTEGRATION, iv.span).obj() else {
            return ClientOf::Unknown("its integration is not known statically".into());
        };
        let integ = self.obj(integration);
        // A declaration in `.cxlint.toml` names the integration by address, name or id.
        let declared = integ.keys().find_map(|k| settings.data_action_client(k));
        if let Some(client) = declared {
            return match self.find_client(client) {
                Some(c) => ClientOf::Known {
                    client: c,
                    how: format!("declared in `.cxlint.toml` for `{}`", integ.address),
                },
                None => ClientOf::Unknown(format!(
                    "`.cxlint.toml` names OAuth client `{client}`, which is not in the configuration or state"
                )),
            };
        }
        let cred = integ.blocks("config").into_iter().find_map(|c| {
            c.get("credentials")
                .and_then(|cr| cr.get("pureCloudOAuthClient"))
                .cloned()
        });
        let Some(cred) = cred else {
            return ClientOf::Unknown(format!(
                "integration `{}` has no `pureCloudOAuthClient` credential",
                integ.display()
            ));
        };
        let cred_obj = match self.resolve(&cred, types::CREDENTIAL, cred.span).obj() {
            // `<client>.integration_credential_id`: the credential the provider made for it.
            Some(o) if self.obj(o).rtype == types::OAUTH_CLIENT => {
                return ClientOf::Known {
                    client: o,
                    how: "the provider made the integration's credential for it".into(),
                };
            }
            Some(o) => o,
            None => {
                return match self.client_of_made_credential(&cred) {
                    Some(client) => ClientOf::Known {
                        client,
                        how: "the provider made the integration's credential for it".into(),
                    },
                    None => ClientOf::Unknown("its credential is not known statically".into()),
                };
            }
        };
        let c = self.obj(cred_obj);
        let client_id = c
            .attr("fields")
            .and_then(|(f, _)| f.get("clientId").cloned());
        let Some(client_id) = client_id else {
            return ClientOf::Unknown(format!("credential `{}` has no `clientId`", c.display()));
        };
        match self.resolve(&client_id, types::OAUTH_CLIENT, client_id.span).target {
            Target::Obj(o) if self.obj(o).rtype == types::OAUTH_CLIENT => {
                ClientOf::Known { client: o, how: format!("credential `{}` uses it", c.display()) }
            }
            _ => ClientOf::Unknown(match &client_id.v {
                V::Unknown(why) => format!("the credential's `clientId` is not known ({why})"),
                _ => "the credential's `clientId` matches no OAuth client in the configuration or state".into(),
            }),
        }
    }

    /// The one OAuth client whose provider-made credential (`integration_credential_name`) is
    /// `cred`: the id state records as its `integration_credential_id`, or a
    /// `genesyscloud_integration_credential` data source looking up its name.
    fn client_of_made_credential(&self, cred: &Val) -> Option<ObjId> {
        let (attr, key): (&str, &str) = match &cred.v {
            V::String(id) => ("integration_credential_id", id.as_str()),
            V::Id(inst) => {
                let d = &self.data[*self.data_by_instance.get(inst)?];
                if d.rtype != types::CREDENTIAL {
                    return None;
                }
                ("integration_credential_name", d.name.as_deref()?)
            }
            _ => return None,
        };
        let mut clients = (self.of_type(types::OAUTH_CLIENT))
            .filter(|(_, c)| c.str_attr(attr) == Some(key))
            .map(|(id, _)| id);
        let client = clients.next()?;
        clients.next().is_none().then_some(client)
    }

    /// An OAuth client by name, Terraform address or id.
    fn find_client(&self, key: &str) -> Option<ObjId> {
        self.by_address
            .get(key)
            .or_else(|| self.by_id.get(key))
            .copied()
            .filter(|o| self.obj(*o).rtype == types::OAUTH_CLIENT)
            .or_else(|| self.named(types::OAUTH_CLIENT, key).first().copied())
    }

    /// The permissions the roles of a client grant: (domain, entity, action) patterns, `*` allowed,
    /// with the role that grants each; `None` when a role, or what a role grants, is not known
    /// (a `dynamic` block over a value known only at apply, an `action_set` built from a
    /// variable without a value): the grants seen would then be only some of them.
    pub fn granted_permissions(
        &self,
        client: ObjId,
    ) -> Option<Vec<(String, String, String, ObjId)>> {
        let c = self.obj(client);
        if !blocks_known(c.attr("roles").map(|(v, _)| v)) {
            return None;
        }
        let mut out = Vec::new();
        for r in c.blocks("roles") {
            let Some(rv) = r.get("role_id") else { continue };
            let role = self.resolve(rv, types::ROLE, rv.span).obj()?;
            if !role_grants_known(self.obj(role)) {
                return None;
            }
            out.extend(role_grants(self.obj(role)).into_iter().map(|g| {
                (
                    g.domain.to_owned(),
                    g.entity.to_owned(),
                    g.action.to_owned(),
                    role,
                )
            }));
        }
        Some(out)
    }
}

/// Whether a nested block's value is every block it stands for: not a `dynamic` block over an
/// unknown collection (which evaluates to an unknown element, or to an unknown value).
fn blocks_known(v: Option<&crate::value::Val>) -> bool {
    match v.map(|v| &v.v) {
        None | Some(V::Null) | Some(V::Object(_)) => true,
        Some(V::List(items)) => items.iter().all(|i| i.as_object().is_some()),
        Some(_) => false,
    }
}

/// Whether [`role_grants`] sees every permission a role grants: its `permission_policies`
/// blocks, their `domain`, `entity_name` and `action_set`, and its `permissions`, all known.
fn role_grants_known(role: &super::Object) -> bool {
    if !blocks_known(role.attr("permission_policies").map(|(v, _)| v)) {
        return false;
    }
    let policies_known = role.blocks("permission_policies").into_iter().all(|p| {
        let known = |key: &str| p.get(key).is_none_or(|v| !v.contains_unknown());
        known("domain") && known("entity_name") && known("action_set")
    });
    policies_known
        && role
            .attr("permissions")
            .is_none_or(|(v, _)| !v.contains_unknown())
}

/// Does a granted pattern cover `domain:entity:action`?
pub fn grants(granted: &[(String, String, String, ObjId)], needed: &str) -> bool {
    let mut parts = needed.splitn(3, ':');
    let (Some(d), Some(e), Some(a)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let m = |pat: &str, v: &str| pat == "*" || pat.eq_ignore_ascii_case(v);
    granted
        .iter()
        .any(|(gd, ge, ga, _)| m(gd, d) && m(ge, e) && m(ga, a))
}

/// One `domain:entity:action` a role grants, and where it is written.
#[derive(Debug, Clone, Copy)]
pub struct Grant<'a> {
    pub domain: &'a str,
    pub entity: &'a str,
    pub action: &'a str,
    /// The action's value (in `action_set`), or the permission string.
    pub span: Option<Span>,
    /// Where the domain and the entity are written: their own values in a `permission_policies`
    /// block, the permission string in `permissions`.
    pub domain_span: Option<Span>,
    pub entity_span: Option<Span>,
}

/// Every permission a role grants: each action of each `permission_policies` block, and each
/// `domain:entity:action` string of `permissions` (legacy single names are skipped).
pub fn role_grants(role: &super::Object) -> Vec<Grant<'_>> {
    let mut out = Vec::new();
    for p in role.blocks("permission_policies") {
        let (Some(domain_val), Some(entity_val)) = (p.get("domain"), p.get("entity_name")) else {
            continue;
        };
        let (Some(domain), Some(entity)) = (domain_val.as_str(), entity_val.as_str()) else {
            continue;
        };
        for a in p
            .get("action_set")
            .map(|v| v.elements())
            .unwrap_or_default()
        {
            if let Some(action) = a.as_str() {
                out.push(Grant {
                    domain,
                    entity,
                    action,
                    span: a.span.or(p.span),
                    domain_span: domain_val.span.or(p.span),
                    entity_span: entity_val.span.or(p.span),
                });
            }
        }
    }
    if let Some((perms, _)) = role.attr("permissions") {
        for p in perms.elements() {
            let Some(text) = p.as_str() else { continue };
            let mut parts = text.splitn(3, ':');
            if let (Some(domain), Some(entity), Some(action)) =
                (parts.next(), parts.next(), parts.next())
            {
                out.push(Grant {
                    domain,
                    entity,
                    action,
                    span: p.span,
                    domain_span: p.span,
                    entity_span: p.span,
                });
            }
        }
    }
    out
}
