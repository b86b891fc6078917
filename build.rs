//! Build-time work: the embedded API catalog's tables, and the binary's link order.
//!
//! The catalog: turns `data/api-catalog.tsv` into integer tables at build time, so that no run
//! parses the text or builds the "did you mean" index (about 10 ms of CPU per run). The grammar
//! and the derivations live in `src/catalog/tables.rs`, which the crate's tests exercise through
//! the same path; see there for the layout.
//!
//! The link order: `tools/symbol-order/order.txt` lists the functions a check runs; a linker
//! that takes a symbol ordering file (lld, mold) lays them out together (see
//! `tools/symbol-order/README.md`).

use std::path::PathBuf;
use std::process::{Command, Stdio};

#[path = "src/catalog/tables.rs"]
mod tables;

fn main() {
    catalog_tables();
    symbol_order();
}

fn catalog_tables() {
    const TEXT: &str = "data/api-catalog.tsv";
    println!("cargo::rerun-if-changed={TEXT}");
    println!("cargo::rerun-if-changed=src/catalog/tables.rs");
    let text = std::fs::read_to_string(TEXT).unwrap_or_else(|e| panic!("cannot read {TEXT}: {e}"));
    // The artifact is generated (tools/gen-catalog); a malformed line is a generator defect.
    let raw = tables::parse(&text).unwrap_or_else(|e| panic!("{TEXT}: {e}"));
    std::fs::write(
        out_dir().join("catalog-tables.bin"),
        tables::encode(&text, &raw),
    )
    .expect("cannot write the catalog tables");
}

fn out_dir() -> PathBuf {
    PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
}

/// Hand the binary's link order to the linker, when the linker takes it: lld (Rust's default
/// linker on x86_64 Linux since 1.90) and mold do, GNU ld, Apple's ld and MSVC's link do not,
/// and an option a linker does not know fails the link. So a trivial program is linked with it
/// first, by the same compiler, for the same target, with the same flags and linker: only if
/// that links is the option used. Names the file does not match (another toolchain, changed
/// code) are passed over by the linker, which then leaves those functions where they were.
fn symbol_order() {
    const ORDER: &str = "tools/symbol-order/order.txt";
    println!("cargo::rerun-if-changed={ORDER}");
    for var in ["RUSTC", "TARGET", "CARGO_ENCODED_RUSTFLAGS", "RUSTC_LINKER"] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let order = manifest.join(ORDER);
    if !order.is_file() {
        return;
    }
    let args = [
        format!("-Wl,--symbol-ordering-file={}", order.display()),
        "-Wl,--no-warn-symbol-ordering".to_owned(),
    ];
    if links_with(&args) {
        for a in args {
            println!("cargo::rustc-link-arg-bins={a}");
        }
    }
}

/// Whether a trivial program links with these linker arguments.
fn links_with(link_args: &[String]) -> bool {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let (Some(rustc), Some(target)) = (env("RUSTC"), env("TARGET")) else {
        return false;
    };
    let dir = out_dir().join("link-probe");
    if std::fs::create_dir_all(&dir).is_err() {
        return false;
    }
    let source = dir.join("probe.rs");
    if std::fs::write(&source, "fn main() {}\n").is_err() {
        return false;
    }
    let mut cmd = Command::new(rustc);
    cmd.args([
        "--crate-type",
        "bin",
        "--edition",
        "2021",
        "--target",
        &target,
    ])
    .arg("-o")
    .arg(dir.join("probe"))
    .arg(&source);
    // The flags and linker the real build uses (`.cargo/config.toml`, `RUSTFLAGS`).
    if let Some(flags) = env("CARGO_ENCODED_RUSTFLAGS") {
        cmd.args(flags.split('\u{1f}'));
    }
    if let Some(linker) = env("RUSTC_LINKER") {
        cmd.arg(format!("-Clinker={linker}"));
    }
    for a in link_args {
        cmd.arg(format!("-Clink-arg={a}"));
    }
    let linked = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let _ = std::fs::remove_dir_all(&dir);
    linked
}
