//! `parse-error`: emitted by the loaders, never by a model check.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every input file (Terraform HCL or JSON, variables, state, plan, snapshot, flow
    /// YAML) can be read and parsed.
    ///
    /// ## Why is this bad?
    /// A file that does not parse is not checked at all, and `terraform plan` rejects it too. cxlint
    /// reports the parser's message at the place it stopped (for a block never closed, at its
    /// opening bracket), checks every other file, and exits 2. So that the exit code is never
    /// a mystery, no selection, `"off"`, ignore comment, per-file ignore or baseline hides it (a
    /// severity set in the configuration still applies).
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_routing_queue" "support" {
    ///   name = "Support"
    /// ```
    /// Use instead: close the block.
    /// ```hcl
    /// resource "genesyscloud_routing_queue" "support" {
    ///   name = "Support"
    /// }
    /// ```
    ParseError, "CX901", "parse-error", Hygiene, Error
}

impl ParseError {
    /// The finding for an input that failed to load: the loader's message, at its span.
    pub fn finding(e: crate::load::LoadError) -> Diagnostic {
        let label = e.label();
        Diagnostic::at(&Self::META, e.message, e.span).label(label)
    }
}

impl Rule for ParseError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // Parse errors are found while loading (see `load`), before there is a model to check.
    }
}
