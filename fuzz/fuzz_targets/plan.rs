//! Fuzz `cxlint::load::plan::parse_plan`: any text gives a state document with spans inside it, or a well-formed error.

#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = invariants::utf8(data) else { return };
    match cxlint::load::plan::parse_plan(invariants::FILE, text) {
        Ok(doc) => invariants::check_state_spans(&doc, text),
        Err(e) => invariants::check_error(&e, text),
    }
});
