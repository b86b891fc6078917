//! `cxlint check`: discover, load (in parallel), evaluate, build the model, run the rules.
//!
//! This is the only place that sequences the pipeline. It never prints: it returns the findings
//! and the sources they point into, and the caller picks a reporter.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Severity, sort_and_dedup};
use crate::discover::{FileKind, Root, discover};
use crate::eval::Evaluator;
use crate::ir::{ConfigFile, Expr, ExprKind};
use crate::load::LoadError;
use crate::model::flows::{FlowFile, FlowInfo};
use crate::model::{Model, StateInput};
use crate::rules::{ALL_RULES, Context, RuleMeta, parse_error::ParseError};
use crate::settings::Settings;
use crate::source::{FileId, Loc, OnDisk, SourceMap, Span, TextFacts, display_path};
use crate::workspace::{InputVar, Workspace, normalize};

/// Files larger than this are refused (spans are 32-bit; nothing real comes close).
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Everything `check` needs, already validated.
#[derive(Debug, Default, Clone)]
pub struct CheckOptions {
    /// Merged configuration (defaults < `.cxlint.toml` < `CXLINT_*` < command line).
    pub settings: Settings,
    /// Directories or files to check.
    pub paths: Vec<PathBuf>,
    /// `TF_VAR_name` values from the environment.
    pub env_vars: Vec<(String, String)>,
    /// Called once, before anything is read, unless the whole input (configuration files and
    /// state inputs) is under [`SMALL_INPUT_BYTES`]. The binary tunes its allocator there: what
    /// is fastest for 50 MB is wasteful for 1 MB. Inputs of [`SIZED_FILES_MAX`] files or more
    /// are taken as large without looking at their sizes.
    pub on_large_input: Option<fn()>,
    /// Record each phase's resident memory in [`CheckResult::timings`] (a read of `/proc` each,
    /// which waits on the page-fault lock of the other threads: only when profiling).
    pub measure_rss: bool,
    /// `--changed-since`: report only the findings that name one of these files (paths as the
    /// source map shows them, relative to the working directory), and parse failures anywhere.
    /// Everything is still loaded and checked, for the cross-references.
    pub changed: Option<std::collections::HashSet<PathBuf>>,
}

/// See [`CheckOptions::on_large_input`].
pub const SMALL_INPUT_BYTES: u64 = 2 << 20;
/// Above this many files the input is large whatever their sizes (and measuring them would cost
/// a `stat` each before the parallel read does it again).
pub const SIZED_FILES_MAX: usize = 1000;

impl CheckOptions {
    /// Options for checking `paths` from `cwd` with default settings (tests, embedding).
    pub fn new(cwd: impl Into<PathBuf>, paths: Vec<PathBuf>) -> Self {
        let mut settings = Settings::default();
        settings.cwd = cwd.into();
        CheckOptions {
            settings,
            paths,
            env_vars: Vec::new(),
            on_large_input: None,
            measure_rss: false,
            changed: None,
        }
    }
}

/// A problem that stops part of the job without a location (exit code 2).
#[derive(Debug, Clone)]
pub struct RunError(pub String);

/// What `check` found.
#[derive(Debug)]
pub struct CheckResult {
    /// The files read. Texts let go after parsing are read again on demand; a file changed
    /// since it was parsed is then listed by [`SourceMap::failures`] (the check is incomplete).
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    /// Configuration and state files read.
    pub files_checked: usize,
    /// Errors with no location (missing paths, unreadable directories).
    pub errors: Vec<RunError>,
    /// True when some input failed to load (parse errors count): exit code 2.
    pub incomplete: bool,
    pub model: Model,
    /// Findings hidden by the baseline.
    pub baseline_hidden: usize,
    /// Things worth a word that are not findings (stale baseline entries); the caller shows them.
    pub warnings: Vec<String>,
    /// What this run checked: the baseline entries outside it are neither stale nor dropped when
    /// the baseline is rewritten.
    pub scope: crate::baseline::Scope,
    /// Wall-clock time and resident memory after each phase, in order (shown with
    /// `CXLINT_TIMINGS=1`; for profiling).
    pub timings: Vec<Phase>,
    /// What the run spent of its run-wide bounds (`crate::eval_budget::Run`; shown with
    /// `CXLINT_TIMINGS=1`, to tell how far an input is from them). Steps are a slight
    /// undercount: each core adds its own in batches.
    pub budget_used: crate::eval_budget::Limits,
}

/// One phase of the run, for profiling.
#[derive(Debug, Clone)]
pub struct Phase {
    pub name: &'static str,
    pub took: std::time::Duration,
    /// Resident set size when the phase ended, in bytes (Linux only, with
    /// [`CheckOptions::measure_rss`]; 0 otherwise).
    pub rss: u64,
    /// The peak resident set size so far, in bytes (the same conditions as `rss`): where it
    /// rises tells which phase sets the run's peak.
    pub peak: u64,
    /// The process's CPU time (all threads, user and system) when the phase ended (Linux only,
    /// with [`CheckOptions::measure_rss`]; zero otherwise): against the phase's wall time, it
    /// tells how many cores the phase kept busy.
    pub cpu: std::time::Duration,
}

impl Phase {
    /// A phase that ends now, with the resident set size and CPU time then when `measure_rss`.
    pub fn ended(name: &'static str, took: std::time::Duration, measure_rss: bool) -> Phase {
        Phase {
            name,
            took,
            rss: if measure_rss { current_rss() } else { 0 },
            peak: if measure_rss { peak_rss() } else { 0 },
            cpu: if measure_rss {
                cpu_time()
            } else {
                std::time::Duration::ZERO
            },
        }
    }
}

/// The peak resident set size of this process so far, in bytes (`VmHWM`; 0 where it cannot be
/// read).
pub fn peak_rss() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let kib = s.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
            kib.trim().trim_end_matches("kB").trim().parse::<u64>().ok()
        })
        .map_or(0, |kib| kib * 1024)
}

/// The CPU time this process has used so far, every thread's, user and system (zero where it
/// cannot be read).
pub fn cpu_time() -> std::time::Duration {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `getrusage` writes the zeroed struct it is given, nothing else.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } == 0 {
            let us = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
            return std::time::Duration::from_micros(us(usage.ru_utime) + us(usage.ru_stime));
        }
    }
    std::time::Duration::ZERO
}

/// Terraform stops on a `-var` for a variable no root module declares ("Value for undeclared
/// variable"). A misspelt name leaves the variable meant without a value, and what needs it goes
/// unchecked without a word: say so. Not when a root module has a file that failed to load,
/// which may declare it.
fn undeclared_var_warnings<'a>(
    ws: &Workspace,
    names: impl Iterator<Item = &'a String>,
    warnings: &mut Vec<String>,
) {
    let roots: Vec<&crate::workspace::ModuleDef> = ws.roots().map(|m| ws.module(m)).collect();
    if roots.is_empty() || roots.iter().any(|m| m.unparsed) {
        return;
    }
    for name in names {
        if roots.iter().any(|m| m.variables.contains_key(name)) {
            continue;
        }
        let declared = roots
            .iter()
            .flat_map(|m| m.variables.keys().map(String::as_str));
        let hint = crate::suggest::did_you_mean(name, declared)
            .map(|meant| format!(" (did you mean `{meant}`?)"))
            .unwrap_or_default();
        warnings.push(format!(
            "a value is given for variable `{name}` (`--var` or the configuration's `vars`), but no root module declares it{hint}; Terraform stops on this"
        ));
    }
}

/// A `[[data-action-clients]]` entry whose `integration` names no integration of the run is
/// never used: a typo there leaves the data actions it meant unchecked without a word.
fn undeclared_integration_warnings(
    model: &Model,
    rules: &crate::settings::RuleSettings,
    warnings: &mut Vec<String>,
) {
    if rules.data_action_clients.is_empty() {
        return;
    }
    let integrations: Vec<&crate::model::Object> = (model
        .of_type(crate::model::types::INTEGRATION))
    .map(|(_, o)| o)
    .collect();
    for c in &rules.data_action_clients {
        let key = c.integration.as_str();
        if integrations.iter().any(|o| o.keys().any(|k| k == key)) {
            continue;
        }
        let known = integrations.iter().map(|o| &*o.address);
        let hint = crate::suggest::did_you_mean(key, known)
            .map(|meant| format!(" (did you mean `{meant}`?)"))
            .unwrap_or_default();
        warnings.push(format!(
            "`[[data-action-clients]]` names integration `{key}`, which is not in the configuration or state checked{hint}: the entry is not used"
        ));
    }
}

