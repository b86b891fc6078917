//! The compact, span-carrying form of one Terraform file.
//!
//! HCL (`hcl-edit`) and Terraform JSON (`.tf.json`) both load into these types, and the syntax tree
//! is dropped right after: hcl-edit's trees cost about 21x the input in memory, this form about 2-3x.
//! Everything the evaluator and the rules need is here, located: a block has its [`Span`], and
//! its names and expressions a [`Loc`] in the block's file (for JSON, the range of the JSON
//! value). A top-level attribute's file is its declaration's (`crate::workspace`).

use smol_str::SmolStr;

use crate::source::{FileId, Loc, Span};

mod copy;
mod name;
mod path;
mod walk;
pub use name::Name;
pub use path::{Index, Op, Path, PathsOfFile, Root, TraversalView, traversal_kind};

/// One parsed configuration file.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    pub body: Body,
    /// Where the comments that hold a `"` are (a commented-out `key = "value"` needs one), so
    /// that secrets in them are found while the text is still at hand: HCL comments, and the
    /// strings of `.tf.json` `"//"` properties (inside their quotes).
    pub comments: Vec<std::ops::Range<u32>>,
}

/// A comment's byte range as kept in [`ConfigFile::comments`] (files are under 4 GiB: the
/// loaders refuse larger ones).
pub fn comment_range(r: std::ops::Range<usize>) -> std::ops::Range<u32> {
    let at = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    at(r.start)..at(r.end)
}

/// A block body or file body.
#[derive(Debug, Clone, Default)]
pub struct Body {
    // Boxed slices, not vectors: bodies are built once, whole, and there are hundreds of
    // thousands of them (a capacity field each is 8 bytes per list).
    pub attrs: Box<[Attribute]>,
    pub blocks: Box<[Block]>,
}

/// A name with its location.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// Names are short and repeated across module instances: stored inline up to 23 bytes (no
    /// allocation), shared by reference count beyond (clones are cheap).
    pub name: SmolStr,
    pub span: Loc,
}

/// An attribute's name with its location: interned (see [`Name`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Key {
    pub name: Name,
    pub span: Loc,
}

/// `name = expr`.
#[derive(Debug, Clone)]
pub struct Attribute {
    pub name: Key,
    pub expr: Expr,
}

impl Attribute {
    /// The whole attribute, key to end of value. Derived, not stored: attributes are the most
    /// numerous node, and the span was 16 of their 104 bytes.
    pub fn span(&self) -> Loc {
        self.name.span.to(self.expr.span)
    }
}

/// `ident "label" ... { body }`.
#[derive(Debug, Clone)]
pub struct Block {
    pub ident: Ident,
    pub labels: Box<[Ident]>,
    pub body: Body,
    /// The whole block, header to closing brace.
    pub span: Span,
}

impl Block {
    /// The span of the header (`resource "type" "name"`), for findings about the block as a whole.
    pub fn header_span(&self) -> Span {
        let header = (self.labels.last()).map_or(self.ident.span, |l| self.ident.span.to(l.span));
        header.in_file(self.file())
    }

    /// The file the block is written in: its names' and expressions' too.
    pub fn file(&self) -> FileId {
        self.span.file
    }

    pub fn label(&self, i: usize) -> Option<&str> {
        self.labels.get(i).map(|l| l.name.as_str())
    }

    /// For a `dynamic` block: the name its `content` calls the current element by (`iterator`,
    /// else the label).
    pub fn dynamic_iterator(&self) -> Option<String> {
        let named = self.body.attr("iterator").and_then(|a| match &a.expr.kind {
            ExprKind::Variable(n) => Some(n.to_string()),
            _ => None,
        });
        named.or_else(|| self.label(0).map(str::to_owned))
    }
}

/// An expression with its span.
#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Loc,
}

// Every expression holds one: a variant that grew the enum past 24 bytes would add 8 to each.
const _: () = assert!(std::mem::size_of::<ExprKind>() == 24);
// The nodes there are most of: a span with its file would make each 8 bytes larger.
const _: () = assert!(std::mem::size_of::<Expr>() == 32);
const _: () = assert!(std::mem::size_of::<Ident>() == 32);
const _: () = assert!(std::mem::size_of::<Attribute>() == 48);

#[derive(Debug, Clone)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(f64),
    /// A string with no interpolation (escapes already decoded).
    String(SmolStr),
    /// A string or heredoc with interpolations.
    Template(Box<[TemplatePart]>),
    /// A bare name: `var`, `local`, `each`, a resource type, a `for` variable. Boxed, not a
    /// [`SmolStr`]: two 24-byte payloads would make every expression 8 bytes larger, and bare
    /// names are rare (a name with attributes is a [`Path`]).
    Variable(Box<str>),
    /// `root.attr[index].*` ... in general; built with [`traversal_kind`], read with
    /// [`Expr::traversal`].
    Traversal(Box<Traversal>),
    /// `name.attr["key"]...`: the same, packed (see [`Path`]).
    Path(Path),
    Array(Box<[Expr]>),
    /// Keys are expressions: a bare identifier key is written as `ExprKind::String`.
    Object(Box<[(Expr, Expr)]>),
    Call(Box<Call>),
    For(Box<ForExpr>),
    Conditional(Box<[Expr; 3]>),
    Binary(BinaryOp, Box<[Expr; 2]>),
    Unary(UnaryOp, Box<Expr>),
    /// Something the loader does not model (a JSON number it cannot read); evaluates to unknown.
    Unsupported(&'static str),
}

