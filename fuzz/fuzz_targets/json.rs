//! Fuzz `cxlint::load::json::parse_json` (the span-keeping reader under every state loader) and the content sniffing that picks a state loader.

#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = invariants::utf8(data) else { return };
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
