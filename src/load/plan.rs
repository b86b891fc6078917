//! `terraform show -json` output, for a plan or for a state, into [`StateDoc`].
//!
//! A plan describes the org as it will be after apply, which is what configuration is checked
//! against. Per address the sources are, best first: `resource_changes[].change.after` (with
//! `after_unknown` marking values computed at apply), `planned_values.root_module`, and
//! `prior_state.values.root_module`. An object whose only change is `["delete"]` will not exist
//! and is left out, though its id and name are kept in [`StateDoc::deleted`]; deposed objects (old copies being replaced) are skipped. `terraform show -json`
//! of a state has only `values.root_module`, read like prior state.

use std::collections::HashMap;

use crate::load::json::parse_json;
use crate::load::tfstate::id_of;
use crate::load::{Deleted, LoadError, Mode, StateDoc, StateKind, StateResource};
use crate::source::{FileId, Span};
use crate::value::{Fields, V, Val};

/// Why a plan value is unknown, as shown in `dynamic-reference` notes.
pub const AFTER_APPLY: &str = "known after apply";

/// Parse `terraform show -json` output (format version 0.x or 1.x) into one [`StateResource`] per
/// address that exists after apply.
pub fn parse_plan(file: FileId, text: &str) -> Result<StateDoc, LoadError> {
    let root = parse_json(file, text)?;
    let root_span = root.span.unwrap_or_else(|| Span::file_start(file));
    if root.as_object().is_none() {
        return Err(LoadError::new(
            "not a terraform plan: expected a json object",
            root_span,
        ));
    }
    let Some(fv) = root.get("format_version") else {
        return Err(LoadError::new(
            "not a terraform plan: no `format_version`",
            root_span.sub(0, 1),
        ));
    };
    let major = fv
        .as_str()
        .and_then(|s| s.split('.').next())
        .and_then(|m| m.parse::<u32>().ok());
    if !matches!(major, Some(0 | 1)) {
        return Err(LoadError::new(
            "unsupported plan `format_version` (cxlint reads 0.x and 1.x)",
            fv.span.unwrap_or(root_span),
        ));
    }

    let mut merged = Merged::default();
    // Lowest precedence first: later sources replace earlier ones for the same address.
    for path in [
        &["prior_state", "values", "root_module"][..],
        &["values", "root_module"],
        &["planned_values", "root_module"],
    ] {
        if let Some(module) = path.iter().try_fold(&root, |v, k| v.get_set(k)) {
            collect_module(module, &mut merged);
        }
    }
    if let Some(changes) = root.get_set("resource_changes").and_then(Val::as_list) {
        for rc in changes {
            apply_change(rc, &mut merged);
        }
    }

    let deleted = std::mem::take(&mut merged.deleted);
    let resources = merged
        .order
        .into_iter()
        .filter_map(|address| merged.by_address.remove(&address))
        .filter(|e| !e.deleted)
        .map(|e| StateResource {
            mode: e.mode,
            rtype: e.rtype,
            id: id_of(&e.values),
            address: e.address,
            attrs: e.values,
            span: e.span,
        })
        .collect();
    Ok(StateDoc {
        kind: StateKind::Plan,
        resources,
        incomplete_types: Vec::new(),
        deleted,
    })
}

#[derive(Default)]
struct Merged {
    /// Addresses in first-seen order, so output follows the file.
    order: Vec<String>,
    by_address: HashMap<String, Entry>,
    deleted: Vec<Deleted>,
}

struct Entry {
    address: String,
    mode: Mode,
    rtype: String,
    values: Val,
    span: Option<Span>,
    deleted: bool,
}

impl Merged {
    fn put(&mut self, entry: Entry) {
        if !self.by_address.contains_key(&entry.address) {
            self.order.push(entry.address.clone());
        }
        self.by_address.insert(entry.address.clone(), entry);
    }
}

fn mode_of(v: &Val) -> Mode {
    match v.get("mode").and_then(Val::as_str) {
        Some("data") => Mode::Data,
        _ => Mode::Managed,
    }
}

