//! Turns the embedded API catalog (`data/api-catalog.tsv`) into integer tables at build time, so
//! that no run parses the text or builds the "did you mean" index (about 10 ms of CPU per run).
//! The grammar and the derivations live in `src/catalog/tables.rs`, which the crate's tests
//! exercise through the same path; see there for the layout.

#[path = "src/catalog/tables.rs"]
mod tables;

fn main() {
    const TEXT: &str = "data/api-catalog.tsv";
    println!("cargo::rerun-if-changed={TEXT}");
    println!("cargo::rerun-if-changed=src/catalog/tables.rs");
    let text = std::fs::read_to_string(TEXT).unwrap_or_else(|e| panic!("cannot read {TEXT}: {e}"));
    // The artifact is generated (tools/gen-catalog); a malformed line is a generator defect.
    let raw = tables::parse(&text).unwrap_or_else(|e| panic!("{TEXT}: {e}"));
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("catalog-tables.bin"), tables::encode(&text, &raw))
        .expect("cannot write the catalog tables");
}
