//! References in their compact form, and the one view of a reference that readers use.
//!
//! Nearly every traversal in a configuration is a name followed by names and literal keys:
//! `var.x`, `local.codes["Sale"]`, `genesyscloud_routing_queue.q.id` (99.7% of the 74,000 in the
//! 10 MB benchmark corpus). In the general form ([`Traversal`]) one of those takes three
//! allocations, a 48-byte node per step and a 24-byte string per name: about 220 bytes for
//! `var.code_ids["Booking Changed"]`, six times its source. A [`Path`] packs the same steps and
//! spans into one byte string of about 60 bytes. Parsers choose the form through
//! [`traversal_kind`], so both parsers (and `.tf.json`) give the same IR; readers go through
//! [`Expr::traversal`] and never see which form it is.

use std::sync::Arc;

use rustc_hash::FxHashSet;
use smallvec::SmallVec;

use super::{Expr, ExprKind, Traversal, TraversalOp};
use crate::source::Loc;

/// A name followed by names and literal keys, packed. Each step is a tag byte, its span (start
/// as u32 from the root's start, length as u16) and its text (length as u16, then the bytes; a
/// number key stores its `f64` bits). Steps too long for a u16 stay in the general form.
///
/// Positions count from the root name's start, which is the start of the expression holding
/// the path (packed only then), so the steps hold no absolute position and one file's
/// occurrences of the same reference share them ([`PathsOfFile`]): a queue's
/// `var.code_ids["Booking Changed"]` is written by most queues of its module, and the steps were
/// a sixth of the parsed configuration.
#[derive(Clone, PartialEq)]
pub struct Path(Arc<[u8]>);

/// The steps of the paths packed so far in one file, to share (see [`Path`]).
#[derive(Default)]
pub struct PathsOfFile(FxHashSet<Arc<[u8]>>);

impl PathsOfFile {
    fn share(&mut self, steps: Vec<u8>) -> Arc<[u8]> {
        if let Some(shared) = self.0.get(steps.as_slice()) {
            return shared.clone();
        }
        let steps: Arc<[u8]> = Arc::from(steps);
        self.0.insert(steps.clone());
        steps
    }
}

const ROOT: u8 = 0;
const ATTR: u8 = 1;
const KEY: u8 = 2;
const NUMBER: u8 = 3;
const STEP_HEADER: usize = 1 + 4 + 2 + 2;

impl std::fmt::Debug for Path {
    /// `Path[var 0..3, .code_ids 4..12, ["Booking Changed"] 13..30]`: positions from the start
    /// of the enclosing expression, whose file it is.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Path[")?;
        for (i, s) in self.steps(Loc::default()).enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            let (start, end) = (s.span.start, s.span.end);
            match s.tag {
                ROOT => write!(f, "{sep}{} {start}..{end}", s.text)?,
                ATTR => write!(f, "{sep}.{} {start}..{end}", s.text)?,
                NUMBER => write!(f, "{sep}[{}] {start}..{end}", s.number)?,
                _ => write!(f, "{sep}[{:?}] {start}..{end}", s.text)?,
            }
        }
        write!(f, "]")
    }
}

/// The expression for `root` followed by `ops`, for an expression at `span`: a [`Path`] when
/// every step fits one, else the general form.
pub fn traversal_kind(span: Loc, root: Expr, ops: Vec<TraversalOp>) -> ExprKind {
    match Path::pack(span, &root, &ops) {
        Some(p) => ExprKind::Path(p),
        None => ExprKind::Traversal(Box::new(Traversal { root, ops })),
    }
}

/// One step of a [`Path`], as decoded.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Step<'a> {
    tag: u8,
    text: &'a str,
    number: f64,
    span: Loc,
}

impl Path {
    /// The same path, its steps in fresh memory (not shared with the file's other occurrences:
    /// see `ir::copy`).
    pub fn relocated(&self) -> Path {
        Path(Arc::from(&self.0[..]))
    }

    /// True when the two hold the same steps in memory (for tests of the sharing).
    #[cfg(test)]
    pub fn shares_steps_with(&self, other: &Path) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Pack `root` and `ops` for an expression at `span`, or `None` when some step is not a name
    /// or literal key, or the root does not start the expression.
    pub fn pack(span: Loc, root: &Expr, ops: &[TraversalOp]) -> Option<Path> {
        Self::pack_in(span, root, ops, &mut PathsOfFile::default())
    }

