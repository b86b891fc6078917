//! The catalog text's grammar, and everything derived from it, turned into compact tables at
//! build time.
//!
//! This file is compiled twice: by `build.rs` (which includes it with `#[path]`), and into the
//! crate, where its tests and the functions shared with the run (`normalize`, the path segments)
//! use it. So it depends on `std` only.
//!
//! Why at build time: parsing the 1.3 MB text, sorting its scope and permission vocabularies and
//! building the "did you mean" word index cost about 10 ms of CPU per run (3.4 ms operations,
//! 1.9 ms models, 4-5.6 ms index), a third of a 1 MB check. The tables hold only integers:
//! strings are offsets into the tables' own string section or into the embedded text, so the
//! binary needs no relocations for them and loading them is a few hundred thousand integer reads.
//!
//! Which string goes where: what a check reads (methods, paths, scopes, permissions, query
//! parameters, model and field names and types, resource types, the normalised words) is copied
//! into the string section, each distinct string once; what only a report or `cxlint api` shows,
//! or only a script's SDK call looks up (summaries, operation ids, SDK method names, response
//! types, provenance), stays an offset into the text. Loading reads the whole string section but
//! none of the text, so a check keeps the 300 KB it reads resident, not the 1.3 MB text whose
//! every page held some of it.
//!
//! Layout (little-endian `u32` words after the string section; see `encode` and
//! `src/catalog/decode.rs`, which must agree): `MAGIC`, text length, extra-string length, extra
//! strings (padded to 4 bytes), then the sections: provenance, list items, operations,
//! resources, scopes, permissions, literal words, then the two read on first use, each after its
//! length: models with their fields, and the word index.

use std::collections::HashMap;
use std::fmt;

/// The format version of the catalog text this build reads.
pub const FORMAT_VERSION: &str = "1";
/// First word of the tables; bumped whenever their layout changes.
pub const MAGIC: u32 = 0x4358_0002;
/// The absent value of an optional string, list or word id.
pub const NONE: u32 = u32::MAX;
/// The prefix every Platform API path starts with.
pub const API_PREFIX: &str = "/api/v2";
/// The most fields a record has after its kind (`op`).
const MAX_FIELDS: usize = 12;

/// Operation flag bits in the tables.
pub const FLAG_BODY_REQUIRED: u32 = 1;
pub const FLAG_DEPRECATED: u32 = 2;
pub const FLAG_PREVIEW: u32 = 4;
pub const FLAG_REMOVED: u32 = 8;
pub const FLAG_ABSENT: u32 = 16;

/// A malformed catalog line (the artifact is generated, so this means a generator/parser mismatch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "catalog line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// The catalog as written, every string borrowed from the text.
#[derive(Debug, Default)]
pub struct Raw<'t> {
    pub format_version: &'t str,
    pub generator: (&'t str, &'t str),
    /// Source file name, sha256, size in bytes.
    pub sources: Vec<(&'t str, &'t str, u64)>,
    pub api_meta: &'t str,
    pub terraform_version: &'t str,
    pub ops: Vec<RawOp<'t>>,
    pub resources: Vec<RawResource<'t>>,
    /// Sorted by name.
    pub models: Vec<RawModel<'t>>,
}

/// One `op` record.
#[derive(Debug)]
pub struct RawOp<'t> {
    pub method: &'t str,
    pub path: &'t str,
    pub operation_id: Option<&'t str>,
    pub sdk_method: Option<&'t str>,
    pub summary: &'t str,
    /// `None`: unknown (`?`).
    pub scopes: Option<Vec<&'t str>>,
    /// 0 ANY, 1 ALL, 2 NO, 3 unknown.
    pub permission_kind: u32,
    pub permissions: Vec<&'t str>,
    pub body: Option<&'t str>,
    pub response: Option<&'t str>,
    pub query_params: Vec<&'t str>,
    /// `FLAG_*` bits.
    pub flags: u32,
}

/// One `tf` record.
#[derive(Debug)]
pub struct RawResource<'t> {
    pub resource_type: &'t str,
    pub resource_name: &'t str,
    pub permissions: Vec<&'t str>,
    pub scopes: Vec<&'t str>,
    pub endpoints: Vec<&'t str>,
}

