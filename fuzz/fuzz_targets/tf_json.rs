//! Fuzz `cxlint::load::tfjson`: the same text read as a `.tf.json` and as a `.tfvars.json` file.

#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = invariants::utf8(data) else { return };
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
