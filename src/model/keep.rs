//! What the model keeps of a resource's evaluated body: the attributes that the rules and the
//! model's derived facts read, and nothing else.
//!
//! The evaluated bodies are most of the model's memory, and most attributes of a resource are
//! read by no rule: a queue's `description`, `media_settings_*` and `routing_rules`, a data
//! action's `contract_input` and `contract_output`, every resource's `division_id`. At 50 MB of
//! configuration they were a third of the evaluated bodies (bench/README.md).
//!
//! Two things keep this correct:
//! - the readers of an object's attributes go through [`super::Object::attr`] and
//!   [`super::Object::blocks`], which assert in debug builds (so in every test) that the
//!   attribute is listed here: a rule that starts reading a new attribute fails its tests until
//!   the attribute is added;
//! - the evaluator reads the kept bodies too: a reference to another resource's attribute,
//!   evaluated after that resource's syntax is released, reads its stored body.
//!   [`whole_bodies`] finds every declaration that some expression reads other than through a
//!   kept attribute or `id` (an unkept attribute, or the resource as a whole value, which can
//!   carry it anywhere), and those keep their whole body.

use std::sync::OnceLock;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::types;
use crate::eval::JSON_SUFFIX;
use crate::ir::{Expr, Op};
use crate::value::{Fields, Obj, V, Val};
use crate::workspace::{ModuleDef, Workspace};

/// Types whose bodies are read whole: a retention policy's usages are found by walking it for
/// conditions, which nest differently per media (`model/usage.rs`).
const WHOLE: &[&str] = &[types::RETENTION_POLICY];

/// What each type's readers read, besides `name` (every type) and the id-valued attributes of
/// the reference schema (`model/refs.rs`), which are added from the schema itself.
const READ: &[(&str, &[&str])] = &[
    // mandatory-wrapup-without-codes; the assignment (`model/resolve.rs`).
    (types::QUEUE, &["acw_wrapup_prompt", "wrapup_codes"]),
    // The client-credentials and scope rules; the roles a data action runs with (`api_use`).
    (
        types::OAUTH_CLIENT,
        &[
            "authorized_grant_type",
            "roles",
            "scopes",
            // The credential the provider makes for the client: a data action's way to it.
            "integration_credential_id",
            "integration_credential_name",
        ],
    ),
    (types::ROLE, &["permission_policies", "permissions"]),
    // The `genesyscloud_auth_division_home` data source's lookup (`model/build.rs`).
    (types::DIVISION, &["home"]),
    // action -> integration -> credential -> client (`api_use`).
    // Which API a data action's relative URL is on (`api_use`).
    (types::INTEGRATION, &["config", "integration_type"]),
    (types::CREDENTIAL, &["fields"]),
    // The Velocity checks of `unresolved-reference` read `config_response` too.
    (
        types::DATA_ACTION,
        &["config_request", "config_response", "integration_id"],
    ),
    (types::TRIGGER, &["match_criteria"]),
    // Loading the flow's file (`check.rs`).
    (types::FLOW, &["filepath", "substitutions"]),
    (types::OUTBOUND_RULESET, &["queue_id", "rules"]),
    (types::OUTBOUND_CAMPAIGN, &["queue_id", "rule_set_ids"]),
];

enum Kept {
    Whole,
    Only {
        names: Vec<&'static str>,
        /// Of `names`, the ids stored only where written as literals (`refs::LITERAL_ONLY`).
        literal_only: Vec<&'static str>,
    },
}

fn kept(rtype: &str) -> &'static Kept {
    static BY_TYPE: OnceLock<FxHashMap<&'static str, Kept>> = OnceLock::new();
    static NAME_ONLY: Kept = Kept::Only {
        names: Vec::new(),
        literal_only: Vec::new(),
    };
    let by_type = BY_TYPE.get_or_init(|| {
        let mut m: FxHashMap<&'static str, Kept> = FxHashMap::default();
        let mut add = |rtype: &'static str, attr: &'static str, literal: bool| {
            let entry = m.entry(rtype).or_insert_with(|| Kept::Only {
                names: Vec::new(),
                literal_only: Vec::new(),
            });
            if let Kept::Only {
                names,
                literal_only,
            } = entry
            {
                if !names.contains(&attr) {
                    names.push(attr);
                }
                if literal {
                    literal_only.push(attr);
                }
            }
        };
        for (rtype, attrs) in READ {
            for attr in *attrs {
                add(rtype, attr, false);
            }
        }
        for (rtype, attr) in super::refs::schema_attrs() {
            add(rtype, attr, false);
        }
        for (rtype, path, _, _) in super::refs::LITERAL_ONLY {
            add(rtype, path[0], true);
        }
        for rtype in WHOLE {
            m.insert(rtype, Kept::Whole);
        }
        m
    });
    by_type.get(rtype).unwrap_or(&NAME_ONLY)
}

