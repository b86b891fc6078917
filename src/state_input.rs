//! `--state` inputs: detect each input's kind from its content and load it (placeholder).

use std::path::{Path, PathBuf};

use crate::check::RunError;
use crate::diagnostic::Diagnostic;
use crate::load::StateDoc;
use crate::model::StateInput;
use crate::source::SourceMap;

/// Load every state input.
pub fn load_all(
    paths: &[PathBuf],
    _cwd: &Path,
    _sources: &mut SourceMap,
    _diags: &mut Vec<Diagnostic>,
    errors: &mut Vec<RunError>,
    incomplete: &mut bool,
) -> Vec<(StateInput, StateDoc)> {
    for p in paths {
        errors.push(RunError(format!(
            "`{}`: state inputs are not supported yet",
            p.display()
        )));
        *incomplete = true;
    }
    Vec::new()
}
