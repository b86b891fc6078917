//! `--state` inputs: what each path holds (detected from content), loaded into [`StateDoc`]s.
//!
//! A file is one input. A directory is a `genesyscloud_tf_export` output: its configuration
//! (`genesyscloud.tf[.json]` or the split files) is evaluated on its own as a Terraform module and
//! read as state (its resources exist in the org), and its `terraform.tfstate` supplies the ids.
//! Both describe the same objects under the same addresses, so the model merges them into one
//! object each: nothing is counted twice.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::check::{RunError, read_text};
use crate::diagnostic::Diagnostic;
use crate::discover::FileKind;
use crate::eval::Evaluator;
use crate::load::detect::{StateKindGuess, classify_state_path};
use crate::load::{LoadError, Mode, StateDoc, StateKind, StateResource};
use crate::model::{StateInput, resolve::ADDRESS_REF};
use crate::rules::hardcoded_secret::is_secret_key;
use crate::rules::parse_error::ParseError;
use crate::settings::Settings;
use crate::source::{FileId, SourceMap, display_path};
use crate::value::{V, Val};
use crate::workspace::{InputVar, Workspace, normalize};

/// Load every state input of `settings`, in the order given (earlier inputs win when they
/// disagree).
pub fn load_all(
    settings: &Settings,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
    errors: &mut Vec<RunError>,
    incomplete: &mut bool,
) -> Vec<(StateInput, StateDoc)> {
    let cwd = &settings.cwd;
    // Where the paths were given (`--state`, `[state] paths` in the config file), for errors.
    let origin = settings.state_origin_text();
    let mut out = Vec::new();
    let mut secret_spans = Vec::new();
    for (given, p) in settings.state.iter().enumerate() {
        let abs = if p.is_absolute() {
            p.clone()
        } else {
            normalize(&cwd.join(p))
        };
        // A pipe (`--state <(terraform show -json)`) can be read only once: read whole here,
        // its kind told from all of it, and the loader given that text (telling its kind from
        // a prefix, then reading it, found it empty).
        let piped = std::fs::metadata(&abs)
            .is_ok_and(|m| !m.is_file() && !m.is_dir())
            .then(|| read_text(&abs, || settings.shown(&abs), FileId(0)));
        let classified = match &piped {
            Some(Ok(read)) => match crate::load::detect::detect(&read.text) {
                Some(kind) => Ok(vec![(abs.clone(), StateKindGuess::Kind(kind))]),
                None => Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "not a state, plan, snapshot or export",
                )),
            },
            // The reader's message names the path: the error below names it once, itself.
            Some(Err(why)) => {
                let named = format!("`{}`: ", settings.shown(&abs).display());
                let why = why.strip_prefix(&named).unwrap_or(why);
                Err(std::io::Error::other(why.to_owned()))
            }
            None => classify_state_path(&abs),
        };
        let piped_unrecognised = piped.is_some() && classified.is_err();
        let mut ctx = Loader {
            cwd,
            sources,
            diags,
            errors,
            incomplete,
            secret_spans: &mut secret_spans,
            piped: piped.and_then(Result::ok).map(|read| (abs.clone(), read)),
        };
        let entries = match classified {
            Ok(e) => e,
            // A file of no known kind is an input that does not parse, as a truncated one is:
            // located in that file (at its start: no place in it is more wrong than another).
            Err(e)
                if e.kind() == std::io::ErrorKind::InvalidData
                    && (abs.is_file() || piped_unrecognised) =>
            {
                ctx.unrecognised_state_file(&abs);
                continue;
            }
            Err(e) => {
                // The detector's own messages start with the path, its I/O errors do not name
                // it: name it once, and where it was given.
                let msg = e.to_string();
                let prefix = format!("{}: ", abs.display());
                let reason = msg.strip_prefix(&prefix).unwrap_or(&msg);
                let shown = settings.shown(&abs);
                ctx.errors.push(RunError(format!(
                    "cannot use state `{}` (from {origin}): {reason}",
                    shown.display()
                )));
                *ctx.incomplete = true;
                continue;
            }
        };
        let mut states = Vec::new();
        let mut export_files = Vec::new();
        for (path, guess) in entries {
            match guess {
                StateKindGuess::Kind(StateKind::Export) => export_files.push((path, false)),
                StateKindGuess::Tfvars => export_files.push((path, true)),
                StateKindGuess::FlowYaml => {}
                StateKindGuess::Kind(kind) => {
                    if let Some(doc) = ctx.load_state_file(&path, kind) {
                        states.push((
                            StateInput {
                                kind,
                                path: display_path(&path, cwd),
                                given,
                                types: Vec::new(),
                                id_types: Vec::new(),
                                incomplete_types: Vec::new(),
                            },
                            doc,
                        ));
                    }
                }
            }
        }
        if !export_files.is_empty() {
            // Ids for the export's `"${type.label.id}"` references come from its own state.
            let ids: HashMap<&str, &str> = states
                .iter()
                .flat_map(|(_, d)| d.resources.iter())
                .filter_map(|r| Some((r.address.as_str(), r.id.as_deref()?)))
                .collect();
            let ids: HashMap<String, String> = ids
                .into_iter()
                .map(|(a, i)| (a.to_owned(), i.to_owned()))
                .collect();
            if let Some(mut doc) = ctx.load_export_config(&export_files, &ids) {
                for r in &mut doc.resources {
                    settle(r, ctx.secret_spans);
                }
                states.push((
                    StateInput {
                        kind: StateKind::Export,
                        path: display_path(&abs, cwd),
                        given,
                        types: Vec::new(),
                        id_types: Vec::new(),
                        incomplete_types: Vec::new(),
                    },
                    doc,
                ));
            }
        }
        out.extend(states);
    }
    sources.redact(secret_spans);
    out
}

