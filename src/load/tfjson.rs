//! The Terraform JSON loader: `*.tf.json` and `*.tfvars.json` text into [`ConfigFile`].
//!
//! Terraform's JSON syntax (<https://developer.hashicorp.com/terraform/language/syntax/json>) maps
//! top-level properties to blocks: `"resource": {type: {name: body}}` is the block
//! `resource "type" "name" { body }`. At every label level an array of objects may stand for an
//! object (HCL's JSON spec), and a body may be an array of bodies (several blocks). Inside a body
//! every property is an attribute whose expression mirrors the JSON value, and a nested block of
//! the provider's schema stays an object/array expression, which the evaluator reads the same way
//! as a block: without the schema, JSON cannot tell a block from a map. The nested blocks
//! Terraform itself defines ([`nested_block`]: `dynamic` and its `content`, ...) are told apart by
//! name, and become blocks as in HCL, for the readers that treat them unlike attributes.
//!
//! JSON strings are templates: `"${genesyscloud_routing_wrapupcode.Resolved.id}"` (what
//! `genesyscloud_tf_export` writes) becomes the same template the HCL loader produces, parsed by
//! hcl-edit. The template's spans are shifted into the JSON file; when the JSON string holds escapes
//! the offsets no longer line up, and every node inside takes the whole string's span instead.
//! As in Terraform, a variable's `default` is a literal, its `type` and the `depends_on` /
//! `provider` meta-arguments are expressions, `"//"` properties of a block body are comments
//! (kept as [`ConfigFile::comments`] when they are strings, for the secrets in them), and
//! `.tfvars.json` values are literals.
//!
//! Syntax is read as strictly as Terraform reads it (hashicorp/hcl `json/parser.go`): comments,
//! trailing commas, single quotes, bare keys, hexadecimal or non-finite numbers and raw control
//! characters in strings fail `terraform validate`, so each is a [`LoadError`] at its position
//! instead of a file that passes here and fails there.
//!
//! A JSON block has no keyword token of its own, so a block's `ident` span is its innermost label
//! key (or the block-type key when it has no labels): [`Block::header_span`] then points at the
//! resource's name, not at a range spanning every resource before it.

use std::borrow::Cow;
use std::cell::RefCell;

use jsonc_parser::CollectOptions;
use jsonc_parser::ast::{Array, Object, ObjectProp, ObjectPropName, StringLit, Value};

use super::LoadError;
use super::depth::{self, Syntax};
use super::hcl::{Conv, error_message};
use crate::ir::{Attribute, Block, Body, ConfigFile, Expr, ExprKind, Ident, Key, Name};
use crate::source::{FileId, Loc, Span};

/// Parses a `.tf.json` file. An empty file is a valid, empty configuration.
pub fn parse_tf_json(file: FileId, text: &str) -> Result<ConfigFile, LoadError> {
    // Its strings are templates and expressions, read by hcl-edit, which backtracks on some with
    // many brackets (see `time_limit`). A thread costs about 60 us, as much as reading a small
    // file: only a file with such a string pays it.
    if !has_bracketed_template(text) {
        return read_tf_json(file, text);
    }
    let limit = super::time_limit::limit_for(text.len());
    super::time_limit::parse_within(file, text, limit, move |text| read_tf_json(file, text))
}

/// Brackets in one string after a `${` or `%{` from which hcl-edit may take long: the fuzzed
/// string that took seconds had 45; the same with 30 of them took 5 ms.
const RISKY_BRACKETS: usize = 16;

/// Does a JSON string of `text` have [`RISKY_BRACKETS`] opening brackets after a `${` or `%{`?
/// One pass over the bytes, strings told apart by their unescaped quotes.
fn has_bracketed_template(text: &str) -> bool {
    let (mut in_string, mut escaped, mut templated, mut brackets) = (false, false, false, 0);
    let mut prev = 0u8;
    for &b in text.as_bytes() {
        if !in_string {
            in_string = b == b'"';
            (templated, brackets, escaped) = (false, 0, false);
        } else if escaped {
            escaped = false;
        } else {
            match b {
                b'\\' => escaped = true,
                b'"' => in_string = false,
                b'{' if matches!(prev, b'$' | b'%') => templated = true,
                _ => {}
            }
            if templated && matches!(b, b'[' | b'(' | b'{') {
                brackets += 1;
                if brackets >= RISKY_BRACKETS {
                    return true;
                }
            }
        }
        prev = b;
    }
    false
}

fn read_tf_json(file: FileId, text: &str) -> Result<ConfigFile, LoadError> {
    let text = &*json_text(text);
    let Some(root) = parse_root(file, text)? else {
        return Ok(ConfigFile::default());
    };
    // A body may be an array of objects, the top level's too (HCL's JSON spec; Terraform reads
    // `[{"locals": ...}, {"resource": ...}]` as the two objects' properties together).
    let roots = match root {
        Value::Object(o) => vec![o],
        Value::Array(a) => (a.elements.into_iter())
            .map(|v| match v {
                Value::Object(o) => Ok(o),
                other => Err(not_an_object(file, &other)),
            })
            .collect::<Result<_, _>>()?,
        other => return Err(not_an_object(file, &other)),
    };
    let cx = Cx {
        file,
        text,
        comments: RefCell::default(),
    };
    let mut blocks = Vec::new();
    for prop in roots.into_iter().flat_map(|o| o.properties) {
        let key = prop.name.as_str();
        if key == "//" {
            cx.comment(&prop.value);
            continue;
        }
        let labels = match key {
            "resource" | "data" | "ephemeral" => 2,
            "variable" | "output" | "module" | "provider" | "check" => 1,
            // `terraform`, `locals`, `moved`, `import`, `removed` and anything newer: no labels.
            _ => 0,
        };
        cx.property_blocks(prop, labels, &mut blocks)?;
    }
    let body = Body {
        attrs: Box::default(),
        blocks: blocks.into(),
    };
    Ok(ConfigFile {
        body,
        comments: cx.comments.into_inner(),
    })
}

