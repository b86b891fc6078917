//! `wrapup-code-not-assigned`: automation uses a wrap-up code on a queue that does not offer it.

use super::helpers::{defined_here, reference_text};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{FactSource, UsageKind, types};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every wrap-up code that automation uses for work on a queue is assigned to that
    /// queue: outbound rule-set wrap-up conditions (against the rule set's queue and the queue of
    /// every campaign using it), retention-policy conditions (`wrapup_code_ids` x `for_queue_ids`),
    /// process-automation trigger criteria, Architect flows (`setWrapupCode` before a transfer, or in
    /// an in-queue flow) and data-action request templates.
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
        for u in &m.usages {
            let (Some(code), Some(queue)) = (u.code.obj(), u.queue.obj()) else {
                continue;
            };
            // Wrong-type references are `unknown-queue` / `unknown-wrapup-code` findings.
            if m.obj(code).rtype != types::WRAPUP_CODE || m.obj(queue).rtype != types::QUEUE {
                continue;
            }
            let Some(assignment) = m.assignment(queue) else {
                continue;
            };
            if assignment.contains(code) || !assignment.complete {
                continue;
            }
            let (c, q, subject) = (m.obj(code), m.obj(queue), m.obj(u.subject));
            let primary = match u.code.span {
                Some(s) => Location::Source(s),
                None => subject.location(),
            };
            let mut d = Diagnostic::new(
                &Self::META,
                format!(
                    "wrap-up code `{}` is not assigned to queue `{}`",
                    c.display(),
                    q.display()
                ),
                primary,
            )
            .label(format!(
                "used by {} `{}`",
                types::noun(&subject.rtype),
                subject.display()
            ))
            .subject(subject.address.clone())
            .help(format!(
                "add {} to the `wrapup_codes` of queue `{}`",
                reference_text(m, code),
                q.display()
            ));
            if let Some(s) = u.queue.span {
                let what = match &u.kind {
                    UsageKind::Campaign(camp) => format!(
                        "campaign `{}` dials through queue `{}`",
                        m.obj(*camp).display(),
                        q.display()
                    ),
                    _ => format!("work lands on queue `{}`", q.display()),
                };
                d = d.related_span(s, what);
            }
            if let Some((s, text)) = &u.via {
                d = d.related_span(*s, text.clone());
            }
            match assignment.span {
                Some(s) => {
                    d = d.related_span(s, format!("queue `{}` assigns these codes", q.display()))
                }
                None => {
                    let (loc, text) = defined_here(m, queue);
                    d = d.related(loc, text);
                }
            }
            if let FactSource::State(i) = assignment.source {
                let input = &m.state_inputs[i];
                d = d.note(format!(
                    "the configuration does not manage this queue's `wrapup_codes`; its assignment comes from `{}`",
                    input.path.display()
                ));
                if let Some(other) = q
                    .state
                    .iter()
                    .find(|s| s.input != i && s.attrs.get_set("wrapup_codes").is_some())
                {
                    d = d.note(format!(
                        "`{}` also lists codes for this queue; `{}` was read first and wins",
                        m.state_inputs[other.input].path.display(),
                        input.path.display()
                    ));
                }
            }
            out.push(d);
        }
    }
}
