//! `duplicate-flow-name`: two `genesyscloud_flow` resources publishing flows of the same type and
//! name.

use super::duplicate_wrapup_code_name::same_declaration;
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Location};
use crate::model::flows::FlowInfo;
use crate::model::{Model, OrgKey};

crate::declare_rule! {
    /// ## What it does
    /// Checks that no two `genesyscloud_flow` resources publish a flow of the same type with the
    /// same name: the `name` in their Archy YAML, after `substitutions`. Each root module is
    /// checked on its own, with the modules it calls, as are resources managed through different
    /// provider configurations (`provider = genesyscloud.emea`). A name that depends on a value
    /// not known before `terraform apply` is not compared.
    ///
    /// ## Why is this bad?
    /// Archy publishes a flow by its type and name: a file naming an existing flow makes a new
    /// version of that flow. Two resources with the same name therefore manage one flow, and each
    /// `terraform apply` publishes one resource's file over the other's, so the flow that handles
    /// calls is whichever was applied last. Deleting either resource deletes the flow both use.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_flow" "sales" {
    ///   filepath      = "flows/inbound.yaml"   # inboundCall: name: "{{flow_name}}"
    ///   substitutions = { flow_name = "Main IVR" }
    /// }
    /// resource "genesyscloud_flow" "support" {
    ///   filepath      = "flows/support.yaml"   # inboundCall: name: Main IVR
    /// }
    /// ```
    /// Use instead: a name of its own for each flow, for example from a substitution.
    DuplicateFlowName, "CX202", "duplicate-flow-name", Naming, Error
}

impl Rule for DuplicateFlowName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let m = cx.model;
        // (org, type, name, address, index into the flows): sorted, a duplicate follows the
        // first by address.
        let mut named: Vec<(OrgKey<'_>, String, &str, &str, usize)> = (m.flows.iter().enumerate())
            .filter_map(|(i, f)| {
                let key = (org_of(m, f)?, flow_type(f)?, published_name(f)?);
                Some((key.0, key.1, key.2, &*m.obj(f.obj).address, i))
            })
            .collect();
        named.sort_unstable();
        for same in named.chunk_by(|a, b| (&a.0, &a.1, a.2) == (&b.0, &b.1, b.2)) {
            let first = &m.flows[same[0].4];
            for dup in &same[1..] {
                out.push(finding(m, first, &m.flows[dup.4], dup.2));
            }
        }
    }
}

/// The org a flow resource is published to: its root module and provider configuration.
fn org_of<'m>(m: &'m Model, f: &FlowInfo) -> Option<OrgKey<'m>> {
    let o = m.obj(f.obj);
    o.is_managed()
        .then(|| o.config.as_ref().map(|c| c.org_key()))
        .flatten()
}

/// The flow's type, in lower case: Archy reads `inqueueCall` and `inQueueCall` alike.
fn flow_type(f: &FlowInfo) -> Option<String> {
    Some(f.doc()?.flow_type.to_ascii_lowercase())
}

/// The name the flow is published under, when it is known: a placeholder left in it stands for a
/// value known only at apply time, which may well differ between the resources.
fn published_name(f: &FlowInfo) -> Option<&str> {
    let (name, _) = f.doc()?.name.as_ref()?;
    let name = name.trim();
    (!name.is_empty() && !name.contains("{{")).then_some(name)
}

fn finding(m: &Model, first: &FlowInfo, dup: &FlowInfo, name: &str) -> Diagnostic {
    let (a, b) = (m.obj(first.obj), m.obj(dup.obj));
    let at = |f: &FlowInfo| {
        f.filepath_span
            .map_or_else(|| m.obj(f.obj).location(), Location::Source)
    };
    let kind = dup.doc().map_or("", |d| d.flow_type.as_str());
    let mut d = Diagnostic::new(
        &DuplicateFlowName::META,
        format!(
            "`{}` publishes the {kind} flow `{name}`, which `{}` also publishes",
            b.address, a.address
        ),
        at(dup),
    )
    .label("same flow type and name")
    .related(at(first), format!("`{}` publishes `{name}` too", a.address))
    .subject(b.address.clone());
    if let Some((_, span)) = dup.doc().and_then(|doc| doc.name.as_ref()) {
        d = d.related_span(*span, "the flow's name");
    }
    d.help(if same_declaration(a, b) {
        format!(
            "the module declaring it is called more than once (`{}`, `{}`) and names the flow \
             the same each time: give the name a substitution built from an input variable",
            a.address, b.address
        )
    } else {
        format!(
            "give one of the flows another name (a `substitutions` entry for `name` lets one \
             file serve several flows), or remove `{}`",
            b.address
        )
    })
}
