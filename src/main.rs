//! The `cxlint` binary: all logic lives in the library (`cxlint::cli`), so tests can drive it.

use std::process::ExitCode;

fn main() -> ExitCode {
    cxlint::cli::run()
}
