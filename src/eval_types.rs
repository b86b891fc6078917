//! A variable's type constraint, applied to its value as Terraform does when the value comes in:
//! the attributes an `object({...})` type marks `optional(T, default)` get their default when
//! left out or null (Terraform 1.3), and primitives convert to the declared primitive type.
//!
//! Modules take their settings as one object more and more
//! (`codes = optional(list(string), [])`): without the defaults, every attribute the caller
//! leaves out is missing inside the module, and every check built on it is "unknown".
//!
//! Only types that declare an `optional` attribute are applied (see [`has_optional`]): nothing
//! else changes a value in a way a rule can see, and converting a large variable costs a copy of
//! it. Attributes the type does not declare are kept: Terraform drops them, but a reference to
//! one is already an error of its own, and keeping them cannot make a check wrong.

use crate::eval::to_template_string;
use crate::ir::{Expr, ExprKind};
use crate::value::{Fields, V, Val};

/// Whether a type expression has an `optional(...)` attribute anywhere.
pub fn has_optional(ty: &Expr) -> bool {
    match &ty.kind {
        ExprKind::Call(c) => c.name.name == "optional" || c.args.iter().any(has_optional),
        ExprKind::Object(fields) => fields.iter().any(|(_, t)| has_optional(t)),
        ExprKind::Array(items) => items.iter().any(has_optional),
        _ => false,
    }
}

/// `v` converted to the type `ty`; `default` evaluates an `optional` attribute's default
/// expression. `None` when nothing changes (the value is kept as it is, not copied).
pub fn convert(ty: &Expr, v: &Val, default: &dyn Fn(&Expr) -> Val) -> Option<Val> {
    if matches!(v.v, V::Unknown(_) | V::Null) {
        return None;
    }
    match &ty.kind {
        ExprKind::Variable(name) => primitive(name, v),
        ExprKind::Call(c) => match (c.name.name.as_str(), c.args.as_slice()) {
            ("list" | "set", [elem]) => {
                let items = v.as_list()?;
                let new = each_changed(items.iter().map(|x| convert(elem, x, default)))?;
                Some(Val::list(kept_or_new(items.iter(), new).collect(), v.span))
            }
            ("tuple", [types]) => {
                let (ExprKind::Array(types), Some(items)) = (&types.kind, v.as_list()) else {
                    return None;
                };
                let at = |(i, x)| types.get(i).and_then(|t| convert(t, x, default));
                let new = each_changed(items.iter().enumerate().map(at))?;
                Some(Val::list(kept_or_new(items.iter(), new).collect(), v.span))
            }
            ("map", [elem]) => {
                let obj = v.as_object()?;
                let new = each_changed(obj.values().map(|x| convert(elem, x, default)))?;
                let values = kept_or_new(obj.values(), new);
                let fields = obj.keys().cloned().zip(values).collect::<Fields>();
                Some(Val::object(fields, v.span))
            }
            ("object", [attrs]) => object(attrs, v, default),
            _ => None,
        },
        _ => None,
    }
}

/// The attributes of an `object({...})` type: declared ones converted, `optional` ones left out
/// or null given their default (or null), the rest kept.
fn object(attrs: &Expr, v: &Val, default: &dyn Fn(&Expr) -> Val) -> Option<Val> {
    let (ExprKind::Object(attrs), Some(obj)) = (&attrs.kind, v.as_object()) else {
        return None;
    };
    let mut fields: Option<Fields> = None;
    for (key, ty) in attrs.iter() {
        let ExprKind::String(name) = &key.kind else {
            continue;
        };
        let (ty, optional) = match &ty.kind {
            ExprKind::Call(c) if c.name.name == "optional" && !c.args.is_empty() => {
                (&c.args[0], Some(c.args.get(1)))
            }
            _ => (ty, None),
        };
        let given = obj.get(name).filter(|g| !g.is_null());
        let new = match (given, optional) {
            (Some(g), _) => convert(ty, g, default),
            // Left out or null: the default, itself converted to the attribute's type.
            (None, Some(Some(d))) => {
                let d = default(d);
                Some(convert(ty, &d, default).unwrap_or(d))
            }
            (None, Some(None)) if !obj.contains_key(name) => Some(Val::null()),
            // A required attribute left out is Terraform's error; nothing to fill in.
            (None, _) => None,
        };
        if let Some(new) = new {
            fields
                .get_or_insert_with(|| obj.to_fields())
                .insert(name.clone(), new);
        }
    }
    fields.map(|f| Val::object(f, v.span))
}