/// One `model` record with its `f` records: name, then (field, type, required).
#[derive(Debug)]
pub struct RawModel<'t> {
    pub name: &'t str,
    pub fields: Vec<(&'t str, &'t str, bool)>,
}

/// Parse the whole catalog text, checking every record's shape.
pub fn parse(text: &str) -> Result<Raw<'_>, ParseError> {
    let mut raw = Raw::default();
    let mut in_models = false;
    for (idx, line) in text.lines().enumerate() {
        let err = |message: String| ParseError {
            line: idx + 1,
            message,
        };
        let (kind, rest, len) = split_record(line).map_err(err)?;
        let want = |count: usize| {
            if len == count {
                Ok(())
            } else {
                Err(err(format!(
                    "`{kind}` record has {len} fields, expected {count}"
                )))
            }
        };
        match kind {
            "" if len == 0 => {}
            "model" => {
                want(1)?;
                in_models = true;
                raw.models.push(RawModel {
                    name: rest[0],
                    fields: Vec::new(),
                });
            }
            "f" => {
                want(3)?;
                let Some(model) = raw.models.last_mut() else {
                    return Err(err("field outside a model".into()));
                };
                let required = match rest[2] {
                    "1" => true,
                    "0" => false,
                    other => return Err(err(format!("bad required flag `{other}`"))),
                };
                model.fields.push((rest[0], rest[1], required));
            }
            // The models come last (PROVENANCE.md): anything else among them is misplaced.
            other if in_models => {
                return Err(err(format!("unexpected `{other}` record among the models")));
            }
            "cxlint-api-catalog" => {
                want(1)?;
                if rest[0] != FORMAT_VERSION {
                    return Err(err(format!(
                        "format version {} (this build reads {FORMAT_VERSION})",
                        rest[0]
                    )));
                }
                raw.format_version = rest[0];
            }
            "generator" => {
                want(2)?;
                raw.generator = (rest[0], rest[1]);
            }
            "source" => {
                want(3)?;
                let bytes = rest[2]
                    .parse()
                    .map_err(|_| err(format!("bad size `{}`", rest[2])))?;
                raw.sources.push((rest[0], rest[1], bytes));
            }
            "api-meta" => {
                want(1)?;
                raw.api_meta = rest[0];
            }
            "terraform-version" => {
                want(1)?;
                raw.terraform_version = rest[0];
            }
            "op" => {
                want(12)?;
                raw.ops.push(operation(&rest[..12]).map_err(err)?);
            }
            "tf" => {
                want(5)?;
                raw.resources.push(RawResource {
                    resource_type: rest[0],
                    resource_name: rest[1],
                    permissions: list(rest[2]),
                    scopes: list(rest[3]),
                    endpoints: list(rest[4]),
                });
            }
            other => return Err(err(format!("unknown record `{other}`"))),
        }
    }
    if raw.format_version.is_empty() {
        return Err(ParseError {
            line: 1,
            message: "missing `cxlint-api-catalog` header".into(),
        });
    }
    // The generator sorts; binary searches rely on it, so make sure rather than trust.
    raw.resources
        .sort_by(|a, b| a.resource_type.cmp(b.resource_type));
    raw.models.sort_by(|a, b| a.name.cmp(b.name));
    Ok(raw)
}

/// A record's kind, its fields and their count.
fn split_record(line: &str) -> Result<(&str, [&str; MAX_FIELDS], usize), String> {
    let mut cols = line.split('\t');
    let kind = cols.next().unwrap_or_default();
    let mut rest = [""; MAX_FIELDS];
    let mut len = 0;
    for col in cols {
        if len == MAX_FIELDS {
            return Err(format!("`{kind}` record has too many fields"));
        }
        rest[len] = col;
        len += 1;
    }
    Ok((kind, rest, len))
}

