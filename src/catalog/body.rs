//! Request-body validation against the catalog's models: unknown keys, top-level and nested where
//! the model types them (`Array<X>`, `{ [key: string]: X` maps, model references), each with a JSON
//! path and a "did you mean".
//!
//! Only keys are judged. Value types are not: request templates fill values at run time, and a wrong
//! key is the mistake that silently does nothing (the API ignores unknown fields).

use std::ops::Range;

use super::{Catalog, Model, Operation};

/// A field type as the SDK writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType<'a> {
    /// `string`, `number`, `boolean`, `object`, or a name the catalog has no model for.
    Scalar(&'a str),
    /// A model name.
    Model(&'a str),
    /// `Array<T>` or `T[]`.
    Array(Box<FieldType<'a>>),
    /// `{ [key: string]: T` (any key, values of type T).
    Map(Box<FieldType<'a>>),
}

impl<'a> FieldType<'a> {
    /// Parse an SDK type string. Names of models the catalog holds become [`FieldType::Model`].
    pub fn parse(ty: &'a str) -> FieldType<'a> {
        let ty = ty.trim();
        if let Some(inner) = ty.strip_prefix("Array<").and_then(|t| t.strip_suffix('>')) {
            return FieldType::Array(Box::new(FieldType::parse(inner)));
        }
        if let Some(inner) = ty.strip_suffix("[]") {
            return FieldType::Array(Box::new(FieldType::parse(inner)));
        }
        if let Some(inner) = ty.strip_prefix("{ [key: string]:") {
            return FieldType::Map(Box::new(FieldType::parse(inner.trim_end_matches('}'))));
        }
        if Catalog::get().model(ty).is_some() {
            FieldType::Model(ty)
        } else {
            FieldType::Scalar(ty)
        }
    }
}

/// An unknown key in a request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// JSON path of the key, e.g. `$.wrapup.wrapupCode`.
    pub path: String,
    /// The unknown key.
    pub key: String,
    /// The model that does not have it.
    pub model: &'static str,
    /// The model's field the key most likely meant.
    pub suggestion: Option<&'static str>,
    /// Byte range of the quoted key in the body text, when checked from text.
    pub range: Option<Range<usize>>,
}

/// A JSON value reduced to what key checking needs, with key ranges when parsed from text.
#[derive(Debug)]
pub(crate) enum Node {
    /// An object's members, in order.
    Object(Vec<Prop>),
    Array(Vec<Node>),
    Scalar,
}

/// One object member.
#[derive(Debug)]
pub(crate) struct Prop {
    pub key: String,
    pub range: Option<Range<usize>>,
    /// False when the key text came from a template placeholder: its real name is unknown.
    pub trusted: bool,
    pub value: Node,
}

impl Node {
    pub(crate) fn from_value(v: &serde_json::Value) -> Node {
        match v {
            serde_json::Value::Object(map) => Node::Object(
                map.iter()
                    .map(|(k, v)| Prop {
                        key: k.clone(),
                        range: None,
                        trusted: true,
                        value: Node::from_value(v),
                    })
                    .collect(),
            ),
            serde_json::Value::Array(items) => {
                Node::Array(items.iter().map(Node::from_value).collect())
            }
            _ => Node::Scalar,
        }
    }
}

impl Catalog {
    /// Unknown keys of `body` for the operation's body model. Empty when the operation has no body
    /// model the catalog knows (nothing to judge by).
    pub fn check_body(&self, op: &Operation, body: &serde_json::Value) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        if let Some(ty) = op.body {
            self.check_node(
                &FieldType::parse(ty),
                &Node::from_value(body),
                "$",
                &mut out,
            );
        }
        out
    }

    pub(crate) fn check_node(
        &self,
        ty: &FieldType<'_>,
        node: &Node,
        path: &str,
        out: &mut Vec<FieldProblem>,
    ) {
        match (ty, node) {
            (FieldType::Model(name), Node::Object(props)) => {
                let Some(model) = self.model(name) else {
                    return;
                };
                for p in props {
                    let child = format!("{path}.{}", json_path_key(&p.key));
                    match model.field(&p.key) {
                        Some(f) => self.check_node(&f.field_type(), &p.value, &child, out),
                        None if p.trusted => out.push(FieldProblem {
                            path: child,
                            key: p.key.clone(),
                            model: model.name,
                            suggestion: suggest_field(model, &p.key),
                            range: p.range.clone(),
                        }),
                        None => {}
                    }
                }
            }
            (FieldType::Array(inner), Node::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.check_node(inner, item, &format!("{path}[{i}]"), out);
                }
            }
            (FieldType::Map(inner), Node::Object(props)) => {
                for p in props {
                    self.check_node(
                        inner,
                        &p.value,
                        &format!("{path}.{}", json_path_key(&p.key)),
                        out,
                    );
                }
            }
            _ => {}
        }
    }
}

/// A key as a JSON path step: identifiers as they are, anything else single-quoted (`'a b'`).
fn json_path_key(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        key.to_string()
    } else {
        format!("'{}'", key.replace('\'', "\\'"))
    }
}

