//! Where automation uses a wrap-up code for work that lands on a queue (DOMAIN.md section 3).
//!
//! Each [`WrapupUsage`] is one (code, queue) pair with both ends located. The pairs are extracted
//! once here; `wrapup-code-not-assigned`, `unknown-wrapup-code` and the job summary's matrix read them.

use crate::source::Span;
use crate::value::{V, Val};

use super::refs::IdRef;
use super::resolve::{Ref, Target};
use super::{Model, ObjId, types};

/// Which automation uses the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageKind {
    /// An outbound rule set's wrap-up condition, against the rule set's own `queue_id`.
    RuleSet,
    /// An outbound rule set's wrap-up condition, against a campaign that uses the rule set.
    Campaign(ObjId),
    /// A retention policy's conditions block (numbered within the policy): it matches a code
    /// of its `wrapup_code_ids` on any of its `for_queue_ids`.
    RetentionPolicy(u32),
    /// A process-automation trigger's criteria: a `wrapupCode` on any of its `queueId`s.
    Trigger,
    /// The outbound wrap-up code mappings, against the queue of every outbound campaign: a
    /// mapped code takes effect only on a campaign whose queue offers it.
    WrapupMapping,
    /// An Architect flow: `setWrapupCode` before a transfer, or in an in-queue flow.
    Flow,
    /// A data action's request template with literal ids.
    DataAction,
}

impl UsageKind {
    pub fn describe(&self) -> &'static str {
        match self {
            UsageKind::RuleSet => "outbound rule set",
            // The usage's subject is the rule set; the campaign is the one in the kind.
            UsageKind::Campaign(_) => "outbound rule set",
            UsageKind::RetentionPolicy(_) => "retention policy",
            UsageKind::Trigger => "trigger",
            UsageKind::WrapupMapping => "wrap-up code mappings",
            UsageKind::Flow => "flow",
            UsageKind::DataAction => "data action",
        }
    }

    /// Usages of one subject with the same code and the same number here are one use of the
    /// code on *any* of their queues: a retention policy's conditions match a code on any of
    /// the block's queues, a trigger fires for any of its queues, and a mapping takes effect
    /// on any campaign that can use the code. The code is rightly used when one of the queues
    /// offers it (see [`Model::offer`]); every other usage stands for its own queue.
    pub fn alternatives(&self) -> Option<u32> {
        match self {
            UsageKind::RetentionPolicy(block) => Some(*block),
            UsageKind::Trigger | UsageKind::WrapupMapping => Some(0),
            _ => None,
        }
    }
}

/// How the queues of a group of alternatives (see [`UsageKind::alternatives`]) stand for its
/// code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Offer {
    /// Every queue's codes are known, and none is the code.
    NotOffered,
    /// No queue is known to offer it, and some queue's codes are not known.
    Unknown,
    /// A queue offers it.
    Offered,
}

/// The groups of alternatives, by (subject, group number, code).
pub(crate) type Offers = std::collections::HashMap<(ObjId, u32, ObjId), Offer>;

/// What [`Model::collect_usages`] gathers from one kind of automation.
#[derive(Default)]
struct Collected {
    usages: Vec<WrapupUsage>,
    /// Every id the automation names, each once, whether or not it pairs with another.
    refs: Vec<IdRef>,
}

/// One use of wrap-up code `code` for work on queue `queue`.
#[derive(Debug, Clone)]
pub struct WrapupUsage {
    pub kind: UsageKind,
    /// The automation object (rule set, policy, trigger, flow, data action).
    pub subject: ObjId,
    pub code: Ref,
    pub queue: Ref,
    /// Extra location to show (e.g. the campaign's `rule_set_ids` entry).
    pub via: Option<(Span, String)>,
}