/// Records the wall-clock time of consecutive phases.
struct Phases {
    last: std::time::Instant,
    done: Vec<Phase>,
    measure_rss: bool,
}

/// The current resident set size, from /proc (0 where that does not exist).
pub fn current_rss() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}

impl Phases {
    fn new(measure_rss: bool) -> Self {
        Phases {
            last: std::time::Instant::now(),
            done: Vec::new(),
            measure_rss,
        }
    }
    fn end(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        (self.done).push(Phase::ended(name, now - self.last, self.measure_rss));
        self.last = now;
    }
}

/// One file after its parallel task: everything that only depends on the file itself is done
/// there, so the sequential assembly that follows is a few pushes per file.
struct Loaded {
    shown: PathBuf,
    /// The normalized directory: the module the file belongs to.
    dir: PathBuf,
    kind: FileKind,
    kept: Kept,
    result: Result<ConfigFile, LoadError>,
    script: Vec<crate::load::scripts::ScriptCall>,
    /// Spans of every block, when the file has `cxlint-ignore` comments (a comment above a block
    /// covers it); empty otherwise.
    block_spans: Vec<(FileId, Span)>,
    /// Secrets in commented-out assignments, or anywhere in a file that could not be parsed:
    /// found here, where the text still is.
    comment_secrets: Vec<crate::rules::hardcoded_secret::Secret>,
}

/// A file as read.
pub struct ReadFile {
    /// Owned, not shared: most texts are let go after parsing, and making an `Arc<str>` of a
    /// `String` copies it (see [`Self::keep`]).
    pub text: String,
    /// Invalid UTF-8, located (the text is then decoded lossily, for display).
    pub utf8_error: Option<LoadError>,
    /// How to read the text again once it is let go (regular files only).
    pub disk: Option<OnDisk>,
}

impl ReadFile {
    /// What to keep of the file once parsed: its text only where it is read again anyway
    /// (`cxlint-ignore` comments are collected from the texts after the rules) or cannot be,
    /// else how to locate spans without it (see [`crate::source::TextFacts`]).
    pub fn keep(&self) -> Kept {
        match &self.disk {
            Some(disk) if !crate::suppress::may_have_inline_ignores(&self.text) => {
                Kept::Facts(disk.clone(), TextFacts::of(&self.text))
            }
            _ => Kept::Text(Arc::from(self.text.as_str())),
        }
    }

    /// Register the file in `sources` (see [`Self::keep`]).
    pub fn register(&self, sources: &mut SourceMap, shown: PathBuf) -> FileId {
        self.keep().register(sources, shown)
    }
}

/// What a parsed file keeps (see [`ReadFile::keep`]).
pub enum Kept {
    Text(Arc<str>),
    Facts(OnDisk, TextFacts),
}

impl Kept {
    /// The file's length in bytes.
    fn len(&self) -> u64 {
        match self {
            Kept::Text(text) => text.len() as u64,
            Kept::Facts(disk, _) => disk.len,
        }
    }

    fn register(self, sources: &mut SourceMap, shown: PathBuf) -> FileId {
        match self {
            Kept::Text(text) => sources.add(shown, text),
            // Copied here: made on a parsing thread, the facts stayed among the syntax that is
            // freed later, and kept the allocator from reusing the memory around them.
            Kept::Facts(disk, facts) => sources.add_unloaded(shown, disk, facts.clone()),
        }
    }
}

/// Read a file as UTF-8 text; invalid UTF-8 is a located load error (with lossy text for display).
///
/// The file is opened once and sized from its handle: a path lookup for the size and another for
/// the read cost more than reading most configuration files.
/// `shown` gives the path as messages name it, made only for a failure (working it out for
/// each of the 14,000 files of a large run was a cost of its own).
pub fn read_text(
    path: &Path,
    shown: impl Fn() -> PathBuf,
    file: FileId,
) -> Result<ReadFile, String> {
    read_text_of(path, shown, file, false)
}

/// [`read_text`] of a regular file only: anything else is an error, and a FIFO is not waited
/// on. For files the configuration names (a flow's `filepath`), where a pipe is never meant;
/// a path given on the command line may be one (`--state <(terraform show -json)`).
pub fn read_regular_text(
    path: &Path,
    shown: impl Fn() -> PathBuf,
    file: FileId,
) -> Result<ReadFile, String> {
    read_text_of(path, shown, file, true)
}

fn read_text_of(
    path: &Path,
    shown: impl Fn() -> PathBuf,
    file: FileId,
    regular_only: bool,
) -> Result<ReadFile, String> {
    use std::io::Read;
    let failed = |e: std::io::Error| format!("`{}`: {e}", shown().display());
    let not_regular = |is_dir: bool| {
        let what = match is_dir {
            true => "is a directory",
            false => "is not a regular file",
        };
        format!("`{}`: {what}", shown().display())
    };
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    // Opening a FIFO for reading waits for a writer: not here. The descriptor's own type then
    // says whether it is a regular file: one `fstat`, where a `stat` before the open was a
    // second lookup of the path (and could be raced).
    #[cfg(target_os = "linux")]
    if regular_only {
        std::os::unix::fs::OpenOptionsExt::custom_flags(&mut open, libc::O_NONBLOCK);
    }
    #[cfg(not(target_os = "linux"))]
    if regular_only && !path.is_file() {
        return Err(not_regular(path.is_dir()));
    }
    let mut f = open.open(path).map_err(failed)?;
    let meta = f.metadata().map_err(failed)?;
    if regular_only && !meta.is_file() {
        return Err(not_regular(meta.is_dir()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "`{}`: file is larger than {} MiB",
            shown().display(),
            MAX_FILE_BYTES >> 20
        ));
    }
    // One byte more than the size, so that the read ends without the buffer growing. Read no
    // further than the bound either way: a device's size is 0 (`--state /dev/zero` read until
    // memory ran out).
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    match meta.is_file() {
        true => (&mut f).take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes),
        false => read_to_end_within(&mut f, &mut bytes, MAX_FILE_BYTES),
    }
    .map_err(failed)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "`{}`: file is larger than {} MiB",
            shown().display(),
            MAX_FILE_BYTES >> 20
        ));
    }
    // What was read is what is checked when the text is read again.
    let disk = OnDisk::of(path, &meta).filter(|d| d.len == bytes.len() as u64);
    match String::from_utf8(bytes) {
        Ok(text) => Ok(ReadFile {
            text,
            utf8_error: None,
            disk,
        }),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let err = LoadError::new(
                format!("invalid UTF-8 at byte {at}"),
                Span::new(file, at..at),
            );
            Ok(ReadFile {
                text,
                utf8_error: Some(err),
                disk,
            })
        }
    }
}

