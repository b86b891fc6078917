//! Baselines: record today's findings (`--write-baseline`), hide them later (`--baseline`).
//!
//! An entry is keyed by the finding's file, its subject (Terraform address or flow path), its
//! rule, and a fingerprint of the offending source text (with all whitespace removed) plus the message.
//! Line numbers are deliberately not part of the key, so inserting or moving lines above a finding
//! does not break the baseline; changing the offending text or the message does, because then it
//! is arguably a different finding.
//!
//! Matching is a multiset: two identical findings need two entries. Entries that match nothing are
//! *stale*; they are returned so the caller can say that the baseline can be rewritten.
//!
//! The file is versioned JSON, sorted, and written atomically (temp file + rename), so a
//! baseline is reviewable in a diff and never half-written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use miette::{Diagnostic as MietteDiagnostic, NamedSource, SourceOffset, SourceSpan};
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location};
use crate::source::SourceMap;

/// The baseline format version this build reads and writes.
pub const BASELINE_VERSION: u32 = 1;

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The file as loaded (relative to the working directory, `/`-separated); absent for a
    /// finding about an org object known only from live state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The Terraform address or flow path the finding belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The rule's name.
    pub rule: String,
    /// 16 hex digits: FNV-1a 64 of the offending text (whitespace removed) and the message.
    pub fingerprint: String,
    /// The message, for people reading the file; not used for matching.
    pub message: String,
}

impl BaselineEntry {
    /// What matching compares (the message is informational only).
    fn key(&self) -> EntryKey {
        (
            self.file.clone(),
            self.subject.clone(),
            self.rule.clone(),
            self.fingerprint.clone(),
        )
    }

    fn of(d: &Diagnostic, sources: &SourceMap) -> Self {
        let (file, text) = match &d.location {
            Location::Source(span) => (
                sources
                    .try_get(span.file)
                    .map(|f| f.path.to_string_lossy().replace('\\', "/")),
                // All whitespace is dropped, so re-indenting or re-wrapping (`[a]` vs
                // `[\n  a\n]`) keeps the fingerprint.
                sources
                    .slice(*span)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>(),
            ),
            Location::Org(o) => (None, format!("org:{}:{}", o.kind, o.id)),
        };
        let fingerprint = format!(
            "{:016x}",
            fnv1a64(&[text.as_bytes(), b"\n", d.message.as_bytes()])
        );
        BaselineEntry {
            file,
            subject: d.subject.clone(),
            rule: d.rule.name.to_owned(),
            fingerprint,
            message: d.message.to_string(),
        }
    }
}

/// (file, subject, rule, fingerprint).
type EntryKey = (Option<String>, Option<String>, String, String);

/// FNV-1a, 64 bits: tiny, and stable across Rust versions and platforms (unlike `DefaultHasher`),
/// which a file kept in a repository needs.
fn fnv1a64(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in parts.iter().flat_map(|p| p.iter()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The file as stored.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    version: u32,
    entries: Vec<BaselineEntry>,
}

/// A set of recorded findings (a multiset: duplicates are kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    /// Sorted.
    pub entries: Vec<BaselineEntry>,
}

/// What applying a baseline did.
#[derive(Debug)]
pub struct Filtered {
    /// Findings not in the baseline.
    pub kept: Vec<Diagnostic>,
    /// How many findings the baseline hid.
    pub hidden: usize,
    /// Entries that matched no finding.
    pub stale: Vec<BaselineEntry>,
}

/// Why a baseline could not be read or written.
#[derive(Debug, thiserror::Error, MietteDiagnostic)]
pub enum BaselineError {
    #[error("cannot read baseline `{}`: {source}", path.display())]
    #[diagnostic(code(cxlint::baseline::read))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write baseline `{}`: {source}", path.display())]
    #[diagnostic(code(cxlint::baseline::write))]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidBaseline>),
}

/// A located error in a baseline file.
#[derive(Debug, thiserror::Error, MietteDiagnostic)]
#[error("{}:{line}:{column}: {message}", path.display())]
#[diagnostic(
    code(cxlint::baseline::invalid),
    help("rewrite it with `cxlint check --write-baseline FILE`")
)]
pub struct InvalidBaseline {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: SourceSpan,
}

impl Baseline {
    /// Record every finding.
    pub fn from_diagnostics(diags: &[Diagnostic], sources: &SourceMap) -> Self {
        // A parse failure is never hidden (INTERFACE.md: it "never passes silently"), so never
        // recorded: its entry would only ever be stale.
        let parse_error = crate::rules::parse_error::ParseError::META.name;
        let mut entries: Vec<_> = (diags.iter())
            .filter(|d| d.rule.name != parse_error)
            .map(|d| BaselineEntry::of(d, sources))
            .collect();
        entries.sort();
        Baseline { entries }
    }