impl Model {
    /// Extract every usage from rule sets, campaigns, retention policies, triggers and data actions.
    pub(super) fn collect_usages(&mut self) {
        // The kinds are independent: collect them side by side, then append in a fixed order.
        type Collect = fn(&Model, &mut Collected);
        let run = |f: Collect| {
            let mut out = Collected::default();
            f(self, &mut out);
            out
        };
        let ((rule_sets, retention), ((triggers, mappings), data_actions)) = rayon::join(
            || rayon::join(|| run(Self::ruleset_usages), || run(Self::retention_usages)),
            || {
                rayon::join(
                    || rayon::join(|| run(Self::trigger_usages), || run(Self::mapping_usages)),
                    || run(Self::data_action_usages),
                )
            },
        );
        // Sized exactly: kept to the end of the run, when its memory peaks, where growing by
        // doubling left up to half of it unused (a megabyte at 10 MB of input).
        let mut parts = [rule_sets, retention, triggers, mappings, data_actions];
        // A system wrap-up code (an outbound rule set's `ININ-OUTBOUND-BUSY` condition) is set
        // by the system on any queue's work: no queue has to offer it.
        for part in &mut parts {
            part.usages.retain(|u| !u.code.is_system_code());
        }
        self.usages
            .reserve_exact(parts.iter().map(|p| p.usages.len()).sum());
        self.usage_refs
            .reserve_exact(parts.iter().map(|p| p.refs.len()).sum());
        for part in parts {
            self.usages.extend(part.usages);
            self.usage_refs.extend(part.refs);
        }
    }

    /// How the queues of `u`'s group of alternatives stand for its code; `None` for a usage
    /// that stands for its own queue, or whose code is not an object.
    pub fn offer(&self, u: &WrapupUsage) -> Option<Offer> {
        let key = (u.subject, u.kind.alternatives()?, u.code.obj()?);
        let offers = self.cache.offers.get_or_init(|| self.compute_offers());
        offers.get(&key).copied()
    }

    fn compute_offers(&self) -> Offers {
        let mut out = Offers::new();
        for u in &self.usages {
            let (Some(group), Some(code)) = (u.kind.alternatives(), u.code.obj()) else {
                continue;
            };
            // A reference that is not to a queue is an `unknown-queue` finding, not a queue
            // that lacks the code: it takes no part.
            let Some(this) = self.queue_offer(&u.queue, code) else {
                continue;
            };
            out.entry((u.subject, group, code))
                .and_modify(|o| *o = (*o).max(this))
                .or_insert(this);
        }
        out
    }

    /// Whether one queue offers a code; `None` when the reference is not to a queue.
    pub fn queue_offer(&self, queue: &Ref, code: ObjId) -> Option<Offer> {
        match &queue.target {
            Target::Unknown(_) => Some(Offer::Unknown),
            Target::Missing(_) => None,
            Target::Obj(q) if self.obj(*q).rtype != types::QUEUE => None,
            Target::Obj(q) => Some(match self.assignment(*q) {
                None => Offer::Unknown,
                Some(a) if a.contains(code) => Offer::Offered,
                Some(a) if !a.lacks(self, code) => Offer::Unknown,
                Some(_) => Offer::NotOffered,
            }),
        }
    }