/// A whole file as UTF-8 text, read no further than `limit` bytes: a larger file, or one that
/// never ends (`/dev/zero`, whose size says 0), is an error, not a run out of memory. For the
/// files the command line names that are not checked: the config file, a baseline.
pub fn read_to_string_within(path: &Path, limit: u64) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    read_to_end_within(&mut std::fs::File::open(path)?, &mut bytes, limit)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("file is larger than {} MiB", limit >> 20),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// Reads `r` to its end into `bytes`, no further than `limit` bytes and one (more means too
/// large). The buffer grows by steps that stop at the bound, the last one taking all that is
/// left, where `read_to_end` doubles it: a read of an endless device to a 512 MiB bound held
/// 1.2 GB, now at most the bound and the half of it copied from (768 MiB).
fn read_to_end_within(
    r: &mut impl std::io::Read,
    bytes: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<usize> {
    use std::io::Read;
    let cap = usize::try_from(limit)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let start = bytes.len();
    while bytes.len() < cap {
        let left = cap - bytes.len();
        let step = match bytes.capacity().max(64 << 10) {
            // Not a last step of one byte: growing the full buffer again is a copy of it all.
            step if left <= 2 * step => left,
            step => step,
        };
        bytes.reserve_exact(step);
        // Reads at most `step`: the buffer then ends where it was reserved to.
        if r.take(step as u64).read_to_end(bytes)? < step {
            break;
        }
    }
    Ok(bytes.len() - start)
}

fn parse_config(kind: FileKind, file: FileId, text: &str) -> Result<ConfigFile, LoadError> {
    match kind {
        FileKind::Hcl | FileKind::Tfvars | FileKind::OtherTfvars => {
            crate::load::hcl::parse_hcl(file, text)
        }
        FileKind::TfJson => crate::load::tfjson::parse_tf_json(file, text),
        FileKind::TfvarsJson | FileKind::OtherTfvarsJson => {
            crate::load::tfjson::parse_tfvars_json(file, text)
        }
        // Scripts are scanned, not parsed as Terraform (see `load::scripts`).
        FileKind::Script => Ok(ConfigFile::default()),
    }
}

/// Scripts larger than this are not scanned (generated bundles, not automation someone wrote).
const MAX_SCRIPT_BYTES: usize = 1 << 20;

/// Run the whole check.
pub fn check(opts: &CheckOptions) -> CheckResult {
    let mut phases = Phases::new(opts.measure_rss);
    let settings = &opts.settings;
    let cwd = &settings.cwd;
    let mut errors = Vec::new();
    let mut diags = Vec::new();
    let mut incomplete = false;

    let abs = |p: &PathBuf| {
        if p.is_absolute() {
            p.clone()
        } else {
            normalize(&cwd.join(p))
        }
    };
    let roots: Vec<Root> = (opts.paths.iter()).map(|p| Root::new(p, cwd)).collect();
    let paths: Vec<PathBuf> = roots.iter().map(|r| r.path.clone()).collect();
    // An export directory given as state inside a checked directory is the org, read once by
    // the state loader: walked as configuration too, it was a second root module whose
    // objects looked like another configuration's (every lookup by name failed). Named as a
    // path itself (or a path inside it), it is checked as asked.
    let state_dirs: Vec<PathBuf> = (settings.state.iter())
        .map(abs)
        .filter(|s| s.is_dir())
        .filter(|s| {
            let inside = |r: &Root| s.starts_with(&r.path) && s != &r.path;
            roots.iter().any(inside) && !roots.iter().any(|r| r.path.starts_with(s))
        })
        .collect();
    let excluded =
        |p: &Path| settings.is_excluded(p) || state_dirs.iter().any(|d| p.starts_with(d));
    let mut found = discover(&roots, &excluded, cwd);
    phases.end("discover");
    for e in found.errors.drain(..) {
        errors.push(RunError(e.to_string()));
    }
    let mut warnings: Vec<String> = (found.skipped.iter())
        .map(|(given, why)| {
            format!(
                "`{}` is not a Terraform file: skipped ({why})",
                given.display()
            )
        })
        .collect();
    let mut files = found.files;
    // A file named on the command line is one file of its directory's module (pre-commit and
    // the like pass the changed files): the others there are read for what they declare, and
    // only the findings of what was named are reported (see `in_focus` below).
    let named_dirs: Vec<PathBuf> = (paths.iter())
        .filter(|p| p.is_file())
        .filter(|p| {
            matches!(
                FileKind::of(p),
                None | Some(FileKind::Hcl | FileKind::TfJson)
            )
        })
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    let focus: Option<std::collections::HashSet<PathBuf>> = match named_dirs.is_empty() {
        true => None,
        false => {
            let named: std::collections::HashSet<PathBuf> =
                files.iter().map(|(p, _)| p.clone()).collect();
            let siblings = dir_files(&named_dirs, true);
            (files).extend(
                (siblings.into_iter())
                    .filter(|(p, _)| !named.contains(p) && !settings.is_excluded(p)),
            );
            crate::discover::sort_files(&mut files);
            files.dedup();
            // As the source map shows them.
            Some((named.iter()).map(|p| display_path(p, cwd)).collect())
        }
    };
    // Modules installed by `terraform init` (registry, Git), read where the manifest is there.
    let installed = {
        let mut dirs: Vec<&Path> = (files.iter())
            .filter(|(_, k)| matches!(k, FileKind::Hcl | FileKind::TfJson))
            .filter_map(|(p, _)| p.parent())
            .collect();
        // Files are sorted by path, their directories not quite (`a/main.tf`, `a/sub/x.tf`,
        // `a/z.tf`).
        dirs.sort_by_cached_key(|d| crate::discover::path_order_key(d));
        dirs.dedup();
        crate::installed::find(dirs)
    };
    if !installed.is_empty() {
        files.extend(crate::installed::files(&installed));
        crate::discover::sort_files(&mut files);
    }
    let any_installed = !installed.is_empty();
    // `--var-file`s are loaded like tfvars, after the automatic ones; a `*.tfvars` found by the
    // walk and also given with `--var-file` is read once, as the latter (an automatic one then
    // gives the same values a second time, at a higher precedence).
    let var_files: Vec<PathBuf> = settings.var_files.iter().map(abs).collect();
    files.retain(|(p, k)| !k.is_tfvars() || !var_files.contains(p));
    for vf in var_files {
        files.push((
            vf.clone(),
            if vf.to_string_lossy().ends_with(".json") {
                FileKind::TfvarsJson
            } else {
                FileKind::Tfvars
            },
        ));
    }

    let states: Vec<PathBuf> = settings.state.iter().map(abs).collect();
    let inputs = files.iter().map(|(p, _)| p).chain(&states);
    match is_small_input(inputs, files.len() + states.len()) {
        // The API catalog (about 1 ms to load; the rules always consult it, for scope and
        // permission names at least) loads on a worker thread beside the parse.
        true => rayon::spawn(crate::catalog::Catalog::warm),
        // Not before the model needs it: loaded, its tables and what is decoded of them are
        // 3 MiB resident, which would sit through the parse and the expansion, the run's
        // first peak.
        false => {
            if let Some(hook) = opts.on_large_input {
                hook();
            }
        }
    }

    // Read and parse every file in parallel; each tree is converted to the compact IR and dropped
    // inside its task, so peak memory stays a small multiple of the input. The state files are
    // read meanwhile, on one core: a state is one large JSON document, parsed in one piece, and
    // does not depend on the configuration. Their files take the ids after the configuration's.
    let (loaded, states) = rayon::join(
        || parse_all(&files, 0, settings),
        || load_states(opts, files.len()),
    );
    phases.end("read+parse");
    let config_bytes: u64 = (loaded.iter().flatten()).map(|l| l.kept.len()).sum();
    crate::syntax_heap::parsed(config_bytes);
    crate::syntax_heap::part_done();

    let mut sources = SourceMap::new();
    let mut ws = Workspace {
        installed,
        ..Workspace::default()
    };
    let mut var_file_attrs = Vec::new();
    let mut pending_tfvars: Vec<(PathBuf, FileId, crate::ir::Body)> = Vec::new();
    let mut block_spans = Vec::new();
    let mut script_calls = Vec::new();
    let mut by_module: Vec<Vec<crate::workspace::ModuleFile>> = Vec::new();
    let n_var_files = settings.var_files.len();
    let n_total = loaded.len();
    let mut comment_secrets = Vec::new();
    // The directories that local `module` calls name (`../../modules/x`).
    let mut module_dirs: Vec<PathBuf> = Vec::new();
    // Files that could not be read (as the source map has them): not checked.
    let mut unread: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for (i, item) in loaded.into_iter().enumerate() {
        let l = match item {
            Ok(l) => l,
            Err(msg) => {
                // Keep FileIds aligned with the `files` order even for unreadable files.
                sources.add(files[i].0.clone(), Arc::from(""));
                unread.insert(files[i].0.clone());
                errors.push(RunError(msg));
                incomplete = true;
                continue;
            }
        };
        let id = l.kept.register(&mut sources, l.shown);
        comment_secrets.extend(l.comment_secrets);
        debug_assert_eq!(id, FileId(i as u32));
        if l.kind == FileKind::Script {
            // A script with an invalid encoding is not worth failing the run for: skip it.
            script_calls.extend(l.script);
            continue;
        }
        let is_var_file = i >= n_total - n_var_files;
        let cfg = match l.result {
            Ok(cfg) => cfg,
            Err(e) => {
                incomplete = true;
                diags.push(ParseError::finding(e));
                if !is_var_file && !l.kind.is_tfvars() {
                    let m = ws.module_for_dir(&l.dir);
                    ws.modules[m.0 as usize].unparsed = true;
                }
                continue;
            }
        };
        block_spans.extend(l.block_spans);
        if is_var_file {
            var_file_attrs.extend(cfg.body.attrs.into_iter().map(|a| (id, a)));
        } else if l.kind.is_unapplied_tfvars() {
            let vars = cfg.body.attrs.into_iter().map(|a| InputVar::of(id, a));
            ws.unapplied_tfvars.extend(vars);
        } else if l.kind.is_tfvars() {
            pending_tfvars.push((l.dir, id, cfg.body));
        } else {
            module_dirs.extend(local_module_dirs(&cfg.body, &l.dir));
            let is_override = crate::workspace::is_override_file(&files[i].0);
            add_to_module(&mut ws, &mut by_module, &l.dir, (id, cfg, is_override));
        }
    }
    // The state files' sources, documents and findings follow the configuration's.
    let StatesLoaded {
        sources: state_sources,
        states,
        diags: state_diags,
        errors: state_errors,
        incomplete: states_incomplete,
    } = states;
    // Their findings are never out of focus (see `files_checked` below).
    let state_paths: std::collections::HashSet<PathBuf> =
        state_sources.iter().map(|(_, f)| f.path.clone()).collect();
    sources.append(state_sources);
    diags.extend(state_diags);
    errors.extend(state_errors);
    incomplete |= states_incomplete;
    // Local modules outside the directories checked (`cxlint check envs/dev` calling
    // `../../modules/x`) are read as Terraform reads them: the `.tf` and `.tf.json` files of the
    // directory itself. Their files take the ids after the state files', and a module they call
    // is read in the next round.
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for _ in 0..MAX_MODULE_ROUNDS {
        let dirs: Vec<PathBuf> = std::mem::take(&mut module_dirs)
            .into_iter()
            .filter(|d| !ws.by_dir.contains_key(d) && !settings.is_excluded(d))
            .filter(|d| seen.insert(d.clone()))
            .collect();
        let mut files = module_files(&dirs);
        // As the walk does: a pattern may name the files (`modules/x/**`), not the directory.
        files.retain(|(p, _)| !settings.is_excluded(p));
        if files.is_empty() {
            break;
        }
        let loaded = parse_all(&files, sources.len() as u32, settings);
        for ((path, _), item) in files.iter().zip(loaded) {
            let l = match item {
                Ok(l) => l,
                Err(msg) => {
                    sources.add(path.clone(), Arc::from(""));
                    unread.insert(path.clone());
                    errors.push(RunError(msg));
                    incomplete = true;
                    continue;
                }
            };
            let id = l.kept.register(&mut sources, l.shown);
            comment_secrets.extend(l.comment_secrets);
            match l.result {
                Ok(cfg) => {
                    block_spans.extend(l.block_spans);
                    module_dirs.extend(local_module_dirs(&cfg.body, &l.dir));
                    let is_override = crate::workspace::is_override_file(path);
                    add_to_module(&mut ws, &mut by_module, &l.dir, (id, cfg, is_override));
                }
                Err(e) => {
                    incomplete = true;
                    diags.push(ParseError::finding(e));
                    let m = ws.module_for_dir(&l.dir);
                    ws.modules[m.0 as usize].unparsed = true;
                }
            }
        }
    }
    // Modules are independent: sort each one's declarations on its own thread (files in order),
    // and find which the model keeps whole (`model::keep`; a pass over the whole syntax).
    let whole: Vec<Vec<bool>> = (ws.modules.par_iter_mut().zip(by_module))
        .map(|(module, files)| {
            module.add_files(files);
            crate::model::keep::whole_bodies_of(module)
        })
        .collect();
    // Automatic tfvars in the order Terraform loads them, later winning: `terraform.tfvars`,
    // `terraform.tfvars.json`, then every `*.auto.tfvars[.json]` in lexical order of the name.
    let load_order = |file: FileId| {
        let name = sources.get(file).path.file_name().unwrap_or_default();
        let rank = match name.to_str() {
            Some("terraform.tfvars") => 0,
            Some("terraform.tfvars.json") => 1,
            _ => 2,
        };
        (rank, name.to_owned())
    };
    pending_tfvars.sort_by_cached_key(|(dir, file, _)| (dir.clone(), load_order(*file)));
    // One in a directory without configuration (`envs/dev/terraform.tfvars`) is a variable file
    // for `-var-file`, like `lab.tfvars`: scanned, not applied.
    for (dir, file, body) in pending_tfvars {
        let vars = body.attrs.into_iter().map(|a| InputVar::of(file, a));
        match ws.by_dir.get(&dir) {
            Some(&m) => ws.tfvars.entry(m).or_default().extend(vars),
            None => ws.unapplied_tfvars.extend(vars),
        }
    }
    // Precedence (lowest first): TF_VAR_*, tfvars files, then -var-file / -var in order.
    for (name, value) in &opts.env_vars {
        ws.cli_vars.push(literal_var(name, value));
    }
    let env_count = ws.cli_vars.len();
    // `--var`s go among the `--var-file`s where the command line gave them (later wins); the
    // others after every file.
    let first_var_file = n_total - n_var_files;
    let mut vars: Vec<(&String, &String, usize)> = (settings.vars.iter())
        .map(|(n, v)| {
            (
                n,
                v,
                settings.var_positions.get(n).copied().unwrap_or(usize::MAX),
            )
        })
        .collect();
    vars.sort_by_key(|&(_, _, at)| at);
    let mut vars = vars.into_iter().peekable();
    for (file, a) in var_file_attrs {
        let k = (file.0 as usize).saturating_sub(first_var_file);
        while let Some((name, value, _)) = vars.next_if(|&(_, _, at)| at <= k) {
            ws.cli_vars.push(literal_var(name, value));
        }
        ws.cli_vars.push(InputVar::of(file, a));
    }
    for (name, value, _) in vars {
        ws.cli_vars.push(literal_var(name, value));
    }
    ws.env_var_count = env_count;
    for p in &paths {
        let dir = match p.is_dir() {
            true => p.clone(),
            false => normalize(p.parent().unwrap_or(Path::new("."))),
        };
        if let Some(&m) = ws.by_dir.get(&dir) {
            ws.modules[m.0 as usize].given = true;
        }
    }
    ws.link();
    undeclared_var_warnings(&ws, settings.vars.keys(), &mut warnings);
    ws.confine = crate::confine::Confine::new(
        paths.iter().map(PathBuf::as_path),
        ws.modules.iter().map(|m| m.dir.as_path()),
    );
    // Root directories whose working directory is not known (see `ModuleDef::runs_terraform`):
    // a flow `filepath` that is not there may be relative to another.
    let uncertain_roots: Vec<PathBuf> = (ws.roots())
        .map(|m| ws.module(m))
        .filter(|m| !m.runs_terraform())
        .map(|m| m.dir.clone())
        .collect();
    phases.end("workspace");

    let ev = Evaluator::new(&ws);
    let enabled: Vec<(&'static RuleMeta, &dyn crate::rules::Rule, Severity)> = ALL_RULES
        .iter()
        .filter_map(|r| settings.rule_severity(r.meta()).map(|s| (r.meta(), *r, s)))
        .collect();
    // No report may show a secret: every literal secret is masked before anything is rendered.
    // Finding them needs only the workspace, as do the rules' workspace-only passes: both run
    // beside module expansion, which is sequential and leaves a core idle. They must be done
    // before the model build, which releases each resource's syntax once it is evaluated.
    let ((), (mut secrets, early)) = rayon::join(
        || ev.expand_all(),
        || {
            rayon::join(
                || crate::rules::hardcoded_secret::find_secrets(&ws),
                || run_rules(&enabled, |rule, out| rule.check_workspace(&ws, out)),
            )
        },
    );
    if !comment_secrets.is_empty() {
        secrets.extend(comment_secrets);
        secrets.sort_by_key(|s| s.span);
    }
    phases.end("expand+secrets");
    // The code of the secret scan and of the workspace rules is not run again, nor most of the
    // expansion's (see `Hooks::part_done`); after the evaluation and the model build likewise.
    crate::syntax_heap::part_done();
    let evaluated = crate::model::evaluate(&ev, &whole);
    let mut budget_used = ev.run_used();
    phases.end("evaluate");
    crate::syntax_heap::part_done();
    drop(whole);
    // Nothing reads the evaluator or the workspace (declarations, the syntax left) from here on:
    // freed before the model's indexes and usages are made, these reuse their memory.
    drop(ev);
    // Module by module on every core (freeing the syntax left was 10 ms on one thread at 50 MB).
    let mut ws = ws;
    let confine = std::mem::take(&mut ws.confine);
    std::mem::take(&mut ws.modules)
        .into_par_iter()
        .for_each(drop);
    drop(ws);
    crate::syntax_heap::collect_everywhere();
    phases.end("release");
    let mut model = crate::model::finish(evaluated, states, cwd);
    undeclared_integration_warnings(&model, &settings.rules, &mut warnings);
    phases.end("model");
    crate::syntax_heap::part_done();
    // The facts most rules read do not depend on flows: computed while the flows load.
    let warm = &model;
    let mut flow_secrets = Vec::new();
    let (flows, ()) = rayon::join(
        || {
            let flows = FlowInputs {
                model: &model,
                opts,
                uncertain_roots: &uncertain_roots,
                confine: &confine,
            };
            load_flows(
                flows,
                &mut sources,
                &mut diags,
                &mut incomplete,
                &mut budget_used,
                &mut flow_secrets,
            )
        },
        || warm.warm_caches(),
    );
    model.add_flows(flows);
    model.script_calls = script_calls;
    if !flow_secrets.is_empty() {
        secrets.extend(flow_secrets);
        secrets.sort_by_key(|s| s.span);
    }
    phases.end("flows");
    let cx = Context {
        model: &model,
        settings: &settings.rules,
        sources: &sources,
        secrets: &secrets,
    };
    // The rules run code the model build did not.
    crate::syntax_heap::part_done();
    let mut found = run_rules(&enabled, |rule, out| rule.check(&cx, out));
    found.extend(early);
    phases.end("rules");
    // Load-time findings obey selection and severity too, but for a parse failure, which
    // "never passes silently" (INTERFACE.md): not selected or "off", it keeps its default.
    let mut parse_errors = Vec::new();
    for d in diags {
        let is_parse_error = d.rule.name == ParseError::META.name;
        match settings.rule_severity(d.rule) {
            Some(sev) if is_parse_error => parse_errors.push(d.severity(sev)),
            None if is_parse_error => parse_errors.push(d),
            Some(sev) => found.push(d.severity(sev)),
            None => {}
        }
    }
    if any_installed {
        // Installed modules are not the user's to edit: a finding only about them is dropped;
        // one that reaches into the user's files (a data action of theirs running as a client
        // the module made) is kept.
        let installed_only = |l: &crate::diagnostic::Location| match l {
            crate::diagnostic::Location::Source(s) => (sources.try_get(s.file))
                .is_some_and(|f| crate::installed::is_installed_path(&f.path)),
            crate::diagnostic::Location::Org(_) => false,
        };
        found.retain(|d| {
            !installed_only(&d.location) || !d.related.iter().all(|r| installed_only(&r.location))
        });
    }
    let found = crate::suppress::apply_per_file_ignores(found, &sources, settings);
    let mut found = apply_inline_suppressions(found, &sources, &block_spans, settings);
    sort_and_dedup(&mut found);
    // Before the baseline: its fingerprints were made from the texts a report shows, with
    // secrets masked (a `hardcoded-secret` finding never matched its own entry).
    sources.redact(secrets.iter().map(|s| s.span));
    // Only what concerns the files named (or walked) on the command line, when some were read
    // only for what they declare.
    if let Some(focus) = &focus {
        let in_focus = |file| (sources.try_get(file)).is_some_and(|f| focus.contains(&f.path));
        found.retain(|d| d.spans().any(|s| in_focus(s.file)));
    }
    // `--changed-since`: a finding whose other end is in a changed file is the change's too (a
    // code taken off a queue breaks the rule set that uses it, in a file not touched). One in
    // no file (a `--var` value, the org only) is in no changed file either.
    if let Some(changed) = &opts.changed {
        let in_changed = |file| (sources.try_get(file)).is_some_and(|f| changed.contains(&f.path));
        found.retain(|d| d.spans().any(|s| in_changed(s.file)));
    }
    let scope = scope_of(&ScopeInputs {
        opts,
        sources: &sources,
        focus: focus.as_ref(),
        unread: &unread,
        parse_errors: &parse_errors,
        roots: &paths,
    });
    // After the filters above: a finding they left out is not hidden, and its entry is outside
    // the scope, so not stale either.
    let mut baseline_hidden = 0;
    if let Some(path) = &settings.baseline {
        match crate::baseline::Baseline::load(path, &settings.shown(path)) {
            Ok(b) => {
                // Fingerprints hash the findings' text.
                sources.load_for(&found);
                let place = crate::baseline::Place::new(path, cwd);
                let f = b.filter(found, &sources, &place, &scope);
                baseline_hidden = f.hidden;
                found = f.kept;
                warnings.extend(crate::baseline::stale_message(
                    &f.stale,
                    &settings.shown(path),
                ));
            }
            Err(e) => {
                errors.push(RunError(e.to_string()));
                incomplete = true;
            }
        }
    }
    // No ignore comment, per-file ignore or baseline hides a parse failure either, nor does
    // naming files or `--changed-since` leave one out (the run exits 2 either way).
    sort_and_dedup(&mut parse_errors);
    found.extend(parse_errors);
    // INTERFACE.md: sorted by file (its path, not the order files were loaded in), offset, code.
    // Findings located only in the org (snapshots) come after every file. Only the files with
    // a finding are ranked, which orders them as ranking every file does: a sort key for every
    // file read (a copy of its path each, about 0.4 MB for the 3,500 files of 10 MB) was made
    // at the end of the run's last peak.
    let mut with_findings: Vec<FileId> = (found.iter())
        .filter_map(|d| match &d.location {
            crate::diagnostic::Location::Source(s) => Some(s.file),
            crate::diagnostic::Location::Org(_) => None,
        })
        .collect();
    with_findings.sort_unstable();
    with_findings.dedup();
    let mut by_path: Vec<(FileId, &Path)> = (with_findings.into_iter())
        .filter_map(|id| sources.try_get(id).map(|f| (id, f.path.as_path())))
        .collect();
    by_path.sort_by_cached_key(|(_, p)| crate::discover::path_order_key(p));
    let mut rank = vec![u32::MAX; sources.len()];
    for (r, (id, _)) in by_path.iter().enumerate() {
        rank[id.0 as usize] = r as u32;
    }
    found.sort_by(|a, b| {
        let key = |d: &Diagnostic| match &d.location {
            crate::diagnostic::Location::Source(s) => (
                0,
                rank.get(s.file.0 as usize).copied().unwrap_or(u32::MAX),
                s.start,
                s.end,
            ),
            crate::diagnostic::Location::Org(_) => (1, 0, 0, 0),
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.sort_key().cmp(&b.sort_key()))
    });
    phases.end("suppress+sort+redact");
    // With files named (`cxlint check main.tf`), the files whose findings are reported: the
    // named ones and the states, not the siblings read for what they declare.
    let files_checked = match &focus {
        None => sources.distinct_paths(),
        Some(focus) => (sources.iter())
            .map(|(_, f)| f.path.as_path())
            .filter(|p| focus.contains(*p) || state_paths.contains(*p))
            .collect::<std::collections::HashSet<_>>()
            .len(),
    };
    CheckResult {
        sources,
        diagnostics: found,
        files_checked,
        errors,
        incomplete,
        model,
        baseline_hidden,
        warnings,
        scope,
        timings: phases.done,
        budget_used,
    }
}

/// What [`scope_of`] reads.
struct ScopeInputs<'a> {
    opts: &'a CheckOptions,
    sources: &'a SourceMap,
    /// The files named on the command line, when some were (as the source map shows them).
    focus: Option<&'a std::collections::HashSet<PathBuf>>,
    /// Files that could not be read.
    unread: &'a std::collections::HashSet<PathBuf>,
    parse_errors: &'a [Diagnostic],
    /// The paths given to check, resolved against the working directory.
    roots: &'a [PathBuf],
}

/// What the run checked, for the baseline (see [`crate::baseline::Scope`]): the rules that ran,
/// and the files read, parsed and reported on; findings are left out as the report leaves
/// them out (named files, `--changed-since`).
fn scope_of(i: &ScopeInputs<'_>) -> crate::baseline::Scope {
    let settings = &i.opts.settings;
    let mut rules_not_run: std::collections::HashSet<&'static str> = (ALL_RULES.iter())
        .map(|r| r.meta())
        .filter(|m| settings.rule_severity(m).is_none())
        .map(|m| m.name)
        .collect();
    // Without inline ignores no suppression is looked at, so none is found unused.
    if !settings.inline_ignores {
        rules_not_run.insert(crate::rules::unused_suppression::UnusedSuppression::META.name);
    }
    // A file that failed to parse was not checked, whatever its old findings.
    let unparsed: std::collections::HashSet<&Path> = (i.parse_errors.iter())
        .filter_map(|d| d.span())
        .filter_map(|s| i.sources.try_get(s.file))
        .map(|f| f.path.as_path())
        .collect();
    let files = (i.sources.iter())
        .map(|(_, f)| &f.path)
        .filter(|p| !i.unread.contains(*p) && !unparsed.contains(p.as_path()))
        .filter(|p| i.focus.is_none_or(|focus| focus.contains(*p)))
        .filter(|p| (i.opts.changed.as_ref()).is_none_or(|changed| changed.contains(*p)))
        .cloned()
        .collect();
    // Findings in no file come from state inputs (objects only the org has) and from `--var` /
    // `TF_VAR_` values; a restricted report leaves them out.
    let unfiled = i.focus.is_none()
        && i.opts.changed.is_none()
        && (!settings.state.is_empty() || !settings.vars.is_empty() || !i.opts.env_vars.is_empty());
    let seen = (i.sources.iter())
        .map(|(_, f)| f.path.clone())
        .chain(i.unread.iter().cloned())
        .collect();
    // `--changed-since` reports on the files a change touched, which a file gone from the
    // checked directories may or may not be: its entries are left alone.
    let roots = match i.opts.changed {
        Some(_) => Vec::new(),
        None => i.roots.to_vec(),
    };
    crate::baseline::Scope {
        rules_not_run,
        files: Some(files),
        roots,
        seen,
        unfiled,
    }
}

/// What the state files left: their sources (ids after the configuration's), documents and
/// findings, joined to the rest once the configuration is loaded.
#[derive(Default)]
struct StatesLoaded {
    sources: SourceMap,
    states: Vec<(StateInput, crate::load::StateDoc)>,
    diags: Vec<Diagnostic>,
    errors: Vec<RunError>,
    incomplete: bool,
}

/// How many rounds of local modules outside the directories checked are read (a module calling
/// one outside it, and so on): far beyond real layouts, and a bound on a chain that never ends.
const MAX_MODULE_ROUNDS: usize = 16;

/// Adds a parsed configuration file to the module of its directory.
fn add_to_module(
    ws: &mut Workspace,
    by_module: &mut Vec<Vec<crate::workspace::ModuleFile>>,
    dir: &Path,
    (id, cfg, is_override): (FileId, ConfigFile, bool),
) {
    let m = ws.module_for_dir(dir);
    if by_module.len() <= m.0 as usize {
        by_module.resize_with(m.0 as usize + 1, Vec::new);
    }
    by_module[m.0 as usize].push(crate::workspace::ModuleFile {
        id,
        cfg,
        is_override,
    });
}

/// The directories named by the local `source` (`./x`, `../x`) of the `module` blocks of a file
/// in `dir`.
fn local_module_dirs<'a>(
    body: &'a crate::ir::Body,
    dir: &'a Path,
) -> impl Iterator<Item = PathBuf> + 'a {
    (body.blocks.iter())
        .filter(|b| b.ident.name == "module")
        .filter_map(|b| crate::workspace::local_source(dir, b))
}

