//! The HCL native-syntax loader: `*.tf` and `*.tfvars` text into [`ConfigFile`].
//!
//! Every file first passes the hostile-input checks (`depth`). Then the fast path (`fast`) tries
//! to read it straight into the IR, within the same nesting limit; it covers what exports and
//! most plain configurations contain and runs about five times faster than hcl-edit. When a file
//! leaves that subset (operators, heredocs, ...) or is malformed, the fast path declines and
//! hcl-edit reads the whole file, which also gives the error messages. Both paths produce
//! identical IR, spans included.
//!
//! hcl-edit parses the text into its lossless tree (keeping spans), which is converted into the
//! compact IR at once and dropped: the tree costs about 21x the input in memory. The conversion
//! moves strings out of the tree instead of cloning them.
//!
//! hcl-edit leaves some nodes without a span (historically identifiers, and some binary operations,
//! traversals and conditionals). Every node then takes the span of its nearest enclosing node that
//! has one, so nothing is ever unlocated; `Conv` holds that rule in one place. The same converter
//! serves `.tf.json` templates, whose offsets are shifted into the JSON file (see `tfjson`).

mod fast;

use std::ops::Range;

use hcl_edit::Span as _;
use hcl_edit::expr::{self as hx, Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{self as hs, BlockLabel, Structure};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::{Decorated, Ident as HIdent};

use smol_str::SmolStr;

use super::LoadError;
use super::depth::{self, Syntax};
use crate::ir::{
    Attribute, BinaryOp, Block, Body, Call, ConfigFile, Expr, ExprKind, ForExpr, Ident, Key, Name,
    TemplateFor, TemplateIf, TemplatePart, Traversal, TraversalOp, UnaryOp, traversal_kind,
};
use crate::source::{FileId, Loc, Span};

/// Parses HCL native syntax (a `.tf` file, or a `.tfvars` file: a body of attributes only).
///
/// An empty file is a valid, empty configuration. Errors carry hcl-edit's message (lowercase, one
/// line) and an empty span at the offset where parsing failed.
pub fn parse_hcl(file: FileId, text: &str) -> Result<ConfigFile, LoadError> {
    let text = &*super::blank_bom(text);
    // The fast path bounds nesting as the full scan does and declines beyond it, and a file
    // no longer than the element limit cannot exceed it: the scan (a tenth of the load time) is
    // then needed only before hcl-edit.
    let scan_first = text.len() > depth::MAX_ITEMS;
    if scan_first {
        depth::check(file, text, Syntax::Hcl)?;
    } else {
        depth::check_content(file, text)?;
    }
    if let Some(config) = fast::parse(file, text) {
        return Ok(config);
    }
    if !scan_first {
        depth::check(file, text, Syntax::Hcl)?;
    }
    let limit = super::time_limit::limit_for(text.len());
    super::time_limit::parse_within(file, text, limit, move |text| parse_hcl_edit(file, text))
}

/// The general path: hcl-edit's parser and the conversion of its tree.
fn parse_hcl_edit(file: FileId, text: &str) -> Result<ConfigFile, LoadError> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let at = error_offset(text, &e);
        // At the end of the file the parser says what it expected there; the useful place is
        // the bracket that was never closed (Terraform: "Unclosed configuration block"). The
        // parser may also give up earlier, at the start of the attribute or block it could not
        // finish (`x = {` alone is "unexpected token" at `x`): the bracket is the cause when
        // closing the open ones makes the file parse.
        let at_end = text[at.min(text.len())..].trim().is_empty();
        let unclosed = depth::unclosed_bracket(text, Syntax::Hcl)
            .filter(|_| at_end || closing_brackets_fixes(text));
        match unclosed {
            Some(open) => {
                let c = char::from(text.as_bytes()[open]);
                let close = closer(text.as_bytes()[open]);
                LoadError::new(
                    format!("`{c}` is never closed: no `{close}` before the end of the file"),
                    Span::new(file, open..open + 1),
                )
                .labelled("opened here")
            }
            None => match overflowing_number_near(text, at) {
                Some(number) => LoadError::new(
                    format!(
                        "number {} is out of range: cxlint reads numbers as 64-bit floating point (at most about 1.8e308), where Terraform takes any size",
                        shortened(&text[number.clone()])
                    ),
                    Span::new(file, number),
                )
                .labelled("out of range"),
                None => LoadError::new(error_message(&e), Span::new(file, at..at)),
            },
        }
    })?;
    let whole = Loc::new(0..text.len());
    Ok(ConfigFile {
        body: Conv::new(file).body(body, whole),
        comments: (super::depth::comments(text).into_iter())
            .filter(|r| {
                memchr::memchr(b'"', &text.as_bytes()[r.start as usize..r.end as usize]).is_some()
            })
            .collect(),
    })
}

/// An out-of-range number literal ([`overflowing_number`]) where hcl-edit stopped, or else, when
/// it gave up on a whole attribute (at the start of its line, as for a long integer), on the
/// attribute's line.
fn overflowing_number_near(text: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let at = at.min(text.len());
    if let Some(number) = overflowing_number(text, at) {
        return Some(number);
    }
    let b = text.as_bytes();
    let line_start = memchr::memrchr(b'\n', &b[..at]).map_or(0, |i| i + 1);
    if !b[line_start..at].iter().all(|c| matches!(c, b' ' | b'\t')) {
        return None;
    }
    let line_end = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i);
    // Only where a literal can start: from a digit after a `.` the walk back reaches the same
    // start, and a line of `1.1.1.1...` would be read again for each of its digits.
    (line_start..line_end)
        .filter(|&i| {
            b[i].is_ascii_digit() && (i == line_start || !matches!(b[i - 1], b'0'..=b'9' | b'.'))
        })
        .find_map(|i| overflowing_number(text, i))
}

/// `number` quoted as a message quotes it: a long one by its ends and length.
fn shortened(number: &str) -> String {
    // ASCII only (digits, `.`, `e`, a sign): any byte is a character boundary.
    match number.len() {
        0..=24 => format!("`{number}`"),
        n => format!(
            "`{}...{}` ({n} characters)",
            &number[..10],
            &number[n - 6..]
        ),
    }
}

/// The number literal at or just before `at` when it is too large for a 64-bit float (`1e400`):
/// hcl-edit then stops inside it with "expected newline or eof", which says nothing of why.
fn overflowing_number(text: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut start = at.min(b.len());
    while start > 0 && (b[start - 1].is_ascii_digit() || b[start - 1] == b'.') {
        start -= 1;
    }
    // Part of a name (`a1e400`) or of a traversal (`x.1e400`): not a number literal.
    if start > 0 && (b[start - 1].is_ascii_alphanumeric() || matches!(b[start - 1], b'_' | b'.')) {
        return None;
    }
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut end = digits(start);
    if end == start {
        return None;
    }
    if b.get(end) == Some(&b'.') {
        end = digits(end + 1);
    }
    if matches!(b.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(b.get(end + 1), Some(b'+' | b'-')));
        end = digits(end + 1 + sign);
    }
    // Followed by a name's characters (`1e400x`), it is no number: hcl-edit's error is another.
    if b.get(end)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'))
    {
        return None;
    }
    let n: f64 = text[start..end].parse().ok()?;
    n.is_infinite().then_some(start..end)
}

/// The bracket that closes `open` (`{`, `[` or `(`).
fn closer(open: u8) -> char {
    match open {
        b'{' => '}',
        b'[' => ']',
        _ => ')',
    }
}

