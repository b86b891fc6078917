//! Fuzz `cxlint::load::hcl::parse_hcl`: any text gives a configuration with spans inside it, or a well-formed error.

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
    match cxlint::load::hcl::parse_hcl(invariants::FILE, text) {
        Ok(cfg) => invariants::check_body_spans(&cfg.body, text),
        Err(e) => invariants::check_error(&e, text),
    }
});
