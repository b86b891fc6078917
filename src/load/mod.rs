//! Loaders: one input format per file, each turning text into compact facts with spans.
//!
//! - `hcl`, `tfjson`: Terraform configuration into [`crate::ir::ConfigFile`];
//! - `tfstate`, `plan`, `snapshot`: org state into [`StateDoc`];
//! - `archy`: Architect flow YAML into flow facts.
//!
//! A loader never aborts the run: it returns a [`LoadError`] with a span, which becomes a located
//! `parse-error` diagnostic while the other files are still checked.

use crate::source::Span;
use crate::value::Val;

/// Why a file could not be loaded, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct LoadError {
    /// The parser's message, lowercase, one line.
    pub message: String,
    /// Where parsing stopped (an empty span at the offset when only a position is known).
    pub span: Span,
    /// What the span shows, when not where parsing stopped.
    pub label: Option<&'static str>,
}

impl LoadError {
    /// A located error. Control characters in `message` are escaped (`\n`, `\u{1b}`): messages
    /// quote names from the file (JSON keys, resource types, flow types), and a line break or a
    /// terminal escape sequence there must neither break the one-line format nor reach a terminal.
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        let mut message = message.into();
        if message.contains(char::is_control) {
            message = message
                .chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_default().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
        }
        LoadError {
            message,
            span,
            label: None,
        }
    }

    /// The error, its span labelled `label` instead of "parsing stopped here".
    pub fn labelled(self, label: &'static str) -> Self {
        LoadError {
            label: Some(label),
            ..self
        }
    }

    /// What the span shows.
    pub fn label(&self) -> &'static str {
        self.label.unwrap_or("parsing stopped here")
    }
}

/// What kind of org-state input a file is (detected from content, never from the file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StateKind {
    /// `terraform.tfstate` version 4 (also what `genesyscloud_tf_export` leaves after upgrading).
    TfstateV4,
    /// Legacy version 3 state with flattened attribute keys (`wrapup_codes.# = "2"`).
    TfstateV3,
    /// `terraform show -json` output for a plan or state.
    Plan,
    /// A cxlint snapshot fetched from the Platform API.
    Snapshot,
    /// Configuration written by `genesyscloud_tf_export` (read as state: its resources exist).
    Export,
}

/// Whether a state entry is a managed resource or a data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    Managed,
    Data,
}

/// One org object as a state input describes it.
#[derive(Debug, Clone)]
pub struct StateResource {
    pub mode: Mode,
    /// Terraform resource type, e.g. `genesyscloud_routing_queue`.
    pub rtype: String,
    /// Full Terraform address, e.g. `module.q.genesyscloud_routing_queue.support["a"]`. For a
    /// snapshot object, a synthetic `type.<sanitised name>` address.
    pub address: String,
    /// The object's Genesys id (GUID), when the input records one.
    pub id: Option<String>,
    /// Provider-shaped attributes (as in v4 state: blocks are lists of objects); for v3 state the
    /// flattened keys are already unflattened. Spans point into the state file where available.
    pub attrs: Val,
    /// The entry in the state file (for locating findings); `None` for snapshot objects.
    pub span: Option<Span>,
}

/// One loaded state input.
#[derive(Debug, Clone)]
pub struct StateDoc {
    pub kind: StateKind,
    pub resources: Vec<StateResource>,
    /// Listings the input says are missing or incomplete (a snapshot records a `403` on one listing
    /// this way), as Terraform resource types: facts of these types are unknown, not absent.
    pub incomplete_types: Vec<String>,
    /// Objects a plan destroys (`actions = ["delete"]`): gone after apply, so a name or id of
    /// theirs that the configuration still uses is known to be missing, not merely unlisted.
    pub deleted: Vec<Deleted>,
}

/// An object a plan destroys, as its `change.before` describes it.
#[derive(Debug, Clone)]
pub struct Deleted {
    pub rtype: String,
    pub address: String,
    pub id: Option<String>,
    pub name: Option<String>,
}

/// `text` with a leading UTF-8 byte-order mark (Windows editors write one) replaced by as many
/// spaces: Terraform ignores it, and every span stays an offset into the file as it is. The
/// copy is made only for such a file.
pub fn blank_bom(text: &str) -> std::borrow::Cow<'_, str> {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => format!("   {rest}").into(),
        None => text.into(),
    }
}

pub mod archy;
pub mod depth;
pub mod detect;
pub mod hcl;
pub mod json;
pub mod plan;
pub mod scripts;
pub mod tfjson;
pub mod tfstate;
pub mod time_limit;

/// For the loaders' tests: the text a span or a range of the syntax covers.
#[cfg(test)]
pub(crate) mod test_text {
    use crate::source::{FileId, Loc, Span};

    /// Something located in a loaded file.
    pub trait Located {
        /// Its range, once its file is checked to be `file` (a range of the syntax has none).
        fn range_in(&self, file: FileId) -> std::ops::Range<usize>;
    }

    impl Located for Span {
        fn range_in(&self, file: FileId) -> std::ops::Range<usize> {
            assert_eq!(self.file, file, "span in the wrong file");
            self.range()
        }
    }

    impl Located for Loc {
        fn range_in(&self, _: FileId) -> std::ops::Range<usize> {
            self.range()
        }
    }

    /// The text at `at` of `text`, the text of `file`.
    pub fn slice(text: &str, file: FileId, at: impl Located) -> &str {
        &text[at.range_in(file)]
    }
}
