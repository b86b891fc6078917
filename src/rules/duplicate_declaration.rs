//! `duplicate-declaration`: the same resource, variable, local, output or module declared twice.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;

crate::declare_rule! {
    /// ## What it does
    /// Checks that each resource address, data source, variable, local value, output and module call
    /// is declared once per module.
    ///
    /// ## Why is this bad?
    /// Terraform refuses the whole configuration ("Duplicate resource configuration"); it happens
    /// when exports are merged by hand or files are copied.
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

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for id in cx.workspace.module_ids() {
            for d in &cx.workspace.module(id).duplicates {
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
