//! `unassigned-wrapup-code`: a wrap-up code that no queue offers.

use std::collections::HashSet;

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::types;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every wrap-up code the configuration defines is assigned to at least one queue
    /// whose codes are known.
    ///
    /// ## Why is this bad?
    /// A code on no queue can never be selected by an agent: it is dead configuration, or a queue
    /// was meant to offer it and does not.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_routing_wrapupcode" "callback" {
    ///   name = "Callback Requested"
    /// }
    /// # ...and no queue lists genesyscloud_routing_wrapupcode.callback.id
    /// ```
    /// Use instead: add it to the queues that need it, or delete it.
    ///
    /// Queues whose codes are unknown (unmanaged `wrapup_codes` without `--state`) may offer the
    /// code; the finding then says how many such queues there are. It is informational by default.
    UnassignedWrapupCode, "CX105", "unassigned-wrapup-code", References, Info
}

impl Rule for UnassignedWrapupCode {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let m = cx.model;
        let mut assigned = HashSet::new();
        let mut unknown_queues = 0usize;
        let mut any_queue = false;
        for (q, _) in m.of_type(types::QUEUE) {
            any_queue = true;
            match m.assignment(q) {
                Some(a) => {
                    assigned.extend(a.codes.iter().filter_map(|r| r.obj()));
                    if !a.complete {
                        unknown_queues += 1;
                    }
                }
                None => unknown_queues += 1,
            }
        }
        if !any_queue {
            return;
        }
        for (id, code) in m.of_type(types::WRAPUP_CODE) {
            if !code.is_managed() || assigned.contains(&id) {
                continue;
            }
            let at = code
                .attr_span("name")
                .map_or_else(|| code.location(), Location::Source);
            let mut d = Diagnostic::new(
                &Self::META,
                format!(
                    "wrap-up code `{}` is not assigned to any queue",
                    code.display()
                ),
                at,
            )
            .label("no queue offers this code")
            .subject(code.address.clone())
            .help(format!(
                "add `{}.id` to the `wrapup_codes` of the queues that need it, or remove it",
                code.address
            ));
            if unknown_queues > 0 {
                d = d.note(format!(
                    "{unknown_queues} queue(s) do not manage `wrapup_codes` here and may offer it"
                ));
            }
            out.push(d);
        }
    }
}
