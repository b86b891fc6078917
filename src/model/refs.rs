//! Every attribute that holds the id of another org object (DOMAIN.md sections 1 and 3), resolved.
//!
//! The reference rules (`unknown-queue`, `unknown-wrapup-code`, `unresolved-reference`) read this
//! one list instead of each knowing the schema.

use rayon::prelude::*;

use crate::value::Val;

use super::resolve::Ref;
use super::{Model, ObjId, types};

/// One id-valued attribute entry.
#[derive(Debug, Clone)]
pub struct IdRef {
    /// The object holding the reference.
    pub subject: ObjId,
    /// Attribute path for messages, e.g. `wrapup_codes` or `rules.conditions.codes`.
    pub attr: &'static str,
    /// The type the id must be of.
    pub expected: &'static str,
    pub r: Ref,
}

/// An id-valued attribute entry as [`Model::id_refs`] lists it: an [`IdRef`] whose reference
/// may live elsewhere (a queue's codes are its [`super::Assignment`]'s, not a copy).
#[derive(Debug, Clone, Copy)]
pub struct IdRefView<'a> {
    pub subject: ObjId,
    pub attr: &'static str,
    pub expected: &'static str,
    pub r: &'a Ref,
}

impl<'a> From<&'a IdRef> for IdRefView<'a> {
    fn from(i: &'a IdRef) -> Self {
        IdRefView {
            subject: i.subject,
            attr: i.attr,
            expected: i.expected,
            r: &i.r,
        }
    }
}

/// The references one object holds at one schema path.
#[derive(Debug)]
pub(crate) struct HolderRefs {
    entry: &'static SchemaEntry,
    subject: ObjId,
    refs: Vec<Ref>,
}

/// The id references of the configuration and state (see [`Model::config_id_refs`]).
pub(crate) type ConfigRefs = (Vec<HolderRefs>, Vec<IdRef>);

/// (holder type, path of blocks then attribute, expected type, the path as messages show it).
/// Paths name nested blocks first: `["roles", "role_id"]` reads `roles[*].role_id`.
type SchemaEntry = (
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static str,
);

/// A queue's codes: read from its assignment (see [`Model::id_refs`]).
const QUEUE_CODES: &SchemaEntry = &(
    types::QUEUE,
    &["wrapup_codes"],
    types::WRAPUP_CODE,
    "wrapup_codes",
);

/// Every other id-valued attribute.
const SCHEMA: &[SchemaEntry] = &[
    (
        types::QUEUE,
        &["queue_flow_id"],
        types::FLOW,
        "queue_flow_id",
    ),
    (
        types::QUEUE,
        &["email_in_queue_flow_id"],
        types::FLOW,
        "email_in_queue_flow_id",
    ),
    (
        types::QUEUE,
        &["message_in_queue_flow_id"],
        types::FLOW,
        "message_in_queue_flow_id",
    ),
    (
        types::OUTBOUND_RULESET,
        &["queue_id"],
        types::QUEUE,
        "queue_id",
    ),
    (
        types::OUTBOUND_RULESET,
        &["rules", "conditions", "codes"],
        types::WRAPUP_CODE,
        "rules.conditions.codes",
    ),
    (
        types::OUTBOUND_CAMPAIGN,
        &["queue_id"],
        types::QUEUE,
        "queue_id",
    ),
    (
        types::OUTBOUND_CAMPAIGN,
        &["rule_set_ids"],
        types::OUTBOUND_RULESET,
        "rule_set_ids",
    ),
    (
        types::OUTBOUND_WRAPUP_MAPPINGS,
        &["mappings", "wrapup_code_id"],
        types::WRAPUP_CODE,
        "mappings.wrapup_code_id",
    ),
    (types::EMAIL_ROUTE, &["queue_id"], types::QUEUE, "queue_id"),
    // Conditional group routing: the queue the rules belong to, and the queue each later rule
    // evaluates (also written in the queue itself, an older form).
    (
        types::CONDITIONAL_GROUP_ROUTING,
        &["queue_id"],
        types::QUEUE,
        "queue_id",
    ),
    (
        types::CONDITIONAL_GROUP_ROUTING,
        &["rules", "evaluated_queue_id"],
        types::QUEUE,
        "rules.evaluated_queue_id",
    ),
    (
        types::QUEUE,
        &["conditional_group_routing_rules", "evaluated_queue_id"],
        types::QUEUE,
        "conditional_group_routing_rules.evaluated_queue_id",
    ),
    // A role's permission that holds only for a queue's conversations.
    (
        types::ROLE,
        &[
            "permission_policies",
            "conditions",
            "terms",
            "operands",
            "queue_id",
        ],
        types::QUEUE,
        "permission_policies.conditions.terms.operands.queue_id",
    ),
    // The flows a call routing (IVR) sends calls to, by time of day.
    (
        types::IVR,
        &["open_hours_flow_id"],
        types::FLOW,
        "open_hours_flow_id",
    ),
    (
        types::IVR,
        &["closed_hours_flow_id"],
        types::FLOW,
        "closed_hours_flow_id",
    ),
    (
        types::IVR,
        &["holiday_hours_flow_id"],
        types::FLOW,
        "holiday_hours_flow_id",
    ),
    (
        types::WORKTYPE,
        &["default_queue_id"],
        types::QUEUE,
        "default_queue_id",
    ),
    (
        types::OAUTH_CLIENT,
        &["roles", "role_id"],
        types::ROLE,
        "roles.role_id",
    ),
    // The division each role is granted in: `*` for all (see `could_be_id`).
    (
        types::OAUTH_CLIENT,
        &["roles", "division_id"],
        types::DIVISION,
        "roles.division_id",
    ),
    (
        types::DATA_ACTION,
        &["integration_id"],
        types::INTEGRATION,
        "integration_id",
    ),
];

