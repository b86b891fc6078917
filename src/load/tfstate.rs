//! `terraform.tfstate` files, version 4 and the legacy version 3, into [`StateDoc`].
//!
//! - Version 4 (Terraform 0.12+): `resources[].instances[]` with `attributes` (provider-shaped
//!   JSON) or `attributes_flat` (v3-style flattened strings, left by the 0.12 upgrade for
//!   resources whose schema it did not know).
//! - Version 3 (Terraform 0.11, and what `genesyscloud_tf_export` writes before upgrading):
//!   `modules[].resources["type.label"].primary.attributes` with flattened keys.
//!
//! Flattened keys ("flatmap") are rebuilt into the same shape as v4, so the model reads every
//! state alike: `x.# = "2"` with `x.<n>` or `x.<hash>` element keys is a list (blocks are lists of
//! objects, sets are lists in file order), `x.% = "1"` with `x.<key>` is a map. v3 values stay
//! strings; [`Val::as_number`] and [`Val::as_bool`] read them.

use std::collections::{BTreeMap, HashMap};

use crate::load::json::{key_span, parse_json_streaming};
use crate::load::{LoadError, Mode, StateDoc, StateKind, StateResource};
use crate::source::{FileId, Span};
use crate::value::{V, Val, number_to_string};

/// Parse a `terraform.tfstate` (version 3 or 4) into one [`StateResource`] per instance.
///
/// Errors: invalid JSON (located where parsing stopped), a document without a numeric `version`,
/// an unsupported version (located at the version number), or a malformed resource entry.
pub fn parse_tfstate(file: FileId, text: &str) -> Result<StateDoc, LoadError> {
    parse_tfstate_each(file, text, &mut |_| {})
}

/// [`parse_tfstate`], giving each resource instance of a version 4 state to `each` as soon as
/// it is read, before the next entry is parsed: what `each` lets go of (the model keeps a few
/// attributes of each) is never in memory for the whole file at once.
pub fn parse_tfstate_each(
    file: FileId,
    text: &str,
    each: &mut dyn FnMut(&mut StateResource),
) -> Result<StateDoc, LoadError> {
    let mut resources = Vec::new();
    // The first malformed entry, reported only once the version is known to be 4 (as before any
    // entry is read, an unsupported version is the error to show).
    let mut entry_error = None;
    let root = parse_json_streaming(file, text, "resources", &mut |entry| {
        if entry_error.is_some() {
            return;
        }
        let first = resources.len();
        match v4_entry(file, &entry, &mut resources) {
            Ok(()) => resources[first..].iter_mut().for_each(&mut *each),
            Err(e) => entry_error = Some(e),
        }
    })?;
    let root_span = root.span.unwrap_or_else(|| Span::file_start(file));
    if root.as_object().is_none() {
        return Err(LoadError::new(
            "not a terraform state: expected a json object",
            root_span,
        ));
    }
    let Some(version) = root.get("version") else {
        return Err(LoadError::new(
            "not a terraform state: no `version`",
            root_span.sub(0, 1),
        ));
    };
    let at = version.span.unwrap_or(root_span);
    match version.as_number() {
        Some(4.0) => match entry_error {
            Some(e) => Err(e),
            None => parse_v4(file, &root, resources),
        },
        Some(3.0) => parse_v3(file, text, &root),
        Some(n) => Err(LoadError::new(
            format!(
                "unsupported state version {} (cxlint reads versions 3 and 4)",
                number_to_string(n)
            ),
            at,
        )),
        None => Err(LoadError::new("state `version` must be a number", at)),
    }
}

fn fail(message: impl Into<String>, at: &Val, fallback: Span) -> LoadError {
    LoadError::new(message, at.span.unwrap_or(fallback))
}

/// A required string field of a state entry.
fn req_str<'v>(entry: &'v Val, key: &str, what: &str, file: FileId) -> Result<&'v str, LoadError> {
    entry.get(key).and_then(Val::as_str).ok_or_else(|| {
        fail(
            format!("{what} has no string `{key}`"),
            entry,
            Span::file_start(file),
        )
    })
}