/// Is `attr` of a `rtype` kept? `name` always is; an attribute's `jsonencode` argument (see
/// [`JSON_SUFFIX`]) is when the attribute is.
pub fn is_read(rtype: &str, attr: &str) -> bool {
    kept(rtype).keeps(attr)
}

impl Kept {
    fn keeps(&self, attr: &str) -> bool {
        let attr = attr.strip_suffix(JSON_SUFFIX).unwrap_or(attr);
        attr == "name"
            || match self {
                Kept::Whole => true,
                Kept::Only { names, .. } => names.contains(&attr),
            }
    }

    fn is_literal_only(&self, attr: &str) -> bool {
        matches!(self, Kept::Only { literal_only, .. } if literal_only.contains(&attr))
    }
}

/// The model build evaluates what a body keeps, and stores a literal-only id only where it is a
/// literal string: dropped where it is a reference to another resource (most are) or unknown.
impl crate::eval::Keep for Kept {
    fn evaluates(&self, attr: &str) -> bool {
        self.keeps(attr)
    }

    fn stores(&self, attr: &str, value: &Val) -> bool {
        !self.is_literal_only(attr)
            || value
                .as_str()
                .is_some_and(|s| !s.is_empty() && !s.starts_with(super::resolve::ADDRESS_REF))
    }
}

/// What of a `rtype`'s body the model build evaluates and stores ([`prune`] of the whole body,
/// without evaluating the rest); `None` when all of it is.
pub fn kept_of(rtype: &str) -> Option<&'static (impl crate::eval::Keep + use<>)> {
    match kept(rtype) {
        Kept::Whole => None,
        only => Some(only),
    }
}

