//! `unused-suppression`: emitted by `suppress::apply`, never by a model check.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `cxlint-ignore` comment still hides a finding, and that it names rules
    /// that exist.
    ///
    /// ## Why is this bad?
    /// A suppression that matches nothing is noise at best. At worst it hides the next real problem
    /// that appears on that line, long after the reason it was written for has gone; and a
    /// misspelled rule name suppresses nothing while looking as if it did.
    ///
    /// A suppression naming a rule that did not run (not selected, ignored, or `off`) is not
    /// reported, since cxlint cannot tell whether it would have matched. `per-file-ignores` in
    /// `.cxlint.toml` are never reported: they often cover generated files that are clean today.
    /// `cxlint-ignore: all` is not accepted: each suppression must say what it hides.
    ///
    /// ## Example
    /// ```hcl
    /// # cxlint-ignore: unknown-wrapup-code -- the code is created by hand in the org
    /// resource "genesyscloud_routing_queue" "support" {
    ///   name = "Support"
    /// }
    /// ```
    /// Use instead: remove the comment once the finding it was written for is gone.
    /// ```hcl
    /// resource "genesyscloud_routing_queue" "support" {
    ///   name = "Support"
    /// }
    /// ```
    UnusedSuppression, "CX902", "unused-suppression", Hygiene, Warning
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {
        // Found by `suppress::apply` after every other rule has run: only then is it known which
        // suppressions matched a finding.
    }
}
