//! `unresolved-reference`: a reference to something that is not declared, as `terraform validate`
//! would report it; also references that depend on themselves, and ids of other object types
//! (flows, roles, rule sets, integrations) that do not exist.

use super::hardcoded_secret::is_secret_key;
use super::helpers::{RefProblem, data_not_found, id_ref_finding, ref_problem};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::eval::EvalProblem;
use crate::ir::{Body, Expr, ExprKind, Index, Op, Root, TemplatePart};
use crate::load::Mode;
use crate::model::{did_you_mean, types};
use rayon::prelude::*;

use crate::source::{FileId, Span};
use crate::suggest::SuggesterCache;
use crate::velocity;
use crate::workspace::{Item, ModuleDef, ModuleId, Workspace};
use smol_str::SmolStr;
use std::path::Path;

crate::declare_rule! {
    /// ## What it does
    /// Checks that every reference names something declared: resources, data sources, variables,
    /// locals, module calls and their outputs; that no local, variable or output depends on itself,
    /// and no resource or data source refers to itself by name (Terraform's "Self-referential
    /// block"); and that ids of flows (a queue's in-queue flows, an IVR's open, closed and
    /// holiday flows), roles, rule sets, integrations and the divisions of an OAuth client's roles
    /// point at existing objects of that type. A literal that cannot be such an id (`role_id =
    /// "Master Admin"`, `division_id = "Home"`: a name where the id goes) is reported without
    /// any state, since Genesys gives these objects GUIDs (`division_id = "*"`, every division,
    /// is accepted). The `division_id` of a queue, a wrap-up code or an IVR is checked where it
    /// is written as a literal: a name, or with `--state` a GUID the org does not have.
    ///
    /// A literal key a map does not have (`var.code_ids["escalatd"]`, Terraform's "Invalid
    /// index", which stops the plan) is reported where the map is spelt out key by key: the whole
    /// value of an `output` or a `locals` entry, passed on through module inputs or not. Maps
    /// from a variable's default or a `tfvars` file (CI may pass others), maps made by `for`, and
    /// misses inside `try` or `can` are left alone, as are attributes no check reads (cxlint
    /// does not evaluate a queue's `members`, for one). So is an instance that `for_each` or
    /// `count` does not make (`genesyscloud_routing_wrapupcode.standard["Callback Requestd"]`,
    /// `genesyscloud_routing_queue.q[2]` with `count = 2`), when the `for_each` or `count` is
    /// spelt out in the module: literals, functions of them, `for` expressions and locals made
    /// so, with no variable, data source, resource attribute or module output in them.
    ///
    /// A file that a file function reads at plan (`file`, `filesha256`, `templatefile`...) must
    /// be there: a path written out (`"flows/a.yaml"`, `"${path.module}/flows/a.yaml"`) where no
    /// file is stops the plan ("no file exists"), as when a flow file is renamed and its
    /// `file_content_hash` still reads the old name. In a module, a path not under
    /// `path.module` is looked for where each root that calls it runs `terraform`. Paths
    /// computed from variables, calls inside `try` or `can`, the branches of a condition
    /// (Terraform reads only the one taken), and paths in a home directory (`~/...`) are left
    /// alone.
    ///
    /// A root module that manages several orgs through provider aliases (`provider =
    /// genesyscloud.emea`, or a module call's `providers` map) must not hand one org's ids to
    /// another: a reference to a flow, role, rule set or integration managed with another provider
    /// configuration is reported too. Two provider configurations are taken to be two orgs, as
    /// `duplicate-wrapup-code-name` takes them.
    ///
    /// Also reports what Terraform cannot read as a reference at all: a bare name
    /// (`oauthclient_id = CLIENT_ID`), `env.NAME` (Terraform has no `env` object; environment
    /// variables arrive as `var.NAME` from `TF_VAR_NAME`), and a `${...}` meant for Genesys Cloud,
    /// such as a data action's Velocity `${input.queueId}`, which must be written `$${input.queueId}`.
    /// A variable file (`.tfvars`) may hold values only: a name, a reference or a function call
    /// there is reported too. So is a module block's argument that the module (when cxlint has
    /// loaded it) declares no variable for, and a variable of the module with no default that
    /// the block does not set (Terraform's "Unsupported argument", "Missing required argument"),
    /// a module block whose `source` is a module it is inside of, its own directory (`source =
    /// "./"`) or one that calls, through others, the module holding the call (a module cycle,
    /// on which `terraform init` never finishes; cxlint does not expand the call),
    /// and a block of an override file (`override.tf`, `*_override.tf`) that no other file of
    /// the module declares (Terraform's "Missing base resource to override"),
    /// and a `terraform.tfvars` entry for no declared variable but close to one
    /// (`queue_divison` for `queue_division`): Terraform only warns, and the variable meant
    /// keeps its default. `each` is reported where no `for_each` makes it (an `output` reading
    /// `each.key`, a resource without `for_each`, the `for_each` expression itself), `count`
    /// where no `count` does, `self` outside provisioners, connections and postconditions, and
    /// attributes those objects lack (`each.id`).
    /// In a data action's request, a Velocity reference whose root is `input` or `credentials`
    /// in another case (`$Input.conversationId`, `${INPUT.id}`) names nothing: Velocity is
    /// case-sensitive, and the text is sent as written. So are braces in a data action's URL
    /// that no `$` opens: `{input.queueId}` missing its `$`, or `{queueId}` copied from the API
    /// reference; and, in its request template, an `input` or `credentials` name in braces
    /// without its `$`, and in its success template `{rawResult}`, `{input.x}` or a translation
    /// map's name outside a JSON string (a response that is not even JSON).
    ///
    /// Not references, so not checked: `moved` and `removed` blocks' `from` (an address the
    /// configuration no longer declares), `provider` and `providers` arguments, `lifecycle`'s
    /// `ignore_changes`, a variable's `type`, provisioner and `action_trigger` keywords, and the
    /// `terraform` block. A `check` block's own data sources are declared for that block. In a
    /// directory with a file that failed to load (a `parse-error`), undeclared names are not
    /// reported: that file may declare them.
    ///
    /// ## Why is this bad?
    /// `terraform validate` and `plan` reject the configuration, usually after a rename or a typo
    /// in a long export. An unescaped `${input.x}` in a data action fails the same way, long
    /// before the data action can run.
    ///
    /// ## Example
    /// ```hcl
    /// resource "genesyscloud_routing_queue" "support" {
    ///   name         = "Support"
    ///   wrapup_codes = [genesyscloud_routing_wrapupcode.resolvd.id]
    /// }
    /// ```
    /// Use instead: the declared name.
    /// ```hcl
    /// resource "genesyscloud_routing_wrapupcode" "resolved" {
    ///   name = "Resolved"
    /// }
    /// resource "genesyscloud_routing_queue" "support" {
    ///   name         = "Support"
    ///   wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
    /// }
    /// ```
    UnresolvedReference, "CX104", "unresolved-reference", References, Error
}

