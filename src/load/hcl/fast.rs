//! A fast path for the plain HCL that makes up most real configurations.
//!
//! hcl-edit builds a lossless tree (every space and comment kept) through parser combinators and
//! needs about 240 instructions per input byte; exports of large orgs are tens of megabytes. This
//! hand-written parser reads the common subset straight into the IR: blocks with labels, attributes,
//! literals, strings with escapes and `${...}` interpolations, arrays, objects, variables,
//! traversals with `.name`/`[index]`, function calls, and `for` expressions (`[for c in x : c.id]`,
//! `{for k, v in m : k => v}`: module code is full of them, and a file with one used to go to
//! hcl-edit whole).
//!
//! It never reports an error. Anything outside the subset (operators, conditionals, heredocs,
//! directives, splats, parentheses, strip markers, duplicate attributes, one-line blocks) or
//! anything malformed makes it give up, and the caller parses the file with hcl-edit, which then
//! also produces the error message. Both paths must produce the same IR with the same spans; a
//! differential test in `hcl.rs` holds them to that.

use std::collections::HashSet;

use rustc_hash::FxHashMap;
use smol_str::SmolStr;

use crate::ir::{
    Attribute, Block, Body, Call, ConfigFile, Expr, ExprKind, ForExpr, Ident, Key, Name, Path,
    PathsOfFile, TemplatePart, Traversal, TraversalOp,
};
use crate::load::depth::MAX_DEPTH;
use crate::source::{FileId, Loc};

/// Parses `text` if it stays within the fast subset; `None` means "use hcl-edit".
pub(super) fn parse(file: FileId, text: &str) -> Option<ConfigFile> {
    let mut p = P {
        b: text.as_bytes(),
        s: text,
        i: 0,
        file,
        depth: 0,
        scratch: Scratch::default(),
        comments: Vec::new(),
    };
    let body = p.body(false)?;
    (p.i == p.b.len()).then_some(ConfigFile {
        body,
        comments: p.comments,
    })
}

struct P<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
    file: FileId,
    /// Open brackets and interpolations, counted as the hostile-input scan (`depth`) counts
    /// them: a file this path accepts is one the scan would have passed.
    depth: usize,
    scratch: Scratch<'a>,
    /// [`ConfigFile::comments`].
    comments: Vec<std::ops::Range<u32>>,
}

/// What parsing one file reuses: the long names already read, and stacks the lists being read are
/// gathered on, each list then moved out at its exact length. The IR lives for the whole run, and growing a `Vec` by doubling leaves up to half of it
/// unused (a one-step traversal kept room for four). Shrinking afterwards copied every list a
/// second time, and fresh memory is a large part of the run's cost. Nested lists of the same
/// kind (an array in an array) stack above their parent's entries: each reads from the length
/// it started at.
#[derive(Default)]
struct Scratch<'a> {
    /// Names longer than [`INLINE_NAME`], each allocated once per file.
    long_names: FxHashMap<&'a str, SmolStr>,
    /// The steps of the references read so far, shared by their repetitions (see `ir::Path`).
    paths: PathsOfFile,
    attrs: Vec<Attribute>,
    blocks: Vec<Block>,
    labels: Vec<Ident>,
    exprs: Vec<Expr>,
    entries: Vec<(Expr, Expr)>,
    ops: Vec<TraversalOp>,
    parts: Vec<TemplatePart>,
    /// The literal text being decoded; a nested string starts after its parent's.
    text: String,
}

/// `SmolStr` keeps names up to this length inline.
const INLINE_NAME: usize = 23;

/// Moves the entries from `base` up out of a scratch stack, into a list of exactly that length.
fn take<T>(stack: &mut Vec<T>, base: usize) -> Box<[T]> {
    stack.drain(base..).collect()
}

/// Gives up on the fast path.
macro_rules! bail {
    () => {
        return None
    };
}

