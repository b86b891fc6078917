//! Baselines: record today's findings (`--write-baseline`), hide them later (`--baseline`).
//!
//! An entry is keyed by the finding's file, its subject (Terraform address or flow path), its
//! rule, and a fingerprint of the offending source text (with all whitespace removed) plus the message.
//! Line numbers are deliberately not part of the key, so inserting or moving lines above a finding
//! does not break the baseline; changing the offending text or the message does, because then it
//! is arguably a different finding.
//!
//! The file is committed and shared, so its key holds nothing that depends on where cxlint runs:
//! an entry's file is relative to the baseline's own directory (format version 2; version 1,
//! still read, stored it relative to the working directory of the run that wrote it, and only
//! matched from there), and a message that shows a path relative to the working directory is
//! fingerprinted without it (the `fingerprint_message` of a [`Diagnostic`]).
//!
//! Matching is a multiset: two identical findings need two entries. Entries that match nothing are
//! *stale*; they are returned so the caller can say that the baseline can be rewritten. Only
//! entries within what the run checked ([`Scope`]) can be stale: one for a rule that did not run
//! or a file that was not checked could not have matched, so it is left alone, and kept as it
//! was when the baseline is rewritten, as an unused suppression for a rule that did not run is
//! not reported either.
//!
//! The file is versioned JSON, sorted, and written atomically (temp file + rename), so a
//! baseline is reviewable in a diff and never half-written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use miette::{Diagnostic as MietteDiagnostic, NamedSource, SourceOffset, SourceSpan};
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location};
use crate::source::{FileId, SourceMap};

/// The baseline format version this build writes: entries' files are relative to the
/// baseline's directory.
pub const BASELINE_VERSION: u32 = 2;

/// The version whose entries' files are relative to the working directory of the run that wrote
/// them; still read (with its keys made as then), and rewritten as the current version.
const CWD_RELATIVE_VERSION: u32 = 1;

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The file, `/`-separated and relative to the baseline's directory (to the working
    /// directory in a version 1 baseline); absent for a finding in no file (about an org object
    /// known only from live state, or in a `--var` value).
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

/// Where a baseline file is, and where the run is: what the paths in each are relative to.
#[derive(Debug, Clone)]
pub struct Place {
    /// The run's working directory, which the source map's paths are relative to.
    cwd: PathBuf,
    /// The baseline's directory, which its entries' paths are relative to.
    dir: PathBuf,
}

impl Place {
    /// A baseline at `file` (absolute, or relative to `cwd`) for a run in `cwd`.
    pub fn new(file: &Path, cwd: &Path) -> Place {
        let file = crate::workspace::normalize(&cwd.join(file));
        let dir = file
            .parent()
            .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
        Place {
            cwd: cwd.to_path_buf(),
            dir,
        }
    }

    /// A path as the source map shows it (relative to the working directory) as an entry of
    /// this baseline stores it: relative to the baseline's directory, `/`-separated. (Only a
    /// file on another drive than the baseline has no such path; it keeps the absolute one.)
    fn entry_path(&self, shown: &Path) -> String {
        let abs = crate::workspace::normalize(&self.cwd.join(shown));
        slashed(&crate::source::display_path(&abs, &self.dir))
    }
}

fn slashed(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Makes the entries of findings, as a baseline of one version at one place stores them.
struct Keyer<'a> {
    sources: &'a SourceMap,
    place: &'a Place,
    /// A version 1 baseline: paths as the source map shows them, and every message fingerprinted
    /// as shown (as that version did).
    cwd_relative: bool,
    /// Each file's entry path, made once (it may look at the file system; see `display_path`).
    paths: HashMap<FileId, Option<String>>,
}

impl<'a> Keyer<'a> {
    fn new(sources: &'a SourceMap, place: &'a Place, version: u32) -> Self {
        Keyer {
            sources,
            place,
            cwd_relative: version == CWD_RELATIVE_VERSION,
            paths: HashMap::new(),
        }
    }