/// Parses a `.tfvars.json` file: its top-level object's properties are attributes whose values
/// are literal (Terraform does not read templates in variable files).
pub fn parse_tfvars_json(file: FileId, text: &str) -> Result<ConfigFile, LoadError> {
    let text = &*json_text(text);
    // Variables are a single object's properties (Terraform: "A JSON object is required").
    let root = match parse_root(file, text)? {
        None => return Ok(ConfigFile::default()),
        Some(Value::Object(o)) => o,
        Some(other) => return Err(not_an_object(file, &other)),
    };
    let cx = Cx {
        file,
        text,
        comments: RefCell::default(),
    };
    let attrs = (root.properties.into_iter())
        .map(|prop| cx.attribute(prop, Mode::Literal))
        .collect::<Result<_, _>>()?;
    let body = Body {
        attrs,
        blocks: Box::default(),
    };
    Ok(ConfigFile {
        body,
        comments: Vec::new(),
    })
}

/// The text as JSON is read: a byte order mark blanked, and an escaped UTF-16 surrogate that has
/// no other half (`"\ud800"`) made U+FFFD. Go's JSON decoder, which Terraform's parser uses
/// for strings, reads it so; jsonc-parser refuses it. `\ufffd` is as long as the escape it
/// replaces, so every offset stays the file's.
fn json_text(text: &str) -> Cow<'_, str> {
    let text = super::blank_bom(text);
    let lone = lone_surrogates(&text);
    if lone.is_empty() {
        return text;
    }
    let mut fixed = text.into_owned().into_bytes();
    for at in lone {
        fixed[at..at + 6].copy_from_slice(b"\\ufffd");
    }
    // Only ASCII was replaced by ASCII: the text stays UTF-8 (lossy only in name).
    Cow::Owned(
        String::from_utf8(fixed)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

/// The offsets of the `\uXXXX` escapes in `text` that are half of a surrogate pair without
/// the other half. Outside strings a backslash is an error the parser reports anyway.
fn lone_surrogates(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let unit = |at: usize| -> Option<u16> {
        let hex = b.get(at..at + 6)?;
        (hex[..2] == *b"\\u" && hex[2..].iter().all(u8::is_ascii_hexdigit))
            .then(|| std::str::from_utf8(&hex[2..]).ok())
            .flatten()
            .and_then(|h| u16::from_str_radix(h, 16).ok())
    };
    let mut lone = Vec::new();
    let mut at = 0;
    // A backslash ending the text leaves `at` past its end.
    while let Some(i) = b.get(at..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        at += i;
        match unit(at) {
            Some(0xd800..=0xdbff) if matches!(unit(at + 6), Some(0xdc00..=0xdfff)) => at += 12,
            Some(0xd800..=0xdfff) => {
                lone.push(at);
                at += 6;
            }
            // Any other escape is two characters at least: `\\` must not start a `\u`.
            _ => at += 2,
        }
    }
    lone
}

fn not_an_object(file: FileId, v: &Value<'_>) -> LoadError {
    let r = value_range(v);
    LoadError::new(
        "expected a JSON object at the top level",
        Span::new(file, r.start..r.end),
    )
}

/// Checks and parses the text (`None` for an empty file).
fn parse_root<'a>(file: FileId, text: &'a str) -> Result<Option<Value<'a>>, LoadError> {
    depth::check(file, text, Syntax::Json)?;
    let collect = CollectOptions::default();
    let parsed = jsonc_parser::parse_to_ast(text, &collect, &crate::velocity::strict_json())
        .map_err(|e| {
            let r = e.range();
            LoadError::new(
                lower_first(&e.kind().to_string()),
                Span::new(file, r.start..r.end),
            )
        })?;
    not_json_text(text).map_or(Ok(()), |(at, message)| {
        Err(LoadError::new(message, Span::new(file, at..at)))
    })?;
    Ok(parsed.value)
}

/// What jsonc-parser accepts even with its strict options and Terraform's JSON parser does
/// not: a control character inside a string (JSON wants it escaped), and whitespace other than
/// space, tab and line breaks between tokens. Its offset and message, once the text has parsed,
/// so every byte outside strings is a token's or whitespace.
fn not_json_text(text: &str) -> Option<(usize, &'static str)> {
    let (mut in_string, mut escaped) = (false, false);
    for (at, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                '\0'..='\u{1f}' => {
                    return Some((
                        at,
                        "control character in a string (write it as an escape, such as `\\t`)",
                    ));
                }
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c.is_whitespace() && !matches!(c, ' ' | '\t' | '\n' | '\r') {
            return Some((
                at,
                "whitespace that JSON does not allow (only spaces, tabs and line breaks)",
            ));
        }
    }
    None
}

