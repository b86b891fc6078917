//! `duplicate-wrapup-code-name`: two wrap-up codes with the same name (case-insensitive).

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{ObjId, types};

crate::declare_rule! {
    /// ## What it does
    /// Checks that no two wrap-up codes in the configuration share a name, ignoring case.
    ///
    /// ## Why is this bad?
    /// Wrap-up code names are unique in a Genesys Cloud org (case-insensitively): the second
    /// `terraform apply` fails with a conflict, and data-source lookups by name become ambiguous.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_routing_wrapupcode" "resolved" {
    ///   name = "Resolved"
    /// }
    /// resource "genesyscloud_routing_wrapupcode" "resolved_again" {
    ///   name = "resolved"
    /// }
    /// ```
    /// Use instead: one resource per code, referenced wherever it is needed.
    DuplicateWrapupCodeName, "CX201", "duplicate-wrapup-code-name", Naming, Error
}

impl Rule for DuplicateWrapupCodeName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let m = cx.model;
        // The model indexes every object by type and lowercase name: only its groups of more than
        // one can hold a duplicate. (A map of its own, a lowercase copy of every code's name, was
        // 5 MB and 40 ms at 50 MB.) The configuration's codes of a group, in model order.
        let mut groups: Vec<Vec<ObjId>> = (m.by_name.shared())
            .filter(|ids| m.obj(ids[0]).rtype == types::WRAPUP_CODE)
            .filter_map(|ids| {
                let mut managed: Vec<ObjId> = (ids.iter().copied())
                    .filter(|&id| m.obj(id).is_managed())
                    .collect();
                managed.sort_unstable();
                (managed.len() > 1).then_some(managed)
            })
            .collect();
        // Map order is arbitrary; the findings are not.
        groups.sort_unstable();
        for ids in &groups {
            let first = cx.model.obj(ids[0]);
            for &dup in &ids[1..] {
                let o = cx.model.obj(dup);
                let at = o
                    .attr_span("name")
                    .map_or_else(|| o.location(), Location::Source);
                let first_at = first
                    .attr_span("name")
                    .map_or_else(|| first.location(), Location::Source);
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        format!(
                            "wrap-up code name `{}` is already used by `{}`",
                            o.display(),
                            first.address
                        ),
                        at,
                    )
                    .label("duplicate name")
                    .related(
                        first_at,
                        format!("`{}` is first defined here", first.display()),
                    )
                    .subject(o.address.clone())
                    .help(format!(
                        "remove `{}` and reference `{}.id` instead, or rename it",
                        o.address, first.address
                    )),
                );
            }
        }
    }
}
