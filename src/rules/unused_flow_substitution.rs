//! `unused-flow-substitution`: a substitution the flow's YAML never uses.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every entry of a `genesyscloud_flow`'s `substitutions` is used as `{{name}}` in
    /// the flow's YAML, and points out `${name}` written where `{{name}}` was meant.
    ///
    /// ## Why is this bad?
    /// An unused substitution usually means a typo on one side or a placeholder written `${name}`,
    /// which the provider does not substitute: the flow is published with the literal text.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_flow" "inbound" {
    ///   filepath      = "flows/inbound.yaml"   # writes ${support_queue}
    ///   substitutions = { support_queue = "Support" }
    /// }
    /// ```
    /// Use instead: write `{{support_queue}}` in the YAML.
    UnusedFlowSubstitution, "CX412", "unused-flow-substitution", Automation, Warning
}

impl Rule for UnusedFlowSubstitution {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for f in &cx.model.flows {
            let Some(doc) = f.doc() else { continue };
            let flow = cx.model.obj(f.obj);
            for &i in &doc.unused_subs {
                let Some((name, v)) = f.subs.get(i) else {
                    continue;
                };
                let mut d = Diagnostic::at(
                    &Self::META,
                    format!("substitution `{name}` is never used by the flow"),
                    v.span,
                )
                .label(format!("no `{{{{{name}}}}}` in the flow file"))
                .subject(flow.address.clone());
                match doc.dollar_mistakes.iter().find(|m| m.sub == i) {
                    Some(m) => {
                        d = d
                            .related_span(m.span, format!("`${{{name}}}` is not substituted"))
                            .help(format!("write `{{{{{name}}}}}` in the YAML: the provider substitutes only `{{{{...}}}}`"));
                    }
                    None => {
                        d = d.help(format!(
                            "use `{{{{{name}}}}}` in the flow, or remove the substitution"
                        ))
                    }
                }
                out.push(d);
            }
        }
    }
}