    fn ruleset_usages(&self, out: &mut Collected) {
        let out = &mut out.usages;
        // Which campaigns use which rule set, indexed once (not rule sets x campaigns).
        let mut campaigns_of: std::collections::HashMap<ObjId, Vec<(ObjId, Option<Span>)>> =
            std::collections::HashMap::new();
        for (camp_id, camp) in self.of_type(types::OUTBOUND_CAMPAIGN) {
            let Some((ids, _)) = camp.attr("rule_set_ids") else {
                continue;
            };
            for r in self.resolve_list(ids, types::OUTBOUND_RULESET, ids.span).0 {
                if let Some(rs) = r.obj() {
                    campaigns_of.entry(rs).or_default().push((camp_id, r.span));
                }
            }
        }
        for (rs_id, rs) in self.of_type(types::OUTBOUND_RULESET) {
            let mut codes = Vec::new();
            for rule in rs.blocks("rules") {
                for cond in rule.blocks("conditions") {
                    if cond.get("type").and_then(Val::as_str) != Some("wrapupCondition") {
                        continue;
                    }
                    if let Some(c) = cond.get_set("codes") {
                        codes.extend(self.resolve_list(c, types::WRAPUP_CODE, c.span).0);
                    }
                }
            }
            if codes.is_empty() {
                continue;
            }
            if let Some((q, _)) = rs.attr("queue_id") {
                let queue = self.resolve(q, types::QUEUE, q.span);
                for code in &codes {
                    out.push(WrapupUsage {
                        kind: UsageKind::RuleSet,
                        subject: rs_id,
                        code: code.clone(),
                        queue: queue.clone(),
                        via: None,
                    });
                }
            }
            // Campaigns that use this rule set dial through their own queue.
            for &(camp_id, link_span) in campaigns_of
                .get(&rs_id)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let camp = self.obj(camp_id);
                let Some((q, _)) = camp.attr("queue_id") else {
                    continue;
                };
                let queue = self.resolve(q, types::QUEUE, q.span);
                let via = link_span.map(|s| {
                    (
                        s,
                        format!("campaign `{}` uses this rule set", camp.display()),
                    )
                });
                for code in &codes {
                    out.push(WrapupUsage {
                        kind: UsageKind::Campaign(camp_id),
                        subject: rs_id,
                        code: code.clone(),
                        queue: queue.clone(),
                        via: via.clone(),
                    });
                }
            }
        }
    }

    fn retention_usages(&self, out: &mut Collected) {
        for (id, policy) in self.of_type(types::RETENTION_POLICY) {
            // Conditions blocks nest differently per media (`media_policies.call_policy.conditions`,
            // and the policy-level `conditions`): find every object that carries both lists.
            let roots: Vec<&Val> = policy
                .config
                .as_ref()
                .map(|c| vec![&c.attrs])
                .unwrap_or_else(|| policy.state.iter().take(1).map(|s| &s.attrs).collect());
            let mut conds = Vec::new();
            for r in roots {
                find_objects_with(r, &["wrapup_code_ids", "for_queue_ids"], &mut conds, 0);
            }
            for (block, cond) in (0u32..).zip(conds) {
                let list = |attr: &'static str, expected: &'static str| {
                    let v = cond.get_set(attr)?;
                    Some(self.resolve_list(v, expected, v.span).0)
                };
                let codes = list("wrapup_code_ids", types::WRAPUP_CODE).unwrap_or_default();
                let queues = list("for_queue_ids", types::QUEUE).unwrap_or_default();
                out.refs(id, "wrapup_code_ids", types::WRAPUP_CODE, &codes);
                out.refs(id, "for_queue_ids", types::QUEUE, &queues);
                let kind = UsageKind::RetentionPolicy(block);
                push_pairs(&mut out.usages, kind, id, &codes, &queues);
            }
        }
    }

    fn trigger_usages(&self, out: &mut Collected) {
        for (id, _) in self.of_type(types::TRIGGER) {
            let Some(criteria) = self.json_attr(id, "match_criteria") else {
                continue;
            };
            let mut codes = Vec::new();
            let mut queues = Vec::new();
            for c in criteria.elements() {
                // The provider's `match_criteria` blocks name the path `json_path`; the API's
                // JSON (and the provider's older string attribute) names it `jsonPath`.
                let path = c
                    .get("json_path")
                    .or_else(|| c.get("jsonPath"))
                    .and_then(Val::as_str)
                    .unwrap_or_default();
                let op = c.get("operator").and_then(Val::as_str).unwrap_or("Equal");
                if !matches!(op, "Equal" | "In") {
                    continue;
                }
                // `In` takes its list under `values`, or under `value` (the API accepts any
                // JSON there, and a Genesys blueprint writes it so). State writes the one not
                // given as `""` or `[]`, which is as good as absent.
                let given = |key: &str| {
                    c.get_set(key).filter(|v| {
                        v.as_str() != Some("") && v.as_list().is_none_or(|l| !l.is_empty())
                    })
                };
                let values: Vec<&Val> = match (given("value"), given("values")) {
                    (Some(v), _) => v.elements(),
                    (None, Some(vs)) => vs.elements(),
                    _ => continue,
                };
                let span = c.span;
                match path {
                    "wrapupCode" | "wrapupCodeId" | "wrapup.code" => codes.extend(
                        values
                            .iter()
                            .map(|v| self.resolve(v, types::WRAPUP_CODE, span)),
                    ),
                    "queueId" | "queue.id" => {
                        queues.extend(values.iter().map(|v| self.resolve(v, types::QUEUE, span)))
                    }
                    _ => {}
                }
            }
            out.refs(id, "match_criteria", types::WRAPUP_CODE, &codes);
            out.refs(id, "match_criteria", types::QUEUE, &queues);
            push_pairs(&mut out.usages, UsageKind::Trigger, id, &codes, &queues);
        }
    }

    fn mapping_usages(&self, out: &mut Collected) {
        let mut mappings = self.of_type(types::OUTBOUND_WRAPUP_MAPPINGS).peekable();
        if mappings.peek().is_none() {
            return;
        }
        // The queue every campaign dials through, each queue once: many campaigns share one.
        let mut seen = std::collections::HashSet::new();
        let mut queues = Vec::new();
        for (_, camp) in self.of_type(types::OUTBOUND_CAMPAIGN) {
            let Some((q, _)) = camp.attr("queue_id") else {
                continue;
            };
            let queue = self.resolve(q, types::QUEUE, q.span);
            if queue.obj().is_none_or(|q| seen.insert(q)) {
                queues.push(queue);
            }
        }
        // The mappings are the org's, and take effect on every campaign of it: those the
        // configuration manages are not all of them unless org state lists campaigns. A code
        // none of the known campaigns' queues offers may be offered by another's, so that is
        // no finding (README: without state, nothing built on the org is an error).
        if !queues.is_empty() && !self.state_covers(types::OUTBOUND_CAMPAIGN) {
            queues.push(Ref {
                target: Target::unknown(
                    "campaigns the configuration does not manage are not known without org state that lists them",
                ),
                span: None,
            });
        }
        for (id, m) in mappings {
            let codes: Vec<Ref> = (m.blocks("mappings").into_iter())
                .filter_map(|b| b.get("wrapup_code_id"))
                .map(|v| self.resolve(v, types::WRAPUP_CODE, v.span))
                .collect();
            push_pairs(
                &mut out.usages,
                UsageKind::WrapupMapping,
                id,
                &codes,
                &queues,
            );
        }
    }

    fn data_action_usages(&self, out: &mut Collected) {
        for (id, action) in self.of_type(types::DATA_ACTION) {
            let Some(req) = action.blocks("config_request").into_iter().next() else {
                continue;
            };
            let Some(tpl) = req.get("request_template") else {
                continue;
            };
            let Some((text, known)) = self.json_text(tpl) else {
                continue;
            };
            // The objects the body names: by GUID, located in the text; and in a skeleton (the
            // body not known before apply) by the configuration's instance, at the template.
            let by_instance = (!known)
                .then(|| crate::eval::skeleton_ids(text))
                .into_iter()
                .flatten()
                .filter_map(|inst| Some((*self.by_instance.get(&inst)?, tpl.span)));
            let by_guid = guids_in(text).into_iter().filter_map(|(off, guid)| {
                // Offsets in a skeleton are not the source's.
                let at = (tpl.span.filter(|_| known)).map(|s| string_sub_span(s, off, guid.len()));
                Some((*self.by_id.get(guid)?, at.or(tpl.span)))
            });
            let mut codes = Vec::new();
            let mut queues = Vec::new();
            for (obj, span) in by_instance.chain(by_guid) {
                let r = Ref {
                    target: Target::Obj(obj),
                    span,
                };
                match self.obj(obj).rtype.as_str() {
                    types::WRAPUP_CODE => codes.push(r),
                    types::QUEUE => queues.push(r),
                    _ => {}
                }
            }
            push_pairs(&mut out.usages, UsageKind::DataAction, id, &codes, &queues);
        }
    }

    /// A JSON-valued attribute as structure: the argument of `jsonencode(...)` when the
    /// configuration wrote it that way (ids stay symbolic), else the string parsed as JSON.
    pub fn json_attr(&self, id: ObjId, name: &str) -> Option<Val> {
        let obj = self.obj(id);
        debug_assert!(
            super::keep::is_read(&obj.rtype, name),
            "`{name}` is not kept"
        );
        if let Some(c) = &obj.config {
            if let Some(v) = c.attrs.get(&format!("{name}{JSON_SUFFIX}")) {
                return Some(v.clone());
            }
        }
        let (v, _) = obj.attr(name)?;
        match &v.v {
            V::String(s) => crate::eval::json_string_value(s, v.span),
            V::List(_) | V::Object(_) => Some(v.clone()),
            // JSON text with Terraform values not known before apply (a heredoc, a string with
            // `${...}`): its skeleton, in which a resource's `id` is still that resource's.
            V::Unknown(_) => {
                let (skeleton, _) = self.json_text(v)?;
                crate::eval::skeleton_value(skeleton, v.span)
            }
            _ => None,
        }
    }
}