/// Resources of a module and, recursively, its `child_modules` (depth-bounded by the JSON parser).
fn collect_module(module: &Val, out: &mut Merged) {
    for r in module
        .get_set("resources")
        .and_then(Val::as_list)
        .unwrap_or_default()
    {
        let (Some(address), Some(rtype)) = (
            r.get("address").and_then(Val::as_str),
            r.get("type").and_then(Val::as_str),
        ) else {
            continue;
        };
        let values = match r.get_set("values") {
            Some(v) if v.as_object().is_some() => v.clone(),
            _ => Val::object(Fields::new(), r.span),
        };
        out.put(Entry {
            address: address.to_string(),
            mode: mode_of(r),
            rtype: rtype.to_string(),
            values,
            span: r.span,
            deleted: false,
        });
    }
    for child in module
        .get_set("child_modules")
        .and_then(Val::as_list)
        .unwrap_or_default()
    {
        collect_module(child, out);
    }
}

fn apply_change(rc: &Val, out: &mut Merged) {
    // A deposed object is an old copy being destroyed; the current object has its own entry.
    if rc.get_set("deposed").is_some() {
        return;
    }
    let (Some(address), Some(rtype), Some(change)) = (
        rc.get("address").and_then(Val::as_str),
        rc.get("type").and_then(Val::as_str),
        rc.get_set("change"),
    ) else {
        return;
    };
    let actions: Vec<&str> = change
        .get("actions")
        .and_then(Val::as_list)
        .unwrap_or_default()
        .iter()
        .filter_map(Val::as_str)
        .collect();
    if actions == ["delete"] {
        // What it was, so a name or id of it still used by the configuration is known gone.
        if let Some(before) = change.get_set("before").filter(|b| b.as_object().is_some()) {
            out.deleted.push(Deleted {
                rtype: rtype.to_string(),
                address: address.to_string(),
                id: id_of(before),
                name: (before.get("name").and_then(Val::as_str)).map(str::to_owned),
            });
        }
        let entry = Entry {
            address: address.to_string(),
            mode: mode_of(rc),
            rtype: rtype.to_string(),
            values: Val::null(),
            span: rc.span,
            deleted: true,
        };
        out.put(entry);
        return;
    }
    let after = match change.get_set("after") {
        Some(a) if a.as_object().is_some() => a.clone(),
        // No `after` object (e.g. a data source read whose result is unknown): keep what the
        // planned values or prior state say, but still mark what is unknown.
        _ => match out.by_address.get(address) {
            Some(e) => e.values.clone(),
            None => Val::object(Fields::new(), None),
        },
    };
    let values = match change.get_set("after_unknown") {
        Some(unknown) => mark_unknown(after, unknown),
        None => after,
    };
    out.put(Entry {
        address: address.to_string(),
        mode: mode_of(rc),
        rtype: rtype.to_string(),
        values,
        span: rc.span,
        deleted: false,
    });
}

/// Replace the parts of `value` that `unknown` marks `true` with [`V::Unknown`]. `unknown` has
/// the shape of the value: `true` leaves, objects and lists of markers.
fn mark_unknown(value: Val, unknown: &Val) -> Val {
    match &unknown.v {
        V::Bool(true) => Val {
            v: V::Unknown(AFTER_APPLY.into()),
            span: value.span,
        },
        V::Object(marks) => {
            let span = value.span;
            let mut fields = match value.v {
                V::Object(fields) => fields.to_fields(),
                _ => crate::value::Fields::new(),
            };
            for (key, mark) in marks.iter() {
                if !contains_true(mark) {
                    continue;
                }
                let current = fields.remove(key).unwrap_or_else(Val::null);
                fields.insert(key.clone(), mark_unknown(current, mark));
            }
            Val::object(fields, span)
        }
        V::List(marks) if marks.iter().any(contains_true) => {
            let span = value.span;
            let mut items = match value.v {
                V::List(items) => items.to_vec(),
                _ => Vec::new(),
            };
            for (i, mark) in marks.iter().enumerate() {
                match items.get_mut(i) {
                    Some(item) => *item = mark_unknown(std::mem::replace(item, Val::null()), mark),
                    None => items.push(mark_unknown(Val::null(), mark)),
                }
            }
            Val::list(items, span)
        }
        _ => value,
    }
}