/// How the strings of a value are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Strings are templates (`"${var.x}"`); the default for configuration.
    Template,
    /// Strings are literal text (variable defaults, `.tfvars.json`).
    Literal,
    /// Strings hold an expression (`"list(string)"`, `"aws_instance.a"`).
    Expression,
}

struct Cx<'t> {
    file: FileId,
    text: &'t str,
    /// The `"//"` comments read so far ([`ConfigFile::comments`]).
    comments: RefCell<Vec<std::ops::Range<u32>>>,
}

impl Cx<'_> {
    fn span(&self, r: jsonc_parser::common::Range) -> Loc {
        Loc::new(r.start..r.end)
    }

    fn key_span(&self, name: &ObjectPropName<'_>) -> Loc {
        match name {
            ObjectPropName::String(s) => self.span(s.range),
            ObjectPropName::Word(w) => self.span(w.range),
        }
    }

    /// A `"//"` property, JSON's comment: a string's text (inside its quotes, escapes and all)
    /// is kept as HCL comments are, when it holds a quote, so that a commented-out secret
    /// (`"//": "client_secret = \"...\""`) is found there too.
    fn comment(&self, value: &Value<'_>) {
        if let Value::StringLit(s) = value {
            let inner = s.range.start + 1..s.range.end.saturating_sub(1);
            if self
                .text
                .get(inner.clone())
                .is_some_and(|t| t.contains('"'))
            {
                (self.comments.borrow_mut()).push(crate::ir::comment_range(inner));
            }
        }
    }

    /// Walks the label levels of a block type, pushing one [`Block`] per body found.
    ///
    /// `outer` is the span of the JSON text that holds the body (the innermost `"name": {...}`
    /// property, or the array element).
    fn blocks(
        &self,
        kind: &Ident,
        value: Value<'_>,
        labels_left: usize,
        labels: &mut Vec<Ident>,
        outer: Loc,
        out: &mut Vec<Block>,
    ) -> Result<(), LoadError> {
        match value {
            // An array of objects stands for the objects one after the other, at any level.
            Value::Array(a) => {
                for element in a.elements {
                    let span = self.span(value_range(&element));
                    self.blocks(kind, element, labels_left, labels, span, out)?;
                }
                Ok(())
            }
            Value::Object(o) if labels_left > 0 => {
                for prop in o.properties {
                    let label = Ident {
                        name: prop.name.as_str().into(),
                        span: self.key_span(&prop.name),
                    };
                    let span = self.span(prop.range);
                    labels.push(label);
                    let result = self.blocks(kind, prop.value, labels_left - 1, labels, span, out);
                    labels.pop();
                    result?;
                }
                Ok(())
            }
            Value::Object(o) => {
                let ident_span = labels.last().map_or(kind.span, |l| l.span);
                let body = self.body(o, &kind.name)?;
                out.push(Block {
                    ident: Ident {
                        name: kind.name.clone(),
                        span: ident_span,
                    },
                    labels: labels.as_slice().into(),
                    body,
                    span: outer.in_file(self.file),
                });
                Ok(())
            }
            other => Err(LoadError::new(
                format!("expected a JSON object for a `{}` block", kind.name),
                self.span(value_range(&other)).in_file(self.file),
            )),
        }
    }

    /// The blocks a property stands for, its key their type (`"resource": {...}`), appended to
    /// `out`.
    fn property_blocks(
        &self,
        prop: ObjectProp<'_>,
        labels: usize,
        out: &mut Vec<Block>,
    ) -> Result<(), LoadError> {
        let kind = Ident {
            name: prop.name.as_str().into(),
            span: self.key_span(&prop.name),
        };
        let span = self.span(prop.range);
        self.blocks(&kind, prop.value, labels, &mut Vec::new(), span, out)
    }

    /// A block body: every property but `"//"` and Terraform's own nested blocks is an attribute.
    fn body(&self, o: Object<'_>, block_type: &str) -> Result<Body, LoadError> {
        let mut attrs = Vec::with_capacity(o.properties.len());
        let mut blocks = Vec::new();
        for prop in o.properties {
            let key = prop.name.as_str();
            if key == "//" {
                self.comment(&prop.value);
                continue;
            }
            if let Some(labels) = nested_block(block_type, key) {
                self.property_blocks(prop, labels, &mut blocks)?;
                continue;
            }
            let mode = match (block_type, key) {
                ("variable", "default") => Mode::Literal,
                ("variable", "type") => Mode::Expression,
                (
                    "resource" | "data" | "module" | "output" | "ephemeral",
                    "depends_on" | "provider",
                ) => Mode::Expression,
                // A name for the element, as HCL's `iterator = code` (hcl's dynblock reads it
                // as a traversal in JSON too).
                ("dynamic", "iterator") => Mode::Expression,
                _ => Mode::Template,
            };
            attrs.push(self.attribute(prop, mode)?);
        }
        Ok(Body {
            attrs: attrs.into(),
            blocks: blocks.into(),
        })
    }

    fn attribute(&self, prop: ObjectProp<'_>, mode: Mode) -> Result<Attribute, LoadError> {
        let key_span = self.key_span(&prop.name);
        let name = Key {
            name: Name::new(prop.name.as_str()),
            span: key_span,
        };
        Ok(Attribute {
            name,
            expr: self.value(prop.value, mode)?,
        })
    }

    fn value(&self, value: Value<'_>, mode: Mode) -> Result<Expr, LoadError> {
        let span = self.span(value_range(&value));
        let kind = match value {
            Value::NullKeyword(_) => ExprKind::Null,
            Value::BooleanLit(b) => ExprKind::Bool(b.value),
            Value::NumberLit(n) => parse_number(n.value),
            Value::StringLit(s) => return self.string(s, mode),
            Value::Array(Array { elements, .. }) => ExprKind::Array(
                elements
                    .into_iter()
                    .map(|e| self.value(e, mode))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(o) => {
                let mut entries = Vec::with_capacity(o.properties.len());
                for prop in o.properties {
                    let key = match prop.name {
                        ObjectPropName::String(s) => self.string(s, key_mode(mode))?,
                        ObjectPropName::Word(w) => Expr {
                            kind: ExprKind::String(w.value.into()),
                            span: self.span(w.range),
                        },
                    };
                    entries.push((key, self.value(prop.value, mode)?));
                }
                ExprKind::Object(entries.into_boxed_slice())
            }
        };
        Ok(Expr { kind, span })
    }

    /// A JSON string, read according to `mode`.
    fn string(&self, s: StringLit<'_>, mode: Mode) -> Result<Expr, LoadError> {
        let span = self.span(s.range);
        let is_template = s.value.contains("${") || s.value.contains("%{");
        match mode {
            Mode::Literal => Ok(Expr {
                kind: ExprKind::String(s.value.as_ref().into()),
                span,
            }),
            Mode::Template if !is_template => Ok(Expr {
                kind: ExprKind::String(s.value.as_ref().into()),
                span,
            }),
            Mode::Template => {
                let conv = self.inner_conv(&s, span);
                let template = hcl_edit::parser::parse_template(&s.value).map_err(|e| {
                    LoadError::new(
                        format!("invalid template: {}", error_message(&e)),
                        span.in_file(self.file),
                    )
                })?;
                Ok(Expr {
                    kind: conv.template(template, span),
                    span,
                })
            }
            Mode::Expression => {
                let conv = self.inner_conv(&s, span);
                let expr = hcl_edit::parser::parse_expr(&s.value).map_err(|e| {
                    LoadError::new(
                        format!("invalid expression: {}", error_message(&e)),
                        span.in_file(self.file),
                    )
                })?;
                Ok(conv.expr(expr, span))
            }
        }
    }

    /// A converter for HCL text held in a JSON string: exact offsets when the string's source is
    /// its value (no escapes), otherwise the whole string's span for every node.
    fn inner_conv(&self, s: &StringLit<'_>, span: Loc) -> Conv {
        let (start, end) = (s.range.start, s.range.end);
        let raw = self.text.get(start + 1..end.saturating_sub(1));
        match (raw, &s.value) {
            (Some(raw), Cow::Borrowed(v)) if raw == *v => Conv::at(self.file, start + 1),
            (Some(raw), v) if raw == v.as_ref() => Conv::at(self.file, start + 1),
            _ => Conv::fixed(self.file, span),
        }
    }
}

