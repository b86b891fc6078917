//! Fuzz `cxlint::load::json::parse_json` (the span-keeping reader under every state loader) and the content sniffing that picks a state loader.

#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

/// libFuzzer hands out bytes; the loaders take the UTF-8 text the CLI would have read (invalid
/// UTF-8 never reaches them: `check::read_text` reports it first).
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let _ = cxlint::load::detect::detect(text);
    match cxlint::load::json::parse_json(invariants::FILE, text) {
        Ok(v) => {
            invariants::check_val_spans(&v, text);
            if let Some(s) = cxlint::load::json::key_span(text, &v) {
                invariants::check_span(s, text, "key");
            }
        }
        Err(e) => invariants::check_error(&e, text),
    }
});
