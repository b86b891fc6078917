//! `--format sarif`: SARIF 2.1.0, for GitHub code scanning (`upload-sarif`) and SARIF viewers.
//!
//! The SARIF types are our own small serde structs rather than `serde-sarif`: that crate generates
//! the whole schema with a build script (`schemafy_lib`, `prettyplease`) and adds `typed-builder`
//! and `strum` to every build, for the two dozen fields we write. A test validates the output
//! against the official OASIS schema instead.
//!
//! Choices:
//! - `tool.driver.rules` lists every rule of the build (plus any rule a finding uses that is not in
//!   the list), so `ruleIndex` always resolves. A rule's `id` is its code (`CX101`): SARIF wants a
//!   stable opaque id, and codes are never reused; `name` is the kebab-case rule name.
//! - `run.columnKind` is `unicodeCodePoints`: our columns count chars, not UTF-16 units, and so
//!   do `charOffset`/`charLength`. `endColumn` is exclusive, as in SARIF.
//! - URIs are relative to `%SRCROOT%` (the directory cxlint ran in), percent-encoded; a file
//!   outside it has an absolute `file:` URI.
//! - `partialFingerprints["cxlint/v1"]` is the stable hash of rule, file, subject and offending
//!   text (see [`common::Fingerprints`]); GitHub uses it to track alerts across commits.
//! - A finding on an org object known only from live state has a `logicalLocations` entry (kind
//!   `resource`, fully qualified name `org:<kind>/<id>`) and no physical location.
//! - No `invocations` and no timestamps: output is deterministic.

use std::collections::BTreeMap;

use serde::Serialize;

use super::common::{self, Fingerprints, Text, Where, locate, long_message};
use super::{ReportContext, Reporter, TOOL_NAME, TOOL_URI};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::rules::RuleMeta;
use crate::source::SourceMap;

/// The SARIF reporter.
#[derive(Debug, Default, Clone, Copy)]
pub struct SarifReporter;

/// The schema URI written to `$schema` (the OASIS errata 01 schema).
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of our entry in `partialFingerprints`; bump the suffix if the hash inputs change.
pub const FINGERPRINT_KEY: &str = "cxlint/v1";

