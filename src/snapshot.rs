//! The cxlint snapshot format: the org's state as fetched from the Platform API, and its loader.
//!
//! A snapshot is a versioned JSON document (`"format": "cxlint-snapshot", "version": 1`) whose JSON
//! Schema is published in `schema/cxlint-snapshot.schema.json`. Each org object is written with the
//! Terraform provider's attribute names and shapes (`wrapup_codes` is a list of ids, blocks are lists
//! of objects), so the model reads a snapshot exactly as it reads a `terraform.tfstate`. Listings the
//! API refused are recorded in `missing`: their facts are unknown, never absent.
//!
//! This module owns the format (shared by the writer in `live` and by `--state`), [`parse_snapshot`]
//! into [`StateDoc`], and content detection ([`is_snapshot`]). It has no network code, so it is
//! available without the `live` feature.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::load::{LoadError, Mode, StateDoc, StateKind, StateResource};
use crate::source::{FileId, Span};
use crate::value::{Val, from_json};

/// The value of the `format` field.
pub const FORMAT: &str = "cxlint-snapshot";

/// The format version this cxlint writes and reads.
pub const VERSION: u32 = 1;

/// A snapshot document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`] for documents this cxlint writes.
    pub version: u32,
    /// The region the snapshot was fetched from (`us-east-1`), when one was named.
    #[serde(default)]
    pub region: Option<String>,
    /// The API base the objects came from (`https://api.mypurecloud.com`).
    pub api_base: String,
    /// When the fetch finished, RFC 3339 in UTC. Data about the org, never part of a report.
    pub fetched_at: String,
    /// The cxlint version that wrote the snapshot.
    pub cxlint_version: String,
    /// Org objects, sorted by type, name and id.
    pub resources: Vec<SnapshotResource>,
    /// Listings that failed (a `403` without the permission): those types are incomplete.
    #[serde(default)]
    pub missing: Vec<MissingListing>,
}

/// One org object, shaped like the provider's resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotResource {
    /// Terraform resource type, e.g. `genesyscloud_routing_queue`.
    #[serde(rename = "type")]
    pub rtype: String,
    /// The object's Genesys id.
    pub id: String,
    /// The object's name, as the org spells it.
    pub name: String,
    /// Provider-shaped attributes (`acw_wrapup_prompt`, `wrapup_codes`, `roles`, ...).
    pub attributes: serde_json::Map<String, serde_json::Value>,
}

/// A listing the API refused, and what would fix it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissingListing {
    /// The Terraform resource type whose facts are incomplete.
    #[serde(rename = "type")]
    pub rtype: String,
    /// The endpoint path that failed (`/api/v2/routing/queues`).
    pub endpoint: String,
    /// The HTTP status it answered (`403`, or `404` for a feature the org does not have).
    pub status: u16,
    /// The permission that would grant the listing, when one is known.
    #[serde(default)]
    pub permission: Option<String>,
}

impl Snapshot {
    /// An empty snapshot stamped with the current time and this cxlint's version.
    pub fn new(region: Option<String>, api_base: impl Into<String>) -> Self {
        Snapshot {
            format: FORMAT.to_owned(),
            version: VERSION,
            region,
            api_base: api_base.into(),
            fetched_at: rfc3339_utc(SystemTime::now()),
            cxlint_version: env!("CARGO_PKG_VERSION").to_owned(),
            resources: Vec::new(),
            missing: Vec::new(),
        }
    }

    /// Put resources and missing listings in their canonical order, so that two fetches of the same
    /// org give the same file (apart from `fetched_at`).
    pub fn sort(&mut self) {
        self.resources
            .sort_by(|a, b| (&a.rtype, &a.name, &a.id).cmp(&(&b.rtype, &b.name, &b.id)));
        self.missing.sort();
        self.missing.dedup();
    }

