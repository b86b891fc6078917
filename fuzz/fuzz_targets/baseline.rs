//! Fuzz `cxlint::baseline::Baseline::parse`: any text gives a baseline or a located error inside the file.

#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

use std::path::Path;

use cxlint::baseline::{Baseline, BaselineError};

fuzz_target!(|data: &[u8]| {
    let Some(text) = invariants::utf8(data) else { return };
    match Baseline::parse(Path::new("cxlint-baseline.json"), text) {
        Ok(b) => {
            // What was read writes back and reads again to the same document.
            let again = Baseline::parse(Path::new("b"), &b.to_json()).expect("re-read");
            assert_eq!(again.to_json(), b.to_json());
        }
        Err(BaselineError::Invalid(e)) => {
            assert!(!e.message.trim().is_empty(), "empty baseline error message");
            let end = e.span.offset() + e.span.len();
            assert!(end <= text.len(), "baseline error span outside the file");
        }
        Err(other) => assert!(!other.to_string().is_empty()),
    }
});