/// Whether `text` parses once the brackets left open at its end are closed, each on a line of
/// its own. Only on the error path: the text is copied and parsed again.
fn closing_brackets_fixes(text: &str) -> bool {
    let open = depth::open_brackets(text, Syntax::Hcl);
    if open.is_empty() {
        return false;
    }
    let mut closed = String::with_capacity(text.len() + 2 * open.len() + 1);
    closed.push_str(text);
    for &at in open.iter().rev() {
        closed.push('\n');
        closed.push(closer(text.as_bytes()[at]));
    }
    closed.push('\n');
    hcl_edit::parser::parse_body(&closed).is_ok()
}

/// hcl-edit's error message as cxlint writes messages: one line, lowercase first letter.
pub(crate) fn error_message(e: &hcl_edit::parser::Error) -> String {
    let msg = e.message().trim();
    let mut out = String::with_capacity(msg.len());
    for (i, c) in msg.chars().enumerate() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if i == 0 => out.extend(c.to_lowercase()),
            c => out.push(c),
        }
    }
    out
}

/// The byte offset of a parse error in `text`.
///
/// Computed from the line and column: hcl-edit's own offset is clamped to the last byte, which
/// would place "unexpected end of input" errors one character early.
pub(crate) fn error_offset(text: &str, e: &hcl_edit::parser::Error) -> usize {
    let loc = e.location();
    let line_start = if loc.line() <= 1 {
        Some(0)
    } else {
        text.bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .nth(loc.line() - 2)
            .map(|(i, _)| i + 1)
    };
    let Some(line_start) = line_start else {
        return loc.offset().min(text.len());
    };
    let rest = &text[line_start..];
    let col = loc.column().saturating_sub(1);
    let within = rest.char_indices().nth(col).map_or(rest.len(), |(i, _)| i);
    line_start + within
}

/// Converts hcl-edit nodes into IR nodes, mapping hcl-edit's ranges to file spans.
pub(crate) struct Conv {
    file: FileId,
    /// Added to every hcl-edit offset (non-zero for a template inside a JSON string).
    base: usize,
    /// When set, every node gets this span (a JSON string whose escapes break the offset mapping).
    fixed: Option<Loc>,
}

impl Conv {
    /// A converter for a whole HCL file.
    pub(crate) fn new(file: FileId) -> Self {
        Conv {
            file,
            base: 0,
            fixed: None,
        }
    }

    /// A converter for text that starts at byte `base` of the file.
    pub(crate) fn at(file: FileId, base: usize) -> Self {
        Conv {
            file,
            base,
            fixed: None,
        }
    }

    /// A converter that locates every node at `span`.
    pub(crate) fn fixed(file: FileId, span: Loc) -> Self {
        Conv {
            file,
            base: 0,
            fixed: Some(span),
        }
    }

    /// The file span of an hcl-edit range, or `parent` when hcl-edit has none.
    fn span(&self, range: Option<Range<usize>>, parent: Loc) -> Loc {
        if let Some(fixed) = self.fixed {
            return fixed;
        }
        match range {
            Some(r) => Loc::new(r.start + self.base..r.end + self.base),
            None => parent,
        }
    }

    fn body(&self, body: hs::Body, parent: Loc) -> Body {
        let (mut attrs, mut blocks) = (Vec::new(), Vec::new());
        for structure in body {
            match structure {
                Structure::Attribute(a) => attrs.push(self.attribute(a, parent)),
                Structure::Block(b) => blocks.push(self.block(b, parent)),
            }
        }
        Body {
            attrs: attrs.into(),
            blocks: blocks.into(),
        }
    }

    fn attribute(&self, attr: hs::Attribute, parent: Loc) -> Attribute {
        let span = self.span(attr.span(), parent);
        Attribute {
            name: Key {
                span: self.span(attr.key.span(), span),
                name: Name::new(attr.key.as_str()),
            },
            expr: self.expr(attr.value, span),
        }
    }

    fn block(&self, block: hs::Block, parent: Loc) -> Block {
        let span = self.span(block.span(), parent);
        let ident = self.ident(block.ident, span);
        let labels = block
            .labels
            .into_iter()
            .map(|label| {
                let lspan = self.span(label.span(), span);
                let name = match label {
                    BlockLabel::Ident(i) => i.into_value().into_string(),
                    BlockLabel::String(s) => s.into_value(),
                };
                Ident {
                    name: name.into(),
                    span: lspan,
                }
            })
            .collect();
        let body_span = self.span(block.body.span(), span);
        Block {
            ident,
            labels,
            body: self.body(block.body, body_span),
            span: span.in_file(self.file),
        }
    }

    fn ident(&self, ident: Decorated<HIdent>, parent: Loc) -> Ident {
        let span = self.span(ident.span(), parent);
        Ident {
            name: ident.into_value().as_str().into(),
            span,
        }
    }

    /// Converts an expression; `parent` is the span of the nearest enclosing node.
    pub(crate) fn expr(&self, expr: Expression, parent: Loc) -> Expr {
        let span = self.span(expr.span(), parent);
        let kind = match expr {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(b) => ExprKind::Bool(*b.value()),
            Expression::Number(n) => ExprKind::Number(n.value().as_f64().unwrap_or(f64::NAN)),
            Expression::String(s) => ExprKind::String(s.into_value().into()),
            Expression::Array(a) => {
                ExprKind::Array(a.into_iter().map(|e| self.expr(e, span)).collect())
            }
            Expression::Object(o) => ExprKind::Object(
                o.into_iter()
                    .map(|(k, v)| (self.object_key(k, span), self.expr(v.into_expr(), span)))
                    .collect(),
            ),
            Expression::StringTemplate(t) => self.template(t.into(), span),
            Expression::HeredocTemplate(h) => self.template(h.template, span),
            // `(x)` is `x`; the parenthesised span is kept only when the inner one is missing.
            Expression::Parenthesis(p) => return self.expr(p.into_inner(), span),
            Expression::Variable(v) => ExprKind::Variable(v.into_value().as_str().into()),
            Expression::Conditional(c) => {
                let c = *c;
                ExprKind::Conditional(Box::new([
                    self.expr(c.cond_expr, span),
                    self.expr(c.true_expr, span),
                    self.expr(c.false_expr, span),
                ]))
            }
            Expression::FuncCall(f) => ExprKind::Call(Box::new(self.call(*f, span))),
            Expression::Traversal(t) => {
                let Traversal { root, ops } = self.traversal(*t, span);
                traversal_kind(span, root, ops)
            }
            Expression::UnaryOp(u) => {
                let u = *u;
                let op = match u.operator.value() {
                    hx::UnaryOperator::Neg => UnaryOp::Neg,
                    hx::UnaryOperator::Not => UnaryOp::Not,
                };
                ExprKind::Unary(op, Box::new(self.expr(u.expr, span)))
            }
            Expression::BinaryOp(b) => {
                let b = *b;
                let op = binary_op(*b.operator.value());
                ExprKind::Binary(
                    op,
                    Box::new([self.expr(b.lhs_expr, span), self.expr(b.rhs_expr, span)]),
                )
            }
            Expression::ForExpr(f) => ExprKind::For(Box::new(self.for_expr(*f, span))),
        };
        Expr { kind, span }
    }