fn operation<'t>(c: &[&'t str]) -> Result<RawOp<'t>, String> {
    let [
        method,
        path,
        op_id,
        sdk,
        flags,
        scopes,
        ptype,
        perms,
        body,
        response,
        query,
        summary,
    ] = *c
    else {
        return Err("wrong field count".into());
    };
    if !path.starts_with(API_PREFIX) {
        return Err(format!("path `{path}` is not under {API_PREFIX}"));
    }
    let permission_kind = match ptype {
        "ANY" => 0,
        "ALL" => 1,
        "NO" => 2,
        "?" => 3,
        other => return Err(format!("bad permission type `{other}`")),
    };
    let flag = |c: char, bit: u32| {
        if flags != "-" && flags.contains(c) {
            bit
        } else {
            0
        }
    };
    Ok(RawOp {
        method,
        path,
        operation_id: opt(op_id),
        sdk_method: opt(sdk),
        summary,
        scopes: (scopes != "?").then(|| list(scopes)),
        permission_kind,
        permissions: list(perms),
        body: opt(body),
        response: opt(response),
        query_params: list(query),
        flags: flag('b', FLAG_BODY_REQUIRED)
            | flag('d', FLAG_DEPRECATED)
            | flag('p', FLAG_PREVIEW)
            | flag('r', FLAG_REMOVED)
            | flag('a', FLAG_ABSENT),
    })
}

fn opt(s: &str) -> Option<&str> {
    (s != "-" && !s.is_empty()).then_some(s)
}

fn list(s: &str) -> Vec<&str> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split(',').collect()
    }
}

/// Segments of a catalog template after `/api/v2`, parameters included (`{queueId}`).
pub fn template_segments(path: &str) -> impl Iterator<Item = &str> {
    path.get(API_PREFIX.len()..)
        .unwrap_or_default()
        .split('/')
        .filter(|s| !s.is_empty())
}

/// Whether a template segment is a parameter.
pub fn is_template_param(seg: &str) -> bool {
    seg.starts_with('{')
}

/// A path or permission word for "did you mean": lowercase, alphanumerics only, a plural `s`
/// dropped, synonyms seen in real mistakes mapped.
pub fn normalize(word: &str) -> String {
    let mut w: String = word
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if w.len() > 3 && w.ends_with('s') {
        w.pop();
    }
    match w.as_str() {
        "voice" | "phone" => "call".into(),
        "interaction" => "conversation".into(),
        "sms" => "message".into(),
        _ => w,
    }
}

/// The words of one operation for "did you mean".
struct OpWords {
    /// Normalised segments; `None` for a parameter.
    segs: Vec<Option<String>>,
    /// Distinct path words, sorted.
    words: Vec<String>,
    /// Entity and action words of the permissions that are not path words, sorted and distinct.
    perm_words: Vec<String>,
}

fn op_words(op: &RawOp<'_>) -> OpWords {
    let segs: Vec<Option<String>> = template_segments(op.path)
        .map(|s| (!is_template_param(s)).then(|| normalize(s)))
        .collect();
    let mut words: Vec<String> = segs.iter().flatten().cloned().collect();
    words.sort();
    words.dedup();
    let mut perm_words: Vec<String> = op
        .permissions
        .iter()
        .flat_map(|p| p.split(':').skip(1))
        .map(normalize)
        .filter(|w| !w.is_empty() && !words.contains(w))
        .collect();
    perm_words.sort();
    perm_words.dedup();
    OpWords {
        segs,
        words,
        perm_words,
    }
}

/// Writes the tables.
struct Writer<'t> {
    text: &'t str,
    /// The string section: strings a check reads, and the normalised words (which are not in the
    /// text); after the text in offset space.
    extra: String,
    /// Where each string copied into `extra` is (a repeated one is copied once).
    copied: HashMap<&'t str, usize>,
    words: Vec<u32>,
}

