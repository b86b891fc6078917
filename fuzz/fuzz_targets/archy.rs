//! Fuzz `cxlint::load::archy::parse_flow`: Architect flow YAML with a fixed set of substitutions (known, unknown, and one whose value brings in YAML syntax).
//! Also the flow secret scanner (`hardcoded_secret::secrets_in_flow`), which `check` runs on
//! the same text whether it parses or not.

#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

use cxlint::load::archy::{SubValue, parse_flow};
use cxlint::source::{FileId, Span};

fuzz_target!(|data: &[u8]| {
    let Some(text) = invariants::utf8(data) else { return };
    // Substitution spans point into the `.tf` file, which is another file.
    let tf = Span::new(FileId(1), 0..1);
    let subs = [
        ("queue".to_owned(), SubValue::known("Support", tf)),
        (
            "nested".to_owned(),
            SubValue::known("{a: [b, {c: d}]}\n- x", tf),
        ),
        ("unknown".to_owned(), SubValue::unknown(tf)),
    ];
    if let Err(e) = parse_flow(invariants::FILE, text, &subs) {
        invariants::check_error(&e, text);
    }
    // Reporters slice the text at a secret's span to redact it: it must be inside, on
    // character boundaries.
    for s in cxlint::rules::hardcoded_secret::secrets_in_flow(invariants::FILE, text) {
        invariants::check_span(s.span, text, "flow secret");
        assert!(
            text.is_char_boundary(s.span.start as usize)
                && text.is_char_boundary(s.span.end as usize),
            "flow secret span {}..{} not on character boundaries",
            s.span.start,
            s.span.end
        );
    }
});