impl Rule for UnresolvedReference {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_workspace(&self, ws: &Workspace, out: &mut Vec<Diagnostic>) {
        // The walk is the costliest rule on large configurations: split it by declaration.
        let names = NameIndexes::default();
        let working_dirs = ws.working_dirs();
        let found: Vec<Diagnostic> = (ws.par_items())
            .flat_map_iter(|(id, item)| {
                let mut found = Vec::new();
                let mut w = Walker {
                    ws,
                    module: ws.module(id),
                    module_id: id,
                    file: FileId::NONE,
                    bound: Vec::new(),
                    scoped: Vec::new(),
                    interpolated: false,
                    secret: false,
                    out: &mut found,
                    names: &names,
                    working_dirs: &working_dirs,
                    this: None,
                    each: false,
                    count: false,
                    self_object: false,
                    speculative: 0,
                    flow_file: None,
                    address: false,
                };
                w.item(item);
                found
            })
            .collect();
        out.extend(found);
        let files = (ws.tfvars.values().flatten())
            .chain(&ws.cli_vars)
            .chain(&ws.unapplied_tfvars);
        for v in files {
            not_a_value(&v.expr, v.file, is_secret_key(&v.name), out);
        }
        module_arguments(ws, out);
        orphan_overrides(ws, out);
        missing_module_sources(ws, out);
        module_cycles(ws, out);
        misspelt_variable_values(ws, out);
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for p in &cx.model.eval_problems {
            match p {
                EvalProblem::Cycle { what, span } => out.push(
                    Diagnostic::at(&Self::META, format!("{what} depends on itself"), *span)
                        .label("evaluating this needs its own value")
                        .help(
                            "break the cycle: one of the values must not refer back to the others",
                        ),
                ),
                EvalProblem::MissingKey {
                    key,
                    span,
                    object,
                    keys,
                } => out.push(missing_key(key, *span, *object, keys)),
                EvalProblem::MissingInstance {
                    address,
                    key,
                    span,
                    repeat,
                    keys,
                    count,
                } => out.push(missing_instance(address, key, *span, *repeat, keys, *count)),
                _ => {}
            }
        }
        let m = cx.model;
        for r in m
            .id_refs()
            .filter(|r| !matches!(r.expected, types::QUEUE | types::WRAPUP_CODE))
        {
            match ref_problem(m, r.subject, r.r, r.expected) {
                // Other types have no rule of their own: a missing lookup is reported where used.
                Some(RefProblem::MissingData(d)) => {
                    out.push(data_not_found(m, &Self::META, &m.data[d]))
                }
                _ => out.extend(id_ref_finding(m, &Self::META, r)),
            }
        }
        velocity_roots(m, out);
    }
}

/// `m["key"]` on a map that has no such key: Terraform's "Invalid index", which stops the plan.
fn missing_key(key: &str, span: Span, object: Span, keys: &[SmolStr]) -> Diagnostic {
    let shown: Vec<String> = keys.iter().take(8).map(|k| format!("`{k}`")).collect();
    let more = match keys.len() > shown.len() {
        true => format!(" and {} more", keys.len() - shown.len()),
        false => String::new(),
    };
    let d = Diagnostic::at(
        &UnresolvedReference::META,
        format!("the map has no key `{key}`"),
        span,
    )
    .label("no such key: Terraform stops the plan here (\"Invalid index\")")
    .related_span(object, "the map is built here");
    match crate::suggest::did_you_mean(key, keys.iter().map(SmolStr::as_str)) {
        Some(near) => d.help(format!("did you mean `{near}`?")),
        None if keys.is_empty() => d.help("the map is empty"),
        None => d.help(format!("its keys are {}{more}", shown.join(", "))),
    }
}

/// `type.name[index]` naming an instance that `for_each` or `count` does not make: Terraform's
/// "Invalid index", which stops the plan.
fn missing_instance(
    address: &str,
    key: &str,
    span: Span,
    repeat: Span,
    keys: &[SmolStr],
    count: Option<usize>,
) -> Diagnostic {
    let index = match count {
        Some(_) => format!("[{key}]"),
        None => format!("[\"{key}\"]"),
    };
    let d = Diagnostic::at(
        &UnresolvedReference::META,
        format!("`{address}` has no instance `{index}`"),
        span,
    )
    .label("no such instance: Terraform stops the plan here (\"Invalid index\")");
    match count {
        Some(n) => {
            let d = d.related_span(repeat, format!("`count` makes {n} instances"));
            match n {
                0 => d.help("`count` makes none: index it only when it is above 0"),
                n => d.help(format!("indexes run from 0 to {}", n - 1)),
            }
        }
        None => {
            let d = d.related_span(repeat, "`for_each` makes the instances");
            let shown: Vec<String> = keys.iter().take(8).map(|k| format!("`{k}`")).collect();
            let more = match keys.len() > shown.len() {
                true => format!(" and {} more", keys.len() - shown.len()),
                false => String::new(),
            };
            match crate::suggest::did_you_mean(key, keys.iter().map(SmolStr::as_str)) {
                Some(near) => d.help(format!("did you mean `{near}`?")),
                None if keys.is_empty() => d.help("`for_each` makes no instance"),
                None => d.help(format!("its keys are {}{more}", shown.join(", "))),
            }
        }
    }
}

use crate::velocity::VELOCITY_ROOTS;

/// Terraform's functions that read a file at plan, its path the first argument.
const FILE_FUNCTIONS: &[&str] = &[
    "file",
    "filebase64",
    "filemd5",
    "filesha1",
    "filesha256",
    "filesha512",
    "filebase64sha256",
    "filebase64sha512",
    "templatefile",
];

/// What a path written out in the configuration is relative to.
#[derive(PartialEq)]
enum PathBase {
    /// `path.module`: the directory of the module that reads it.
    Module,
    /// Where `terraform` runs: a bare relative path, `path.root`, `path.cwd`.
    Root,
}

/// A path written out: a string, or a template of literal text after `path.module`,
/// `path.root` or `path.cwd`; `None` for anything computed. An absolute path is `Root`-based,
/// which it replaces when joined.
fn written_path(e: &Expr) -> Option<(PathBase, String)> {
    let parts = match &e.kind {
        ExprKind::String(s) => return Some((PathBase::Root, s.to_string())),
        ExprKind::Template(parts) => parts,
        _ => return None,
    };
    let (first, rest) = parts.split_first()?;
    let TemplatePart::Interpolation(x) = first else {
        return None;
    };
    let t = x.traversal()?;
    let base = match (t.root, &t.ops[..]) {
        (Root::Name("path", _), [Op::Attr("module", _)]) => PathBase::Module,
        (Root::Name("path", _), [Op::Attr("root" | "cwd", _)]) => PathBase::Root,
        _ => return None,
    };
    let mut rel = String::new();
    for p in rest {
        let TemplatePart::Literal(text) = p else {
            return None;
        };
        rel.push_str(text);
    }
    Some((base, rel.trim_start_matches('/').to_owned()))
}

/// A data action's request that refers to `$Input.x` or `${INPUT.x}`: Velocity is
/// case-sensitive, so that names nothing and goes into the request as written (a URL with
/// `$Input.conversationId` in it, a 404 at run time).
fn velocity_roots(m: &crate::model::Model, out: &mut Vec<Diagnostic>) {
    for (_, action) in m.of_type(crate::model::types::DATA_ACTION) {
        let Some(config) = &action.config else {
            continue;
        };
        for req in config.attrs.blocks("config_request") {
            let mut templates: Vec<&crate::value::Val> =
                ["request_url_template", "request_template"]
                    .into_iter()
                    .filter_map(|k| req.get(k))
                    .collect();
            if let Some(headers) = req.get("headers").and_then(crate::value::Val::as_object) {
                templates.extend(headers.iter().map(|(_, v)| v));
            }
            if let Some(url) = req.get("request_url_template") {
                if let (Some(text), Some(span)) = (url.as_str(), url.span) {
                    for group in bare_braces(text) {
                        out.push(bare_brace_finding(group, span, &action.address));
                    }
                }
            }
            if let Some(t) = req.get("request_template") {
                if let (Some(text), Some(span)) = (t.as_str(), t.span) {
                    for group in velocity::bare_request_names(text) {
                        out.push(bare_name_finding(
                            &text[group],
                            "request template",
                            span,
                            &action.address,
                        ));
                    }
                }
            }
            for t in templates {
                let (Some(text), Some(span)) = (t.as_str(), t.span) else {
                    continue;
                };
                for (written, fixed, root) in velocity_root_case(text) {
                    out.push(
                        Diagnostic::at(
                            &UnresolvedReference::META,
                            format!(
                                "`{written}` is not the data action's `{root}`: Velocity names are case-sensitive"
                            ),
                            span,
                        )
                        .label("sent as written, not filled in")
                        .subject(action.address.clone())
                        .help(fix_as_written(&fixed)),
                    );
                }
            }
        }
        for resp in config.attrs.blocks("config_response") {
            let Some(t) = resp.get("success_template") else {
                continue;
            };
            let (Some(text), Some(span)) = (t.as_str(), t.span) else {
                continue;
            };
            let map = resp
                .get("translation_map")
                .and_then(crate::value::Val::as_object);
            let translated = |name: &str| map.is_some_and(|m| m.iter().any(|(k, _)| k == name));
            for group in velocity::bare_success_names(text, translated) {
                out.push(bare_name_finding(
                    &text[group],
                    "success template",
                    span,
                    &action.address,
                ));
            }
        }
    }
}

