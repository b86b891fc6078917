//! Every rule against its fixtures: `testdata/rules/<rule_name>/fail/` must produce findings of that
//! rule (snapshotted with their locations and labels), and `pass/` must produce none.

use std::path::{Path, PathBuf};

use cxlint::check::{CheckOptions, check};
use cxlint::diagnostic::{Diagnostic, Location};
use cxlint::rules::ALL_RULES;
use cxlint::source::SourceMap;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(dir: &Path, states: &[&str]) -> cxlint::check::CheckResult {
    let mut opts = CheckOptions::new(
        root(),
        vec![dir.strip_prefix(root()).unwrap_or(dir).to_path_buf()],
    );
    opts.settings.state = states.iter().map(PathBuf::from).collect();
    check(&opts)
}

fn at(sources: &SourceMap, loc: &Location) -> String {
    match loc {
        Location::Source(s) => {
            let f = sources.get(s.file);
            let lc = f.line_col(s.start);
            format!(
                "{}:{}:{} `{}`",
                f.path.display().to_string().replace('\\', "/"),
                lc.line,
                lc.column,
                f.slice(*s).replace('\n', "\\n")
            )
        }
        Location::Org(o) => format!(
            "org {} {} ({})",
            o.kind,
            o.id,
            o.name.as_deref().unwrap_or("")
        ),
    }
}

/// A plain rendering of findings for snapshots: where, what, and every label, help and note.
pub fn render(sources: &SourceMap, diags: &[&Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&format!(
            "{} {}[{}] {}\n  at {}\n",
            d.severity,
            d.rule.name,
            d.rule.code,
            d.message,
            at(sources, &d.location)
        ));
        if let Some(l) = &d.label {
            out.push_str(&format!("  label: {l}\n"));
        }
        for r in &d.related {
            out.push_str(&format!(
                "  related: {} -- {}\n",
                at(sources, &r.location),
                r.message
            ));
        }
        if let Some(h) = &d.help {
            out.push_str(&format!("  help: {h}\n"));
        }
        for n in &d.notes {
            out.push_str(&format!("  note: {n}\n"));
        }
    }
    out
}

#[test]
fn every_rule_has_fixtures_that_fail_and_pass() {
    let mut missing = Vec::new();
    for rule in ALL_RULES {
        let meta = rule.meta();
        let dir = root()
            .join("testdata/rules")
            .join(meta.name.replace('-', "_"));
        if !dir.join("fail").is_dir() || !dir.join("pass").is_dir() {
            missing.push(meta.name);
            continue;
        }
        let fail = run(&dir.join("fail"), &[]);
        let hits: Vec<&Diagnostic> = fail
            .diagnostics
            .iter()
            .filter(|d| d.rule.name == meta.name)
            .collect();
        assert!(
            !hits.is_empty(),
            "{}: fail fixture produced no finding; got:\n{}",
            meta.name,
            render(&fail.sources, &fail.diagnostics.iter().collect::<Vec<_>>())
        );
        insta::assert_snapshot!(
            format!("rule_{}", meta.name.replace('-', "_")),
            render(&fail.sources, &hits)
        );

        let pass = run(&dir.join("pass"), &[]);
        let bad: Vec<&Diagnostic> = pass
            .diagnostics
            .iter()
            .filter(|d| d.rule.name == meta.name)
            .collect();
        assert!(
            bad.is_empty(),
            "{}: pass fixture produced findings:\n{}",
            meta.name,
            render(&pass.sources, &bad)
        );
        assert!(
            !pass.incomplete || meta.name == "parse-error",
            "{}: pass fixture did not load cleanly",
            meta.name
        );
    }
    assert!(
        missing.is_empty(),
        "rules without testdata/rules/<name>/{{fail,pass}}: {missing:?}"
    );
}
