//! `missing-flow-substitution`: a `{{name}}` placeholder in a flow with no substitution.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `{{name}}` placeholder in a flow's YAML has an entry in the
    /// `genesyscloud_flow`'s `substitutions`.
    ///
    /// When `substitutions` as a whole is not known before apply (`substitutions =
    /// var.flow_subs`, a variable without a value), any `{{name}}` may have its entry: only a
    /// placeholder no key replaces, such as `{{ name }}` with spaces, is reported then.
    ///
    /// ## Why is this bad?
    /// The provider leaves an unmatched placeholder in the YAML as written: Archy then looks up a
    /// queue or wrap-up code literally named `{{support_queue}}` and the publish fails.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_flow" "inbound" {
    ///   filepath      = "flows/inbound.yaml"   # uses {{support_queue}} and {{wrapup_code}}
    ///   substitutions = { support_queue = "Support" }
    /// }
    /// ```
    /// Use instead: give every placeholder a value.
    /// ```hcl
    /// resource "genesyscloud_flow" "inbound" {
    ///   filepath      = "flows/inbound.yaml"
    ///   substitutions = { support_queue = "Support", wrapup_code = "Resolved" }
    /// }
    /// ```
    MissingFlowSubstitution, "CX411", "missing-flow-substitution", Automation, Error
}

impl Rule for MissingFlowSubstitution {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for f in &cx.model.flows {
            let Some(doc) = f.doc() else { continue };
            let flow = cx.model.obj(f.obj);
            for p in &doc.missing_placeholders {
                let exact = format!("{{{{{}}}}}", p.name);
                // `{{ flow_name }}` beside a `flow_name` substitution: the substitution exists,
                // the placeholder is not written the way the provider looks for it.
                let near_miss = p.likely.and_then(|i| f.subs.get(i)).map(|(name, _)| name);
                let message = match near_miss {
                    Some(name) if p.written != exact || name != &p.name => format!(
                        "placeholder `{}` is not replaced: the provider replaces only `{{{{{name}}}}}`",
                        p.written
                    ),
                    // `{{ name }}`: no substitution replaces it, whatever `substitutions` holds.
                    None if p.written != exact => format!(
                        "placeholder `{}` is not replaced: the provider replaces only `{exact}`",
                        p.written
                    ),
                    _ => format!("placeholder `{exact}` has no substitution"),
                };
                let mut d = Diagnostic::at(&Self::META, message, p.span)
                    .label(format!("`{}` gives no `{}`", flow.address, p.name))
                    .subject(flow.address.clone());
                d = match p.likely.and_then(|i| f.subs.get(i)) {
                    Some((name, v)) if name.eq_ignore_ascii_case(&p.name) => d
                        .help(format!(
                            "write exactly `{{{{{name}}}}}`: the provider replaces the placeholder text as is, with no spaces and the same case"
                        ))
                        .related_span(v.span, format!("substitution `{name}`")),
                    Some((name, v)) => d
                        .help(format!("did you mean the substitution `{name}`?"))
                        .related_span(v.span, format!("substitution `{name}`")),
                    None if p.written != exact => d.help(format!(
                        "write exactly `{exact}`, and give the flow's `substitutions` a `{}` entry",
                        p.name
                    )),
                    None => d.help(format!(
                        "add `{} = \"...\"` to the flow's `substitutions`",
                        p.name
                    )),
                };
                if let Some(s) = f.filepath_span {
                    d = d.related_span(s, "flow file used here");
                }
                out.push(d);
            }
        }
    }
}
