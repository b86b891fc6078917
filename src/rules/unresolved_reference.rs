//! `unresolved-reference`: a reference to something that is not declared, as `terraform validate`
//! would report it; also references that depend on themselves, and ids of other object types
//! (flows, roles, rule sets, integrations) that do not exist.

use super::helpers::{RefProblem, data_not_found, id_ref_finding, ref_problem};
use super::{Context, Rule, RuleMeta};
use crate::diagnostic::Diagnostic;
use crate::eval::EvalProblem;
use crate::ir::{Body, Expr, ExprKind, Index, Op, Root, TemplatePart};
use crate::load::Mode;
use crate::model::{did_you_mean, types};
use rayon::prelude::*;

use crate::source::FileId;
use crate::suggest::SuggesterCache;
use crate::workspace::{Item, ModuleDef, ModuleId, Workspace};

crate::declare_rule! {
    /// ## What it does
    /// Checks that every reference names something declared: resources, data sources, variables,
    /// locals, module calls and their outputs; that no local, variable or output depends on itself;
    /// and that ids of flows, roles, rule sets and integrations point at existing objects.
    ///
    /// ## Why is this bad?
    /// `terraform validate` and `plan` reject the configuration, usually after a rename or a typo
    /// in a long export.
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
        let items = ws.items();
        let names = NameIndexes::default();
        let found: Vec<Diagnostic> = items
            .par_iter()
            .flat_map_iter(|&(id, item)| {
                let mut found = Vec::new();
                let mut w = Walker {
                    ws,
                    module: ws.module(id),
                    module_id: id,
                    file: FileId::NONE,
                    bound: Vec::new(),
                    out: &mut found,
                    names: &names,
                };
                w.item(item);
                found
            })
            .collect();
        out.extend(found);
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for p in &cx.model.eval_problems {
            if let EvalProblem::Cycle { what, span } = p {
                out.push(
                    Diagnostic::at(&Self::META, format!("{what} depends on itself"), *span)
                        .label("evaluating this needs its own value")
                        .help(
                            "break the cycle: one of the values must not refer back to the others",
                        ),
                );
            }
        }
        let m = cx.model;
        for r in m
            .id_refs()
            .filter(|r| !matches!(r.expected, types::QUEUE | types::WRAPUP_CODE))
        {
            match ref_problem(m, r.r, r.expected) {
                // Other types have no rule of their own: a missing lookup is reported where used.
                Some(RefProblem::MissingData(d)) => {
                    out.push(data_not_found(m, &Self::META, &m.data[d]))
                }
                _ => out.extend(id_ref_finding(m, &Self::META, r)),
            }
        }
    }
}

struct Walker<'a, 'o> {
    ws: &'a Workspace,
    module: &'a ModuleDef,
    module_id: crate::workspace::ModuleId,
    /// The file of the declaration walked (its expressions' file).
    file: FileId,
    /// Names bound by `for` expressions and `dynamic` block iterators, innermost last.
    bound: Vec<String>,
    out: &'o mut Vec<Diagnostic>,
    names: &'o NameIndexes,
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

impl Walker<'_, '_> {
    fn item(&mut self, item: Item<'_>) {
        match item {
            Item::Local(l) => {
                self.file = l.file;
                self.expr(&l.attr.expr)
            }
            // Bodies are released only once the model is built, after this walk (check.rs).
            Item::Resource(r) => {
                self.file = r.file;
                if let Some(body) = r.body() {
                    self.body(&body)
                }
            }
            Item::Variable(_, b) | Item::Output(b) | Item::ModuleCall(b) | Item::Other(b) => {
                self.file = b.file();
                self.body(&b.body)
            }
        }
    }

    fn body(&mut self, body: &Body) {
        for a in &body.attrs {
            self.expr(&a.expr);
        }
        for b in &body.blocks {
            if b.ident.name == "dynamic" {
                let iterator = b.dynamic_iterator().unwrap_or_default();
                if let Some(fe) = b.body.attr("for_each") {
                    self.expr(&fe.expr);
                }
                self.bound.push(iterator);
                for c in b.body.blocks_named("content") {
                    self.body(&c.body);
                }
                self.bound.pop();
            } else {
                self.body(&b.body);
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Template(parts) => {
                for p in parts {
                    if let TemplatePart::Interpolation(x) = p {
                        self.expr(x);
                    }
                }
            }
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
                    if !matches!(k.kind, ExprKind::Variable(_)) {
                        self.expr(k);
                    }
                    self.expr(v);
                }
            }
            ExprKind::Call(c) => c.args.iter().for_each(|a| self.expr(a)),
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
            ExprKind::Conditional(p) => p.iter().for_each(|x| self.expr(x)),
            ExprKind::Binary(_, p) => p.iter().for_each(|x| self.expr(x)),
            ExprKind::Unary(_, x) => self.expr(x),
            ExprKind::Variable(_)
            | ExprKind::Null
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
                let out_name = match ops.get(1) {
                    Some(Op::Attr(a, _)) => Some(*a),
                    Some(Op::Index(_)) | Some(Op::LegacyIndex(..)) => attr(2),
                    _ => None,
                };
                if let (Some(out), Some(child)) =
                    (out_name, self.ws.resolve_source(self.module_id, call))
                {
                    let child = self.ws.module(child);
                    if !child.outputs.contains_key(out) {
                        let hint = did_you_mean(out, child.outputs.keys().map(String::as_str));
                        self.report(
                            meta,
                            e,
                            format!("module `{n}` has no output `{out}`"),
                            hint.map(|h| format!("module.{n}.{h}")),
                            format!("declare `output \"{out}\"` in `{}`", child.dir.display()),
                        );
                    }
                }
            }
            "data" => {
                if let (Some(t), Some(n)) = (attr(0), attr(1)) {
                    if m.resource(Mode::Data, t, n).is_none() {
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
            "each" | "count" | "self" | "path" | "terraform" => {}
            rtype if is_resource_type(rtype) => {
                if let Some(n) = attr(0) {
                    if m.resource(Mode::Managed, rtype, n).is_none() {
                        let hint = self
                            .names
                            .suggest(m, self.module_id, Mode::Managed, rtype, n);
                        self.report(meta, e, format!("reference to undeclared resource `{rtype}.{n}`"), hint.map(|h| format!("{rtype}.{h}")),
                            format!("declare `resource \"{rtype}\" \"{n}\"` in this module or fix the name"));
                    }
                }
            }
            _ => {}
        }
    }

    fn report(
        &mut self,
        meta: &'static RuleMeta,
        e: &Expr,
        msg: String,
        hint: Option<String>,
        fallback: String,
    ) {
        let at = e.span.in_file(self.file);
        let d = Diagnostic::at(meta, msg, at).label("not declared in this module");
        let d = match hint {
            Some(h) => d.help(format!("did you mean `{h}`?")),
            None => d.help(fallback),
        };
        self.out.push(d);
    }
}

/// `provider_type` names: lowercase words joined by `_`.
fn is_resource_type(s: &str) -> bool {
    s.contains('_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
