//! Copies of syntax that share no memory with the original.
//!
//! The parsers allocate the syntax of each file on pages of its own (`crate::syntax_heap`), and
//! the model build frees resource bodies one by one, so that their pages empty and go back. A
//! declaration that lives on (a variable, a local, an output, a module call: read until the
//! evaluator is done) keeps its page resident, and the pages of a file hold its resources and
//! its other declarations side by side. At 50 MB, these few declarations kept about 40 MB of
//! otherwise free pages resident through the model build. The workspace copies them off the
//! syntax pages ([`Block::relocated`], [`Attribute::relocated`]) and drops the originals.
//!
//! A `Clone` is not enough: it shares what is reference-counted (long names, packed paths),
//! which would pin the pages as surely as the original.

use smol_str::SmolStr;

use super::{
    Attribute, Block, Body, Call, Expr, ExprKind, ForExpr, Ident, TemplateFor, TemplateIf,
    TemplatePart, Traversal, TraversalOp,
};

/// A string in fresh memory (inline up to 23 bytes, as any `SmolStr`).
fn fresh(s: &SmolStr) -> SmolStr {
    SmolStr::new(s.as_str())
}

impl Ident {
    fn relocated(&self) -> Ident {
        Ident {
            name: fresh(&self.name),
            span: self.span,
        }
    }
}

impl Body {
    pub fn relocated(&self) -> Body {
        Body {
            attrs: self.attrs.iter().map(Attribute::relocated).collect(),
            blocks: self.blocks.iter().map(Block::relocated).collect(),
        }
    }
}

impl Block {
    /// The block, copied into memory of the current allocation context (see the module doc).
    pub fn relocated(&self) -> Block {
        Block {
            ident: self.ident.relocated(),
            labels: self.labels.iter().map(Ident::relocated).collect(),
            body: self.body.relocated(),
            span: self.span,
        }
    }
}

impl Attribute {
    /// The attribute, copied into memory of the current allocation context (see the module doc).
    pub fn relocated(&self) -> Attribute {
        Attribute {
            // Interned: no memory of the syntax's.
            name: self.name,
            expr: self.expr.relocated(),
        }
    }
}

impl Expr {
    fn relocated(&self) -> Expr {
        let kind = match &self.kind {
            ExprKind::Null => ExprKind::Null,
            ExprKind::Bool(b) => ExprKind::Bool(*b),
            ExprKind::Number(n) => ExprKind::Number(*n),
            ExprKind::String(s) => ExprKind::String(fresh(s)),
            ExprKind::Template(parts) => ExprKind::Template(relocated_parts(parts)),
            ExprKind::Variable(name) => ExprKind::Variable(name.clone()),
            ExprKind::Traversal(t) => ExprKind::Traversal(Box::new(Traversal {
                root: t.root.relocated(),
                ops: (t.ops.iter())
                    .map(|op| match op {
                        TraversalOp::Attr(i) => TraversalOp::Attr(i.relocated()),
                        TraversalOp::Index(e) => TraversalOp::Index(e.relocated()),
                        TraversalOp::LegacyIndex(n, at) => TraversalOp::LegacyIndex(*n, *at),
                        TraversalOp::AttrSplat(at) => TraversalOp::AttrSplat(*at),
                        TraversalOp::FullSplat(at) => TraversalOp::FullSplat(*at),
                    })
                    .collect(),
            })),
            ExprKind::Path(p) => ExprKind::Path(p.relocated()),
            ExprKind::Array(items) => ExprKind::Array(items.iter().map(Expr::relocated).collect()),
            ExprKind::Object(fields) => ExprKind::Object(
                (fields.iter())
                    .map(|(k, v)| (k.relocated(), v.relocated()))
                    .collect(),
            ),
            ExprKind::Call(c) => ExprKind::Call(Box::new(Call {
                name: c.name.relocated(),
                args: c.args.iter().map(Expr::relocated).collect(),
                expand_final: c.expand_final,
            })),
            ExprKind::For(f) => ExprKind::For(Box::new(ForExpr {
                key_var: f.key_var.as_ref().map(Ident::relocated),
                value_var: f.value_var.relocated(),
                collection: f.collection.relocated(),
                key_expr: f.key_expr.as_ref().map(Expr::relocated),
                value_expr: f.value_expr.relocated(),
                cond: f.cond.as_ref().map(Expr::relocated),
                grouping: f.grouping,
            })),
            ExprKind::Conditional(p) => {
                ExprKind::Conditional(Box::new([&p[0], &p[1], &p[2]].map(Expr::relocated)))
            }
            ExprKind::Binary(op, p) => {
                ExprKind::Binary(*op, Box::new([&p[0], &p[1]].map(Expr::relocated)))
            }
            ExprKind::Unary(op, x) => ExprKind::Unary(*op, Box::new(x.relocated())),
            ExprKind::Unsupported(what) => ExprKind::Unsupported(what),
        };
        Expr {
            kind,
            span: self.span,
        }
    }
}