    /// A bare identifier key (`{ name = 1 }`) is the string `"name"`, as Terraform reads it.
    fn object_key(&self, key: ObjectKey, parent: Loc) -> Expr {
        match key {
            ObjectKey::Ident(i) => {
                let span = self.span(i.span(), parent);
                Expr {
                    kind: ExprKind::String(i.into_value().as_str().into()),
                    span,
                }
            }
            ObjectKey::Expression(e) => self.expr(e, parent),
        }
    }

    fn call(&self, f: hx::FuncCall, span: Loc) -> Call {
        let hx::FuncName { namespace, name } = f.name;
        let name_span = self.span(name.span(), span);
        let name = if namespace.is_empty() {
            Ident {
                name: name.into_value().as_str().into(),
                span: name_span,
            }
        } else {
            // `provider::ns::fn`: one name, spanning the whole path.
            let first = namespace
                .first()
                .map_or(name_span, |n| self.span(n.span(), name_span));
            let mut full = String::new();
            for part in namespace {
                full.push_str(part.as_str());
                full.push_str("::");
            }
            full.push_str(name.as_str());
            Ident {
                name: full.into(),
                span: first.to(name_span),
            }
        };
        let expand_final = f.args.expand_final();
        let args = f.args.into_iter().map(|a| self.expr(a, span)).collect();
        Call {
            name,
            args,
            expand_final,
        }
    }

    fn traversal(&self, t: hx::Traversal, span: Loc) -> Traversal {
        let root = self.expr(t.expr, span);
        let ops = t
            .operators
            .into_iter()
            .map(|op| {
                let op_span = self.span(op.span(), span);
                match op.into_value() {
                    TraversalOperator::GetAttr(name) => {
                        TraversalOp::Attr(self.ident(name, op_span))
                    }
                    TraversalOperator::Index(e) => TraversalOp::Index(self.expr(e, op_span)),
                    TraversalOperator::LegacyIndex(n) => {
                        let n_span = self.span(n.span(), op_span);
                        TraversalOp::LegacyIndex(*n.value(), n_span)
                    }
                    TraversalOperator::AttrSplat(_) => TraversalOp::AttrSplat(op_span),
                    TraversalOperator::FullSplat(_) => TraversalOp::FullSplat(op_span),
                }
            })
            .collect();
        Traversal { root, ops }
    }

    fn for_expr(&self, f: hx::ForExpr, span: Loc) -> ForExpr {
        let intro_span = self.span(f.intro.span(), span);
        ForExpr {
            key_var: f.intro.key_var.map(|k| self.ident(k, intro_span)),
            value_var: self.ident(f.intro.value_var, intro_span),
            collection: self.expr(f.intro.collection_expr, intro_span),
            key_expr: f.key_expr.map(|k| self.expr(k, span)),
            value_expr: self.expr(f.value_expr, span),
            cond: f.cond.map(|c| {
                let cond_span = self.span(c.span(), span);
                self.expr(c.expr, cond_span)
            }),
            grouping: f.grouping,
        }
    }

    /// A string template or heredoc. Strip markers (`${~ x ~}`, `%{~ if x ~}`) are applied to
    /// the neighbouring literals, and a template that turns out to hold only literals (say
    /// `"$${x}"`) is a string.
    pub(crate) fn template(&self, t: Template, span: Loc) -> ExprKind {
        let mut parts = self.template_parts(t, span, false, false);
        match parts.as_mut_slice() {
            [] => ExprKind::String(SmolStr::default()),
            [TemplatePart::Literal(s)] => ExprKind::String(std::mem::take(s)),
            _ => ExprKind::Template(parts.into()),
        }
    }

    /// The parts of a template, or of a directive's body: `strip_start` and `strip_end` are the
    /// strip markers of the directive tags around the body (`%{ if x ~}`, `%{~ endif }`).
    fn template_parts(
        &self,
        t: Template,
        span: Loc,
        strip_start: bool,
        strip_end: bool,
    ) -> Vec<TemplatePart> {
        // Literals are assembled as `String`s (strip markers edit them), then stored compactly.
        let mut parts: Vec<Part> = Vec::new();
        // Set by a `~}`: strip leading whitespace from the next literal.
        let mut strip_next = strip_start;
        for element in t {
            match element {
                Element::Literal(lit) => {
                    let mut s = lit.into_value();
                    if std::mem::take(&mut strip_next) {
                        let trimmed = s.len() - s.trim_start().len();
                        s.drain(..trimmed);
                    }
                    match parts.last_mut() {
                        Some(Part::Literal(prev)) => prev.push_str(&s),
                        _ => parts.push(Part::Literal(s)),
                    }
                }
                Element::Interpolation(i) => {
                    strip_previous(&mut parts, i.strip.strip_start());
                    strip_next = i.strip.strip_end();
                    let ispan = self.span(i.span(), span);
                    parts.push(Part::Done(TemplatePart::Interpolation(
                        self.expr(i.expr, ispan),
                    )));
                }
                Element::Directive(d) => {
                    let dspan = self.span(d.span(), span);
                    let part = match *d {
                        Directive::If(d) => {
                            let open = d.if_expr.strip;
                            let close = d.endif_expr.strip;
                            strip_previous(&mut parts, open.strip_start());
                            strip_next = close.strip_end();
                            // The `then` body ends at `%{~ else }` or at `%{~ endif }`.
                            let then_end = match &d.else_expr {
                                Some(e) => e.strip.strip_start(),
                                None => close.strip_start(),
                            };
                            let cond = self.expr(d.if_expr.cond_expr, dspan);
                            let then = self.template_parts(
                                d.if_expr.template,
                                dspan,
                                open.strip_end(),
                                then_end,
                            );
                            let otherwise = match d.else_expr {
                                Some(e) => self.template_parts(
                                    e.template,
                                    dspan,
                                    e.strip.strip_end(),
                                    close.strip_start(),
                                ),
                                None => Vec::new(),
                            };
                            TemplatePart::If(Box::new(TemplateIf {
                                cond,
                                then: then.into(),
                                otherwise: otherwise.into(),
                            }))
                        }
                        Directive::For(d) => {
                            let open = d.for_expr.strip;
                            let close = d.endfor_expr.strip;
                            strip_previous(&mut parts, open.strip_start());
                            strip_next = close.strip_end();
                            let f = d.for_expr;
                            TemplatePart::For(Box::new(TemplateFor {
                                key_var: f.key_var.map(|k| self.ident(k, dspan)),
                                value_var: self.ident(f.value_var, dspan),
                                collection: self.expr(f.collection_expr, dspan),
                                body: self
                                    .template_parts(
                                        f.template,
                                        dspan,
                                        open.strip_end(),
                                        close.strip_start(),
                                    )
                                    .into(),
                            }))
                        }
                    };
                    parts.push(Part::Done(part));
                }
            }
        }
        strip_previous(&mut parts, strip_end);
        parts
            .into_iter()
            .map(|p| match p {
                Part::Literal(s) => TemplatePart::Literal(s.into()),
                Part::Done(p) => p,
            })
            .collect()
    }
}

/// A template part while a template is assembled.
enum Part {
    Literal(String),
    Done(TemplatePart),
}

/// Applies a `{~` strip marker to the literal before it.
fn strip_previous(parts: &mut [Part], strip: bool) {
    if let (true, Some(Part::Literal(prev))) = (strip, parts.last_mut()) {
        prev.truncate(prev.trim_end().len());
    }
}