/// A state resource as the run keeps it. State inputs can hold secrets (`client_secret` of
/// OAuth clients): their spans are collected first, from the whole attributes, so no report
/// shows them. Then the attributes that no reader reads are let go (`model::keep`): a state
/// lists every attribute the provider stores, and states stay loaded while the configuration
/// is evaluated.
fn settle(r: &mut StateResource, secret_spans: &mut Vec<crate::source::Span>) {
    redact_secrets(&r.attrs, secret_spans, 0);
    let attrs = std::mem::replace(&mut r.attrs, Val::null());
    r.attrs = crate::model::keep::prune_val(&r.rtype, attrs);
}

struct Loader<'a> {
    cwd: &'a Path,
    sources: &'a mut SourceMap,
    diags: &'a mut Vec<Diagnostic>,
    errors: &'a mut Vec<RunError>,
    incomplete: &'a mut bool,
    /// Where the states loaded so far hold secrets (see [`settle`]).
    secret_spans: &'a mut Vec<crate::source::Span>,
    /// A pipe's text, read once already, and its path.
    piped: Option<(PathBuf, crate::check::ReadFile)>,
}

impl Loader<'_> {
    /// Read a file into the source map; `None` (with the error recorded) when unreadable.
    fn read(&mut self, path: &Path) -> Option<(FileId, String, Option<LoadError>)> {
        let id = FileId(self.sources.len() as u32);
        let read = match self.piped.take() {
            Some((piped, mut read)) if piped == path => {
                if let Some(e) = &mut read.utf8_error {
                    e.span.file = id;
                }
                Ok(read)
            }
            other => {
                self.piped = other;
                read_text(path, || display_path(path, self.cwd), id)
            }
        };
        match read {
            Ok(read) => {
                let id = read.register(self.sources, display_path(path, self.cwd));
                Some((id, read.text, read.utf8_error))
            }
            Err(msg) => {
                self.errors.push(RunError(msg));
                *self.incomplete = true;
                None
            }
        }
    }

    /// A file that could not be loaded: its parse error is reported with a snippet of the lines
    /// around it, whose secrets are found by their shape (`"client_secret": "..."`) and masked.
    fn parse_error(&mut self, e: LoadError, text: &str) {
        *self.incomplete = true;
        let masked = crate::rules::hardcoded_secret::secrets_in_unparsed(e.span.file, text);
        self.secret_spans.extend(masked.into_iter().map(|s| s.span));
        self.diags.push(ParseError::finding(e));
    }

    /// A `--state` file that is neither a state, a plan, a snapshot nor export configuration.
    fn unrecognised_state_file(&mut self, path: &Path) {
        let Some((id, text, err)) = self.read(path) else {
            return;
        };
        let e = err.unwrap_or_else(|| {
            LoadError::new(
                "not a Terraform state, a plan from `terraform show -json`, a cxlint snapshot \
                 or a genesyscloud_tf_export output",
                crate::source::Span::file_start(id),
            )
            .labelled("none of the kinds `--state` reads")
        });
        self.parse_error(e, &text);
    }

    fn load_state_file(&mut self, path: &Path, kind: StateKind) -> Option<StateDoc> {
        let (id, text, err) = self.read(path)?;
        if let Some(e) = err {
            self.parse_error(e, &text);
            return None;
        }
        let spans = &mut *self.secret_spans;
        let result = match kind {
            // Each resource is settled as it is read: the whole file's tree is never kept.
            StateKind::TfstateV4 | StateKind::TfstateV3 => {
                crate::load::tfstate::parse_tfstate_each(id, &text, &mut |r| settle(r, spans))
            }
            StateKind::Plan => crate::load::plan::parse_plan(id, &text),
            StateKind::Snapshot => crate::snapshot::parse_snapshot(id, &text),
            StateKind::Export => {
                unreachable!("export configuration is loaded by load_export_config")
            }
        };
        match result {
            Ok(mut doc) => {
                // A v3 state's resources are not streamed; settling twice changes nothing.
                if kind != StateKind::TfstateV4 {
                    for r in &mut doc.resources {
                        settle(r, self.secret_spans);
                    }
                }
                Some(doc)
            }
            Err(e) => {
                self.parse_error(e, &text);
                None
            }
        }
    }

    /// Evaluate an export's configuration as its own module and turn its resources into state.
    fn load_export_config(
        &mut self,
        files: &[(PathBuf, bool)],
        ids: &HashMap<String, String>,
    ) -> Option<StateDoc> {
        let mut ws = Workspace::default();
        for (path, is_tfvars) in files {
            let Some((id, text, err)) = self.read(path) else {
                continue;
            };
            if let Some(e) = err {
                self.parse_error(e, &text);
                continue;
            }
            let kind = FileKind::of(path).unwrap_or(FileKind::Hcl);
            let parsed = match (kind, *is_tfvars) {
                (FileKind::TfJson, _) => crate::load::tfjson::parse_tf_json(id, &text),
                (FileKind::TfvarsJson | FileKind::OtherTfvarsJson, _) => {
                    crate::load::tfjson::parse_tfvars_json(id, &text)
                }
                _ => crate::load::hcl::parse_hcl(id, &text),
            };
            let cfg = match parsed {
                Ok(c) => c,
                Err(e) => {
                    self.parse_error(e, &text);
                    continue;
                }
            };
            let dir = normalize(path.parent().unwrap_or(Path::new(".")));
            let m = ws.module_for_dir(&dir);
            if *is_tfvars {
                let vars = cfg.body.attrs.into_iter().map(|a| InputVar::of(id, a));
                ws.tfvars.entry(m).or_default().extend(vars);
            } else {
                ws.modules[m.0 as usize].add_file(id, cfg);
            }
        }
        ws.link();
        let ev = Evaluator::new(&ws);
        ev.expand_all();
        let mut resources = Vec::new();
        for i in 0..ev.resource_count() {
            let inst = crate::value::InstanceId(i as u32);
            let decl = ev.resource_block(inst);
            if decl.mode != Mode::Managed || !decl.rtype.starts_with("genesyscloud_") {
                continue;
            }
            let scope = ev.resource_scope(inst);
            // Nothing releases bodies here (only the model build does).
            let Some(body) = decl.body() else { continue };
            let attrs = ev.eval_resource_body(decl, &body, &scope, None, None);
            let address = ev.resource_address(inst);
            let attrs = replace_ids(attrs, &|target| {
                let addr = ev.resource_address(target);
                match ids.get(&*addr) {
                    Some(id) => V::String(id.as_str().into()),
                    None => V::String(format!("{ADDRESS_REF}{addr}").into()),
                }
            });
            resources.push(StateResource {
                mode: Mode::Managed,
                rtype: decl.rtype.to_string(),
                id: ids.get(&*address).cloned(),
                address: address.to_string(),
                attrs,
                span: Some(decl.header),
            });
        }
        Some(StateDoc {
            kind: StateKind::Export,
            resources,
            incomplete_types: Vec::new(),
            deleted: Vec::new(),
        })
    }
}