    /// The directory this baseline's entry paths are relative to.
    fn base(&self) -> &Path {
        match self.cwd_relative {
            true => &self.place.cwd,
            false => &self.place.dir,
        }
    }

    /// A source-map path (relative to the working directory) as this baseline stores it.
    fn path(&self, shown: &Path) -> String {
        match self.cwd_relative {
            true => slashed(shown),
            false => self.place.entry_path(shown),
        }
    }

    fn entry(&mut self, d: &Diagnostic) -> BaselineEntry {
        let (file, text) = match &d.location {
            Location::Source(span) => {
                let file = match self.paths.get(&span.file) {
                    Some(file) => file.clone(),
                    None => {
                        let file = (self.sources.try_get(span.file)).map(|f| self.path(&f.path));
                        self.paths.insert(span.file, file.clone());
                        file
                    }
                };
                (
                    file,
                    // All whitespace is dropped, so re-indenting or re-wrapping (`[a]` vs
                    // `[\n  a\n]`) keeps the fingerprint.
                    (self.sources.slice(*span).chars())
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>(),
                )
            }
            Location::Org(o) => (None, format!("org:{}:{}", o.kind, o.id)),
        };
        let fingerprinted = match (&d.fingerprint_message, self.cwd_relative) {
            (Some(m), false) => m,
            _ => &d.message,
        };
        let fingerprint = format!(
            "{:016x}",
            fnv1a64(&[text.as_bytes(), b"\n", fingerprinted.as_bytes()])
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

/// What a run checked. An entry outside it could not have matched a finding: it is not stale,
/// and rewriting the baseline keeps it as it was.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Names of the rules that did not run (`--select`, `--ignore`, `"off"`; `unused-suppression`
    /// with `--no-inline-ignores`).
    pub rules_not_run: HashSet<&'static str>,
    /// The files whose findings the run reports, as the source map shows them (relative to the
    /// working directory); `None`: every file. A file the run did not read, left out of the
    /// report (files named on the command line, `--changed-since`) or could not parse is not
    /// among them.
    pub files: Option<HashSet<PathBuf>>,
    /// The paths the run was asked to check (absolute when the working directory is): the
    /// directories walked and the files named. An entry for a file below one of them that the
    /// run did not come across at all (deleted, renamed, excluded since) is within the scope,
    /// though not among [`Self::files`]: nothing can match it any more, and an entry kept as
    /// "not checked" would never go away. Empty with `--changed-since`, whose report covers
    /// only the files a change touched.
    pub roots: Vec<PathBuf>,
    /// Every file the run came across, as the source map shows them: read, unreadable,
    /// unparsable, or read only for what it declares. Such a file exists: its entries are
    /// within the scope only when it is among [`Self::files`].
    pub seen: HashSet<PathBuf>,
    /// Whether a finding in no file (an org object known only from live state, a `--var`
    /// value) could have been reported.
    pub unfiled: bool,
}

impl Scope {
    /// Every rule and every file.
    pub fn everything() -> Scope {
        Scope {
            rules_not_run: HashSet::new(),
            files: None,
            roots: Vec::new(),
            seen: HashSet::new(),
            unfiled: true,
        }
    }

    /// Tells, for the entries of a baseline keyed by `keyer`, which are within this scope.
    fn of_entries(&self, keyer: &Keyer<'_>) -> impl Fn(&BaselineEntry) -> bool + '_ {
        let files: Option<HashSet<String>> =
            (self.files.as_ref()).map(|files| files.iter().map(|f| keyer.path(f)).collect());
        let seen: HashSet<String> = self.seen.iter().map(|f| keyer.path(f)).collect();
        let base = keyer.base().to_path_buf();
        move |e| {
            !self.rules_not_run.contains(e.rule.as_str())
                && match (&e.file, &files) {
                    (None, _) => self.unfiled,
                    (Some(_), None) => true,
                    (Some(f), Some(files)) => {
                        files.contains(f) || (!seen.contains(f) && self.gone_below_a_root(&base, f))
                    }
                }
        }
    }

    /// Whether an entry's file (`f`, relative to `base`), which the run did not come across,
    /// is one a walk of the checked paths would have found: a configuration file or a flow's
    /// YAML below a directory checked, or a file named. A state, plan or snapshot file is read
    /// only when a run names it (`--state`), as a rule runs only when selected, and a module
    /// installed under `.terraform/` only after `terraform init`: their entries stay out of
    /// scope.
    fn gone_below_a_root(&self, base: &Path, f: &str) -> bool {
        let path = Path::new(f);
        let walked = crate::discover::FileKind::of(path).is_some()
            || (path.extension())
                .is_some_and(|x| x.eq_ignore_ascii_case("yaml") || x.eq_ignore_ascii_case("yml"));
        if !walked || path.components().any(|c| c.as_os_str() == ".terraform") {
            return false;
        }
        let abs = crate::workspace::normalize(&base.join(path));
        self.roots.iter().any(|r| abs.starts_with(r))
    }
}

/// The file as stored.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    version: u32,
    entries: Vec<BaselineEntry>,
}

/// A set of recorded findings (a multiset: duplicates are kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Baseline {
    /// The format version: what the entries' paths are relative to (see [`BASELINE_VERSION`]).
    pub version: u32,
    /// Sorted.
    pub entries: Vec<BaselineEntry>,
}

impl Default for Baseline {
    fn default() -> Self {
        Baseline {
            version: BASELINE_VERSION,
            entries: Vec::new(),
        }
    }
}

/// What applying a baseline did.
#[derive(Debug)]
pub struct Filtered {
    /// Findings not in the baseline.
    pub kept: Vec<Diagnostic>,
    /// How many findings the baseline hid.
    pub hidden: usize,
    /// Entries within the run's scope that matched no finding.
    pub stale: Vec<BaselineEntry>,
}

/// What rewriting a baseline gave.
#[derive(Debug)]
pub struct Rewritten {
    pub baseline: Baseline,
    /// Entries of this run's findings.
    pub recorded: usize,
    /// Entries of the old baseline kept because they were outside the run's scope.
    pub kept: usize,
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
    /// Record every finding, for a baseline at `place`.
    pub fn from_diagnostics(diags: &[Diagnostic], sources: &SourceMap, place: &Place) -> Self {
        let mut keyer = Keyer::new(sources, place, BASELINE_VERSION);
        let mut entries: Vec<_> = recordable(diags).map(|d| keyer.entry(d)).collect();
        entries.sort();
        Baseline {
            version: BASELINE_VERSION,
            entries,
        }
    }

