//! Tests for baselines.

use super::*;
use crate::source::{FileId, Span};
use std::sync::Arc;

/// The rule of the findings below (a parse failure is never recorded: any other will do).
fn rule() -> &'static crate::rules::RuleMeta {
    (crate::rules::ALL_RULES.iter().map(|r| r.meta()))
        .find(|m| m.name == "unresolved-reference")
        .expect("a rule of that name")
}

/// An `unresolved-reference` finding on `needle` in file `file` of `sources`.
fn finding(sources: &SourceMap, file: FileId, needle: &str, subject: &str) -> Diagnostic {
    let text = sources.get(file).text();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found"));
    Diagnostic::at(
        rule(),
        format!("bad `{needle}`"),
        Span::new(file, at..at + needle.len()),
    )
    .subject(subject)
}

const MAIN: &str =
    "resource \"genesyscloud_routing_queue\" \"support\" {\n  wrapup_codes = [var.x]\n}\n";

fn one_file(text: &str) -> (SourceMap, FileId) {
    let mut sources = SourceMap::new();
    let id = sources.add("queues/main.tf".into(), Arc::from(text));
    (sources, id)
}

#[test]
fn round_trip_through_a_file() {
    let (sources, f) = one_file(MAIN);
    let diags = vec![
        finding(&sources, f, "[var.x]", "genesyscloud_routing_queue.support"),
        finding(
            &sources,
            f,
            "wrapup_codes",
            "genesyscloud_routing_queue.support",
        ),
    ];
    let baseline = Baseline::from_diagnostics(&diags, &sources);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("baseline.json");
    baseline.write_atomic(&path).expect("write");
    let loaded = Baseline::load(&path, &path).expect("load");
    assert_eq!(loaded, baseline);
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["baseline.json"]);

    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.starts_with("{\n  \"version\": 1,"), "{text}");
    assert!(text.contains("\"file\": \"queues/main.tf\""));
    assert!(text.contains("\"subject\": \"genesyscloud_routing_queue.support\""));
    assert!(!text.contains("\"line\""), "no line numbers in the key");

    let out = loaded.filter(diags, &sources);
    assert!(out.kept.is_empty());
    assert_eq!(out.hidden, 2);
    assert!(out.stale.is_empty());
}

#[test]
fn output_is_deterministic_regardless_of_finding_order() {
    let (sources, f) = one_file(MAIN);
    let a = finding(&sources, f, "[var.x]", "q");
    let b = finding(&sources, f, "wrapup_codes", "q");
    let one = Baseline::from_diagnostics(&[a.clone(), b.clone()], &sources).to_json();
    let two = Baseline::from_diagnostics(&[b, a], &sources).to_json();
    assert_eq!(one, two);
}

#[test]
fn survives_lines_inserted_above_and_reindentation() {
    let (before, f) = one_file(MAIN);
    let d = finding(&before, f, "[var.x]", "genesyscloud_routing_queue.support");
    let baseline = Baseline::from_diagnostics(&[d], &before);

    let moved = format!(
        "# a new comment\n\nlocals {{\n  a = 1\n}}\n\n{}",
        MAIN.replace("[var.x]", "[\n    var.x\n  ]")
    );
    let (after, f2) = one_file(&moved);
    let at = moved.find("[\n").expect("list");
    let end = moved[at..].find(']').map(|i| at + i + 1).expect("end");
    let d = Diagnostic::at(rule(), "bad `[var.x]`", Span::new(f2, at..end))
        .subject("genesyscloud_routing_queue.support");
    let out = baseline.filter(vec![d], &after);
    assert!(
        out.kept.is_empty(),
        "whitespace-normalised text still matches"
    );
    assert_eq!(out.hidden, 1);
}

#[test]
fn changed_text_message_subject_or_file_is_a_new_finding() {
    let (sources, f) = one_file(MAIN);
    let d = finding(&sources, f, "[var.x]", "q.a");
    let baseline = Baseline::from_diagnostics(std::slice::from_ref(&d), &sources);

    let other_subject = d.clone().subject("q.b");
    let other_message = Diagnostic {
        message: "different".into(),
        ..d.clone()
    };
    let other_text = finding(&sources, f, "wrapup_codes", "q.a");
    let mut two = SourceMap::new();
    two.add("other.tf".into(), Arc::from(MAIN));
    for (diag, map) in [
        (other_subject, &sources),
        (other_message, &sources),
        (other_text, &sources),
        (d, &two),
    ] {
        let out = baseline.filter(vec![diag], map);
        assert_eq!((out.kept.len(), out.hidden, out.stale.len()), (1, 0, 1));
    }
}