/// A version 4 state whose `resources` were streamed into `resources` (see
/// [`parse_tfstate_each`]); here only their shape is checked.
fn parse_v4(
    file: FileId,
    root: &Val,
    resources: Vec<StateResource>,
) -> Result<StateDoc, LoadError> {
    match root.get("resources") {
        Some(v) if !v.is_null() && v.as_list().is_none() => {
            return Err(fail(
                "state `resources` must be a list",
                v,
                Span::file_start(file),
            ));
        }
        _ => {}
    }
    Ok(StateDoc {
        kind: StateKind::TfstateV4,
        resources,
        incomplete_types: Vec::new(),
        deleted: Vec::new(),
    })
}

/// One entry of a version 4 state's `resources`: its instances, appended to `out`.
fn v4_entry(file: FileId, entry: &Val, out: &mut Vec<StateResource>) -> Result<(), LoadError> {
    if entry.as_object().is_none() {
        return Err(fail(
            "state resource must be an object",
            entry,
            Span::file_start(file),
        ));
    }
    let mode = match entry.get("mode").and_then(Val::as_str) {
        Some("data") => Mode::Data,
        None | Some("managed") => Mode::Managed,
        Some(other) => {
            let at = entry.get("mode").unwrap_or(entry);
            return Err(fail(
                format!("unknown resource mode `{other}`"),
                at,
                Span::file_start(file),
            ));
        }
    };
    let rtype = req_str(entry, "type", "state resource", file)?;
    let name = req_str(entry, "name", "state resource", file)?;
    let module = entry
        .get("module")
        .and_then(Val::as_str)
        .filter(|m| !m.is_empty());
    // What is there must have its shape: read past, a wrong one would drop the resource's facts
    // without a word (a parse failure "never passes silently", INTERFACE.md).
    let at_start = Span::file_start(file);
    let instances = match entry.get_set("instances") {
        None => return Ok(()),
        Some(v) => v
            .as_list()
            .ok_or_else(|| fail("state resource `instances` must be a list", v, at_start))?,
    };
    for inst in instances {
        if inst.as_object().is_none() {
            return Err(fail(
                "state resource instance must be an object",
                inst,
                at_start,
            ));
        }
        // A deposed object is an old copy awaiting destruction (create_before_destroy): the
        // current object is the other instance, so counting it would double the resource.
        if inst.get_set("deposed").is_some() {
            continue;
        }
        let object = |key: &str| match inst.get_set(key) {
            Some(v) if v.as_object().is_none() => Err(fail(
                format!("state resource instance `{key}` must be an object"),
                v,
                at_start,
            )),
            other => Ok(other),
        };
        let attrs = if let Some(a) = object("attributes")? {
            a.clone()
        } else if let Some(flat) = object("attributes_flat")?.and_then(Val::as_object) {
            let entries: Vec<(&str, &Val)> = flat.iter().map(|(k, v)| (k.as_str(), v)).collect();
            unflatten(entries, inst.get("attributes_flat").and_then(|a| a.span))
        } else {
            continue; // no attributes: nothing known about the object
        };
        let index = inst
            .get_set("index_key")
            .map(format_index)
            .unwrap_or_default();
        let address = make_address(module, mode, rtype, name, &index);
        out.push(StateResource {
            mode,
            rtype: rtype.to_string(),
            address,
            id: id_of(&attrs),
            attrs,
            span: inst.span,
        });
    }
    Ok(())
}

