//! `duplicate-wrapup-code-name`: two wrap-up codes with the same name (case-insensitive).

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::{Model, ObjId, Object, types};

crate::declare_rule! {
    /// ## What it does
    /// Checks that no two wrap-up codes in the configuration share a name, ignoring case.
    /// Each root module is checked on its own, with the modules it calls: separate root modules,
    /// such as one directory per environment, are applied separately, usually to separate orgs,
    /// and so are resources managed through different provider configurations (`provider =
    /// genesyscloud.emea`).
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
        for ids in same_name_groups(cx.model, types::WRAPUP_CODE) {
            report(&Self::META, cx.model, &ids, "wrap-up code", "code", out);
        }
    }
}

/// The managed objects of `rtype` that share a name (ignoring case) and go to one org, each
/// group in model order, the groups in a stable order.
pub(super) fn same_name_groups(m: &Model, rtype: &str) -> Vec<Vec<ObjId>> {
    // The model indexes every object by type and lowercase name: only its groups of more than
    // one can hold a duplicate. (A map of its own, a lowercase copy of every code's name, was
    // 5 MB and 40 ms at 50 MB.)
    //
    // Each root module is a configuration of its own, applied on its own, usually to an org
    // of its own: `envs/dev` and `envs/prod` declaring the same codes is the normal layout,
    // not a conflict. Names clash within one root module and the modules it calls.
    // Likewise one root module managing several orgs through provider aliases.
    let root = |id: ObjId| m.obj(id).config.as_ref().map(|c| c.org_key());
    let mut groups: Vec<Vec<ObjId>> = Vec::new();
    for ids in m.by_name.shared() {
        if m.obj(ids[0]).rtype != rtype {
            continue;
        }
        let mut managed: Vec<ObjId> = (ids.iter().copied())
            .filter(|&id| m.obj(id).is_managed())
            .collect();
        managed.sort_unstable_by(|&a, &b| root(a).cmp(&root(b)).then(a.cmp(&b)));
        groups.extend(
            (managed.chunk_by(|&a, &b| root(a) == root(b)))
                .filter(|same_root| same_root.len() > 1)
                .map(<[ObjId]>::to_vec),
        );
    }
    // Map order is arbitrary; the findings are not.
    groups.sort_unstable();
    groups
}

/// One finding for each object of a group but the first: `noun` names the kind ("wrap-up
/// code"), `short` the word the help uses for one ("code").
pub(super) fn report(
    meta: &'static RuleMeta,
    m: &Model,
    ids: &[ObjId],
    noun: &str,
    short: &str,
    out: &mut Vec<Diagnostic>,
) {
    let first = m.obj(ids[0]);
    let first_at = first
        .attr_span("name")
        .map_or_else(|| first.location(), Location::Source);
    for &dup in &ids[1..] {
        let o = m.obj(dup);
        let at = o
            .attr_span("name")
            .map_or_else(|| o.location(), Location::Source);
        out.push(
            Diagnostic::new(
                meta,
                format!(
                    "{noun} name `{}` is already used by `{}`",
                    o.display(),
                    first.address
                ),
                at,
            )
            .label("duplicate name")
            .related(
                first_at.clone(),
                format!("`{}` is first defined here", first.display()),
            )
            .subject(o.address.clone())
            .help(help(first, o, short)),
        );
    }
}

/// Two declarations: keep one. One declaration twice: a module called more than once with a
/// name that does not depend on its inputs.
fn help(first: &Object, dup: &Object, short: &str) -> String {
    if same_declaration(first, dup) {
        format!(
            "the module declaring it is called more than once (`{}`, `{}`) and gives the {short} \
             the same name each time: build the name from an input variable, or declare the \
             {short} once, outside the module",
            first.address, dup.address
        )
    } else {
        format!(
            "remove `{}` and reference `{}.id` instead, or rename it",
            dup.address, first.address
        )
    }
}

/// Whether two objects are instances of one declaration: a module called more than once.
pub(super) fn same_declaration(a: &Object, b: &Object) -> bool {
    let header = |o: &Object| o.config.as_ref().map(|c| c.header);
    header(a) == header(b)
}
