//! Platform API entities -> provider-shaped snapshot objects.
//!
//! Each function reads one API entity (camelCase, nested `{id}` references) and writes the
//! attributes the Terraform provider would hold for it (snake_case, `*_id` strings, blocks as lists
//! of objects, JSON-typed attributes as JSON strings), so the model reads a snapshot exactly like a
//! tfstate. Attributes are built from an allow-list: nothing is copied wholesale, which is what
//! keeps an OAuth client's `secret` (returned by `GET /api/v2/oauth/clients`) out of the snapshot.

use serde_json::{Map, Value, json};

use crate::snapshot::SnapshotResource;

type Attrs = Map<String, Value>;

/// A string field, or null.
fn s(v: &Value, key: &str) -> Value {
    v.get(key)
        .and_then(Value::as_str)
        .map_or(Value::Null, |x| Value::String(x.to_owned()))
}

/// A field copied as is when it is a scalar (bool, number, string), or null.
fn scalar(v: &Value, key: &str) -> Value {
    match v.get(key) {
        Some(x @ (Value::Bool(_) | Value::Number(_) | Value::String(_))) => x.clone(),
        _ => Value::Null,
    }
}

/// The id of a nested reference (`"division": {"id": "..."}`), or null.
fn ref_id(v: &Value, key: &str) -> Value {
    v.get(key).map_or(Value::Null, |r| s(r, "id"))
}

/// An array of strings (non-strings dropped), or an empty list.
fn strings(v: &Value, key: &str) -> Value {
    let items = v
        .get(key)
        .and_then(Value::as_array)
        .map_or(Vec::new(), |a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|x| Value::String(x.to_owned()))
                .collect()
        });
    Value::Array(items)
}

/// The ids of an array of references (`"ruleSets": [{"id": ...}]`).
fn ref_ids(v: &Value, key: &str) -> Value {
    let items = v
        .get(key)
        .and_then(Value::as_array)
        .map_or(Vec::new(), |a| {
            a.iter()
                .filter_map(|r| r.get("id").and_then(Value::as_str))
                .map(|x| Value::String(x.to_owned()))
                .collect()
        });
    Value::Array(items)
}

/// A JSON-typed provider attribute: the value serialised as a string, or null when absent.
fn json_string(v: Option<&Value>) -> Value {
    match v {
        None | Some(Value::Null) => Value::Null,
        Some(x) => Value::String(x.to_string()),
    }
}

/// The snapshot object for an entity, or `None` for an entity without an id.
fn object(rtype: &str, entity: &Value, mut attrs: Attrs) -> Option<SnapshotResource> {
    let id = entity.get("id").and_then(Value::as_str)?.to_owned();
    let name = entity
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    attrs.insert("name".to_owned(), Value::String(name.clone()));
    Some(SnapshotResource {
        rtype: rtype.to_owned(),
        id,
        name,
        attributes: attrs,
    })
}

fn attrs<const N: usize>(pairs: [(&str, Value); N]) -> Attrs {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// `GET /api/v2/routing/wrapupcodes` entity.
pub fn wrapup_code(e: &Value) -> Option<SnapshotResource> {
    object(
        "genesyscloud_routing_wrapupcode",
        e,
        attrs([
            ("division_id", ref_id(e, "division")),
            ("description", s(e, "description")),
        ]),
    )
}

/// `GET /api/v2/routing/queues` entity; `wrapup_codes` is added from the queue's own listing.
pub fn queue(e: &Value) -> Option<SnapshotResource> {
    let acw = e.get("acwSettings").unwrap_or(&Value::Null);
    let scripts: Attrs = e
        .get("defaultScripts")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(media, r)| {
                    let id = s(r, "id");
                    (!id.is_null()).then(|| (media.clone(), id))
                })
                .collect()
        })
        .unwrap_or_default();
    object(
        "genesyscloud_routing_queue",
        e,
        attrs([
            ("description", s(e, "description")),
            ("division_id", ref_id(e, "division")),
            ("acw_wrapup_prompt", s(acw, "wrapupPrompt")),
            ("acw_timeout_ms", scalar(acw, "timeoutMs")),
            ("queue_flow_id", ref_id(e, "queueFlow")),
            ("email_in_queue_flow_id", ref_id(e, "emailInQueueFlow")),
            ("message_in_queue_flow_id", ref_id(e, "messageInQueueFlow")),
            ("default_script_ids", Value::Object(scripts)),
            ("skill_evaluation_method", s(e, "skillEvaluationMethod")),
        ]),
    )
}