impl<'a> P<'a> {
    /// Past an opening bracket or `${`: one level deeper, within the scan's limit.
    fn open(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// Past the matching closer.
    fn close(&mut self) {
        self.depth -= 1;
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.b.get(self.i + k).copied()
    }

    /// From `start` to here.
    fn span(&self, start: usize) -> Loc {
        Loc::new(start..self.i)
    }

    /// Spaces and tabs only.
    fn skip_spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// Spaces, line ends and comments. Returns `None` on an unterminated block comment.
    fn skip_trivia(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n') => self.i += 1,
                Some(b'\r') if self.peek_at(1) == Some(b'\n') => self.i += 2,
                Some(b'#') => self.skip_line_comment()?,
                Some(b'/') if self.peek_at(1) == Some(b'/') => self.skip_line_comment()?,
                Some(b'/') if self.peek_at(1) == Some(b'*') => {
                    let rest = self.b.get(self.i + 2..)?;
                    let end = memchr::memmem::find(rest, b"*/")?;
                    self.comment(self.i + 2 + end + 2);
                }
                _ => return Some(()),
            }
        }
    }

    /// Up to (not past) the line end. A lone `\r` in the comment is hcl-edit's to judge.
    fn skip_line_comment(&mut self) -> Option<()> {
        let rest = &self.b[self.i..];
        let len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        if let Some(cr) = memchr::memchr(b'\r', &rest[..len]) {
            if cr + 1 != len || len == rest.len() {
                bail!();
            }
        }
        self.comment(self.i + len);
        Some(())
    }

    /// Past a comment that ends at `end`, noting it if it may hold a commented-out assignment.
    fn comment(&mut self, end: usize) {
        if memchr::memchr(b'"', &self.b[self.i..end]).is_some() {
            self.comments.push(crate::ir::comment_range(self.i..end));
        }
        self.i = end;
    }

    /// After an attribute or a block: spaces, an optional comment, then a line end or EOF.
    fn end_of_line(&mut self) -> Option<()> {
        self.skip_spaces();
        match self.peek() {
            None | Some(b'\n') => {}
            Some(b'\r') if self.peek_at(1) == Some(b'\n') => {}
            Some(b'#') => self.skip_line_comment()?,
            Some(b'/') if self.peek_at(1) == Some(b'/') => self.skip_line_comment()?,
            _ => bail!(),
        }
        Some(())
    }

    fn ident(&mut self) -> Option<Ident> {
        let (text, span) = self.word()?;
        Some(Ident {
            name: self.name(text),
            span,
        })
    }

    /// An identifier's text and span.
    fn word(&mut self) -> Option<(&'a str, Loc)> {
        let start = self.i;
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => self.i += 1,
            // Non-ASCII identifiers are legal HCL; leave them to hcl-edit.
            _ => bail!(),
        }
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' {
                self.i += 1;
            } else if c >= 0x80 {
                bail!();
            } else {
                break;
            }
        }
        let s: &'a str = self.s;
        Some((&s[start..self.i], self.span(start)))
    }

    /// A name as a `SmolStr`. Names over its inline limit (23 bytes) are heap-allocated, and
    /// the long ones repeat: every `genesyscloud_routing_wrapupcode` label and reference of a file
    /// shares one allocation.
    fn name(&mut self, text: &'a str) -> SmolStr {
        if text.len() <= INLINE_NAME {
            return SmolStr::new(text);
        }
        self.scratch
            .long_names
            .entry(text)
            .or_insert_with(|| SmolStr::new(text))
            .clone()
    }

    /// A body, up to EOF (`nested == false`) or up to and including its closing `}`.
    fn body(&mut self, nested: bool) -> Option<Body> {
        let (attrs_base, blocks_base) = (self.scratch.attrs.len(), self.scratch.blocks.len());
        // Attribute names seen, for large bodies (a `.tfvars` file may have thousands).
        let mut seen: HashSet<&'a str> = HashSet::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                None if !nested => return Some(self.take_body(attrs_base, blocks_base)),
                Some(b'}') if nested => {
                    self.i += 1;
                    self.close();
                    return Some(self.take_body(attrs_base, blocks_base));
                }
                None | Some(b'}') => bail!(),
                _ => {}
            }
            let start = self.i;
            let (word, word_span) = self.word()?;
            self.skip_spaces();
            if self.peek() == Some(b'=') && self.peek_at(1) != Some(b'=') {
                self.i += 1;
                self.skip_spaces();
                let expr = self.expr()?;
                self.end_of_line()?;
                // hcl-edit rejects a redefined attribute; let it say so.
                let s: &'a str = self.s;
                let attrs = &self.scratch.attrs[attrs_base..];
                let duplicate = if attrs.len() < 16 {
                    attrs.iter().any(|a| a.name.name == word)
                } else {
                    if seen.is_empty() {
                        seen.extend(attrs.iter().map(|a| &s[a.name.span.range()]));
                    }
                    !seen.insert(word)
                };
                if duplicate {
                    bail!();
                }
                let name = Key {
                    name: Name::new(word),
                    span: word_span,
                };
                self.scratch.attrs.push(Attribute { name, expr });
            } else {
                let name = Ident {
                    name: self.name(word),
                    span: word_span,
                };
                let labels_base = self.scratch.labels.len();
                loop {
                    let label = match self.peek() {
                        Some(b'{') => break,
                        Some(b'"') => self.string_label()?,
                        _ => self.ident()?,
                    };
                    self.scratch.labels.push(label);
                    self.skip_spaces();
                }
                let labels = take(&mut self.scratch.labels, labels_base);
                self.i += 1;
                self.open()?;
                self.skip_spaces();
                let inner = if self.peek() == Some(b'}') {
                    self.i += 1;
                    self.close();
                    Body::default()
                } else {
                    // One-line blocks (`b { a = 1 }`) have their own rules in hcl-edit.
                    self.end_of_line()?;
                    self.body(true)?
                };
                let span = self.span(start).in_file(self.file);
                self.end_of_line()?;
                self.scratch.blocks.push(Block {
                    ident: name,
                    labels,
                    body: inner,
                    span,
                });
            }
        }
    }

    fn take_body(&mut self, attrs_base: usize, blocks_base: usize) -> Body {
        Body {
            attrs: take(&mut self.scratch.attrs, attrs_base),
            blocks: take(&mut self.scratch.blocks, blocks_base),
        }
    }

    /// A quoted block label: a plain string without interpolation.
    fn string_label(&mut self) -> Option<Ident> {
        let start = self.i;
        let expr = self.string()?;
        match expr.kind {
            ExprKind::String(name) => {
                // A label without escapes is its source text: shared as identifiers are.
                let s: &'a str = self.s;
                let name = match &s[start + 1..self.i - 1] {
                    raw if raw == name => self.name(raw),
                    _ => name,
                };
                Some(Ident {
                    name,
                    span: self.span(start),
                })
            }
            _ => None,
        }
    }

    /// An expression of the subset: a term with traversals, not followed by an operator.
    fn expr(&mut self) -> Option<Expr> {
        let e = self.term()?;
        // Look past spaces for an operator or conditional: those are hcl-edit's.
        let save = self.i;
        self.skip_spaces();
        match self.peek() {
            Some(b'?' | b'!' | b'<' | b'>' | b'+' | b'-' | b'*' | b'%' | b'&' | b'|') => bail!(),
            Some(b'=') if self.peek_at(1) == Some(b'=') => bail!(),
            Some(b'/') if !matches!(self.peek_at(1), Some(b'/' | b'*')) => bail!(),
            _ => {}
        }
        self.i = save;
        Some(e)
    }

    fn term(&mut self) -> Option<Expr> {
        let start = self.i;
        let kind = match self.peek()? {
            b'"' => return self.string(),
            b'[' => self.array()?,
            b'{' => self.object()?,
            b'0'..=b'9' => self.number(start)?,
            b'-' if self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) => {
                self.i += 1;
                let digits = self.i;
                match self.number(digits)? {
                    // hcl-edit negates integers as integers: `-0` is `0`, not `-0.0`.
                    ExprKind::Number(n)
                        if n == 0.0 && !self.s[digits..self.i].contains(['.', 'e', 'E']) =>
                    {
                        ExprKind::Number(0.0)
                    }
                    ExprKind::Number(n) => ExprKind::Number(-n),
                    _ => bail!(),
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let name = self.ident()?;
                if self.peek() == Some(b'(') {
                    return self.call(name, start);
                }
                if self.peek() == Some(b':') && self.peek_at(1) == Some(b':') {
                    bail!(); // namespaced function `provider::ns::f(...)`
                }
                match name.name.as_str() {
                    "true" => ExprKind::Bool(true),
                    "false" => ExprKind::Bool(false),
                    "null" => ExprKind::Null,
                    // `for` starts a for expression only inside brackets; that is checked there.
                    _ => ExprKind::Variable(name.name.as_str().into()),
                }
            }
            _ => bail!(),
        };
        let root = Expr {
            kind,
            span: self.span(start),
        };
        self.traversal(root, start)
    }

    /// `.name` and `[index]` after a term; splats and legacy `.0` indexes go to hcl-edit.
    fn traversal(&mut self, root: Expr, start: usize) -> Option<Expr> {
        let base = self.scratch.ops.len();
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(b'.'), Some(c)) if c.is_ascii_alphabetic() || c == b'_' => {
                    self.i += 1;
                    let name = self.ident()?;
                    self.scratch.ops.push(TraversalOp::Attr(name));
                }
                (Some(b'.'), _) => bail!(),
                (Some(b'['), Some(b'*')) => bail!(),
                (Some(b'['), _) => {
                    self.i += 1;
                    self.open()?;
                    self.skip_trivia()?;
                    let index = self.expr()?;
                    self.skip_trivia()?;
                    if self.peek() != Some(b']') {
                        bail!();
                    }
                    self.i += 1;
                    self.close();
                    self.scratch.ops.push(TraversalOp::Index(index));
                }
                _ => break,
            }
        }
        if self.scratch.ops.len() == base {
            return Some(root);
        }
        if !matches!(root.kind, ExprKind::Variable(_)) {
            bail!(); // `[1][0]`, `f(x).y`: rare, and hcl-edit's spans differ there
        }
        // Packed straight from the scratch stack when it can be (nearly always): see `ir::Path`.
        let span = self.span(start);
        let kind = match Path::pack_in(
            span,
            &root,
            &self.scratch.ops[base..],
            &mut self.scratch.paths,
        ) {
            Some(p) => {
                self.scratch.ops.truncate(base);
                ExprKind::Path(p)
            }
            None => {
                let ops = take(&mut self.scratch.ops, base).into_vec();
                ExprKind::Traversal(Box::new(Traversal { root, ops }))
            }
        };
        Some(Expr { kind, span })
    }

    fn number(&mut self, start: usize) -> Option<ExprKind> {
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.i += 1;
            }
            p.i > s
        };
        digits(self);
        if self.peek() == Some(b'.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
            digits(self);
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                bail!();
            }
        }
        // `1x` or `1.` are hcl-edit's to judge.
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
        {
            bail!();
        }
        // Out-of-range numbers are an error in hcl-edit, not infinity.
        let n: f64 = self.s[start..self.i].parse().ok()?;
        n.is_finite().then_some(ExprKind::Number(n))
    }

    fn array(&mut self) -> Option<ExprKind> {
        self.i += 1;
        self.open()?;
        self.skip_trivia()?;
        if self.at_for()? {
            return self.for_expr(false);
        }
        let base = self.scratch.exprs.len();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(b']') {
                self.i += 1;
                self.close();
                return Some(ExprKind::Array(take(&mut self.scratch.exprs, base)));
            }
            if self.b[self.i..].starts_with(b"for") && !self.ident_continues(3) {
                bail!(); // `for` as a later item: hcl-edit's to read
            }
            let item = self.expr()?;
            self.scratch.exprs.push(item);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {}
                _ => bail!(),
            }
        }
    }

    /// Whether a `for` expression starts here (first thing inside `[` or `{`). hcl-edit takes
    /// `for` followed by a space, a tab, a comment or a line end as the keyword; only the first
    /// two are read here. `None` for the other cases, and for `for` as an item name (`[for]`),
    /// which hcl-edit reads its own way.
    fn at_for(&self) -> Option<bool> {
        if !self.b[self.i..].starts_with(b"for") {
            return Some(false);
        }
        match self.peek_at(3) {
            Some(b' ' | b'\t') => Some(true),
            _ if self.ident_continues(3) => Some(false), // `format`, `for_each`
            _ => None,
        }
    }

    /// Consumes `tok` and the trivia after it; `None` when something else comes next.
    fn token(&mut self, tok: &[u8]) -> Option<()> {
        if !self.b[self.i..].starts_with(tok) {
            bail!();
        }
        self.i += tok.len();
        self.skip_trivia()
    }

    /// `item`, then the trivia after it.
    fn spaced<T>(&mut self, item: fn(&mut Self) -> Option<T>) -> Option<T> {
        let out = item(self)?;
        self.skip_trivia()?;
        Some(out)
    }

    /// A keyword (`in`, `if`) followed by a space or a tab.
    fn keyword(&mut self, word: &[u8]) -> bool {
        let n = word.len();
        let at =
            self.b[self.i..].starts_with(word) && matches!(self.peek_at(n), Some(b' ' | b'\t'));
        if at {
            self.i += n;
        }
        at
    }

    /// `for k, v in coll : value if cond` inside `[...]`, or `for k, v in coll : key => value...
    /// if cond` inside `{...}` (`object`), up to and including the closing bracket. Spans follow
    /// hcl-edit's: the intro runs from `for` to the colon, every expression covers its own text.
    fn for_expr(&mut self, object: bool) -> Option<ExprKind> {
        self.i += 3; // `for`, followed by a space or a tab
        self.skip_trivia()?;
        let first = self.ident()?;
        self.skip_trivia()?;
        let (key_var, value_var) = match self.token(b",") {
            Some(()) => (Some(first), self.spaced(Self::ident)?),
            None => (None, first),
        };
        if !self.keyword(b"in") {
            bail!();
        }
        self.skip_trivia()?;
        let collection = self.spaced(Self::expr)?;
        self.token(b":")?;
        let first_expr = self.spaced(Self::expr)?;
        let (key_expr, value_expr) = match object {
            true => {
                self.token(b"=>")?;
                (Some(first_expr), self.spaced(Self::expr)?)
            }
            false => (None, first_expr),
        };
        let grouping = object && self.token(b"...").is_some();
        let cond = match self.keyword(b"if") {
            true => {
                self.skip_trivia()?;
                Some(self.spaced(Self::expr)?)
            }
            false => None,
        };
        let close = if object { b'}' } else { b']' };
        if self.peek() != Some(close) {
            bail!();
        }
        self.i += 1;
        self.close();
        Some(ExprKind::For(Box::new(ForExpr {
            key_var,
            value_var,
            collection,
            key_expr,
            value_expr,
            cond,
            grouping,
        })))
    }

    /// Whether the byte `k` ahead continues an identifier (so `format` is not `for`).
    fn ident_continues(&self, k: usize) -> bool {
        self.peek_at(k)
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c >= 0x80)
    }

    fn object(&mut self) -> Option<ExprKind> {
        self.i += 1;
        self.open()?;
        self.skip_trivia()?;
        if self.at_for()? {
            return self.for_expr(true);
        }
        let base = self.scratch.entries.len();
        let mut seen: HashSet<String> = HashSet::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                Some(b'}') => {
                    self.i += 1;
                    self.close();
                    return Some(ExprKind::Object(take(&mut self.scratch.entries, base)));
                }
                Some(b'"') => {}
                Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                    if self.b[self.i..].starts_with(b"for") && !self.ident_continues(3) {
                        bail!();
                    }
                }
                _ => bail!(),
            }
            let key = if self.peek() == Some(b'"') {
                self.string()?
            } else {
                let id = self.ident()?;
                if matches!(id.name.as_str(), "true" | "false" | "null") {
                    bail!(); // keyword keys: leave their reading to hcl-edit
                }
                Expr {
                    kind: ExprKind::String(id.name),
                    span: id.span,
                }
            };
            self.skip_spaces();
            match self.peek() {
                Some(b'=') if self.peek_at(1) != Some(b'=') => self.i += 1,
                Some(b':') => self.i += 1,
                _ => bail!(),
            }
            self.skip_spaces();
            let value = self.expr()?;
            // hcl-edit rejects a redefined key; compare decoded strings and, for templates, the
            // source text (stricter than hcl-edit is fine: declining is always safe).
            let s: &'a str = self.s;
            let text_of = |k| key_text(s, k);
            let entries = &self.scratch.entries[base..];
            let duplicate = if entries.len() < 16 {
                entries.iter().any(|(k, _)| text_of(k) == text_of(&key))
            } else {
                if seen.is_empty() {
                    seen.extend(entries.iter().map(|(k, _)| text_of(k).to_owned()));
                }
                !seen.insert(text_of(&key).to_owned())
            };
            if duplicate {
                bail!();
            }
            self.scratch.entries.push((key, value));
            // Entries end with a comma, a line end (possibly after a comment) or the brace.
            self.skip_spaces();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}' | b'\n' | b'\r' | b'#') => {}
                Some(b'/') if matches!(self.peek_at(1), Some(b'/' | b'*')) => {}
                _ => bail!(),
            }
        }
    }

    fn call(&mut self, name: Ident, start: usize) -> Option<Expr> {
        self.i += 1;
        self.open()?;
        let base = self.scratch.exprs.len();
        loop {
            self.skip_trivia()?;
            if self.peek() == Some(b')') {
                self.i += 1;
                self.close();
                break;
            }
            let arg = self.expr()?;
            self.scratch.exprs.push(arg);
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b')') => {}
                _ => bail!(), // includes `...` expansion
            }
        }
        let call = Call {
            name,
            args: take(&mut self.scratch.exprs, base).into_vec(),
            expand_final: false,
        };
        let e = Expr {
            kind: ExprKind::Call(Box::new(call)),
            span: self.span(start),
        };
        match self.peek() {
            Some(b'.' | b'[') => bail!(),
            _ => Some(e),
        }
    }

    /// A quoted string: a plain string, or a template of literals and `${...}` interpolations.
    fn string(&mut self) -> Option<Expr> {
        let start = self.i;
        self.i += 1;
        let parts_base = self.scratch.parts.len();
        // The literal run being decoded is `scratch.text[lit..]`. It is empty whenever a nested
        // string (in an interpolation) starts, so the nested one only appends and truncates.
        let lit = self.scratch.text.len();
        loop {
            // Copy the run of ordinary bytes at once.
            let run = self.b[self.i..]
                .iter()
                .position(|&c| matches!(c, b'"' | b'\\' | b'$' | b'%' | b'\n' | b'\r'))?;
            self.scratch.text.push_str(&self.s[self.i..self.i + run]);
            self.i += run;
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\\' => {
                    self.i += 1;
                    self.escape()?;
                }
                c @ (b'$' | b'%') => match (self.peek_at(1), self.peek_at(2)) {
                    (Some(d), Some(b'{')) if d == c => {
                        self.scratch.text.push(char::from(c));
                        self.scratch.text.push('{');
                        self.i += 3;
                    }
                    (Some(b'{'), _) if c == b'$' => {
                        self.i += 2;
                        self.open()?;
                        if self.peek() == Some(b'~') {
                            bail!();
                        }
                        self.flush_literal(lit);
                        self.skip_trivia()?;
                        let e = self.expr()?;
                        self.skip_trivia()?;
                        if self.peek() != Some(b'}') {
                            bail!(); // includes `~}`
                        }
                        self.i += 1;
                        self.close();
                        self.scratch.parts.push(TemplatePart::Interpolation(e));
                    }
                    (Some(b'{'), _) => bail!(), // a `%{` directive
                    _ => {
                        self.scratch.text.push(char::from(c));
                        self.i += 1;
                    }
                },
                _ => bail!(), // a line end inside a quoted string
            }
        }
        let kind = if self.scratch.parts.len() == parts_base {
            ExprKind::String(self.take_text(lit))
        } else {
            self.flush_literal(lit);
            ExprKind::Template(take(&mut self.scratch.parts, parts_base))
        };
        Some(Expr {
            kind,
            span: self.span(start),
        })
    }

    /// Ends the literal run decoded since `lit` as a template part, if it is not empty.
    fn flush_literal(&mut self, lit: usize) {
        if self.scratch.text.len() > lit {
            let text = self.take_text(lit);
            self.scratch.parts.push(TemplatePart::Literal(text));
        }
    }

    /// Moves the text decoded since `lit` off the scratch text.
    fn take_text(&mut self, lit: usize) -> SmolStr {
        let text = SmolStr::new(&self.scratch.text[lit..]);
        self.scratch.text.truncate(lit);
        text
    }

    /// The escapes HCL defines; anything else is hcl-edit's error to report.
    fn escape(&mut self) -> Option<()> {
        let c = self.peek()?;
        self.i += 1;
        let decoded = match c {
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'"' => '"',
            b'\\' => '\\',
            b'u' | b'U' => {
                let n = if c == b'u' { 4 } else { 8 };
                let hex = self.s.get(self.i..self.i + n)?;
                if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                    bail!();
                }
                self.i += n;
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            _ => bail!(),
        };
        self.scratch.text.push(decoded);
        Some(())
    }
}

/// What identifies an object key: its decoded text, or its source for a template key.
fn key_text<'k>(source: &'k str, key: &'k Expr) -> &'k str {
    match &key.kind {
        ExprKind::String(v) => v,
        _ => source.get(key.span.range()).unwrap_or(""),
    }
}
