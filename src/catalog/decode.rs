//! Loads the catalog from the tables `build.rs` made of the text (layout in `tables.rs`).
//!
//! Strings are slices of the embedded text; every list of every operation is a slice of one
//! array, and so are the models' fields and the word index's ids. Those arrays are leaked: the
//! catalog lives as long as the process (it sits in a `static`), and one array instead of a small
//! allocation per list is most of why loading takes a fraction of a millisecond.

use std::sync::OnceLock;

use super::nearest::{Index, OpWords};
use super::tables::{
    FLAG_ABSENT, FLAG_BODY_REQUIRED, FLAG_DEPRECATED, FLAG_PREVIEW, FLAG_REMOVED, MAGIC, NONE,
};
use super::{
    Catalog, Field, Model, Operation, PermissionKind, Permissions, Provenance, ResourcePerms,
    SourceFile,
};

/// Reads the tables' words in order.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reader {
    text: &'static str,
    /// The strings that are not in the text (normalised words); offsets continue after the text.
    extra: &'static str,
    words: &'static [u8],
    /// Byte position in `words`.
    pos: usize,
}

impl Reader {
    /// A reader at the first section. Panics when the tables were not made from `text` by this
    /// build's `tables.rs`: both are compiled in, so that is a build defect, caught by every test.
    pub(super) fn new(text: &'static str, tables: &'static [u8]) -> Reader {
        let word = |i: usize| u32::from_le_bytes(tables[4 * i..4 * i + 4].try_into().unwrap());
        assert_eq!(word(0), MAGIC, "catalog tables of another layout");
        assert_eq!(
            word(1) as usize,
            text.len(),
            "catalog tables of another text"
        );
        let extra_len = word(2) as usize;
        let extra = std::str::from_utf8(&tables[12..12 + extra_len]).expect("UTF-8 words");
        let start = (12 + extra_len).next_multiple_of(4);
        Reader {
            text,
            extra,
            words: &tables[start..],
            pos: 0,
        }
    }

    fn u32(&mut self) -> u32 {
        let b = &self.words[self.pos..self.pos + 4];
        self.pos += 4;
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    fn len(&mut self) -> usize {
        self.u32() as usize
    }

    /// A string at `at` (past the text's end: in the extra strings) of `len` bytes.
    fn str_at(&self, at: usize, len: usize) -> &'static str {
        match at.checked_sub(self.text.len()) {
            Some(rel) => &self.extra[rel..rel + len],
            None => {
                // Not sliced with checks: checking that both ends are character boundaries
                // reads the text there, and loading would then read a little of every page of
                // the 1.3 MB text, which is left there for the strings a check seldom reads
                // (`tables.rs`). The range is one `tables.rs` took from a `&str` slice of this
                // very text (`Reader::new` checks it is the text the tables were made of).
                debug_assert!(
                    self.text.is_char_boundary(at) && self.text.is_char_boundary(at + len)
                );
                assert!(at + len <= self.text.len(), "catalog string past the text");
                // SAFETY: in bounds (asserted) and on character boundaries (above).
                unsafe { self.text.get_unchecked(at..at + len) }
            }
        }
    }

    fn str(&mut self) -> &'static str {
        let (at, len) = (self.len(), self.len());
        self.str_at(at, len)
    }

    fn opt_str(&mut self) -> Option<&'static str> {
        let (at, len) = (self.u32(), self.len());
        (at != NONE).then(|| self.str_at(at as usize, len))
    }

    fn strs(&mut self) -> Vec<&'static str> {
        let n = self.len();
        (0..n).map(|_| self.str()).collect()
    }

    /// A (start, length) range of `items`; `None` for the absent list.
    fn slice<T>(&mut self, items: &'static [T]) -> Option<&'static [T]> {
        let (start, len) = (self.u32(), self.len());
        (start != NONE).then(|| &items[start as usize..start as usize + len])
    }

    fn f64(&mut self) -> f64 {
        let lo = u64::from(self.u32());
        let hi = u64::from(self.u32());
        f64::from_bits(hi << 32 | lo)
    }

    /// Enters a section written by `Writer::section` (its length is needed only to skip it).
    fn enter_section(&mut self) {
        self.len();
    }

    /// Skips a section written by `Writer::section`.
    fn skip_section(&mut self) {
        let len = self.len();
        self.pos += 4 * len;
    }
}

