//! Source files and byte spans.
//!
//! Every fact cxlint learns keeps a [`Span`] into the file it came from, so every finding can be
//! located. Files are registered once in a [`SourceMap`]; their text is shared (`Arc<str>`) and never
//! copied. Line and column numbers are computed only when a reporter asks for them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Index of a file in the [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

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

/// One loaded file.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as shown to users: relative to the working directory when below it.
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Byte offset of each line's start, computed on first use: most files of a large run have
    /// no finding and never need it.
    line_starts: std::sync::OnceLock<Vec<u32>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: Arc<str>) -> Self {
        SourceFile {
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| clamp_u32(i + 1)))
                .collect()
        })
    }

    /// Line and column of a byte offset (clamped to the text, and to a char boundary).
    pub fn line_col(&self, byte: u32) -> LineCol {
        let mut byte = (byte as usize).min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line_starts = self.line_starts();
        let line_idx = match line_starts.binary_search(&clamp_u32(byte)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = line_starts[line_idx] as usize;
        let column = self.text[line_start..byte].chars().count() + 1;
        LineCol {
            line: clamp_u32(line_idx + 1),
            column: clamp_u32(column),
            byte: clamp_u32(byte),
        }
    }

    /// The text of 1-based line `line`, without its line terminator.
    pub fn line_text(&self, line: u32) -> &str {
        let idx = (line as usize).saturating_sub(1);
        let line_starts = self.line_starts();
        let Some(&start) = line_starts.get(idx) else {
            return "";
        };
        let end = line_starts
            .get(idx + 1)
            .map_or(self.text.len(), |&e| e as usize);
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts().len()
    }

    pub fn slice(&self, span: Span) -> &str {
        let r = span.range();
        self.text.get(r).unwrap_or("")
    }
}

/// Every file of a run, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, path: PathBuf, text: Arc<str>) -> FileId {
        let id = FileId(clamp_u32(self.files.len()));
        self.files.push(SourceFile::new(path, text));
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn try_get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(clamp_u32(i)), f))
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
            let Some(f) = self.files.get_mut(file.0 as usize) else {
                continue;
            };
            let mut text = f.text.to_string().into_bytes();
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
            let text = String::from_utf8(text)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            *f = SourceFile::new(f.path.clone(), Arc::from(text));
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
    let p = path.strip_prefix(cwd).unwrap_or(path);
    let p = p.strip_prefix(".").unwrap_or(p);
    if p.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        p.to_path_buf()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_masks_every_span_and_keeps_offsets() {
        let mut m = SourceMap::new();
        let text = "a = \"s3cret\"\nb = \"t0ken\"\nc = 1\n";
        let id = m.add("x.tf".into(), Arc::from(text));
        let first = Span::new(id, 4..12);
        let second = Span::new(id, 17..24);
        m.redact([second, first]);
        let f = m.get(id);
        assert_eq!(&*f.text, "a = \"******\"\nb = \"*****\"\nc = 1\n");
        assert_eq!(f.text.len(), text.len());
        assert_eq!(f.line_col(25).line, 3);
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
