//! Visiting every expression of a body: for passes over the whole configuration that look at
//! each expression on its own (which resources a reference reads whole, say).

use super::{Body, Expr, ExprKind, TemplatePart, TraversalOp};

impl Body {
    /// Every expression of the body and of its nested blocks, each sub-expression after the
    /// expression that contains it.
    pub fn walk_exprs<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        for a in &self.attrs {
            a.expr.walk(f);
        }
        for b in &self.blocks {
            b.body.walk_exprs(f);
        }
    }
}

impl Expr {
    /// This expression, then every expression inside it (an index inside a traversal, a
    /// traversal's root when it is an expression, object keys, a `for`'s parts...).
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Template(parts) => walk_parts(parts, f),
            ExprKind::Traversal(t) => {
                t.root.walk(f);
                for op in &t.ops {
                    if let TraversalOp::Index(e) = op {
                        e.walk(f);
                    }
                }
            }
            ExprKind::Array(items) => items.iter().for_each(|x| x.walk(f)),
            ExprKind::Object(fields) => {
                for (k, v) in fields {
                    k.walk(f);
                    v.walk(f);
                }
            }
            ExprKind::Call(c) => c.args.iter().for_each(|x| x.walk(f)),
            ExprKind::For(x) => {
                x.collection.walk(f);
                if let Some(k) = &x.key_expr {
                    k.walk(f);
                }
                x.value_expr.walk(f);
                if let Some(c) = &x.cond {
                    c.walk(f);
                }
            }
            ExprKind::Conditional(p) => p.iter().for_each(|x| x.walk(f)),
            ExprKind::Binary(_, p) => p.iter().for_each(|x| x.walk(f)),
            ExprKind::Unary(_, x) => x.walk(f),
            // A packed path's steps are all literal names and keys.
            ExprKind::Path(_)
            | ExprKind::Variable(_)
            | ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Number(_)
            | ExprKind::String(_)
            | ExprKind::Unsupported(_) => {}
        }
    }
}

/// The expressions of template parts, directives' bodies included.
fn walk_parts<'a>(parts: &'a [TemplatePart], f: &mut impl FnMut(&'a Expr)) {
    for p in parts {
        match p {
            TemplatePart::Literal(_) => {}
            TemplatePart::Interpolation(x) => x.walk(f),
            TemplatePart::If(d) => {
                d.cond.walk(f);
                walk_parts(&d.then, f);
                walk_parts(&d.otherwise, f);
            }
            TemplatePart::For(d) => {
                d.collection.walk(f);
                walk_parts(&d.body, f);
            }
        }
    }
}
