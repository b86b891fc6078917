//! Values: what an expression evaluates to, and what a state file holds.
//!
//! Configuration and state meet here: the evaluator turns expressions into [`Val`]s, the state
//! loaders turn JSON into [`Val`]s, and the model reads both the same way. Every value remembers
//! where it was written ([`Val::span`]), so a finding about a list element points at that element.
//!
//! [`V::Unknown`] is a first-class value: a variable with no value, a computed attribute, a function
//! of unknowns. Rules must never report an error built on one.

use std::collections::BTreeMap;
use std::sync::Arc;

use smol_str::SmolStr;

use crate::source::Span;

/// Index of a resource or data-source instance in the evaluated configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstanceId(pub u32);

/// A value and where it was written.
#[derive(Debug, Clone)]
pub struct Val {
    pub v: V,
    pub span: Option<Span>,
}

#[derive(Debug, Clone)]
pub enum V {
    /// Not knowable statically; the reason is shown in `dynamic-reference` notes.
    Unknown(Arc<str>),
    Null,
    Bool(bool),
    Number(f64),
    /// Inline up to 23 bytes; a string literal of the configuration is shared, not copied.
    String(SmolStr),
    /// Shared, in one allocation with its count (see [`Obj`]).
    List(Arc<[Val]>),
    Object(Obj),
    /// The `id` of a configuration resource or data-source instance: known symbolically, not as a
    /// GUID. The model maps it to an org object.
    Id(InstanceId),
    /// A whole resource or data-source instance (`genesyscloud_routing_queue.x`), whose attributes
    /// are evaluated on access.
    Instance(InstanceId),
}

impl Val {
    pub fn new(v: V, span: Option<Span>) -> Self {
        Val { v, span }
    }

    pub fn at(v: V, span: Span) -> Self {
        Val {
            v,
            span: Some(span),
        }
    }

    pub fn unknown(why: impl Into<Arc<str>>) -> Self {
        Val {
            v: V::Unknown(why.into()),
            span: None,
        }
    }

    pub fn null() -> Self {
        Val {
            v: V::Null,
            span: None,
        }
    }

    pub fn string(s: impl Into<SmolStr>, span: Option<Span>) -> Self {
        Val {
            v: V::String(s.into()),
            span,
        }
    }

    /// Exactly the room the items use (lists built by extending, as `concat` does, held up to
    /// twice that), in one allocation with the reference count.
    pub fn list(items: Vec<Val>, span: Option<Span>) -> Self {
        Self::list_of(items, span)
    }

    /// [`Self::list`] of the items of an iterator: one allocation when it knows its length.
    pub fn list_of(items: impl IntoIterator<Item = Val>, span: Option<Span>) -> Self {
        let items: Arc<[Val]> = items.into_iter().collect();
        Val {
            v: V::List(match items.is_empty() {
                true => empty_list(),
                false => items,
            }),
            span,
        }
    }

    pub fn object(fields: impl Into<Fields>, span: Option<Span>) -> Self {
        Val {
            v: V::Object(Obj::from(fields.into())),
            span,
        }
    }