/// The field an unknown key most likely meant.
///
/// In order: the same name ignoring case and separators (`WrapUp` -> `wrapup`); the same after
/// dropping an `Id`/`Ids` suffix (`codeId` -> `code`); a small edit distance (`notess` -> `notes`);
/// then a field that is one of the key's camelCase words, longest first (`wrapupCode` and
/// `wrapUpCodeId` -> `code` in `WrapupInput`; `wrapupCode` -> `wrapup` in `MediaParticipantRequest`,
/// whose `code` lives one level down).
pub(crate) fn suggest_field(model: &Model, key: &str) -> Option<&'static str> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let k = norm(key);
    let fields: Vec<(&'static str, String)> = model
        .fields
        .iter()
        .map(|f| (f.name, norm(f.name)))
        .collect();
    if let Some((f, _)) = fields.iter().find(|(_, n)| *n == k) {
        return Some(f);
    }
    let stem = k
        .strip_suffix("ids")
        .or_else(|| k.strip_suffix("id"))
        .unwrap_or(&k);
    if let Some((f, _)) = fields.iter().find(|(_, n)| n == stem) {
        return Some(f);
    }
    let close = fields
        .iter()
        .map(|(f, n)| (strsim::levenshtein(&k, n), *f, n.len()))
        .filter(|(d, _, len)| *d <= (len / 4).clamp(1, 2))
        .min_by_key(|(d, f, _)| (*d, *f));
    if let Some((_, f, _)) = close {
        return Some(f);
    }
    let words = camel_words(key);
    let mut best: Option<&'static str> = None;
    for (f, n) in &fields {
        // A field matches a run of consecutive words of the key (`wrap`+`up` = `wrapup`).
        let hit =
            (0..words.len()).any(|i| (i + 1..=words.len()).any(|j| words[i..j].concat() == *n));
        if hit && best.is_none_or(|b| f.len() > b.len()) {
            best = Some(f);
        }
    }
    best
}

/// Lowercase camelCase / snake_case words of a key: `wrapUpCodeId` -> `wrap`, `up`, `code`, `id`.
fn camel_words(key: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::catalog::Lookup;

    fn op(method: &str, path: &str) -> &'static Operation {
        match Catalog::get().lookup(method, path) {
            Lookup::Found(op) => op,
            other => panic!("{method} {path}: {other:?}"),
        }
    }

    const WRAPUP: &str =
        "/api/v2/conversations/calls/{c}/participants/{p}/communications/{m}/wrapup";
    const PARTICIPANT: &str = "/api/v2/conversations/{c}/participants/{p}";

    #[test]
    fn parses_types() {
        assert_eq!(FieldType::parse("string"), FieldType::Scalar("string"));
        assert_eq!(
            FieldType::parse("WrapupInput"),
            FieldType::Model("WrapupInput")
        );
        assert_eq!(
            FieldType::parse("Array<WrapupInput>"),
            FieldType::Array(Box::new(FieldType::Model("WrapupInput")))
        );
        assert_eq!(
            FieldType::parse("{ [key: string]: Array<string>"),
            FieldType::Map(Box::new(FieldType::Array(Box::new(FieldType::Scalar(
                "string"
            )))))
        );
        assert_eq!(
            FieldType::parse("NoSuchModel[]"),
            FieldType::Array(Box::new(FieldType::Scalar("NoSuchModel")))
        );
    }

    #[test]
    fn wrapup_input_keys() {
        let c = Catalog::get();
        let op = op("POST", WRAPUP);
        assert!(
            c.check_body(
                op,
                &json!({"code": "id", "notes": "n", "durationSeconds": 3})
            )
            .is_empty()
        );
        let problems = c.check_body(
            op,
            &json!({"wrapUpCodeId": "x", "wrapupCode": "y", "wrapupCodeId": "z"}),
        );
        let got: Vec<_> = problems
            .iter()
            .map(|p| (p.path.as_str(), p.suggestion))
            .collect();
        assert_eq!(
            got,
            [
                ("$.wrapUpCodeId", Some("code")),
                ("$.wrapupCode", Some("code")),
                ("$.wrapupCodeId", Some("code"))
            ]
        );
        assert_eq!(problems[0].model, "WrapupInput");
    }

    #[test]
    fn participant_patch_keys_nested() {
        let c = Catalog::get();
        let op = op("PATCH", PARTICIPANT);
        assert_eq!(op.body, Some("MediaParticipantRequest"));
        assert!(
            c.check_body(op, &json!({"wrapup": {"code": "id", "notes": "n"}}))
                .is_empty()
        );
        let p = c.check_body(
            op,
            &json!({"wrapup": {"wrapupCode": "id"}, "actionType": "x"}),
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(
            (p[0].path.as_str(), p[0].suggestion),
            ("$.actionType", None)
        );
        assert_eq!(
            (p[1].path.as_str(), p[1].model, p[1].suggestion),
            ("$.wrapup.wrapupCode", "WrapupInput", Some("code"))
        );
        let p = c.check_body(op, &json!({"wrapupCode": "id"}));
        assert_eq!(p[0].suggestion, Some("wrapup"));
    }

    #[test]
    fn arrays_of_models_are_checked() {
        let c = Catalog::get();
        // POST /api/v2/routing/queues/{queueId}/wrapupcodes takes WrapUpCodeReference[].
        let op = op("POST", "/api/v2/routing/queues/{q}/wrapupcodes");
        let p = c.check_body(op, &json!([{"id": "a"}, {"codeId": "b"}]));
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].path, "$[1].codeId");
        assert_eq!(p[0].suggestion, Some("id"));
    }

    #[test]
    fn words() {
        assert_eq!(camel_words("wrapUpCodeId"), ["wrap", "up", "code", "id"]);
        assert_eq!(camel_words("wrapup_code"), ["wrapup", "code"]);
    }
}