const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'a str,
    version: &'a str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    original_uri_base_ids: BTreeMap<&'a str, BaseId<'a>>,
    column_kind: &'a str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct BaseId<'a> {
    description: Message<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    information_uri: &'a str,
    rules: Vec<ReportingDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Message<'a>,
    full_description: Message<'a>,
    help: Markdown,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    tags: [&'a str; 1],
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Message<'a> {
    text: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
struct Markdown {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Message<'a>,
    locations: Vec<SarifLocation<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
    partial_fingerprints: BTreeMap<&'a str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    /// None for an absolute `file:` URI (a file outside the directory cxlint ran in, such as a
    /// module in `../../modules`).
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

impl ArtifactLocation {
    fn of(path: &str) -> Self {
        match std::path::Path::new(path).is_absolute() {
            true => ArtifactLocation {
                uri: format!("file://{}", uri_encode(&absolute_uri_path(path))),
                uri_base_id: None,
            },
            false => ArtifactLocation {
                uri: uri_encode(path),
                uri_base_id: Some(SRCROOT),
            },
        }
    }
}

/// An absolute path as a `file:` URI's path: `/` separators, a drive (`C:`) after a `/`.
fn absolute_uri_path(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    match slashed.starts_with('/') {
        true => slashed,
        false => format!("/{slashed}"),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    char_offset: usize,
    char_length: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

/// SARIF's level for a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encode a relative path for a URI reference (RFC 3986): everything but unreserved
/// characters and `/` is encoded, so spaces and non-ASCII names stay valid.
pub fn uri_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        // A drive's colon (`/C:/...`) stays, as `file:` URIs write it.
        let drive = b == b':' && i == 2 && path.starts_with('/');
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') || drive {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn sarif_location<'a>(
    sources: &SourceMap,
    location: &Location,
    id: Option<usize>,
    message: Option<&'a str>,
) -> SarifLocation<'a> {
    let mut out = SarifLocation {
        id,
        physical_location: None,
        logical_locations: Vec::new(),
        message: message.map(|m| Message { text: m.into() }),
    };
    match locate(sources, location) {
        Where::File(p) => {
            let char_offset = p.char_offset(p.start);
            out.physical_location = Some(PhysicalLocation {
                artifact_location: ArtifactLocation::of(&p.path),
                region: Region {
                    start_line: p.start.line,
                    start_column: p.start.column,
                    end_line: p.end.line,
                    end_column: p.end.column,
                    char_offset,
                    // Without the text where the file is ASCII (see `Fingerprints`).
                    char_length: p.char_offset(p.end) - char_offset,
                },
            });
        }
        Where::Org(o) => out.logical_locations.push(LogicalLocation {
            name: o.name.clone().unwrap_or_else(|| o.id.clone()),
            fully_qualified_name: common::org_path(o),
            kind: "resource",
        }),
        Where::Nowhere => {}
    }
    out
}

fn descriptor(meta: &RuleMeta) -> ReportingDescriptor<'_> {
    let summary = meta.summary();
    let docs = meta.doc_markdown();
    ReportingDescriptor {
        id: meta.code,
        name: meta.name,
        short_description: Message {
            text: if summary.is_empty() {
                meta.name.into()
            } else {
                summary.into()
            },
        },
        full_description: Message {
            text: docs.clone().into(),
        },
        help: Markdown {
            text: docs.clone(),
            markdown: docs,
        },
        help_uri: meta.url(),
        default_configuration: Configuration {
            level: level(meta.default),
        },
        properties: RuleProperties {
            tags: [meta.category.as_str()],
        },
    }
}

impl Reporter for SarifReporter {
    fn report(
        &self,
        w: &mut dyn std::io::Write,
        diags: &[Diagnostic],
        cx: &ReportContext<'_>,
    ) -> std::io::Result<()> {
        // Every known rule, then any rule a finding uses that the list lacks.
        let mut rules: Vec<&RuleMeta> = Vec::new();
        for meta in cx.rules.iter().copied().chain(diags.iter().map(|d| d.rule)) {
            if !rules.iter().any(|r| r.code == meta.code) {
                rules.push(meta);
            }
        }
        let mut fingerprints = Fingerprints::new();
        let results = diags
            .iter()
            .map(|d| {
                let rule_index = rules
                    .iter()
                    .position(|r| r.code == d.rule.code)
                    .unwrap_or(0);
                // Related locations travel separately (`relatedLocations`).
                SarifResult {
                    rule_id: d.rule.code,
                    rule_index,
                    level: level(d.severity),
                    message: Message {
                        text: long_message(d, cx.sources, false, Text::Exact).into(),
                    },
                    locations: match d.location {
                        // A span into an unknown file has no location worth writing.
                        Location::Source(span) if common::place(cx.sources, span).is_none() => {
                            Vec::new()
                        }
                        _ => vec![sarif_location(
                            cx.sources,
                            &d.location,
                            None,
                            d.label.as_deref(),
                        )],
                    },
                    related_locations: d
                        .related
                        .iter()
                        .enumerate()
                        .map(|(i, l)| {
                            sarif_location(cx.sources, &l.location, Some(i), Some(&l.message))
                        })
                        .collect(),
                    partial_fingerprints: BTreeMap::from([(
                        FINGERPRINT_KEY,
                        fingerprints.of(d, cx.sources),
                    )]),
                }
            })
            .collect();
        let log = Log {
            schema: SARIF_SCHEMA,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: TOOL_NAME,
                        version: cx.tool_version,
                        information_uri: TOOL_URI,
                        rules: rules.iter().map(|m| descriptor(m)).collect(),
                    },
                },
                original_uri_base_ids: BTreeMap::from([(
                    SRCROOT,
                    BaseId {
                        description: Message {
                            text: "the directory cxlint ran in".into(),
                        },
                    },
                )]),
                column_kind: "unicodeCodePoints",
                results,
            }],
        };
        serde_json::to_writer_pretty(&mut *w, &log)?;
        writeln!(w)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::fixture::{fixture, render};
    use super::*;
    use serde_json::Value;

    /// SARIF and GitLab reports of files whose texts were let go read them a file at a time
    /// and keep none: the fingerprints and `charLength`s are those of the texts kept in memory.
    #[test]
    fn texts_let_go_are_read_for_fingerprints_and_not_kept() {
        use crate::source::tests::unloaded;
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut on_disk, mut in_memory) = (SourceMap::new(), SourceMap::new());
        let meta = super::super::fixture::RULES[0];
        let mut diags = Vec::new();
        for i in 0..12 {
            // One file not ASCII: its `charLength` counts chars, not bytes.
            let name = if i == 3 { "Zürich" } else { "queue" };
            let text = format!("resource \"x\" \"r{i}\" {{\n  name = \"{name} {i}\"\n}}\n");
            let path = format!("f{i:02}.tf");
            let id = unloaded(&mut on_disk, dir.path(), &path, &text);
            assert_eq!(in_memory.add(path.into(), text.as_str().into()), id);
            let at = text.find("name =").expect("name") + 7;
            let span = crate::source::Span::new(id, at..text.len() - 3);
            // A second finding in the same file, related to the first file.
            let message = if i == 3 { "not ascii" } else { "here" };
            let mut d = Diagnostic::at(meta, message, span);
            if i > 0 {
                let first = crate::source::Span::new(crate::source::FileId(0), 0..8);
                d = d.related(Location::Source(first), "first");
            }
            diags.push(d);
        }
        for format in [Format::Sarif, Format::Gitlab] {
            let shown = render(format, &on_disk, &diags);
            assert_eq!(shown, render(format, &in_memory, &diags), "{format:?}");
            // But the file that is not ASCII: counting its columns in chars reads it, as for
            // every format.
            for d in diags.iter().filter(|d| d.message != "not ascii") {
                let file = d.span().expect("a span").file;
                assert!(!on_disk.get(file).is_loaded(), "{format:?}");
            }
        }
        let v: Value =
            serde_json::from_str(&render(Format::Sarif, &on_disk, &diags)).expect("json");
        let region = &v["runs"][0]["results"][3]["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            region["charLength"],
            "\"Zürich 3\"".chars().count(),
            "{region}"
        );
        assert!(on_disk.failures().is_empty());
    }

    #[test]
    fn snapshot() {
        let (sources, diags) = fixture();
        insta::assert_snapshot!(render(Format::Sarif, &sources, &diags));
    }

    /// The official OASIS SARIF 2.1.0 schema (errata 01), copied into testdata so the test does not
    /// depend on anything outside the repository.
    const SCHEMA: &str = include_str!("../../testdata/report/sarif-schema-2.1.0.json");

    fn validate(doc: &Value) -> Vec<String> {
        let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the schema compiles");
        validator
            .iter_errors(doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    #[test]
    fn output_validates_against_the_official_schema() {
        let (sources, diags) = fixture();
        let doc: Value =
            serde_json::from_str(&render(Format::Sarif, &sources, &diags)).expect("JSON");
        assert_eq!(validate(&doc), Vec::<String>::new());
        let empty: Value =
            serde_json::from_str(&render(Format::Sarif, &sources, &[])).expect("JSON");
        assert_eq!(validate(&empty), Vec::<String>::new());
    }

    #[test]
    fn the_validator_rejects_a_broken_document() {
        // Guards the test above: a validator that accepts anything would make it pass vacuously.
        let (sources, diags) = fixture();
        let mut doc: Value =
            serde_json::from_str(&render(Format::Sarif, &sources, &diags)).expect("JSON");
        doc["runs"][0]["results"][0]["level"] = Value::from("fatal");
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
            Value::from(0);
        assert_eq!(validate(&doc).len(), 2);
    }

    #[test]
    fn rule_indexes_resolve_and_org_findings_are_logical() {
        let (sources, diags) = fixture();
        let doc: Value =
            serde_json::from_str(&render(Format::Sarif, &sources, &diags)).expect("JSON");
        let run = &doc["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        assert_eq!(rules.len(), 5, "every known rule, even unused ones");
        for r in run["results"].as_array().expect("results") {
            let i = r["ruleIndex"].as_u64().expect("index") as usize;
            assert_eq!(rules[i]["id"], r["ruleId"]);
        }
        let org = &run["results"][diags.len() - 1]["locations"][0];
        assert!(org.get("physicalLocation").is_none());
        assert_eq!(
            org["logicalLocations"][0]["fullyQualifiedName"],
            "org:wrapup-code/6b3f1c2e-0000-4000-8000-000000000001"
        );
        // Paths with spaces are percent-encoded.
        let uris: Vec<&str> = run["results"]
            .as_array()
            .expect("results")
            .iter()
            .filter_map(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str()
            })
            .collect();
        assert!(uris.contains(&"flows/inbound%20flow.tf"), "{uris:?}");
    }

    #[test]
    fn uri_encoding_keeps_slashes_and_encodes_the_rest() {
        assert_eq!(uri_encode("a b/é#.tf"), "a%20b/%C3%A9%23.tf");
    }

    /// A file outside the directory cxlint ran in (a module in `../../modules`) is shown by
    /// its absolute path: an absolute `file:` URI, with no base to resolve it against.
    #[test]
    fn absolute_paths_are_file_uris_without_a_base() {
        let json = |l: ArtifactLocation| serde_json::to_value(l).unwrap();
        assert_eq!(
            json(ArtifactLocation::of("/repo/modules/a b/main.tf")),
            serde_json::json!({"uri": "file:///repo/modules/a%20b/main.tf"})
        );
        assert_eq!(
            json(ArtifactLocation::of("envs/dev/main.tf")),
            serde_json::json!({"uri": "envs/dev/main.tf", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(absolute_uri_path("C:\\repo\\main.tf"), "/C:/repo/main.tf");
        assert_eq!(uri_encode("/C:/repo/main.tf"), "/C:/repo/main.tf");
        // And the document stays valid.
        let (sources, diags) = fixture();
        let mut doc: Value =
            serde_json::from_str(&render(Format::Sarif, &sources, &diags)).expect("JSON");
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] =
            json(ArtifactLocation::of("/repo/modules/a b/main.tf"));
        assert_eq!(validate(&doc), Vec::<String>::new());
    }
}
