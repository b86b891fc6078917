//! Property tests: every loader, and the whole `check` pipeline, on arbitrary and mutated input.
//!
//! Each loader gets three kinds of input: arbitrary strings, arbitrary bytes (read lossily, as the
//! CLI shows invalid UTF-8), and structure-aware mutations of the fixtures under `testdata/` of its
//! format (deleting, duplicating, repeating and truncating ranges, and inserting tokens of the
//! formats' syntax). The properties are those of `tests/support/invariants.rs`: no panic; `Ok` with
//! every span inside the input, or a `LoadError` with a one-line message and a span inside the
//! input; and each call finishes within [`time_limit`].
//!
//! The CI pass is short (see [`cases`]). For a long run:
//! `PROPTEST_CASES=20000 cargo test --release --test properties` (see `fuzz/README.md`).

#[path = "support/invariants.rs"]
mod invariants;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

use cxlint::baseline::{Baseline, BaselineError, Place};
use cxlint::check::{CheckOptions, check};
use cxlint::load::archy::{SubValue, parse_flow};
use cxlint::settings::{ConfigError, parse_config};
use cxlint::source::{FileId, Span};
use invariants::{FILE, check_body_spans, check_error, check_state_spans};

// ---------------------------------------------------------------------------------------------
// Budget
// ---------------------------------------------------------------------------------------------

/// Cases per property: `PROPTEST_CASES` when set, else `default` (sized so that the whole file
/// runs in well under 30 s in a debug build on 2 cores).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(default_cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default_cases),
        // Failures are reported with the shrunk input; a regression belongs in tests/hostile.rs.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// The longest one loader call may take. Inputs here are at most a few hundred kilobytes, which