/// The ids of `GET /api/v2/routing/queues/{id}/wrapupcodes` entities, sorted (a set in the provider).
pub fn queue_wrapup_codes(entities: &[Value]) -> Value {
    let mut ids: Vec<String> = entities
        .iter()
        .filter_map(|c| c.get("id").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    ids.sort();
    ids.dedup();
    Value::Array(ids.into_iter().map(Value::String).collect())
}

/// `GET /api/v2/oauth/clients` entity. The API returns the client's `secret` here; it is never read.
pub fn oauth_client(e: &Value) -> Option<SnapshotResource> {
    let roles: Vec<Value> =
        e.get("roleDivisions")
            .and_then(Value::as_array)
            .map_or(Vec::new(), |a| {
                a.iter()
                    .map(|r| json!({"role_id": s(r, "roleId"), "division_id": s(r, "divisionId")}))
                    .collect()
            });
    object(
        "genesyscloud_oauth_client",
        e,
        attrs([
            ("description", s(e, "description")),
            ("authorized_grant_type", s(e, "authorizedGrantType")),
            ("scopes", strings(e, "scope")),
            ("roles", Value::Array(roles)),
            ("state", s(e, "state")),
            (
                "access_token_validity_seconds",
                scalar(e, "accessTokenValiditySeconds"),
            ),
            (
                "registered_redirect_uris",
                strings(e, "registeredRedirectUri"),
            ),
        ]),
    )
}

/// `GET /api/v2/authorization/roles` entity.
pub fn role(e: &Value) -> Option<SnapshotResource> {
    let policies: Vec<Value> = e
        .get("permissionPolicies")
        .and_then(Value::as_array)
        .map_or(Vec::new(), |a| {
            a.iter()
                .map(|p| {
                    let mut policy = attrs([
                        ("domain", s(p, "domain")),
                        ("entity_name", s(p, "entityName")),
                        ("action_set", strings(p, "actionSet")),
                    ]);
                    if let Some(node) = p.get("resourceConditionNode").filter(|n| !n.is_null()) {
                        policy.insert("conditions".to_owned(), Value::Array(vec![condition(node)]));
                    }
                    Value::Object(policy)
                })
                .collect()
        });
    object(
        "genesyscloud_auth_role",
        e,
        attrs([
            ("description", s(e, "description")),
            ("permissions", strings(e, "permissions")),
            ("permission_policies", Value::Array(policies)),
            ("default_role_id", s(e, "defaultRoleId")),
        ]),
    )
}

/// A policy's `resourceConditionNode` as the provider's `conditions` block: a conjunction of terms,
/// each `{variable_name, operator, operands [{type, queue_id, user_id, value}]}`.
fn condition(node: &Value) -> Value {
    let term = |t: &Value| {
        let operands: Vec<Value> =
            t.get("operands")
                .and_then(Value::as_array)
                .map_or(Vec::new(), |a| {
                    a.iter()
                        .map(|o| {
                            json!({"type": s(o, "type"), "queue_id": ref_id(o, "queue"),
                           "user_id": ref_id(o, "user"), "value": s(o, "value")})
                        })
                        .collect()
                });
        json!({"variable_name": s(t, "variableName"), "operator": s(t, "operator"), "operands": operands})
    };
    let terms: Vec<Value> = match node.get("terms").and_then(Value::as_array) {
        Some(ts) if !ts.is_empty() => ts.iter().map(term).collect(),
        // A single-term node carries its term inline.
        _ => vec![term(node)],
    };
    json!({"conjunction": s(node, "conjunction"), "terms": terms})
}

/// `GET /api/v2/authorization/divisions` entity.
pub fn division(e: &Value) -> Option<SnapshotResource> {
    object(
        "genesyscloud_auth_division",
        e,
        attrs([
            ("description", s(e, "description")),
            (
                "home",
                Value::Bool(
                    e.get("homeDivision")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                ),
            ),
        ]),
    )
}

/// `GET /api/v2/integrations` entity; `config` is added from its current configuration.
pub fn integration(e: &Value) -> Option<SnapshotResource> {
    object(
        "genesyscloud_integration",
        e,
        attrs([
            ("integration_type", ref_id(e, "integrationType")),
            ("intended_state", s(e, "intendedState")),
        ]),
    )
}

/// `GET /api/v2/integrations/{id}/config/current` as the provider's `config` block. Credentials are
/// references (`{name: {id}}`) to credential objects; no secret value is in this document.
pub fn integration_config(c: &Value) -> Value {
    let credentials: Attrs =
        c.get("credentials")
            .and_then(Value::as_object)
            .map_or(Attrs::new(), |m| {
                m.iter()
                    .map(|(k, r)| (k.clone(), s(r, "id")))
                    .filter(|(_, v)| !v.is_null())
                    .collect()
            });
    Value::Array(vec![json!({
        "name": s(c, "name"),
        "notes": s(c, "notes"),
        "properties": json_string(c.get("properties")),
        "advanced": json_string(c.get("advanced")),
        "credentials": credentials,
    })])
}

/// `GET /api/v2/integrations/credentials` entity: metadata only (the listing holds no fields).
pub fn integration_credential(e: &Value) -> Option<SnapshotResource> {
    let type_name = e.get("type").map_or(Value::Null, |t| s(t, "name"));
    object(
        "genesyscloud_integration_credential",
        e,
        attrs([("credential_type_name", type_name)]),
    )
}

/// `GET /api/v2/integrations/actions` entity (a data action).
pub fn integration_action(e: &Value) -> Option<SnapshotResource> {
    let config = e.get("config").unwrap_or(&Value::Null);
    let request = config.get("request").unwrap_or(&Value::Null);
    let response = config.get("response").unwrap_or(&Value::Null);
    let headers: Attrs =
        request
            .get("headers")
            .and_then(Value::as_object)
            .map_or(Attrs::new(), |m| {
                m.iter()
                    .filter_map(|(k, v)| {
                        v.as_str().map(|v| (k.clone(), Value::String(v.to_owned())))
                    })
                    .collect()
            });
    let config_request = if request.is_null() {
        Vec::new()
    } else {
        vec![json!({
            "request_url_template": s(request, "requestUrlTemplate"),
            "request_type": s(request, "requestType"),
            "request_template": s(request, "requestTemplate"),
            "headers": headers,
        })]
    };
    let config_response = if response.is_null() {
        Vec::new()
    } else {
        vec![json!({
            "translation_map": response.get("translationMap").cloned().unwrap_or(Value::Null),
            "translation_map_defaults": response.get("translationMapDefaults").cloned().unwrap_or(Value::Null),
            "success_template": s(response, "successTemplate"),
        })]
    };
    let contract = e.get("contract").unwrap_or(&Value::Null);
    object(
        "genesyscloud_integration_action",
        e,
        attrs([
            ("category", s(e, "category")),
            ("integration_id", s(e, "integrationId")),
            ("secure", scalar(e, "secure")),
            ("config_request", Value::Array(config_request)),
            ("config_response", Value::Array(config_response)),
            (
                "contract_input",
                json_string(contract.get("input").and_then(|i| i.get("inputSchema"))),
            ),
            (
                "contract_output",
                json_string(contract.get("output").and_then(|o| o.get("successSchema"))),
            ),
        ]),
    )
}

/// `GET /api/v2/processautomation/triggers` entity; `match_criteria` is a JSON string, as in the
/// provider.
pub fn trigger(e: &Value) -> Option<SnapshotResource> {
    let target = e
        .get("target")
        .filter(|t| !t.is_null())
        .map_or(Vec::new(), |t| {
            vec![json!({"type": s(t, "type"), "id": s(t, "id")})]
        });
    object(
        "genesyscloud_processautomation_trigger",
        e,
        attrs([
            ("description", s(e, "description")),
            ("topic_name", s(e, "topicName")),
            ("enabled", scalar(e, "enabled")),
            ("target", Value::Array(target)),
            ("match_criteria", json_string(e.get("matchCriteria"))),
            ("event_ttl_seconds", scalar(e, "eventTTLSeconds")),
            ("delay_by_seconds", scalar(e, "delayBySeconds")),
        ]),
    )
}

/// `GET /api/v2/outbound/rulesets` entity.
pub fn ruleset(e: &Value) -> Option<SnapshotResource> {
    let rules: Vec<Value> = e.get("rules").and_then(Value::as_array).map_or(Vec::new(), |a| {
        a.iter()
            .map(|r| {
                let conditions: Vec<Value> =
                    r.get("conditions").and_then(Value::as_array).map_or(Vec::new(), |c| c.iter().map(rule_condition).collect());
                let actions: Vec<Value> =
                    r.get("actions").and_then(Value::as_array).map_or(Vec::new(), |c| c.iter().map(rule_action).collect());
                json!({"name": s(r, "name"), "order": scalar(r, "order"), "category": s(r, "category"),
                       "conditions": conditions, "actions": actions})
            })
            .collect()
    });
    object(
        "genesyscloud_outbound_ruleset",
        e,
        attrs([
            ("contact_list_id", ref_id(e, "contactList")),
            ("queue_id", ref_id(e, "queue")),
            ("rules", Value::Array(rules)),
        ]),
    )
}

fn rule_condition(c: &Value) -> Value {
    json!({
        "type": s(c, "type"),
        "inverted": scalar(c, "inverted"),
        "attribute_name": s(c, "attributeName"),
        "value": s(c, "value"),
        "value_type": s(c, "valueType"),
        "operator": s(c, "operator"),
        "codes": strings(c, "codes"),
        "property": s(c, "property"),
        "property_type": s(c, "propertyType"),
        "data_action_id": ref_id(c, "dataAction"),
        "data_not_found_resolution": scalar(c, "dataNotFoundResolution"),
        "contact_id_field": s(c, "contactIdField"),
        "call_analysis_result_field": s(c, "callAnalysisResultField"),
        "agent_wrapup_field": s(c, "agentWrapupField"),
    })
}

fn rule_action(a: &Value) -> Value {
    let properties: Attrs =
        a.get("properties")
            .and_then(Value::as_object)
            .map_or(Attrs::new(), |m| {
                m.iter()
                    .filter_map(|(k, v)| {
                        v.as_str().map(|v| (k.clone(), Value::String(v.to_owned())))
                    })
                    .collect()
            });
    json!({
        "type": s(a, "type"),
        "action_type_name": s(a, "actionTypeName"),
        "update_option": s(a, "updateOption"),
        "properties": properties,
        "data_action_id": ref_id(a, "dataAction"),
        "contact_id_field": s(a, "contactIdField"),
        "call_analysis_result_field": s(a, "callAnalysisResultField"),
        "agent_wrapup_field": s(a, "agentWrapupField"),
    })
}

/// `GET /api/v2/outbound/campaigns` entity.
pub fn campaign(e: &Value) -> Option<SnapshotResource> {
    object(
        "genesyscloud_outbound_campaign",
        e,
        attrs([
            ("queue_id", ref_id(e, "queue")),
            ("rule_set_ids", ref_ids(e, "ruleSets")),
            ("contact_list_id", ref_id(e, "contactList")),
            ("dialing_mode", s(e, "dialingMode")),
            ("campaign_status", s(e, "campaignStatus")),
            ("script_id", ref_id(e, "script")),
            ("division_id", ref_id(e, "division")),
            (
                "call_analysis_response_set_id",
                ref_id(e, "callAnalysisResponseSet"),
            ),
            ("site_id", ref_id(e, "site")),
            ("edge_group_id", ref_id(e, "edgeGroup")),
        ]),
    )
}

/// `GET /api/v2/flows` entity (name, type, id: the flow's content is not fetched).
pub fn flow(e: &Value) -> Option<SnapshotResource> {
    object(
        "genesyscloud_flow",
        e,
        attrs([
            ("type", s(e, "type")),
            ("description", s(e, "description")),
            ("division_id", ref_id(e, "division")),
        ]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_client_never_carries_the_secret() {
        let e = json!({"id": "c1", "name": "CI", "secret": "s3cr3t", "authorizedGrantType": "CLIENT-CREDENTIALS",
                       "scope": [], "roleDivisions": [{"roleId": "r1", "divisionId": "*"}], "state": "active"});
        let o = oauth_client(&e).expect("client");
        let text = serde_json::to_string(&o).expect("json");
        assert!(!text.contains("s3cr3t"));
        assert_eq!(
            o.attributes["roles"],
            json!([{"role_id": "r1", "division_id": "*"}])
        );
    }

    #[test]
    fn queue_maps_acw_and_flows() {
        let e = json!({"id": "q1", "name": "Support", "division": {"id": "d1"},
                       "acwSettings": {"wrapupPrompt": "MANDATORY", "timeoutMs": 5000},
                       "queueFlow": {"id": "f1", "name": "IQ"}, "defaultScripts": {"CALL": {"id": "s1"}}});
        let q = queue(&e).expect("queue");
        assert_eq!(q.attributes["acw_wrapup_prompt"], "MANDATORY");
        assert_eq!(q.attributes["acw_timeout_ms"], 5000);
        assert_eq!(q.attributes["queue_flow_id"], "f1");
        assert_eq!(q.attributes["email_in_queue_flow_id"], Value::Null);
        assert_eq!(q.attributes["default_script_ids"], json!({"CALL": "s1"}));
        assert!(queue(&json!({"name": "no id"})).is_none());
    }

    #[test]
    fn role_conditions_become_blocks() {
        let e = json!({"id": "r1", "name": "Agent", "permissionPolicies": [{
            "domain": "routing", "entityName": "queue", "actionSet": ["view"],
            "resourceConditionNode": {"conjunction": "AND", "terms": [{"variableName": "Queue.id",
                "operator": "EQUALS", "operands": [{"type": "QUEUE", "queue": {"id": "q1"}}]}]}}]});
        let r = role(&e).expect("role");
        let policy = &r.attributes["permission_policies"][0];
        assert_eq!(policy["action_set"], json!(["view"]));
        assert_eq!(
            policy["conditions"][0]["terms"][0]["operands"][0]["queue_id"],
            "q1"
        );
    }
}