    pub fn with_span(mut self, span: Option<Span>) -> Self {
        if span.is_some() {
            self.span = span;
        }
        self
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.v, V::Unknown(_))
    }

    pub fn is_null(&self) -> bool {
        matches!(self.v, V::Null)
    }

    /// True if this value or anything inside it is unknown.
    pub fn contains_unknown(&self) -> bool {
        match &self.v {
            V::Unknown(_) => true,
            V::List(items) => items.iter().any(Val::contains_unknown),
            V::Object(fields) => fields.values().any(Val::contains_unknown),
            _ => false,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.v {
            V::String(s) => Some(s),
            _ => None,
        }
    }

    /// [`Self::as_str`], as the shared string itself (cloning it shares a long one's allocation).
    pub fn as_smol_str(&self) -> Option<&SmolStr> {
        match &self.v {
            V::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.v {
            V::Bool(b) => Some(*b),
            V::String(s) if &**s == "true" => Some(true),
            V::String(s) if &**s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match &self.v {
            V::Number(n) => Some(*n),
            V::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Val]> {
        match &self.v {
            V::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Obj> {
        match &self.v {
            V::Object(fields) => Some(fields),
            _ => None,
        }
    }

    /// A field of an object (`None` when absent or not an object).
    pub fn get(&self, key: &str) -> Option<&Val> {
        self.as_object().and_then(|o| o.get(key))
    }

    /// A field that is set: present and not null.
    pub fn get_set(&self, key: &str) -> Option<&Val> {
        self.get(key).filter(|v| !v.is_null())
    }

    /// Nested blocks named `key`: HCL blocks become lists of objects, `.tf.json` writes a single
    /// object or a list, state writes a list. All three read the same here.
    pub fn blocks<'a>(&'a self, key: &str) -> Vec<&'a Val> {
        match self.get(key).map(|v| &v.v) {
            Some(V::List(items)) => items.iter().filter(|i| i.as_object().is_some()).collect(),
            Some(V::Object(_)) => vec![self.get(key).expect("matched above")],
            _ => Vec::new(),
        }
    }

    /// The elements of a list or set value; a single non-list value is one element; null is none.
    pub fn elements(&self) -> Vec<&Val> {
        match &self.v {
            V::List(items) => items.iter().collect(),
            V::Null => Vec::new(),
            _ => vec![self],
        }
    }

    /// Human-readable type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match &self.v {
            V::Unknown(_) => "unknown",
            V::Null => "null",
            V::Bool(_) => "bool",
            V::Number(_) => "number",
            V::String(_) => "string",
            V::List(_) => "list",
            V::Object(_) => "object",
            V::Id(_) => "id",
            V::Instance(_) => "resource",
        }
    }
}

/// Terraform's string form of a number: integers without a fraction.
pub fn number_to_string(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Convert plain JSON into a value (no spans): for `jsondecode` and for JSON read without positions.
pub fn from_json(j: &serde_json::Value, span: Option<Span>) -> Val {
    use serde_json::Value as J;
    let v = match j {
        J::Null => V::Null,
        J::Bool(b) => V::Bool(*b),
        J::Number(n) => V::Number(n.as_f64().unwrap_or(0.0)),
        J::String(s) => V::String(s.as_str().into()),
        J::Array(a) => return Val::list(a.iter().map(|x| from_json(x, span)).collect(), span),
        J::Object(o) => {
            let fields: Fields = (o.iter())
                .map(|(k, x)| (k.clone(), from_json(x, span)))
                .collect();
            V::Object(fields.into())
        }
    };
    Val { v, span }
}

/// Convert a fully known value to JSON; `None` if anything inside is unknown or symbolic.
pub fn to_json(v: &Val) -> Option<serde_json::Value> {
    serde_json::to_value(Json(v)).ok()
}

/// `jsonencode` of a fully known value; `None` if anything in it is unknown. Written straight
/// from the value: configurations encode large request bodies and contracts, and building a
/// [`to_json`] tree first allocated every key and string twice.
pub fn to_json_string(v: &Val) -> Option<String> {
    serde_json::to_string(&Json(v)).ok()
}

/// A fully known value as JSON, for both [`to_json`] and [`to_json_string`]: keys in order, whole
/// numbers below 9e15 as integers (as Terraform prints them), non-finite numbers as `null`;
/// anything unknown or symbolic is an error.
struct Json<'a>(&'a Val);

impl serde::Serialize for Json<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0.v {
            V::Null => s.serialize_unit(),
            V::Bool(b) => s.serialize_bool(*b),
            V::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => s.serialize_i64(*n as i64),
            V::Number(n) if n.is_finite() => s.serialize_f64(*n),
            V::Number(_) => s.serialize_unit(),
            V::String(x) => s.serialize_str(x),
            V::List(items) => s.collect_seq(items.iter().map(Json)),
            V::Object(fields) => s.collect_map(fields.iter().map(|(k, x)| (k.as_str(), Json(x)))),
            V::Unknown(_) | V::Id(_) | V::Instance(_) => {
                Err(serde::ser::Error::custom("the value is not fully known"))
            }
        }
    }
}

