//! The command line: clap arguments (raw) turned into validated options, and each command run.
//!
//! Exit codes (INTERFACE.md): 0 no finding at or above `--fail-on`; 1 at least one; 2 cxlint could
//! not do the whole job (bad usage or configuration, an unreadable path, an input that failed to
//! parse).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::atomic::write_atomic;
use crate::check::{CheckOptions, CheckResult, check};
use crate::diagnostic::Diagnostic;
use crate::report::{Format, ReportContext};
use crate::rules::{ALL_RULES, RuleMeta};
use crate::settings::Color;

const AFTER_HELP: &str = "Exit codes:\n  0  no finding at or above --fail-on\n  1  at least one finding at or above --fail-on\n  2  cxlint could not do the whole job: bad usage or configuration, an unreadable path, or an input that failed to parse";

/// A fast linter for Genesys Cloud CX as Code (Terraform) configurations.
#[derive(Debug, Parser)]
#[command(name = "cxlint", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint Terraform configuration (default: the current directory).
    Check(CheckArgs),
    /// Fetch the org's state from the Platform API into a snapshot file (read-only).
    Snapshot(SnapshotArgs),
    /// What an API endpoint is and what it needs; the nearest real ones if it does not exist.
    Api(ApiArgs),
    /// List every rule: code, name, default severity, summary.
    Rules(RulesArgs),
    /// Print a rule's full documentation (by name or code).
    #[command(alias = "rule")]
    Explain(ExplainArgs),
    /// Write a commented starter `.cxlint.toml`.
    Init(InitArgs),
    /// Internal commands for benchmarks and debugging.
    #[command(hide = true)]
    Debug(DebugArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Directories or files to check.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Org state to cross-check against: a `genesyscloud_tf_export` directory, a `terraform.tfstate`
    /// (v3 or v4), a plan from `terraform show -json`, or a cxlint snapshot. Repeatable.
    #[arg(long = "state", value_name = "PATH")]
    pub state: Vec<PathBuf>,
    /// Fetch org state from the Platform API for this run (credentials as for `snapshot`).
    #[arg(long)]
    pub live: bool,
    /// Set a root-module variable, as `terraform -var`. Repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub var: Vec<String>,
    /// Read variables from a file, as `terraform -var-file`. Repeatable.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_file: Vec<PathBuf>,
    /// For each `--var`, how many `--var-file`s came before it (filled in from the parse).
    #[arg(skip)]
    pub var_positions: Vec<usize>,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of standard output (atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Run only these rules (names or codes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules (names or codes, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Use this configuration file.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Hide findings recorded in this baseline.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in a baseline file (its entries for rules or files this run
    /// does not check are kept).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Ignore `cxlint-ignore` comments (for audits).
    #[arg(long)]
    pub no_inline_ignores: bool,
    /// Report only findings in files changed since this git ref (everything is still loaded).
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// Print the merged configuration and exit.
    #[arg(long)]
    pub show_config: bool,
    /// When to use colour [default: auto].
    #[arg(long, value_enum)]
    pub color: Option<ColorChoice>,
    /// Print only findings: no summary line, and on standard error only errors (what makes
    /// the exit code 2), no warnings, notes or progress.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Genesys Cloud region, e.g. `us-east-1` (default: `GENESYSCLOUD_REGION`).
    #[arg(long)]
    pub region: Option<String>,
    /// Where to write the snapshot.
    #[arg(long, default_value = "cxlint-snapshot.json")]
    pub out: PathBuf,
    /// API base URL (a proxy or test server); overrides the region.
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
    /// Login base URL for the token request.
    #[arg(long, value_name = "URL")]
    pub login_base: Option<String>,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Log each request (method, URL, status, time; never headers).
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Print only errors (what makes the exit code 2): no progress bar and no summary line.
    // ruff's `--quiet`, as `check` has it; it and `--verbose` ask for opposite things.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,
}

const API_AFTER_HELP: &str = "Exit codes:\n  0  the operation exists (and takes the --body given)\n  1  it does not, or not with this method (the nearest real ones are listed; a path that differs from a real one only in case is said to), or the --body has keys its model does not\n  2  bad usage, or a --body that cannot be read or is not JSON";

#[derive(Debug, Args)]
#[command(after_help = API_AFTER_HELP)]
pub struct ApiArgs {
    /// HTTP method, e.g. POST (any case).
    // Not empty: `cxlint api GET ''` answered "GET  does not exist" with exit 1, as if a path
    // had been looked up; it is bad usage (exit 2), as a missing argument is.
    #[arg(value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub method: String,
    /// Path, e.g. `/api/v2/routing/queues/{queueId}/wrapupcodes`: concrete ids instead of
    /// `{params}`, a full URL, a query string, or no `/api/v2` prefix will do.
    #[arg(value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub path: String,
    /// A request body to check against the operation's model: JSON, or a data action's
    /// `request_template` (Velocity references stand for values); `@FILE` reads it from FILE,
    /// `@-` from standard input. Unknown keys make the exit code 1.
    #[arg(long, value_name = "JSON|@FILE")]
    pub body: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: TextOrJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: TextOrJson,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule name or code.
    // A rule and `--all` conflict: `explain CX101 --all` printed every rule, ignoring the one
    // named, as if that were what was asked.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub rule: Option<String>,
    /// Every rule.
    #[arg(long)]
    pub all: bool,
    /// Write the documentation of the rule named (or, with --all, of every rule) to
    /// DIR/<rule-name>.md (the repository's `docs/rules/`).
    // Not `requires = "all"`: with a rule named, that made clap demand `--all` and print a usage
    // line listing every flag as required.
    #[arg(long, value_name = "DIR")]
    pub markdown_dir: Option<PathBuf>,
    /// With --markdown-dir: write nothing, exit 1 if any file is missing or differs.
    #[arg(long, requires = "markdown_dir")]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Overwrite an existing `.cxlint.toml`.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DebugArgs {
    #[command(subcommand)]
    pub command: DebugCommand,
}

#[derive(Debug, Subcommand)]
pub enum DebugCommand {
    /// Only discover, read and parse (the benchmark's parse-alone baseline).
    ParseOnly {
        paths: Vec<PathBuf>,
        /// Parse `.tf` files with hcl-edit alone, building its syntax tree and nothing else (the
        /// benchmark's reference for "the parser's own limit").
        #[arg(long)]
        hcl_edit: bool,
    },
}

/// What the binary knows about its process that the library does not (its allocator).
#[derive(Debug, Default, Clone, Copy)]
pub struct Process {
    /// See [`CheckOptions::on_large_input`].
    pub on_large_input: Option<fn()>,
    /// See [`crate::syntax_heap`].
    pub syntax_heap: Option<crate::syntax_heap::Hooks>,
}

/// Parse arguments and run; the process exit code.
pub fn run(process: Process) -> ExitCode {
    if let Some(hooks) = process.syntax_heap {
        crate::syntax_heap::install(hooks);
    }
    let matches = <Cli as clap::CommandFactory>::command().get_matches();
    let mut cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    if let (Command::Check(args), Some(("check", sub))) = (&mut cli.command, matches.subcommand()) {
        args.var_positions = var_positions(sub);
    }
    match cli.command {
        Command::Check(args) => run_check(args, process),
        Command::Snapshot(args) => run_snapshot(args),
        Command::Api(args) => run_api(args),
        Command::Rules(args) => run_rules(args),
        Command::Explain(args) => run_explain(args),
        Command::Init(args) => run_init(args),
        Command::Debug(args) => run_debug(args),
    }
}

/// For each `--var`, how many `--var-file`s came before it on the command line (Terraform
/// applies them in that order; see `Settings::var_positions`).
fn var_positions(check: &clap::ArgMatches) -> Vec<usize> {
    let at = |id: &str| -> Vec<usize> {
        (check.indices_of(id))
            .map(Iterator::collect)
            .unwrap_or_default()
    };
    let files = at("var_file");
    (at("var").into_iter())
        .map(|v| files.iter().filter(|&&f| f < v).count())
        .collect()
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    crate::say!("cxlint: error: {message}");
    ExitCode::from(2)
}

/// Every command's output to standard output goes through here (or [`unless_closed`]), so a
/// reader that leaves early (`cxlint explain --all | head -1`) never meets `print!`'s panic.
/// On success, or when the reader has gone, the command's own exit code: the reader took what
/// it wanted, as `check | head` has always had it.
fn print_or_fail(text: &str, code: ExitCode) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let written = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    match unless_closed(written) {
        Ok(()) => code,
        Err(e) => fail(format!("cannot write to standard output: {e}")),
    }
}

/// A write to standard output, with a closed pipe counted as success (see [`print_or_fail`]).
fn unless_closed(written: std::io::Result<()>) -> std::io::Result<()> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

fn run_check(args: CheckArgs, process: Process) -> ExitCode {
    let cwd = cwd();
    let name = |v: Option<clap::builder::PossibleValue>| v.map(|p| p.get_name().to_owned());
    let overrides = crate::settings::CliOverrides {
        config: args.config.clone(),
        no_config: args.no_config,
        format: args.format.and_then(|f| name(f.to_possible_value())),
        fail_on: args.fail_on.and_then(|f| name(f.to_possible_value())),
        select: (!args.select.is_empty()).then(|| args.select.clone()),
        ignore: (!args.ignore.is_empty()).then(|| args.ignore.clone()),
        state: (!args.state.is_empty()).then(|| args.state.clone()),
        vars: args.var.clone(),
        var_positions: args.var_positions.clone(),
        var_files: (!args.var_file.is_empty()).then(|| args.var_file.clone()),
        baseline: args.baseline.clone(),
        no_inline_ignores: args.no_inline_ignores,
        live: args.live,
        output: args.output.clone(),
        color: args.color.and_then(|c| name(c.to_possible_value())),
        quiet: args.quiet,
    };
    let mut settings = match crate::settings::resolve(&cwd, &overrides, &|k| std::env::var(k).ok())
    {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    if args.show_config {
        return print_or_fail(&crate::settings::show_config(&settings), ExitCode::SUCCESS);
    }
    let Ok(format) = Format::from_str(&settings.format, true) else {
        return fail(format!("unknown format `{}`", settings.format));
    };
    if let (Some(b), Some(o)) = (&args.write_baseline, &settings.output) {
        if o != Path::new(crate::settings::STDOUT) && same_file(&cwd.join(b), &cwd.join(o)) {
            return fail(format!(
                "`--write-baseline` and `--output` name the same file `{}`: one would overwrite the other",
                crate::shown::text(&b.display().to_string())
            ));
        }
    }
    // Files the run reads but does not list as sources. The baseline is one for `--output`, but
    // not for `--write-baseline`: rewriting the baseline the configuration names is how it is
    // kept up to date (its entries for what this run does not check are kept).
    let config_read: Vec<PathBuf> = (settings.config_file.iter()).map(|p| cwd.join(p)).collect();
    let read_too: Vec<PathBuf> = (config_read.iter().cloned())
        .chain(settings.baseline.iter().map(|p| cwd.join(p)))
        .collect();
    if args.write_baseline.is_some() {
        // Recording a baseline records everything that is found now.
        settings.baseline = None;
    }
    let mut live_file = None;
    if settings.live {
        match live_snapshot_for_check(settings.quiet) {
            Ok(path) => {
                settings.state.insert(0, path.clone());
                live_file = Some(path);
            }
            Err(e) => return fail(e),
        }
    }
    let fail_on = settings.fail_on;
    let (output, quiet) = (settings.output.clone(), settings.quiet);
    // `--output -`: standard output, whatever the configuration says.
    let output = (output.filter(|o| o != Path::new(crate::settings::STDOUT))).map(|path| Output {
        shown: settings.shown(&path),
        path,
    });
    let color = match settings.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let mut opts = CheckOptions::new(
        cwd.clone(),
        if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        },
    );
    opts.env_vars = std::env::vars()
        .filter_map(|(k, v)| k.strip_prefix("TF_VAR_").map(|n| (n.to_owned(), v)))
        .collect();
    opts.env_vars.sort();
    opts.settings = settings;
    opts.on_large_input = process.on_large_input;
    if let Some(rev) = &args.changed_since {
        match changed_files(&cwd, rev) {
            Ok(changed) => opts.changed = Some(changed.into_iter().collect()),
            Err(e) => return fail(e),
        }
    }
    // `CXLINT_TIMINGS=time` leaves resident memory out: reading it waits on the other threads'
    // page faults, which distorts the phases' times on small inputs.
    let timings = std::env::var_os("CXLINT_TIMINGS").filter(|v| !v.is_empty());
    let show_timings = timings.is_some();
    opts.measure_rss = timings.is_some_and(|v| v != "time");

    let result = check(&opts);
    let report_start = std::time::Instant::now();
    // The report runs code the rules did not.
    crate::syntax_heap::part_done();
    if let Some(p) = live_file {
        // Findings located in the snapshot are shown from its text, read again: now or never.
        result.sources.load_for_read_from(&result.diagnostics, &p);
        let _ = std::fs::remove_file(p);
    }
    // Never over a file the run read: `--output main.tf` or `--write-baseline two.tf` would
    // replace the user's configuration with a report.
    let targets = (args.write_baseline.iter())
        .map(|p| ("--write-baseline", p, p, &config_read))
        .chain(
            output
                .iter()
                .map(|o| ("--output", &o.path, &o.shown, &read_too)),
        );
    for (flag, target, shown, read_too) in targets {
        // Refused before anything is read or written (a baseline there would first be "read",
        // and reported as replaced).
        if crate::atomic::ends_with_separator(target) || cwd.join(target).is_dir() {
            return fail(format!(
                "`{flag}` names `{}`, a directory; give the file to write",
                crate::shown::text(&shown.display().to_string())
            ));
        }
        if let Some(input) = read_by_run(&cwd.join(target), &result.sources, read_too, &cwd) {
            return fail(format!(
                "`{flag}` names `{}`, a file this run reads; refusing to overwrite it",
                crate::shown::text(&input.display().to_string())
            ));
        }
    }
    if let Some(path) = &args.write_baseline {
        // Fingerprints hash the findings' text.
        result.sources.load_for(&result.diagnostics);
        // What the file holds now: its entries for what this run did not check are kept.
        let shown = crate::source::display_path(&cwd.join(path), &cwd);
        let old = match crate::baseline::Baseline::load(path, &shown) {
            Ok(old) => old,
            Err(crate::baseline::BaselineError::Read { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                crate::baseline::Baseline::default()
            }
            // Not a baseline (or not one this cxlint reads): replaced, as its error's help says,
            // but not without a word, as entries it may have held are not kept. A warning that
            // `--quiet` leaves out: the file named is written as asked, and the findings its
            // entries may have hidden come back, none is hidden by losing them.
            Err(e) => {
                if !quiet {
                    crate::say!("cxlint: warning: {e}; replacing it with this run's findings");
                }
                crate::baseline::Baseline::default()
            }
        };
        let place = crate::baseline::Place::new(path, &cwd);
        let new = old.rewrite(&result.diagnostics, &result.sources, &place, &result.scope);
        if let Err(e) = new.baseline.write_atomic(path) {
            return fail(e);
        }
        let kept = match new.kept {
            0 => String::new(),
            n => format!(
                "; kept {n} earlier entr{} for rules or files this run did not check",
                if n == 1 { "y" } else { "ies" }
            ),
        };
        if !quiet {
            crate::say!(
                "cxlint: recorded {} finding(s) in `{}`{kept}",
                new.recorded,
                path.display()
            );
        }
    }
    if result.files_checked == 0 && result.errors.is_empty() && !quiet {
        crate::say!(
            "cxlint: warning: no Terraform files (`*.tf`, `*.tf.json`, `*.tfvars`) found in the given paths"
        );
    }
    // Written even when no path could be read (`check /gone`): the check ran, as it does when
    // one of several paths cannot be read, and its report says so (no file, no finding), with
    // the errors on standard error and exit code 2. A CI step reading the report (SARIF
    // upload, JUnit) gets a valid document, and an `--output` file from an earlier run is
    // not left in place as if it were this run's.
    if let Err(e) = emit(
        quiet,
        &result,
        &result.diagnostics,
        format,
        color,
        output.as_ref(),
    ) {
        return fail(e);
    }
    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
        // A warning, not an error: the job summary is an extra, and the exit code stands.
        if let Err(e) = append_step_summary(&result, Path::new(&path)) {
            if !quiet {
                crate::say!("cxlint: warning: cannot write the job summary: {e}");
            }
        }
    }
    // Printed with `--quiet` too: `CXLINT_TIMINGS` is a request for exactly these lines (a
    // benchmark's), not chatter the run volunteers.
    if show_timings {
        let mib = |b: u64| b as f64 / (1u64 << 20) as f64;
        let rss = |p: &crate::check::Phase| match opts.measure_rss {
            true => format!(
                "  rss {:>8.1} MiB  peak {:>8.1} MiB",
                mib(p.rss),
                mib(p.peak)
            ),
            false => String::new(),
        };
        let report = crate::check::Phase::ended("report", report_start.elapsed(), opts.measure_rss);
        // CPU time is cumulative: a phase's own is the difference from the one before.
        let mut cpu_before = std::time::Duration::ZERO;
        for p in result.timings.iter().chain([&report]) {
            let cpu = match opts.measure_rss && !p.cpu.is_zero() {
                true => format!(
                    "  cpu {:>9.3} ms",
                    p.cpu.saturating_sub(cpu_before).as_secs_f64() * 1e3
                ),
                false => String::new(),
            };
            cpu_before = p.cpu;
            crate::say!(
                "cxlint: timing: {:<22} {:>9.3} ms{}{}",
                p.name,
                p.took.as_secs_f64() * 1e3,
                cpu,
                rss(p)
            );
        }
        let (used, of) = (result.budget_used, crate::eval_budget::Limits::from_env());
        crate::say!(
            "cxlint: budget: steps {} of {}, weight {} of {}, instances {} of {}, flow bytes {} of {}",
            used.steps,
            of.steps,
            used.weight,
            of.weight,
            used.instances,
            of.instances,
            used.flow_bytes,
            of.flow_bytes
        );
    }
    // `--quiet` follows ruff's "print diagnostics, but nothing else": warnings and notes (files
    // skipped, stale baseline entries, a `--var` no module declares) are left out; errors,
    // which make the exit code 2, are always printed, with the line that says why it is 2.
    if !quiet {
        for w in &result.warnings {
            crate::say!("cxlint: warning: {w}");
        }
    }
    for e in &result.errors {
        crate::say!("cxlint: error: {}", e.0);
    }
    // Texts read again for the report that were not what was parsed.
    let reread = result.sources.failures();
    for e in &reread {
        crate::say!("cxlint: error: {e}");
    }
    if result.incomplete || !result.errors.is_empty() || !reread.is_empty() {
        crate::say!(
            "cxlint: the check is incomplete: some inputs could not be read or parsed (exit code 2)"
        );
    }
    let failing = result.diagnostics.iter().any(|d| fail_on.fails(d.severity));
    let incomplete = result.incomplete || !result.errors.is_empty() || !reread.is_empty();
    // The process is about to exit: let the OS reclaim the model and sources at once instead of
    // walking and freeing them (a few percent of a large run), as ripgrep and rustc do.
    std::mem::forget(result);
    if incomplete {
        ExitCode::from(2)
    } else {
        ExitCode::from(u8::from(failing))
    }
}

/// Append the Markdown job summary (GitHub Actions) for this run.
fn append_step_summary(result: &CheckResult, path: &Path) -> std::io::Result<()> {
    use crate::model::matrix::Relation;
    use crate::report::summary::{Cell, QueueCodeMatrix, RepoLink, github_step_summary};
    let rules: Vec<&RuleMeta> = ALL_RULES.iter().map(|r| r.meta()).collect();
    let cx = ReportContext {
        sources: &result.sources,
        files_checked: result.files_checked,
        rules: &rules,
        color: false,
        tool_version: env!("CARGO_PKG_VERSION"),
        quiet: false,
        incomplete: result.incomplete || !result.errors.is_empty(),
    };
    let m = result.model.queue_code_matrix(30);
    let cells = (0..m.queues.len())
        .map(|q| {
            (0..m.codes.len())
                .map(|c| match m.cells.get(&(q, c)) {
                    Some(Relation::Assigned) => Cell::Assigned,
                    Some(Relation::UsedNotAssigned) => Cell::UsedNotAssigned,
                    Some(Relation::AssignedAndUsed) => Cell::AssignedAndUsed,
                    Some(Relation::Unknown) => Cell::Unknown,
                    None => Cell::None,
                })
                .collect()
        })
        .collect();
    let matrix = QueueCodeMatrix {
        queues: m.queues,
        codes: m.codes,
        cells,
    };
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let (server, repo, sha) = (
        env("GITHUB_SERVER_URL"),
        env("GITHUB_REPOSITORY"),
        env("GITHUB_SHA"),
    );
    let link = match (&server, &repo, &sha) {
        (Some(s), Some(r), Some(h)) => Some(RepoLink {
            server_url: s,
            repository: r,
            sha: h,
        }),
        _ => None,
    };
    let md = github_step_summary(
        &result.diagnostics,
        &cx,
        &matrix,
        crate::report::summary::GITHUB_ANNOTATION_LIMIT,
        link.as_ref(),
    );
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(md.as_bytes())
}

/// Files changed since `rev` (committed, staged, unstaged and untracked), relative to `cwd`.
fn changed_files(cwd: &Path, rev: &str) -> Result<Vec<PathBuf>, String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(cwd)
            .args(args)
            .output()
            .map_err(|e| format!("--changed-since needs git: {e}"))?;
        if !out.status.success() {
            // git's first line says what is wrong; what follows is advice, or its whole usage.
            let stderr = String::from_utf8_lossy(&out.stderr);
            let first = stderr.lines().map(str::trim).find(|l| !l.is_empty());
            let first = first.unwrap_or("git failed");
            let first = ["fatal: ", "error: "]
                .iter()
                .find_map(|p| first.strip_prefix(p))
                .unwrap_or(first);
            return Err(format!("--changed-since {rev}: {first}"));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    // Outside a work tree `git diff` compares two paths instead, and answers with its usage.
    if git(&["rev-parse", "--is-inside-work-tree"])?.trim() != "true" {
        return Err(format!("--changed-since {rev}: not inside a git work tree"));
    }
    // Every change in the repository, not only below the working directory: a root module in
    // `envs/dev` reads `../../modules/q`. Paths come from the top; shown as the source map shows
    // them, relative to the working directory (`git rev-parse --show-prefix`: `envs/dev/`).
    let prefix = git(&["rev-parse", "--show-prefix"])?;
    let prefix = Path::new(prefix.trim());
    let up: PathBuf = prefix.components().map(|_| "..").collect();
    let diff = git(&["diff", "--name-only", "--no-relative", rev, "--"])?;
    let untracked = git(&[
        "ls-files",
        "--others",
        "--exclude-standard",
        "--full-name",
        ":/",
    ])?;
    let mut files: Vec<PathBuf> = (diff.lines().chain(untracked.lines()))
        .map(|p| match Path::new(p).strip_prefix(prefix) {
            Ok(below) => below.to_path_buf(),
            Err(_) => up.join(p),
        })
        .collect();
    files.sort();
    files.dedup();
    Ok(files)
}

/// `--live`: fetch a snapshot into a temporary file for this run (removed afterwards); no
/// progress bar when `quiet`.
#[cfg(feature = "live")]
fn live_snapshot_for_check(quiet: bool) -> Result<PathBuf, String> {
    let path = std::env::temp_dir().join(format!("cxlint-live-{}.json", std::process::id()));
    let args = crate::live::SnapshotArgs {
        region: None,
        out: Some(path.clone()),
        api_base: None,
        login_base: None,
        concurrency: None,
        verbose: false,
        quiet,
    };
    crate::live::run_snapshot_command(&args).map_err(|e| format!("--live: {e}"))
}

#[cfg(not(feature = "live"))]
fn live_snapshot_for_check(_quiet: bool) -> Result<PathBuf, String> {
    Err("this cxlint was built without the `live` feature; run a build with it, or pass a snapshot with `--state`".into())
}

/// `--output FILE`.
struct Output {
    path: PathBuf,
    /// How messages name it: as the user wrote it ([`crate::settings::Settings::shown`]).
    shown: PathBuf,
}

/// Whether `a` and `b` are one file: the same path, or (both existing) the same real path.
fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// The input (as shown) that `target` is, when it is one of the files the run read: the
/// sources, and `read_too`. Only files of the same name are resolved (a large run reads
/// thousands), and a target that does not exist is none of them.
fn read_by_run(
    target: &Path,
    sources: &crate::source::SourceMap,
    read_too: &[PathBuf],
    cwd: &Path,
) -> Option<PathBuf> {
    let real = target.canonicalize().ok()?;
    // The name as given and the name it leads to: a link named for either is found.
    let names = [real.file_name()?, target.file_name()?];
    let shown = sources.paths().map(|p| (cwd.join(p), p.to_path_buf()));
    let others = (read_too.iter()).map(|p| (p.clone(), crate::source::display_path(p, cwd)));
    shown
        .chain(others)
        .filter(|(p, _)| p.file_name().is_some_and(|n| names.contains(&n)))
        .find(|(p, _)| p.canonicalize().is_ok_and(|r| r == real))
        .map(|(_, shown)| shown)
}

fn emit(
    quiet: bool,
    result: &CheckResult,
    diags: &[Diagnostic],
    format: Format,
    color: bool,
    output: Option<&Output>,
) -> Result<(), String> {
    let rules: Vec<&RuleMeta> = ALL_RULES.iter().map(|r| r.meta()).collect();
    let cx = ReportContext {
        sources: &result.sources,
        files_checked: result.files_checked,
        rules: &rules,
        color,
        tool_version: env!("CARGO_PKG_VERSION"),
        quiet,
        incomplete: result.incomplete || !result.errors.is_empty(),
    };
    // A report that shows source text (snippets, fingerprints) reads it a file or a chunk at a
    // time, not every file's first (`SourceFile::transient_text`).
    let reporter = format.reporter();
    match output {
        Some(out) => {
            // Rendered whole first: the file is replaced atomically, or not at all.
            let mut buf = Vec::new();
            reporter
                .report(&mut buf, diags, &cx)
                .map_err(|e| format!("cannot render the report: {e}"))?;
            // A pipe named (`-o /dev/stdout | head -1`) whose reader has gone took what it
            // wanted, as standard output's does.
            unless_closed(write_atomic(&out.path, &buf))
                .map_err(|e| format!("cannot write `{}`: {e}", out.shown.display()))
        }
        None => {
            // Streamed: a report of several megabytes would otherwise be copied into one
            // growing buffer, and fresh memory is what a large run spends its system time on.
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let written = reporter
                .report(&mut out, diags, &cx)
                .and_then(|()| out.flush());
            unless_closed(written).map_err(|e| format!("cannot write the report: {e}"))
        }
    }
}

#[cfg(feature = "live")]
fn run_snapshot(args: SnapshotArgs) -> ExitCode {
    let args = crate::live::SnapshotArgs {
        region: args.region,
        out: Some(args.out),
        api_base: args.api_base,
        login_base: args.login_base,
        concurrency: Some(args.concurrency),
        verbose: args.verbose,
        quiet: args.quiet,
    };
    match crate::live::run_snapshot_command(&args) {
        Ok(path) => {
            if !args.quiet {
                crate::say!(
                    "cxlint: wrote snapshot `{}`",
                    crate::source::display_path(&path, &cwd()).display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

#[cfg(not(feature = "live"))]
fn run_snapshot(_args: SnapshotArgs) -> ExitCode {
    fail("this cxlint was built without the `live` feature")
}

fn run_api(args: ApiArgs) -> ExitCode {
    let answer = match api_answer(&args) {
        Ok(answer) => answer,
        Err(e) => return fail(e),
    };
    let text = match args.format {
        TextOrJson::Human => answer.text,
        TextOrJson::Json => {
            let mut json = serde_json::to_string_pretty(&answer.json).unwrap_or_default();
            json.push('\n');
            json
        }
    };
    // A nonexistent endpoint, or a body it would reject, is a finding: exit 1, as `check` does.
    let finding = !answer.found || answer.body_problems > 0;
    print_or_fail(&text, ExitCode::from(u8::from(finding)))
}

const BODY_NOT_JSON: &str =
    "`--body` is not JSON (nor a data action's JSON template, with Velocity references for values)";

/// `cxlint api`'s answer, or the error of a `--body` that cannot be read or is not JSON.
fn api_answer(args: &ApiArgs) -> Result<crate::api::ApiAnswer, String> {
    let text = args.body.as_deref().map(read_body).transpose()?;
    // Parsed here, once: the parse that refuses a body that is not JSON is the one checked.
    let body = match text.as_deref().map(crate::catalog::RequestBody::parse) {
        None => None,
        Some(Some(body)) => Some(body),
        Some(None) => return Err(BODY_NOT_JSON.into()),
    };
    Ok(crate::api::explain_request(
        &args.method,
        &args.path,
        body.as_ref(),
    ))
}

/// `api --body`: the text given, or `@FILE`'s (`@-`: standard input); a one-line error (exit 2)
/// when it cannot be read.
fn read_body(arg: &str) -> Result<String, String> {
    /// A request body is small; a file larger than this is not one.
    const LIMIT: u64 = 16 << 20;
    let text = match arg.strip_prefix('@') {
        None => arg.to_owned(),
        Some("-") => {
            use std::io::Read as _;
            let mut text = String::new();
            (std::io::stdin().take(LIMIT + 1).read_to_string(&mut text))
                .map_err(|e| format!("cannot read `--body` from standard input: {e}"))?;
            text
        }
        Some(file) => crate::check::read_to_string_within(Path::new(file), LIMIT).map_err(|e| {
            format!(
                "cannot read `--body` file `{}`: {e}",
                crate::shown::text(file)
            )
        })?,
    };
    if text.len() as u64 > LIMIT {
        return Err("`--body` is larger than 16 MiB, which no request body is".into());
    }
    Ok(text)
}

fn run_rules(args: RulesArgs) -> ExitCode {
    let mut out = String::new();
    match args.format {
        TextOrJson::Json => {
            let list: Vec<serde_json::Value> = ALL_RULES
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({"code": m.code, "name": m.name, "category": m.category.as_str(),
                        "severity": m.default.as_str(), "summary": m.summary(), "url": m.url()})
                })
                .collect();
            out = serde_json::to_string_pretty(&list).unwrap_or_default();
            out.push('\n');
        }
        TextOrJson::Human => {
            let mut metas: Vec<&RuleMeta> = ALL_RULES.iter().map(|r| r.meta()).collect();
            metas.sort_by_key(|m| m.code);
            for m in metas {
                out.push_str(&format!(
                    "{}  {:<40} {:<8} {}\n",
                    m.code,
                    m.name,
                    m.default.as_str(),
                    m.summary()
                ));
            }
        }
    }
    print_or_fail(&out, ExitCode::SUCCESS)
}

fn run_explain(args: ExplainArgs) -> ExitCode {
    let metas: Vec<&RuleMeta> = match &args.rule {
        // clap makes a rule and `--all` exclusive, and one of them required.
        Some(rule) => match crate::rules::find(rule) {
            Some(m) => vec![m],
            None => {
                let names: Vec<&str> = ALL_RULES.iter().map(|r| r.meta().name).collect();
                return match crate::model::did_you_mean(rule, names) {
                    Some(s) => fail(format!("unknown rule `{rule}`; did you mean `{s}`?")),
                    None => fail(format!("unknown rule `{rule}` (see `cxlint rules`)")),
                };
            }
        },
        None => {
            let mut metas: Vec<&RuleMeta> = ALL_RULES.iter().map(|r| r.meta()).collect();
            metas.sort_by_key(|m| m.code);
            metas
        }
    };
    let Some(dir) = args.markdown_dir else {
        let page = match &args.rule {
            Some(_) => metas.into_iter().map(rule_page).collect(),
            None => {
                metas
                    .into_iter()
                    .map(rule_page)
                    .collect::<Vec<_>>()
                    // A blank line between pages, none after the last (each ends its line).
                    .join("\n")
            }
        };
        return print_or_fail(&page, ExitCode::SUCCESS);
    };
    // Made once, before any file: a DIR that is a file made every write fail with "File
    // exists", naming `DIR/<rule>.md`, which the user never gave and which does not exist.
    if !args.check {
        if let Err(e) = std::fs::create_dir_all(&dir) {
            let why = if dir.exists() && !dir.is_dir() {
                "it is not a directory".to_string()
            } else {
                e.to_string()
            };
            return fail(format!(
                "cannot write rule docs to `{}`: {why}",
                dir.display()
            ));
        }
    }
    let mut stale = Vec::new();
    for m in &metas {
        let path = dir.join(format!("{}.md", m.name));
        let text = rule_markdown(m);
        if args.check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(path.display().to_string());
            }
        } else if let Err(e) = write_atomic(&path, text.as_bytes()) {
            return fail(format!("cannot write `{}`: {e}", path.display()));
        }
    }
    if !stale.is_empty() {
        let which = args.rule.as_ref().map_or("--all", |_| metas[0].name);
        crate::say!(
            "cxlint: rule docs are out of date (run `cargo run -- explain {which} --markdown-dir {}`): {}",
            dir.display(),
            stale.join(", ")
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// A rule's documentation page as `docs/rules/` holds it: generated from its doc comment, and
/// marked so, so that nobody edits it by hand.
pub fn rule_markdown(m: &RuleMeta) -> String {
    format!(
        "<!-- generated by `cxlint explain --all --markdown-dir docs/rules`; do not edit -->\n{}",
        rule_page(m)
    )
}

/// A rule's documentation page as `cxlint explain` prints it (the reader is no file to edit).
fn rule_page(m: &RuleMeta) -> String {
    format!(
        "# {} ({})\n\nDefault severity: **{}**. Category: {}.\n\n{}\n",
        m.name,
        m.code,
        m.default,
        m.category.as_str(),
        m.doc_markdown()
    )
}

fn run_init(args: InitArgs) -> ExitCode {
    match crate::init::write_init(&cwd(), args.force) {
        Ok(path) => {
            crate::say!(
                "cxlint: wrote `{}`",
                crate::source::display_path(&path, &cwd()).display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

fn run_debug(args: DebugArgs) -> ExitCode {
    match args.command {
        DebugCommand::ParseOnly { paths, hcl_edit } => {
            let cwd = cwd();
            let paths = if paths.is_empty() {
                vec![PathBuf::from(".")]
            } else {
                paths
            };
            let (files, bytes, failed) = crate::check::parse_only(&paths, &cwd, hcl_edit);
            let line = format!("parsed {files} files, {bytes} bytes, {failed} failed\n");
            print_or_fail(&line, ExitCode::from(u8::from(failed > 0) * 2))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `api --body` parses the body once: it was parsed to refuse one that is not JSON, then
    /// again to check it against the operation's model.
    #[test]
    fn api_body_is_parsed_once() {
        let parses = || crate::catalog::BODY_PARSES.with(std::cell::Cell::get);
        let args = |body: &str| ApiArgs {
            method: "PUT".into(),
            path: "/api/v2/routing/wrapupcodes/abc".into(),
            body: Some(body.into()),
            format: TextOrJson::Human,
        };
        let before = parses();
        let answer = api_answer(&args(r#"{"name": "Escalated", "wrapUpCodeId": "x"}"#)).unwrap();
        assert_eq!((answer.found, answer.body_problems), (true, 1));
        assert_eq!(parses() - before, 1);
        // Not JSON: the same one-line error as before, after one parse.
        let before = parses();
        let err = api_answer(&args("{\"name\": ")).unwrap_err();
        assert_eq!(err, BODY_NOT_JSON);
        assert_eq!(parses() - before, 1);
    }
}
