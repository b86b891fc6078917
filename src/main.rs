//! The `cxlint` binary: all logic lives in the library (`cxlint::cli`), so tests can drive it.

use std::process::ExitCode;

// The IR and the model are millions of small allocations made on several threads: with mimalloc's
// per-thread heaps a 10 MB check took 0.30 s instead of 0.41 s with glibc malloc (bench/run.sh).
// It costs a C compile of one file, and only the binary uses it (the library leaves the choice
// to whoever embeds it).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    cxlint::cli::run()
}
