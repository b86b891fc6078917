//! `wrapup-code-not-assigned`: automation uses a wrap-up code on a queue that does not offer it.

use super::helpers::{defined_here, reference_text};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Location};
use std::collections::{BTreeSet, HashMap};

use crate::model::resolve::{Missing, Ref, Target};
use crate::model::{FactSource, Model, ObjId, Offer, UsageKind, WrapupUsage, types};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every wrap-up code that automation uses for work on a queue is assigned to that
    /// queue: outbound rule-set wrap-up conditions (against the rule set's queue and the queue of
    /// every campaign using it), retention-policy conditions and process-automation trigger
    /// criteria (against any of their queues), the outbound wrap-up code mappings (against any
    /// campaign's queue), Architect flows (`setWrapupCode` before a transfer, or in an in-queue
    /// flow) and data-action request templates.
    ///
    /// A retention policy's conditions block matches a code of its `wrapup_code_ids` on any of
    /// its `for_queue_ids`, a trigger fires for its `wrapupCode` on any of its `queueId`s, and a
    /// mapped code takes effect on any campaign whose queue offers it: one of those queues
    /// offering the code is enough. The mappings are the org's, so a mapped code is checked
    /// only against org state that lists the campaigns (the configuration may not manage
    /// them all). A code none of them offers is one finding, which names the
    /// queues. When some queue's codes are not known, nothing is concluded, unless each of those
    /// rules the used code out: an id no loaded input holds (an export's raw GUID) when the
    /// code's id is known from org state, or a data source's lookup of another name (names are
    /// unique in an org). A system wrap-up
    /// code, named by its id (`ININ-OUTBOUND-BUSY` in a rule set's condition), is set by the
    /// system on any queue's work, and needs no queue.
    ///
    /// ## Why is this bad?
    /// Agents on the queue can never select a code the queue does not offer, so a rule set
    /// condition, retention policy or trigger that waits for it silently never matches, and a flow
    /// or API call that sets it fails.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_routing_wrapupcode" "resolved" {
    ///   name = "Resolved"
    /// }
    /// resource "genesyscloud_routing_wrapupcode" "escalated" {
    ///   name = "Escalated"
    /// }
    /// resource "genesyscloud_routing_queue" "support" {
    ///   name         = "Support"
    ///   wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
    /// }
    /// resource "genesyscloud_outbound_ruleset" "retry" {
    ///   name     = "Retry escalations"
    ///   queue_id = genesyscloud_routing_queue.support.id
    ///   rules {
    ///     name     = "escalated"
    ///     category = "DIALER_WRAPUP"
    ///     conditions {
    ///       type  = "wrapupCondition"
    ///       codes = [genesyscloud_routing_wrapupcode.escalated.id]
    ///     }
    ///   }
    /// }
    /// ```
    /// Use instead: add the code to the queue.
    /// ```hcl
    /// resource "genesyscloud_routing_queue" "support" {
    ///   name         = "Support"
    ///   wrapup_codes = [
    ///     genesyscloud_routing_wrapupcode.resolved.id,
    ///     genesyscloud_routing_wrapupcode.escalated.id,
    ///   ]
    /// }
    /// ```
    ///
    /// A queue that leaves `wrapup_codes` unset does not manage its codes in Terraform: its
    /// assignment then comes from org state (`--state`), and without state it is not checked.
    ///
    /// ## References
    /// - DOMAIN: a queue's `wrapup_codes` is Optional+Computed in the provider.
    WrapupCodeNotAssigned, "CX101", "wrapup-code-not-assigned", References, Error
}

impl Rule for WrapupCodeNotAssigned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let m = cx.model;
        // Usages whose queues are alternatives are one finding per code, and only when no
        // queue of the group offers it (and every queue's codes are known).
        let mut group_of: HashMap<(ObjId, u32, ObjId), usize> = HashMap::new();
        let mut groups: Vec<Vec<&WrapupUsage>> = Vec::new();
        for u in &m.usages {
            let Some(unused) = unused_pair(m, u) else {
                continue;
            };
            let (code, _) = unused;
            match u.kind.alternatives() {
                None => out.push(finding(m, u, unused, &[])),
                Some(_) if m.offer(u) != Some(Offer::NotOffered) => {}
                Some(group) => {
                    let at = *group_of.entry((u.subject, group, code)).or_insert_with(|| {
                        groups.push(Vec::new());
                        groups.len() - 1
                    });
                    groups[at].push(u);
                }
            }
        }
        for group in groups {
            let (first, others) = group.split_first().expect("groups are never empty");
            let unused = unused_pair(m, first).expect("grouped only when unused");
            out.push(finding(m, first, unused, others));
        }
    }
}

/// The (code, queue) of a usage whose code is a wrap-up code the queue, known to be a queue
/// whose codes are all known, does not offer.
fn unused_pair(m: &Model, u: &WrapupUsage) -> Option<(ObjId, ObjId)> {
    let (code, queue) = (u.code.obj()?, u.queue.obj()?);
    // Wrong-type references are `unknown-queue` / `unknown-wrapup-code` findings.
    if m.obj(code).rtype != types::WRAPUP_CODE || m.obj(queue).rtype != types::QUEUE {
        return None;
    }
    let assignment = m.assignment(queue)?;
    assignment.lacks(m, code).then_some((code, queue))
}

/// At most this many other queues of a group are shown, each where it is named.
const MAX_OTHER_QUEUES: usize = 4;