    /// [`Self::pack`], sharing the steps with the file's other occurrences of the same path.
    pub fn pack_in(
        span: Loc,
        root: &Expr,
        ops: &[TraversalOp],
        file: &mut PathsOfFile,
    ) -> Option<Path> {
        // Read back from the expression's start (see `Expr::traversal`).
        if root.span.start != span.start {
            return None;
        }
        let ExprKind::Variable(name) = &root.kind else {
            return None;
        };
        let mut out = Vec::with_capacity(
            STEP_HEADER * (ops.len() + 1)
                + name.len()
                + ops
                    .iter()
                    .map(|op| match op {
                        TraversalOp::Attr(i) => i.name.len(),
                        TraversalOp::Index(Expr {
                            kind: ExprKind::String(s),
                            ..
                        }) => s.len(),
                        _ => 8,
                    })
                    .sum::<usize>(),
        );
        let base = root.span.start;
        push_step(&mut out, ROOT, base, root.span, name.as_bytes())?;
        for op in ops {
            match op {
                TraversalOp::Attr(i) => push_step(&mut out, ATTR, base, i.span, i.name.as_bytes())?,
                TraversalOp::Index(Expr {
                    kind: ExprKind::String(s),
                    span,
                }) => push_step(&mut out, KEY, base, *span, s.as_bytes())?,
                TraversalOp::Index(Expr {
                    kind: ExprKind::Number(n),
                    span,
                }) => push_step(&mut out, NUMBER, base, *span, &n.to_le_bytes())?,
                _ => return None,
            }
        }
        Some(Path(file.share(out)))
    }

    /// The steps of the path of an expression at `span`.
    fn steps(&self, span: Loc) -> impl Iterator<Item = Step<'_>> + '_ {
        let base = span.start;
        let mut rest: &[u8] = &self.0;
        std::iter::from_fn(move || {
            let (head, tail) = rest.split_at_checked(STEP_HEADER)?;
            // Packed only when it fits (`push_step`).
            let start = base.wrapping_add(u32::from_le_bytes([head[1], head[2], head[3], head[4]]));
            let span_len = u16::from_le_bytes([head[5], head[6]]);
            let text_len = usize::from(u16::from_le_bytes([head[7], head[8]]));
            let (bytes, tail) = tail.split_at_checked(text_len)?;
            rest = tail;
            let (text, number) = match head[0] {
                NUMBER => (
                    "",
                    <[u8; 8]>::try_from(bytes).map_or(0.0, f64::from_le_bytes),
                ),
                // SAFETY: a step's text is the bytes of a `&str`, whole (`pack_in`, the one
                // place steps are written, packs names and keys as `str::as_bytes`; a number
                // is tagged `NUMBER`), and the bytes are private to this module. Checking
                // them again at every read was 1.5% of a check.
                _ => {
                    debug_assert!(std::str::from_utf8(bytes).is_ok(), "{bytes:?}");
                    (unsafe { std::str::from_utf8_unchecked(bytes) }, 0.0)
                }
            };
            Some(Step {
                tag: head[0],
                text,
                number,
                span: Loc {
                    start,
                    end: start + u32::from(span_len),
                },
            })
        })
    }
}

fn push_step(out: &mut Vec<u8>, tag: u8, base: u32, span: Loc, text: &[u8]) -> Option<()> {
    let span_len = u16::try_from(span.end.checked_sub(span.start)?).ok()?;
    let text_len = u16::try_from(text.len()).ok()?;
    let from_base = span.start.checked_sub(base)?;
    out.push(tag);
    out.extend_from_slice(&from_base.to_le_bytes());
    out.extend_from_slice(&span_len.to_le_bytes());
    out.extend_from_slice(&text_len.to_le_bytes());
    out.extend_from_slice(text);
    Some(())
}

/// A traversal as readers see it, whichever form the IR holds.
#[derive(Debug, Clone)]
pub struct TraversalView<'a> {
    pub root: Root<'a>,
    pub ops: SmallVec<[Op<'a>; 4]>,
}