/// `{name}` groups in the path of a URL template that Velocity leaves as written: braces around a
/// name (`input.queueId`, `queueId`) that no `$`, `$!` (references) or `#` (directives) opens.
/// `{input.queueId}` missing its `$`, or `{queueId}` as the API reference writes the path, goes
/// into the request as is. The query is left alone: other services' query languages use braces
/// (Salesforce's `FIND {...}`).
fn bare_braces(text: &str) -> Vec<&str> {
    let path = &text[..text.find('?').unwrap_or(text.len())];
    velocity::bare_names(path, |_| true)
        .into_iter()
        .map(|r| &path[r])
        .collect()
}

/// A Velocity name in braces without its `$` in a request or success template: a request body
/// with `{input.queueId}` in it, or a response of `{rawResult}`, which is not even JSON.
fn bare_name_finding(group: &str, template: &str, span: Span, subject: &str) -> Diagnostic {
    let inner = group.trim_start_matches('{').trim_end_matches('}');
    Diagnostic::at(
        &UnresolvedReference::META,
        format!(
            "`{group}` in the {template} is left as written: Velocity fills in only `${{...}}` and `$name`"
        ),
        span,
    )
    .label("not a Velocity reference")
    .subject(subject)
    .help(format!(
        "write `$${{{inner}}}` in Terraform (`${{{inner}}}` once Terraform has read it)"
    ))
}

/// "write `fixed`", with `${` as a Terraform string writes it (`$${`): `${...}` there is
/// Terraform's own interpolation.
fn fix_as_written(fixed: &str) -> String {
    match fixed.contains("${") {
        true => format!(
            "write `{}` in Terraform (`{fixed}` once Terraform has read it)",
            fixed.replace("${", "$${")
        ),
        false => format!("write `{fixed}`"),
    }
}

fn bare_brace_finding(group: &str, span: Span, subject: &str) -> Diagnostic {
    let inner = group.trim_start_matches('{').trim_end_matches('}').trim();
    let reference = match inner.starts_with("input.") {
        true => inner.to_owned(),
        false => format!("input.{inner}"),
    };
    Diagnostic::at(
        &UnresolvedReference::META,
        format!(
            "`{group}` in the URL is sent as written: Velocity fills in only `${{...}}` and `$name`"
        ),
        span,
    )
    .label("not a Velocity reference")
    .subject(subject)
    .help(format!(
        "write `$${{{reference}}}` in Terraform (`${{{reference}}}` once Terraform has read it){}",
        match inner.starts_with("input.") {
            true => "",
            false => ", with the value declared in the action's `contract_input`",
        }
    ))
}

/// Velocity references in `text` whose root is one of [`VELOCITY_ROOTS`] in another case:
/// (the reference as written, up to its first property; as it should be; the root it means).
fn velocity_root_case(text: &str) -> Vec<(String, String, &'static str)> {
    let mut found = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(at) = b[i..].iter().position(|&c| c == b'$').map(|p| i + p) {
        let mut j = at + 1;
        if b.get(j) == Some(&b'!') {
            j += 1;
        }
        if b.get(j) == Some(&b'{') {
            j += 1;
        }
        let start = j;
        while b
            .get(j)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            j += 1;
        }
        let name = &text[start..j];
        if b.get(j) == Some(&b'.') {
            if let Some(root) = VELOCITY_ROOTS
                .iter()
                .find(|r| r.eq_ignore_ascii_case(name) && **r != name)
            {
                let mut end = j + 1;
                while b
                    .get(end)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    end += 1;
                }
                // `${input.x}`: quoted whole.
                if text[at..start].ends_with('{') && b.get(end) == Some(&b'}') {
                    end += 1;
                }
                let fixed = format!("{}{root}{}", &text[at..start], &text[j..end]);
                found.push((text[at..end].to_owned(), fixed, *root));
            }
        }
        i = j.max(at + 1);
    }
    found
}

/// A module block's arguments that are not the module's inputs (Terraform's meta-arguments).
const MODULE_META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// Terraform's "Unsupported argument" and "Missing required argument" for every call of a
/// module cxlint loaded: an argument that no variable of the module declares, and a variable
/// of the module with no default that the call does not set.
/// A `terraform.tfvars` entry for a variable the module does not declare, close to one it does:
/// Terraform only warns ("Value for undeclared variable"), and the variable meant stays at its
/// default, or without a value. Entries close to no variable are left alone: a variable file
/// shared by several roots sets some that each does not declare.
fn misspelt_variable_values(ws: &Workspace, out: &mut Vec<Diagnostic>) {
    for (&id, values) in &ws.tfvars {
        let module = ws.module(id);
        if module.unparsed {
            continue;
        }
        for v in values {
            if module.variables.contains_key(&v.name) {
                continue;
            }
            let declared = module.variables.keys().map(String::as_str);
            let Some(meant) = did_you_mean(&v.name, declared) else {
                continue;
            };
            out.push(
                Diagnostic::at(
                    &UnresolvedReference::META,
                    format!("a value for `{}`, which no variable declares", v.name),
                    v.name_at.in_file(v.file),
                )
                .label("not a variable of this module")
                .note(format!("`var.{meant}` gets no value from this entry"))
                .help(format!("did you mean `{meant}`?")),
            );
        }
    }
}

fn module_arguments(ws: &Workspace, out: &mut Vec<Diagnostic>) {
    for id in ws.module_ids() {
        let module = ws.module(id);
        for (i, call) in module.module_calls.iter().enumerate() {
            let Some(child_id) = ws.resolve_source(id, call).filter(|&c| c != id) else {
                continue;
            };
            let child = ws.module(child_id);
            // A file of the module that failed to load may declare what looks missing.
            if child.unparsed {
                continue;
            }
            let name = call.label(0).unwrap_or_default();
            // Its arguments as override files leave them, each in the file it is written in.
            let args = module.module_call_args(i);
            let set = |v: &str| args.iter().any(|(a, _)| a.name.name == v);
            for &(a, file) in &args {
                let arg: &str = &a.name.name;
                if MODULE_META.contains(&arg) || child.variables.contains_key(arg) {
                    continue;
                }
                let unset = || {
                    (child.variables.keys())
                        .map(String::as_str)
                        .filter(|v| !set(v))
                };
                // A typo, else an input the block does not set whose name is a word of this
                // one's or the other way round (`name_prefix` for `prefix`): a rename.
                let hint = did_you_mean(arg, child.variables.keys().map(String::as_str))
                    .or_else(|| unset().find(|v| shares_words(arg, v)));
                let help = match hint {
                    Some(h) => format!("did you mean `{h}`?"),
                    None => format!(
                        "declare `variable \"{arg}\" {{}}` in the module{}, or remove the argument",
                        module_source(call).map_or_else(String::new, |s| format!(" (`{s}`)"))
                    ),
                };
                out.push(
                    Diagnostic::at(
                        &UnresolvedReference::META,
                        format!("module `{name}` has no variable `{arg}`"),
                        a.name.span.in_file(file),
                    )
                    .label("not an input of the module")
                    .help(help),
                );
            }
            let mut missing: Vec<&str> = (child.variables.iter())
                .filter(|(v, _)| child.variable_attr(v, "default").is_none() && !set(v))
                .map(|(v, _)| v.as_str())
                .collect();
            missing.sort_unstable();
            for v in missing {
                out.push(
                    Diagnostic::at(
                        &UnresolvedReference::META,
                        format!("module `{name}` does not set `{v}`, which has no default"),
                        call.header_span(),
                    )
                    .label("a required input is missing")
                    .help(format!(
                        "set `{v} = ...` in the module block, or give the variable a default"
                    )),
                );
            }
        }
    }
}