    /// The document as pretty JSON with a trailing newline.
    pub fn to_json_pretty(&self) -> String {
        // Serialising plain strings, numbers and maps cannot fail.
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The snapshot as org state: one managed resource per object, with a synthetic address
    /// `type.<sanitised name>` (duplicates get an id suffix, as the exporter gives them a hash).
    pub fn into_state_doc(self) -> StateDoc {
        let mut seen: HashMap<String, u32> = HashMap::new();
        let mut resources = Vec::with_capacity(self.resources.len());
        for r in self.resources {
            let label = sanitise_label(&r.name);
            let mut address = format!("{}.{}", r.rtype, label);
            let n = seen.entry(address.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                let suffix: String =
                    r.id.chars()
                        .filter(char::is_ascii_alphanumeric)
                        .take(8)
                        .collect();
                address = format!("{address}_{suffix}");
            }
            let mut attributes = r.attributes;
            // tfstate attributes always carry `id` and `name`; keep the two readers interchangeable.
            attributes
                .entry("id")
                .or_insert_with(|| serde_json::Value::String(r.id.clone()));
            attributes
                .entry("name")
                .or_insert_with(|| serde_json::Value::String(r.name.clone()));
            let attrs: Val = from_json(&serde_json::Value::Object(attributes), None);
            resources.push(StateResource {
                mode: Mode::Managed,
                rtype: r.rtype,
                address,
                id: Some(r.id),
                attrs,
                span: None,
            });
        }
        let incomplete_types: BTreeSet<String> =
            self.missing.into_iter().map(|m| m.rtype).collect();
        StateDoc {
            kind: StateKind::Snapshot,
            resources,
            incomplete_types: incomplete_types.into_iter().collect(),
            deleted: Vec::new(),
        }
    }
}

/// True if `json` is a cxlint snapshot (by content: its `format` field), whatever its version.
pub fn is_snapshot(json: &serde_json::Value) -> bool {
    json.get("format").and_then(serde_json::Value::as_str) == Some(FORMAT)
}

/// Parse a snapshot file into org state. A document of another format, another version, or with
/// missing or mistyped fields is a [`LoadError`] located where the problem is.
pub fn parse_snapshot(file: FileId, text: &str) -> Result<StateDoc, LoadError> {
    let snapshot = read_snapshot(file, text)?;
    Ok(snapshot.into_state_doc())
}

/// Parse and check a snapshot document without converting it.
pub fn read_snapshot(file: FileId, text: &str) -> Result<Snapshot, LoadError> {
    let at_start = Span::file_start(file);
    // Check format and version first, on an untyped parse: a future version may have fields this
    // one does not know, and "unsupported version" is a better message than "unknown field".
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        LoadError::new(
            format!("invalid snapshot json: {}", strip_position(&e)),
            error_span(file, text, &e),
        )
    })?;
    if !is_snapshot(&json) {
        return Err(LoadError::new(
            format!("not a cxlint snapshot: expected `\"format\": \"{FORMAT}\"`"),
            at_start,
        ));
    }
    match json.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) => {
            return Err(LoadError::new(
                format!("unsupported snapshot version {v} (this cxlint reads version {VERSION})"),
                field_span(file, text, "version"),
            ));
        }
        None => {
            return Err(LoadError::new(
                "snapshot has no numeric `version` field",
                at_start,
            ));
        }
    }
    drop(json);
    let snapshot: Snapshot = serde_json::from_str(text).map_err(|e| {
        LoadError::new(
            format!("invalid snapshot: {}", strip_position(&e)),
            error_span(file, text, &e),
        )
    })?;
    for r in &snapshot.resources {
        if !r.rtype.starts_with("genesyscloud_") {
            return Err(LoadError::new(
                format!(
                    "invalid snapshot: resource type `{}` is not a genesyscloud type",
                    r.rtype
                ),
                member_span(file, text, "type", &r.rtype).unwrap_or(at_start),
            ));
        }
    }
    Ok(snapshot)
}

/// serde_json appends " at line L column C"; the span carries the position, so drop it.
fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

/// The byte offset of a serde_json error (its line and column are 1-based; column counts bytes).
fn error_span(file: FileId, text: &str, e: &serde_json::Error) -> Span {
    // A truncated file: point at its end, where the missing text would be.
    if e.is_eof() {
        return Span::new(file, text.len()..text.len());
    }
    let line = e.line().max(1);
    let line_start: usize = if line == 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let offset = (line_start + e.column().saturating_sub(1)).min(text.len());
    Span::new(file, offset..offset)
}