/// every loader reads in milliseconds; seconds mean something quadratic or a near-hang. Generous,
/// because CI machines are shared. `CXLINT_PROPTEST_TIME_LIMIT_MS` overrides it.
fn time_limit() -> Duration {
    let ms = std::env::var("CXLINT_PROPTEST_TIME_LIMIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    Duration::from_millis(ms)
}

/// Runs `f`, failing the property when it takes longer than [`time_limit`].
fn timed<T>(what: &str, input_len: usize, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(
        took <= time_limit(),
        "{what} took {took:?} on {input_len} bytes (limit {:?})",
        time_limit()
    );
    out
}

// ---------------------------------------------------------------------------------------------
// Fixtures and mutations
// ---------------------------------------------------------------------------------------------

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// Every readable UTF-8 fixture under `testdata/` whose file name satisfies `pick` (the hostile
/// corpus is left out: it has its own tests).
fn fixtures(pick: fn(&str) -> bool) -> Vec<String> {
    fn walk(dir: &Path, pick: fn(&str) -> bool, out: &mut Vec<(PathBuf, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if name != "hostile" {
                    walk(&path, pick, out);
                }
            } else if pick(&name) {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    out.push((path, text));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&testdata(), pick, &mut out);
    // Deterministic order, so a failing case replays the same way.
    out.sort();
    assert!(!out.is_empty(), "no fixtures found under testdata/");
    out.into_iter().map(|(_, t)| t).collect()
}

static HCL: LazyLock<Vec<String>> = LazyLock::new(|| {
    fixtures(|n| n.ends_with(".tf") || n.ends_with(".tfvars") || n.ends_with(".hcl"))
});
static TF_JSON: LazyLock<Vec<String>> =
    LazyLock::new(|| fixtures(|n| n.ends_with(".tf.json") || n.ends_with(".tfvars.json")));
/// Every JSON-ish org-state input; each state loader gets all of them (a plan loader fed a v3
/// state must fail cleanly too).
static STATE: LazyLock<Vec<String>> = LazyLock::new(|| {
    fixtures(|n| {
        n.ends_with(".tfstate") || n == "plan.json" || n == "snapshot.json" || n == "export.tf.json"
    })
});
static YAML: LazyLock<Vec<String>> =
    LazyLock::new(|| fixtures(|n| n.ends_with(".yaml") || n.ends_with(".yml")));
static TOML: LazyLock<Vec<String>> = LazyLock::new(|| fixtures(|n| n.ends_with("cxlint.toml")));
/// A real baseline: the demo project's findings.
static BASELINE: LazyLock<Vec<String>> = LazyLock::new(|| {
    let demo = testdata().join("demo");
    let r = check(&CheckOptions::new(testdata(), vec![demo]));
    let place = Place::new(Path::new("cxlint-baseline.json"), &testdata());
    vec![Baseline::from_diagnostics(&r.diagnostics, &r.sources, &place).to_json()]
});

/// Tokens of the input formats' syntax, inserted by mutations: brackets and quotes that open
/// nesting or strings, template and heredoc openers, escapes, odd numbers, multi-byte and special
/// characters, YAML anchors, and Terraform constructs the evaluator must bound.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "\"",
    "'",
    "${",
    "%{",
    "$${",
    "<<EOT\n",
    "\nEOT\n",
    "<<-X\n",
    "\n",
    "\r\n",
    "\t",
    "\0",
    "\\",
    "\\u0000",
    "\\ud800",
    "\\uZZ",
    "#",
    "//",
    "/*",
    "*/",
    "=",
    ",",
    ":",
    ".",
    "...",
    "=>",
    "?",
    "!",
    "&&",
    "-",
    "é",
    "🦀",
    "\u{feff}",
    "\u{2028}",
    "1e999",
    "-0",
    "0x1F",
    "99999999999999999999999",
    "1.5e-400",
    "null",
    "true",
    "local.a",
    "var.x",
    "count.index",
    "each.key",
    "self.id",
    "[*]",
    ".*",
    ".0",
    "[for x in local.a : x]",
    "{for k, v in var.x : k => v...}",
    "${local.a}",
    "%{ if true }x%{ endif }",
    "\"version\": 3",
    "\"version\": 4",
    "\"resources\": [",
    "\"mode\": \"data\"",
    "\"type\": \"genesyscloud_routing_queue\"",
    "\"instances\": [{",
    "\"attributes\": {",
    "\"attributes_flat\": {",
    "\"wrapup_codes.#\": \"2\"",
    "\"index_key\": 1",
    "\"values\": {\"root_module\": {",
    "- ",
    "&a ",
    "*a",
    "<<: *a",
    "!!str ",
    "---\n",
    "? ",
    "{{",
    "\"${queue}\"",
    "resource \"genesyscloud_routing_queue\" \"q\" {\n",
    "resource \"genesyscloud_flow\" \"f\" {\n filepath = \"x.yaml\"\n}\n",
    "module \"m\" {\n source = \"./\"\n}\n",
    "locals {\n a = local.b\n b = local.a\n}\n",
    "count = 100000000\n",
    "for_each = toset([for i in range(100000) : tostring(i)])\n",
    "jsondecode(",
    "file(",
    "templatefile(",
    "lookup(",
    "toset(",
    "range(1e9)",
    "[rules]\n",
    "exclude = [\"**\"]\n",
    "per-file-ignores = {\"*\" = [\"x\"]}\n",
    "\"entries\": [",
];

/// One edit of a fixture. Positions are [`Index`]es so they scale to any text length; each is
/// moved back to a character boundary.
#[derive(Debug, Clone)]
enum Edit {
    Delete(Index, usize),
    Duplicate(Index, usize),
    /// A range written `times` more times: deep nesting when the range is an opener.
    Repeat(Index, usize, usize),
    Insert(Index, Index),
    Truncate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<Index>(), 1..64usize).prop_map(|(i, n)| Edit::Delete(i, n)),
        2 => (any::<Index>(), 1..64usize).prop_map(|(i, n)| Edit::Duplicate(i, n)),
        1 => (any::<Index>(), 1..4usize, 1..300usize).prop_map(|(i, n, k)| Edit::Repeat(i, n, k)),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(i, t)| Edit::Insert(i, t)),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

