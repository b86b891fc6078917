//! The typed org model (placeholder).

/// The org as configuration and state describe it.
#[derive(Debug, Default)]
pub struct Model {}