/// Replace symbolic ids (references inside the export) by real ids or address markers.
fn replace_ids(v: Val, f: &dyn Fn(crate::value::InstanceId) -> V) -> Val {
    let span = v.span;
    match v.v {
        V::Id(inst) => Val::new(f(inst), span),
        V::List(items) => Val::list(
            items.iter().map(|i| replace_ids(i.clone(), f)).collect(),
            span,
        ),
        V::Object(fields) => Val::object(
            fields
                .iter()
                .map(|(k, x)| (k.clone(), replace_ids(x.clone(), f)))
                .collect::<BTreeMap<_, _>>(),
            span,
        ),
        other => Val::new(other, span),
    }
}

/// Collect the spans of secret-keyed string values in state attributes.
fn redact_secrets(v: &Val, out: &mut Vec<crate::source::Span>, depth: usize) {
    if depth > 64 {
        return;
    }
    match &v.v {
        V::Object(fields) => {
            for (k, x) in fields.iter() {
                if is_secret_key(k) {
                    if let (Some(s), Some(span)) = (x.as_str(), x.span) {
                        if !s.is_empty() {
                            out.push(span);
                        }
                    }
                }
                redact_secrets(x, out, depth + 1);
            }
        }
        V::List(items) => items.iter().for_each(|i| redact_secrets(i, out, depth + 1)),
        _ => {}
    }
}
