//! Fuzz `cxlint::load::tfjson`: the same text read as a `.tf.json` and as a `.tfvars.json` file.

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
    for parse in [
        cxlint::load::tfjson::parse_tf_json,
        cxlint::load::tfjson::parse_tfvars_json,
    ] {
        match parse(invariants::FILE, text) {
            Ok(cfg) => invariants::check_body_spans(&cfg.body, text),
            Err(e) => invariants::check_error(&e, text),
        }
    }
});