/// The span of the first `"key"` in the text (good enough for top-level fields), else the start.
fn field_span(file: FileId, text: &str, key: &str) -> Span {
    let needle = format!("\"{key}\"");
    match text.find(&needle) {
        Some(i) => Span::new(file, i..i + needle.len()),
        None => Span::file_start(file),
    }
}

/// The span of the first `"key": "value"` member's value in the text (serde's types carry no
/// positions; a snapshot's members are unique enough for an error's location).
fn member_span(file: FileId, text: &str, key: &str, value: &str) -> Option<Span> {
    let quoted = serde_json::to_string(value).ok()?;
    let key = format!("\"{key}\"");
    text.match_indices(&quoted).find_map(|(at, _)| {
        let before = text[..at].trim_end().strip_suffix(':')?.trim_end();
        before
            .ends_with(&key)
            .then(|| Span::new(file, at..at + quoted.len()))
    })
}

/// A Terraform label for an org object's name, as `genesyscloud_tf_export` sanitises names:
/// characters other than letters, digits, `_` and `-` become `_`, and a label that would start
/// with a digit or `-` gets a leading `_`.
pub fn sanitise_label(name: &str) -> String {
    let mut label: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if label.is_empty() || !label.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        label.insert(0, '_');
    }
    label
}

/// `time` as RFC 3339 in UTC with second precision (`2026-03-01T12:34:56Z`).
pub fn rfc3339_utc(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Resource types a snapshot can hold, in the order `cxlint snapshot` lists them. Exposed so the
/// schema test can check that the schema knows every type the writer emits.
pub const RESOURCE_TYPES: &[&str] = &[
    "genesyscloud_auth_division",
    "genesyscloud_auth_role",
    "genesyscloud_flow",
    "genesyscloud_integration",
    "genesyscloud_integration_action",
    "genesyscloud_integration_credential",
    "genesyscloud_oauth_client",
    "genesyscloud_outbound_campaign",
    "genesyscloud_outbound_ruleset",
    "genesyscloud_processautomation_trigger",
    "genesyscloud_routing_queue",
    "genesyscloud_routing_wrapupcode",
];

/// Count of objects per type, for progress messages and summaries.
pub fn counts_by_type(snapshot: &Snapshot) -> BTreeMap<&str, usize> {
    let mut counts = BTreeMap::new();
    for r in &snapshot.resources {
        *counts.entry(r.rtype.as_str()).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn doc() -> String {
        serde_json::json!({
            "format": "cxlint-snapshot",
            "version": 1,
            "region": "eu-west-1",
            "api_base": "https://api.mypurecloud.ie",
            "fetched_at": "2026-03-01T12:00:00Z",
            "cxlint_version": "0.1.0",
            "resources": [
                {"type": "genesyscloud_routing_queue", "id": "q1", "name": "Support Team",
                 "attributes": {"name": "Support Team", "wrapup_codes": ["w1", "w2"],
                                "acw_wrapup_prompt": "MANDATORY_TIMEOUT", "acw_timeout_ms": 300000}},
                {"type": "genesyscloud_routing_wrapupcode", "id": "w1", "name": "1st call",
                 "attributes": {"name": "1st call", "division_id": "d1"}},
                {"type": "genesyscloud_routing_wrapupcode", "id": "w2", "name": "1st call",
                 "attributes": {"name": "1st call"}}
            ],
            "missing": [{"type": "genesyscloud_oauth_client", "endpoint": "/api/v2/oauth/clients",
                         "status": 403, "permission": "oauth:client:view"}]
        })
        .to_string()
    }

    #[test]
    fn parses_into_state_doc() {
        let st = parse_snapshot(FileId(3), &doc()).expect("valid snapshot");
        assert_eq!(st.kind, StateKind::Snapshot);
        assert_eq!(
            st.incomplete_types,
            vec!["genesyscloud_oauth_client".to_owned()]
        );
        assert_eq!(st.resources.len(), 3);
        let q = &st.resources[0];
        assert_eq!(q.address, "genesyscloud_routing_queue.Support_Team");
        assert_eq!(q.mode, Mode::Managed);
        assert_eq!(q.id.as_deref(), Some("q1"));
        assert!(q.span.is_none());
        let codes: Vec<&str> = q.attrs.get("wrapup_codes").map_or(vec![], |v| {
            v.elements().iter().filter_map(|c| c.as_str()).collect()
        });
        assert_eq!(codes, ["w1", "w2"]);
        assert_eq!(
            q.attrs.get("acw_timeout_ms").and_then(Val::as_number),
            Some(300000.0)
        );
        assert_eq!(q.attrs.get("id").and_then(Val::as_str), Some("q1"));
        // Same name twice: the second address is made unique; a leading digit gets `_`.
        assert_eq!(
            st.resources[1].address,
            "genesyscloud_routing_wrapupcode._1st_call"
        );
        assert_eq!(
            st.resources[2].address,
            "genesyscloud_routing_wrapupcode._1st_call_w2"
        );
    }

    #[test]
    fn detects_by_content() {
        let j: serde_json::Value = serde_json::from_str(&doc()).expect("json");
        assert!(is_snapshot(&j));
        assert!(!is_snapshot(
            &serde_json::json!({"version": 4, "resources": []})
        ));
        assert!(!is_snapshot(&serde_json::json!([1, 2])));
    }

    #[test]
    fn wrong_version_is_a_located_error() {
        let text = doc().replace("\"version\":1", "\"version\":2");
        let e = parse_snapshot(FileId(0), &text).expect_err("version 2");
        assert!(
            e.message.contains("unsupported snapshot version 2"),
            "{}",
            e.message
        );
        assert_eq!(&text[e.span.range()], "\"version\"");
    }

    #[test]
    fn missing_field_and_bad_json_are_errors() {
        let mut j: serde_json::Value = serde_json::from_str(&doc()).expect("json");
        j.as_object_mut().expect("object").remove("resources");
        let e = parse_snapshot(FileId(0), &j.to_string()).expect_err("no resources");
        assert!(
            e.message.contains("missing field `resources`"),
            "{}",
            e.message
        );

        let text = doc();
        let cut = &text[..text.len() / 2];
        let e = parse_snapshot(FileId(0), cut).expect_err("truncated");
        assert!(
            e.message.starts_with("invalid snapshot json"),
            "{}",
            e.message
        );
        assert_eq!(e.span.start as usize, cut.len());

        let e = parse_snapshot(FileId(0), r#"{"format": "other"}"#).expect_err("other format");
        assert!(e.message.contains("not a cxlint snapshot"));
        // Located at the entry's type, not at the start of the file.
        let bad_type = doc().replacen("genesyscloud_routing_queue", "aws_instance", 1);
        let e = parse_snapshot(FileId(0), &bad_type).expect_err("bad type");
        assert!(e.message.contains("`aws_instance`"), "{}", e.message);
        assert_eq!(&bad_type[e.span.range()], "\"aws_instance\"");
        let before = &bad_type[..e.span.start as usize];
        assert!(before.trim_end().ends_with("\"type\":"), "{before}");
    }

    #[test]
    fn round_trips_and_sorts() {
        let mut s: Snapshot = serde_json::from_str(&doc()).expect("snapshot");
        s.resources.reverse();
        s.sort();
        assert_eq!(s.resources[0].rtype, "genesyscloud_routing_queue");
        let again = read_snapshot(FileId(0), &s.to_json_pretty()).expect("round trip");
        assert_eq!(again, s);
        assert_eq!(counts_by_type(&s)["genesyscloud_routing_wrapupcode"], 2);
    }

    #[test]
    fn formats_rfc3339() {
        assert_eq!(rfc3339_utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_709_294_096); // 2024-03-01T11:54:56Z (leap year)
        assert_eq!(rfc3339_utc(t), "2024-03-01T11:54:56Z");
        let t = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(rfc3339_utc(t), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn sanitises_like_the_exporter() {
        assert_eq!(sanitise_label("Support"), "Support");
        assert_eq!(
            sanitise_label("Sales & Service (EU)"),
            "Sales___Service__EU_"
        );
        assert_eq!(sanitise_label("2nd line"), "_2nd_line");
        assert_eq!(sanitise_label(""), "_");
    }
}