impl<'t> Writer<'t> {
    fn u32(&mut self, v: u32) {
        self.words.push(v);
    }

    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("catalog tables fit in u32"));
    }

    /// A string a check reads: copied into the string section (once), as its offset and length.
    fn str(&mut self, s: &'t str) {
        let at = match self.copied.get(s) {
            Some(&at) => at,
            None => {
                let at = self.text.len() + self.extra.len();
                self.extra.push_str(s);
                self.copied.insert(s, at);
                at
            }
        };
        self.len(at);
        self.len(s.len());
    }

    /// A string only shown or looked up rarely: left in the text, as its offset and length.
    fn text_str(&mut self, s: &'t str) {
        if s.is_empty() {
            // Possibly not from the text: a record the text lacks (`api-meta`) reads as empty.
            self.u32(0);
            self.u32(0);
            return;
        }
        let start = s.as_ptr() as usize - self.text.as_ptr() as usize;
        assert!(
            start + s.len() <= self.text.len(),
            "not a slice of the text"
        );
        self.len(start);
        self.len(s.len());
    }

    /// An optional string, written by `write` ([`Self::str`] or [`Self::text_str`]) when present.
    fn opt(&mut self, s: Option<&'t str>, write: fn(&mut Self, &'t str)) {
        match s {
            Some(s) => write(self, s),
            None => {
                self.u32(NONE);
                self.u32(0);
            }
        }
    }

    /// A string that is not in the text, appended to the extra section (the only such strings,
    /// the vocabulary's words, are distinct).
    fn owned_str(&mut self, s: &str) {
        let at = self.text.len() + self.extra.len();
        self.extra.push_str(s);
        self.len(at);
        self.len(s.len());
    }

    /// What `write` writes, after its length in words.
    fn section(&mut self, write: impl FnOnce(&mut Self)) {
        let at = self.words.len();
        self.u32(0);
        write(self);
        self.words[at] = u32::try_from(self.words.len() - at - 1).expect("fits");
    }

    fn strs(&mut self, v: &[&'t str]) {
        self.len(v.len());
        for s in v {
            self.str(s);
        }
    }
}

/// Appends `list` to `items` and returns its (start, length) there.
fn push_list<'t>(items: &mut Vec<&'t str>, list: &[&'t str]) -> (u32, u32) {
    let start = items.len() as u32;
    items.extend_from_slice(list);
    (start, list.len() as u32)
}

/// Encode the parsed catalog (`raw`, borrowed from `text`) as tables.
pub fn encode<'t>(text: &'t str, raw: &Raw<'t>) -> Vec<u8> {
    let mut w = Writer {
        text,
        extra: String::new(),
        copied: HashMap::new(),
        words: Vec::new(),
    };

    // Provenance.
    w.text_str(raw.format_version);
    w.text_str(raw.generator.0);
    w.text_str(raw.generator.1);
    w.len(raw.sources.len());
    for &(name, sha, bytes) in &raw.sources {
        w.text_str(name);
        w.text_str(sha);
        w.u32(bytes as u32);
        w.u32((bytes >> 32) as u32);
    }
    w.text_str(raw.api_meta);
    w.text_str(raw.terraform_version);

    // Every list of every operation and resource, in one run: the run's `&[&str]` slices point
    // into a single array instead of a small allocation each.
    let mut items: Vec<&str> = Vec::new();
    let op_lists: Vec<[(u32, u32); 3]> = raw
        .ops
        .iter()
        .map(|op| {
            let scopes = match &op.scopes {
                Some(s) => push_list(&mut items, s),
                None => (NONE, 0),
            };
            [
                scopes,
                push_list(&mut items, &op.permissions),
                push_list(&mut items, &op.query_params),
            ]
        })
        .collect();
    let res_lists: Vec<[(u32, u32); 3]> = raw
        .resources
        .iter()
        .map(|r| {
            [
                push_list(&mut items, &r.permissions),
                push_list(&mut items, &r.scopes),
                push_list(&mut items, &r.endpoints),
            ]
        })
        .collect();
    w.strs(&items);

    w.len(raw.ops.len());
    for (op, lists) in raw.ops.iter().zip(&op_lists) {
        w.str(op.method);
        w.str(op.path);
        w.opt(op.operation_id, Writer::text_str);
        w.opt(op.sdk_method, Writer::text_str);
        w.text_str(op.summary);
        for (start, len) in lists {
            w.u32(*start);
            w.u32(*len);
        }
        w.u32(op.permission_kind);
        w.opt(op.body, Writer::str);
        w.opt(op.response, Writer::text_str);
        w.u32(op.flags);
        w.len(template_segments(op.path).count());
    }

    w.len(raw.resources.len());
    for (r, lists) in raw.resources.iter().zip(&res_lists) {
        w.str(r.resource_type);
        w.str(r.resource_name);
        for (start, len) in lists {
            w.u32(*start);
            w.u32(*len);
        }
    }

    // The scope and permission vocabularies: every name an operation or the Terraform map uses.
    let mut scopes: Vec<&str> = Vec::new();
    let mut permissions: Vec<&str> = Vec::new();
    for op in &raw.ops {
        scopes.extend(op.scopes.iter().flatten());
        permissions.extend(&op.permissions);
    }
    for r in &raw.resources {
        scopes.extend(&r.scopes);
        permissions.extend(&r.permissions);
    }
    // Every literal segment of the templates (a query word that is one is not an id).
    let mut literal_words: Vec<&str> = raw
        .ops
        .iter()
        .flat_map(|op| template_segments(op.path))
        .filter(|s| !is_template_param(s))
        .collect();
    for v in [&mut scopes, &mut permissions, &mut literal_words] {
        v.sort_unstable();
        v.dedup();
        w.strs(v);
    }

    // The two sections read on first use are prefixed with their length, so that the index can be
    // read without reading the models.
    w.section(|w| encode_models(w, raw));
    w.section(|w| encode_nearest(w, raw));

    let mut out = Vec::with_capacity(12 + w.extra.len() + 3 + 4 * w.words.len());
    out.extend_from_slice(&MAGIC.to_le_bytes());
    out.extend_from_slice(&(text.len() as u32).to_le_bytes());
    out.extend_from_slice(&(w.extra.len() as u32).to_le_bytes());
    out.extend_from_slice(w.extra.as_bytes());
    out.resize(out.len().next_multiple_of(4), 0);
    for v in &w.words {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// The request-body models, sorted by name: name and field range each, then every field.
fn encode_models<'t>(w: &mut Writer<'t>, raw: &Raw<'t>) {
    w.len(raw.models.len());
    let mut first_field = 0;
    for m in &raw.models {
        w.str(m.name);
        w.len(first_field);
        w.len(m.fields.len());
        first_field += m.fields.len();
    }
    w.len(first_field);
    for m in &raw.models {
        for &(name, ty, required) in &m.fields {
            w.str(name);
            w.str(ty);
            w.u32(u32::from(required));
        }
    }
}

