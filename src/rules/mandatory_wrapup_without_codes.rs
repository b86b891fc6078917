//! `mandatory-wrapup-without-codes`: a queue requires wrap-up but offers no codes.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::types;

crate::declare_rule! {
    /// ## What it does
    /// Checks that a queue whose after-call work requires a wrap-up code (`acw_wrapup_prompt`
    /// `MANDATORY`, `MANDATORY_TIMEOUT` (the default) or `MANDATORY_FORCED_TIMEOUT`) has at least one
    /// wrap-up code assigned.
    ///
    /// ## Why is this bad?
    /// Agents must pick a code to finish the interaction and there is none to pick: interactions sit
    /// in after-call work until the timeout, or forever with `MANDATORY`.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_routing_queue" "billing" {
    ///   name              = "Billing"
    ///   acw_wrapup_prompt = "MANDATORY"
    ///   wrapup_codes      = []
    /// }
    /// ```
    /// Use instead: assign the codes agents choose from, or make wrap-up optional.
    /// ```hcl
    /// resource "genesyscloud_routing_queue" "billing" {
    ///   name              = "Billing"
    ///   acw_wrapup_prompt = "MANDATORY"
    ///   wrapup_codes      = [genesyscloud_routing_wrapupcode.resolved.id]
    /// }
    /// ```
    MandatoryWrapupWithoutCodes, "CX106", "mandatory-wrapup-without-codes", References, Warning
}

impl Rule for MandatoryWrapupWithoutCodes {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (id, q) in cx.model.of_type(types::QUEUE) {
            let prompt = q.attr("acw_wrapup_prompt");
            let prompt_text = match prompt {
                Some((v, _)) => match v.as_str() {
                    Some(p) => p.to_owned(),
                    None => continue, // unknown: cannot tell
                },
                None => "MANDATORY_TIMEOUT".to_owned(), // the provider's default
            };
            if !matches!(
                prompt_text.as_str(),
                "MANDATORY" | "MANDATORY_TIMEOUT" | "MANDATORY_FORCED_TIMEOUT"
            ) {
                continue;
            }
            let Some(a) = cx.model.assignment(id) else {
                continue;
            };
            if !a.complete || !a.codes.is_empty() {
                continue;
            }
            let at = a.span.map_or_else(|| q.location(), Location::Source);
            let mut d = Diagnostic::new(
                &Self::META,
                format!(
                    "queue `{}` requires a wrap-up code but assigns none",
                    q.display()
                ),
                at,
            )
            .label("no wrap-up codes")
            .subject(q.address.clone())
            .help("assign the codes agents choose from, or set `acw_wrapup_prompt = \"OPTIONAL\"`");
            d = match (prompt, prompt.and_then(|(v, _)| v.span)) {
                (_, Some(s)) => d.related_span(s, format!("`{prompt_text}` wrap-up")),
                // Set where no source shows it: in org state.
                (Some(_), None) => d.note(format!("`acw_wrapup_prompt` is `{prompt_text}`")),
                (None, None) => d.note("`acw_wrapup_prompt` defaults to `MANDATORY_TIMEOUT`"),
            };
            out.push(d);
        }
    }
}
