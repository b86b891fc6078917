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

/// Where the baselines below are: the working directory, `/repo`.
fn here() -> Place {
    Place::new(Path::new("baseline.json"), Path::new("/repo"))
}

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
    let baseline = Baseline::from_diagnostics(&diags, &sources, &here());
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
    assert!(text.starts_with("{\n  \"version\": 2,"), "{text}");
    assert!(text.contains("\"file\": \"queues/main.tf\""));
    assert!(text.contains("\"subject\": \"genesyscloud_routing_queue.support\""));
    assert!(!text.contains("\"line\""), "no line numbers in the key");

    let out = loaded.filter(diags, &sources, &here(), &Scope::everything());
    assert!(out.kept.is_empty());
    assert_eq!(out.hidden, 2);
    assert!(out.stale.is_empty());
}

#[test]
fn output_is_deterministic_regardless_of_finding_order() {
    let (sources, f) = one_file(MAIN);
    let a = finding(&sources, f, "[var.x]", "q");
    let b = finding(&sources, f, "wrapup_codes", "q");
    let one = Baseline::from_diagnostics(&[a.clone(), b.clone()], &sources, &here()).to_json();
    let two = Baseline::from_diagnostics(&[b, a], &sources, &here()).to_json();
    assert_eq!(one, two);
}

#[test]
fn survives_lines_inserted_above_and_reindentation() {
    let (before, f) = one_file(MAIN);
    let d = finding(&before, f, "[var.x]", "genesyscloud_routing_queue.support");
    let baseline = Baseline::from_diagnostics(&[d], &before, &here());

    let moved = format!(
        "# a new comment\n\nlocals {{\n  a = 1\n}}\n\n{}",
        MAIN.replace("[var.x]", "[\n    var.x\n  ]")
    );
    let (after, f2) = one_file(&moved);
    let at = moved.find("[\n").expect("list");
    let end = moved[at..].find(']').map(|i| at + i + 1).expect("end");
    let d = Diagnostic::at(rule(), "bad `[var.x]`", Span::new(f2, at..end))
        .subject("genesyscloud_routing_queue.support");
    let out = baseline.filter(vec![d], &after, &here(), &Scope::everything());
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
    let baseline = Baseline::from_diagnostics(std::slice::from_ref(&d), &sources, &here());

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
        let out = baseline.filter(vec![diag], map, &here(), &Scope::everything());
        assert_eq!((out.kept.len(), out.hidden, out.stale.len()), (1, 0, 1));
    }
}