/// The `.tf` and `.tf.json` files of each directory (not of its subdirectories: a module is one
/// directory), in path order; a directory that cannot be read has none.
fn module_files(dirs: &[PathBuf]) -> Vec<(PathBuf, FileKind)> {
    dir_files(dirs, false)
}

/// The configuration files directly in `dirs` (see [`module_files`]), with the variable files
/// Terraform reads by itself in a root module when `with_tfvars`.
fn dir_files(dirs: &[PathBuf], with_tfvars: bool) -> Vec<(PathBuf, FileKind)> {
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        out.extend(
            entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
                .map(|e| e.path())
                .filter_map(|p| match FileKind::of(&p) {
                    Some(k @ (FileKind::Hcl | FileKind::TfJson)) if p.is_file() => Some((p, k)),
                    Some(k @ (FileKind::Tfvars | FileKind::TfvarsJson))
                        if with_tfvars && p.is_file() =>
                    {
                        Some((p, k))
                    }
                    _ => None,
                }),
        );
    }
    crate::discover::sort_files(&mut out);
    out
}

/// Reads and parses the configuration's `files` on every core (see [`check`]); they take the
/// file ids from `first` on, in order.
fn parse_all(
    files: &[(PathBuf, FileKind)],
    first: u32,
    settings: &Settings,
) -> Vec<Result<Loaded, String>> {
    let cwd = &settings.cwd;
    files
        .par_iter()
        .enumerate()
        .map(|(i, (path, kind))| {
            let file = FileId(first + i as u32);
            // A `--var-file` as the user wrote it, a file found from the working directory.
            let read = read_text(path, || settings.shown(path), file)?;
            let text = &read.text;
            let mut result = match &read.utf8_error {
                Some(e) => Err(e.clone()),
                None => {
                    let syntax = crate::syntax_heap::scope();
                    let parsed = parse_config(*kind, file, text);
                    drop(syntax);
                    // The error is kept for the report: copied off the syntax pages.
                    parsed.map_err(|e| LoadError {
                        message: e.message.as_str().into(),
                        ..e
                    })
                }
            };
            let script = match *kind == FileKind::Script && text.len() <= MAX_SCRIPT_BYTES {
                true => crate::load::scripts::scan(file, text),
                false => Vec::new(),
            };
            let comment_secrets = match &mut result {
                Ok(cfg) if !cfg.comments.is_empty() => {
                    let comments = std::mem::take(&mut cfg.comments);
                    crate::rules::hardcoded_secret::secrets_in_comments(file, text, &comments)
                }
                // Scripts are not Terraform: their secrets are not this rule's.
                Err(_) if *kind != FileKind::Script => {
                    crate::rules::hardcoded_secret::secrets_in_unparsed(file, text)
                }
                _ => Vec::new(),
            };
            let kept = read.keep();
            let mut block_spans = Vec::new();
            if let (Ok(cfg), Kept::Text(text)) = (&result, &kept)
                && crate::suppress::may_have_inline_ignores(text)
            {
                collect_block_spans(&cfg.body, file, &mut block_spans);
            }
            Ok(Loaded {
                shown: display_path(path, cwd),
                dir: normalize(path.parent().unwrap_or(Path::new("."))),
                kind: *kind,
                kept,
                result,
                script,
                block_spans,
                comment_secrets,
            })
        })
        .collect()
}

