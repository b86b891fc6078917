//! `unused-flow-substitution`: a substitution the flow's YAML never uses.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::source::Span;
use std::collections::HashMap;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every entry of a `genesyscloud_flow`'s `substitutions` is used as `{{name}}` in
    /// the flow's YAML, and points out `${name}` written where `{{name}}` was meant.
    ///
    /// One map given to several flows (`for_each` over their files, a `local` shared by several
    /// resources) holds entries meant for some of them: an entry is reported when none of those
    /// flows uses it, or where a flow writes `${name}` for it.
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
        let shared = shared_entries(cx);
        for f in &cx.model.flows {
            let Some(doc) = f.doc() else { continue };
            let flow = cx.model.obj(f.obj);
            for &i in &doc.unused_subs {
                let Some((name, v)) = f.subs.get(i) else {
                    continue;
                };
                let mistake = doc.dollar_mistakes.iter().find(|m| m.sub == i);
                let given = match v.span == Span::default() {
                    // No place to tell entries apart by: this flow's own.
                    true => Given::default(),
                    false => (shared.get(&(v.span, name.as_str())).copied()).unwrap_or_default(),
                };
                // One map for several flows (`for_each` over their files, a `local`): an entry
                // some of them use is meant for those, unless this one writes `${name}`.
                if given.used > 0 && mistake.is_none() {
                    continue;
                }
                let (whom, place) = match (given.flows, given.used) {
                    (0 | 1, _) => ("the flow".to_owned(), "the flow file"),
                    // Others use it: this one is meant.
                    (_, 1..) => (format!("`{}`", flow.address), "its file"),
                    (n, 0) => (
                        format!("any of the {n} flows it is given to"),
                        "any of their files",
                    ),
                };
                let mut d = Diagnostic::at(
                    &Self::META,
                    format!("substitution `{name}` is never used by {whom}"),
                    v.span,
                )
                .label(format!("no `{{{{{name}}}}}` in {place}"))
                .subject(flow.address.clone());
                match mistake {
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

/// How many flows a substitution entry (by its name and the span of its value: one written
/// entry) is given to, and how many of them use it. A flow whose file was not read counts as
/// using it: nobody can tell.
#[derive(Clone, Copy, Default)]
struct Given {
    flows: usize,
    used: usize,
}

fn shared_entries<'m>(cx: &Context<'m>) -> HashMap<(Span, &'m str), Given> {
    let mut out: HashMap<_, Given> = HashMap::new();
    for f in &cx.model.flows {
        for (i, (name, v)) in f.subs.iter().enumerate() {
            let g = out.entry((v.span, name.as_str())).or_default();
            g.flows += 1;
            if f.doc().is_none_or(|d| !d.unused_subs.contains(&i)) {
                g.used += 1;
            }
        }
    }
    out
}
