//! Whether a value is the configuration's own: made only of what is written in the module
//! (literals, functions of them, `for` expressions over them, locals that are so), with
//! nothing that could differ where Terraform runs. A variable (a `tfvars` file or `-var` in CI
//! may set it), a data source, a resource's attribute, a module's output and
//! `terraform.workspace` all could. An index that misses such a value misses it in every plan:
//! that is an error worth reporting; one that misses anything else may not be.

use crate::ir::{Expr, ExprKind, Index, Op, Root, TemplatePart};
use crate::workspace::ModuleDef;
use rustc_hash::FxHashSet;

/// How many locals deep the walk follows (a cycle of locals is reported elsewhere).
const MAX_LOCALS: u32 = 16;

/// Functions whose result is not fixed by their arguments.
const IMPURE: &[&str] = &["timestamp", "uuid", "uuidv5", "bcrypt", "plantimestamp"];

/// Whether `e`, written in module `m`, is spelt out (see the module's documentation).
pub fn spelt_out(m: &ModuleDef, e: &Expr) -> bool {
    Walk {
        m,
        bound: Vec::new(),
        locals: 0,
        spelt: FxHashSet::default(),
    }
    .expr(e)
}

struct Walk<'a> {
    m: &'a ModuleDef,
    /// Names a `for` binds around the expression being read.
    bound: Vec<&'a str>,
    locals: u32,
    /// Locals already found spelt out. Each read again would cost its whole walk again: a
    /// chain of 15 locals each naming the one before 8 times was 8^14 walks. (One that is not
    /// makes the whole value not so, the walk ends: it is never needed twice.)
    spelt: FxHashSet<&'a str>,
}

impl<'a> Walk<'a> {
    fn expr(&mut self, e: &'a Expr) -> bool {
        match &e.kind {
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::String(_) => true,
            ExprKind::Template(parts) => parts.iter().all(|p| match p {
                TemplatePart::Literal(_) => true,
                TemplatePart::Interpolation(x) => self.expr(x),
                // Directives are rare where instances are chosen: not followed.
                TemplatePart::If(_) | TemplatePart::For(_) => false,
            }),
            ExprKind::Variable(name) => self.bound.contains(&&**name),
            ExprKind::Traversal(_) | ExprKind::Path(_) => {
                let Some(t) = e.traversal() else {
                    return false;
                };
                let indexes_known = t.ops.iter().all(|op| match op {
                    Op::Index(Index::Expr(i)) => self.expr(i),
                    _ => true,
                });
                indexes_known
                    && match t.root {
                        Root::Expr(root) => self.expr(root),
                        Root::Name(root, _) if self.bound.contains(&root) => true,
                        Root::Name("path", _) => true,
                        Root::Name("local", _) => match t.ops.first().and_then(Op::attr) {
                            Some(name) => self.local(name),
                            None => false,
                        },
                        Root::Name(..) => false,
                    }
            }
            ExprKind::Array(items) => items.iter().all(|i| self.expr(i)),
            ExprKind::Object(fields) => fields.iter().all(|(k, v)| {
                // A bare key (`{ a = 1 }`) is the key's name, not a reference.
                (matches!(k.kind, ExprKind::Variable(_)) || self.expr(k)) && self.expr(v)
            }),
            ExprKind::Call(c) => {
                !IMPURE.contains(&c.name.name.as_str()) && c.args.iter().all(|a| self.expr(a))
            }
            ExprKind::For(f) => {
                if !self.expr(&f.collection) {
                    return false;
                }
                let n = self.bound.len();
                if let Some(k) = &f.key_var {
                    self.bound.push(&k.name);
                }
                self.bound.push(&f.value_var.name);
                let ok = f.key_expr.as_ref().is_none_or(|k| self.expr(k))
                    && self.expr(&f.value_expr)
                    && f.cond.as_ref().is_none_or(|c| self.expr(c));
                self.bound.truncate(n);
                ok
            }
            ExprKind::Conditional(p) => p.iter().all(|x| self.expr(x)),
            ExprKind::Binary(_, p) => p.iter().all(|x| self.expr(x)),
            ExprKind::Unary(_, x) => self.expr(x),
            ExprKind::Unsupported(_) => false,
        }
    }

    fn local(&mut self, name: &str) -> bool {
        let Some((name, local)) = self.m.locals.get_key_value(name) else {
            return false;
        };
        if self.spelt.contains(name.as_str()) {
            return true;
        }
        if self.locals == MAX_LOCALS {
            return false;
        }
        // A local's own expression sees no `for` variable of the expression that reads it.
        let bound = std::mem::take(&mut self.bound);
        self.locals += 1;
        let ok = self.expr(&local.attr.expr);
        self.locals -= 1;
        self.bound = bound;
        if ok {
            self.spelt.insert(name.as_str());
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn module(text: &str) -> ModuleDef {
        let file = FileId(0);
        let cfg = crate::load::hcl::parse_hcl(file, text).expect("parses");
        let mut m = ModuleDef::default();
        m.add_file(file, cfg);
        m
    }

    fn spelt(m: &ModuleDef, local: &str) -> bool {
        spelt_out(m, &m.locals[local].attr.expr)
    }

    #[test]
    fn values_written_in_the_module_and_those_that_could_differ() {
        let m = module(
            r#"
locals {
  set      = toset(["A", "B"])
  object   = { a = 1, "b c" = 2 }
  built    = { for c in local.set : lower(c) => upper(c) if c != "" }
  template = "${local.set}-x"
  path     = "${path.module}/flows"
  var      = toset(var.codes)
  data     = data.genesyscloud_routing_queue.q.id
  resource = genesyscloud_routing_queue.q.id
  module   = module.m.ids
  ws       = terraform.workspace
  chained  = local.var
  now      = timestamp()
  missing  = local.nowhere
  cycle_a  = local.cycle_b
  cycle_b  = local.cycle_a
  cond     = length(local.set) > 1 ? local.set : toset([])
  for_var  = [for k, v in local.object : "${k}=${v}"]
}
"#,
        );
        for name in [
            "set", "object", "built", "template", "path", "cond", "for_var",
        ] {
            assert!(spelt(&m, name), "{name}");
        }
        for name in [
            "var", "data", "resource", "module", "ws", "chained", "now", "missing", "cycle_a",
        ] {
            assert!(!spelt(&m, name), "{name}");
        }
    }
}