/// The finding for `u`, and for the `others` of its group of alternatives (same code, other
/// queues, none offering it).
fn finding(
    m: &Model,
    u: &WrapupUsage,
    (code, queue): (ObjId, ObjId),
    others: &[&WrapupUsage],
) -> Diagnostic {
    let (c, q, subject) = (m.obj(code), m.obj(queue), m.obj(u.subject));
    let primary = match u.code.span {
        Some(s) => Location::Source(s),
        None => subject.location(),
    };
    let queues = || {
        let names: Vec<String> = std::iter::once(u)
            .chain(others.iter().copied())
            .filter_map(|o| Some(format!("`{}`", m.obj(o.queue.obj()?).display())))
            .collect();
        names.join(", ")
    };
    let message = match (&u.kind, others.is_empty()) {
        (UsageKind::WrapupMapping, _) => format!(
            "wrap-up code `{}` is mapped, but the queue of no outbound campaign offers it",
            c.display()
        ),
        (_, true) => format!(
            "wrap-up code `{}` is not assigned to queue `{}`",
            c.display(),
            q.display()
        ),
        (_, false) => format!(
            "wrap-up code `{}` is assigned to none of the queues {}",
            c.display(),
            queues()
        ),
    };
    let help = match (&u.kind, others.is_empty()) {
        (UsageKind::WrapupMapping, _) => format!(
            "add {} to the `wrapup_codes` of a campaign's queue, or remove its mapping",
            reference_text(m, code, None)
        ),
        (_, true) => format!(
            "add {} to the `wrapup_codes` of queue `{}`",
            reference_text(m, code, Some(queue)),
            q.display()
        ),
        (_, false) => format!(
            "add {} to the `wrapup_codes` of one of these queues",
            reference_text(m, code, Some(queue))
        ),
    };
    let mut d = Diagnostic::new(&WrapupCodeNotAssigned::META, message, primary)
        .label(format!(
            "used by {} `{}`",
            types::noun(&subject.rtype),
            subject.display()
        ))
        .subject(subject.address.clone())
        .help(help);
    let shown = others.len().min(MAX_OTHER_QUEUES);
    for o in std::iter::once(u).chain(others[..shown].iter().copied()) {
        d = queue_context(m, d, o);
    }
    if others.len() > shown {
        d = d.note(format!(
            "and {} more queues, none of which offers it",
            others.len() - shown
        ));
    }
    d
}

/// Where usage `u` names its queue, and where the queue assigns its codes.
fn queue_context(m: &Model, mut d: Diagnostic, u: &WrapupUsage) -> Diagnostic {
    let Some(queue) = u.queue.obj() else {
        return d;
    };
    let q = m.obj(queue);
    let Some(assignment) = m.assignment(queue) else {
        return d;
    };
    if let Some(s) = u.queue.span {
        let what = match &u.kind {
            UsageKind::Campaign(camp) => format!(
                "campaign `{}` dials through queue `{}`",
                m.obj(*camp).display(),
                q.display()
            ),
            UsageKind::WrapupMapping => {
                format!("an outbound campaign dials through queue `{}`", q.display())
            }
            _ => format!("work lands on queue `{}`", q.display()),
        };
        d = d.related_span(s, what);
    }
    if let Some((s, text)) = &u.via {
        d = d.related_span(*s, text.clone());
    }
    match assignment.span {
        Some(s) => d = d.related_span(s, format!("queue `{}` assigns these codes", q.display())),
        None => {
            let (loc, text) = defined_here(m, queue);
            d = d.related(loc, text);
        }
    }
    if let FactSource::State(i) = assignment.source {
        let input = &m.state_inputs[i];
        d = d.note(format!(
            "the configuration does not manage the `wrapup_codes` of queue `{}`; its assignment comes from `{}`",
            q.display(),
            input.path.display()
        ));
        // Another `--state` input that lists other codes for the queue: the finding rests on
        // the first one's list, and says so. Parts of one export directory are one org as one
        // export saw it, and inputs that agree leave nothing to choose.
        let winning = code_set(m, &assignment.codes);
        if let Some(other) = q.state.iter().find(|s| {
            m.state_inputs[s.input].given != input.given
                && s.attrs.get_set("wrapup_codes").is_some_and(|v| {
                    let (codes, complete) = m.resolve_list(v, types::WRAPUP_CODE, None);
                    let theirs = code_set(m, &codes).filter(|_| complete);
                    matches!((&winning, theirs), (Some(w), Some(t)) if *w != t)
                })
        }) {
            d = d.note(format!(
                "`{}` also lists codes for this queue; `{}` was read first and wins",
                m.state_inputs[other.input].path.display(),
                input.path.display()
            ));
        }
    }
    d
}

/// What a list of wrap-up code references names, as a set: the objects, and the ids no loaded
/// input knows. `None` when some reference is unknown: two lists cannot then be told apart.
fn code_set(m: &Model, codes: &[Ref]) -> Option<BTreeSet<Result<ObjId, String>>> {
    codes
        .iter()
        .map(|r| match &r.target {
            Target::Obj(o) => Some(Ok(*o)),
            Target::Missing(missing) => match &**missing {
                Missing::Id { id, .. } => Some(Err(id.clone())),
                Missing::NotAnId { text } => Some(Err(text.clone())),
                Missing::Name { name, .. } => Some(Err(name.clone())),
                Missing::Data { data } => Some(Err(m.data[*data].address.clone())),
            },
            Target::Unknown(_) => None,
        })
        .collect()
}