/// The fields of an object value: sorted by key, no duplicate keys, shared by every copy of the
/// value. The count, the reference count and the fields are one allocation: an evaluated
/// resource body is hundreds of thousands of small objects and lists on a large org, and a
/// second allocation for each (an `Arc` of a `Vec`) was a tenth of the model's memory.
#[derive(Debug, Clone)]
pub struct Obj(Arc<[(SmolStr, Val)]>);

impl Obj {
    pub fn get(&self, key: &str) -> Option<&Val> {
        find(&self.0, key).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        find(&self.0, key).is_ok()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Fields in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&SmolStr, &Val)> + DoubleEndedIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl ExactSizeIterator<Item = &SmolStr> + DoubleEndedIterator {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = &Val> + DoubleEndedIterator {
        self.0.iter().map(|(_, v)| v)
    }

    /// An owned copy to change (the values are shared, not deep-copied).
    pub fn to_fields(&self) -> Fields {
        Fields(self.0.to_vec())
    }
}

impl From<Fields> for Obj {
    fn from(fields: Fields) -> Self {
        match fields.0.is_empty() {
            true => Obj(empty_fields()),
            false => Obj(Arc::from(fields.0)),
        }
    }
}

impl<'a> IntoIterator for &'a Obj {
    type Item = (&'a SmolStr, &'a Val);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (SmolStr, Val)>,
        fn(&'a (SmolStr, Val)) -> (&'a SmolStr, &'a Val),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// A long name (beyond `SmolStr`'s 23 inline bytes: `genesyscloud_routing_wrapupcode`,
/// `service_level_duration_ms`) as one allocation shared by the whole run, wherever it was read.
/// Attribute names and resource types are few, and repeated in every file: kept as the parser's
/// strings, each file's copy stayed alive among that file's syntax after the syntax was freed,
/// and the allocator could reuse little of the memory around it. Interned as attribute names
/// are ([`crate::ir::Name`]).
pub fn shared_name(s: &SmolStr) -> SmolStr {
    match s.is_heap_allocated() {
        // The interned copy: made outside the syntax's memory, kept for the whole run.
        true => crate::ir::Name::new(s).to_smol_str(),
        false => s.clone(),
    }
}

/// A string of the syntax as a value's own: an allocated one is copied, so the syntax's memory
/// can be reused whole once it is freed (see [`shared_name`]).
pub fn own_string(s: &SmolStr) -> SmolStr {
    match s.is_heap_allocated() {
        true => SmolStr::new(s.as_str()),
        false => s.clone(),
    }
}

/// The one empty list every empty list value shares (state files are full of them).
fn empty_list() -> Arc<[Val]> {
    static EMPTY: std::sync::OnceLock<Arc<[Val]>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Arc::from(Vec::new())).clone()
}

/// The one empty object every empty object value shares.
fn empty_fields() -> Arc<[(SmolStr, Val)]> {
    static EMPTY: std::sync::OnceLock<Arc<[(SmolStr, Val)]>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Arc::from(Vec::new())).clone()
}

fn find(fields: &[(SmolStr, Val)], key: &str) -> Result<usize, usize> {
    fields.binary_search_by(|(k, _)| k.as_str().cmp(key))
}

/// An object's fields while it is built: sorted by key, with no duplicate keys; made into an
/// [`Obj`] when it becomes a value.
///
/// A flat vector instead of a `BTreeMap`: objects are small (a resource body has a handful of
/// attributes), built once and read many times, and a `BTreeMap` allocates a node of about 700
/// bytes for even one field; this cost most of the model's memory on large configurations.
#[derive(Debug, Clone, Default)]
pub struct Fields(Vec<(SmolStr, Val)>);

impl Fields {
    pub fn new() -> Self {
        Fields(Vec::new())
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        find(&self.0, key)
    }

    /// Insert or replace (as `BTreeMap::insert`, returning the replaced value).
    pub fn insert(&mut self, key: impl Into<SmolStr>, val: Val) -> Option<Val> {
        let key = key.into();
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, val)),
            Err(i) => {
                self.0.insert(i, (key, val));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Val> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }
}