impl<'a> TraversalView<'a> {
    /// The resource or data source the traversal starts from (`type.name`, its long form
    /// `resource.type.name`, `data.type.name`), with how many of `ops` name it. A root without
    /// an underscore (`var`, `local`, `each`, `module`...) is no resource type.
    pub fn resource(&self) -> Option<(crate::load::Mode, &'a str, &'a str, usize)> {
        use crate::load::Mode;
        let Root::Name(root, _) = self.root else {
            return None;
        };
        let attr = |i: usize| self.ops.get(i).and_then(Op::attr);
        match root {
            "data" => Some((Mode::Data, attr(0)?, attr(1)?, 2)),
            "resource" => Some((Mode::Managed, attr(0)?, attr(1)?, 2)),
            rtype if rtype.contains('_') => Some((Mode::Managed, rtype, attr(0)?, 1)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Root<'a> {
    /// A bare name (`var`, `local`, a resource type, a `for` variable) and where it is.
    Name(&'a str, Loc),
    /// Any other expression (`f(x).y`, written only by hcl-edit's parser).
    Expr(&'a Expr),
}

#[derive(Debug, Clone, Copy)]
pub enum Op<'a> {
    /// `.name`
    Attr(&'a str, Loc),
    /// `[index]`
    Index(Index<'a>),
    /// `.0` (legacy index syntax)
    LegacyIndex(u64, Loc),
    /// `.*`
    AttrSplat(Loc),
    /// `[*]`
    FullSplat(Loc),
}

/// What is inside `[...]`.
#[derive(Debug, Clone, Copy)]
pub enum Index<'a> {
    /// A literal string key, escapes decoded.
    Key(&'a str, Loc),
    /// A literal number.
    Number(f64, Loc),
    /// Anything else.
    Expr(&'a Expr),
}

impl Expr {
    /// The root name of a traversal with steps (`var` of `var.x`), without reading the steps:
    /// for passes that look only at some roots.
    pub fn traversal_root(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Traversal(t) => match &t.root.kind {
                ExprKind::Variable(name) => Some(name),
                _ => None,
            },
            ExprKind::Path(p) => p.steps(self.span).next().map(|s| s.text),
            _ => None,
        }
    }

    /// This expression as a traversal: `root.ops...`; a bare name is one with no ops.
    pub fn traversal(&self) -> Option<TraversalView<'_>> {
        match &self.kind {
            ExprKind::Variable(name) => Some(TraversalView {
                root: Root::Name(name, self.span),
                ops: SmallVec::new(),
            }),
            ExprKind::Traversal(t) => Some(TraversalView {
                root: match &t.root.kind {
                    ExprKind::Variable(name) => Root::Name(name, t.root.span),
                    _ => Root::Expr(&t.root),
                },
                ops: t.ops.iter().map(Op::of).collect(),
            }),
            ExprKind::Path(p) => {
                let mut steps = p.steps(self.span);
                let root = steps.next()?;
                Some(TraversalView {
                    root: Root::Name(root.text, root.span),
                    ops: steps
                        .map(|s| match s.tag {
                            ATTR => Op::Attr(s.text, s.span),
                            NUMBER => Op::Index(Index::Number(s.number, s.span)),
                            _ => Op::Index(Index::Key(s.text, s.span)),
                        })
                        .collect(),
                })
            }
            _ => None,
        }
    }
}

impl<'a> Op<'a> {
    fn of(op: &'a TraversalOp) -> Self {
        match op {
            TraversalOp::Attr(i) => Op::Attr(&i.name, i.span),
            TraversalOp::Index(e) => Op::Index(match &e.kind {
                ExprKind::String(s) => Index::Key(s, e.span),
                ExprKind::Number(n) => Index::Number(*n, e.span),
                _ => Index::Expr(e),
            }),
            TraversalOp::LegacyIndex(n, s) => Op::LegacyIndex(*n, *s),
            TraversalOp::AttrSplat(s) => Op::AttrSplat(*s),
            TraversalOp::FullSplat(s) => Op::FullSplat(*s),
        }
    }

    /// Where the step is written (for an index, its expression inside the brackets).
    pub fn span(&self) -> Loc {
        match *self {
            Op::Attr(_, s)
            | Op::Index(Index::Key(_, s) | Index::Number(_, s))
            | Op::LegacyIndex(_, s)
            | Op::AttrSplat(s)
            | Op::FullSplat(s) => s,
            Op::Index(Index::Expr(e)) => e.span,
        }
    }

    /// The name, for `.name`.
    pub fn attr(&self) -> Option<&'a str> {
        match self {
            Op::Attr(name, _) => Some(name),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Ident;

    fn sp(start: u32, end: u32) -> Loc {
        Loc { start, end }
    }

    fn e(kind: ExprKind, start: u32, end: u32) -> Expr {
        Expr {
            kind,
            span: sp(start, end),
        }
    }

    /// Both forms of the same reference read the same.
    fn same(a: &TraversalView<'_>, b: &TraversalView<'_>) -> bool {
        format!("{a:?}") == format!("{b:?}")
    }

    #[test]
    fn names_and_literal_keys_pack_and_read_back() {
        // var.code_ids["Booking Changed"][2]
        let root = e(ExprKind::Variable("var".into()), 10, 13);
        let ops = vec![
            TraversalOp::Attr(Ident {
                name: "code_ids".into(),
                span: sp(14, 22),
            }),
            TraversalOp::Index(e(ExprKind::String("Booking Changed".into()), 23, 40)),
            TraversalOp::Index(e(ExprKind::Number(2.0), 42, 43)),
        ];
        let general = Expr {
            kind: ExprKind::Traversal(Box::new(Traversal {
                root: root.clone(),
                ops: ops.clone(),
            })),
            span: sp(10, 44),
        };
        let packed = Expr {
            kind: traversal_kind(sp(10, 44), root, ops),
            span: sp(10, 44),
        };
        let ExprKind::Path(p) = &packed.kind else {
            panic!("not packed: {packed:?}");
        };
        // One allocation of about 60 bytes instead of three of about 170.
        assert_eq!(p.0.len(), 4 * STEP_HEADER + 3 + 8 + 15 + 8);
        let (g, v) = (general.traversal().unwrap(), packed.traversal().unwrap());
        assert!(same(&g, &v), "{g:?}\n{v:?}");
        assert!(matches!(v.root, Root::Name("var", s) if s == sp(10, 13)));
        assert_eq!(v.ops[0].attr(), Some("code_ids"));
        assert!(matches!(v.ops[1], Op::Index(Index::Key("Booking Changed", s)) if s == sp(23, 40)));
        assert!(matches!(v.ops[2], Op::Index(Index::Number(n, _)) if n == 2.0));
        assert_eq!(
            format!("{p:?}"),
            r#"Path[var 0..3, .code_ids 4..12, ["Booking Changed"] 13..30, [2] 32..33]"#
        );
    }

    /// The same reference elsewhere in the file shares the steps and reads back at its own
    /// place; a different one, or the same with other spacing, does not share.
    #[test]
    fn repetitions_in_a_file_share_their_steps() {
        let mut file = PathsOfFile::default();
        let at = |start: u32, gap: u32, file: &mut PathsOfFile| {
            let root = e(ExprKind::Variable("var".into()), start, start + 3);
            let attr = TraversalOp::Attr(Ident {
                name: "prefix".into(),
                span: sp(start + 4 + gap, start + 10 + gap),
            });
            let span = sp(start, start + 10 + gap);
            let p = Path::pack_in(span, &root, &[attr], file).expect("packs");
            (p, span)
        };
        let (first, _) = at(100, 0, &mut file);
        let (again, span) = at(5_000, 0, &mut file);
        let (spaced, _) = at(9_000, 1, &mut file);
        assert!(Arc::ptr_eq(&first.0, &again.0));
        assert!(!Arc::ptr_eq(&first.0, &spaced.0));
        let expr = Expr {
            kind: ExprKind::Path(again),
            span,
        };
        let view = expr.traversal().expect("a traversal");
        assert!(matches!(view.root, Root::Name("var", s) if s == sp(5_000, 5_003)));
        assert!(matches!(view.ops[0], Op::Attr("prefix", s) if s == sp(5_004, 5_010)));
    }

    /// Steps are read back from the expression's start: a root that does not start it stays in
    /// the general form.
    #[test]
    fn a_root_not_at_the_expression_start_is_not_packed() {
        let root = e(ExprKind::Variable("var".into()), 3, 6);
        let ops = vec![TraversalOp::Attr(Ident {
            name: "x".into(),
            span: sp(7, 8),
        })];
        assert!(matches!(
            traversal_kind(sp(2, 9), root, ops),
            ExprKind::Traversal(_)
        ));
    }

    #[test]
    fn other_steps_keep_the_general_form() {
        let root = || e(ExprKind::Variable("local".into()), 0, 5);
        let key = e(ExprKind::Variable("k".into()), 6, 7);
        let by_expr = traversal_kind(sp(0, 8), root(), vec![TraversalOp::Index(key)]);
        assert!(matches!(by_expr, ExprKind::Traversal(_)));
        let splat = traversal_kind(sp(0, 8), root(), vec![TraversalOp::FullSplat(sp(5, 8))]);
        assert!(matches!(splat, ExprKind::Traversal(_)));
        let call_root = e(ExprKind::Null, 0, 4);
        let from_call = traversal_kind(
            sp(0, 6),
            call_root,
            vec![TraversalOp::Attr(Ident {
                name: "x".into(),
                span: sp(5, 6),
            })],
        );
        assert!(matches!(from_call, ExprKind::Traversal(_)));
        // A key longer than a u16 can say stays general too, and still reads whole.
        let long = "k".repeat(70_000);
        let kind = traversal_kind(
            sp(0, 70_009),
            root(),
            vec![TraversalOp::Index(e(
                ExprKind::String(long.as_str().into()),
                6,
                70_008,
            ))],
        );
        let expr = Expr {
            kind,
            span: sp(0, 70_009),
        };
        assert!(matches!(expr.kind, ExprKind::Traversal(_)));
        let view = expr.traversal().unwrap();
        assert!(matches!(view.ops[0], Op::Index(Index::Key(k, _)) if k.len() == 70_000));
    }

    #[test]
    fn a_bare_name_is_a_traversal_without_steps() {
        let v = e(ExprKind::Variable("each".into()), 1, 5);
        let view = v.traversal().unwrap();
        assert!(matches!(view.root, Root::Name("each", _)) && view.ops.is_empty());
        assert!(e(ExprKind::Null, 0, 4).traversal().is_none());
    }
}
