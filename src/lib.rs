//! cxlint: a linter for Genesys Cloud CX as Code (Terraform) configurations.
//!
//! Pipeline: `discover` finds files, `load` parses each one into compact facts with spans (in
//! parallel, dropping syntax trees), `eval` resolves Terraform expressions, `model` builds the typed
//! org from configuration and state, `rules` check it, `report` renders the findings.

/// `eprintln!` that never panics: a closed standard error (`cxlint check 2>&1 | head -1`) must
/// not turn a run into a crash with exit code 101; what could not be said is lost.
///
/// Every message is one line, and the paths and names in it come from the user's files and org:
/// control characters in them are made visible ([`shown::text`]), so that a file name cannot
/// drive the terminal or start a line of its own.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        let _ = writeln!(std::io::stderr(), "{}", $crate::shown::text(&line));
    }};
}
pub(crate) use say;

pub mod api;
pub mod atomic;
pub mod baseline;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod confine;
pub mod diagnostic;
pub mod discover;
pub mod eval;
pub mod eval_budget;
pub mod eval_fileset;
pub mod eval_funcs;
pub mod eval_spelt_out;
pub mod eval_types;
pub mod init;
pub mod installed;
pub mod ir;
#[cfg(feature = "live")]
pub mod live;
pub mod load;
pub mod model;
pub mod report;
pub mod rules;
pub mod settings;
pub mod shown;
pub mod snapshot;
pub mod source;
pub mod state_input;
pub mod suggest;
pub mod suppress;
pub mod syntax_heap;
pub mod value;
pub mod velocity;
pub mod workspace;