fn binary_op(op: hx::BinaryOperator) -> BinaryOp {
    use hx::BinaryOperator as H;
    match op {
        H::Eq => BinaryOp::Eq,
        H::NotEq => BinaryOp::NotEq,
        H::LessEq => BinaryOp::LtEq,
        H::GreaterEq => BinaryOp::GtEq,
        H::Less => BinaryOp::Lt,
        H::Greater => BinaryOp::Gt,
        H::Plus => BinaryOp::Add,
        H::Minus => BinaryOp::Sub,
        H::Mul => BinaryOp::Mul,
        H::Div => BinaryOp::Div,
        H::Mod => BinaryOp::Mod,
        H::And => BinaryOp::And,
        H::Or => BinaryOp::Or,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ir::{Expr, Index, Op, Root};
    use std::fmt::Write as _;

    const F: FileId = FileId(3);

    fn parse(text: &str) -> ConfigFile {
        match parse_hcl(F, text) {
            Ok(c) => c,
            Err(e) => panic!("parse failed: {e} at {:?}", e.span),
        }
    }

    fn slice(text: &str, at: impl crate::load::test_text::Located) -> &str {
        crate::load::test_text::slice(text, F, at)
    }

    fn attr<'a>(body: &'a Body, name: &str) -> &'a Expr {
        &body
            .attr(name)
            .unwrap_or_else(|| panic!("no attribute `{name}`"))
            .expr
    }

    /// A rendering of IR without spans, for comparing what two loaders produce.
    pub(crate) fn render(body: &Body) -> String {
        let mut out = String::new();
        render_body(body, 0, &mut out);
        out
    }

    fn render_body(body: &Body, indent: usize, out: &mut String) {
        let pad = "  ".repeat(indent);
        let mut attrs: Vec<_> = body.attrs.iter().collect();
        attrs.sort_by_key(|a| a.name.name);
        for a in attrs {
            let _ = writeln!(out, "{pad}{} = {}", a.name.name, render_expr(&a.expr));
        }
        let mut blocks: Vec<String> = body
            .blocks
            .iter()
            .map(|b| {
                let mut s = String::new();
                let labels: Vec<_> = b.labels.iter().map(|l| format!("{:?}", l.name)).collect();
                let _ = writeln!(s, "{pad}{} {} {{", b.ident.name, labels.join(" "));
                render_body(&b.body, indent + 1, &mut s);
                let _ = writeln!(s, "{pad}}}");
                s
            })
            .collect();
        blocks.sort();
        out.extend(blocks);
    }

    fn render_parts(parts: &[TemplatePart]) -> String {
        let parts: Vec<_> = parts
            .iter()
            .map(|p| match p {
                TemplatePart::Literal(s) => format!("{s:?}"),
                TemplatePart::Interpolation(e) => format!("${{{}}}", render_expr(e)),
                TemplatePart::If(d) => format!(
                    "%{{if {}}}{}%{{else}}{}%{{endif}}",
                    render_expr(&d.cond),
                    render_parts(&d.then),
                    render_parts(&d.otherwise)
                ),
                TemplatePart::For(d) => format!(
                    "%{{for {:?}, {} in {}}}{}%{{endfor}}",
                    d.key_var.as_ref().map(|k| &k.name),
                    d.value_var.name,
                    render_expr(&d.collection),
                    render_parts(&d.body)
                ),
            })
            .collect();
        parts.join(" ")
    }

    pub(crate) fn render_expr(e: &Expr) -> String {
        let list = |es: &[Expr]| es.iter().map(render_expr).collect::<Vec<_>>().join(", ");
        match &e.kind {
            ExprKind::Null => "null".into(),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::Number(n) => n.to_string(),
            ExprKind::String(s) => format!("{s:?}"),
            ExprKind::Template(parts) => format!("tpl({})", render_parts(parts)),
            ExprKind::Variable(v) => format!("var:{v}"),
            // Both forms render alike: which one a loader chose is not a difference.
            ExprKind::Traversal(_) | ExprKind::Path(_) => {
                let Some(t) = e.traversal() else {
                    return String::new();
                };
                let mut s = match t.root {
                    Root::Name(name, _) => format!("var:{name}"),
                    Root::Expr(root) => render_expr(root),
                };
                for op in &t.ops {
                    match op {
                        Op::Attr(name, _) => s += &format!(".{name}"),
                        Op::Index(Index::Key(k, _)) => s += &format!("[{k:?}]"),
                        Op::Index(Index::Number(n, _)) => s += &format!("[{n}]"),
                        Op::Index(Index::Expr(e)) => s += &format!("[{}]", render_expr(e)),
                        Op::LegacyIndex(n, _) => s += &format!(".{n}"),
                        Op::AttrSplat(_) => s += ".*",
                        Op::FullSplat(_) => s += "[*]",
                    }
                }
                s
            }
            ExprKind::Array(es) => format!("[{}]", list(es)),
            ExprKind::Object(kv) => {
                let kv: Vec<_> = kv
                    .iter()
                    .map(|(k, v)| format!("{}: {}", render_expr(k), render_expr(v)))
                    .collect();
                format!("{{{}}}", kv.join(", "))
            }
            ExprKind::Call(c) => format!(
                "{}({}{})",
                c.name.name,
                list(&c.args),
                if c.expand_final { "..." } else { "" }
            ),
            ExprKind::For(f) => format!(
                "for({:?}, {} in {} : {:?} => {} if {:?} group {})",
                f.key_var.as_ref().map(|k| &k.name),
                f.value_var.name,
                render_expr(&f.collection),
                f.key_expr.as_ref().map(render_expr),
                render_expr(&f.value_expr),
                f.cond.as_ref().map(render_expr),
                f.grouping
            ),
            ExprKind::Conditional(c) => {
                format!(
                    "({} ? {} : {})",
                    render_expr(&c[0]),
                    render_expr(&c[1]),
                    render_expr(&c[2])
                )
            }
            ExprKind::Binary(op, lr) => {
                format!("({} {op:?} {})", render_expr(&lr[0]), render_expr(&lr[1]))
            }
            ExprKind::Unary(op, e) => format!("({op:?} {})", render_expr(e)),
            ExprKind::Unsupported(what) => format!("unsupported({what})"),
        }
    }

    #[test]
    fn every_expression_kind() {
        let text = r#"
n   = null
b   = true
num = -1.5e2
s   = "a\nb\u00e9 \"q\" $${lit} %%{lit}"
t   = "x-${var.y}-z"
arr = [1, "two"]
obj = { k = "v", "s" = 1, (var.z) = 2 }
v   = each
tr  = a.b[0].*.c[*].d.1
f   = merge(local.a, var.b...)
ns  = provider::genesyscloud::fn(1)
c   = var.x ? 1 : 2
bin = 1 + 2 * 3 == 7 && !false || a % 2 != 0
neg = -var.n
p   = (var.x)
for = [for k, v in var.m : "${k}=${v}" if v != null]
fo  = { for k, v in var.m : v => k... }
"#;
        let c = parse(text);
        let b = &c.body;
        let r = |n: &str| render_expr(attr(b, n));
        assert_eq!(r("n"), "null");
        assert_eq!(r("b"), "true");
        assert_eq!(r("num"), "-150");
        assert_eq!(r("s"), r#""a\nbé \"q\" ${lit} %{lit}""#);
        assert_eq!(r("t"), r#"tpl("x-" ${var:var.y} "-z")"#);
        assert_eq!(r("arr"), r#"[1, "two"]"#);
        assert_eq!(r("obj"), r#"{"k": "v", "s": 1, var:var.z: 2}"#);
        assert_eq!(r("v"), "var:each");
        assert_eq!(r("tr"), "var:a.b[0].*.c[*].d.1");
        assert_eq!(r("f"), "merge(var:local.a, var:var.b...)");
        assert_eq!(r("ns"), "provider::genesyscloud::fn(1)");
        assert_eq!(r("c"), "(var:var.x ? 1 : 2)");
        assert_eq!(
            r("bin"),
            "((((1 Add (2 Mul 3)) Eq 7) And (Not false)) Or ((var:a Mod 2) NotEq 0))"
        );
        assert_eq!(r("neg"), "(Neg var:var.n)");
        assert_eq!(r("p"), "var:var.x");
        assert_eq!(
            r("for"),
            r#"for(Some("k"), v in var:var.m : None => tpl(${var:k} "=" ${var:v}) if Some("(var:v NotEq null)") group false)"#
        );
        assert_eq!(
            r("fo"),
            r#"for(Some("k"), v in var:var.m : Some("var:v") => var:k if None group true)"#
        );
        // Parenthesised expressions keep the inner expression's own span.
        assert_eq!(slice(text, attr(b, "p").span), "var.x");
    }

    #[test]
    fn spans_point_at_the_source_text() {
        let text = r#"resource "genesyscloud_routing_queue" q {
  wrapup_codes = [genesyscloud_routing_wrapupcode.a.id, "${genesyscloud_routing_wrapupcode.b.id}"]
  obj = { key = 1 }
}
"#;
        let c = parse(text);
        let block = &c.body.blocks[0];
        assert_eq!(slice(text, block.ident.span), "resource");
        assert_eq!(block.label(0), Some("genesyscloud_routing_queue"));
        assert_eq!(
            slice(text, block.labels[0].span),
            "\"genesyscloud_routing_queue\""
        );
        assert_eq!(slice(text, block.labels[1].span), "q");
        assert_eq!(
            slice(text, block.header_span()),
            "resource \"genesyscloud_routing_queue\" q"
        );
        assert!(
            slice(text, block.span).starts_with("resource")
                && slice(text, block.span).ends_with('}')
        );
        let a = block.body.attr("wrapup_codes").expect("attribute");
        assert_eq!(slice(text, a.name.span), "wrapup_codes");
        assert!(
            slice(text, a.span()).starts_with("wrapup_codes = [")
                && slice(text, a.span()).ends_with("}\"]")
        );
        let ExprKind::Array(items) = &a.expr.kind else {
            panic!("not an array")
        };
        assert_eq!(
            slice(text, items[0].span),
            "genesyscloud_routing_wrapupcode.a.id"
        );
        assert_eq!(
            slice(text, items[1].span),
            "\"${genesyscloud_routing_wrapupcode.b.id}\""
        );
        let t = items[0].traversal().expect("a traversal");
        let Root::Name(_, root) = t.root else {
            panic!("{t:?}")
        };
        assert_eq!(slice(text, root), "genesyscloud_routing_wrapupcode");
        assert!(matches!(t.ops[0], Op::Attr("a", s) if slice(text, s) == "a"));
        assert!(matches!(t.ops[1], Op::Attr("id", s) if slice(text, s) == "id"));
        let ExprKind::Template(parts) = &items[1].kind else {
            panic!("not a template")
        };
        let [TemplatePart::Interpolation(inner)] = &parts[..] else {
            panic!("{parts:?}")
        };
        assert_eq!(
            slice(text, inner.span),
            "genesyscloud_routing_wrapupcode.b.id"
        );
        let ExprKind::Object(kv) = &attr(&block.body, "obj").kind else {
            panic!("not an object")
        };
        assert_eq!(slice(text, kv[0].0.span), "key");
        assert_eq!(slice(text, kv[0].1.span), "1");
    }

    #[test]
    fn nodes_without_a_span_take_the_enclosing_span() {
        // Built in code, hcl-edit nodes carry no spans at all: every node must fall back.
        let expr = Expression::from(hx::Traversal::new(
            Expression::Variable(Decorated::new(HIdent::new("var"))),
            vec![Decorated::new(TraversalOperator::GetAttr(Decorated::new(
                HIdent::new("x"),
            )))],
        ));
        let parent = Loc::new(10..20);
        let e = Conv::new(F).expr(Expression::from(vec![expr]), parent);
        let ExprKind::Array(items) = &e.kind else {
            panic!("not an array")
        };
        assert_eq!(e.span, parent);
        assert_eq!(items[0].span, parent);
        let t = items[0].traversal().expect("a traversal");
        assert!(matches!(t.root, Root::Name("var", s) if s == parent));
        assert!(matches!(t.ops[0], Op::Attr("x", s) if s == parent));
        assert_eq!(render_expr(&e), "[var:var.x]");
        // A fixed converter (JSON string with escapes) ignores hcl-edit's spans on purpose.
        let fixed = Loc::new(5..9);
        let e =
            Conv::fixed(F, fixed).expr(hcl_edit::parser::parse_expr("a.b").expect("valid"), parent);
        assert_eq!(e.span, fixed);
    }

    #[test]
    fn for_each_module_and_tfvars() {
        let text = r#"
resource "genesyscloud_routing_wrapupcode" "all" {
  for_each = toset(var.codes)
  name     = each.key
}
module "queues" {
  source = "./queues"
  codes  = [for c in genesyscloud_routing_wrapupcode.all : c.id]
}
"#;
        let c = parse(text);
        let [code, module] = &c.body.blocks[..] else {
            panic!("two blocks")
        };
        assert_eq!(
            render_expr(attr(&code.body, "for_each")),
            "toset(var:var.codes)"
        );
        assert_eq!(render_expr(attr(&code.body, "name")), "var:each.key");
        assert_eq!(slice(text, attr(&code.body, "name").span), "each.key");
        assert_eq!(module.ident.name, "module");
        assert_eq!(module.label(0), Some("queues"));
        let codes = attr(&module.body, "codes");
        let ExprKind::For(f) = &codes.kind else {
            panic!("not a for")
        };
        assert_eq!(slice(text, f.value_var.span), "c");
        assert_eq!(
            slice(text, f.collection.span),
            "genesyscloud_routing_wrapupcode.all"
        );
        assert_eq!(slice(text, f.value_expr.span), "c.id");

        let vars = include_str!("../../testdata/load/terraform.tfvars");
        let c = parse(vars);
        assert!(c.body.blocks.is_empty());
        assert_eq!(
            render(&c.body),
            "codes = [\"Resolved\", \"Escalated\"]\ndivision = \"Home\"\ntimeouts = {\"acw\": 30000}\n"
        );
    }

    #[test]
    fn heredocs_directives_and_strip_markers() {
        let text = "plain = <<EOT\nhello\nEOT\nindented = <<-EOT\n    a\n      b\n    EOT\ntpl = <<EOT\nhi ${name}\n%{ if x }yes%{ endif }\nEOT\nstrip = \"a   ${~ x ~}   b\"\n";
        let c = parse(text);
        let b = &c.body;
        assert_eq!(render_expr(attr(b, "plain")), r#""hello\n""#);
        assert_eq!(render_expr(attr(b, "indented")), r#""a\n  b\n""#);
        assert_eq!(
            render_expr(attr(b, "tpl")),
            r#"tpl("hi " ${var:name} "\n" %{if var:x}"yes"%{else}%{endif} "\n")"#
        );
        let ExprKind::Template(parts) = &attr(b, "tpl").kind else {
            panic!("not a template")
        };
        let Some(TemplatePart::If(d)) = parts.get(3) else {
            panic!("{parts:?}")
        };
        assert_eq!(slice(text, d.cond.span), "x");
        assert_eq!(render_expr(attr(b, "strip")), r#"tpl("a" ${var:x} "b")"#);
    }

    #[test]
    fn numbers_out_of_range_are_named_as_the_cause() {
        let long = "9".repeat(400);
        for (text, number, shown) in [
            ("a = 1e400\n", "1e400", "`1e400`"),
            ("a = [1, -2.5E+999]\n", "2.5E+999", "`2.5E+999`"),
            ("x {\n  a = 1.5e3\n  b = 1e309\n}\n", "1e309", "`1e309`"),
            (
                &format!("x {{\n  huge = {long}\n}}\n"),
                &long,
                "`9999999999...999999` (400 characters)",
            ),
        ] {
            let e = parse_hcl(F, text).expect_err(text);
            assert_eq!(slice(text, e.span), number, "{e:?}");
            assert!(
                e.message
                    .starts_with(&format!("number {shown} is out of range: cxlint reads")),
                "{}",
                e.message
            );
            assert_eq!(e.label(), "out of range");
        }
        // In range, the number parses; an error elsewhere is not blamed on one.
        assert!(parse_hcl(F, "a = 1.7e308\n").is_ok());
        let e = parse_hcl(F, "a = 1e400x\nb = @\n").expect_err("bad token");
        assert!(!e.message.contains("out of range"), "{}", e.message);
        let e = parse_hcl(F, "a = @ + 1e400\n").expect_err("bad token");
        assert!(!e.message.contains("out of range"), "{}", e.message);
    }

    /// Looking for an out-of-range number on a line that hcl-edit gave up on read the line
    /// again from each digit after a `.`: quadratic, so 200 KB of `1.1.1...` ran past the
    /// parser's time limit and was blamed on backtracking.
    #[test]
    fn a_long_line_of_dotted_digits_is_read_once() {
        let text = format!("a = 1\n{}1\n", "1.".repeat(100_000));
        let e = parse_hcl(F, &text).expect_err("a number where a name goes");
        assert!(!e.message.contains("gave up"), "{}", e.message);
        assert_eq!(e.span.start, 6, "{e:?}");
    }

    #[test]
    fn parse_errors_are_located() {
        let text = include_str!("../../testdata/load/broken.tf");
        let e = parse_hcl(F, text).expect_err("broken");
        assert!(
            e.message.starts_with(|c: char| c.is_lowercase()),
            "{}",
            e.message
        );
        assert!(!e.message.contains('\n'));
        // The array is cut short by the closing brace on line 4.
        assert_eq!(
            e.span.start as usize,
            text.find("\n}").expect("brace") + 1,
            "{e:?}"
        );
        assert!(e.span.is_empty());

        let e = parse_hcl(F, "a = 1\nb = @\n").expect_err("bad token");
        assert_eq!(e.span.start, 10);
        assert!(e.message.contains("expression"), "{}", e.message);
        assert_eq!(e.label(), "parsing stopped here");

        // At the end of input, the bracket left open: where the `]` or `}` went missing.
        let text = "a = [1,";
        let e = parse_hcl(F, text).expect_err("unterminated");
        assert_eq!(slice(text, e.span), "[", "{e:?}");
        assert_eq!(e.label(), "opened here");
        let text = "x {
  y {
    a = 1
  }

z {
}
";
        let e = parse_hcl(F, text).expect_err("unclosed");
        assert_eq!(e.span.start, 2, "{e:?}");
        assert_eq!(
            e.message,
            "`{` is never closed: no `}` before the end of the file"
        );
        // The parser gives up at the start of the attribute or block it cannot finish, not at
        // the end: the bracket is still named when closing it is the fix.
        for (text, open) in [
            ("x = {\n", "x = "),
            ("locals {\n  x = {\n", "locals {\n  x = "),
            ("locals {\n  x = [1,\n    2\n", "locals {\n  x = "),
        ] {
            let e = parse_hcl(F, text).expect_err("unclosed");
            assert_eq!(e.span.start as usize, open.len(), "{text:?}: {e:?}");
            assert_eq!(e.label(), "opened here");
        }
        // An error of its own before the open bracket is reported as it is.
        let text = "a = = 1\nlocals {\n";
        let e = parse_hcl(F, text).expect_err("two errors");
        assert_eq!(e.span.start, 4, "{e:?}");
    }

    #[test]
    fn hostile_input_is_rejected_without_recursion() {
        let deep = format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let e = parse_hcl(F, &deep).expect_err("too deep");
        assert_eq!(e.message, "nesting deeper than 128 levels");
        assert_eq!(e.span.start, 4 + 128);

        // Below the pre-scan limit, hcl-edit's own limit (64) still answers with an error.
        let medium = format!("a = {}1{}\n", "(".repeat(100), ")".repeat(100));
        let e = parse_hcl(F, &medium).expect_err("too deep for hcl-edit");
        assert!(e.message.contains("nest"), "{}", e.message);

        // Interpolations count as nesting too.
        let tpl = format!("a = \"{}x{}\"\n", "${\"".repeat(200), "\"}".repeat(200));
        assert_eq!(
            parse_hcl(F, &tpl).expect_err("deep template").message,
            "nesting deeper than 128 levels"
        );

        let e = parse_hcl(F, "a = 1\nb = \"x\0y\"\n").expect_err("binary");
        assert!(e.message.starts_with("file looks binary"));
        assert_eq!(e.span.start, 12);
    }

    #[test]
    fn deepest_accepted_nesting_parses_on_a_small_stack() {
        // Rayon workers have 2 MiB stacks; hcl-edit plus the conversion must fit well within that.
        let text = format!(
            "a = {}{{ k = [f(x.y[0]), \"${{v}}\"] }}{}\nb {{\n c {{\n d = 1\n }}\n}}\n",
            "[".repeat(60),
            "]".repeat(60)
        );
        // Attributes read, parsing on a 1 MiB stack (a stack overflow would abort the binary).
        let attrs_on_small_stack = |text: String| {
            std::thread::Builder::new()
                .stack_size(1 << 20)
                .spawn(move || parse_hcl(F, &text).map(|c| c.body.attrs.len()))
                .expect("spawn")
                .join()
                .expect("no stack overflow")
        };
        assert_eq!(attrs_on_small_stack(text), Ok(1));
        // The deepest accepted `for` nesting, read by the fast path (brackets count as depth).
        let fors = format!(
            "a = {}x{}\n",
            "[for v in ".repeat(depth::MAX_DEPTH - 1),
            " : v]".repeat(depth::MAX_DEPTH - 1)
        );
        assert!(fast::parse(F, &fors).is_some());
        assert_eq!(attrs_on_small_stack(fors), Ok(1));
    }

    #[test]
    fn fast_path_shares_long_names_within_a_file() {
        let text = "resource \"genesyscloud_routing_wrapupcode\" \"a\" {}\n\
                    resource \"genesyscloud_routing_wrapupcode\" \"b\" {}\n\
                    x = genesyscloud_routing_wrapupcode.a.id\n\
                    y = \"genesyscloud_routing_wrapupcode\"\n";
        let cfg = fast::parse(F, text).expect("fast subset");
        let label = |i: usize| cfg.body.blocks[i].labels[0].name.as_str().as_ptr();
        assert_eq!(label(0), label(1), "labels share one allocation");
        // A reference keeps its names packed with it (`ir::Path`), not as shared strings.
        let t = cfg.body.attrs[0].expr.traversal().expect("traversal");
        assert!(matches!(
            t.root,
            Root::Name("genesyscloud_routing_wrapupcode", _)
        ));
        // A string value is not a name: it is not looked up.
        let ExprKind::String(value) = &cfg.body.attrs[1].expr.kind else {
            panic!("string")
        };
        assert_eq!(value, "genesyscloud_routing_wrapupcode");
        assert_ne!(label(0), value.as_str().as_ptr());
    }

    #[test]
    fn fast_path_bounds_nesting_as_the_scan_does() {
        // The scan runs only when the fast path declines: the fast path must decline exactly
        // where the scan would refuse, for every kind of nesting it reads itself.
        // (kind, what opens a level, the innermost value, what closes a level); each is an
        // attribute `a = ...` except blocks, which nest as bodies.
        let nested = [
            ("arrays", "[", "1", "]"),
            ("objects", "{k = ", "1", "}"),
            ("calls", "f(", "1", ")"),
            ("indexes", "x[", "0", "]"),
            ("interpolations", "\"${", "1", "}\""),
            ("blocks", "b {\n", "", "}\n"),
        ];
        for (what, open, inner, close) in nested {
            let attr = if what == "blocks" { "" } else { "a = " };
            let end = if what == "blocks" { "" } else { "\n" };
            let text =
                |d: usize| format!("{attr}{}{inner}{}{end}", open.repeat(d), close.repeat(d));
            let deepest = text(depth::MAX_DEPTH);
            assert!(
                fast::parse(F, &deepest).is_some(),
                "{what}: fast path at the limit"
            );
            assert!(parse_hcl(F, &deepest).is_ok(), "{what}");
            let too_deep = text(depth::MAX_DEPTH + 1);
            assert!(
                fast::parse(F, &too_deep).is_none(),
                "{what}: fast path past the limit"
            );
            assert_eq!(
                parse_hcl(F, &too_deep).expect_err(what).message,
                "nesting deeper than 128 levels",
                "{what}"
            );
        }
    }

    #[test]
    fn long_chains_without_brackets_do_not_overflow() {
        // Constructs that nest without any bracket, which the pre-scan cannot see: hcl-edit must
        // bound them itself (or the chains must be flat), on a small stack.
        let n = 5_000;
        let cases = [
            (format!("a = {}1\n", "x ? 1 : ".repeat(n)), false),
            (format!("a = {}x\n", "!".repeat(n)), false),
            (format!("a = {}x\n", "- ".repeat(n)), false),
            (format!("a = 1{}\n", " + 1".repeat(n)), false),
            (
                format!(
                    "a = {}1{}\n",
                    "[1 + 1 + 1 + 1 + ".repeat(60),
                    "]".repeat(60)
                ),
                false,
            ),
            // Long traversals are flat: a list of operations, no recursion.
            (format!("a = x{}\n", ".b".repeat(20 * n)), true),
            (format!("a = 1{}\n", " + 1".repeat(100)), true),
        ];
        for (text, expected) in cases {
            let head: String = text.chars().take(20).collect();
            let handle = std::thread::Builder::new()
                .stack_size(1 << 20)
                .spawn(move || parse_hcl(F, &text).is_ok())
                .expect("spawn");
            // A stack overflow would abort the whole test binary.
            let ok = handle
                .join()
                .unwrap_or_else(|_| panic!("panicked on {head:?}"));
            assert_eq!(ok, expected, "{head:?}");
        }
    }

    /// Plain HCL the fast path must take, each paired with its hcl-edit reading.
    const FAST_CORPUS: &[&str] = &[
        "",
        "# only a comment\n",
        "# a = \"x\"\nb = \"#\" // c = \"y\"\n/* d = \"z\"\n e */ f = 1 # g\n",
        "a = 1\nb = -2.5e3\nc = true\nd = false\ne = null\nf = 0.5\n",
        "s = \"plain\"\nt = \"esc \\n \\t \\\" \\\\ \\u00e9 \\U0001F600 $${x} %%{y} $ % 100%\"\n",
        "u = \"pre ${var.x} mid ${ local.y[\"k\"] } post\"\nv = \"${a.b.c}\"\n",
        "l = [1, \"two\", [three], {}]\nm = [\n  a.b,\n  c, # note\n]\n",
        "o = { k = \"v\", \"q\" = 1, r : 2 }\np = {\n  a = 1 # c\n  b = [x]\n  \"${k}\" = 3\n}\n",
        "f = merge(local.a, { b = 1 }, [])\ng = toset([])\nh = f()\n",
        "x = a.b[0].c[\"d\"][var.i]\n",
        "resource \"genesyscloud_routing_queue\" q {\n  name = \"Q\"\n  media_settings_call {\n    x = 1\n  }\n  lifecycle {}\n}\n",
        "block a \"b\" c { # trailing\n  /* inline */ x = 1 // end\n}\n\r\nafter = 2\r\n",
        "module \"m\" {\n  source = \"./m\"\n  depends_on = [genesyscloud_routing_queue.q]\n  format = for_each\n}\n",
        "a = [for c in genesyscloud_routing_wrapupcode.all : c.id]\n",
        "b = [ for name in local.names : var.ids[name] ]\n",
        "c = [for i, v in [1, 2] : { k = i, v = v } if v]\n",
        "d = {for k, v in var.m : k => v.id}\n",
        "e = {\n  for k, v in var.m :\n  k => [v] ... # grouped\n  if f(v)\n}\n",
        "f = [for x in y : \"${x}-z\"]\ng = [format(\"%s\", x), for_each]\n",
        "h = [for x in [for y in z : y] : {for k in x : k => k}]\n",
        "a = [for c in x : c]\n",
        "a = [for\tc in x : c if c]\n",
        "a = {for k, v in x : k => v}\n",
        "a = [for c in x: c]\n",
        "a = [for c\nin x : c]\n",
        "a = [for c in x : c if c\n]\n",
    ];

    /// Not in the subset, or broken: the fast path must decline, never misread.
    const SLOW_CORPUS: &[&str] = &[
        "a = 1 + 2\n",
        "a = x ? 1 : 2\n",
        "a = [for c in x : c.id if c.enabled == true]\n",
        "a = [for c in x : c, 1]\n",
        "a = [1, for]\n",
        "a = [for]\n",
        "a = {for k, v in x : k => v if}\n",
        "a = {for k in x : k = v}\n",
        "a = (1)\n",
        "a = !x\n",
        "a = x.*.id\n",
        "a = x[*].id\n",
        "a = x.0\n",
        "a = f(x...)\n",
        "a = provider::p::f(1)\n",
        "a = <<EOT\nhi\nEOT\n",
        "a = \"%{ if x }y%{ endif }\"\n",
        "a = \"${~ x ~}\"\n",
        "a = 1\na = 2\n",
        "b { a = 1 }\n",
        "a = \"unterminated\n",
        "a = \"bad \\q escape\"\n",
        "a = [1, 2\n",
        "b {\n a = 1\n",
        "a = 1 b = 2\n",
        "é = 1\n",
        "a = { null = 1 }\n",
        "a = [1][0]\n",
        "a = f(1).x\n",
        "a = 1.\n",
        "a = x == y\n",
        "a = x / 2\n",
    ];

    #[test]
    fn fast_path_agrees_with_hcl_edit() {
        let mut big = String::new();
        for i in 0..40 {
            big.push_str(&format!("a{i} = {i}\n"));
        }
        let mut corpus: Vec<String> = FAST_CORPUS.iter().map(|s| (*s).to_owned()).collect();
        corpus.push(big);
        corpus.push(include_str!("../../testdata/load/terraform.tfvars").to_owned());
        corpus.push(include_str!("../../testdata/load/export.tf").to_owned());
        for text in &corpus {
            let fast =
                fast::parse(F, text).unwrap_or_else(|| panic!("fast path declined {text:?}"));
            let slow = parse_hcl_edit(F, text)
                .unwrap_or_else(|e| panic!("hcl-edit failed on {text:?}: {e}"));
            assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text:?}");
        }
        for text in SLOW_CORPUS {
            assert!(fast::parse(F, text).is_none(), "fast path took {text:?}");
        }
        // A duplicate in a large body is still left to hcl-edit's error.
        let mut dup: String = (0..40).map(|i| format!("a{i} = 1\n")).collect();
        dup.push_str("a7 = 2\n");
        assert!(fast::parse(F, &dup).is_none());
        assert!(parse_hcl(F, &dup).is_err());
        let keys: String = (0..40).map(|i| format!("k{i} = 1, ")).collect();
        assert!(fast::parse(F, &format!("a = {{ {keys} }}\n")).is_some());
        assert!(fast::parse(F, &format!("a = {{ {keys} \"k7\" = 2 }}\n")).is_none());
    }

    #[test]
    fn fast_path_never_accepts_what_hcl_edit_reads_differently() {
        // Random edits of both corpora: whenever the fast path accepts a mutant, hcl-edit must
        // accept it too and read it identically (spans included).
        let mut seed: u64 = 0x1357_9BDF_2468_ACE0;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        const PIECES: &[&str] = &[
            "\"", "{", "}", "[", "]", "(", ")", ",", ".", "=", ":", "#", "\n", " ", "$", "%", "\\",
            "-", "1", "a", "${", "%{", "for ", "\\u", "~", "*", "e", "/", "\r\n", "true", "null",
            "é", "\t", "0", "==", "/*", "*/", "<<", "...", "::", "\"${", "}\"", "\r", " in ",
            " if ", "=>", "[for ", "{for ",
        ];
        let sources: Vec<&str> = FAST_CORPUS.iter().chain(SLOW_CORPUS).copied().collect();
        let (mut accepted, mut total) = (0, 0);
        for _ in 0..30_000 {
            let mut text = sources[next(sources.len())].to_owned();
            for _ in 0..=next(3) {
                let mut at = next(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                if next(2) == 0 && at < text.len() {
                    let end = (at + 1..=text.len())
                        .find(|&e| text.is_char_boundary(e))
                        .unwrap_or(text.len());
                    text.replace_range(at..end, "");
                } else {
                    text.insert_str(at, PIECES[next(PIECES.len())]);
                }
            }
            total += 1;
            if let Some(fast) = fast::parse(F, &text) {
                accepted += 1;
                let slow = parse_hcl_edit(F, &text).unwrap_or_else(|e| {
                    panic!("fast path accepted what hcl-edit rejects: {text:?}: {e}")
                });
                assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text:?}");
            }
        }
        // The mutants must exercise both outcomes for the test to mean anything.
        assert!(
            accepted > total / 20 && accepted < total,
            "{accepted} of {total}"
        );
    }

    #[test]
    fn empty_and_comment_only_files_are_empty_configurations() {
        for text in [
            "",
            "\n\n",
            "# just a comment\n// another\n/* and a block */\n",
        ] {
            let c = parse(text);
            assert!(
                c.body.attrs.is_empty() && c.body.blocks.is_empty(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn long_single_line_input_is_linear() {
        // Several megabytes on one line: must finish quickly either way.
        let n = 400_000;
        let text = format!("a = [{}1]", "1, ".repeat(n));
        let start = std::time::Instant::now();
        let c = parse(&text);
        let ExprKind::Array(items) = &attr(&c.body, "a").kind else {
            panic!("not an array")
        };
        assert_eq!(items.len(), n + 1);
        let unterminated = format!("a = \"{}", "x".repeat(4_000_000));
        assert!(parse_hcl(F, &unterminated).is_err());
        assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    }

    /// CPU seconds used by this thread so far (Linux; 0 elsewhere), from `/proc/thread-self/stat`.
    fn thread_cpu_seconds() -> f64 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
        // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let f: Vec<&str> = rest.split_whitespace().collect();
        let field = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
        // Clock ticks are 100 per second on every mainstream Linux configuration.
        (field(11) + field(12)) / 100.0
    }

    /// Throughput of `parse_hcl` on a generated configuration; run with
    /// `CARGO_PROFILE_DEV_OPT_LEVEL=2 cargo test --lib hcl_throughput -- --ignored --nocapture`.
    #[test]
    #[ignore = "measurement, not a check"]
    fn hcl_throughput() {
        // An export-like file (the fast path's subset), and the same with one `for` per queue,
        // which sends the whole file through hcl-edit.
        for with_for in [false, true] {
            let mut text = String::new();
            let mut i = 0;
            while text.len() < 32 << 20 {
                let members = if with_for {
                    "[for m in var.members : { user_id = m.id, ring_num = 1 } if m.active]"
                } else {
                    "[{ user_id = var.members[0].id, ring_num = 1 }]"
                };
                let _ = write!(
                    text,
                    r#"# queue {i}
resource "genesyscloud_routing_wrapupcode" "code_{i}" {{
  name        = "Code {i}"
  division_id = data.genesyscloud_auth_division_home.home.id
}}

resource "genesyscloud_routing_queue" "queue_{i}" {{
  name                     = "Queue ${{var.prefix}} {i}"
  acw_wrapup_prompt        = "MANDATORY_TIMEOUT"
  acw_timeout_ms           = 300000
  wrapup_codes             = [genesyscloud_routing_wrapupcode.code_{i}.id, "${{genesyscloud_routing_wrapupcode.other.id}}"]
  members                  = {members}
  media_settings_call {{
    alerting_timeout_sec      = 8
    service_level_percentage  = 0.8
    service_level_duration_ms = 20000
  }}
}}

"#
                );
                i += 1;
            }
            let mb = text.len() as f64 / (1 << 20) as f64;
            // CPU time, not wall time: the measuring machine is shared and often oversubscribed.
            let cpu = thread_cpu_seconds;
            let start = cpu();
            let c = parse(&text);
            let end = cpu();
            assert_eq!(c.body.blocks.len(), 2 * i);
            drop(c);
            let slow_start = cpu();
            let slow = parse_hcl_edit(F, &text).expect("valid");
            let slow_end = cpu();
            assert_eq!(slow.body.blocks.len(), 2 * i);
            let rate = |secs: f64| mb / secs.max(1e-9);
            println!(
                "{mb:.1} MiB ({}): parse_hcl {:.1} MiB/s; hcl-edit path alone {:.1} MiB/s",
                if with_for {
                    "with `for`"
                } else {
                    "export-like"
                },
                rate(end - start),
                rate(slow_end - slow_start),
            );
        }
    }
}
