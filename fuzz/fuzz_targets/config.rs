//! Fuzz `cxlint::settings::parse_config` (`.cxlint.toml`): any text gives settings or a located error inside the file.

#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

use std::path::Path;

use cxlint::settings::{ConfigError, parse_config};

fuzz_target!(|data: &[u8]| {
    let Some(text) = invariants::utf8(data) else { return };
    let lookup = |name: &str| cxlint::rules::find(name).map(|m| m.name);
    match parse_config(Path::new(".cxlint.toml"), text, Path::new("/p"), &lookup) {
        Ok(_) => {}
        Err(ConfigError::Invalid(e)) => {
            assert!(!e.message.trim().is_empty(), "empty config error message");
            assert!(
                e.line >= 1 && e.column >= 1,
                "0-based config error location"
            );
            let end = e.span.offset() + e.span.len();
            assert!(end <= text.len(), "config error span outside the file");
        }
        Err(other) => assert!(!other.to_string().is_empty()),
    }
});
