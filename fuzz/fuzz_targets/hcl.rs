//! Fuzz `cxlint::load::hcl::parse_hcl`: any text gives a configuration with spans inside it, or a well-formed error.

#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = invariants::utf8(data) else { return };
    match cxlint::load::hcl::parse_hcl(invariants::FILE, text) {
        Ok(cfg) => invariants::check_body_spans(&cfg.body, text),
        Err(e) => invariants::check_error(&e, text),
    }
});
