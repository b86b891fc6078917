//! The rules: metadata, the [`Rule`] trait, the registry and selection.
//!
//! One rule per file. Each file declares its metadata and documentation with [`declare_rule!`]
//! (the doc comment *is* the documentation that `cxlint explain` prints and `docs/rules/` holds),
//! and implements [`Rule::check`], a pure function of the model: rules never print and never do I/O.
//! Adding a rule = one file + one line in [`ALL_RULES`].

use crate::diagnostic::{Diagnostic, Severity};

/// Rule families; the first digit of the code (CX1xx references, 2xx naming, 3xx security and
/// access, 4xx automation and API use, 9xx loading and hygiene).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    References,
    Naming,
    Access,
    Automation,
    Hygiene,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::References => "references",
            Category::Naming => "naming",
            Category::Access => "access",
            Category::Automation => "automation",
            Category::Hygiene => "hygiene",
        }
    }
}

/// What is known about a rule without running it.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// `CX` + three digits; stable, never reused.
    pub code: &'static str,
    /// kebab-case; reads as "allow *name*".
    pub name: &'static str,
    pub category: Category,
    pub default: Severity,
    /// The rule's documentation in Markdown (from its doc comment).
    pub docs: &'static str,
}

impl RuleMeta {
    /// The first line of `## What it does`, for `cxlint rules`.
    pub fn summary(&self) -> &'static str {
        let mut lines = self.docs.lines().map(str::trim);
        lines.find(|l| l.starts_with("## What it does"));
        lines.find(|l| !l.is_empty()).unwrap_or("")
    }

    /// Where the rule's documentation is published.
    pub fn url(&self) -> String {
        format!("{DOCS_BASE}/{}.md", self.name)
    }
}

/// Base URL of the rule documentation (`docs/rules/<name>.md` in the repository).
pub const DOCS_BASE: &str = "https://github.com/cxlint/cxlint/blob/main/docs/rules";

/// Declare a rule's unit struct and its [`RuleMeta`] from a doc comment, as clippy does: the docs are
/// data, so `cxlint explain` and the generated docs can never drift from the code.
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $d:literal])* $ty:ident, $code:literal, $name:literal, $cat:ident, $sev:ident) => {
        $(#[doc = $d])*
        #[derive(Debug, Default, Clone, Copy)]
        pub struct $ty;
        impl $ty {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                code: $code,
                name: $name,
                category: $crate::rules::Category::$cat,
                default: $crate::diagnostic::Severity::$sev,
                docs: concat!($($d, "\n",)*),
            };
        }
    };
}

/// Everything a rule may look at.
pub struct Context<'a> {
    pub model: &'a crate::model::Model,
    pub settings: &'a crate::settings::RuleSettings,
}

/// A check over the model.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Push findings to `out`. Must not print, do I/O or panic on user data.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

pub mod parse_error;

/// Every rule, in code order. One line per rule.
pub static ALL_RULES: &[&dyn Rule] = &[&parse_error::ParseError];

/// Find a rule by name or code (case-insensitive).
pub fn find(name_or_code: &str) -> Option<&'static RuleMeta> {
    ALL_RULES.iter().map(|r| r.meta()).find(|m| {
        m.name.eq_ignore_ascii_case(name_or_code) || m.code.eq_ignore_ascii_case(name_or_code)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for r in ALL_RULES {
            let m = r.meta();
            assert!(codes.insert(m.code), "duplicate code {}", m.code);
            assert!(names.insert(m.name), "duplicate name {}", m.name);
            assert!(
                m.code.len() == 5 && m.code.starts_with("CX"),
                "bad code {}",
                m.code
            );
            assert!(
                m.code[2..].chars().all(|c| c.is_ascii_digit()),
                "bad code {}",
                m.code
            );
            assert!(
                m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "name {} is not kebab-case",
                m.name
            );
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for r in ALL_RULES {
            let m = r.meta();
            for heading in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "Use instead:",
            ] {
                assert!(m.docs.contains(heading), "{} docs lack `{heading}`", m.name);
            }
            assert!(
                m.summary().starts_with("Checks"),
                "{} summary must start with `Checks`",
                m.name
            );
        }
    }
}