/// The catalog of `text`, from its tables: everything but the models and the word index, which
/// are read on first use from where the returned catalog's reader stopped.
pub(super) fn catalog(text: &'static str, tables: &'static [u8]) -> Catalog {
    let mut r = Reader::new(text, tables);
    let format_version = r.str();
    let generator = format!("{} {}", r.str(), r.str());
    let sources = (0..r.len())
        .map(|_| SourceFile {
            name: r.str(),
            sha256: r.str(),
            bytes: u64::from(r.u32()) | u64::from(r.u32()) << 32,
        })
        .collect();
    let provenance = Provenance {
        format_version,
        generator,
        sources,
        api_meta: r.str(),
        terraform_version: r.str(),
    };
    let items: &'static [&'static str] = Vec::leak(r.strs());
    let list = |r: &mut Reader| r.slice(items);
    let n_ops = r.len();
    let mut ops = Vec::with_capacity(n_ops);
    let mut by_len: Vec<Vec<u32>> = Vec::new();
    for i in 0..n_ops {
        let method = r.str();
        let path = r.str();
        let operation_id = r.opt_str();
        let sdk_method = r.opt_str();
        let summary = r.str();
        let scopes = list(&mut r);
        let permissions = list(&mut r).unwrap_or_default();
        let query_params = list(&mut r).unwrap_or_default();
        let kind = match r.u32() {
            0 => PermissionKind::Any,
            1 => PermissionKind::All,
            2 => PermissionKind::NoneRequired,
            _ => PermissionKind::Unknown,
        };
        let body = r.opt_str();
        let response = r.opt_str();
        let flags = r.u32();
        let len = r.len();
        if by_len.len() <= len {
            by_len.resize_with(len + 1, Vec::new);
        }
        by_len[len].push(i as u32);
        ops.push(Operation {
            method,
            path,
            operation_id,
            sdk_method,
            summary,
            scopes,
            permissions: Permissions {
                kind,
                list: permissions,
            },
            body,
            body_required: flags & FLAG_BODY_REQUIRED != 0,
            response,
            query_params,
            deprecated: flags & FLAG_DEPRECATED != 0,
            preview: flags & FLAG_PREVIEW != 0,
            removed_in_sdk259: flags & FLAG_REMOVED != 0,
            absent_from_sdk259: flags & FLAG_ABSENT != 0,
        });
    }
    let resources = (0..r.len())
        .map(|_| ResourcePerms {
            resource_type: r.str(),
            resource_name: r.str(),
            permissions: list(&mut r).unwrap_or_default(),
            scopes: list(&mut r).unwrap_or_default(),
            endpoints: list(&mut r).unwrap_or_default(),
        })
        .collect();
    let scopes = r.strs();
    let permissions = r.strs();
    let literal_words = r.strs();
    Catalog {
        provenance,
        ops,
        by_len,
        lazy_sections: r,
        models: OnceLock::new(),
        resources,
        scopes,
        permissions,
        literal_words,
        nearest_index: OnceLock::new(),
    }
}

/// The request-body models, sorted by name; `r` is at their section.
pub(super) fn models(mut r: Reader) -> Vec<Model> {
    r.enter_section();
    let heads: Vec<(&'static str, usize, usize)> =
        (0..r.len()).map(|_| (r.str(), r.len(), r.len())).collect();
    let fields: &'static [Field] = Vec::leak(
        (0..r.len())
            .map(|_| Field {
                name: r.str(),
                ty: r.str(),
                required: r.u32() != 0,
            })
            .collect(),
    );
    heads
        .into_iter()
        .map(|(name, start, len)| Model {
            name,
            fields: &fields[start..start + len],
        })
        .collect()
}

/// The "did you mean" word index; `r` is at the models' section (which it skips).
pub(super) fn nearest_index(mut r: Reader, n_ops: usize) -> Index {
    r.skip_section();
    r.enter_section();
    let vocab: Vec<(&'static str, f64)> = (0..r.len()).map(|_| (r.str(), r.f64())).collect();
    // Three id lists per operation, in one array (see the module docs).
    let mut ids = Vec::new();
    let mut ranges = Vec::with_capacity(n_ops);
    for _ in 0..n_ops {
        let mut three = [(0, 0); 3];
        for range in &mut three {
            let n = r.len();
            *range = (ids.len(), n);
            ids.extend((0..n).map(|_| r.u32()));
        }
        ranges.push(three);
    }
    let ids: &'static [u32] = Vec::leak(ids);
    let at = |(start, len): (usize, usize)| &ids[start..start + len];
    let ops = ranges
        .into_iter()
        .map(|[segs, words, perms]| OpWords {
            segs: at(segs),
            word_ids: at(words),
            perm_ids: at(perms),
        })
        .collect();
    Index { ops, vocab }
}