/// A block of an override file that overrides nothing: Terraform stops ("Missing base ... to
/// override"). Not where a file of the module failed to load, which may declare it.
fn orphan_overrides(ws: &Workspace, out: &mut Vec<Diagnostic>) {
    for m in ws
        .module_ids()
        .map(|id| ws.module(id))
        .filter(|m| !m.unparsed)
    {
        for o in &m.orphan_overrides {
            out.push(
                Diagnostic::at(
                    &UnresolvedReference::META,
                    format!("override of {}, which no other file declares", o.what),
                    o.at,
                )
                .label("nothing to override")
                .help("declare it in a file of the module that is not an override file, or fix the name (override files are `override.tf` and `*_override.tf`)"),
            );
        }
    }
}

/// A module block whose local `source` names a directory that does not exist: `terraform init`
/// fails on it ("Unreadable module directory"), and everything the module would output is
/// unknown to cxlint.
fn missing_module_sources(ws: &Workspace, out: &mut Vec<Diagnostic>) {
    for &(id, i) in &ws.missing_sources {
        let module = ws.module(id);
        let call = &module.module_calls[i];
        // As override files leave it.
        let Some((source, file)) = module.module_call_attr(i, "source") else {
            continue;
        };
        let ExprKind::String(text) = &source.expr.kind else {
            continue;
        };
        out.push(
            Diagnostic::at(
                &UnresolvedReference::META,
                format!(
                    "module `{}`: source directory `{text}` does not exist",
                    call.label(0).unwrap_or_default()
                ),
                source.expr.span.in_file(file),
            )
            .label("no such directory, relative to this file's directory")
            .help("fix the path, or add the module; `terraform init` fails on this call"),
        );
    }
}

/// A module call that closes a cycle of module calls (`source = "./"`, or a module that calls
/// the one calling it): `terraform init` installs `module.a.module.a...` until the path is too
/// long. cxlint does not expand it (each level of instances would call the next).
fn module_cycles(ws: &Workspace, out: &mut Vec<Diagnostic>) {
    for c in &ws.module_cycles {
        let module = ws.module(c.module);
        let call = &module.module_calls[c.call];
        let name = call.label(0).unwrap_or_default();
        let at = match module.module_call_attr(c.call, "source") {
            Some((source, file)) => source.expr.span.in_file(file),
            None => call.header_span(),
        };
        let message = match &c.chain[..] {
            [_] => format!("module `{name}` calls the module it is in: a module cycle"),
            chain => format!(
                "module `{name}` calls a module that calls this one: a module cycle ({} → ...)",
                (chain.iter())
                    .chain(&chain[..1])
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" → ")
            ),
        };
        out.push(
            Diagnostic::at(&UnresolvedReference::META, message, at)
                .label("`terraform init` follows this call without end")
                .note("cxlint does not expand this call: each level of its instances would call the next")
                .help("a module cannot call itself, directly or through the modules it calls: point `source` at a directory that does not call back"),
        );
    }
}

/// Whether one name is the other with `_`-separated words added before or after it.
fn shares_words(a: &str, b: &str) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    long.len() > short.len()
        && (long
            .strip_suffix(short)
            .is_some_and(|rest| rest.ends_with('_'))
            || long
                .strip_prefix(short)
                .is_some_and(|rest| rest.starts_with('_')))
}

/// A module block's `source`, as written.
fn module_source(call: &crate::ir::Block) -> Option<&str> {
    match &call.body.attr("source")?.expr.kind {
        ExprKind::String(s) => Some(s),
        _ => None,
    }
}

/// The help for a bare name where a secret goes, which may be the secret itself, unquoted: it
/// is not repeated (the source text shows it masked, see `hardcoded_secret::find_secrets`).
const SECRET_HELP: &str = "a secret is text, and never belongs in the configuration: declare \
    `variable \"<name>\" { sensitive = true }`, write `var.<name>` and set it from the \
    environment variable `TF_VAR_<name>`";

/// [`not_a_value`] for a template's interpolations and directives.
fn not_a_value_in_template(
    parts: &[TemplatePart],
    file: FileId,
    secret: bool,
    out: &mut Vec<Diagnostic>,
) {
    for p in parts {
        match p {
            TemplatePart::Literal(_) => {}
            TemplatePart::Interpolation(x) => not_a_value(x, file, secret, out),
            TemplatePart::If(d) => {
                not_a_value(&d.cond, file, secret, out);
                not_a_value_in_template(&d.then, file, secret, out);
                not_a_value_in_template(&d.otherwise, file, secret, out);
            }
            // Its variables are names a variable file cannot bind: Terraform rejects the
            // collection if it refers to anything, and the body is read only with them.
            TemplatePart::For(d) => not_a_value(&d.collection, file, secret, out),
        }
    }
}

/// What a variable file (`.tfvars`) may not hold: Terraform reads only values there ("Variables
/// not allowed", "Functions may not be called here"), so a name, a reference or a call fails
/// before anything is planned.
fn not_a_value(e: &Expr, file: FileId, secret: bool, out: &mut Vec<Diagnostic>) {
    let at = e.span.in_file(file);
    let found = |msg: String, help: String| {
        Diagnostic::at(&UnresolvedReference::META, msg, at)
            .label("a variable file holds values only")
            .help(help)
    };
    match &e.kind {
        ExprKind::Variable(_) if secret => out.push(found(
            "a bare name where a secret goes is not a value".to_owned(),
            SECRET_HELP.to_owned(),
        )),
        ExprKind::Variable(name) => out.push(found(
            format!("`{name}` in a variable file is not a value"),
            format!("for text, quote it: `\"{name}\"`"),
        )),
        ExprKind::Traversal(_) | ExprKind::Path(_) => out.push(found(
            "a variable file cannot refer to variables or resources".to_owned(),
            "write the value itself; to derive one value from another, use a `locals` block"
                .to_owned(),
        )),
        ExprKind::Call(c) => out.push(found(
            format!("a variable file cannot call functions (`{}`)", c.name.name),
            "write the value itself; to compute one, use a `locals` block".to_owned(),
        )),
        ExprKind::Template(parts) => not_a_value_in_template(parts, file, secret, out),
        ExprKind::Array(items) => items.iter().for_each(|x| not_a_value(x, file, secret, out)),
        ExprKind::Object(fields) => fields.iter().for_each(|(k, x)| {
            let secret_key = match &k.kind {
                ExprKind::String(k) => is_secret_key(k),
                ExprKind::Variable(k) => is_secret_key(k),
                _ => false,
            };
            not_a_value(x, file, secret || secret_key, out)
        }),
        ExprKind::Conditional(p) => p.iter().for_each(|x| not_a_value(x, file, secret, out)),
        ExprKind::Binary(_, p) => p.iter().for_each(|x| not_a_value(x, file, secret, out)),
        ExprKind::Unary(_, x) => not_a_value(x, file, secret, out),
        ExprKind::For(_)
        | ExprKind::Null
        | ExprKind::Bool(_)
        | ExprKind::Number(_)
        | ExprKind::String(_)
        | ExprKind::Unsupported(_) => {}
    }
}