fn relocated_parts(parts: &[TemplatePart]) -> Box<[TemplatePart]> {
    (parts.iter())
        .map(|p| match p {
            TemplatePart::Literal(s) => TemplatePart::Literal(fresh(s)),
            TemplatePart::Interpolation(e) => TemplatePart::Interpolation(e.relocated()),
            TemplatePart::If(d) => TemplatePart::If(Box::new(TemplateIf {
                cond: d.cond.relocated(),
                then: relocated_parts(&d.then),
                otherwise: relocated_parts(&d.otherwise),
            })),
            TemplatePart::For(d) => TemplatePart::For(Box::new(TemplateFor {
                key_var: d.key_var.as_ref().map(Ident::relocated),
                value_var: d.value_var.relocated(),
                collection: d.collection.relocated(),
                body: relocated_parts(&d.body),
            })),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::source::FileId;

    /// Every node is copied: the copy renders the same, and no long string or packed path is
    /// shared with the original.
    #[test]
    fn a_relocated_block_is_equal_and_shares_nothing() {
        let text = r#"
module "queues" {
  source = "./modules/queues_with_a_long_name"
  codes  = { for k, c in var.code_ids_of_the_whole_team : k => c if c != null }
  names  = [for n in local.code_names : "${var.prefix_of_the_team} - ${n}"]
  first  = var.code_ids["Booking Changed, and a long key"].id
  mixed  = f(x)[0].y
  either = var.a ? -1 : !var.b
  banner = "%{ if var.show_the_banner_to_callers }${var.banner_text_of_the_team}%{ endif }"
  lines  = "%{ for k, n in var.names_of_the_whole_team }${n.display_name_of_member}%{ endfor }"
}
"#;
        let cfg = crate::load::hcl::parse_hcl(FileId(3), text).expect("valid");
        let original = &cfg.body.blocks[0];
        let copy = original.relocated();
        assert_eq!(format!("{original:?}"), format!("{copy:?}"));
        let mut shared = 0;
        let mut long = 0;
        let (mut a, mut b) = (Vec::new(), Vec::new());
        original.body.walk_exprs(&mut |e| a.push(e));
        copy.body.walk_exprs(&mut |e| b.push(e));
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            match (&x.kind, &y.kind) {
                (super::ExprKind::String(s), super::ExprKind::String(t)) if s.len() > 23 => {
                    long += 1;
                    shared += usize::from(s.as_str().as_ptr() == t.as_str().as_ptr());
                }
                (super::ExprKind::Path(p), super::ExprKind::Path(q)) => {
                    long += 1;
                    shared += usize::from(p.shares_steps_with(q));
                }
                _ => {}
            }
        }
        assert!(
            long >= 7,
            "the test text has long strings and paths ({long})"
        );
        assert_eq!(shared, 0);
    }
}