fn parse_v3(file: FileId, text: &str, root: &Val) -> Result<StateDoc, LoadError> {
    let mut resources = Vec::new();
    let modules = root
        .get("modules")
        .and_then(Val::as_list)
        .unwrap_or_default();
    for module in modules {
        let prefix = module_prefix_v3(module);
        let Some(entries) = module.get("resources").and_then(Val::as_object) else {
            continue;
        };
        // The object's keys are sorted; keep the file's order so output follows the file.
        let mut entries: Vec<(&smol_str::SmolStr, &Val)> = entries.iter().collect();
        entries.sort_by_key(|(_, v)| v.span.map(|s| s.start));
        for (key, entry) in entries {
            let Some((mode, key_type, name, index)) = split_v3_key(key) else {
                let at = key_span(text, entry)
                    .or(entry.span)
                    .unwrap_or(Span::file_start(file));
                return Err(LoadError::new(
                    format!("state resource key `{key}` is not `type.name`"),
                    at,
                ));
            };
            let rtype = entry.get("type").and_then(Val::as_str).unwrap_or(key_type);
            let Some(primary) = entry.get_set("primary") else {
                continue;
            };
            let Some(flat) = primary.get_set("attributes").and_then(Val::as_object) else {
                continue;
            };
            let flat_entries: Vec<(&str, &Val)> =
                flat.iter().map(|(k, v)| (k.as_str(), v)).collect();
            let attrs = unflatten(flat_entries, primary.get("attributes").and_then(|a| a.span));
            let id = primary
                .get("id")
                .and_then(Val::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .or_else(|| id_of(&attrs));
            let index = index.map(|i| format!("[{i}]")).unwrap_or_default();
            let address = make_address(prefix.as_deref(), mode, rtype, name, &index);
            resources.push(StateResource {
                mode,
                rtype: rtype.to_string(),
                address,
                id,
                attrs,
                span: entry.span,
            });
        }
    }
    Ok(StateDoc {
        kind: StateKind::TfstateV3,
        resources,
        incomplete_types: Vec::new(),
        deleted: Vec::new(),
    })
}

/// `["root", "a", "b"]` -> `module.a.module.b`; the root module -> `None`.
fn module_prefix_v3(module: &Val) -> Option<String> {
    let path = module.get("path")?.as_list()?;
    let names: Vec<&str> = path.iter().skip(1).filter_map(Val::as_str).collect();
    if names.is_empty() {
        return None;
    }
    Some(
        names
            .iter()
            .map(|n| format!("module.{n}"))
            .collect::<Vec<_>>()
            .join("."),
    )
}

/// A v3 resource key: `type.name`, `type.name.N` (count index), with a `data.` prefix for data
/// sources.
fn split_v3_key(key: &str) -> Option<(Mode, &str, &str, Option<u64>)> {
    let (mode, rest) = match key.strip_prefix("data.") {
        Some(rest) => (Mode::Data, rest),
        None => (Mode::Managed, key),
    };
    let mut parts = rest.split('.');
    let rtype = parts.next().filter(|s| !s.is_empty())?;
    let name = parts.next().filter(|s| !s.is_empty())?;
    let index = match parts.next() {
        None => None,
        Some(n) => Some(n.parse::<u64>().ok()?),
    };
    if parts.next().is_some() {
        return None;
    }
    Some((mode, rtype, name, index))
}

/// `[0]` for a count index, `["key"]` for a `for_each` key, as Terraform prints addresses.
fn format_index(key: &Val) -> String {
    match &key.v {
        V::Number(n) => format!("[{}]", number_to_string(*n)),
        V::String(s) => {
            let mut out = String::with_capacity(s.len() + 4);
            out.push_str("[\"");
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    c => out.push(c),
                }
            }
            out.push_str("\"]");
            out
        }
        _ => String::new(),
    }
}

pub(crate) fn make_address(
    module: Option<&str>,
    mode: Mode,
    rtype: &str,
    name: &str,
    index: &str,
) -> String {
    let mut a = String::new();
    if let Some(m) = module {
        a.push_str(m);
        a.push('.');
    }
    if mode == Mode::Data {
        a.push_str("data.");
    }
    a.push_str(rtype);
    a.push('.');
    a.push_str(name);
    a.push_str(index);
    a
}