/// The number of labels of `key` when it is a nested block that Terraform defines in a
/// `parent` block (not the provider's schema, which JSON cannot tell from a map attribute).
fn nested_block(parent: &str, key: &str) -> Option<usize> {
    match (parent, key) {
        // `dynamic "roles" { for_each = ..., content { ... } }`, in a resource or in the
        // `content` of another `dynamic`. One in a schema block written as an object is not
        // found: that object is an expression.
        ("resource" | "data" | "ephemeral" | "content", "dynamic") => Some(1),
        ("dynamic", "content") => Some(0),
        // Where `self` is the resource: a provisioner, a connection, a postcondition.
        ("resource", "provisioner") => Some(1),
        ("resource" | "provisioner", "connection") => Some(0),
        ("resource" | "data" | "ephemeral", "lifecycle") => Some(0),
        ("lifecycle", "precondition" | "postcondition") => Some(0),
        // A `check` block's own data sources, declared for it alone, and its assertions.
        ("check", "data") => Some(2),
        ("check", "assert") => Some(0),
        _ => None,
    }
}

/// Object keys inside an expression are templates like the values; in literal data they are text.
fn key_mode(mode: Mode) -> Mode {
    match mode {
        Mode::Literal => Mode::Literal,
        Mode::Template | Mode::Expression => Mode::Template,
    }
}

fn value_range(v: &Value<'_>) -> jsonc_parser::common::Range {
    match v {
        Value::StringLit(s) => s.range,
        Value::NumberLit(n) => n.range,
        Value::BooleanLit(b) => b.range,
        Value::Object(o) => o.range,
        Value::Array(a) => a.range,
        Value::NullKeyword(n) => n.range,
    }
}