#[derive(Debug, Clone)]
pub enum TemplatePart {
    Literal(SmolStr),
    Interpolation(Expr),
    /// `%{ if cond }...%{ else }...%{ endif }`. Boxed: directives are rare, and a part is as
    /// large as its largest variant.
    If(Box<TemplateIf>),
    /// `%{ for k, v in collection }...%{ endfor }`.
    For(Box<TemplateFor>),
}

/// A template's `%{ if }` directive, strip markers already applied to its literals.
#[derive(Debug, Clone)]
pub struct TemplateIf {
    pub cond: Expr,
    pub then: Box<[TemplatePart]>,
    /// Empty without `%{ else }`.
    pub otherwise: Box<[TemplatePart]>,
}

/// A template's `%{ for }` directive: its body is rendered once per element, with the key and
/// value variables bound.
#[derive(Debug, Clone)]
pub struct TemplateFor {
    pub key_var: Option<Ident>,
    pub value_var: Ident,
    pub collection: Expr,
    pub body: Box<[TemplatePart]>,
}

#[derive(Debug, Clone)]
pub struct Traversal {
    pub root: Expr,
    pub ops: Vec<TraversalOp>,
}

#[derive(Debug, Clone)]
pub enum TraversalOp {
    /// `.name`
    Attr(Ident),
    /// `[expr]`
    Index(Expr),
    /// `.0` (legacy index syntax)
    LegacyIndex(u64, Loc),
    /// `.*`
    AttrSplat(Loc),
    /// `[*]`
    FullSplat(Loc),
}

impl TraversalOp {
    pub fn span(&self) -> Loc {
        match self {
            TraversalOp::Attr(i) => i.span,
            TraversalOp::Index(e) => e.span,
            TraversalOp::LegacyIndex(_, s)
            | TraversalOp::AttrSplat(s)
            | TraversalOp::FullSplat(s) => *s,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Call {
    pub name: Ident,
    pub args: Vec<Expr>,
    /// `f(args...)`
    pub expand_final: bool,
}

#[derive(Debug, Clone)]
pub struct ForExpr {
    pub key_var: Option<Ident>,
    pub value_var: Ident,
    pub collection: Expr,
    /// `Some` for an object `for` (`{for k, v in x : k => v}`).
    pub key_expr: Option<Expr>,
    pub value_expr: Expr,
    pub cond: Option<Expr>,
    /// `...` after the value in an object `for`.
    pub grouping: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
    And,
    Or,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

/// A `dynamic` block inside a nested block of a `.tf.json` file: the nested block is an object
/// expression there (JSON cannot tell it from a map without the provider's schema), so its
/// `"dynamic": {"label": {"for_each": ..., "content": {...}}}` is one too. Terraform expands it
/// as in HCL; the evaluator and the reference check read it with [`json_dynamics`].
#[derive(Debug)]
pub struct JsonDynamic<'a> {
    /// The generated blocks' type.
    pub label: &'a str,
    /// The name `content` calls the current element by (`"iterator"`, else the label).
    pub iterator: String,
    pub for_each: Option<&'a Expr>,
    pub content: Option<&'a Expr>,
}

/// The `dynamic` blocks an object expression's `key: value` entry stands for: `key` is
/// `"dynamic"` and `value` maps labels to bodies (objects, or arrays of them as HCL's JSON
/// syntax allows) with a `content` or `for_each`. `None` for any other entry, a map's key that
/// happens to be called `dynamic` included.
pub fn json_dynamics<'a>(key: &Expr, value: &'a Expr) -> Option<Vec<JsonDynamic<'a>>> {
    if !matches!(&key.kind, ExprKind::String(k) if k == "dynamic") {
        return None;
    }
    fn objects(e: &Expr) -> Option<Vec<&[(Expr, Expr)]>> {
        match &e.kind {
            ExprKind::Object(fields) => Some(vec![fields]),
            ExprKind::Array(items) => items
                .iter()
                .map(|i| match &i.kind {
                    ExprKind::Object(fields) => Some(&**fields),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }
    fn string(e: &Expr) -> Option<&str> {
        match &e.kind {
            ExprKind::String(s) => Some(s),
            _ => None,
        }
    }
    let mut out = Vec::new();
    for labels in objects(value)? {
        for (label, bodies) in labels {
            let label = string(label)?;
            for body in objects(bodies)? {
                let field = |name: &str| {
                    (body.iter())
                        .find(|(k, _)| string(k) == Some(name))
                        .map(|(_, v)| v)
                };
                // `"content": [{...}]`, as generated JSON often writes a block, is the object.
                let content = field("content").map(|c| match &c.kind {
                    ExprKind::Array(items) if items.len() == 1 => &items[0],
                    _ => c,
                });
                let for_each = field("for_each");
                if for_each.is_none() && content.is_none() {
                    return None;
                }
                let iterator = field("iterator").and_then(string).unwrap_or(label);
                out.push(JsonDynamic {
                    label,
                    iterator: iterator.to_owned(),
                    for_each,
                    content,
                });
            }
        }
    }
    Some(out)
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attrs.iter().find(|a| a.name.name == name)
    }

    /// Nested blocks named `name`. In `.tf.json` only the blocks Terraform itself defines
    /// (`dynamic`, ...) are blocks: those of a provider's schema are JSON objects (or arrays of
    /// objects) in attribute position, which the evaluator reads like blocks.
    pub fn blocks_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.ident.name == name)
    }
}
