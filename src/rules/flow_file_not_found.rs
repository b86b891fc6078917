//! `flow-file-not-found`: a `genesyscloud_flow` whose `filepath` does not exist.

use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::model::flows::FlowFile;

crate::declare_rule! {
    /// ## What it does
    /// Checks that the Archy YAML file named by each `genesyscloud_flow`'s `filepath` exists and
    /// is a readable regular file (not a directory or a device), resolved as Terraform resolves
    /// it (relative to the root module; `path.module` expanded).
    /// A file that a `local_file` or `local_sensitive_file` of the configuration writes (a flow
    /// made from a template) does not exist before the first apply and is not reported here:
    /// `dynamic-reference` says that its flow goes unchecked.
    ///
    /// ## Why is this bad?
    /// `terraform apply` fails when the provider cannot read the flow file, often only in CI where
    /// the working directory differs from a laptop's.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_flow" "inbound" {
    ///   filepath = "flows/inbound-main.yaml"   # the file is flows/inbound_main.yaml
    /// }
    /// ```
    /// Use instead: the path of the file as committed, preferably `"${path.module}/flows/inbound_main.yaml"`.
    FlowFileNotFound, "CX410", "flow-file-not-found", Automation, Error
}

impl Rule for FlowFileNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for f in &cx.model.flows {
            let FlowFile::NotFound {
                path,
                similar,
                instead,
            } = &f.file
            else {
                continue;
            };
            let flow = cx.model.obj(f.obj);
            let Some(span) = f.filepath_span else {
                continue;
            };
            out.push(
                Diagnostic::at(&Self::META, match instead {
                    Some(what) => format!("flow file `{path}` is {what}"),
                    None => format!("flow file `{path}` does not exist"),
                }, span)
                    .label(format!("`filepath` of `{}`", flow.address))
                    .subject(flow.address.clone())
                    // The path is shown relative to the working directory; a baseline is read
                    // from others. The `filepath` text and the flow's address still key it.
                    .fingerprint_message("flow file does not exist")
                    .help(match similar {
                        _ if instead.is_some() => "point `filepath` at the flow's YAML file (a regular file that `terraform` can read)".to_owned(),
                        Some(file) => format!("a file of that name is at `{file}`: `${{path.module}}` is the directory of the module that declares the flow, and other relative paths start where `terraform` runs"),
                        None => "relative paths resolve against the directory `terraform` runs in; prefer `\"${path.module}/...\"`".to_owned(),
                    }),
            );
        }
    }
}