/// A JSON number (the strict parser lets no other form through).
fn parse_number(text: &str) -> ExprKind {
    match text.parse::<f64>() {
        Ok(n) => ExprKind::Number(n),
        Err(_) => ExprKind::Unsupported("number"),
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod bracket_tests {
    use super::has_bracketed_template;

    #[test]
    fn only_a_template_with_many_brackets_is_risky() {
        let many = format!("{{\"a\": \"${{{}\"}}", "[(".repeat(8));
        assert!(has_bracketed_template(&many));
        // Brackets before the template, in another string, or escaped quotes between.
        let before = format!("{{\"a\": \"{}${{x}}\"}}", "[".repeat(20));
        assert!(!has_bracketed_template(&before));
        let split = format!("{{\"a\": \"${{[[[[\", \"b\": \"{}\"}}", "[".repeat(14));
        assert!(!has_bracketed_template(&split));
        let escaped = format!("{{\"a\": \"%{{ \\\"{}\\\" \"}}", "(".repeat(16));
        assert!(has_bracketed_template(&escaped));
        assert!(!has_bracketed_template(
            "{\"a\": \"${jsonencode({b = [1, 2]})}\"}"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Op, Root, TemplatePart};
    use crate::load::hcl::parse_hcl;
    use crate::load::hcl::tests::{render, render_expr};

    const F: FileId = FileId(7);

    fn parse(text: &str) -> ConfigFile {
        match parse_tf_json(F, text) {
            Ok(c) => c,
            Err(e) => panic!("parse failed: {e} at {:?}", e.span),
        }
    }

    fn slice(text: &str, at: impl crate::load::test_text::Located) -> &str {
        crate::load::test_text::slice(text, F, at)
    }

    #[test]
    fn export_style_reference_is_a_template_with_located_traversal() {
        let text = r#"{"resource": {"genesyscloud_routing_queue": {"Support": {"name": "Support", "wrapup_codes":
   ["${genesyscloud_routing_wrapupcode.Resolved.id}"]}}}}"#;
        let c = parse(text);
        let [q] = &c.body.blocks[..] else {
            panic!("one block")
        };
        assert_eq!(q.ident.name, "resource");
        assert_eq!(q.label(0), Some("genesyscloud_routing_queue"));
        assert_eq!(q.label(1), Some("Support"));
        assert_eq!(
            slice(text, q.labels[0].span),
            "\"genesyscloud_routing_queue\""
        );
        // The header points at the resource's name, not across everything before it.
        assert_eq!(slice(text, q.header_span()), "\"Support\"");
        assert!(slice(text, q.span).starts_with("\"Support\": {"));
        let name = q.body.attr("name").expect("name");
        assert_eq!(slice(text, name.name.span), "\"name\"");
        assert_eq!(slice(text, name.span()), "\"name\": \"Support\"");
        assert!(matches!(&name.expr.kind, ExprKind::String(s) if s == "Support"));

        let codes = &q.body.attr("wrapup_codes").expect("codes").expr;
        let ExprKind::Array(items) = &codes.kind else {
            panic!("not an array")
        };
        assert_eq!(
            slice(text, items[0].span),
            "\"${genesyscloud_routing_wrapupcode.Resolved.id}\""
        );
        let ExprKind::Template(parts) = &items[0].kind else {
            panic!("not a template")
        };
        let [TemplatePart::Interpolation(e)] = &parts[..] else {
            panic!("{parts:?}")
        };
        assert_eq!(
            render_expr(e),
            "var:genesyscloud_routing_wrapupcode.Resolved.id"
        );
        assert_eq!(
            slice(text, e.span),
            "genesyscloud_routing_wrapupcode.Resolved.id"
        );
        let t = e.traversal().expect("a traversal");
        assert!(
            matches!(t.root, Root::Name(_, s) if slice(text, s) == "genesyscloud_routing_wrapupcode")
        );
        assert!(matches!(t.ops[0], Op::Attr("Resolved", s) if slice(text, s) == "Resolved"));
    }

    #[test]
    fn escapes_fall_back_to_the_whole_string_span() {
        let text =
            r#"{"locals": {"a": "\u0041 ${var.x}", "b": "$${not} ${var.y}", "c": "$${only}"}}"#;
        let c = parse(text);
        let locals = &c.body.blocks[0];
        assert_eq!(locals.ident.name, "locals");
        assert!(locals.labels.is_empty());
        let a = &locals.body.attr("a").expect("a").expr;
        assert_eq!(render_expr(a), r#"tpl("A " ${var:var.x})"#);
        let ExprKind::Template(parts) = &a.kind else {
            panic!("not a template")
        };
        let TemplatePart::Interpolation(x) = &parts[1] else {
            panic!("{parts:?}")
        };
        assert_eq!(x.span, a.span, "escaped string: whole-string span");
        assert_eq!(slice(text, a.span), r#""\u0041 ${var.x}""#);
        let b = &locals.body.attr("b").expect("b").expr;
        assert_eq!(render_expr(b), r#"tpl("${not} " ${var:var.y})"#);
        let ExprKind::Template(parts) = &b.kind else {
            panic!("not a template")
        };
        let TemplatePart::Interpolation(y) = &parts[1] else {
            panic!("{parts:?}")
        };
        assert_eq!(slice(text, y.span), "var.y", "no escapes: exact span");
        assert_eq!(
            render_expr(&locals.body.attr("c").expect("c").expr),
            r#""${only}""#
        );
    }

    #[test]
    fn block_shapes_and_nested_blocks() {
        let c = parse(include_str!("../../testdata/load/export.tf.json"));
        let names: Vec<_> = c
            .body
            .blocks
            .iter()
            .map(|b| {
                format!(
                    "{} {:?}",
                    b.ident.name,
                    b.labels.iter().map(|l| &l.name).collect::<Vec<_>>()
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                r#"resource ["genesyscloud_routing_wrapupcode", "Resolved"]"#,
                r#"resource ["genesyscloud_routing_queue", "Support"]"#,
                r#"resource ["genesyscloud_outbound_ruleset", "Rules"]"#,
                "terraform []",
            ]
        );
        // A nested block stays an array of objects.
        let rules = &c.body.blocks[2].body.attr("rules").expect("rules").expr;
        assert_eq!(
            render_expr(rules),
            r#"[{"conditions": [{"type": "wrapupCondition", "codes": [tpl(${var:genesyscloud_routing_wrapupcode.Resolved.id})]}]}]"#
        );

        // Arrays of objects at label level and at body level: one block per body.
        let text = r#"{"resource": [{"t": {"a": [{"x": 1}, {"x": 2}]}}, {"t": {"b": {}}}],
                       "locals": [{"p": 1}, {"q": 2}], "variable": {"v": {"default": "${x}", "type": "list(string)"}}}"#;
        let c = parse(text);
        let rendered: Vec<_> = c
            .body
            .blocks
            .iter()
            .map(|b| {
                render(&Body {
                    attrs: Box::default(),
                    blocks: Box::new([b.clone()]),
                })
            })
            .collect();
        assert_eq!(
            rendered,
            [
                "resource \"t\" \"a\" {\n  x = 1\n}\n",
                "resource \"t\" \"a\" {\n  x = 2\n}\n",
                "resource \"t\" \"b\" {\n}\n",
                "locals  {\n  p = 1\n}\n",
                "locals  {\n  q = 2\n}\n",
                "variable \"v\" {\n  default = \"${x}\"\n  type = list(var:string)\n}\n",
            ]
        );
    }

    #[test]
    fn dynamic_blocks_are_blocks_as_in_hcl() {
        let hcl = parse_hcl(
            F,
            "resource \"t\" \"n\" {\n  name = \"N\"\n  dynamic \"roles\" {\n    for_each = \"${var.ids}\"\n    iterator = r\n    content {\n      role_id = \"${r.value}\"\n      dynamic \"grants\" {\n        for_each = \"${r.value.grants}\"\n        content {\n          g = \"${grants.value}\"\n        }\n      }\n    }\n  }\n}\n",
        )
        .expect("valid");
        let expected = render(&hcl.body);
        assert!(expected.contains("dynamic \"grants\""), "{expected}");
        let content = r#"{"role_id": "${r.value}", "dynamic": {"grants": {"for_each": "${r.value.grants}", "content": {"g": "${grants.value}"}}}}"#;
        let roles =
            format!(r#"{{"for_each": "${{var.ids}}", "iterator": "r", "content": {content}}}"#);
        // Every shape HCL's JSON syntax allows: objects, or arrays of them at each level.
        for dynamic in [
            format!(r#"{{"roles": {roles}}}"#),
            format!(r#"[{{"roles": {roles}}}]"#),
            format!(
                r#"{{"roles": [{}]}}"#,
                roles.replace(&format!(": {content}"), &format!(": [{content}]"))
            ),
        ] {
            let text = format!(
                r#"{{"resource": {{"t": {{"n": {{"name": "N", "dynamic": {dynamic}}}}}}}}}"#
            );
            let json = parse(&text);
            assert_eq!(render(&json.body), expected, "{text}");
            let b = &json.body.blocks[0].body.blocks[0];
            assert_eq!(b.dynamic_iterator().as_deref(), Some("r"));
            assert_eq!(slice(&text, b.header_span()), "\"roles\"");
        }
    }

    #[test]
    fn provisioners_and_conditions_are_blocks_as_in_hcl() {
        let hcl = parse_hcl(
            F,
            "resource \"t\" \"n\" {\n  provisioner \"local-exec\" {\n    command = \"echo ${self.name}\"\n    connection {\n      host = \"${self.host}\"\n    }\n  }\n  lifecycle {\n    postcondition {\n      condition = \"${self.name != \"\"}\"\n    }\n  }\n}\n",
        )
        .expect("valid");
        let expected = render(&hcl.body);
        assert!(expected.contains("postcondition"), "{expected}");
        let provisioner = r#"{"local-exec": {"command": "echo ${self.name}", "connection": {"host": "${self.host}"}}}"#;
        let lifecycle = r#"{"postcondition": {"condition": "${self.name != \"\"}"}}"#;
        // The object form, and the array form Terraform's documentation recommends (it keeps
        // the order of several provisioners).
        for (provisioner, lifecycle) in [
            (provisioner.to_owned(), lifecycle.to_owned()),
            (format!("[{provisioner}]"), format!("[{lifecycle}]")),
        ] {
            let text = format!(
                r#"{{"resource": {{"t": {{"n": {{"provisioner": {provisioner}, "lifecycle": {lifecycle}}}}}}}}}"#
            );
            assert_eq!(render(&parse(&text).body), expected, "{text}");
        }
    }

    #[test]
    fn a_check_blocks_data_sources_are_blocks_as_in_hcl() {
        let hcl = parse_hcl(
            F,
            "check \"c\" {\n  data \"t\" \"live\" {\n    name = \"N\"\n    depends_on = [t.n]\n  }\n  assert {\n    condition = \"${data.t.live.id != \"\"}\"\n  }\n}\n",
        )
        .expect("valid");
        let text = r#"{"check": {"c": {"data": {"t": {"live": {"name": "N", "depends_on": ["t.n"]}}},
                       "assert": [{"condition": "${data.t.live.id != \"\"}"}]}}}"#;
        let expected = render(&hcl.body);
        assert!(expected.contains("data \"t\" \"live\""), "{expected}");
        assert_eq!(render(&parse(text).body), expected);
    }

    #[test]
    fn comment_properties_are_comments() {
        let text = r#"{"//": "{\"client_secret\": \"x\"}", "provider": {"p": {"//": "a = \"b\"", "c": 1}},
                       "locals": {"//": "no quote", "d": {"//": "an attribute's value, not a comment \""}}}"#;
        let c = parse(text);
        let comments: Vec<&str> = (c.comments.iter())
            .map(|r| &text[r.start as usize..r.end as usize])
            .collect();
        assert_eq!(comments, [r#"{\"client_secret\": \"x\"}"#, r#"a = \"b\""#]);
        assert_eq!(
            render(&c.body),
            "locals  {\n  d = {\"//\": \"an attribute's value, not a comment \\\"\"}\n}\nprovider \"p\" {\n  c = 1\n}\n"
        );
    }

    #[test]
    fn tfvars_json_values_are_literal() {
        let text = include_str!("../../testdata/load/vars.tfvars.json");
        let c = parse_tfvars_json(F, text).expect("valid");
        assert!(c.body.blocks.is_empty());
        assert_eq!(
            render(&c.body),
            "codes = [\"Resolved\", \"Escalated\"]\ndivision = \"Home ${literal}\"\ntimeouts = {\"acw\": 30000}\n"
        );
        // The same values as the HCL tfvars fixture, apart from the string that differs on purpose.
        let hcl =
            parse_hcl(F, include_str!("../../testdata/load/terraform.tfvars")).expect("valid");
        assert_eq!(
            render(&c.body).replace(" ${literal}", ""),
            render(&hcl.body)
        );
    }

    #[test]
    fn hcl_and_json_give_the_same_ir() {
        let hcl =
            parse_hcl(F, include_str!("../../testdata/load/equivalent.tf")).expect("valid hcl");
        let json = parse(include_str!("../../testdata/load/equivalent.tf.json"));
        let rendered = render(&hcl.body);
        assert_eq!(rendered, render(&json.body));
        // Guard against both sides being trivially empty.
        assert!(rendered.contains("wrapup_codes = [tpl(${var:genesyscloud_routing_wrapupcode.all[\"Resolved\"].id}), \"lit ${x}\"]"), "{rendered}");
        assert!(
            rendered.contains("depends_on = [var:genesyscloud_routing_wrapupcode.all]"),
            "{rendered}"
        );
        assert_eq!(json.body.blocks.len(), 8);
    }

    #[test]
    fn what_terraform_rejects_is_a_located_error() {
        // Each is valid to jsonc-parser's defaults and an error to Terraform's JSON parser; the
        // span starts at the offending text (its last occurrence), in `.tf.json` and
        // `.tfvars.json` alike.
        let cases = [
            ("{\"locals\": {\"a\": [1, 2,]}}", ","),
            ("{\"locals\": {\"a\": 1,}}", ","),
            ("// generated\n{}", "//"),
            ("{\"locals\": {/* c */}}", "/*"),
            ("{\"locals\": {\"a\": 'x'}}", "'x'"),
            ("{\"locals\": {a: 1}}", "a"),
            ("{\"locals\": {\"a\": 0x10}}", "0x10"),
            ("{\"locals\": {\"a\": +1}}", "+1"),
            ("{\"locals\": {\"a\": NaN}}", "NaN"),
            ("{\"locals\": {\"a\": \"\\q\"}}", "\\q"),
            ("{\"locals\": {\"a\": \"x\ty\"}}", "\t"),
            ("{\"locals\":\u{b}{}}", "\u{b}"),
            ("{\"locals\":\u{a0}{}}", "\u{a0}"),
        ];
        for (text, at) in cases {
            for parsed in [parse_tf_json(F, text), parse_tfvars_json(F, text)] {
                let e = parsed.expect_err(text);
                assert_eq!(
                    e.span.start as usize,
                    text.rfind(at).expect(at),
                    "{text}: {e:?}"
                );
                assert!(e.message.starts_with(char::is_lowercase), "{}", e.message);
            }
        }
        // Escaped, the same characters are fine, as is a tab or line break between tokens.
        let c = parse("{\"locals\":\t{\r\n\"a\": \"x\\ty\\u0041\", \"b\": [-1.5e2, 0]}}");
        assert_eq!(
            render(&c.body),
            "locals  {\n  a = \"x\\tyA\"\n  b = [-150, 0]\n}\n"
        );
    }

    #[test]
    fn malformed_json_is_a_located_error() {
        let text = include_str!("../../testdata/load/broken.tf.json");
        let e = parse_tf_json(F, text).expect_err("unterminated");
        assert!(
            e.message.starts_with(|c: char| c.is_lowercase()),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("unterminated") || e.message.contains("expected"),
            "{}",
            e.message
        );

        let text = "{\"locals\": {\"a\": 1, \"b\": }}";
        let e = parse_tf_json(F, text).expect_err("missing value");
        assert_eq!(
            e.span.start as usize,
            text.find('}').expect("brace"),
            "{e:?}"
        );

        let e = parse_tf_json(F, "[{}, 1]").expect_err("not an object");
        assert_eq!(e.message, "expected a JSON object at the top level");
        assert_eq!(e.span.start, 5);
        let e = parse_tf_json(F, "\"x\"").expect_err("not an object");
        assert_eq!(e.message, "expected a JSON object at the top level");
        // Variables are one object, never an array of them (as in Terraform).
        let e = parse_tfvars_json(F, "[{\"a\": 1}]").expect_err("not an object");
        assert_eq!(e.message, "expected a JSON object at the top level");
        let e = parse_tf_json(F, "{\"resource\": {\"t\": {\"n\": 5}}}")
            .expect_err("body not an object");
        assert_eq!(e.message, "expected a JSON object for a `resource` block");
        let text = "{\"locals\": {\"a\": \"${var.\"}}";
        let e = parse_tf_json(F, text).expect_err("bad template");
        assert!(e.message.starts_with("invalid template: "), "{}", e.message);
        assert_eq!(slice(text, e.span), "\"${var.\"");
    }

    /// HCL's JSON spec: a body, the file's too, may be an array of objects.
    #[test]
    fn a_top_level_array_of_objects_is_one_body() {
        let arr = parse(
            "[{\"locals\": {\"a\": 1}}, {\"//\": \"k = \\\"v\\\"\", \"resource\": {\"t\": {\"n\": {\"x\": 2}}}}]",
        );
        let obj = parse("{\"locals\": {\"a\": 1}, \"resource\": {\"t\": {\"n\": {\"x\": 2}}}}");
        assert_eq!(render(&arr.body), render(&obj.body));
        assert_eq!(arr.comments.len(), 1);
        assert!(parse("[]").body.blocks.is_empty());
    }

    /// Half a surrogate pair is U+FFFD, as Go's decoder (and so Terraform) reads it; a whole
    /// pair, an escaped backslash before `u` and every other escape are what they were.
    #[test]
    fn lone_surrogate_escapes_are_replacement_characters() {
        let c = parse(
            r#"{"locals": {"a": "x\ud800y", "b": "\udc00", "c": "\ud83d\ude00", "d": "\\ud800", "e": "\ud800\ud800"}}"#,
        );
        assert_eq!(
            render(&c.body),
            "locals  {\n  a = \"x\u{fffd}y\"\n  b = \"\u{fffd}\"\n  c = \"\u{1f600}\"\n  d = \"\\\\ud800\"\n  e = \"\u{fffd}\u{fffd}\"\n}\n"
        );
        // A backslash that ends the text, or an escape cut short, is the parser's to report.
        for text in [
            "{\"a\": \"\\",
            "\\",
            "{\"a\": \"\\ud8",
            "{\"a\": \"\\ud800\\u",
        ] {
            assert!(parse_tf_json(F, text).is_err(), "{text}");
        }
        let v = parse_tfvars_json(F, r#"{"a": "\uDBFF"}"#).expect("valid");
        assert_eq!(render(&v.body), "a = \"\u{fffd}\"\n");
        // Offsets after it are the file's: the error is located where it is.
        let text = r#"{"locals": {"a": "\ud800", "b": }}"#;
        let e = parse_tf_json(F, text).expect_err("missing value");
        assert_eq!(
            e.span.start as usize,
            text.rfind('}').expect("brace") - 1,
            "{e:?}"
        );
    }

    #[test]
    fn hostile_and_empty_input() {
        assert!(parse("").body.blocks.is_empty());
        assert!(parse("  \n").body.attrs.is_empty());
        assert!(
            parse_tfvars_json(F, "")
                .expect("empty")
                .body
                .attrs
                .is_empty()
        );
        let deep = format!(
            "{{\"locals\": {{\"a\": {}{}}}}}",
            "[".repeat(50_000),
            "]".repeat(50_000)
        );
        let e = parse_tf_json(F, &deep).expect_err("too deep");
        assert_eq!(e.message, "nesting deeper than 128 levels");
        let e = parse_tf_json(F, "{\"a\": \"\0\"}").expect_err("binary");
        assert_eq!(e.span.start, 7);
        // Brackets inside strings do not count.
        let text = format!("{{\"locals\": {{\"a\": \"{}\"}}}}", "[".repeat(500));
        assert_eq!(parse(&text).body.blocks.len(), 1);
    }

    #[test]
    fn numbers() {
        let c = parse_tfvars_json(F, r#"{"a": 1, "b": -2.5e3, "d": 12345678901234567890}"#)
            .expect("valid");
        assert_eq!(
            render(&c.body),
            "a = 1\nb = -2500\nd = 12345678901234567000\n"
        );
    }
}
