//! Findings as data.
//!
//! A [`Diagnostic`] is what a rule found: which rule, how severe, where, and the other end of the
//! reference. Rules build them; reporters render them; neither does the other's job. Source text is
//! attached only when rendering (as oxc does), so a diagnostic is small and cheap to sort.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::rules::RuleMeta;
use crate::source::Span;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An org object known only from live state (a snapshot), with no text to underline.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct OrgObject {
    /// `queue`, `wrapup-code`, `oauth-client`, ...
    pub kind: Cow<'static, str>,
    pub id: String,
    pub name: Option<String>,
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// A byte range in a loaded file.
    Source(Span),
    /// An org object from a snapshot.
    Org(OrgObject),
}

/// A secondary location: the other end of a cross-reference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Label {
    pub location: Location,
    pub message: Cow<'static, str>,
}

/// One finding.
#[must_use]
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    /// The effective severity (the rule's default unless configuration changed it).
    pub severity: Severity,
    /// One lowercase line, no trailing period; identifiers in backticks.
    pub message: Cow<'static, str>,
    pub location: Location,
    /// Text for the primary label (shown under the underlined span).
    pub label: Option<Cow<'static, str>>,
    pub related: Vec<Label>,
    /// How to fix it.
    pub help: Option<Cow<'static, str>>,
    /// Context, e.g. which of several state inputs a fact came from.
    pub notes: Vec<Cow<'static, str>>,
    /// The Terraform address (or flow path) the finding belongs to; keys baselines so that line moves
    /// do not break them.
    pub subject: Option<String>,
    /// What a baseline fingerprints in place of the message, when the message depends on where
    /// cxlint runs (a path shown relative to the working directory): a baseline is committed
    /// and read from other directories.
    pub fingerprint_message: Option<Cow<'static, str>>,
}

impl Diagnostic {
    pub fn new(
        rule: &'static RuleMeta,
        message: impl Into<Cow<'static, str>>,
        at: Location,
    ) -> Self {
        Diagnostic {
            rule,
            severity: rule.default,
            message: message.into(),
            location: at,
            label: None,
            related: Vec::new(),
            help: None,
            notes: Vec::new(),
            subject: None,
            fingerprint_message: None,
        }
    }

    /// A finding at a span in a file.
    pub fn at(rule: &'static RuleMeta, message: impl Into<Cow<'static, str>>, span: Span) -> Self {
        Self::new(rule, message, Location::Source(span))
    }

    pub fn label(mut self, text: impl Into<Cow<'static, str>>) -> Self {
        self.label = Some(text.into());
        self
    }

    pub fn related(mut self, location: Location, message: impl Into<Cow<'static, str>>) -> Self {
        self.related.push(Label {
            location,
            message: message.into(),
        });
        self
    }

    pub fn related_span(self, span: Span, message: impl Into<Cow<'static, str>>) -> Self {
        self.related(Location::Source(span), message)
    }

    pub fn help(mut self, text: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(text.into());
        self
    }

    pub fn note(mut self, text: impl Into<Cow<'static, str>>) -> Self {
        self.notes.push(text.into());
        self
    }

    /// The object the finding is about (its address); any string form, shared ones included.
    pub fn subject(mut self, subject: impl AsRef<str>) -> Self {
        self.subject = Some(subject.as_ref().to_owned());
        self
    }

    /// Sets the `fingerprint_message` field.
    pub fn fingerprint_message(mut self, text: impl Into<Cow<'static, str>>) -> Self {
        self.fingerprint_message = Some(text.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn span(&self) -> Option<Span> {
        match &self.location {
            Location::Source(s) => Some(*s),
            Location::Org(_) => None,
        }
    }

    /// Every place in a file the finding names: its own, then its related locations'.
    pub fn spans(&self) -> impl Iterator<Item = Span> + '_ {
        (self.span().into_iter()).chain(self.related.iter().filter_map(|r| match &r.location {
            Location::Source(s) => Some(*s),
            Location::Org(_) => None,
        }))
    }

    /// The sort key: file, offset, code (INTERFACE.md), then message for full determinism.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (&self.location, self.rule.code, &self.message)
    }
}

/// Sort and de-duplicate findings as every output needs them.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup_by(|a, b| {
        a.location == b.location && a.rule.code == b.rule.code && a.message == b.message
    });
}

/// Counts by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(diags: &[Diagnostic]) -> Self {
        let mut c = Counts::default();
        for d in diags {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}