    /// Read a baseline file; malformed JSON and unknown versions are located errors. `shown` is
    /// how messages name it (relative to the working directory).
    pub fn load(path: &Path, shown: &Path) -> Result<Self, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: shown.to_path_buf(),
            source,
        })?;
        Self::parse(shown, &text)
    }

    /// Parse a baseline document; `path` is used in messages only.
    pub fn parse(path: &Path, text: &str) -> Result<Self, BaselineError> {
        let invalid = |line: usize, column: usize, message: String| {
            let offset = SourceOffset::from_location(text, line, column);
            BaselineError::Invalid(Box::new(InvalidBaseline {
                path: path.to_path_buf(),
                line,
                column,
                message,
                src: NamedSource::new(path.display().to_string(), text.to_owned()),
                span: SourceSpan::new(offset, 0),
            }))
        };
        let doc: Document = serde_json::from_str(text)
            .map_err(|e| invalid(e.line().max(1), e.column().max(1), what_is_wrong(&e)))?;
        if doc.version != BASELINE_VERSION {
            let (line, column) = find_location(text, "\"version\"").unwrap_or((1, 1));
            let msg = format!(
                "unsupported baseline version {} (this cxlint reads version {BASELINE_VERSION})",
                doc.version
            );
            return Err(invalid(line, column, msg));
        }
        let mut entries = doc.entries;
        entries.sort();
        Ok(Baseline { entries })
    }

    /// The document as written: pretty, sorted, newline-terminated.
    pub fn to_json(&self) -> String {
        let mut entries = self.entries.clone();
        entries.sort();
        let doc = Document {
            version: BASELINE_VERSION,
            entries,
        };
        // Serialising strings and integers into a String cannot fail.
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Write to `path` through a temporary file in the same directory and a rename, so readers
    /// never see a half-written baseline and a failed write leaves the old one intact.
    pub fn write_atomic(&self, path: &Path) -> Result<(), BaselineError> {
        crate::atomic::write_atomic(path, self.to_json().as_bytes()).map_err(|source| {
            BaselineError::Write {
                path: path.to_path_buf(),
                source,
            }
        })
    }

    /// Hide the findings recorded here (each entry hides at most one finding) and return the
    /// entries that matched nothing.
    pub fn filter(&self, diags: Vec<Diagnostic>, sources: &SourceMap) -> Filtered {
        let mut remaining: HashMap<EntryKey, usize> = HashMap::new();
        for e in &self.entries {
            *remaining.entry(e.key()).or_default() += 1;
        }
        let mut kept = Vec::new();
        let mut hidden = 0;
        for d in diags {
            let entry = BaselineEntry::of(&d, sources);
            match remaining.get_mut(&entry.key()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    hidden += 1;
                }
                _ => kept.push(d),
            }
        }
        let mut stale = Vec::new();
        for e in &self.entries {
            if let Some(n) = remaining.get_mut(&e.key()) {
                if *n > 0 {
                    *n -= 1;
                    stale.push(e.clone());
                }
            }
        }
        Filtered {
            kept,
            hidden,
            stale,
        }
    }
}

/// A one-line warning about stale entries, or `None` when there are none.
pub fn stale_message(stale: &[BaselineEntry], path: &Path) -> Option<String> {
    let (entries, verb, them) = match stale.len() {
        0 => return None,
        1 => ("entry", "matches", "it"),
        _ => ("entries", "match", "them"),
    };
    Some(format!(
        "{} baseline {entries} in `{}` no longer {verb} any finding; \
         run `cxlint check --write-baseline {}` to drop {them}",
        stale.len(),
        path.display(),
        path.display(),
    ))
}

/// serde's message about a file that is not a baseline, in the file's own terms: serde names the
/// Rust types (`invalid length 0, expected struct Document with 2 elements`), which the user
/// never sees.
fn what_is_wrong(e: &serde_json::Error) -> String {
    // serde_json appends " at line L column C" itself; the caller locates the error.
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    if e.is_syntax() || e.is_eof() {
        return format!("not valid JSON: {msg}");
    }
    // What was found instead: serde's `invalid type: X, expected ...`; a derived struct also
    // takes a JSON array, and then complains about its length.
    let found = match msg.strip_prefix("invalid type: ") {
        Some(rest) => rest.split(", expected").next().unwrap_or(rest),
        None if msg.starts_with("invalid length") => "an array",
        None => "something else",
    };
    if msg.contains("struct Document") {
        return format!(
            "expected a baseline (an object with `version` and `entries`, as \
             `--write-baseline` writes), found {found}"
        );
    }
    if msg.contains("struct BaselineEntry") {
        return format!(
            "expected a baseline entry (an object with `rule`, `fingerprint` and `message`), \
             found {found}"
        );
    }
    if let Some(field) = msg.strip_prefix("missing field ") {
        let whose = match field {
            "`version`" | "`entries`" => "the baseline",
            _ => "a baseline entry",
        };
        return format!("{whose} has no {field}");
    }
    msg.to_owned()
}

/// 1-based line and column of the first occurrence of `needle`.
fn find_location(text: &str, needle: &str) -> Option<(usize, usize)> {
    let at = text.find(needle)?;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, col))
}

#[cfg(test)]
mod tests;
