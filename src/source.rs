//! Source files and byte spans.
//!
//! Every fact cxlint learns keeps a [`Span`] into the file it came from, so every finding can be
//! located. Files are registered once in a [`SourceMap`]; their text is shared (`Arc<str>`) and never
//! copied. Line and column numbers are computed only when a reporter asks for them.
//!
//! A file read from disk need not keep its text once it is parsed: nothing reads it again
//! unless a finding is in it, and on a large configuration the texts are a sixth of the memory
//! while the model is built. Such a file is registered [`OnDisk`], and its text is read again
//! on first use (see [`SourceMap::load`]), checked to be what was parsed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use crate::diagnostic::{Diagnostic, Location};

/// Index of a file in the [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

impl FileId {
    /// The file of a value no file holds (`-var x=...`, `TF_VAR_x`): no map has it.
    pub const NONE: FileId = FileId(u32::MAX);
}

/// A byte range `start..end` in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Self {
        Span {
            file,
            start: clamp_u32(range.start),
            end: clamp_u32(range.end.max(range.start)),
        }
    }

    /// An empty span at the start of a file: for facts about a whole file.
    pub fn file_start(file: FileId) -> Self {
        Span {
            file,
            start: 0,
            end: 0,
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(&self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both (same file assumed; `self` wins otherwise).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// A sub-span `offset..offset+len` relative to this span's start, clamped to it.
    pub fn sub(self, offset: usize, len: usize) -> Span {
        let start = (self.start as usize + offset).min(self.end as usize);
        let end = (start + len).min(self.end as usize);
        Span::new(self.file, start..end)
    }
}

/// A byte range `start..end` in a file the context knows: what the syntax (`crate::ir`) stores.
///
/// Each expression and name of the syntax has one, and the syntax is most of the memory while
/// a large configuration is checked. A [`Span`] repeats the file in every node, and its 12 bytes
/// round every expression and name up to 40; these 8 make them 32. The file is the enclosing
/// block's ([`crate::ir::Block::span`]) or declaration's, and [`Loc::in_file`] makes the span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    pub start: u32,
    pub end: u32,
}

impl Loc {
    pub fn new(range: std::ops::Range<usize>) -> Self {
        Loc {
            start: clamp_u32(range.start),
            end: clamp_u32(range.end.max(range.start)),
        }
    }

    /// The span of this range in `file`.
    pub fn in_file(self, file: FileId) -> Span {
        Span {
            file,
            start: self.start,
            end: self.end,
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest range covering both.
    pub fn to(self, other: Loc) -> Loc {
        Loc {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

impl Span {
    /// The range, without the file.
    pub fn loc(&self) -> Loc {
        Loc {
            start: self.start,
            end: self.end,
        }
    }
}

fn clamp_u32(n: usize) -> u32 {
    // Files over 4 GiB are rejected at discovery; clamping keeps a bad span from panicking.
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A 1-based line and column, and the 0-based byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    /// 1-based, counted in Unicode scalar values as Terraform and editors do.
    pub column: u32,
    pub byte: u32,
}

/// Where a file's text can be read again, and what the file was when it was parsed: a file
/// changed since is noticed, instead of every finding in it being shown at the wrong place.
#[derive(Debug, Clone, PartialEq)]
pub struct OnDisk {
    pub path: PathBuf,
    pub len: u64,
    pub modified: Option<SystemTime>,
}

impl OnDisk {
    /// `None` unless `meta` is a regular file's (a pipe cannot be read twice).
    pub fn of(path: &Path, meta: &std::fs::Metadata) -> Option<OnDisk> {
        meta.is_file().then(|| OnDisk {
            path: path.to_path_buf(),
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }

    /// The text again, decoded as when it was first read (invalid UTF-8 replaced).
    fn read(&self, shown: &Path) -> Result<String, String> {
        let changed = || {
            format!(
                "`{}` changed while cxlint was running: its findings cannot be shown; run cxlint again",
                shown.display()
            )
        };
        let meta = std::fs::metadata(&self.path)
            .map_err(|e| format!("`{}` cannot be read again: {e}", shown.display()))?;
        if OnDisk::of(&self.path, &meta).as_ref() != Some(self) {
            return Err(changed());
        }
        #[cfg(test)]
        tests::count_read(&self.path);
        let bytes = std::fs::read(&self.path)
            .map_err(|e| format!("`{}` cannot be read again: {e}", shown.display()))?;
        if bytes.len() as u64 != self.len {
            return Err(changed());
        }
        Ok(String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }
}

/// What locating a span in a file needs of its text, kept when the text itself is let go: its
/// length, whether it is all ASCII (columns are then byte distances) and where its lines start.
/// That is all most formats need; only snippets and fingerprints read the text again.
#[derive(Debug, Clone)]
pub struct TextFacts {
    len: u32,
    ascii: bool,
    lines: LineIndex,
}

impl TextFacts {
    pub fn of(text: &str) -> Self {
        TextFacts {
            len: clamp_u32(text.len()),
            ascii: text.is_ascii(),
            lines: LineIndex::of(text),
        }
    }
}

/// Where a text's lines start, in about a byte a line: kept for every file of a run, whose lines
/// average 20-odd bytes (a `u32` a line was a twentieth of a large run's memory).
///
/// Each line's length is a byte (255 and up: the length is in `long`), and the start of every
/// [`LineIndex::STRIDE`]th line is kept whole, so no lookup adds up more than that many lengths.
#[derive(Debug, Clone)]
struct LineIndex {
    /// The start of lines 0, STRIDE, 2 * STRIDE, ...
    checkpoints: Vec<u32>,
    /// The length of every line but the last, terminator included, capped at [`u8::MAX`].
    lens: Vec<u8>,
    /// (line, length) of the lines whose length is capped in `lens`, by line.
    long: Vec<(u32, u32)>,
}

impl LineIndex {
    const STRIDE: usize = 32;

    fn of(text: &str) -> Self {
        let mut index = LineIndex {
            checkpoints: vec![0],
            lens: Vec::new(),
            long: Vec::new(),
        };
        let mut start = 0u32;
        for nl in memchr::memchr_iter(b'\n', text.as_bytes()) {
            let next = clamp_u32(nl + 1);
            let len = next - start;
            let line = index.lens.len();
            match u8::try_from(len) {
                Ok(l) if l < u8::MAX => index.lens.push(l),
                _ => {
                    index.lens.push(u8::MAX);
                    index.long.push((clamp_u32(line), len));
                }
            }
            if (line + 1) % Self::STRIDE == 0 {
                index.checkpoints.push(next);
            }
            start = next;
        }
        index.lens.shrink_to_fit();
        index.checkpoints.shrink_to_fit();
        index.long.shrink_to_fit();
        index
    }

    fn count(&self) -> usize {
        self.lens.len() + 1
    }

    fn len_of(&self, line: usize) -> u32 {
        match self.lens[line] {
            u8::MAX => {
                let at = self.long.partition_point(|&(l, _)| (l as usize) < line);
                self.long[at].1
            }
            l => u32::from(l),
        }
    }

    /// The start of 0-based line `line` (which must exist).
    fn start(&self, line: usize) -> u32 {
        let from = line / Self::STRIDE;
        let mut start = self.checkpoints[from];
        for l in from * Self::STRIDE..line {
            start += self.len_of(l);
        }
        start
    }

    /// The 0-based line holding `byte`, and that line's start.
    fn line_of(&self, byte: u32) -> (usize, u32) {
        let from = self.checkpoints.partition_point(|&c| c <= byte) - 1;
        let (mut line, mut start) = (from * Self::STRIDE, self.checkpoints[from]);
        while line + 1 < self.count() {
            let next = start + self.len_of(line);
            if next > byte {
                break;
            }
            (line, start) = (line + 1, next);
        }
        (line, start)
    }
}

/// One loaded file.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to users: relative to the working directory when below it.
    pub path: PathBuf,
    /// The text: kept from the first read, or read again on first use (see [`OnDisk`]).
    text: OnceLock<Arc<str>>,
    disk: Option<OnDisk>,
    len: u32,
    ascii: bool,
    /// Secrets to mask in the text when it is read again (see [`SourceMap::redact`]).
    redactions: Vec<Span>,
    /// Why the text could not be read again (it is then empty).
    failed: OnceLock<String>,
    /// Byte offset of each line's start: known from the first read when the text is let go,
    /// else computed on first use (most files of a large run have no finding).
    lines: OnceLock<LineIndex>,
}

impl SourceFile {
    /// A file whose text is kept.
    pub fn new(path: PathBuf, text: Arc<str>) -> Self {
        SourceFile {
            path,
            len: clamp_u32(text.len()),
            ascii: text.is_ascii(),
            text: OnceLock::from(text),
            disk: None,
            redactions: Vec::new(),
            failed: OnceLock::new(),
            lines: OnceLock::new(),
        }
    }

    /// A file whose text is read again from `disk` when first needed.
    fn on_disk(path: PathBuf, disk: OnDisk, facts: TextFacts) -> Self {
        SourceFile {
            path,
            text: OnceLock::new(),
            disk: Some(disk),
            len: facts.len,
            ascii: facts.ascii,
            redactions: Vec::new(),
            failed: OnceLock::new(),
            lines: OnceLock::from(facts.lines),
        }
    }

    /// The file's text (read again if it was let go; empty if that failed, see
    /// [`SourceMap::failures`]).
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| self.read_again())
    }

    /// [`Self::text`], shared.
    pub fn shared_text(&self) -> Arc<str> {
        self.text();
        self.text.get().cloned().unwrap_or_else(|| Arc::from(""))
    }

    /// [`Self::shared_text`] without keeping it: the text in memory, or else read again for the
    /// caller alone. A report that shows the files a few at a time holds only those few (the
    /// texts of every file with a finding, kept, were the largest part of a large run's peak).
    pub fn transient_text(&self) -> Arc<str> {
        match self.text.get() {
            Some(text) => Arc::clone(text),
            None => self.read_again(),
        }
    }

    /// The text read again from disk, masked (empty if that failed: [`SourceMap::failures`]
    /// then says why).
    fn read_again(&self) -> Arc<str> {
        let read = match &self.disk {
            Some(disk) => disk.read(&self.path),
            None => Ok(String::new()),
        };
        match read {
            Ok(text) if self.redactions.is_empty() => Arc::from(text),
            Ok(text) => Arc::from(mask(text, &self.redactions)),
            Err(why) => {
                let _ = self.failed.set(why);
                Arc::from("")
            }
        }
    }

    /// Whether the text is in memory now.
    pub fn is_loaded(&self) -> bool {
        self.text.get().is_some()
    }

    /// The text's length in bytes (known without it).
    pub fn len(&self) -> u32 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::of(self.text()))
    }

    /// `byte` clamped to the text and moved back to a char boundary.
    pub fn floor_char_boundary(&self, byte: u32) -> u32 {
        let byte = byte.min(self.len);
        if self.ascii {
            return byte;
        }
        let text = self.text();
        let mut b = (byte as usize).min(text.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        clamp_u32(b)
    }

    /// Where 1-based line `line` starts (the last line's start past the end).
    pub fn line_start(&self, line: u32) -> u32 {
        let lines = self.lines();
        lines.start((line as usize).saturating_sub(1).min(lines.count() - 1))
    }

    /// Line and column of a byte offset (clamped to the text, and to a char boundary).
    pub fn line_col(&self, byte: u32) -> LineCol {
        let byte = self.floor_char_boundary(byte);
        let (line_idx, line_start) = self.lines().line_of(byte);
        let column = match self.ascii {
            true => (byte - line_start) as usize + 1,
            false => {
                let before = self.text().get(line_start as usize..byte as usize);
                // A byte-order mark starting the file takes no column.
                let before = before.map(|t| match line_start {
                    0 => t.strip_prefix('\u{feff}').unwrap_or(t),
                    _ => t,
                });
                before.map_or(0, |t| t.chars().count()) + 1
            }
        };
        LineCol {
            line: clamp_u32(line_idx + 1),
            column: clamp_u32(column),
            byte,
        }
    }

    /// The number of chars before `byte` (the text is read only when it is not ASCII).
    pub fn char_offset(&self, byte: u32) -> usize {
        let byte = self.floor_char_boundary(byte);
        match self.ascii {
            true => byte as usize,
            false => self
                .text()
                .get(..byte as usize)
                .map_or(0, |t| t.chars().count()),
        }
    }

    /// The text of 1-based line `line`, without its line terminator.
    pub fn line_text(&self, line: u32) -> &str {
        self.line_text_in(self.text(), line)
    }

    /// [`Self::line_text`] in `text`, this file's text as [`Self::transient_text`] gave it.
    pub fn line_text_in<'t>(&self, text: &'t str, line: u32) -> &'t str {
        let idx = (line as usize).saturating_sub(1);
        let lines = self.lines();
        if idx >= lines.count() {
            return "";
        }
        let start = lines.start(idx) as usize;
        let end = match idx + 1 < lines.count() {
            true => start + lines.len_of(idx) as usize,
            false => text.len(),
        };
        text.get(start..end)
            .unwrap_or_default()
            .trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.lines().count()
    }

    pub fn slice(&self, span: Span) -> &str {
        let r = span.range();
        self.text().get(r).unwrap_or("")
    }
}

/// The files findings point into (their locations and related locations).
fn files_of(diags: &[Diagnostic]) -> impl Iterator<Item = FileId> + '_ {
    diags.iter().flat_map(|d| {
        let related = d.related.iter().map(|l| &l.location);
        std::iter::once(&d.location)
            .chain(related)
            .filter_map(|l| match l {
                Location::Source(s) => Some(s.file),
                Location::Org(_) => None,
            })
    })
}

/// `text` with the bytes of `spans` masked (surrounding quotes, byte offsets and line structure
/// kept).
fn mask(text: String, spans: &[Span]) -> String {
    let mut text = text.into_bytes();
    for span in spans {
        let mut r = span.range();
        if r.end > text.len() || r.start >= r.end {
            continue;
        }
        if r.end - r.start >= 2 && text[r.start] == b'"' && text[r.end - 1] == b'"' {
            r = r.start + 1..r.end - 1;
        }
        for b in &mut text[r] {
            if *b != b'\n' && *b != b'\r' {
                *b = b'*';
            }
        }
    }
    // Masking whole bytes of multi-byte characters can only produce ASCII; still valid UTF-8.
    String::from_utf8(text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Every file of a run, indexed by [`FileId`].
///
/// A map may start at a later id ([`SourceMap::after`]): files loaded on another thread while
/// the first ones are still being read get their ids ahead of time, and the two maps are joined
/// with [`SourceMap::append`].
#[derive(Debug, Default)]
pub struct SourceMap {
    /// The id of `files[0]`.
    base: u32,
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty map whose first file gets id `first`.
    pub fn after(first: usize) -> Self {
        SourceMap {
            base: clamp_u32(first),
            files: Vec::new(),
        }
    }

    /// Add the files of `tail`, which must start where this map ends.
    pub fn append(&mut self, tail: SourceMap) {
        assert_eq!(
            tail.base as usize,
            self.len(),
            "a map is appended where the other ends"
        );
        self.files.extend(tail.files);
    }

    fn next_id(&self) -> FileId {
        FileId(clamp_u32(self.len()))
    }

    fn index(&self, id: FileId) -> Option<usize> {
        id.0.checked_sub(self.base).map(|i| i as usize)
    }

    /// Register a file, keeping its text.
    pub fn add(&mut self, path: PathBuf, text: Arc<str>) -> FileId {
        let id = self.next_id();
        self.files.push(SourceFile::new(path, text));
        id
    }

    /// Register a parsed file whose text is let go: read again from `disk` when needed.
    pub fn add_unloaded(&mut self, path: PathBuf, disk: OnDisk, facts: TextFacts) -> FileId {
        let id = self.next_id();
        self.files.push(SourceFile::on_disk(path, disk, facts));
        id
    }

    /// The paths of the files, as shown (relative to the working directory when below it).
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|f| f.path.as_path())
    }

    /// Read the texts of the files `diags` point into, on every core: before something reads
    /// them all one after the other (snippets, fingerprints).
    pub fn load_for(&self, diags: &[Diagnostic]) {
        self.load(files_of(diags));
    }

    /// [`Self::load_for`], for the files read from `path` only: before it goes away (the
    /// snapshot `check --live` fetches into a temporary file).
    pub fn load_for_read_from(&self, diags: &[Diagnostic], path: &Path) {
        let read_from_path = |id: &FileId| {
            (self.try_get(*id).and_then(|f| f.disk.as_ref())).is_some_and(|d| d.path == path)
        };
        self.load(files_of(diags).filter(read_from_path));
    }

    /// Read the texts of `files` that are not in memory, on every core.
    pub fn load(&self, files: impl IntoIterator<Item = FileId>) {
        use rayon::prelude::*;
        let mut ids: Vec<FileId> = files.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        ids.par_iter().for_each(|&id| {
            if let Some(f) = self.try_get(id) {
                f.text();
            }
        });
    }

    /// Why files that were read again could not be (changed or gone since they were parsed).
    pub fn failures(&self) -> Vec<String> {
        (self.files.iter())
            .filter_map(|f| f.failed.get().cloned())
            .collect()
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        self.try_get(id).expect("a file id of this map")
    }

    pub fn try_get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(self.index(id)?)
    }

    /// How many ids are taken: the id the next file gets.
    pub fn len(&self) -> usize {
        self.base as usize + self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many files: a flow's YAML that several flows use, each with its substitutions, is
    /// registered once per flow but is one file.
    pub fn distinct_paths(&self) -> usize {
        let paths: std::collections::HashSet<&Path> =
            self.files.iter().map(|f| f.path.as_path()).collect();
        paths.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        let base = self.base as usize;
        self.files
            .iter()
            .enumerate()
            .map(move |(i, f)| (FileId(clamp_u32(base + i)), f))
    }

    /// Mask the text of `spans` (keeping surrounding quotes, byte offsets and line structure) so
    /// that no report can show it: for secrets found in the inputs. Each file is rebuilt once,
    /// however many secrets it holds.
    pub fn redact(&mut self, spans: impl IntoIterator<Item = Span>) {
        let mut by_file: std::collections::BTreeMap<FileId, Vec<Span>> =
            std::collections::BTreeMap::new();
        for s in spans {
            by_file.entry(s.file).or_default().push(s);
        }
        for (file, spans) in by_file {
            let Some(f) = self.index(file).and_then(|i| self.files.get_mut(i)) else {
                continue;
            };
            match f.text.take() {
                Some(text) => f.text = OnceLock::from(Arc::from(mask(text.to_string(), &spans))),
                // Masked when it is read again.
                None => f.redactions.extend(spans),
            }
        }
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.iter().find(|(_, f)| f.path == path).map(|(id, _)| id)
    }

    pub fn slice(&self, span: Span) -> &str {
        self.try_get(span.file).map_or("", |f| f.slice(span))
    }
}

/// The path to show for `path`: relative to `cwd` when below it, `/`-separated, never absolute when
/// avoidable (output must not depend on where the repository is checked out).
pub fn display_path(path: &Path, cwd: &Path) -> PathBuf {
    // Below it through a symbolic link (`/home/me/proj/a.tf`, with `/home` a link to
    // `/data/home`, the working directory's real path): the directory's real path tells. Only
    // the directory: a file that is itself a link keeps its name.
    let real = match path.starts_with(cwd) {
        true => None,
        false => real_dir_of(path),
    };
    let below = (path.strip_prefix(cwd).ok())
        .or_else(|| real.as_deref().and_then(|r| r.strip_prefix(cwd).ok()));
    let p = match below {
        Some(below) => below,
        // A pipe or a device outside it (`--state <(terraform show -json)`, which the shell
        // passes as `/dev/fd/63`): as given. It is no file of the project, and a trail of `..`
        // up to the root (`../../dev/fd/63`) named it only by where the run happened to be.
        None if is_system_path(path) => return path.to_path_buf(),
        // Outside the working directory (`check ../x`, a root's `../../modules/q`): the path
        // from there, as INTERFACE.md wants every path relative to it.
        None => match path_from(cwd, path) {
            Some(up) => return up,
            None => path,
        },
    };
    let p = p.strip_prefix(".").unwrap_or(p);
    if p.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        p.to_path_buf()
    }
}

/// Whether an absolute `path` names something other than a file or directory of a project: a
/// file on the kernel's pseudo file systems (`/dev/fd/63`, `/dev/stdin`, `/proc/self/fd/3`,
/// even when the descriptor is a regular file), or, wherever it is, what is neither a regular
/// file nor a directory (a named pipe, a device, a socket). Not `/dev/shm`: a memory file
/// system, where a checkout (and the modules beside it) can be.
fn is_system_path(path: &Path) -> bool {
    const PSEUDO: &[&str] = &["/dev", "/proc", "/sys"];
    path.is_absolute()
        && ((PSEUDO.iter().any(|p| path.starts_with(p)) && !path.starts_with("/dev/shm"))
            || std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()))
}