    /// The baseline that `--write-baseline` puts in place of `self` (the file there before):
    /// this run's findings, and the entries outside the run's `scope` (rules that did not run,
    /// files not checked) as they were, but for those a finding of this run matched (now
    /// recorded afresh). A version 1 baseline's kept entries get paths relative to `place`.
    pub fn rewrite(
        &self,
        diags: &[Diagnostic],
        sources: &SourceMap,
        place: &Place,
        scope: &Scope,
    ) -> Rewritten {
        let fresh = Self::from_diagnostics(diags, sources, place);
        // Matched as the old file keys findings (a version 1 file, relative to the working
        // directory), so that a finding of this run takes the place of its old entry.
        let mut keyer = Keyer::new(sources, place, self.version);
        let keys: Vec<EntryKey> = recordable(diags).map(|d| keyer.entry(d).key()).collect();
        let in_scope = scope.of_entries(&keyer);
        let kept: Vec<BaselineEntry> = (self.unmatched(keys).into_iter())
            .filter(|e| !in_scope(e))
            .map(|e| {
                let mut e = e.clone();
                // A version 1 path is relative to the working directory, as the source map's.
                if self.version == CWD_RELATIVE_VERSION {
                    e.file = e.file.map(|f| place.entry_path(Path::new(&f)));
                }
                e
            })
            .collect();
        let (recorded, n_kept) = (fresh.entries.len(), kept.len());
        let mut entries = fresh.entries;
        entries.extend(kept);
        entries.sort();
        Rewritten {
            baseline: Baseline {
                version: BASELINE_VERSION,
                entries,
            },
            recorded,
            kept: n_kept,
        }
    }