/// Whether `count` input files total under [`SMALL_INPUT_BYTES`]; from [`SIZED_FILES_MAX`] files
/// on, large without a `stat` each (an unreadable file counts as empty: the read reports it).
fn is_small_input<'p>(inputs: impl Iterator<Item = &'p PathBuf>, count: usize) -> bool {
    count < SIZED_FILES_MAX
        && inputs
            .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
            .sum::<u64>()
            < SMALL_INPUT_BYTES
}

/// One pass of every enabled rule, on all cores, each finding at its rule's configured level.
/// A rule may deliberately report below its default ("could not verify" at info); the
/// configured level applies to its regular findings only.
fn run_rules(
    enabled: &[(&'static RuleMeta, &dyn crate::rules::Rule, Severity)],
    pass: impl Fn(&dyn crate::rules::Rule, &mut Vec<Diagnostic>) + Sync,
) -> Vec<Diagnostic> {
    enabled
        .par_iter()
        .flat_map_iter(|&(_, rule, configured)| {
            let mut out = Vec::new();
            pass(rule, &mut out);
            out.into_iter()
                .map(move |d| match d.severity == d.rule.default {
                    true => d.severity(configured),
                    false => d,
                })
        })
        .collect()
}

/// Apply `cxlint-ignore` comments: hide what they cover, report the ones that hide nothing.
fn apply_inline_suppressions(
    found: Vec<Diagnostic>,
    sources: &SourceMap,
    block_spans: &[(FileId, Span)],
    settings: &Settings,
) -> Vec<Diagnostic> {
    let mut sups = Vec::new();
    for (id, f) in sources.iter() {
        // JSON cannot hold comments (INTERFACE.md: use per-file-ignores there).
        let name = f.path.to_string_lossy();
        if name.ends_with(".json") || name.ends_with(".tfstate") {
            continue;
        }
        // A text let go has no `cxlint-ignore` comment (see [`ReadFile::register`]).
        if f.is_loaded() && crate::suppress::may_have_inline_ignores(f.text()) {
            sups.extend(crate::suppress::collect(id, f.text()));
        }
    }
    let spans_of = |file: FileId| -> Vec<Span> {
        let lo = block_spans.partition_point(|(f, _)| *f < file);
        let hi = block_spans.partition_point(|(f, _)| *f <= file);
        block_spans[lo..hi].iter().map(|(_, s)| *s).collect()
    };
    let rule_ran = |m: &'static RuleMeta| settings.rule_severity(m).is_some();
    let (mut kept, unused) =
        crate::suppress::apply(found, &sups, &spans_of, settings.inline_ignores, &rule_ran);
    for d in unused {
        if let Some(sev) = settings.rule_severity(d.rule) {
            kept.push(d.severity(sev));
        }
    }
    kept
}

/// `--var x=v` and `TF_VAR_x=v`: Terraform reads the value as HCL when it is a list, map or number
/// literal, and as a plain string otherwise. No file holds it.
fn literal_var(name: &str, value: &str) -> InputVar {
    let var = |expr| InputVar {
        name: name.to_owned(),
        name_at: crate::source::Loc::default(),
        file: FileId::NONE,
        expr,
    };
    let trimmed = value.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        let text = format!("v = {value}");
        if let Ok(cfg) = crate::load::hcl::parse_hcl(FileId::NONE, &text) {
            if let Some(a) = cfg.body.attrs.into_iter().next() {
                return var(a.expr);
            }
        }
    }
    let kind = match value.trim().parse::<f64>() {
        Ok(n) => ExprKind::Number(n),
        Err(_) => ExprKind::String(value.into()),
    };
    var(Expr {
        kind,
        span: Loc::default(),
    })
}

fn collect_block_spans(body: &crate::ir::Body, file: FileId, out: &mut Vec<(FileId, Span)>) {
    for b in &body.blocks {
        out.push((file, b.span));
        collect_block_spans(&b.body, file, out);
    }
}

/// Load every `--state` input (see `crate::state_input`), its files taking ids from `first_id`.
fn load_states(opts: &CheckOptions, first_id: usize) -> StatesLoaded {
    let mut t = StatesLoaded {
        sources: SourceMap::after(first_id),
        ..StatesLoaded::default()
    };
    t.states = crate::state_input::load_all(
        &opts.settings,
        &mut t.sources,
        &mut t.diags,
        &mut t.errors,
        &mut t.incomplete,
    );
    t
}

/// Discover, read and parse only: the benchmark's baseline for "parse alone" (files, bytes, failed).
/// With `hcl_edit`, HCL files are parsed by hcl-edit alone (its tree is built and dropped).
pub fn parse_only(paths: &[PathBuf], cwd: &Path, hcl_edit: bool) -> (usize, usize, usize) {
    let roots: Vec<Root> = paths.iter().map(|p| Root::new(p, cwd)).collect();
    let found = discover(&roots, &|_: &Path| false, cwd);
    let results: Vec<(usize, bool)> = found
        .files
        .par_iter()
        .enumerate()
        .map(
            |(i, (path, kind))| match read_text(path, || path.clone(), FileId(i as u32)) {
                Ok(ReadFile {
                    text,
                    utf8_error: None,
                    ..
                }) if hcl_edit && *kind == FileKind::Hcl => {
                    (text.len(), hcl_edit::parser::parse_body(&text).is_ok())
                }
                Ok(ReadFile {
                    text,
                    utf8_error: None,
                    ..
                }) => (
                    text.len(),
                    parse_config(*kind, FileId(i as u32), &text).is_ok(),
                ),
                Ok(r) => (r.text.len(), false),
                Err(_) => (0, false),
            },
        )
        .collect();
    let bytes = results.iter().map(|r| r.0).sum();
    let failed = results.iter().filter(|r| !r.1).count();
    (results.len(), bytes, failed)
}

/// A file named like `missing` near where it points, for a flow file that does not exist: the
/// path with one directory between `base` and the file left out (`flows/flows/x.yaml`, a module
/// directory named twice), or the file in `base` itself.
fn similar_file(base: &Path, missing: &Path) -> Option<PathBuf> {
    let name = missing.file_name()?;
    let dirs: Vec<&std::ffi::OsStr> = missing.parent()?.strip_prefix(base).ok()?.iter().collect();
    let without = |skip: usize| {
        let mut p = base.to_path_buf();
        p.extend(
            dirs.iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, d)| d),
        );
        p.join(name)
    };
    (0..dirs.len())
        .map(without)
        .chain(std::iter::once(base.join(name)))
        .find(|p| p != missing && p.is_file())
}

