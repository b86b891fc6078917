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
    /// The one-line summary (`cxlint rules`, SARIF's `shortDescription`): the first sentence of
    /// `## What it does`, joined across the doc comment's lines.
    pub fn summary(&self) -> String {
        let mut lines = self.docs.lines().map(str::trim);
        lines.find(|l| l.starts_with("## What it does"));
        let paragraph: Vec<&str> = lines
            .skip_while(|l| l.is_empty())
            .take_while(|l| !l.is_empty())
            .collect();
        first_sentence(&paragraph.join(" ")).to_owned()
    }

    /// The documentation as Markdown: the doc comment without the space that each of its lines
    /// starts with (`/// text`).
    pub fn doc_markdown(&self) -> String {
        let lines: Vec<&str> = (self.docs.lines())
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect();
        lines.join("\n").trim_end().to_owned()
    }

    /// Where the rule's documentation is published.
    pub fn url(&self) -> String {
        format!("{DOCS_BASE}/{}.md", self.name)
    }
}

/// The text up to the first full stop that ends a sentence: not one in code (`*.tf`), inside
/// parentheses, or of an abbreviation (`e.g.`).
fn first_sentence(text: &str) -> &str {
    let (mut in_code, mut parens) = (false, 0u32);
    for (i, c) in text.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '(' if !in_code => parens += 1,
            ')' if !in_code => parens = parens.saturating_sub(1),
            '.' if !in_code && parens == 0 => {
                let (before, after) = (&text[..i], &text[i + 1..]);
                let ends = after.is_empty() || after.starts_with(' ');
                if ends && !before.ends_with("e.g") && !before.ends_with("i.e") {
                    return &text[..=i];
                }
            }
            _ => {}
        }
    }
    text
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
    pub sources: &'a crate::source::SourceMap,
    /// Literal secrets in the configuration, found once: `check` masks them in
    /// every report whatever rules run, and `hardcoded-secret` reports them.
    pub secrets: &'a [hardcoded_secret::Secret],
}

/// A check over the model.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Push findings to `out`. Must not print, do I/O or panic on user data.
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);

    /// Findings about the configuration as written, which need only the parsed configuration
    /// (same contract as `check`). They are computed beside the model build, whose module
    /// expansion and indexing are sequential and would otherwise leave a core idle, and the
    /// parsed configuration is freed after the build: `check` cannot see it. Most rules have
    /// none.
    fn check_workspace(&self, _ws: &crate::workspace::Workspace, _out: &mut Vec<Diagnostic>) {}
}

pub mod helpers;

pub mod api_method_not_allowed;
pub mod client_credentials_without_roles;
pub mod conversation_change_without_user_context;
pub mod current_user_endpoint;
pub mod duplicate_declaration;
pub mod duplicate_flow_name;
pub mod duplicate_queue_name;
pub mod duplicate_wrapup_code_name;
pub mod dynamic_reference;
pub mod flow_file_not_found;
pub mod hardcoded_secret;
pub mod invalid_json_template;
pub mod mandatory_wrapup_without_codes;
pub mod missing_flow_substitution;
pub mod missing_permission;
pub mod parse_error;
pub mod removed_api_endpoint;
pub mod scopes_ignored_for_client_credentials;
pub mod unassigned_wrapup_code;
pub mod unknown_api_endpoint;
pub mod unknown_oauth_scope;
pub mod unknown_permission;
pub mod unknown_queue;
pub mod unknown_request_field;
pub mod unknown_wrapup_code;
pub mod unresolved_reference;
pub mod unused_flow_substitution;
pub mod unused_suppression;
pub mod wrapup_code_not_assigned;

/// Every rule, in code order. One line per rule.
pub static ALL_RULES: &[&dyn Rule] = &[
    &wrapup_code_not_assigned::WrapupCodeNotAssigned,
    &unknown_wrapup_code::UnknownWrapupCode,
    &unknown_queue::UnknownQueue,
    &unresolved_reference::UnresolvedReference,
    &unassigned_wrapup_code::UnassignedWrapupCode,
    &mandatory_wrapup_without_codes::MandatoryWrapupWithoutCodes,
    &dynamic_reference::DynamicReference,
    &duplicate_declaration::DuplicateDeclaration,
    &duplicate_wrapup_code_name::DuplicateWrapupCodeName,
    &duplicate_flow_name::DuplicateFlowName,
    &duplicate_queue_name::DuplicateQueueName,
    &hardcoded_secret::HardcodedSecret,
    &unknown_oauth_scope::UnknownOauthScope,
    &client_credentials_without_roles::ClientCredentialsWithoutRoles,
    &scopes_ignored_for_client_credentials::ScopesIgnoredForClientCredentials,
    &missing_permission::MissingPermission,
    &unknown_permission::UnknownPermission,
    &conversation_change_without_user_context::ConversationChangeWithoutUserContext,
    &current_user_endpoint::CurrentUserEndpoint,
    &unknown_api_endpoint::UnknownApiEndpoint,
    &api_method_not_allowed::ApiMethodNotAllowed,
    &unknown_request_field::UnknownRequestField,
    &removed_api_endpoint::RemovedApiEndpoint,
    &invalid_json_template::InvalidJsonTemplate,
    &flow_file_not_found::FlowFileNotFound,
    &missing_flow_substitution::MissingFlowSubstitution,
    &unused_flow_substitution::UnusedFlowSubstitution,
    &parse_error::ParseError,
    &unused_suppression::UnusedSuppression,
];

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
            let summary = m.summary();
            assert!(
                summary.starts_with("Checks"),
                "{} summary must start with `Checks`",
                m.name
            );
            // A whole sentence, never a line of the doc comment cut off (`... is assigned to that`).
            assert!(
                summary.ends_with('.') && !summary.contains("  "),
                "{}: {summary}",
                m.name
            );
        }
    }

    #[test]
    fn the_summary_is_the_first_sentence_across_lines() {
        assert_eq!(
            first_sentence("Checks `a.b` (e.g. `x`. y) and c, e.g. d. Then more."),
            "Checks `a.b` (e.g. `x`. y) and c, e.g. d."
        );
        assert_eq!(first_sentence("No full stop"), "No full stop");
        let m = crate::rules::find("unknown-wrapup-code").expect("registered");
        assert_eq!(
            m.summary(),
            "Checks that every wrap-up code referenced by id, by data source, or by name (in \
             flows) exists: in the configuration, or in the org state given with `--state`."
        );
        for r in ALL_RULES {
            let md = r.meta().doc_markdown();
            assert!(
                md.starts_with("## What it does\n") && !md.contains("\n Checks"),
                "{md}"
            );
        }
    }
}