/// Id-valued attributes checked only where written as a literal: a name where the id goes
/// (`division_id = "Home"`, which `terraform apply` sends to the API as an id and fails on), or
/// with `--state` a GUID the org does not have (an id copied from another org). The model
/// keeps them only then ([`super::keep`]): nearly every queue and wrap-up code names its
/// division, almost always by reference to a managed one or through a data source, and the
/// model would hold a resolved reference for each. A wrap-up code's unset division is every
/// division (`*`).
pub(super) const LITERAL_ONLY: &[SchemaEntry] = &[
    (
        types::QUEUE,
        &["division_id"],
        types::DIVISION,
        "division_id",
    ),
    (
        types::WRAPUP_CODE,
        &["division_id"],
        types::DIVISION,
        "division_id",
    ),
    (types::IVR, &["division_id"], types::DIVISION, "division_id"),
];

/// The attributes the id references are read from, by holder type: what [`super::keep`] must
/// keep of their bodies.
pub(super) fn schema_attrs() -> impl Iterator<Item = (&'static str, &'static str)> {
    (SCHEMA.iter().chain([QUEUE_CODES]).chain(LITERAL_ONLY))
        .map(|(holder, path, _, _)| (*holder, path[0]))
}

impl Model {
    /// Every known id-valued attribute of every object, resolved (computed once), then the
    /// by-name references of flows.
    pub fn id_refs(&self) -> impl Iterator<Item = IdRefView<'_>> {
        let (schema, usages) = self.config_id_refs();
        // A queue's codes are its assignment (the same resolution of the same value): read
        // there, not copied. They are most references of a contact centre (hundreds of
        // thousands on a large org), and the copy cost a third of the model's memory. An
        // unknown `wrapup_codes` has no entries here: an unknown reference is never a finding.
        let codes = self.of_type(types::QUEUE).flat_map(|(q, _)| {
            let codes = self.assignment(q).map_or(&[][..], |a| a.codes.as_slice());
            codes.iter().map(move |r| IdRefView {
                subject: q,
                attr: QUEUE_CODES.3,
                expected: QUEUE_CODES.2,
                r,
            })
        });
        let schema = schema.iter().flat_map(|h| {
            h.refs.iter().map(|r| IdRefView {
                subject: h.subject,
                attr: h.entry.3,
                expected: h.entry.2,
                r,
            })
        });
        // The ids retention policies and triggers name are collected with their usages (their
        // conditions nest differently per media type): read there, not copied.
        codes
            .chain(schema)
            .chain(usages.iter().map(IdRefView::from))
            .chain(self.usage_refs.iter().map(IdRefView::from))
            .chain(self.name_refs.iter().map(IdRefView::from))
    }

    /// The references of the configuration and state: by schema path (one vector per holder and
    /// path, but for queues' codes, see [`Self::id_refs`]), then from wrap-up usages. Kept apart
    /// from flows' references: joining them would copy the large one into fresh memory.
    pub(super) fn config_id_refs(&self) -> &ConfigRefs {
        self.cache.id_refs.get_or_init(|| self.compute_id_refs())
    }

    fn compute_id_refs(&self) -> ConfigRefs {
        // Tens of thousands of queues with dozens of codes each on a large org: on every core.
        // One small vector per holder, written in place: collecting them into one flat vector
        // (rayon gathers pieces, then copies them into the whole) briefly took twice its 5 MB at
        // 10 MB of input, in fresh pages, while the memory the configuration's IR had just freed
        // sat in pages too small for it.
        let pairs: Vec<(&'static SchemaEntry, ObjId)> = SCHEMA
            .iter()
            .flat_map(|entry| {
                let holders = self.by_type.get(entry.0).map_or(&[][..], Vec::as_slice);
                holders.iter().map(move |&id| (entry, id))
            })
            .collect();
        let mut schema = Vec::new();
        pairs
            .par_iter()
            .map(|&(entry, id)| {
                let mut refs = Vec::new();
                self.schema_refs(id, entry, &mut refs);
                refs.shrink_to_fit();
                HolderRefs {
                    entry,
                    subject: id,
                    refs,
                }
            })
            .collect_into_vec(&mut schema);
        let mut out = Vec::new();
        // Kept only where written as a literal (see [`LITERAL_ONLY`]): a few objects. A whole
        // body (some expression reads the attribute) keeps references too; they resolve as
        // anywhere else.
        for entry in LITERAL_ONLY {
            for &id in self.by_type.get(entry.0).map_or(&[][..], Vec::as_slice) {
                let mut refs = Vec::new();
                self.schema_refs(id, entry, &mut refs);
                out.extend(refs.into_iter().map(|r| IdRef {
                    subject: id,
                    attr: entry.3,
                    expected: entry.2,
                    r,
                }));
            }
        }
        (schema, out)
    }

    /// The references one object holds at one schema path.
    fn schema_refs(&self, id: ObjId, &(_, path, expected, _): &SchemaEntry, out: &mut Vec<Ref>) {
        let obj = self.obj(id);
        let (first, rest) = path.split_first().expect("schema paths are non-empty");
        if rest.is_empty() {
            if let Some((v, _)) = obj.attr(first) {
                out.extend(self.resolve_list(v, expected, v.span).0);
            }
            return;
        }
        let mut level: Vec<&Val> = obj.blocks(first);
        for (i, key) in rest.iter().enumerate() {
            if i + 1 == rest.len() {
                for b in &level {
                    if let Some(v) = b.get_set(key) {
                        out.extend(self.resolve_list(v, expected, v.span).0);
                    }
                }
            } else {
                level = level.iter().flat_map(|b| b.blocks(key)).collect();
            }
        }
    }
}
