//! `--format json`: cxlint's own versioned JSON document, exactly as INTERFACE.md publishes it.
//!
//! The shape is a public contract (bump `version` on any incompatible change):
//!
//! ```text
//! { version: 1, tool: {name, version}, summary: {files, errors, warnings, infos},
//!   diagnostics: [ { rule, code, severity, message, help?, range, object?, related: [...],
//!                    notes?, url } ] }
//! ```
//!
//! - `help` is omitted when there is none, and `notes` when there are none (optional scalars and
//!   extras are omitted rather than `null`); `related` is always present, possibly empty.
//! - `range` is `{filename, start: {line, column, byte}, end: {...}}` with 1-based line and column
//!   (column in chars), 0-based byte, exclusive end, as `terraform validate -json` does. For a
//!   finding about an org object known only from live state, `range` is `null` and `object` is
//!   `{kind, id, name}`. Related entries are `{message, range}` with the same rule for `object`.

use serde::Serialize;

use super::common::{Where, locate};
use super::{ReportContext, Reporter, TOOL_NAME};
use crate::diagnostic::{Counts, Diagnostic, Location, OrgObject, Severity};
use crate::source::SourceMap;

/// The JSON reporter.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsonReporter;

/// Version of the JSON document's shape.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool<'a>,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    code: &'a str,
    severity: Severity,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    range: Option<Range<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a OrgObject>,
    related: Vec<Related<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct Related<'a> {
    message: &'a str,
    range: Option<Range<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    object: Option<&'a OrgObject>,
}

#[derive(Serialize)]
struct Range<'a> {
    filename: std::borrow::Cow<'a, str>,
    start: Pos,
    end: Pos,
}

#[derive(Serialize)]
struct Pos {
    line: u32,
    column: u32,
    byte: u32,
}

fn range_and_object<'a>(
    sources: &'a SourceMap,
    location: &'a Location,
) -> (Option<Range<'a>>, Option<&'a OrgObject>) {
    match locate(sources, location) {
        Where::File(p) => {
            let pos = |lc: crate::source::LineCol| Pos {
                line: lc.line,
                column: lc.column,
                byte: lc.byte,
            };
            (
                Some(Range {
                    filename: p.path.into(),
                    start: pos(p.start),
                    end: pos(p.end),
                }),
                None,
            )
        }
        Where::Org(o) => (None, Some(o)),
        Where::Nowhere => (None, None),
    }
}

impl<'a> Document<'a> {
    /// The document for `diags`, with `diagnostics` as its array (the summary counts `diags`).
    fn new(
        diags: &[Diagnostic],
        cx: &ReportContext<'a>,
        diagnostics: Vec<JsonDiagnostic<'a>>,
    ) -> Self {
        let counts = Counts::of(diags);
        Document {
            version: JSON_VERSION,
            tool: Tool {
                name: TOOL_NAME,
                version: cx.tool_version,
            },
            summary: Summary {
                files: cx.files_checked,
                errors: counts.errors,
                warnings: counts.warnings,
                infos: counts.infos,
            },
            diagnostics,
        }
    }
}

fn json_diagnostic<'a>(d: &'a Diagnostic, sources: &'a SourceMap) -> JsonDiagnostic<'a> {
    let (range, object) = range_and_object(sources, &d.location);
    JsonDiagnostic {
        rule: d.rule.name,
        code: d.rule.code,
        severity: d.severity,
        message: &d.message,
        help: d.help.as_deref(),
        range,
        object,
        related: d
            .related
            .iter()
            .map(|l| {
                let (range, object) = range_and_object(sources, &l.location);
                Related {
                    message: &l.message,
                    range,
                    object,
                }
            })
            .collect(),
        notes: d.notes.iter().map(|n| &**n).collect(),
        url: d.rule.url(),
    }
}

/// Findings rendered per task: a large report (thousands of findings, megabytes of JSON) was the
/// longest single-threaded step after the rules.
const CHUNK: usize = 256;

/// Findings rendered before they are written (see [`JsonReporter::report`]): a few chunks, to
/// keep a few cores busy.
const BATCH: usize = 4 * CHUNK;

/// Appends what it is given with four more spaces after every line break: an array element two
/// levels deep, as serde_json's pretty output nests it (JSON strings never hold a raw newline,
/// so every newline byte is a line break).
struct Indented<'a>(&'a mut Vec<u8>);

