//! Settings (placeholder until `.cxlint.toml` support lands).

/// Per-rule settings handed to rules.
#[derive(Debug, Default, Clone)]
pub struct RuleSettings {}
