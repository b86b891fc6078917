//! Finding the input files.
//!
//! `cxlint check [PATHS]` walks each directory (gitignore-aware, skipping `.terraform/` and `.git/`)
//! for Terraform configuration (`*.tf`, `*.tf.json`) and the variable files Terraform reads by itself
//! (`terraform.tfvars[.json]`, `*.auto.tfvars[.json]`). A file named explicitly is taken as it is.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

/// What a discovered file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    Hcl,
    TfJson,
    /// `terraform.tfvars` / `*.auto.tfvars` (HCL attributes).
    Tfvars,
    /// `terraform.tfvars.json` / `*.auto.tfvars.json`.
    TfvarsJson,
    /// An automation script beside the configuration (`*.js`, `*.ts`, `*.py`, `*.sh`): scanned for
    /// Platform API calls, not parsed as Terraform.
    Script,
}

impl FileKind {
    /// The kind of a configuration file by its name; `None` for files cxlint does not read.
    pub fn of(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        if name.ends_with(".tf.json") {
            Some(FileKind::TfJson)
        } else if name.ends_with(".tf") {
            Some(FileKind::Hcl)
        } else if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") {
            Some(FileKind::Tfvars)
        } else if name == "terraform.tfvars.json" || name.ends_with(".auto.tfvars.json") {
            Some(FileKind::TfvarsJson)
        } else if crate::load::scripts::is_script(name) {
            Some(FileKind::Script)
        } else {
            None
        }
    }

    pub fn is_tfvars(self) -> bool {
        matches!(self, FileKind::Tfvars | FileKind::TfvarsJson)
    }
}

/// Why discovery failed for a path.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("`{0}`: no such file or directory")]
    NotFound(PathBuf),
    #[error("`{path}`: {message}")]
    Walk { path: PathBuf, message: String },
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Files to load, sorted for deterministic output.
    pub files: Vec<(PathBuf, FileKind)>,
    /// Paths that could not be walked; the rest is still checked, and the exit code is 2.
    pub errors: Vec<DiscoverError>,
}

/// Find configuration files under `paths`.
///
/// Each directory is walked on every core: a large configuration has thousands of directories,
/// and each costs a listing and a look for ignore files, so the sequential walk took longer than
/// parsing a core's share of the files.
pub fn discover(
    paths: &[PathBuf],
    excluded: &(dyn Fn(&Path) -> bool + Sync),
    cwd: &Path,
) -> Discovered {
    let found = Mutex::new(Discovered::default());
    for root in paths {
        let Ok(meta) = std::fs::metadata(root) else {
            let shown = crate::source::display_path(root, cwd);
            lock(&found).errors.push(DiscoverError::NotFound(shown));
            continue;
        };
        if meta.is_file() {
            // An explicitly named file is read even if its name is unusual (e.g. `main.tf.txt` is
            // not, but `vars.tfvars` given by hand is): default to HCL.
            let kind = FileKind::of(root).unwrap_or(FileKind::Hcl);
            lock(&found).files.push((root.clone(), kind));
            continue;
        }
        ignore::WalkBuilder::new(root)
            .hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                // Terraform's own cache, VCS data, and third-party code trees (scripts there are not
                // the project's automation, and they can be huge).
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && matches!(
                        name.as_ref(),
                        ".terraform" | ".git" | "node_modules" | ".venv" | "venv" | "__pycache__"
                    ))
            })
            .build_parallel()
            .visit(&mut Visitors {
                root,
                excluded,
                found: &found,
            });
    }
    let mut found = found.into_inner().unwrap_or_else(PoisonError::into_inner);
    found.files.sort();
    found.files.dedup();
    // The walk's threads report in any order.
    found.errors.sort_by_cached_key(|e| e.to_string());
    found
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Makes one [`Visitor`] per walking thread.
struct Visitors<'a> {
    root: &'a PathBuf,
    excluded: &'a (dyn Fn(&Path) -> bool + Sync),
    found: &'a Mutex<Discovered>,
}

impl<'s> ignore::ParallelVisitorBuilder<'s> for Visitors<'s> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 's> {
        Box::new(Visitor {
            root: self.root,
            excluded: self.excluded,
            found: self.found,
            mine: Discovered::default(),
        })
    }
}

/// One walking thread's findings, added to the shared ones when the thread is done.
struct Visitor<'a> {
    root: &'a PathBuf,
    excluded: &'a (dyn Fn(&Path) -> bool + Sync),
    found: &'a Mutex<Discovered>,
    mine: Discovered,
}

impl ignore::ParallelVisitor for Visitor<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> ignore::WalkState {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                // An unreadable directory is reported, not fatal for the rest of the walk.
                self.mine.errors.push(DiscoverError::Walk {
                    path: self.root.clone(),
                    message: err.to_string(),
                });
                return ignore::WalkState::Continue;
            }
        };
        if entry.file_type().is_some_and(|t| t.is_file()) {
            let path = entry.into_path();
            if let Some(kind) = FileKind::of(&path)
                && !(self.excluded)(&path)
            {
                self.mine.files.push((path, kind));
            }
        }
        ignore::WalkState::Continue
    }
}

impl Drop for Visitor<'_> {
    fn drop(&mut self) {
        let mut found = lock(self.found);
        found.files.append(&mut self.mine.files);
        found.errors.append(&mut self.mine.errors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_caches_and_third_party_trees() {
        let dir = tempfile::tempdir().expect("tempdir");
        for f in [
            "main.tf",
            "x.js",
            ".terraform/modules/m/main.tf",
            "node_modules/pkg/index.js",
            ".venv/lib/a.py",
            "nested/vars.auto.tfvars",
            "notes.txt",
        ] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, "").expect("write");
        }
        let found = discover(&[dir.path().to_path_buf()], &|_: &Path| false, dir.path());
        let mut names: Vec<String> = found
            .files
            .iter()
            .map(|(p, _)| {
                p.strip_prefix(dir.path())
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        names.sort();
        assert_eq!(names, vec!["main.tf", "nested/vars.auto.tfvars", "x.js"]);
    }
}
