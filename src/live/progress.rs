//! Progress and `--verbose` request logs on stderr.
//!
//! The bar is drawn only on a terminal and never in CI (the `CI` variable), so logs stay clean.
//! Verbose lines go through the bar when it is shown, so the two never garble each other.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Where the live client reports what it is doing.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    verbose: bool,
}

impl Progress {
    /// A reporter; `show_bar` is the caller's wish, honoured only on an interactive terminal.
    pub(crate) fn new(show_bar: bool, verbose: bool) -> Self {
        let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = (show_bar && interactive).then(|| {
            let bar = ProgressBar::new(0);
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} fetching org state {pos}/{len} {wide_msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, verbose }
    }

    /// `n` more units of work are known.
    pub(crate) fn add_work(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc_length(n);
        }
    }

    /// One unit of work is done; `what` names it.
    pub(crate) fn done(&self, what: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(what.to_owned());
            bar.inc(1);
        }
    }

    /// A `--verbose` line (a request and its outcome; never headers).
    pub(crate) fn log(&self, line: &str) {
        if !self.verbose {
            return;
        }
        match &self.bar {
            // As `say!` writes it: the ids in a request's path come from the org's answers.
            Some(bar) => bar.println(crate::shown::text(line)),
            None => crate::say!("{line}"),
        }
    }

    /// Remove the bar.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