/// The scheme of a URL such as `s3://bucket/key` (RFC 3986: a letter, then letters, digits, `+`,
/// `-` or `.`, then `://`). `C:\\flows` and `./flows` have none.
fn url_scheme(s: &str) -> Option<&str> {
    let (scheme, _) = s.split_once("://")?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    let ok = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some(scheme)
}

/// Read and parse the Archy YAML of every `genesyscloud_flow` (configuration, or an export's
/// state), applying its `substitutions` as the provider does. Files are read and parsed in
/// parallel; sources and findings are added in flow order.
/// What loading the flows reads.
struct FlowInputs<'a> {
    model: &'a Model,
    opts: &'a CheckOptions,
    /// See `uncertain_roots` in [`check`].
    uncertain_roots: &'a [PathBuf],
    /// Where flow files may be read from.
    confine: &'a crate::confine::Confine,
}

fn load_flows(
    inputs: FlowInputs<'_>,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
    incomplete: &mut bool,
    budget_used: &mut crate::eval_budget::Limits,
    secrets: &mut Vec<crate::rules::hardcoded_secret::Secret>,
) -> Vec<FlowInfo> {
    let FlowInputs {
        model,
        opts,
        uncertain_roots,
        confine,
    } = inputs;
    use crate::load::archy::SubValue;
    use crate::value::V;

    /// What one flow's `filepath` leads to, before reading (a path that turns out not to be a
    /// readable file is reported as not found).
    enum Target {
        /// Not read: what the flow's file is then (not known, or remote).
        NotRead(FlowFile),
        File(PathBuf),
    }
    struct Job {
        obj: crate::model::ObjId,
        filepath_span: Option<Span>,
        subs: Vec<(String, SubValue)>,
        /// `substitutions` is set, but not known before apply (a variable without a value):
        /// where. Its keys are then any, so each `{{name}}` of the file may be replaced.
        subs_unknown: Option<Span>,
        target: Target,
        /// Where relative paths start.
        base: PathBuf,
    }

    // Made on every core (a path joined and normalized, the substitutions copied: 7-16 ms for
    // the 2,922 flows of 50 MB on one).
    let flows: Vec<(crate::model::ObjId, &crate::model::Object)> =
        model.of_type(crate::model::types::FLOW).collect();
    let job = |&(obj, flow): &(crate::model::ObjId, &crate::model::Object)| -> Option<Job> {
        // Relative paths resolve against the directory Terraform runs in: the root module for
        // configuration, the export directory for an export's state.
        let base = match (&flow.config, flow.state.first()) {
            (Some(c), _) => c.root_dir.to_path_buf(),
            (None, Some(s))
                if model.state_inputs[s.input].kind == crate::load::StateKind::Export =>
            {
                opts.settings.cwd.join(&model.state_inputs[s.input].path)
            }
            _ => return None,
        };
        let (fp, _) = flow.attr("filepath")?;
        let subs_unknown = (flow.attr("substitutions"))
            .filter(|(v, _)| v.is_unknown())
            .map(|(v, _)| v.span.unwrap_or_default());
        let subs: Vec<(String, SubValue)> = flow
            .attr("substitutions")
            .and_then(|(v, _)| v.as_object())
            .map(|o| {
                o.iter()
                    .map(|(k, v)| {
                        let span = v.span.unwrap_or_default();
                        let value = match &v.v {
                            V::String(s) => Some(s.to_string()),
                            V::Number(n) => Some(crate::value::number_to_string(*n)),
                            V::Bool(b) => Some(b.to_string()),
                            _ => None,
                        };
                        (k.to_string(), SubValue { value, span })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let target = match fp.as_str() {
            None => Target::NotRead(FlowFile::Unknown(crate::eval::unknown_reason(
                fp,
                "`filepath` is not a string",
            ))),
            Some(path) => match url_scheme(path) {
                // The provider also reads flows from S3 (`s3://bucket/key`, `s3a://`): not a
                // local path, and not something a linter should fetch, so the flow goes
                // unchecked rather than "not found" (joined to a directory, `s3://b/k` would
                // become `.../s3:/b/k`).
                Some(scheme) => Target::NotRead(FlowFile::Remote(scheme.to_owned())),
                // Whether it is a file, and may be read, is checked on every core, with the read.
                None => Target::File(normalize(&base.join(path))),
            },
        };
        Some(Job {
            obj,
            filepath_span: fp.span,
            subs,
            subs_unknown,
            target,
            base,
        })
    };
    let mut jobs: Vec<Job> = flows.par_iter().filter_map(job).collect();
    drop(flows);

    // Each file once, however many flows read it (a flow with `count` reads one file for every
    // instance: read for each, ten thousand copies of a large file were held at once). Read in
    // parallel; file ids are assigned afterwards, in flow order, to the files that could be read
    // (an unreadable file is reported as not found and gets no id).
    let mut distinct: std::collections::HashMap<PathBuf, usize> = std::collections::HashMap::new();
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut job_file: Vec<Option<usize>> = (jobs.iter())
        .map(|j| match &j.target {
            Target::File(path) => Some(*distinct.entry(path.clone()).or_insert_with(|| {
                paths.push(path.clone());
                paths.len() - 1
            })),
            Target::NotRead(_) => None,
        })
        .collect();
    drop(distinct);
    /// One distinct flow file, read.
    enum Read {
        Text(ReadFile),
        /// Not a regular file, or unreadable: reported as not found.
        Not,
        /// Outside where the configuration may make cxlint read (see `crate::confine`).
        Refused,
    }
    let reads: Vec<Read> = paths
        .par_iter()
        .map(|path| {
            if !confine.allows(path) && path.exists() {
                return Read::Refused;
            }
            // Only regular files (`read_text` refuses others without blocking on a FIFO).
            match read_regular_text(path, || path.clone(), FileId(0)) {
                Ok(read) => Read::Text(read),
                Err(_) => Read::Not,
            }
        })
        .collect();
    for (j, job) in jobs.iter_mut().enumerate() {
        if let (Some(f), Target::File(path)) = (job_file[j], &job.target) {
            if let Read::Refused = reads[f] {
                // As it leads: relative to here it would be a trail of `..`.
                let why = crate::confine::Confine::refusal(path);
                job.target = Target::NotRead(FlowFile::Unknown(why));
                job_file[j] = None;
            }
        }
    }
    let texts: Vec<Option<ReadFile>> = (reads.into_iter())
        .map(|r| match r {
            Read::Text(read) => Some(read),
            _ => None,
        })
        .collect();
    let text_of = |j: usize| job_file[j].and_then(|f| texts[f].as_ref());
    // A `substitutions` map not known before apply may replace any `{{name}}` of the file with
    // a value not known either: not a placeholder without a substitution, nor a queue named
    // `{{name}}`.
    for (j, job) in jobs.iter_mut().enumerate() {
        if let (Some(span), Some(read)) = (job.subs_unknown, text_of(j)) {
            job.subs = crate::load::archy::unknown_substitutions(&read.text, span);
        }
    }
    let mut ids = Vec::with_capacity(jobs.len());
    // A file several flows read (a module's flow in two roots, one file with two sets of
    // substitutions) is one file of the report: the same finding in it is then reported once.
    let mut by_file: Vec<Option<FileId>> = vec![None; paths.len()];
    for (j, job) in jobs.iter().enumerate() {
        ids.push(match (&job.target, job_file[j], text_of(j)) {
            (Target::File(path), Some(f), Some(read)) => {
                Some(*by_file[f].get_or_insert_with(|| {
                    read.register(sources, display_path(path, &opts.settings.cwd))
                }))
            }
            _ => None,
        });
    }
    // What the flows read in all, their substitutions filled in, is bounded too (a flow with
    // `count` may read a file of the largest size in each instance): in flow order, so that
    // which flows are read does not vary. From the first that does not fit, none is.
    let limit = crate::eval_budget::Limits::from_env().flow_bytes;
    // The size of each flow's text once substituted, measured on every core (a scan of the
    // whole text: sequential, it was a tenth of the flows' time at 10 MB of input).
    let made: Vec<Option<usize>> = (0..jobs.len())
        .into_par_iter()
        .map(|j| {
            let read = text_of(j)?;
            let subs = &jobs[j].subs;
            Some(crate::load::archy::substituted_len(&read.text, subs, 0).0)
        })
        .collect();
    let mut left = limit;
    let mut within: Vec<bool> = Vec::with_capacity(jobs.len());
    for (j, made) in made.into_iter().enumerate() {
        // Not read: nothing to parse (a missing file is still reported as not found).
        let Some(read) = text_of(j) else {
            within.push(true);
            continue;
        };
        // The scan that measures reads the whole file; what is parsed is the text made, unless
        // it is larger than a flow may be (`parse_flow` refuses it, having measured it too).
        let scanned = read.text.len();
        let cost = match made {
            Some(made) if made <= crate::load::archy::MAX_FLOW_BYTES => scanned.max(made),
            _ => scanned,
        };
        let fits = cost <= left;
        within.push(fits);
        left = if fits { left - cost } else { 0 };
    }
    budget_used.flow_bytes = limit - left;
    // Secrets in each file that a flow within the budget reads, once however many flows read it
    // (whether it parses or not: a parse error's snippet shows its lines). Read no further than
    // a flow may be: a larger one is refused, its error at its start.
    let mut scanned = vec![false; paths.len()];
    for (j, within) in within.iter().enumerate() {
        if let (true, Some(f)) = (*within, job_file[j]) {
            scanned[f] = true;
        }
    }
    *secrets = (0..paths.len())
        .into_par_iter()
        .filter(|&f| scanned[f])
        .filter_map(|f| Some((by_file[f]?, texts[f].as_ref()?)))
        .flat_map_iter(|(id, read)| {
            let text = &read.text;
            let mut end = text.len().min(crate::load::archy::MAX_FLOW_BYTES);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            crate::rules::hardcoded_secret::secrets_in_flow(id, &text[..end])
        })
        .collect();
    type Parsed = Option<Result<crate::load::archy::FlowDoc, (LoadError, Vec<Span>)>>;
    let parsed: Vec<Parsed> = (0..jobs.len())
        .into_par_iter()
        .map(|j| {
            let read = text_of(j)?;
            let id = ids[j]?;
            if !within[j] {
                return None;
            }
            let parsed = match &read.utf8_error {
                Some(e) => {
                    let mut e = e.clone();
                    e.span.file = id;
                    Err(e)
                }
                None => crate::load::archy::parse_flow(id, &read.text, &jobs[j].subs),
            };
            // The parse error's snippet shows the lines around it: their secrets are masked.
            Some(parsed.map_err(|e| {
                let secrets = crate::rules::hardcoded_secret::secrets_in_unparsed(id, &read.text);
                (e, secrets.into_iter().map(|s| s.span).collect())
            }))
        })
        .collect();

    // Files that do not exist before the configuration's first apply, which writes them.
    let written: std::collections::HashMap<PathBuf, &std::sync::Arc<str>> =
        (model.written_at_apply.iter())
            .map(|w| (normalize(&w.root_dir.join(&w.filename)), &w.address))
            .collect();
    let mut out = Vec::with_capacity(jobs.len());
    for ((j, parsed), within) in jobs.into_iter().zip(parsed).zip(within) {
        let shown = |p: &Path| display_path(p, &opts.settings.cwd).display().to_string();
        let file = match (j.target, parsed) {
            (Target::NotRead(file), _) => file,
            (Target::File(_), None) if !within => FlowFile::OverBudget { limit },
            (Target::File(path), None) => match written.get(&path) {
                Some(&by) => FlowFile::WrittenAtApply {
                    path: shown(&path),
                    by: by.clone(),
                },
                None if uncertain_roots.contains(&j.base) => FlowFile::Unknown(format!(
                    "`{}` is not there, but `{}` is a directory no module of this run calls, with no provider or backend: if it is another root's module, the path is relative to where that root runs `terraform`",
                    shown(&path),
                    shown(&j.base)
                )),
                None => FlowFile::NotFound {
                    similar: similar_file(&j.base, &path).map(|p| shown(&p)),
                    instead: match std::fs::metadata(&path) {
                        Err(_) => None,
                        Ok(m) if m.is_dir() => Some("a directory"),
                        Ok(m) if !m.is_file() => Some("not a regular file"),
                        Ok(_) => Some("not readable"),
                    },
                    path: shown(&path),
                },
            },
            (Target::File(_), Some(Ok(doc))) => FlowFile::Loaded(Box::new(doc)),
            (Target::File(_), Some(Err((mut e, secrets)))) => {
                *incomplete = true;
                sources.redact(secrets);
                // The same file may serve several flows: say whose values broke it.
                if e.label == Some(crate::load::archy::STOPPED_ONCE_SUBSTITUTED) {
                    let whose = format!("the substitutions of `{}`", model.obj(j.obj).address);
                    e.message = e.message.replacen("the substitutions", &whose, 1);
                }
                diags.push(ParseError::finding(e));
                FlowFile::Broken
            }
        };
        out.push(FlowInfo {
            obj: j.obj,
            filepath_span: j.filepath_span,
            file,
            subs: j.subs,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::url_scheme;

    #[test]
    fn url_schemes_are_told_from_paths() {
        assert_eq!(url_scheme("s3://bucket/flows/a.yaml"), Some("s3"));
        assert_eq!(url_scheme("s3a://bucket/a.yaml"), Some("s3a"));
        assert_eq!(url_scheme("https://example.com/a.yaml"), Some("https"));
        assert_eq!(url_scheme("git+ssh://host/a.yaml"), Some("git+ssh"));
        for path in [
            "flows/a.yaml",
            "./flows/a.yaml",
            "/abs/flows/a.yaml",
            "C:\\flows\\a.yaml",
            "3s://bucket/a.yaml",
            "://a",
            "my dir/s3://x",
        ] {
            assert_eq!(url_scheme(path), None, "{path}");
        }
    }
}