fn contains_true(mark: &Val) -> bool {
    match &mark.v {
        V::Bool(b) => *b,
        V::List(items) => items.iter().any(contains_true),
        V::Object(fields) => fields.values().any(contains_true),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: FileId = FileId(0);

    #[test]
    fn changes_win_unknowns_marked_deletes_dropped() {
        let text = r#"{
          "format_version": "1.2",
          "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": [
            {"address": "t.a", "mode": "managed", "type": "t", "name": "a", "values": {"id": "1", "n": "old"}},
            {"address": "t.gone", "mode": "managed", "type": "t", "name": "gone", "values": {"id": "2"}}
          ]}}},
          "planned_values": {"root_module": {
            "resources": [{"address": "t.a", "mode": "managed", "type": "t", "name": "a", "values": {"id": "1", "n": "new"}}],
            "child_modules": [{"address": "module.m", "resources": [
              {"address": "module.m.t.b[0]", "mode": "managed", "type": "t", "name": "b", "index": 0, "values": {"tags": ["x"]}}
            ]}]
          }},
          "resource_changes": [
            {"address": "t.gone", "mode": "managed", "type": "t", "name": "gone", "change": {"actions": ["delete"], "before": {"id": "2"}, "after": null}},
            {"address": "t.a", "mode": "managed", "type": "t", "name": "a", "deposed": "00000001", "change": {"actions": ["delete"], "before": {"id": "0"}, "after": null}},
            {"address": "t.r", "mode": "managed", "type": "t", "name": "r", "change": {"actions": ["delete", "create"], "before": {"id": "3", "n": "x"}, "after": {"n": "y"}, "after_unknown": {"id": true}}},
            {"address": "module.m.t.b[0]", "mode": "managed", "type": "t", "name": "b", "change": {"actions": ["create"], "before": null,
              "after": {"tags": ["x"]}, "after_unknown": {"id": true, "tags": [false, true], "blk": [{"c": true}]}}}
          ]
        }"#;
        let doc = parse_plan(F, text).expect("plan");
        let addrs: Vec<&str> = doc.resources.iter().map(|r| r.address.as_str()).collect();
        // A deposed copy being deleted does not remove the current object; a replaced one stays
        // with an unknown id.
        assert_eq!(addrs, ["t.a", "module.m.t.b[0]", "t.r"]);
        assert!(
            doc.resources[2]
                .attrs
                .get("id")
                .is_some_and(Val::is_unknown)
        );
        assert_eq!(
            doc.resources[2].attrs.get("n").and_then(Val::as_str),
            Some("y")
        );
        let a = &doc.resources[0];
        assert_eq!(a.attrs.get("n").and_then(Val::as_str), Some("new"));
        assert_eq!(a.id.as_deref(), Some("1"));
        let b = &doc.resources[1];
        assert_eq!(b.id, None);
        assert!(b.attrs.get("id").is_some_and(Val::is_unknown));
        let tags = b.attrs.get("tags").and_then(Val::as_list).expect("tags");
        assert_eq!(tags[0].as_str(), Some("x"));
        assert!(tags[1].is_unknown());
        assert!(
            b.attrs.blocks("blk")[0]
                .get("c")
                .is_some_and(Val::is_unknown)
        );
        let span = b.span.expect("span");
        assert!(text[span.range()].starts_with(r#"{"address": "module.m.t.b[0]""#));
    }

    #[test]
    fn state_show_json_and_errors() {
        let text = r#"{"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {"resources": [
            {"address": "data.t.x", "mode": "data", "type": "t", "name": "x", "values": {"id": "7"}}]}}}"#;
        let doc = parse_plan(F, text).expect("state json");
        assert_eq!(doc.resources.len(), 1);
        assert_eq!(doc.resources[0].mode, Mode::Data);
        let e = parse_plan(F, r#"{"format_version": "2.0"}"#).expect_err("v2");
        assert!(e.message.contains("unsupported plan"));
        assert_eq!(e.span.start, 19);
        let e = parse_plan(F, r#"{"version": 4}"#).expect_err("not a plan");
        assert!(e.message.contains("no `format_version`"));
        let doc = parse_plan(F, r#"{"format_version": "1.2"}"#).expect("empty plan");
        assert!(doc.resources.is_empty());
    }
}