fn boundary(s: &str, i: &Index) -> usize {
    let mut at = i.index(s.len() + 1);
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn range(s: &str, i: &Index, len: usize) -> std::ops::Range<usize> {
    let start = boundary(s, i);
    let mut end = (start + len).min(s.len());
    while !s.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

fn apply(fixture: &str, edits: &[Edit]) -> String {
    let mut s = fixture.to_owned();
    for e in edits {
        match e {
            Edit::Delete(i, n) => {
                let r = range(&s, i, *n);
                s.replace_range(r, "");
            }
            Edit::Duplicate(i, n) => {
                let r = range(&s, i, *n);
                let piece = s[r.clone()].to_owned();
                s.insert_str(r.end, &piece);
            }
            Edit::Repeat(i, n, times) => {
                let r = range(&s, i, *n);
                let piece = s[r.clone()].repeat(*times);
                s.insert_str(r.end, &piece);
            }
            Edit::Insert(i, t) => {
                let at = boundary(&s, i);
                s.insert_str(at, TOKENS[t.index(TOKENS.len())]);
            }
            Edit::Truncate(i) => {
                let at = boundary(&s, i);
                s.truncate(at);
            }
        }
    }
    s
}

/// A fixture of `pool` with up to 8 edits.
fn mutated(pool: &'static LazyLock<Vec<String>>) -> impl Strategy<Value = String> {
    (any::<Index>(), vec(edit(), 0..8)).prop_map(move |(f, edits)| {
        let pool: &Vec<String> = pool;
        apply(&pool[f.index(pool.len())], &edits)
    })
}

/// Text with no structure at all, and a soup of syntax tokens.
fn unstructured() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        vec(any::<u8>(), 0..512).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        vec(any::<Index>(), 0..64).prop_map(|ts| {
            ts.iter()
                .map(|t| TOKENS[t.index(TOKENS.len())])
                .collect::<String>()
        }),
    ]
}

// ---------------------------------------------------------------------------------------------
// Loaders
// ---------------------------------------------------------------------------------------------

fn hcl(text: &str) {
    match timed("parse_hcl", text.len(), || {
        cxlint::load::hcl::parse_hcl(FILE, text)
    }) {
        Ok(cfg) => check_body_spans(&cfg.body, text),
        Err(e) => check_error(&e, text),
    }
}

fn tf_json(text: &str) {
    for (name, parse) in [
        (
            "parse_tf_json",
            cxlint::load::tfjson::parse_tf_json as fn(_, &_) -> _,
        ),
        ("parse_tfvars_json", cxlint::load::tfjson::parse_tfvars_json),
    ] {
        match timed(name, text.len(), || parse(FILE, text)) {
            Ok(cfg) => check_body_spans(&cfg.body, text),
            Err(e) => check_error(&e, text),
        }
    }
}

fn json(text: &str) {
    let _ = timed("detect", text.len(), || cxlint::load::detect::detect(text));
    match timed("parse_json", text.len(), || {
        cxlint::load::json::parse_json(FILE, text)
    }) {
        Ok(v) => {
            invariants::check_val_spans(&v, text);
            if let Some(s) = cxlint::load::json::key_span(text, &v) {
                invariants::check_span(s, text, "key");
            }
        }
        Err(e) => check_error(&e, text),
    }
}

fn states(text: &str) {
    for (name, parse) in [
        (
            "parse_tfstate",
            cxlint::load::tfstate::parse_tfstate as fn(_, &_) -> _,
        ),
        ("parse_plan", cxlint::load::plan::parse_plan),
        ("parse_snapshot", cxlint::snapshot::parse_snapshot),
    ] {
        match timed(name, text.len(), || parse(FILE, text)) {
            Ok(doc) => check_state_spans(&doc, text),
            Err(e) => check_error(&e, text),
        }
    }
}

