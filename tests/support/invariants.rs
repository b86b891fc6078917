//! What every loader promises on any input, as assertions shared by the property tests
//! (`tests/properties.rs`) and the cargo-fuzz targets (`fuzz/fuzz_targets/*.rs`).
//!
//! A loader may reject any input, but its error must be usable: a non-empty one-line message and
//! a span inside the input, in the file it was given. What it accepts must only carry spans inside
//! the input: a span past the end would make a reporter panic or underline the wrong text later.
//! A failed assertion is a finding (proptest shrinks it, libFuzzer saves it).

#![allow(dead_code)]

use cxlint::ir::{Body, Expr, ExprKind, Index, Op, Root, TemplatePart};
use cxlint::load::LoadError;
use cxlint::source::{FileId, Loc, Span};

/// The file id handed to the loaders: not 0, so a loader that drops it is caught.
pub const FILE: FileId = FileId(7);

/// For the fuzz targets: libFuzzer hands out bytes, the loaders take the UTF-8 text the CLI would
/// have read (invalid UTF-8 never reaches them: `check::read_text` reports it first).
pub fn utf8(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Asserts that `e` is a well-formed error about `text` in [`FILE`].
pub fn check_error(e: &LoadError, text: &str) {
    assert!(!e.message.trim().is_empty(), "empty error message");
    assert!(
        !e.message.contains('\n'),
        "multi-line error message: {:?}",
        e.message
    );
    check_span(e.span, text, "error");
}

/// Asserts that `s` lies inside `text` (in [`FILE`]), with `start <= end`.
pub fn check_span(s: Span, text: &str, what: &str) {
    assert_eq!(s.file, FILE, "{what} span {s:?} is in another file");
    assert!(
        s.start <= s.end && s.end as usize <= text.len(),
        "{what} span {}..{} outside the input of {} bytes",
        s.start,
        s.end,
        text.len()
    );
}

/// Asserts that `l` lies inside `text`, with `start <= end` (the file is the enclosing block's).
pub fn check_loc(l: Loc, text: &str, what: &str) {
    check_span(l.in_file(FILE), text, what);
}

/// Asserts that every span in a loaded configuration lies inside `text`.
pub fn check_body_spans(body: &Body, text: &str) {
    for a in &body.attrs {
        check_loc(a.span(), text, "attribute");
        check_loc(a.name.span, text, "attribute name");
        check_expr_spans(&a.expr, text);
    }
    for b in &body.blocks {
        check_span(b.span, text, "block");
        check_loc(b.ident.span, text, "block type");
        for l in &b.labels {
            check_loc(l.span, text, "block label");
        }
        check_body_spans(&b.body, text);
    }
}

fn check_template_spans(parts: &[TemplatePart], text: &str) {
    for p in parts {
        match p {
            TemplatePart::Literal(_) => {}
            TemplatePart::Interpolation(x) => check_expr_spans(x, text),
            TemplatePart::If(d) => {
                check_expr_spans(&d.cond, text);
                check_template_spans(&d.then, text);
                check_template_spans(&d.otherwise, text);
            }
            TemplatePart::For(d) => {
                if let Some(k) = &d.key_var {
                    check_loc(k.span, text, "template for key variable");
                }
                check_loc(d.value_var.span, text, "template for value variable");
                check_expr_spans(&d.collection, text);
                check_template_spans(&d.body, text);
            }
        }
    }
}

fn check_expr_spans(e: &Expr, text: &str) {
    check_loc(e.span, text, "expression");
    match &e.kind {
        ExprKind::Null
        | ExprKind::Bool(_)
        | ExprKind::Number(_)
        | ExprKind::String(_)
        | ExprKind::Variable(_)
        | ExprKind::Unsupported(_) => {}
        ExprKind::Template(parts) => check_template_spans(parts, text),
        ExprKind::Traversal(_) | ExprKind::Path(_) => {
            let t = e.traversal().expect("a traversal reads as one");
            match t.root {
                Root::Name(_, s) => check_loc(s, text, "traversal root"),
                Root::Expr(x) => check_expr_spans(x, text),
            }
            for op in &t.ops {
                check_loc(op.span(), text, "traversal step");
                if let Op::Index(Index::Expr(x)) = op {
                    check_expr_spans(x, text);
                }
            }
        }
        ExprKind::Array(items) => items.iter().for_each(|x| check_expr_spans(x, text)),
        ExprKind::Object(items) => {
            for (k, v) in items {
                check_expr_spans(k, text);
                check_expr_spans(v, text);
            }
        }
        ExprKind::Call(c) => {
            check_loc(c.name.span, text, "function name");
            c.args.iter().for_each(|x| check_expr_spans(x, text));
        }
        ExprKind::For(f) => {
            if let Some(k) = &f.key_var {
                check_loc(k.span, text, "for key variable");
            }
            check_loc(f.value_var.span, text, "for value variable");
            check_expr_spans(&f.collection, text);
            for x in [&f.key_expr, &f.cond].into_iter().flatten() {
                check_expr_spans(x, text);
            }
            check_expr_spans(&f.value_expr, text);
        }
        ExprKind::Conditional(xs) => xs.iter().for_each(|x| check_expr_spans(x, text)),
        ExprKind::Binary(_, xs) => xs.iter().for_each(|x| check_expr_spans(x, text)),
        ExprKind::Unary(_, x) => check_expr_spans(x, text),
    }
}

/// Asserts that every span in a value parsed from `text` (JSON, state attributes) lies inside it.
pub fn check_val_spans(v: &cxlint::value::Val, text: &str) {
    use cxlint::value::V;
    if let Some(s) = v.span {
        check_span(s, text, "value");
    }
    match &v.v {
        V::List(items) => items.iter().for_each(|x| check_val_spans(x, text)),
        V::Object(fields) => fields.values().for_each(|x| check_val_spans(x, text)),
        _ => {}
    }
}

/// Asserts that a loaded state document's spans lie inside `text`.
pub fn check_state_spans(doc: &cxlint::load::StateDoc, text: &str) {
    for r in &doc.resources {
        if let Some(s) = r.span {
            check_span(s, text, "state resource");
        }
        check_val_spans(&r.attrs, text);
    }
}

/// Asserts that every finding is well-formed: a message, and spans inside the files it names.
pub fn check_diagnostics(
    diags: &[cxlint::diagnostic::Diagnostic],
    sources: &cxlint::source::SourceMap,
) {
    use cxlint::diagnostic::Location;
    let in_sources = |loc: &Location, what: &str| {
        if let Location::Source(s) = loc {
            assert!(
                (s.file.0 as usize) < sources.len(),
                "{what} span {s:?} names a file that was never loaded"
            );
            let len = sources.get(s.file).len() as usize;
            assert!(
                s.start <= s.end && s.end as usize <= len,
                "{what} span {}..{} outside its file of {len} bytes",
                s.start,
                s.end
            );
        }
    };
    for d in diags {
        assert!(
            !d.message.trim().is_empty(),
            "empty message from {}",
            d.rule.name
        );
        in_sources(&d.location, d.rule.name);
        for l in &d.related {
            in_sources(&l.location, d.rule.name);
        }
    }
}

/// Renders the findings in every output format (the reporters must not panic either).
pub fn render_all(diags: &[cxlint::diagnostic::Diagnostic], sources: &cxlint::source::SourceMap) {
    use cxlint::report::{Format, ReportContext};
    let rules: Vec<_> = cxlint::rules::ALL_RULES.iter().map(|r| r.meta()).collect();
    let cx = ReportContext {
        sources,
        files_checked: sources.len(),
        rules: &rules,
        color: false,
        tool_version: "0.0.0",
        quiet: false,
        incomplete: false,
    };
    for format in Format::ALL {
        let mut out = Vec::new();
        format
            .reporter()
            .report(&mut out, diags, &cx)
            .expect("writing to memory cannot fail");
    }
}