    /// Read a baseline file; malformed JSON and unknown versions are located errors. `shown` is
    /// how messages name it (relative to the working directory).
    pub fn load(path: &Path, shown: &Path) -> Result<Self, BaselineError> {
        let text = crate::check::read_to_string_within(path, crate::check::MAX_FILE_BYTES)
            .map_err(|source| BaselineError::Read {
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
        if !(CWD_RELATIVE_VERSION..=BASELINE_VERSION).contains(&doc.version) {
            let (line, column) = find_location(text, "\"version\"").unwrap_or((1, 1));
            let msg = format!(
                "unsupported baseline version {} (this cxlint reads versions \
                 {CWD_RELATIVE_VERSION} to {BASELINE_VERSION})",
                doc.version
            );
            return Err(invalid(line, column, msg));
        }
        let mut entries = doc.entries;
        entries.sort();
        Ok(Baseline {
            version: doc.version,
            entries,
        })
    }

    /// The document as written: pretty, sorted, newline-terminated, in its own version (what
    /// its paths are relative to).
    pub fn to_json(&self) -> String {
        let mut entries = self.entries.clone();
        entries.sort();
        let doc = Document {
            version: self.version,
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

    /// Hide the findings recorded here (each entry hides at most one finding; the baseline is
    /// at `place`) and return the entries within `scope` that matched nothing.
    pub fn filter(
        &self,
        diags: Vec<Diagnostic>,
        sources: &SourceMap,
        place: &Place,
        scope: &Scope,
    ) -> Filtered {
        let mut remaining = self.counts();
        let mut keyer = Keyer::new(sources, place, self.version);
        let mut kept = Vec::new();
        let mut hidden = 0;
        for d in diags {
            match remaining.get_mut(&keyer.entry(&d).key()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    hidden += 1;
                }
                _ => kept.push(d),
            }
        }
        let in_scope = scope.of_entries(&keyer);
        let stale = (self.left(remaining).into_iter())
            .filter(|e| in_scope(e))
            .cloned()
            .collect();
        Filtered {
            kept,
            hidden,
            stale,
        }
    }

    /// How many entries have each key.
    fn counts(&self) -> HashMap<EntryKey, usize> {
        let mut counts: HashMap<EntryKey, usize> = HashMap::new();
        for e in &self.entries {
            *counts.entry(e.key()).or_default() += 1;
        }
        counts
    }

    /// The entries no key of `found` took (each key takes one entry).
    fn unmatched(&self, found: Vec<EntryKey>) -> Vec<&BaselineEntry> {
        let mut remaining = self.counts();
        for k in found {
            if let Some(n) = remaining.get_mut(&k) {
                *n = n.saturating_sub(1);
            }
        }
        self.left(remaining)
    }

    /// The entries `remaining` still counts (of entries with the same key, the first ones).
    fn left(&self, mut remaining: HashMap<EntryKey, usize>) -> Vec<&BaselineEntry> {
        let mut left = Vec::new();
        for e in &self.entries {
            if let Some(n) = remaining.get_mut(&e.key()) {
                if *n > 0 {
                    *n -= 1;
                    left.push(e);
                }
            }
        }
        left
    }
}

/// The findings a baseline records: all but parse failures, which are never hidden (INTERFACE.md:
/// one "never passes silently"), so an entry of one would only ever be stale.
fn recordable(diags: &[Diagnostic]) -> impl Iterator<Item = &Diagnostic> {
    let parse_error = crate::rules::parse_error::ParseError::META.name;
    diags.iter().filter(move |d| d.rule.name != parse_error)
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