impl std::io::Write for Indented<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for (i, line) in buf.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                self.0.extend_from_slice(b"\n    ");
            }
            self.0.extend_from_slice(line);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Reporter for JsonReporter {
    fn report(
        &self,
        w: &mut dyn std::io::Write,
        diags: &[Diagnostic],
        cx: &ReportContext<'_>,
    ) -> std::io::Result<()> {
        use rayon::prelude::*;

        let head = Document::new(diags, cx, Vec::new());
        let mut doc = serde_json::to_vec_pretty(&head)?;
        if diags.is_empty() {
            w.write_all(&doc)?;
            return writeln!(w);
        }
        // The document ends in `"diagnostics": []\n}`: the array is filled in here with exactly
        // the bytes `to_writer_pretty` would write for it.
        let tail = b"[]\n}";
        debug_assert!(doc.ends_with(tail));
        doc.truncate(doc.len() - tail.len());
        doc.push(b'[');
        w.write_all(&doc)?;
        // A batch of chunks at a time, a chunk per task, each batch written before the next
        // is rendered: the whole report rendered at once (1.5 MB at 10 MB of input) was the
        // last megabyte of the run's peak.
        let mut first = true;
        for diags in diags.chunks(BATCH) {
            let chunks: Vec<Vec<u8>> = diags
                .par_chunks(CHUNK)
                .map(|chunk| -> serde_json::Result<Vec<u8>> {
                    let mut out = Vec::with_capacity(chunk.len() * 1024);
                    for d in chunk {
                        out.extend_from_slice(b",\n    ");
                        serde_json::to_writer_pretty(
                            Indented(&mut out),
                            &json_diagnostic(d, cx.sources),
                        )?;
                    }
                    Ok(out)
                })
                .collect::<serde_json::Result<_>>()?;
            for chunk in &chunks {
                // Every element is written after `,\n    `; the first one has no comma before.
                w.write_all(&chunk[usize::from(first)..])?;
                first = false;
            }
        }
        w.write_all(b"\n  ]\n}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::super::fixture::{fixture, render};
    use serde_json::Value;

    #[test]
    fn snapshot() {
        let (sources, diags) = fixture();
        insta::assert_snapshot!(render(Format::Json, &sources, &diags));
    }

    fn keys(v: &Value) -> Vec<&str> {
        let mut k: Vec<&str> = v
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        k.sort_unstable();
        k
    }

    #[test]
    fn output_has_exactly_the_published_keys() {
        let (sources, diags) = fixture();
        let v: Value =
            serde_json::from_str(&render(Format::Json, &sources, &diags)).expect("valid JSON");
        assert_eq!(keys(&v), ["diagnostics", "summary", "tool", "version"]);
        assert_eq!(v["version"], 1);
        assert_eq!(keys(&v["tool"]), ["name", "version"]);
        assert_eq!(v["tool"]["name"], "cxlint");
        assert_eq!(
            keys(&v["summary"]),
            ["errors", "files", "infos", "warnings"]
        );
        assert_eq!(v["summary"]["files"], 3);
        assert_eq!(
            (
                &v["summary"]["errors"],
                &v["summary"]["warnings"],
                &v["summary"]["infos"]
            ),
            (&Value::from(1), &Value::from(2), &Value::from(2))
        );

        let ds = v["diagnostics"].as_array().expect("an array");
        assert_eq!(ds.len(), diags.len());
        let allowed = [
            "code", "help", "message", "notes", "object", "range", "related", "rule", "severity",
            "url",
        ];
        for d in ds {
            for k in keys(d) {
                assert!(allowed.contains(&k), "unexpected key {k}");
            }
            for required in [
                "code", "message", "range", "related", "rule", "severity", "url",
            ] {
                assert!(d.get(required).is_some(), "missing {required} in {d}");
            }
            if d["range"].is_null() {
                assert_eq!(keys(&d["object"]), ["id", "kind", "name"]);
            } else {
                assert!(d.get("object").is_none());
                assert_eq!(keys(&d["range"]), ["end", "filename", "start"]);
                assert_eq!(keys(&d["range"]["start"]), ["byte", "column", "line"]);
            }
            for r in d["related"].as_array().expect("related is an array") {
                assert!(
                    keys(r)
                        .iter()
                        .all(|k| ["message", "object", "range"].contains(k))
                );
            }
        }
    }

    #[test]
    fn positions_are_one_based_columns_and_zero_based_bytes() {
        let (sources, diags) = fixture();
        let v: Value =
            serde_json::from_str(&render(Format::Json, &sources, &diags)).expect("valid JSON");
        // The first finding (queues.tf, the `sales` block) starts at the beginning of line 6.
        let first = &v["diagnostics"][0];
        assert_eq!(first["range"]["filename"], "queues.tf");
        assert_eq!(first["range"]["start"]["line"], 6);
        assert_eq!(first["range"]["start"]["column"], 1);
        let byte = super::super::fixture::QUEUES_TF
            .find("resource \"genesyscloud_routing_queue\" \"sales\"");
        assert_eq!(first["range"]["start"]["byte"], byte.expect("needle"));
        assert_eq!(first["range"]["end"]["line"], 7);
        // The org-located finding.
        let last = &v["diagnostics"][diags.len() - 1];
        assert!(last["range"].is_null());
        assert_eq!(last["object"]["kind"], "wrapup-code");
        assert!(last.get("help").is_none());
        assert_eq!(last["notes"][0], "from the org snapshot");
    }

    /// The report is rendered in chunks on several threads and spliced together, a batch of
    /// chunks at a time: the bytes must be exactly what serde_json writes for the whole
    /// document at once, across chunk and batch borders.
    #[test]
    fn chunked_rendering_is_byte_identical_to_one_pretty_document() {
        use super::super::fixture::context;
        use super::*;
        let (sources, diags) = fixture();
        let cx = context(&sources);
        for n in [
            1,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            3 * CHUNK + 7,
            BATCH,
            2 * BATCH + 1,
        ] {
            let many: Vec<Diagnostic> = diags.iter().cycle().take(n).cloned().collect();
            let whole = Document::new(
                &many,
                &cx,
                many.iter().map(|d| json_diagnostic(d, &sources)).collect(),
            );
            let expected = serde_json::to_string_pretty(&whole).expect("serializable") + "\n";
            assert_eq!(
                render(Format::Json, &sources, &many),
                expected,
                "{n} findings"
            );
        }
    }

    #[test]
    fn empty_report_is_still_a_full_document() {
        let (sources, _) = fixture();
        let v: Value =
            serde_json::from_str(&render(Format::Json, &sources, &[])).expect("valid JSON");
        assert_eq!(v["diagnostics"].as_array().map(Vec::len), Some(0));
        assert_eq!(v["summary"]["errors"], 0);
    }
}
