//! `duplicate-declaration`: the same resource, variable, local, output or module declared twice,
//! or under a name Terraform does not accept.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::workspace::Workspace;

crate::declare_rule! {
    /// ## What it does
    /// Checks that each resource address, data source, variable, local value, output and module call
    /// is declared once per module, under a name Terraform accepts: a letter or `_`, then
    /// letters, digits, `_` and `-` (`resource "genesyscloud_location" " lyon"` is not one).
    ///
    /// ## Why is this bad?
    /// Terraform refuses the whole configuration ("Duplicate resource configuration", "Invalid
    /// resource name"); it happens when exports are merged by hand, files are copied, or labels
    /// are generated from display names.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_routing_queue" "support" { name = "Support" }
    /// resource "genesyscloud_routing_queue" "support" { name = "Support 2" }
    /// ```
    /// Use instead: one declaration per address; rename the second.
    DuplicateDeclaration, "CX108", "duplicate-declaration", References, Error
}

impl Rule for DuplicateDeclaration {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}

    /// The workspace records duplicates as it is assembled; the model keeps the first of each.
    fn check_workspace(&self, ws: &Workspace, out: &mut Vec<Diagnostic>) {
        for id in ws.module_ids() {
            for n in &ws.module(id).invalid_names {
                let kind = match n.kind.as_str() {
                    "data" => "data source",
                    "module" => "module call",
                    other => other,
                };
                out.push(
                    Diagnostic::at(
                        &Self::META,
                        format!("`{}` is not a valid {kind} name", n.name),
                        n.at,
                    )
                    .label("not a name")
                    .help("a name starts with a letter or `_` and has only letters, digits, `_` and `-`"),
                );
            }
            for d in &ws.module(id).duplicates {
                out.push(
                    Diagnostic::at(
                        &Self::META,
                        format!("{} is declared twice", d.what),
                        d.second,
                    )
                    .label("second declaration")
                    .related_span(d.first, "first declared here")
                    .help("remove one, or give it another name; cxlint checks the first"),
                );
            }
        }
    }
}