#[test]
fn multiset_semantics_and_stale_entries() {
    let (sources, f) = one_file(MAIN);
    let d = finding(&sources, f, "[var.x]", "q");
    // Recorded once; found twice: one is new.
    let once = Baseline::from_diagnostics(std::slice::from_ref(&d), &sources, &here());
    let out = once.filter(
        vec![d.clone(), d.clone()],
        &sources,
        &here(),
        &Scope::everything(),
    );
    assert_eq!((out.kept.len(), out.hidden), (1, 1));

    // Recorded twice; found once: one entry is stale.
    let twice = Baseline::from_diagnostics(&[d.clone(), d.clone()], &sources, &here());
    assert_eq!(twice.entries.len(), 2);
    let out = twice.filter(vec![d.clone()], &sources, &here(), &Scope::everything());
    assert_eq!((out.kept.len(), out.hidden, out.stale.len()), (0, 1, 1));
    assert_eq!(out.stale[0].rule, "unresolved-reference");

    // Fixed entirely: both stale, and the warning says so.
    let out = twice.filter(Vec::new(), &sources, &here(), &Scope::everything());
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
    let b = Baseline::from_diagnostics(&[org("1")], &sources, &here());
    assert_eq!(b.entries[0].file, None);
    let out = b.filter(
        vec![org("1"), org("2")],
        &sources,
        &here(),
        &Scope::everything(),
    );
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

/// One file at `shown` (as the source map shows it, relative to the working directory) holding
/// `MAIN`, and the finding on its `[var.x]`.
fn finding_in(shown: &str) -> (SourceMap, Diagnostic) {
    let mut sources = SourceMap::new();
    let f = sources.add(shown.into(), Arc::from(MAIN));
    let d = finding(&sources, f, "[var.x]", "genesyscloud_routing_queue.support");
    (sources, d)
}

/// A baseline is committed and used from wherever cxlint runs: its entries name files relative
/// to its own directory, not to the working directory of the run that wrote it (it matched only
/// from there).
#[test]
fn entries_are_relative_to_the_baseline_directory() {
    // Written from `/repo`, where the file is `infra/main.tf`.
    let at_root = Place::new(Path::new("bl.json"), Path::new("/repo"));
    let (sources, d) = finding_in("infra/main.tf");
    let b = Baseline::from_diagnostics(std::slice::from_ref(&d), &sources, &at_root);
    assert_eq!(b.entries[0].file.as_deref(), Some("infra/main.tf"));
    // Read from `/repo/infra`, where the same file is `main.tf` and the baseline `../bl.json`.
    let from_infra = Place::new(Path::new("../bl.json"), Path::new("/repo/infra"));
    let (sources, d) = finding_in("main.tf");
    let out = b.filter(vec![d], &sources, &from_infra, &Scope::everything());
    assert_eq!((out.kept.len(), out.hidden, out.stale.len()), (0, 1, 0));

    // A baseline beside the configuration, not above it: a path up and back, never an
    // absolute one (the file is committed).
    let in_ci = Place::new(Path::new("/repo/ci/bl.json"), Path::new("/repo/infra"));
    let (sources, d) = finding_in("main.tf");
    let b = Baseline::from_diagnostics(&[d], &sources, &in_ci);
    assert_eq!(b.entries[0].file.as_deref(), Some("../infra/main.tf"));
}

/// Version 1 stored paths relative to the working directory, with no way to tell which one: read
/// as then (from the directory that wrote it), and rewritten as version 2, its kept entries'
/// paths made relative to the baseline's directory.
#[test]
fn version_1_baselines_are_read_as_written_and_rewritten_as_version_2() {
    let v1 = "{\n  \"version\": 1,\n  \"entries\": []\n}\n";
    let mut b = Baseline::parse(Path::new("b.json"), v1).expect("a version 1 baseline");
    assert_eq!(b.version, 1);
    // Its entries as version 1 wrote them: for a run in `/repo/infra`, the file `main.tf`.
    let (sources, d) = finding_in("main.tf");
    let cwd = Path::new("/repo/infra");
    let place = Place::new(Path::new("/repo/ci/old.json"), cwd);
    let mut keyer = Keyer::new(&sources, &place, 1);
    b.entries = vec![keyer.entry(&d)];
    assert_eq!(b.entries[0].file.as_deref(), Some("main.tf"));
    // Round trip: still version 1, paths untouched.
    let again = Baseline::parse(Path::new("b.json"), &b.to_json()).expect("re-read");
    assert_eq!(again, b);

    let out = b.filter(vec![d.clone()], &sources, &place, &Scope::everything());
    assert_eq!((out.kept.len(), out.hidden, out.stale.len()), (0, 1, 0));

    // Rewritten by a run of another rule: the entry is kept, relative to `/repo/ci`.
    let other_rule = Scope {
        rules_not_run: [rule().name].into_iter().collect(),
        ..Scope::everything()
    };
    let new = b.rewrite(&[], &sources, &place, &other_rule);
    assert_eq!((new.recorded, new.kept), (0, 1));
    assert_eq!(new.baseline.version, BASELINE_VERSION);
    assert_eq!(
        new.baseline.entries[0].file.as_deref(),
        Some("../infra/main.tf")
    );
    // And matches from there on.
    let out = (new.baseline).filter(vec![d], &sources, &place, &Scope::everything());
    assert_eq!((out.kept.len(), out.hidden, out.stale.len()), (0, 1, 0));
}

/// An entry for a rule that did not run, or a file the run did not check, could not have
/// matched: not stale, and kept by a rewrite (which used to drop it), unless a finding of the
/// run matched it (it is then recorded afresh, once).
#[test]
fn entries_outside_the_scope_are_neither_stale_nor_dropped() {
    let mut sources = SourceMap::new();
    let a = sources.add("a.tf".into(), Arc::from(MAIN));
    let b = sources.add("b.tf".into(), Arc::from(MAIN));
    let in_a = finding(&sources, a, "[var.x]", "q");
    let in_b = finding(&sources, b, "[var.x]", "q");
    let both = Baseline::from_diagnostics(&[in_a.clone(), in_b.clone()], &sources, &here());

    let no_rule = Scope {
        rules_not_run: [rule().name].into_iter().collect(),
        ..Scope::everything()
    };
    let only_a = Scope {
        files: Some([PathBuf::from("a.tf")].into_iter().collect()),
        ..Scope::everything()
    };
    // Nothing found: only entries within the scope are stale.
    let stale = |scope: &Scope| {
        let out = both.filter(Vec::new(), &sources, &here(), scope);
        out.stale
            .iter()
            .filter_map(|e| e.file.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(stale(&Scope::everything()), ["a.tf", "b.tf"]);
    assert!(stale(&no_rule).is_empty());
    assert_eq!(stale(&only_a), ["a.tf"]);

    // Rewritten by a run of another rule: both kept.
    let new = both.rewrite(&[], &sources, &here(), &no_rule);
    assert_eq!((new.recorded, new.kept), (0, 2));
    assert_eq!(new.baseline.entries, both.entries);
    // By a run of `a.tf` that found nothing: `a.tf`'s entry is dropped, `b.tf`'s kept.
    let new = both.rewrite(&[], &sources, &here(), &only_a);
    let files: Vec<_> = new
        .baseline
        .entries
        .iter()
        .map(|e| e.file.clone())
        .collect();
    assert_eq!(files, [Some("b.tf".to_owned())]);
    // By a run of `a.tf` that reported the finding in `b.tf` (its other end is in `a.tf`):
    // recorded once, not kept beside itself.
    let new = both.rewrite(std::slice::from_ref(&in_b), &sources, &here(), &only_a);
    assert_eq!((new.recorded, new.kept), (1, 0));
    assert_eq!(new.baseline.entries.len(), 1);

    // A finding in no file is within the scope only when the run could have reported one.
    let org = Diagnostic::new(
        rule(),
        "queue has no members",
        Location::Org(crate::diagnostic::OrgObject {
            kind: "queue".into(),
            id: "1".into(),
            name: None,
        }),
    );
    let unfiled = Baseline::from_diagnostics(&[org], &sources, &here());
    let no_state = Scope {
        unfiled: false,
        ..Scope::everything()
    };
    let out = unfiled.filter(Vec::new(), &sources, &here(), &no_state);
    assert!(out.stale.is_empty());
    let new = unfiled.rewrite(&[], &sources, &here(), &no_state);
    assert_eq!(new.kept, 1);
}

/// A message that shows a path relative to the working directory (`flow file
/// `infra/flows/a.yaml` does not exist`) differs from one directory to another: a baseline
/// fingerprints the finding's stable text instead (version 1 fingerprinted the message).
#[test]
fn a_message_with_a_working_directory_path_is_fingerprinted_without_it() {
    let (sources, d) = finding_in("infra/main.tf");
    let from_root = Diagnostic {
        message: "flow file `infra/flows/a.yaml` does not exist".into(),
        ..d.clone()
    }
    .fingerprint_message("flow file does not exist");
    let from_infra = Diagnostic {
        message: "flow file `flows/a.yaml` does not exist".into(),
        ..from_root.clone()
    };
    let b = Baseline::from_diagnostics(std::slice::from_ref(&from_root), &sources, &here());
    // The message is still written, for people.
    assert_eq!(b.entries[0].message, from_root.message);
    let out = b.filter(
        vec![from_infra.clone()],
        &sources,
        &here(),
        &Scope::everything(),
    );
    assert_eq!(out.hidden, 1);

    // Version 1 fingerprinted the message as shown: its entries still match where they were
    // written.
    let place = here();
    let mut keyer = Keyer::new(&sources, &place, 1);
    let v1 = Baseline {
        version: 1,
        entries: vec![keyer.entry(&from_root)],
    };
    assert_ne!(v1.entries[0].fingerprint, b.entries[0].fingerprint);
    let out = v1.filter(vec![from_root], &sources, &here(), &Scope::everything());
    assert_eq!(out.hidden, 1);
}