/// The word index of "did you mean" (`src/catalog/nearest.rs`): the vocabulary, sorted, with each
/// word's idf, then per operation its segments, path words and permission words as vocabulary ids.
fn encode_nearest(w: &mut Writer<'_>, raw: &Raw<'_>) {
    let ops: Vec<OpWords> = raw.ops.iter().map(op_words).collect();
    // Document frequency over distinct templates (the operations are sorted by path, so the
    // methods of one template are adjacent).
    let mut df: HashMap<&str, u32> = HashMap::new();
    let mut templates = 0u32;
    let mut prev: Option<&str> = None;
    for (op, words) in raw.ops.iter().zip(&ops) {
        if prev == Some(op.path) {
            continue;
        }
        prev = Some(op.path);
        templates += 1;
        for word in &words.words {
            *df.entry(word).or_default() += 1;
        }
    }
    let n = f64::from(templates.max(1));
    // A word no template has (a permission word only) gets the idf of an unseen word.
    let unseen_idf = 1.0 + n.ln();
    let mut vocab: Vec<&str> = ops
        .iter()
        .flat_map(|o| o.words.iter().chain(&o.perm_words))
        .map(String::as_str)
        .collect();
    vocab.sort_unstable();
    vocab.dedup();
    let id: HashMap<&str, u32> = vocab
        .iter()
        .enumerate()
        .map(|(i, v)| (*v, i as u32))
        .collect();
    w.len(vocab.len());
    for v in &vocab {
        w.owned_str(v);
        let idf = df
            .get(v)
            .map_or(unseen_idf, |&d| 1.0 + (n / f64::from(d)).ln());
        let bits = idf.to_bits();
        w.u32(bits as u32);
        w.u32((bits >> 32) as u32);
    }
    for o in &ops {
        w.len(o.segs.len());
        for s in &o.segs {
            w.u32(s.as_deref().map_or(NONE, |s| id[s]));
        }
        for list in [&o.words, &o.perm_words] {
            w.len(list.len());
            for word in list {
                w.u32(id[word.as_str()]);
            }
        }
    }
}