/// The kept part of a body of `rtype`: the same body when all of it is kept. Every state
/// resource's attributes come through here (the configuration's bodies are evaluated only as
/// far as [`kept_of`] keeps them): the type is looked up once, not once per field. State
/// writes every id as a literal, and none by hand: literal-only ids are not kept from it.
pub fn prune(rtype: &str, body: Obj) -> Obj {
    let kept = kept(rtype);
    let keeps = |k: &str| kept.keeps(k) && !kept.is_literal_only(k);
    if matches!(kept, Kept::Whole) || body.keys().all(|k| keeps(k)) {
        return body;
    }
    let fields: Fields = (body.iter())
        .filter(|(k, _)| keeps(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    fields.into()
}

/// [`prune`] for a value that should be a body (a state input's attributes).
pub fn prune_val(rtype: &str, v: Val) -> Val {
    match v.v {
        V::Object(body) => Val::new(V::Object(prune(rtype, body)), v.span),
        _ => v,
    }
}

/// Which declarations keep their whole body, by module, then by index in
/// [`ModuleDef::resources`]: those some expression of their module reads whole (see the module
/// documentation). References never cross modules: a child module sees its caller's
/// resources only through variables, and those are written in the caller.
pub fn whole_bodies(ws: &Workspace) -> Vec<Vec<bool>> {
    ws.modules.par_iter().map(whole_bodies_of).collect()
}

/// [`whole_bodies`] of one module (`check` runs it as each module is assembled, on every core).
pub fn whole_bodies_of(m: &ModuleDef) -> Vec<bool> {
    let mut whole = vec![false; m.resources.len()];
    let mut visit = |e: &Expr| mark_whole_read(m, e, &mut whole);
    for a in m.locals.values() {
        a.attr.expr.walk(&mut visit);
    }
    let blocks = (m.variables.values())
        .chain(m.outputs.values())
        .chain(m.variable_overrides.values().flatten())
        .chain(m.output_overrides.values().flatten())
        .chain(&m.module_calls)
        .chain(&m.other_blocks);
    for b in blocks {
        b.body.walk_exprs(&mut visit);
    }
    for r in &m.resources {
        if let Some(body) = r.body() {
            body.walk_exprs(&mut visit);
        }
        for o in r.overlays() {
            o.body.walk_exprs(&mut visit);
        }
    }
    whole
}

/// If `e` references a resource of `m` other than through a kept attribute or its `id`, mark it.
fn mark_whole_read(m: &ModuleDef, e: &Expr, whole: &mut [bool]) {
    // Most expressions are not references, and most references are to variables and locals:
    // those are passed over without decoding their steps (this pass reads the whole syntax).
    match e.traversal_root() {
        // `var`, `local`, `each`, `count`, `path`, `terraform`, `module`, `self`: no underscore.
        Some(root) if matches!(root, "data" | "resource") || root.contains('_') => {}
        _ => return,
    }
    let Some(t) = e.traversal() else { return };
    let Some((mode, rtype, name, used)) = t.resource() else {
        return;
    };
    let rest = &t.ops[used..];
    let Some(slot) = m.resource_slot(mode, rtype, name) else {
        return;
    };
    // Instance keys and splats select instances; the first attribute after them is what is read.
    match rest.iter().find_map(Op::attr) {
        Some("id") => {}
        // A literal-only id is not stored where it is a reference: its reader needs the whole
        // body.
        Some(a) if is_read(rtype, a) && !kept(rtype).is_literal_only(a) => {}
        _ => whole[slot] = true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smol_str::SmolStr;

    fn body(keys: &[&str]) -> Obj {
        let fields: Fields = (keys.iter())
            .map(|k| (SmolStr::new(k), Val::null()))
            .collect();
        fields.into()
    }

    fn keys(o: &Obj) -> Vec<&str> {
        o.keys().map(SmolStr::as_str).collect()
    }

    #[test]
    fn unread_attributes_are_dropped_and_read_ones_kept() {
        let queue = body(&[
            "description",
            "media_settings_call",
            "name",
            "queue_flow_id",
            "wrapup_codes",
        ]);
        let kept = prune(types::QUEUE, queue);
        assert_eq!(keys(&kept), ["name", "queue_flow_id", "wrapup_codes"]);
    }

    /// A division id is kept where written as a literal (a name is a finding), never from state.
    #[test]
    fn literal_only_ids_are_kept_where_written_as_literals() {
        use crate::eval::Keep;
        let queue = kept_of(types::QUEUE).expect("not kept whole");
        assert!(queue.evaluates("division_id"));
        let s = |t: &str| Val::new(V::String(t.into()), None);
        assert!(queue.stores("division_id", &s("Home")));
        assert!(queue.stores("division_id", &s("3c4d5e6f-0000-4000-8000-000000000001")));
        assert!(!queue.stores("division_id", &s("")));
        assert!(!queue.stores("division_id", &Val::unknown("a reference")));
        assert!(queue.stores("acw_wrapup_prompt", &Val::unknown("a reference")));
        let from_state = prune(types::QUEUE, body(&["division_id", "name"]));
        assert_eq!(keys(&from_state), ["name"]);
        let role = kept_of(types::ROLE).expect("not kept whole");
        assert!(role.stores("division_id", &Val::unknown("not a literal-only id")));
    }

    #[test]
    fn a_jsonencode_argument_is_kept_with_its_attribute() {
        let trigger = body(&["description", "match_criteria", "match_criteria#jsonencode"]);
        let kept = prune(types::TRIGGER, trigger);
        assert_eq!(keys(&kept), ["match_criteria", "match_criteria#jsonencode"]);
    }

    /// What the model build evaluates of a body is what `prune` keeps of the whole of it.
    #[test]
    fn kept_of_keeps_what_prune_keeps() {
        let attrs = [
            "description",
            "media_settings_call",
            "name",
            "queue_flow_id",
            "wrapup_codes",
            "match_criteria",
            "match_criteria#jsonencode",
            "rules",
            "media_policies",
        ];
        for rtype in [
            types::QUEUE,
            types::TRIGGER,
            types::OUTBOUND_RULESET,
            "genesyscloud_user",
        ] {
            let keeps = kept_of(rtype).expect("not kept whole");
            let evaluated: Vec<&str> = (attrs.iter().copied())
                .filter(|a| crate::eval::Keep::evaluates(keeps, a))
                .collect();
            let whole = prune(rtype, body(&attrs));
            let mut pruned = keys(&whole);
            pruned.sort_by_key(|k| attrs.iter().position(|a| a == k));
            assert_eq!(evaluated, pruned, "{rtype}");
        }
        assert!(kept_of(types::RETENTION_POLICY).is_none());
    }

    #[test]
    fn whole_types_and_unknown_types() {
        let policy = body(&["description", "media_policies", "name"]);
        assert_eq!(keys(&prune(types::RETENTION_POLICY, policy)).len(), 3);
        let user = body(&["email", "name"]);
        assert_eq!(keys(&prune("genesyscloud_user", user)), ["name"]);
    }
}