/// The arguments of a resource or data block that hold no references: `provider` names a
/// provider configuration (`genesyscloud.emea`).
const RESOURCE_META: &[&str] = &["provider"];

struct Walker<'a, 'o> {
    ws: &'a Workspace,
    module: &'a ModuleDef,
    module_id: crate::workspace::ModuleId,
    /// The file of the declaration walked (its expressions' file).
    file: FileId,
    /// Names bound by `for` expressions and `dynamic` block iterators, innermost last.
    bound: Vec<String>,
    /// The data sources of the `check` block walked, `(type, name)`: declared for it alone.
    scoped: Vec<(String, String)>,
    /// Whether the expression walked is inside a string's `${...}`.
    interpolated: bool,
    /// Whether the expression walked is the value of a secret's key (`client_secret`): a bare
    /// name there may be the secret itself, unquoted, and is never quoted in a message.
    secret: bool,
    out: &'o mut Vec<Diagnostic>,
    names: &'o NameIndexes,
    /// Where `terraform` runs for each module (`Workspace::working_dirs`).
    working_dirs: &'a [Vec<&'a Path>],
    /// The resource or data source walked, `(mode, type, name)`: its body may not refer to it
    /// by name.
    this: Option<(Mode, &'a str, &'a str)>,
    /// Whether `each`, `count` and `self` exist where the walk is: in a block that sets
    /// `for_each`, one that sets `count`, and a provisioner, connection or postcondition.
    each: bool,
    count: bool,
    self_object: bool,
    /// Inside the arguments of `try` or `can`, which exist to survive failing calls.
    speculative: u32,
    /// The `filepath` of the `genesyscloud_flow` walked, when written out.
    flow_file: Option<(PathBase, String)>,
    /// Inside the `to` of a `moved` or `import` block: a resource address, in which
    /// `module.<name>.<type>.<name>` is a resource the module declares, not an output.
    address: bool,
}

/// "Did you mean" indexes of resource and data-source names, per module, mode and type, shared
/// by the threads of the walk (a root module may declare tens of thousands of resources of one
/// type).
#[derive(Default)]
struct NameIndexes(SuggesterCache<(ModuleId, Mode, String)>);

impl NameIndexes {
    fn suggest(
        &self,
        m: &ModuleDef,
        id: ModuleId,
        mode: Mode,
        rtype: &str,
        name: &str,
    ) -> Option<String> {
        let names = || {
            m.resources
                .iter()
                .filter(move |r| r.mode == mode && r.rtype == rtype)
                .map(|r| r.name.as_str())
        };
        self.0.suggest((id, mode, rtype.to_owned()), names, name)
    }
}

