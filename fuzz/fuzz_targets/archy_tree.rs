//! Differential fuzzing of the Archy YAML fast path: whenever `tree::fast::parse` answers, saphyr
//! must build the same tree (nodes, their order, spans, scalar spans, root), checked by
//! `cxlint::load::archy::check_fast_path`, the comparison the fast path's unit tests use.

#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = invariants::utf8(data) else { return };
    if let Err(e) = cxlint::load::archy::check_fast_path(text) {
        panic!("the fast path and saphyr disagree: {e}");
    }
});