fn flow(text: &str) {
    // Substitution spans point into the `.tf` file, which is another file.
    let tf = Span::new(FileId(1), 0..1);
    let subs = [
        ("queue".to_owned(), SubValue::known("Support", tf)),
        ("support_queue".to_owned(), SubValue::known("a: [b, {c", tf)),
        ("billing_queue".to_owned(), SubValue::unknown(tf)),
    ];
    if let Err(e) = timed("parse_flow", text.len(), || parse_flow(FILE, text, &subs)) {
        check_error(&e, text);
    }
}

fn toml_config(text: &str) {
    let lookup = |name: &str| cxlint::rules::find(name).map(|m| m.name);
    let r = timed("parse_config", text.len(), || {
        parse_config(Path::new(".cxlint.toml"), text, Path::new("/p"), &lookup)
    });
    match r {
        Ok(_) => {}
        Err(ConfigError::Invalid(e)) => {
            assert!(!e.message.trim().is_empty(), "empty config error message");
            assert!(
                e.line >= 1 && e.column >= 1,
                "0-based config error location"
            );
            let end = e.span.offset() + e.span.len();
            assert!(
                end <= text.len(),
                "config error span ends at {end} of {}",
                text.len()
            );
        }
        Err(other) => assert!(!other.to_string().trim().is_empty()),
    }
}

fn baseline(text: &str) {
    match timed("Baseline::parse", text.len(), || {
        Baseline::parse(Path::new("cxlint-baseline.json"), text)
    }) {
        Ok(b) => {
            // What was read writes back and reads again to the same document.
            let again = Baseline::parse(Path::new("b"), &b.to_json()).expect("re-read baseline");
            assert_eq!(again.to_json(), b.to_json());
        }
        Err(BaselineError::Invalid(e)) => {
            assert!(!e.message.trim().is_empty(), "empty baseline error message");
            let end = e.span.offset() + e.span.len();
            assert!(
                end <= text.len(),
                "baseline error span ends at {end} of {}",
                text.len()
            );
        }
        Err(other) => assert!(!other.to_string().trim().is_empty()),
    }
}

proptest! {
    #![proptest_config(config(4096))]

    #[test]
    fn hcl_survives_mutated_fixtures(text in mutated(&HCL)) { hcl(&text) }

    #[test]
    fn hcl_survives_unstructured_text(text in unstructured()) { hcl(&text) }

    #[test]
    fn tf_json_survives_mutated_fixtures(text in mutated(&TF_JSON)) { tf_json(&text) }

    #[test]
    fn tf_json_survives_unstructured_text(text in unstructured()) { tf_json(&text) }

    #[test]
    fn json_survives_mutated_fixtures(text in mutated(&STATE)) { json(&text) }

    #[test]
    fn state_loaders_survive_mutated_fixtures(text in mutated(&STATE)) { states(&text) }

    #[test]
    fn state_loaders_survive_unstructured_text(text in unstructured()) { states(&text) }

    #[test]
    fn flow_survives_mutated_fixtures(text in mutated(&YAML)) { flow(&text) }

    #[test]
    fn flow_survives_unstructured_text(text in unstructured()) { flow(&text) }

    #[test]
    fn config_survives_mutated_fixtures(text in mutated(&TOML)) { toml_config(&text) }

    #[test]
    fn config_survives_unstructured_text(text in unstructured()) { toml_config(&text) }

    #[test]
    fn baseline_survives_mutated_fixtures(text in mutated(&BASELINE)) { baseline(&text) }

    #[test]
    fn baseline_survives_unstructured_text(text in unstructured()) { baseline(&text) }
}

// ---------------------------------------------------------------------------------------------
// The whole pipeline
// ---------------------------------------------------------------------------------------------

/// The projects the pipeline property copies and mutates: each exercises modules, flows, state
/// or JSON configuration.
const PROJECTS: &[&str] = &[
    "demo",
    "projects/flows",
    "projects/export_style",
    "projects/hand_written",
    "projects/tf_json",
    "projects/unknowns",
];

