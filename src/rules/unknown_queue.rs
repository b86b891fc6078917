//! `unknown-queue`: a reference to a queue that does not exist.

use super::helpers::unknown_object_findings;
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::types;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every queue referenced by id (`queue_id`, `for_queue_ids`, `default_queue_id`,
    /// trigger criteria, conditional group routing's `evaluated_queue_id`, a role's permission
    /// conditions), by data source, or by name (flow `targetQueue`) exists, in the
    /// configuration or in the org state given with `--state`, and is a queue.
    ///
    /// A literal that cannot be a queue's id, such as the queue's name (`queue_id = "Support"`),
    /// is reported without any state: Genesys gives queues GUIDs.
    ///
    /// A root module that manages several orgs through provider aliases (`provider =
    /// genesyscloud.emea`, or a module call's `providers` map) must not hand one org's ids to
    /// another: a reference to a queue managed with another provider configuration is reported too.
    /// Two provider configurations are taken to be two orgs, as `duplicate-wrapup-code-name` takes
    /// them.
    ///
    /// ## Why is this bad?
    /// A data source whose name matches no queue fails `terraform plan`; a rule set or campaign with
    /// a stale queue id fails `terraform apply`; a flow that transfers to a missing queue fails to
    /// publish.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_routing_wrapupcode" "resolved" {
    ///   name = "Resolved"
    /// }
    /// resource "genesyscloud_outbound_campaign" "renewals" {
    ///   name     = "Renewals"
    ///   queue_id = genesyscloud_routing_wrapupcode.resolved.id
    /// }
    /// ```
    /// Use instead: the id of a queue.
    /// ```hcl
    /// resource "genesyscloud_routing_queue" "sales" {
    ///   name = "Sales"
    /// }
    /// resource "genesyscloud_outbound_campaign" "renewals" {
    ///   name     = "Renewals"
    ///   queue_id = genesyscloud_routing_queue.sales.id
    /// }
    /// ```
    UnknownQueue, "CX103", "unknown-queue", References, Error
}

impl Rule for UnknownQueue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        unknown_object_findings(cx.model, &Self::META, types::QUEUE, out);
    }
}