impl<'a> Walker<'a, '_> {
    fn item(&mut self, item: Item<'a>) {
        match item {
            Item::Local(l) => {
                self.file = l.file;
                self.expr(&l.attr.expr)
            }
            // Bodies are released only once the model is built, after this walk (check.rs).
            Item::Resource(r) => {
                self.file = r.file;
                self.this = Some((r.mode, &r.rtype, &r.name));
                let body = r.body();
                // `for_each` or `count` set by the body or by an override file's block.
                let sets = |name| {
                    body.as_ref().is_some_and(|b| b.attr(name).is_some())
                        || r.overlays().iter().any(|o| o.body.attr(name).is_some())
                };
                let repeats = (sets("for_each"), sets("count"));
                if let Some(body) = &body {
                    // A flow's own file, missing, is `flow-file-not-found`'s: its
                    // `file_content_hash = filesha256(<the same path>)` is not reported twice.
                    self.flow_file = (r.rtype == "genesyscloud_flow")
                        .then(|| body.attr("filepath").and_then(|a| written_path(&a.expr)))
                        .flatten();
                    self.repeated_body_as(body, RESOURCE_META, repeats);
                    self.flow_file = None;
                }
                // Its override files' blocks, each in its own file.
                for o in r.overlays() {
                    self.file = o.file;
                    self.repeated_body_as(&o.body, RESOURCE_META, repeats);
                }
                self.this = None;
            }
            Item::Variable(_, b) => self.block_except(b, &["type"]),
            Item::Output(b) => self.block_except(b, &[]),
            Item::ModuleCall(b) => {
                self.file = b.file();
                // `for_each` or `count` set by the call or by an override file's block of it.
                let m = self.module;
                let i = b.label(0).and_then(|n| m.module_call_index.get(n));
                let sets = |name| {
                    i.is_some_and(|&i| m.module_call_attr(i, name).is_some())
                        || b.body.attr(name).is_some()
                };
                let repeats = (sets("for_each"), sets("count"));
                self.repeated_body_as(&b.body, &["providers"], repeats)
            }
            Item::Other(b) => match b.ident.name.as_str() {
                // Settings and provider requirements: no references (`experiments` lists bare
                // names).
                "terraform" => {}
                // `from` names an address the configuration no longer declares: that is the
                // point of the block. `moved`'s `to` must be declared.
                "moved" => {
                    self.block_except(b, &["from", "to"]);
                    self.address_in(&b.body);
                }
                "removed" => self.block_except(b, &["from", "provider"]),
                "import" => {
                    self.file = b.file();
                    self.repeated_body(&b.body, &["provider", "to"]);
                    // `for_each` binds `each` in `to` as in `id`.
                    let outer =
                        std::mem::replace(&mut self.each, b.body.attr("for_each").is_some());
                    self.address_in(&b.body);
                    self.each = outer;
                }
                // A `check` block's own data sources are declared for it alone.
                "check" => {
                    self.scoped = (b.body.blocks_named("data"))
                        .filter_map(|d| Some((d.label(0)?.to_owned(), d.label(1)?.to_owned())))
                        .collect();
                    self.block_except(b, &[]);
                    self.scoped.clear();
                }
                _ => self.block_except(b, &[]),
            },
        }
    }

    /// `module.<n>.<type>.<name>` in a `moved` or `import` block's `to`: the module `n` calls
    /// must declare that resource. A whole module (`module.n`) or a resource of a module it
    /// calls in turn (`module.n.module.m...`) is taken as written.
    fn module_resource(
        &mut self,
        n: &str,
        call: &crate::ir::Block,
        (rtype, name): (Option<&str>, Option<&str>),
        e: &Expr,
    ) {
        let (Some(rtype), Some(name)) = (rtype, name) else {
            return;
        };
        if rtype == "module" {
            return;
        }
        let Some(child) = self.ws.resolve_source(self.module_id, call) else {
            return;
        };
        let child = self.ws.module(child);
        if child.unparsed || child.resource(Mode::Managed, rtype, name).is_some() {
            return;
        }
        self.report(
            &UnresolvedReference::META,
            e,
            format!("module `{n}` declares no resource `{rtype}.{name}`"),
            None,
            format!(
                "declare `resource \"{rtype}\" \"{name}\"` in the module{}, or fix the address",
                module_source(call).map_or_else(String::new, |s| format!(" (`{s}`)"))
            ),
        );
    }

    /// The `to` of a `moved` or `import` block, read as the resource address it is.
    fn address_in(&mut self, body: &Body) {
        if let Some(to) = body.attr("to") {
            let outer = std::mem::replace(&mut self.address, true);
            self.expr(&to.expr);
            self.address = outer;
        }
    }

    fn block_except(&mut self, b: &crate::ir::Block, skip: &[&str]) {
        self.file = b.file();
        self.body_except(&b.body, skip)
    }

    /// A declaration's body, but for the arguments in `skip`, which hold no references
    /// (`provider = genesyscloud.emea` names a provider configuration, `type = string` a type).
    fn body_except(&mut self, body: &Body, skip: &[&str]) {
        for a in body.attrs.iter() {
            if !skip.contains(&a.name.name.as_str()) {
                self.value_of(&a.name.name, &a.expr);
            }
        }
        self.blocks(body);
    }

    fn body(&mut self, body: &Body) {
        self.body_except(body, &[])
    }

    /// The body of a block that may repeat (a resource, data source, module call or import):
    /// `each` exists in it when it sets `for_each`, `count` when it sets `count`, but not in
    /// those two arguments themselves.
    fn repeated_body(&mut self, body: &Body, skip: &[&str]) {
        let repeats = (
            body.attr("for_each").is_some(),
            body.attr("count").is_some(),
        );
        self.repeated_body_as(body, skip, repeats);
    }

    /// [`Self::repeated_body`] with whether the block has `for_each` and `count` given: a
    /// resource's override files may set them for its body, or its body for theirs.
    fn repeated_body_as(&mut self, body: &Body, skip: &[&str], (each, count): (bool, bool)) {
        let repeat = ["for_each", "count"];
        for name in repeat {
            if let Some(a) = body.attr(name) {
                self.expr(&a.expr);
            }
        }
        let outer = (self.each, self.count);
        self.each = each;
        self.count = count;
        let skip: Vec<&str> = skip.iter().copied().chain(repeat).collect();
        self.body_except(body, &skip);
        (self.each, self.count) = outer;
    }

    /// A block in which `self` is the resource itself.
    fn body_with_self(&mut self, body: &Body, skip: &[&str]) {
        let outer = std::mem::replace(&mut self.self_object, true);
        self.body_except(body, skip);
        self.self_object = outer;
    }

    /// The value of an attribute or object key.
    fn value_of(&mut self, key: &str, e: &Expr) {
        let outer = self.secret;
        self.secret = outer || is_secret_key(key);
        self.expr(e);
        self.secret = outer;
    }

    /// `.tf.json`'s `"dynamic"` in a nested block: its iterator is bound in its `content`.
    fn json_dynamics(&mut self, dynamics: &[crate::ir::JsonDynamic<'_>]) {
        for d in dynamics {
            if let Some(fe) = d.for_each {
                self.expr(fe);
            }
            self.bound.push(d.iterator.clone());
            if let Some(c) = d.content {
                self.expr(c);
            }
            self.bound.pop();
        }
    }

    fn blocks(&mut self, body: &Body) {
        for b in &body.blocks {
            match b.ident.name.as_str() {
                "dynamic" => {
                    let iterator = b.dynamic_iterator().unwrap_or_default();
                    if let Some(fe) = b.body.attr("for_each") {
                        self.expr(&fe.expr);
                    }
                    self.bound.push(iterator);
                    for c in b.body.blocks_named("content") {
                        self.body(&c.body);
                    }
                    self.bound.pop();
                }
                // `when = destroy`, `on_failure = continue`: keywords.
                "provisioner" => self.body_with_self(&b.body, &["when", "on_failure"]),
                "connection" | "postcondition" => self.body_with_self(&b.body, &[]),
                // `events = [before_create, after_update]` (Terraform 1.14): keywords.
                "action_trigger" => self.body_except(&b.body, &["events"]),
                // `ignore_changes` lists the resource's own attributes, or `all`.
                "lifecycle" => self.body_except(&b.body, &["ignore_changes"]),
                // A `check` block's data source.
                "data" if b.labels.len() == 2 => self.repeated_body(&b.body, RESOURCE_META),
                _ => self.body(&b.body),
            }
        }
    }

    /// The path given to a file function, when it is written out (`"flows/a.yaml"`,
    /// `"${path.module}/flows/a.yaml"`): a file that is not there stops Terraform's plan.
    fn file_argument(&mut self, function: &str, path: &Expr) {
        let Some((base, rel)) = written_path(path) else {
            return;
        };
        // Relative to where `terraform` runs: the directories of the roots that reach this
        // module. A directory no module of the run calls may be another root's child (a module
        // checked on its own, or called from another repository): it counts as a root only
        // when it was named on the command line or looks like one (`runs_terraform`).
        let m = self.module;
        // In a root module, `path.module` is where `terraform` runs.
        let same_file = |(b, r): &(PathBase, String)| {
            use crate::workspace::normalize;
            (*b == base || m.runs_terraform())
                && normalize(Path::new(r)) == normalize(Path::new(&rel))
        };
        if self.flow_file.as_ref().is_some_and(same_file) {
            return;
        }
        // A module called from roots is read where each of them runs `terraform`: reported
        // when the file is in none of those places.
        let dirs: &[&Path] = match base {
            PathBase::Module => &[m.dir.as_path()],
            PathBase::Root => &self.working_dirs[self.module_id.0 as usize],
        };
        if dirs.is_empty() {
            return;
        }
        // A URL (`s3://bucket/flow.yaml`, as the provider's own examples hash one) is not a
        // local path for cxlint to judge, as for a flow's `filepath`; nor is one in a home
        // directory (`~/...`, which Terraform expands), whosever it is when Terraform runs.
        if rel.is_empty()
            || rel.contains("://")
            || rel.starts_with('~')
            || (dirs.iter()).any(|d| crate::workspace::normalize(&d.join(&rel)).exists())
        {
            return;
        }
        self.out.push(
            Diagnostic::at(
                &UnresolvedReference::META,
                format!("file `{rel}` does not exist"),
                path.span.in_file(self.file),
            )
            .label(format!(
                "`{function}` reads it: Terraform stops the plan here (\"no file exists\")"
            ))
            .help(match base {
                PathBase::Module => "`path.module` is the directory of the module that reads it".to_owned(),
                PathBase::Root => "relative paths resolve against the directory `terraform` runs in; prefer `\"${path.module}/...\"`".to_owned(),
            }),
        );
    }

    /// A template's parts: interpolations, and the conditions, collections and bodies of its
    /// directives (a `%{ for }` binds its variables in its body).
    fn template(&mut self, parts: &[TemplatePart]) {
        for p in parts {
            match p {
                TemplatePart::Literal(_) => {}
                TemplatePart::Interpolation(x) => {
                    let outer = std::mem::replace(&mut self.interpolated, true);
                    self.expr(x);
                    self.interpolated = outer;
                }
                TemplatePart::If(d) => {
                    self.expr(&d.cond);
                    self.template(&d.then);
                    self.template(&d.otherwise);
                }
                TemplatePart::For(d) => {
                    self.expr(&d.collection);
                    let n = self.bound.len();
                    if let Some(k) = &d.key_var {
                        self.bound.push(k.name.to_string());
                    }
                    self.bound.push(d.value_var.name.to_string());
                    self.template(&d.body);
                    self.bound.truncate(n);
                }
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Template(parts) => self.template(parts),
            ExprKind::Traversal(_) | ExprKind::Path(_) => {
                let Some(t) = e.traversal() else { return };
                for op in &t.ops {
                    if let Op::Index(Index::Expr(i)) = op {
                        self.expr(i);
                    }
                }
                match t.root {
                    Root::Name(root, _) => self.check_traversal(root, &t.ops, e),
                    Root::Expr(root) => self.expr(root),
                }
            }
            ExprKind::Array(items) => items.iter().for_each(|i| self.expr(i)),
            ExprKind::Object(fields) => {
                for (k, v) in fields {
                    if let Some(dynamics) = crate::ir::json_dynamics(k, v) {
                        self.json_dynamics(&dynamics);
                        continue;
                    }
                    match &k.kind {
                        ExprKind::String(key) => self.value_of(key, v),
                        ExprKind::Variable(key) => self.value_of(key, v),
                        _ => {
                            self.expr(k);
                            self.expr(v);
                        }
                    }
                }
            }
            ExprKind::Call(c) => {
                let name = c.name.name.as_str();
                let speculative = matches!(name, "try" | "can");
                self.speculative += speculative as u32;
                if self.speculative == 0 && FILE_FUNCTIONS.contains(&name) {
                    if let Some(path) = c.args.first() {
                        self.file_argument(name, path);
                    }
                }
                c.args.iter().for_each(|a| self.expr(a));
                self.speculative -= speculative as u32;
            }
            ExprKind::For(f) => {
                self.expr(&f.collection);
                let n = self.bound.len();
                if let Some(k) = &f.key_var {
                    self.bound.push(k.name.to_string());
                }
                self.bound.push(f.value_var.name.to_string());
                if let Some(k) = &f.key_expr {
                    self.expr(k);
                }
                self.expr(&f.value_expr);
                if let Some(c) = &f.cond {
                    self.expr(c);
                }
                self.bound.truncate(n);
            }
            ExprKind::Conditional(p) => {
                let [cond, then, otherwise] = &**p;
                self.expr(cond);
                // Terraform reads only the branch the condition takes (`fileexists(p) ?
                // file(p) : ""`, `var.flag ? file(p) : "{}"`), and neither while it is not
                // known: a file read in a branch may never be read.
                self.speculative += 1;
                self.expr(then);
                self.expr(otherwise);
                self.speculative -= 1;
            }
            ExprKind::Binary(_, p) => p.iter().for_each(|x| self.expr(x)),
            ExprKind::Unary(_, x) => self.expr(x),
            ExprKind::Variable(name) => self.check_bare(name, e),
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Number(_)
            | ExprKind::String(_)
            | ExprKind::Unsupported(_) => {}
        }
    }

    fn check_traversal(&mut self, root: &str, ops: &[Op<'_>], e: &Expr) {
        if self.bound.iter().any(|b| b == root) {
            return;
        }
        let attr = |i: usize| ops.get(i).and_then(Op::attr);
        let m = self.module;
        let meta = &UnresolvedReference::META;
        match root {
            "var" | "local" | "module" | "data" if attr(0).is_none() => self.no_name(root, e),
            "var" => {
                if let Some(n) = attr(0) {
                    if !m.variables.contains_key(n) {
                        let hint = did_you_mean(n, m.variables.keys().map(String::as_str));
                        self.report(
                            meta,
                            e,
                            format!("reference to undeclared input variable `var.{n}`"),
                            hint.map(|h| format!("var.{h}")),
                            format!("declare it: `variable \"{n}\" {{}}`"),
                        );
                    }
                }
            }
            "local" => {
                if let Some(n) = attr(0) {
                    if !m.locals.contains_key(n) {
                        let hint = did_you_mean(n, m.locals.keys().map(String::as_str));
                        self.report(
                            meta,
                            e,
                            format!("reference to undeclared local value `local.{n}`"),
                            hint.map(|h| format!("local.{h}")),
                            format!("declare it in a `locals` block: `{n} = ...`"),
                        );
                    }
                }
            }
            "module" => {
                let Some(n) = attr(0) else { return };
                let Some(call) = m.module_call(n) else {
                    let hint = did_you_mean(n, m.module_call_index.keys().map(String::as_str));
                    self.report(
                        meta,
                        e,
                        format!("reference to undeclared module `module.{n}`"),
                        hint.map(|h| format!("module.{h}")),
                        format!("declare it: `module \"{n}\" {{ source = \"...\" }}`"),
                    );
                    return;
                };
                let after_call = match ops.get(1) {
                    Some(Op::Index(_)) | Some(Op::LegacyIndex(..)) => 2,
                    _ => 1,
                };
                let out_name = attr(after_call);
                if self.address {
                    self.module_resource(n, call, (attr(after_call), attr(after_call + 1)), e);
                    return;
                }
                if let (Some(out), Some(child)) =
                    (out_name, self.ws.resolve_source(self.module_id, call))
                {
                    let child = self.ws.module(child);
                    if !child.outputs.contains_key(out) && !child.unparsed {
                        let hint = did_you_mean(out, child.outputs.keys().map(String::as_str));
                        self.report(
                            meta,
                            e,
                            format!("module `{n}` has no output `{out}`"),
                            hint.map(|h| format!("module.{n}.{h}")),
                            format!(
                                "declare `output \"{out}\"` in the module{}",
                                module_source(call)
                                    .map_or_else(String::new, |s| format!(" (`{s}`)"))
                            ),
                        );
                    }
                }
            }
            "data" => {
                if let (Some(t), Some(n)) = (attr(0), attr(1)) {
                    let scoped = || self.scoped.iter().any(|(st, sn)| st == t && sn == n);
                    if self.this == Some((Mode::Data, t, n)) {
                        self.self_reference(&format!("data.{t}.{n}"), e);
                    } else if m.resource(Mode::Data, t, n).is_none() && !scoped() {
                        let hint = self.names.suggest(m, self.module_id, Mode::Data, t, n);
                        self.report(
                            meta,
                            e,
                            format!("reference to undeclared data source `data.{t}.{n}`"),
                            hint.map(|h| format!("data.{t}.{h}")),
                            format!("declare `data \"{t}\" \"{n}\"` or fix the name"),
                        );
                    }
                }
            }
            // `resource.type.name`: Terraform's long form of `type.name`.
            "resource" => match (attr(0), attr(1)) {
                (Some(rtype), Some(n)) => self.check_managed(rtype, n, e),
                _ => self.report_invalid(
                    e,
                    "`resource` is followed by no resource type and name".to_owned(),
                    "name the resource: `resource.<type>.<name>`".to_owned(),
                ),
            },
            // `ephemeral` and `action` blocks (Terraform 1.10, 1.14) are not modelled.
            "each" => self.check_repetition(e, "each", attr(0), self.each, &["key", "value"]),
            "count" => self.check_repetition(e, "count", attr(0), self.count, &["index"]),
            "self" if !self.self_object => self.report_at(
                e,
                "`self` is used outside a provisioner, connection or postcondition".to_owned(),
                "no `self` here",
                "refer to the resource by its address; `self` exists only in its `provisioner` \
                 and `connection` blocks and its `postcondition`s"
                    .to_owned(),
            ),
            "self" | "path" | "terraform" | "ephemeral" | "action" => {}
            // Anything else is a managed resource type to Terraform, `env.X` included.
            rtype => match attr(0) {
                Some(n) if rtype == "env" && m.resource(Mode::Managed, rtype, n).is_none() => {
                    self.env_reference(e, n)
                }
                Some(n) => self.check_managed(rtype, n, e),
                None => self.report_invalid(
                    e,
                    format!("`{rtype}` is followed by no resource name"),
                    format!("name the resource: `{rtype}.<name>`"),
                ),
            },
        }
    }

    /// Terraform's "Self-referential block": the attributes of a resource or data source exist
    /// only once it does, so its own configuration cannot read them.
    fn self_reference(&mut self, address: &str, e: &Expr) {
        self.out.push(
            Diagnostic::at(
                &UnresolvedReference::META,
                format!("`{address}` refers to itself"),
                e.span.in_file(self.file),
            )
            .label("a block's configuration may not refer to the block")
            .help(
                "use a value known before apply, or the provider's own setting for this \
                 (`self_reference_route = true` on an email route's reply address)",
            ),
        );
    }

    /// A reference to the managed resource `rtype.n`.
    fn check_managed(&mut self, rtype: &str, n: &str, e: &Expr) {
        let m = self.module;
        if m.resource(Mode::Managed, rtype, n).is_some() {
            if self.this == Some((Mode::Managed, rtype, n)) {
                self.self_reference(&format!("{rtype}.{n}"), e);
            }
            return;
        }
        let hint = self
            .names
            .suggest(m, self.module_id, Mode::Managed, rtype, n);
        let fallback = self.escape_help().unwrap_or_else(|| {
            format!("declare `resource \"{rtype}\" \"{n}\"` in this module or fix the name")
        });
        self.report(
            &UnresolvedReference::META,
            e,
            format!("reference to undeclared resource `{rtype}.{n}`"),
            hint.map(|h| format!("{rtype}.{h}")),
            fallback,
        );
    }

    /// A bare name: to Terraform a resource type with no resource name, unless a `for`
    /// expression or `dynamic` block binds it.
    fn check_bare(&mut self, name: &str, e: &Expr) {
        if self.bound.iter().any(|b| b == name) || name == "self" {
            return;
        }
        if self.secret {
            return self.report_invalid(
                e,
                "a bare name where a secret goes is not a value".to_owned(),
                SECRET_HELP.to_owned(),
            );
        }
        let m = self.module;
        let help = if m.variables.contains_key(name) {
            format!("did you mean `var.{name}`?")
        } else if m.locals.contains_key(name) {
            format!("did you mean `local.{name}`?")
        } else if matches!(name, "var" | "local" | "module" | "data") {
            return self.no_name(name, e);
        } else if let Some(help) = self.escape_help() {
            help
        } else {
            format!(
                "for text, quote it: `\"{name}\"`; for an input variable, declare \
                 `variable \"{name}\" {{}}` and write `var.{name}`"
            )
        };
        self.report_invalid(e, format!("`{name}` on its own is not a value"), help);
    }

    /// `var`, `local`, `module` or `data` with no name after it (`var`, `var[0]`).
    fn no_name(&mut self, root: &str, e: &Expr) {
        self.report_invalid(
            e,
            format!("`{root}` is followed by no name"),
            format!("name one: `{root}.<name>`"),
        );
    }

    /// `env.NAME`: Terraform has no `env` object; environment variables reach a configuration
    /// as input variables, `TF_VAR_<name>`.
    fn env_reference(&mut self, e: &Expr, name: &str) {
        let var = name.strip_prefix("TF_VAR_").unwrap_or(name);
        let help = if self.module.variables.contains_key(var) {
            format!("did you mean `var.{var}`? Terraform sets it from `TF_VAR_{var}`")
        } else {
            format!(
                "declare `variable \"{var}\" {{}}` and write `var.{var}`: Terraform sets it from \
                 the environment variable `TF_VAR_{var}`"
            )
        };
        let d = Diagnostic::at(
            &UnresolvedReference::META,
            format!("Terraform has no `env` object: `env.{name}` is an undeclared resource"),
            e.span.in_file(self.file),
        )
        .label("read as a reference to a resource of type `env`")
        .help(help);
        self.out.push(d);
    }

    /// Inside a string's `${...}`, the likeliest cause of a name that means nothing to
    /// Terraform: a `${` meant for Genesys Cloud, such as a data action's Velocity
    /// `${input.queueId}`, which Terraform interpolates unless it is written `$${`.
    fn escape_help(&self) -> Option<String> {
        self.interpolated.then(|| {
            "Terraform reads every `${` in a string as its own: to pass `${...}` on to Genesys \
             Cloud (a data action's Velocity template, say), write `$${...}`"
                .to_owned()
        })
    }

    /// `each.key` or `count.index`: Terraform's "Reference to \"each\" in context without
    /// for_each" (in an `output`, say, or in the `for_each` expression itself) and "Invalid
    /// \"each\" attribute".
    fn check_repetition(
        &mut self,
        e: &Expr,
        root: &str,
        attr: Option<&str>,
        exists: bool,
        attrs: &[&str],
    ) {
        let argument = if root == "each" { "for_each" } else { "count" };
        let shown = attr.map_or_else(|| root.to_owned(), |a| format!("{root}.{a}"));
        if !exists {
            let one = if root == "each" { "[\"key\"]" } else { "[0]" };
            let help = format!(
                "`{root}` exists only in the body of a resource, data source or module block that \
                 sets `{argument}` (not in `{argument}` itself); elsewhere refer to one instance \
                 (`type.name{one}`) or to all of them with a `for` expression"
            );
            let msg = format!("`{shown}` is used where no `{argument}` is set");
            return self.report_at(e, msg, format!("no `{argument}` here"), help);
        }
        if let Some(a) = attr.filter(|a| !attrs.contains(a)) {
            let known = attrs
                .iter()
                .map(|k| format!("`{root}.{k}`"))
                .collect::<Vec<_>>()
                .join(" or ");
            self.report_at(
                e,
                format!("`{root}` has no attribute `{a}`"),
                format!("not an attribute of `{root}`"),
                format!("use {known}"),
            );
        }
    }

    /// A reference Terraform rejects, with its own label.
    fn report_at(&mut self, e: &Expr, msg: String, label: impl Into<String>, help: String) {
        let d = Diagnostic::at(&UnresolvedReference::META, msg, e.span.in_file(self.file))
            .label(label.into())
            .help(help);
        self.out.push(d);
    }

    /// A reference Terraform cannot read at all ("Invalid reference").
    fn report_invalid(&mut self, e: &Expr, msg: String, help: String) {
        let d = Diagnostic::at(&UnresolvedReference::META, msg, e.span.in_file(self.file))
            .label("Terraform reads this as a reference, and it names nothing")
            .help(help);
        self.out.push(d);
    }

    fn report(
        &mut self,
        meta: &'static RuleMeta,
        e: &Expr,
        msg: String,
        hint: Option<String>,
        fallback: String,
    ) {
        // A file of the module that failed to load may declare it (the parse error is
        // reported): one missing brace must not bring a finding for every name of that file.
        if self.module.unparsed {
            return;
        }
        let at = e.span.in_file(self.file);
        let d = Diagnostic::at(meta, msg, at).label("not declared in this module");
        let d = match hint {
            Some(h) => d.help(format!("did you mean `{h}`?")),
            None => d.help(fallback),
        };
        self.out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::{shares_words, velocity_root_case};

    #[test]
    fn velocity_roots_in_another_case_are_found() {
        let found = velocity_root_case(
            "/api/v2/conversations/$Input.conversationId/x/${INPUT.id}?a=$!{input.ok}&b=$Inputs.x&c=$credentials.y&d=$Credentials.clientId",
        );
        let written: Vec<&str> = found.iter().map(|(w, _, _)| w.as_str()).collect();
        assert_eq!(
            written,
            [
                "$Input.conversationId",
                "${INPUT.id}",
                "$Credentials.clientId"
            ]
        );
        assert_eq!(found[0].1, "$input.conversationId");
        assert_eq!(found[1].1, "${input.id}");
        assert_eq!(found[2].2, "credentials");
        assert!(velocity_root_case("$ $$ ${ $input. $!{input.x}").is_empty());
    }

    #[test]
    fn a_renamed_input_shares_whole_words_with_the_old_name() {
        assert!(shares_words("name_prefix", "prefix"));
        assert!(shares_words("queue", "queue_name"));
        assert!(!shares_words("xprefix", "prefix"), "not a word of it");
        assert!(!shares_words("prefix", "prefix"));
        assert!(!shares_words("division_id", "queue_id"));
    }
}