/// The files of a project (relative paths and text), sorted.
fn project_files(rel: &str) -> Vec<(PathBuf, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
                out.push((rel, text));
            }
        }
    }
    let root = testdata().join(rel);
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out.sort();
    out
}

static PROJECT_FILES: LazyLock<Vec<Vec<(PathBuf, String)>>> =
    LazyLock::new(|| PROJECTS.iter().map(|p| project_files(p)).collect());

proptest! {
    #![proptest_config(config(256))]

    /// Copies a project into a temporary directory, mutates two of its files and a state file,
    /// runs `check` with the state, and renders the findings in every format.
    #[test]
    fn check_pipeline_survives_mutated_projects(
        project in any::<Index>(),
        targets in vec((any::<Index>(), vec(edit(), 1..6)), 1..3),
        state in mutated(&STATE),
    ) {
        let files = &PROJECT_FILES[project.index(PROJECT_FILES.len())];
        let dir = tempfile::tempdir().expect("tempdir");
        let mut texts: Vec<(PathBuf, String)> = files.clone();
        for (which, edits) in &targets {
            let f = &mut texts[which.index(files.len())];
            f.1 = apply(&f.1, edits);
        }
        for (rel, text) in &texts {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
            std::fs::write(&path, text).expect("write");
        }
        let state_path = dir.path().join("org.tfstate");
        std::fs::write(&state_path, &state).expect("write state");
        let mut opts = CheckOptions::new(dir.path(), vec![dir.path().to_path_buf()]);
        opts.settings.state = vec![state_path];
        let bytes: usize = texts.iter().map(|t| t.1.len()).sum::<usize>() + state.len();
        let r = timed("check", bytes, || check(&opts));
        invariants::check_diagnostics(&r.diagnostics, &r.sources);
        invariants::render_all(&r.diagnostics, &r.sources);
        for e in &r.errors {
            prop_assert!(!e.0.trim().is_empty(), "empty run error");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions found by the properties above
// ---------------------------------------------------------------------------------------------

/// Names quoted from the file into an error message keep it on one line: a JSON key or YAML key
/// holding a line break (or a terminal escape) is shown escaped. Found by
/// `tf_json_survives_mutated_fixtures` (`{"<<EOT\ndivision": ...}` in a `.tf.json` file: a raw
/// line break in a JSON string, now a parse error of its own, whose message quotes nothing).
#[test]
fn messages_quoting_names_from_the_file_stay_on_one_line() {
    type Parse = fn(&str) -> Result<(), cxlint::load::LoadError>;
    let cases: [(&str, Parse, &str); 3] = [
        (
            "tf.json block key",
            |t| cxlint::load::tfjson::parse_tf_json(FILE, t).map(drop),
            "{\"locals\\n\\u001b[2J\": 1}",
        ),
        (
            "snapshot resource type",
            |t| cxlint::snapshot::parse_snapshot(FILE, t).map(drop),
            "{\"format\": \"cxlint-snapshot\", \"version\": 1, \"api_base\": \"x\", \"fetched_at\": \"x\", \"cxlint_version\": \"x\", \"missing\": [], \"resources\": [{\"type\": \"x\\ny\", \"id\": \"1\", \"name\": \"n\", \"attributes\": {}}]}",
        ),
        (
            "flow type",
            |t| parse_flow(FILE, t, &[]).map(drop),
            "\"inbound\\nCall\":\n  name: x\n",
        ),
    ];
    for (what, parse, text) in cases {
        let e = parse(text).expect_err(what);
        assert!(
            !e.message.contains(|c: char| c.is_control()),
            "{what}: {:?}",
            e.message
        );
        // The name is quoted, escaped.
        assert!(e.message.contains("\\n"), "{what}: {:?}", e.message);
        check_error(&e, text);
    }
}