#[test]
fn multiset_semantics_and_stale_entries() {
    let (sources, f) = one_file(MAIN);
    let d = finding(&sources, f, "[var.x]", "q");
    // Recorded once; found twice: one is new.
    let once = Baseline::from_diagnostics(std::slice::from_ref(&d), &sources);
    let out = once.filter(vec![d.clone(), d.clone()], &sources);
    assert_eq!((out.kept.len(), out.hidden), (1, 1));

    // Recorded twice; found once: one entry is stale.
    let twice = Baseline::from_diagnostics(&[d.clone(), d.clone()], &sources);
    assert_eq!(twice.entries.len(), 2);
    let out = twice.filter(vec![d.clone()], &sources);
    assert_eq!((out.kept.len(), out.hidden, out.stale.len()), (0, 1, 1));
    assert_eq!(out.stale[0].rule, "unresolved-reference");

    // Fixed entirely: both stale, and the warning says so.
    let out = twice.filter(Vec::new(), &sources);
    assert_eq!(out.stale.len(), 2);
    let msg = stale_message(&out.stale, Path::new("b.json")).expect("message");
    assert!(
        msg.starts_with("2 baseline entries in `b.json` no longer match"),
        "{msg}"
    );
    assert!(stale_message(&[], Path::new("b.json")).is_none());
    // One entry: the verb agrees.
    let msg = stale_message(&out.stale[..1], Path::new("b.json")).expect("message");
    assert!(
        msg.starts_with("1 baseline entry in `b.json` no longer matches any finding;")
            && msg.ends_with("to drop it"),
        "{msg}"
    );
}

#[test]
fn org_findings_are_keyed_by_object() {
    let sources = SourceMap::new();
    let org = |id: &str| {
        let o = crate::diagnostic::OrgObject {
            kind: "queue".into(),
            id: id.into(),
            name: None,
        };
        Diagnostic::new(rule(), "queue has no members", Location::Org(o))
    };
    let b = Baseline::from_diagnostics(&[org("1")], &sources);
    assert_eq!(b.entries[0].file, None);
    let out = b.filter(vec![org("1"), org("2")], &sources);
    assert_eq!((out.kept.len(), out.hidden), (1, 1));
}

#[test]
fn bad_files_are_located_errors() {
    let p = Path::new("b.json");
    let e = Baseline::parse(
        p,
        "{\n  \"version\": 1,\n  \"entries\": [\n    {\"rule\": 3}\n  ]\n}\n",
    )
    .expect_err("wrong type");
    assert!(e.to_string().starts_with("b.json:4:"), "{e}");
    assert!(e.to_string().contains("invalid type"), "{e}");

    let e = Baseline::parse(
        p,
        "{\n  \"version\": 1,\n  \"entries\": [],\n  \"extra\": 1\n}",
    )
    .expect_err("unknown");
    assert!(e.to_string().starts_with("b.json:4:"), "{e}");
    assert!(e.to_string().contains("unknown field `extra`"), "{e}");

    let e = Baseline::parse(p, "{\n\n  \"version\": 9, \"entries\": []}").expect_err("version");
    assert!(
        e.to_string()
            .starts_with("b.json:3:3: unsupported baseline version 9"),
        "{e}"
    );

    let e = Baseline::parse(p, "{\"version\": 1, \"entries\": [").expect_err("truncated");
    assert!(e.to_string().starts_with("b.json:1:"), "{e}");
    assert!(e.to_string().contains(": not valid JSON: EOF"), "{e}");

    // Not a baseline at all, or entries of the wrong shape: said in the file's terms, never in
    // serde's (`struct Document with 2 elements`).
    for (text, shown) in [
        (
            "[]",
            "b.json:1:2: expected a baseline (an object with `version` and `entries`, as \
             `--write-baseline` writes), found an array",
        ),
        (
            "\"b\"",
            "b.json:1:3: expected a baseline (an object with `version` and `entries`, as \
             `--write-baseline` writes), found string \"b\"",
        ),
        (
            "{\"version\": 1}",
            "b.json:1:14: the baseline has no `entries`",
        ),
        (
            "{\"version\": 1, \"entries\": [\n  {}\n]}",
            "b.json:2:4: a baseline entry has no `rule`",
        ),
        (
            "{\"version\": 1, \"entries\": [7]}",
            "b.json:1:28: expected a baseline entry (an object with `rule`, `fingerprint` and \
             `message`), found integer `7`",
        ),
    ] {
        let e = Baseline::parse(p, text).expect_err(text);
        assert_eq!(e.to_string(), shown, "{text}");
    }

    let e = Baseline::load(Path::new("/definitely/not/here.json"), p).expect_err("missing");
    assert!(matches!(e, BaselineError::Read { .. }));
    assert!(
        e.to_string().starts_with("cannot read baseline `b.json`: "),
        "{e}"
    );
}

#[test]
fn write_failure_keeps_the_old_file_and_leaves_no_temp() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The target is a directory: the rename fails.
    let target = dir.path().join("taken");
    std::fs::create_dir(&target).expect("mkdir");
    std::fs::write(target.join("keep"), "x").expect("write");
    let e = Baseline::default()
        .write_atomic(&target)
        .expect_err("cannot replace a directory");
    assert!(matches!(e, BaselineError::Write { .. }));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["taken"]);
}