/// A primitive converted as Terraform converts it: numbers and bools to strings, and back when
/// the string reads as one (the conversions of templates and of `tonumber`).
fn primitive(ty: &str, v: &Val) -> Option<Val> {
    let new = match (ty, &v.v) {
        ("string", V::Number(_) | V::Bool(_)) => V::String(to_template_string(v)?.into()),
        ("number", V::String(_)) => V::Number(v.as_number().filter(|n| n.is_finite())?),
        ("bool", V::String(_)) => V::Bool(v.as_bool()?),
        _ => return None,
    };
    Some(Val::new(new, v.span))
}

/// The conversions of a collection's elements, when at least one changed.
fn each_changed(new: impl Iterator<Item = Option<Val>>) -> Option<Vec<Option<Val>>> {
    let new: Vec<Option<Val>> = new.collect();
    new.iter().any(Option::is_some).then_some(new)
}

/// Each element converted, or the original where it did not change.
fn kept_or_new<'a>(
    old: impl Iterator<Item = &'a Val>,
    new: Vec<Option<Val>>,
) -> impl Iterator<Item = Val> {
    old.zip(new)
        .map(|(old, new)| new.unwrap_or_else(|| old.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::to_json_string;

    /// The type and value expressions of `variable "v" { type = ... default = ... }`, lowered
    /// through the real loader, with the value evaluated from literals only.
    fn run(ty: &str, value: &str) -> String {
        let src = format!("variable \"v\" {{\n  type = {ty}\n  default = {value}\n}}\n");
        let file = crate::load::hcl::parse_hcl(crate::source::FileId(0), &src).expect("parses");
        let block = &file.body.blocks[0];
        let t = &block.body.attr("type").unwrap().expr;
        let v = literal(&block.body.attr("default").unwrap().expr);
        let out = if has_optional(t) {
            convert(t, &v, &literal).unwrap_or(v)
        } else {
            v
        };
        to_json_string(&out).unwrap()
    }

    fn literal(e: &Expr) -> Val {
        match &e.kind {
            ExprKind::Null => Val::null(),
            ExprKind::Bool(b) => Val::new(V::Bool(*b), None),
            ExprKind::Number(n) => Val::new(V::Number(*n), None),
            ExprKind::String(s) => Val::string(s.clone(), None),
            ExprKind::Array(items) => Val::list(items.iter().map(literal).collect(), None),
            ExprKind::Object(fields) => Val::object(
                fields
                    .iter()
                    .map(|(k, v)| match &k.kind {
                        ExprKind::String(k) => (k.clone(), literal(v)),
                        _ => panic!("not a literal key"),
                    })
                    .collect::<Fields>(),
                None,
            ),
            _ => Val::unknown("not a literal"),
        }
    }

    #[test]
    fn optional_attributes_get_their_defaults() {
        let ty = "object({ queue = string, codes = optional(list(string), []), name = optional(string, \"Rules\"), note = optional(string) })";
        assert_eq!(
            run(ty, "{ queue = \"q\" }"),
            r#"{"codes":[],"name":"Rules","note":null,"queue":"q"}"#
        );
        // Given values win; a null one takes the default.
        assert_eq!(
            run(
                ty,
                "{ queue = \"q\", codes = [\"a\"], name = null, extra = 1 }"
            ),
            r#"{"codes":["a"],"extra":1,"name":"Rules","note":null,"queue":"q"}"#
        );
    }

    #[test]
    fn defaults_apply_inside_collections_and_nested_objects() {
        let ty = "map(object({ codes = optional(list(string), [\"x\"]), inner = optional(object({ on = optional(bool, true) }), {}) }))";
        assert_eq!(
            run(ty, "{ a = {}, b = { codes = [\"y\"] } }"),
            r#"{"a":{"codes":["x"],"inner":{"on":true}},"b":{"codes":["y"],"inner":{"on":true}}}"#
        );
        let ty = "list(object({ n = optional(number, 5), s = string }))";
        assert_eq!(
            run(ty, "[{ s = 1 }, { s = \"t\", n = \"7\" }]"),
            r#"[{"n":5,"s":"1"},{"n":7,"s":"t"}]"#
        );
        let ty = "tuple([object({ a = optional(string, \"d\") }), string])";
        assert_eq!(run(ty, "[{}, true]"), r#"[{"a":"d"},"true"]"#);
    }

    #[test]
    fn types_without_optional_leave_the_value_alone() {
        assert_eq!(run("list(string)", "[1, true]"), "[1,true]");
        assert_eq!(run("any", "{ a = 1 }"), r#"{"a":1}"#);
    }
}