/// The Genesys id of an object: its non-empty `id` attribute.
pub(crate) fn id_of(attrs: &Val) -> Option<String> {
    attrs
        .get("id")
        .and_then(Val::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Rebuild a provider-shaped object from flattened `key -> value` pairs.
///
/// Element order follows the file (each value's span start), which for sets is the only order
/// there is; lists whose element keys are exactly `0..n` are put in index order. `span` becomes
/// the object's span (the flattened `attributes` object in the file).
pub fn unflatten(mut entries: Vec<(&str, &Val)>, span: Option<Span>) -> Val {
    entries.sort_by_key(|(_, v)| v.span.map(|s| s.start));
    let members: Members<'_, '_> = entries.into_iter().map(|(k, v)| (Some(k), v)).collect();
    let mut object = build_object(members, 0);
    object.span = span.or(object.span);
    object
}

/// Flattened keys below one attribute: `None` for the attribute's own value, `Some(rest)` for a
/// key below it, with the value each one holds.
type Members<'k, 'v> = Vec<(Option<&'k str>, &'v Val)>;

/// Flattened keys nest at most this deep: below it, the rest of a key is one field's name. A key
/// of thousands of dots (a hostile state) would otherwise nest as deep, and building it recursed
/// until the stack overflowed. The JSON of a state nests no deeper than `depth::MAX_DEPTH`.
const MAX_FLAT_DEPTH: usize = crate::load::depth::MAX_DEPTH;

/// Group `rest` keys by their first `.` segment (the whole key at `depth` [`MAX_FLAT_DEPTH`]),
/// keeping first-appearance order.
fn group<'k, 'v>(members: Members<'k, 'v>, depth: usize) -> Vec<(&'k str, Members<'k, 'v>)> {
    let mut groups: Vec<(&str, Members<'k, 'v>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (key, value) in members {
        let Some(key) = key else { continue };
        let (head, tail) = match key.split_once('.') {
            Some((h, t)) if depth < MAX_FLAT_DEPTH => (h, Some(t)),
            _ => (key, None),
        };
        let slot = *index.entry(head).or_insert_with(|| {
            groups.push((head, Vec::new()));
            groups.len() - 1
        });
        groups[slot].1.push((tail, value));
    }
    groups
}

fn build_object(members: Members<'_, '_>, depth: usize) -> Val {
    let mut fields = BTreeMap::new();
    let mut span: Option<Span> = None;
    for (name, sub) in group(members, depth) {
        let value = build_value(sub, depth + 1);
        span = cover(span, value.span);
        fields.insert(name.to_string(), value);
    }
    Val::object(fields, span)
}

/// The value of one flattened attribute, given its members (`None` = the attribute's own value,
/// `Some(rest)` = a key below it).
fn build_value(members: Members<'_, '_>, depth: usize) -> Val {
    if let Some((_, direct)) = members.iter().find(|(rest, _)| rest.is_none()) {
        return (*direct).clone();
    }
    let count = |marker: &str| {
        members
            .iter()
            .find(|(r, _)| *r == Some(marker))
            .map(|(_, v)| v.span)
    };
    if let Some(count_span) = count("#") {
        let elements: Members<'_, '_> = members
            .iter()
            .filter(|(r, _)| *r != Some("#"))
            .copied()
            .collect();
        let mut groups = group(elements, depth);
        let indexes: Option<Vec<usize>> = groups.iter().map(|(k, _)| k.parse().ok()).collect();
        if let Some(mut idx) = indexes {
            idx.sort_unstable();
            if idx.iter().enumerate().all(|(i, n)| i == *n) {
                groups.sort_by_key(|(k, _)| k.parse::<usize>().unwrap_or(usize::MAX));
            }
        }
        let items = groups
            .into_iter()
            .map(|(_, sub)| build_value(sub, depth + 1))
            .collect();
        return Val::list(items, count_span);
    }
    if let Some(count_span) = count("%") {
        // Map keys may themselves contain dots: the whole rest of the key is the map key.
        let fields = members
            .iter()
            .filter_map(|(r, v)| {
                r.filter(|r| *r != "%")
                    .map(|r| (r.to_string(), (*v).clone()))
            })
            .collect::<crate::value::Fields>();
        return Val::object(fields, count_span);
    }
    build_object(members, depth)
}

fn cover(a: Option<Span>, b: Option<Span>) -> Option<Span> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.to(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::json::parse_json;

    const F: FileId = FileId(0);

    fn flat(text: &str) -> (Val, Val) {
        let v = parse_json(F, text).expect("json");
        let obj = v.as_object().expect("object");
        let entries = obj.iter().map(|(k, v)| (k.as_str(), v)).collect();
        (unflatten(entries, v.span), v)
    }

    #[test]
    fn keys_of_thousands_of_dots_nest_no_deeper_than_the_limit() {
        // Both a block path and a list path, each far deeper than the limit.
        let deep_object = format!("x{}", ".a".repeat(20_000));
        let deep_list = format!("l{}", ".#.0".repeat(5_000));
        let text = format!(r#"{{"id": "q", "{deep_object}": "v", "{deep_list}": "1"}}"#);
        let (v, _) = flat(&text);
        let mut at = v.get("x").expect("x");
        let mut depth = 0;
        while let Some(next) = at.get("a") {
            at = next;
            depth += 1;
        }
        assert!(depth < MAX_FLAT_DEPTH, "{depth}");
        assert!(v.get("l").is_some());
    }

    #[test]
    fn unflatten_lists_sets_maps_and_blocks() {
        let text = r#"{
            "id": "q1", "name": "Support",
            "wrapup_codes.#": "2", "wrapup_codes.901": "b", "wrapup_codes.12": "a",
            "media_settings_call.#": "1", "media_settings_call.0.alerting_timeout_sec": "8",
            "roles.#": "1", "roles.77.role_id": "r", "roles.77.division_id": "*",
            "mappings.%": "2", "mappings.x.y": "1", "mappings.z": "2",
            "empty.#": "0",
            "l.#": "11", "l.10": "ten", "l.2": "two", "l.0": "zero", "l.1": "one",
            "l.3": "3", "l.4": "4", "l.5": "5", "l.6": "6", "l.7": "7", "l.8": "8", "l.9": "9"
        }"#;
        let (v, _) = flat(text);
        let codes: Vec<&str> = v
            .get("wrapup_codes")
            .expect("codes")
            .elements()
            .iter()
            .filter_map(|c| c.as_str())
            .collect();
        assert_eq!(codes, ["b", "a"], "set elements keep file order");
        let call = v.blocks("media_settings_call");
        assert_eq!(call.len(), 1);
        assert_eq!(
            call[0].get("alerting_timeout_sec").and_then(Val::as_number),
            Some(8.0)
        );
        let roles = v.blocks("roles");
        assert_eq!(roles[0].get("division_id").and_then(Val::as_str), Some("*"));
        let maps = v.get("mappings").and_then(Val::as_object).expect("map");
        assert_eq!(maps.keys().collect::<Vec<_>>(), ["x.y", "z"]);
        assert_eq!(
            v.get("empty").and_then(Val::as_list).map(<[Val]>::len),
            Some(0)
        );
        let l: Vec<&str> = v
            .get("l")
            .expect("l")
            .elements()
            .iter()
            .filter_map(|c| c.as_str())
            .collect();
        assert_eq!(l[..3], ["zero", "one", "two"]);
        assert_eq!(l[10], "ten");
        // Spans point at the flattened value strings.
        let a = &v.get("wrapup_codes").expect("codes").elements()[1];
        assert_eq!(&text[a.span.expect("span").range()], "\"a\"");
        let count = v.get("wrapup_codes").expect("codes").span.expect("span");
        assert_eq!(&text[count.range()], "\"2\"");
    }

    #[test]
    fn v3_keys_split() {
        assert_eq!(
            split_v3_key("a_b.c"),
            Some((Mode::Managed, "a_b", "c", None))
        );
        assert_eq!(
            split_v3_key("data.a.c.3"),
            Some((Mode::Data, "a", "c", Some(3)))
        );
        assert_eq!(split_v3_key("a"), None);
        assert_eq!(split_v3_key("a.b.x"), None);
    }

    #[test]
    fn index_keys_format_like_terraform() {
        let v = parse_json(F, r#"[0, "a\"b", 2.0]"#).expect("json");
        let items = v.as_list().expect("list");
        assert_eq!(format_index(&items[0]), "[0]");
        assert_eq!(format_index(&items[1]), "[\"a\\\"b\"]");
        assert_eq!(format_index(&items[2]), "[2]");
    }

    #[test]
    fn versions_and_shapes() {
        let e = parse_tfstate(F, r#"{"version": 5, "resources": []}"#).expect_err("v5");
        assert!(
            e.message.contains("unsupported state version 5"),
            "{}",
            e.message
        );
        assert_eq!((e.span.start, e.span.end), (12, 13));
        let e = parse_tfstate(F, r#"[]"#).expect_err("array");
        assert!(e.message.contains("not a terraform state"));
        let e = parse_tfstate(F, r#"{"resources": []}"#).expect_err("no version");
        assert!(e.message.contains("no `version`"));
        let doc = parse_tfstate(F, r#"{"version": 4, "resources": []}"#).expect("empty");
        assert!(doc.resources.is_empty());
        let doc = parse_tfstate(
            F,
            r#"{"version": 3, "modules": [{"path": ["root"], "resources": {}}]}"#,
        )
        .expect("empty v3");
        assert_eq!(doc.kind, StateKind::TfstateV3);
        let e = parse_tfstate(F, r#"{"version": 4, "resources": [{"mode": "managed"}]}"#)
            .expect_err("no type");
        assert!(e.message.contains("no string `type`"));
        let text = r#"{"version": 3, "modules": [{"path": ["root"], "resources": {"oops": {}}}]}"#;
        let e = parse_tfstate(F, text).expect_err("bad key");
        assert_eq!(&text[e.span.range()], "\"oops\"");
    }

    /// Each instance goes to `each` as its entry is read, and an unsupported version is the
    /// error shown even when an entry before the version is malformed.
    #[test]
    fn each_instance_is_handed_over_and_the_version_is_checked_first() {
        let text = r#"{"resources": [
            {"type": "genesyscloud_routing_queue", "name": "a",
             "instances": [{"attributes": {"name": "A"}}, {"attributes": {"name": "B"}}]},
            {"type": "genesyscloud_routing_wrapupcode", "name": "c",
             "instances": [{"attributes": {"name": "C"}}]}
        ], "version": 4}"#;
        let mut seen = Vec::new();
        let doc = parse_tfstate_each(F, text, &mut |r| {
            seen.push(r.address.clone());
            r.attrs = Val::null();
        })
        .expect("valid");
        assert_eq!(
            seen,
            [
                "genesyscloud_routing_queue.a",
                "genesyscloud_routing_queue.a",
                "genesyscloud_routing_wrapupcode.c"
            ]
        );
        assert_eq!(doc.resources.len(), 3);
        assert!(
            doc.resources.iter().all(|r| r.attrs.is_null()),
            "kept what each left"
        );
        let bad_entry = r#"{"resources": [{"mode": "managed"}], "version": 5}"#;
        let e = parse_tfstate(F, bad_entry).expect_err("v5");
        assert!(
            e.message.contains("unsupported state version 5"),
            "{}",
            e.message
        );
        let e = parse_tfstate(F, r#"{"version": 4, "resources": {}}"#).expect_err("object");
        assert!(e.message.contains("must be a list"), "{}", e.message);
    }

    #[test]
    fn v4_instances_index_keys_modules_and_skips() {
        let text = r#"{"version": 4, "resources": [
          {"module": "module.q", "mode": "managed", "type": "t", "name": "n", "instances": [
            {"index_key": "a b", "attributes": {"id": "1"}},
            {"index_key": 2, "attributes": {"id": "2"}},
            {"index_key": 3},
            {"index_key": 4, "deposed": "00000001", "attributes": {"id": "old"}}
          ]},
          {"mode": "data", "type": "d", "name": "x", "instances": [{"attributes_flat": {"id": "9", "l.#": "1", "l.0": "v"}}]}
        ]}"#;
        let doc = parse_tfstate(F, text).expect("v4");
        let addrs: Vec<&str> = doc.resources.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addrs,
            ["module.q.t.n[\"a b\"]", "module.q.t.n[2]", "data.d.x"]
        );
        assert_eq!(doc.resources[2].mode, Mode::Data);
        assert_eq!(doc.resources[2].id.as_deref(), Some("9"));
        assert_eq!(
            doc.resources[2]
                .attrs
                .get("l")
                .and_then(Val::as_list)
                .map(<[Val]>::len),
            Some(1)
        );
        let first = doc.resources[0].span.expect("span");
        assert_eq!(
            &text[first.range()],
            r#"{"index_key": "a b", "attributes": {"id": "1"}}"#
        );
    }
}
