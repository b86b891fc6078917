//! `duplicate-queue-name`: two queues with the same name (case-insensitive) going to one org.

use super::duplicate_wrapup_code_name::{report, same_name_groups};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::types;

crate::declare_rule! {
    /// ## What it does
    /// Checks that no two queues in the configuration share a name, ignoring case. Each root
    /// module is checked on its own, with the modules it calls: separate root modules, such as
    /// one directory per environment, are applied separately, usually to separate orgs, and so
    /// are resources managed through different provider configurations (`provider =
    /// genesyscloud.emea`).
    ///
    /// ## Why is this bad?
    /// Queue names are unique in a Genesys Cloud org: `terraform plan` passes, and `apply` fails
    /// when it creates the second queue. Flows, data-source lookups and reports find queues by
    /// name, so two queues of one name would be ambiguous even where the org allowed them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_routing_queue" "support" {
    ///   name = "Support"
    /// }
    /// resource "genesyscloud_routing_queue" "support_emea" {
    ///   name = "Support"
    /// }
    /// ```
    /// Use instead: a name of its own for each queue (`"Support EMEA"`).
    DuplicateQueueName, "CX203", "duplicate-queue-name", Naming, Error
}

impl Rule for DuplicateQueueName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for ids in same_name_groups(cx.model, types::QUEUE) {
            report(&Self::META, cx.model, &ids, "queue", "queue", out);
        }
    }
}