impl Collected {
    fn refs(&mut self, subject: ObjId, attr: &'static str, expected: &'static str, refs: &[Ref]) {
        self.refs.extend(refs.iter().map(|r| IdRef {
            subject,
            attr,
            expected,
            r: r.clone(),
        }));
    }
}

/// One usage per (code, queue) pair: automation that matches any of `codes` on any of `queues`.
fn push_pairs(
    out: &mut Vec<WrapupUsage>,
    kind: UsageKind,
    subject: ObjId,
    codes: &[Ref],
    queues: &[Ref],
) {
    for q in queues {
        for c in codes {
            out.push(WrapupUsage {
                kind: kind.clone(),
                subject,
                code: c.clone(),
                queue: q.clone(),
                via: None,
            });
        }
    }
}

/// Suffix under which the model keeps the structured argument of an attribute written as
/// `jsonencode(...)`.
pub use crate::eval::JSON_SUFFIX;

fn find_objects_with<'a>(v: &'a Val, keys: &[&str], out: &mut Vec<&'a Val>, depth: usize) {
    if depth > 16 {
        return;
    }
    match &v.v {
        V::Object(fields) => {
            if keys.iter().any(|k| fields.contains_key(k)) {
                out.push(v);
            }
            for f in fields.values() {
                find_objects_with(f, keys, out, depth + 1);
            }
        }
        V::List(items) => items
            .iter()
            .for_each(|i| find_objects_with(i, keys, out, depth + 1)),
        _ => {}
    }
}

/// GUIDs in free text with their byte offsets.
pub fn guids_in(text: &str) -> Vec<(usize, &str)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 36 <= b.len() {
        if text.is_char_boundary(i)
            && text.is_char_boundary(i + 36)
            && super::resolve::looks_like_guid(&text[i..i + 36])
        {
            let before_ok = i == 0 || !b[i - 1].is_ascii_hexdigit();
            let after_ok = i + 36 == b.len() || !b[i + 36].is_ascii_hexdigit();
            if before_ok && after_ok {
                out.push((i, &text[i..i + 36]));
                i += 36;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The span of `len` bytes at `off` inside a string value whose span includes its quotes; when the
/// source is not a plain quoted string (escapes, heredoc), the whole value span.
pub fn string_sub_span(value: Span, off: usize, len: usize) -> Span {
    // `+1` skips the opening quote. Callers accept imprecision for strings with escapes.
    let start = value.start as usize + 1 + off;
    if start + len < value.end as usize {
        Span::new(value.file, start..start + len)
    } else {
        value
    }
}
