//! Fuzz `cxlint::load::archy::parse_flow`: Architect flow YAML with a fixed set of substitutions (known, unknown, and one whose value brings in YAML syntax).

#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

/// libFuzzer hands out bytes; the loaders take the UTF-8 text the CLI would have read (invalid
/// UTF-8 never reaches them: `check::read_text` reports it first).
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

use cxlint::load::archy::{SubValue, parse_flow};
use cxlint::source::{FileId, Span};

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
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
});
