//! `unassigned-wrapup-code`: a wrap-up code that no queue offers.

use std::collections::HashSet;

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Location};
use crate::load::Mode;
use crate::model::types;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every wrap-up code the configuration defines is assigned to at least one queue
    /// whose codes are known. A queue whose instances are known only at apply time (`for_each`
    /// over a variable) counts as offering the codes its `wrapup_codes` names.
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
    ///
    /// The queues counted are those of every directory checked in one run, root modules
    /// included: an org is often managed by several root modules (the codes in one, the queues in
    /// another), each with its own state. Check one root module on its own to have its codes
    /// judged by its own queues. Where no queue is in sight at all (no queue in the
    /// configuration, nor in org state given with `--state`), the queues are managed elsewhere
    /// and nothing is reported.
    UnassignedWrapupCode, "CX105", "unassigned-wrapup-code", References, Info
}

impl Rule for UnassignedWrapupCode {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let m = cx.model;
        let mut assigned = HashSet::new();
        // Queues that may offer any code: those whose `wrapup_codes` is not managed here, and
        // those that assign codes cxlint cannot identify (raw ids without state, unknowns).
        let mut unmanaged_queues = 0usize;
        let mut unknown_queues = 0usize;
        // Assignments with entries cxlint cannot identify: each may offer a code, unless what
        // it does know rules the code out (`Assignment::lacks`), so they are counted per code.
        let mut incomplete = Vec::new();
        let mut any_queue = false;
        for (q, _) in m.of_type(types::QUEUE) {
            any_queue = true;
            match m.assignment(q) {
                Some(a) => {
                    assigned.extend(a.codes.iter().filter_map(|r| r.obj()));
                    if !a.complete {
                        incomplete.push(a);
                    }
                }
                None => unmanaged_queues += 1,
            }
        }
        // A queue whose instances are not known (`for_each` over a variable) still offers
        // the codes its `wrapup_codes` names, on every instance: those codes are assigned, if
        // there are any instances; and what else it offers is not known.
        let mut assigned_by_unexpanded: Vec<String> = Vec::new();
        for u in
            (m.unexpanded.iter()).filter(|u| u.mode == Mode::Managed && u.rtype == types::QUEUE)
        {
            any_queue = true;
            let before = assigned_by_unexpanded.len();
            assigned_by_unexpanded.extend(
                (u.refs.iter())
                    .filter(|(attr, rtype, _)| {
                        attr == "wrapup_codes" && rtype == types::WRAPUP_CODE
                    })
                    .map(|(_, rtype, name)| format!("{}{rtype}.{name}", u.prefix)),
            );
            // Codes that come from elsewhere (a variable, the org) may be any.
            if assigned_by_unexpanded.len() == before {
                unknown_queues += 1;
            }
        }
        if !any_queue {
            return;
        }
        let named_by_unexpanded = |address: &str| {
            (assigned_by_unexpanded.iter()).any(|base| {
                address
                    .strip_prefix(base.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
            })
        };
        for (id, code) in m.of_type(types::WRAPUP_CODE) {
            if !code.is_managed() || assigned.contains(&id) || named_by_unexpanded(&code.address) {
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
            .help(match module_of(&code.address, &code.rtype) {
                // A module's resources are out of reach from outside it: only its outputs are.
                Some(module) => format!(
                    "add its id (from `{module}`, through an output of the module) to the \
                     `wrapup_codes` of the queues that need it, or remove it"
                ),
                None => format!(
                    "add `{}.id` to the `wrapup_codes` of the queues that need it, or remove it",
                    code.address
                ),
            });
            let mut why = Vec::new();
            if unmanaged_queues > 0 {
                why.push(format!(
                    "{unmanaged_queues} queue(s) do not manage `wrapup_codes` here"
                ));
            }
            let unknown_queues =
                unknown_queues + incomplete.iter().filter(|a| !a.lacks(m, id)).count();
            if unknown_queues > 0 {
                why.push(format!(
                    "{unknown_queues} queue(s) assign codes cxlint cannot identify (raw ids \
                     without `--state`, values not known before apply)"
                ));
            }
            if !why.is_empty() {
                let they = if why.len() > 1 { "they" } else { "these" };
                d = d.note(format!("{}; {they} may offer it", why.join("; ")));
            }
            out.push(d);
        }
    }
}

/// The module an address is in (`module.codes` of `module.codes.genesyscloud_routing_wrapupcode.x`),
/// if it is in one.
fn module_of<'a>(address: &'a str, rtype: &str) -> Option<&'a str> {
    let at = address.find(&format!(".{rtype}."))?;
    address.starts_with("module.").then(|| &address[..at])
}