/// Keys are names, mostly short: stored inline (no allocation) up to 23 bytes, and a key taken
/// from the configuration's syntax tree is shared, not copied.
impl<K: Into<SmolStr>> FromIterator<(K, Val)> for Fields {
    /// Later entries win over earlier ones with the same key (as collecting into a map).
    fn from_iter<I: IntoIterator<Item = (K, Val)>>(iter: I) -> Self {
        let mut v: Vec<(SmolStr, Val)> = iter.into_iter().map(|(k, v)| (k.into(), v)).collect();
        // Stable: equal keys keep their order, so the last one is the one to keep.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        // Every evaluated body comes through here: no second vector, and no pass at all in the
        // usual case of distinct keys.
        if v.windows(2).any(|p| p[0].0 == p[1].0) {
            let mut kept = 0;
            for next in 0..v.len() {
                if kept > 0 && v[kept - 1].0 == v[next].0 {
                    v.swap(kept - 1, next);
                } else {
                    v.swap(kept, next);
                    kept += 1;
                }
            }
            v.truncate(kept);
        }
        // No shrinking: made into an `Obj`, the fields are copied at their exact length.
        Fields(v)
    }
}

impl<K: Into<SmolStr>> Extend<(K, Val)> for Fields {
    fn extend<I: IntoIterator<Item = (K, Val)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Into<SmolStr>> From<BTreeMap<K, Val>> for Fields {
    fn from(m: BTreeMap<K, Val>) -> Self {
        // Already sorted and unique.
        Fields(m.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
}

impl<const N: usize> From<[(String, Val); N]> for Fields {
    fn from(a: [(String, Val); N]) -> Self {
        a.into_iter().collect()
    }
}

impl IntoIterator for Fields {
    type Item = (SmolStr, Val);
    type IntoIter = std::vec::IntoIter<(SmolStr, Val)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_shared_and_syntax_strings_copied() {
        let long = "genesyscloud_routing_wrapupcode";
        let (a, b) = (SmolStr::new(long), SmolStr::new(long));
        assert_ne!(a.as_ptr(), b.as_ptr(), "two parses, two allocations");
        let (sa, sb) = (shared_name(&a), shared_name(&b));
        assert_eq!((sa.as_str(), sb.as_str()), (long, long));
        assert_eq!(sa.as_ptr(), sb.as_ptr(), "one allocation for the run");
        assert_ne!(sa.as_ptr(), a.as_ptr(), "not the parser's");
        let owned = own_string(&a);
        assert_eq!(owned, a);
        assert_ne!(owned.as_ptr(), a.as_ptr());
        let short = SmolStr::new("name");
        assert!(
            !shared_name(&short).is_heap_allocated() && !own_string(&short).is_heap_allocated()
        );
    }

    fn num(n: f64) -> Val {
        Val::new(V::Number(n), None)
    }

    #[test]
    fn collected_fields_are_sorted_and_the_last_duplicate_wins() {
        let fields: Fields = [
            ("b", num(1.0)),
            ("a", num(2.0)),
            ("b", num(3.0)),
            ("c", num(4.0)),
            ("a", num(5.0)),
            ("b", num(6.0)),
        ]
        .into_iter()
        .collect();
        let obj = Obj::from(fields);
        let got: Vec<(&str, f64)> = (obj.iter())
            .map(|(k, v)| match v.v {
                V::Number(n) => (k.as_str(), n),
                _ => panic!("not a number"),
            })
            .collect();
        assert_eq!(got, [("a", 5.0), ("b", 6.0), ("c", 4.0)]);

        let distinct: Fields = [("y", num(1.0)), ("x", num(2.0))].into_iter().collect();
        let distinct = Obj::from(distinct);
        let keys: Vec<&str> = distinct.keys().map(SmolStr::as_str).collect();
        assert_eq!(keys, ["x", "y"]);
        let empty: Fields = std::iter::empty::<(&str, Val)>().collect();
        assert!(Obj::from(empty).is_empty());
    }

    #[test]
    fn objects_and_lists_read_as_built_and_empty_ones_share_one_allocation() {
        let o = Val::object(
            [("b", num(1.0)), ("a", num(2.0))]
                .into_iter()
                .collect::<Fields>(),
            None,
        );
        let obj = o.as_object().expect("object");
        assert_eq!(
            obj.keys().map(SmolStr::as_str).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(obj.get("b").and_then(Val::as_number), Some(1.0));
        assert!(obj.get("c").is_none() && obj.contains_key("a") && obj.len() == 2);
        let mut copy = obj.to_fields();
        copy.insert("c", num(3.0));
        assert_eq!(obj.len(), 2, "changing a copy leaves the value alone");
        assert_eq!(Val::object(copy, None).as_object().map(Obj::len), Some(3));

        let l = Val::list_of((0..3).map(|i| num(f64::from(i))), None);
        assert_eq!(l.as_list().map(<[Val]>::len), Some(3));
        assert_eq!(l.as_list().and_then(|l| l[2].as_number()), Some(2.0));

        let (V::List(a), V::List(b)) = (
            Val::list(Vec::new(), None).v,
            Val::list_of(std::iter::empty(), None).v,
        ) else {
            panic!("lists")
        };
        assert!(Arc::ptr_eq(&a, &b));
        let (V::Object(a), V::Object(b)) = (
            Val::object(Fields::new(), None).v,
            from_json(&serde_json::json!({}), None).v,
        ) else {
            panic!("objects")
        };
        assert!(Arc::ptr_eq(&a.0, &b.0));
    }

    /// `jsonencode` of every kind of value, and the tree for equality agrees with it.
    #[test]
    fn json_string_of_every_kind_of_value() {
        let s = |x: &str| Val::string(x, None);
        let cases = [
            (Val::null(), "null"),
            (Val::new(V::Bool(true), None), "true"),
            (num(3.0), "3"),
            (num(-0.0), "0"),
            (num(1.5), "1.5"),
            (num(-2.25e-7), "-2.25e-7"),
            (num(9.5e15), "9500000000000000.0"),
            (num(1e300), "1e+300"),
            (num(f64::NAN), "null"),
            (num(f64::INFINITY), "null"),
            (s("plain"), r#""plain""#),
            (
                s("quote \" backslash \\ tab \t newline \n nul \u{0} é ${x}"),
                r#""quote \" backslash \\ tab \t newline \n nul \u0000 é ${x}""#,
            ),
            (
                Val::list(vec![num(1.0), s("a"), Val::list(Vec::new(), None)], None),
                r#"[1,"a",[]]"#,
            ),
            (
                Val::object(
                    [
                        ("zeta", num(1.0)),
                        ("$schema", s("http://json-schema.org/draft-04/schema#")),
                        (
                            "Alpha",
                            Val::object([("b", Val::null())].into_iter().collect::<Fields>(), None),
                        ),
                        ("é", Val::list(vec![Val::new(V::Bool(false), None)], None)),
                    ]
                    .into_iter()
                    .collect::<Fields>(),
                    None,
                ),
                r#"{"$schema":"http://json-schema.org/draft-04/schema#","Alpha":{"b":null},"zeta":1,"é":[false]}"#,
            ),
        ];
        for (v, want) in &cases {
            assert_eq!(to_json_string(v).as_deref(), Some(*want), "{v:?}");
            assert_eq!(to_json(v).expect("known").to_string(), *want, "{v:?}");
        }
        // Anything unknown inside makes the whole encoding unknown, as before.
        for bad in [
            Val::unknown("x"),
            Val::new(V::Id(InstanceId(0)), None),
            Val::list(
                vec![num(1.0), Val::new(V::Instance(InstanceId(1)), None)],
                None,
            ),
            Val::object(
                [("k", Val::unknown("y"))].into_iter().collect::<Fields>(),
                None,
            ),
        ] {
            assert_eq!(to_json(&bad), None);
            assert_eq!(to_json_string(&bad), None, "{bad:?}");
        }
    }
}
