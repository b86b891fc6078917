//! cxlint: a linter for Genesys Cloud CX as Code (Terraform) configurations.
//!
//! Pipeline: `discover` finds files, `load` parses each one into compact facts with spans (in
//! parallel, dropping syntax trees), `eval` resolves Terraform expressions, `model` builds the typed
//! org from configuration and state, `rules` check it, `report` renders the findings.

pub mod api;
pub mod catalog;
pub mod diagnostic;
pub mod ir;
pub mod load;
pub mod model;
pub mod rules;
pub mod settings;
pub mod source;
pub mod value;
