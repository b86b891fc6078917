//! Fuzz the evaluator, the model and the rules on parsed HCL, then every reporter.
//!
//! The input is split into files at lines reading `#---`: the first is the root module in
//! `/fz`, the others are modules in `/fz/m1`, `/fz/m2`, ... (so `module "x" { source = "./m1" }`
//! reaches them). Files that do not parse are skipped, as `cxlint check` skips them.

#![no_main]

#[path = "../../tests/support/invariants.rs"]
mod invariants;

use std::path::PathBuf;
use std::sync::Arc;

use cxlint::eval::Evaluator;
use cxlint::model::{BuildInput, build};
use cxlint::rules::{ALL_RULES, Context};
use cxlint::settings::RuleSettings;
use cxlint::source::SourceMap;
use cxlint::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = invariants::utf8(data) else {
        return;
    };
    let mut sources = SourceMap::new();
    let mut ws = Workspace::default();
    for (i, part) in text.split("\n#---\n").enumerate().take(8) {
        let dir = if i == 0 {
            PathBuf::from("/fz")
        } else {
            PathBuf::from(format!("/fz/m{i}"))
        };
        let id = sources.add(dir.join("main.tf"), Arc::from(part));
        if let Ok(cfg) = cxlint::load::hcl::parse_hcl(id, part) {
            let m = ws.module_for_dir(&dir);
            ws.modules[m.0 as usize].add_file(id, cfg);
        }
    }
    ws.link();
    let ev = Evaluator::new(&ws);
    ev.expand_all();
    // In `check`'s order: the passes over the syntax come before the model build, which frees
    // each resource's syntax once it is evaluated.
    let secrets = cxlint::rules::hardcoded_secret::find_secrets(&ws);
    let mut diags = Vec::new();
    for rule in ALL_RULES {
        rule.check_workspace(&ws, &mut diags);
    }
    let model = build(BuildInput {
        ev: &ev,
        states: Vec::new(),
        cwd: std::path::Path::new("."),
    });
    let settings = RuleSettings::default();
    let cx = Context {
        model: &model,
        settings: &settings,
        sources: &sources,
        secrets: &secrets,
    };
    for rule in ALL_RULES {
        rule.check(&cx, &mut diags);
    }
    invariants::check_diagnostics(&diags, &sources);
    invariants::render_all(&diags, &sources);
});
