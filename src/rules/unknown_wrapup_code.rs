//! `unknown-wrapup-code`: a reference to a wrap-up code that does not exist.

use super::helpers::unknown_object_findings;
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::types;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every wrap-up code referenced by id, by data source, or by name (in flows) exists:
    /// in the configuration, or in the org state given with `--state`.
    ///
    /// A literal that cannot be a wrap-up code's id, such as the code's name (`wrapup_codes =
    /// ["Resolved"]`), is reported without any state: Genesys gives wrap-up codes GUIDs. The
    /// system codes, whose ids are their names (`ININ-WRAP-UP-TIMEOUT`, `ININ-OUTBOUND-MACHINE`),
    /// are accepted.
    ///
    /// A root module that manages several orgs through provider aliases (`provider =
    /// genesyscloud.emea`, or a module call's `providers` map) must not hand one org's ids to
    /// another: a reference to a wrap-up code managed with another provider configuration is
    /// reported too. Two provider configurations are taken to be two orgs, as
    /// `duplicate-wrapup-code-name` takes them.
    ///
    /// ## Why is this bad?
    /// A data source whose name matches no code fails `terraform plan`; a raw id that no longer
    /// exists fails `terraform apply`; a flow that names a missing code fails to publish.
    ///
    /// ## Example
    /// ```hcl
    /// data "genesyscloud_routing_wrapupcode" "resolved" {
    ///   name = "Resolvd"
    /// }
    /// ```
    /// Use instead: the exact name of an existing code.
    /// ```hcl
    /// data "genesyscloud_routing_wrapupcode" "resolved" {
    ///   name = "Resolved"
    /// }
    /// ```
    ///
    /// Without `--state`, names and ids not defined in the configuration cannot be checked and are
    /// not reported (see `dynamic-reference`).
    UnknownWrapupCode, "CX102", "unknown-wrapup-code", References, Error
}

impl Rule for UnknownWrapupCode {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        unknown_object_findings(cx.model, &Self::META, types::WRAPUP_CODE, out);
    }
}