/// `path` with its directory's symbolic links resolved, when that changes it.
fn real_dir_of(path: &Path) -> Option<PathBuf> {
    if !path.is_absolute() {
        return None;
    }
    let (dir, name) = (path.parent()?, path.file_name());
    let real = std::fs::canonicalize(dir).ok()?;
    let real = match name {
        Some(n) => real.join(n),
        None => real,
    };
    (real != path).then_some(real)
}

/// `to` relative to `from` with `..` steps, when both are absolute and plain (no `.` or `..`
/// left in them, which would make the steps wrong) and share a root (not another drive).
fn path_from(from: &Path, to: &Path) -> Option<PathBuf> {
    use std::path::Component;
    let plain = |p: &Path| {
        p.is_absolute()
            && p.components()
                .all(|c| !matches!(c, Component::CurDir | Component::ParentDir))
    };
    if !plain(from) || !plain(to) {
        return None;
    }
    let (from, to): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    // Not even the root (or drive) in common.
    if common == 0 || matches!(to.get(common - 1), Some(Component::Prefix(_))) {
        return None;
    }
    let mut out: PathBuf = from[common..]
        .iter()
        .map(|_| Component::ParentDir)
        .collect();
    out.extend(&to[common..]);
    Some(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_relative_to_the_working_directory() {
        let cwd = Path::new("/repo/envs/prod");
        let shown = |p: &str| display_path(Path::new(p), cwd);
        assert_eq!(shown("/repo/envs/prod/main.tf"), Path::new("main.tf"));
        assert_eq!(shown("/repo/envs/prod"), Path::new("."));
        assert_eq!(
            shown("/repo/modules/q/main.tf"),
            Path::new("../../modules/q/main.tf")
        );
        assert_eq!(shown("/repo/envs/dev/x.tf"), Path::new("../dev/x.tf"));
        assert_eq!(
            shown("/other/state.json"),
            Path::new("../../../other/state.json")
        );
        assert_eq!(shown("relative/x.tf"), Path::new("relative/x.tf"));
        assert_eq!(shown("./x.tf"), Path::new("x.tf"));
        // Not plain: `..` steps from it could be wrong, so the path stays as it is.
        assert_eq!(shown("/repo/a/../b.tf"), Path::new("/repo/a/../b.tf"));
        assert_eq!(
            display_path(Path::new("/a/b.tf"), Path::new("rel")),
            Path::new("/a/b.tf")
        );
    }

    /// A pipe or a device outside the working directory is shown as given, not with `..`
    /// steps from it; one inside it is relative, as every other file there. An ordinary file
    /// outside keeps its `..` steps.
    #[cfg(unix)]
    #[test]
    fn pipes_and_devices_outside_the_working_directory_are_shown_as_given() {
        let cwd = Path::new("/repo/envs/prod");
        let shown = |p: &str| display_path(Path::new(p), cwd);
        for given in ["/dev/fd/63", "/dev/stdin", "/proc/self/fd/0", "/dev/null"] {
            assert_eq!(shown(given), Path::new(given));
        }
        assert_eq!(
            shown("/dev/shm/repo/modules/q/main.tf"),
            Path::new("../../../dev/shm/repo/modules/q/main.tf")
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let real = std::fs::canonicalize(dir.path()).expect("real");
        std::fs::create_dir_all(real.join("proj")).expect("mkdir");
        let made = |p: &Path| {
            std::process::Command::new("mkfifo")
                .arg(p)
                .status()
                .is_ok_and(|s| s.success())
        };
        let (outside, inside) = (real.join("state.pipe"), real.join("proj/state.pipe"));
        if made(&outside) && made(&inside) {
            let cwd = real.join("proj");
            assert_eq!(display_path(&outside, &cwd), outside);
            assert_eq!(display_path(&inside, &cwd), Path::new("state.pipe"));
        }
        std::fs::write(real.join("state.json"), "{}").expect("write");
        assert_eq!(
            display_path(&real.join("state.json"), &real.join("proj")),
            Path::new("../state.json")
        );
    }

    /// A path below the working directory through a symbolic link (the shell's `$PWD` is not
    /// the real path that `current_dir` gives) is shown from there, not with `..` steps out of
    /// it; a file that is itself a link keeps its name.
    #[cfg(unix)]
    #[test]
    fn paths_through_a_linked_directory_are_below_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = std::fs::canonicalize(dir.path())
            .expect("real")
            .join("real");
        std::fs::create_dir_all(real.join("proj/sub")).expect("mkdir");
        std::fs::write(real.join("proj/shared.tf"), "").expect("write");
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).expect("link");
        std::os::unix::fs::symlink("shared.tf", real.join("proj/a.tf")).expect("file link");
        let cwd = real.join("proj");
        let shown = |p: PathBuf| display_path(&p, &cwd);
        assert_eq!(shown(link.join("proj/main.tf")), Path::new("main.tf"));
        assert_eq!(shown(link.join("proj/sub/x.tf")), Path::new("sub/x.tf"));
        assert_eq!(shown(link.join("proj/a.tf")), Path::new("a.tf"));
        assert_eq!(shown(link.join("proj")), Path::new("."));
        assert_eq!(shown(real.join("other.tf")), Path::new("../other.tf"));
    }

    #[test]
    fn redact_masks_every_span_and_keeps_offsets() {
        let mut m = SourceMap::new();
        let text = "a = \"s3cret\"\nb = \"t0ken\"\nc = 1\n";
        let id = m.add("x.tf".into(), Arc::from(text));
        let first = Span::new(id, 4..12);
        let second = Span::new(id, 17..24);
        m.redact([second, first]);
        let f = m.get(id);
        assert_eq!(f.text(), "a = \"******\"\nb = \"*****\"\nc = 1\n");
        assert_eq!(f.text().len(), text.len());
        assert_eq!(f.line_col(25).line, 3);
    }

    /// A map started at a later id gives its files the ids after the first map's, finds and
    /// redacts them by those ids, and keeps them when appended.
    #[test]
    fn a_map_started_after_others_continues_their_ids() {
        let mut first = SourceMap::new();
        let a = first.add("a.tf".into(), Arc::from("a = 1\n"));
        let mut tail = SourceMap::after(first.len());
        let b = tail.add("state.json".into(), Arc::from("{\"token\": \"s3cret\"}"));
        assert_eq!((a, b), (FileId(0), FileId(1)));
        assert!(
            tail.try_get(a).is_none(),
            "the tail holds only its own files"
        );
        tail.redact([Span::new(b, 10..18)]);
        first.append(tail);
        assert_eq!(first.len(), 2);
        assert_eq!(first.get(b).text(), "{\"token\": \"******\"}");
        assert_eq!(first.find(Path::new("state.json")), Some(b));
        let ids: Vec<FileId> = first.iter().map(|(id, _)| id).collect();
        assert_eq!(ids, [a, b]);
    }

    #[test]
    #[should_panic(expected = "a map is appended where the other ends")]
    fn a_map_is_appended_only_where_the_other_ends() {
        let mut first = SourceMap::new();
        first.add("a.tf".into(), Arc::from(""));
        first.append(SourceMap::after(5));
    }

    /// How many times each file's text was read again, by path (tests run on many threads: each
    /// looks at its own files only).
    static READS: std::sync::Mutex<Vec<(PathBuf, usize)>> = std::sync::Mutex::new(Vec::new());

    pub(super) fn count_read(path: &Path) {
        let mut reads = READS.lock().unwrap_or_else(|e| e.into_inner());
        match reads.iter_mut().find(|(p, _)| p == path) {
            Some((_, n)) => *n += 1,
            None => reads.push((path.to_path_buf(), 1)),
        }
    }

    /// How many times the text of the file at `path` was read again.
    pub(crate) fn reads_of(path: &Path) -> usize {
        let reads = READS.lock().unwrap_or_else(|e| e.into_inner());
        reads.iter().find(|(p, _)| p == path).map_or(0, |(_, n)| *n)
    }

    /// Registers `text` as a file on disk whose text is let go, as `check` does.
    pub(crate) fn unloaded(m: &mut SourceMap, dir: &Path, name: &str, text: &str) -> FileId {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        let meta = std::fs::metadata(&path).expect("metadata");
        let disk = OnDisk::of(&path, &meta).expect("a regular file");
        m.add_unloaded(name.into(), disk, TextFacts::of(text))
    }

    #[test]
    fn a_text_let_go_locates_spans_as_the_kept_text_does() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (i, text) in [
            "a = 1\nb = \"x\"\n",
            "é = \"ü\"\r\n  b = \"日本\"\nlast",
            "",
            "\n\n\n",
            "no newline at the end ☃",
        ]
        .into_iter()
        .enumerate()
        {
            let mut m = SourceMap::new();
            let kept = m.add(format!("k{i}.tf").into(), Arc::from(text));
            let gone = unloaded(&mut m, dir.path(), &format!("u{i}.tf"), text);
            let (k, u) = (m.get(kept), m.get(gone));
            assert!(!u.is_loaded());
            for b in 0..=text.len() as u32 + 2 {
                assert_eq!(k.line_col(b), u.line_col(b), "{text:?} at {b}");
                assert_eq!(k.char_offset(b), u.char_offset(b), "{text:?} at {b}");
                assert_eq!(k.floor_char_boundary(b), u.floor_char_boundary(b));
            }
            for line in 1..=k.line_count() as u32 + 1 {
                assert_eq!(k.line_start(line), u.line_start(line));
            }
            // Lines and columns of ASCII text need no read; anything else does.
            assert_eq!(u.is_loaded(), !text.is_ascii(), "{text:?}");
            assert_eq!(u.text(), text);
            assert_eq!(u.line_text(1), k.line_text(1));
            assert!(m.failures().is_empty());
        }
    }

    #[test]
    fn a_text_let_go_is_masked_when_read_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut m = SourceMap::new();
        let text = "a = \"s3cret\"\nb = 1\n";
        let id = unloaded(&mut m, dir.path(), "x.tf", text);
        m.redact([Span::new(id, 4..12)]);
        assert!(!m.get(id).is_loaded());
        assert_eq!(m.get(id).text(), "a = \"******\"\nb = 1\n");
        assert_eq!(m.slice(Span::new(id, 4..12)), "\"******\"");
    }

    #[test]
    fn a_transient_text_is_read_masked_and_not_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut m = SourceMap::new();
        let id = unloaded(&mut m, dir.path(), "x.tf", "a = \"s3cret\"\nb = 1\n");
        let changed = unloaded(&mut m, dir.path(), "changed.tf", "c = 3\n");
        m.redact([Span::new(id, 4..12)]);
        let f = m.get(id);
        assert_eq!(&*f.transient_text(), "a = \"******\"\nb = 1\n");
        assert!(!f.is_loaded(), "read for the caller alone");
        assert_eq!(f.line_text_in(&f.transient_text(), 2), "b = 1");
        // Once kept, the kept text is what is given: no second read.
        assert_eq!(f.text(), &*f.transient_text());
        std::fs::remove_file(dir.path().join("x.tf")).expect("remove");
        assert_eq!(&*f.transient_text(), "a = \"******\"\nb = 1\n");
        // A file changed since it was parsed is a failure, as for the kept text.
        std::fs::write(dir.path().join("changed.tf"), "c = 30\n").expect("write");
        assert_eq!(&*m.get(changed).transient_text(), "");
        assert!(!m.get(changed).is_loaded());
        let failures = m.failures();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(failures[0].contains("`changed.tf` changed while cxlint was running"));
    }

    #[test]
    fn a_file_changed_or_gone_since_it_was_parsed_is_a_failure_not_a_wrong_place() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut m = SourceMap::new();
        let changed = unloaded(&mut m, dir.path(), "changed.tf", "a = 1\nb = 2\n");
        let gone = unloaded(&mut m, dir.path(), "gone.tf", "c = 3\n");
        let same = unloaded(&mut m, dir.path(), "same.tf", "d = 4\n");
        std::fs::write(dir.path().join("changed.tf"), "a = 100\nb = 2\n").expect("write");
        std::fs::remove_file(dir.path().join("gone.tf")).expect("remove");
        m.load([changed, gone, same]);
        assert_eq!(m.get(changed).text(), "");
        assert_eq!(m.get(gone).text(), "");
        assert_eq!(m.get(same).text(), "d = 4\n");
        let failures = m.failures();
        assert_eq!(failures.len(), 2, "{failures:?}");
        assert!(failures[0].contains("`changed.tf` changed while cxlint was running"));
        assert!(failures[1].contains("`gone.tf` cannot be read again"));
        // Lines and columns are still those of the text that was parsed.
        assert_eq!(m.get(changed).line_col(8).line, 2);
        assert_eq!(m.get(changed).line_text(2), "");
    }

    /// `check --live` removes its snapshot once checked: the texts of findings there are read
    /// first, and only those.
    #[test]
    fn texts_of_findings_in_a_file_about_to_go_are_read_first() {
        use crate::diagnostic::Diagnostic;
        use crate::rules::RuleMeta;
        let dir = tempfile::tempdir().expect("tempdir");
        let mut m = SourceMap::new();
        let snapshot = unloaded(&mut m, dir.path(), "snapshot.json", "{\"a\": 1}\n");
        let config = unloaded(&mut m, dir.path(), "main.tf", "a = 1\n");
        let meta: &'static RuleMeta = crate::rules::ALL_RULES[0].meta();
        let diags = [
            Diagnostic::at(meta, "in the snapshot", Span::new(snapshot, 1..4)),
            Diagnostic::at(meta, "in the configuration", Span::new(config, 0..1)),
        ];
        m.load_for_read_from(&diags, &dir.path().join("snapshot.json"));
        assert!(m.get(snapshot).is_loaded());
        assert!(!m.get(config).is_loaded(), "only the file about to go");
        std::fs::remove_file(dir.path().join("snapshot.json")).expect("remove");
        assert_eq!(m.slice(Span::new(snapshot, 1..4)), "\"a\"");
        assert!(m.failures().is_empty());
    }

    /// The compact index agrees with a plain list of line starts, through checkpoints and lines
    /// too long for a byte.
    #[test]
    fn line_index_finds_every_line_start() {
        let mut rng = 7u64;
        for case in 0..40 {
            let mut text = String::new();
            let lines = [0, 1, 31, 32, 33, 64, 65, 200][case % 8];
            for _ in 0..lines {
                rng = rng
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let len = match rng >> 60 {
                    0 => 254 + (rng >> 40) as usize % 4,
                    1 => 300 + (rng >> 40) as usize % 2000,
                    _ => (rng >> 40) as usize % 40,
                };
                text.extend(std::iter::repeat_n('x', len));
                text.push('\n');
            }
            if case % 3 == 0 {
                text.push_str("tail");
            }
            let starts: Vec<u32> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| (i + 1) as u32))
                .collect();
            let index = LineIndex::of(&text);
            assert_eq!(index.count(), starts.len());
            for (line, &start) in starts.iter().enumerate() {
                assert_eq!(index.start(line), start, "case {case} line {line}");
            }
            for byte in 0..=text.len() as u32 {
                let line = starts.partition_point(|&s| s <= byte) - 1;
                assert_eq!(
                    index.line_of(byte),
                    (line, starts[line]),
                    "case {case} at {byte}"
                );
            }
        }
    }

    #[test]
    fn line_col_counts_chars_and_lines() {
        let f = SourceFile::new("a.tf".into(), Arc::from("ab\ncé d\n"));
        assert_eq!(
            f.line_col(0),
            LineCol {
                line: 1,
                column: 1,
                byte: 0
            }
        );
        assert_eq!(
            f.line_col(3),
            LineCol {
                line: 2,
                column: 1,
                byte: 3
            }
        );
        // `é` is two bytes: the space after it is column 3.
        assert_eq!(f.line_col(6).column, 3);
        assert_eq!(f.line_text(2), "cé d");
        // Out of range and mid-character offsets are clamped, never a panic.
        assert_eq!(f.line_col(5).column, 2);
        assert_eq!(f.line_col(999).line, 3);
    }
}
