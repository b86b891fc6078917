//! Finding the input files.
//!
//! `cxlint check [PATHS]` walks each directory (gitignore-aware, skipping `.terraform/` and `.git/`)
//! for Terraform configuration (`*.tf`, `*.tf.json`) and the variable files Terraform reads by itself
//! (`terraform.tfvars[.json]`, `*.auto.tfvars[.json]`), and the other `*.tfvars[.json]`, which
//! Terraform reads only when given with `-var-file`: committed files, scanned for secrets. A file
//! named explicitly is taken as it is.
//! Modules that `terraform init` installed under `.terraform/` are added from its manifest
//! (`crate::installed`), not by walking it.

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
    /// Any other `*.tfvars` (`lab.tfvars`): Terraform reads it only with `-var-file`, so its values
    /// are not applied, but it is committed with the configuration and scanned for secrets.
    OtherTfvars,
    /// Any other `*.tfvars.json`, likewise.
    OtherTfvarsJson,
    /// An automation script beside the configuration (`*.js`, `*.ts`, `*.py`, `*.sh`): scanned for
    /// Platform API calls, not parsed as Terraform.
    Script,
}

impl FileKind {
    /// The kind of a configuration file by its name; `None` for files cxlint does not read.
    pub fn of(path: &Path) -> Option<FileKind> {
        // Lossily: a name that is not UTF-8 (`b\xff.tf`) is still a configuration file, as
        // Terraform reads it; it was skipped without a word.
        let name = path.file_name()?.to_string_lossy();
        let name = &*name;
        if name.ends_with(".tf.json") {
            Some(FileKind::TfJson)
        } else if name.ends_with(".tf") {
            Some(FileKind::Hcl)
        } else if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") {
            Some(FileKind::Tfvars)
        } else if name == "terraform.tfvars.json" || name.ends_with(".auto.tfvars.json") {
            Some(FileKind::TfvarsJson)
        } else if name.ends_with(".tfvars") {
            Some(FileKind::OtherTfvars)
        } else if name.ends_with(".tfvars.json") {
            Some(FileKind::OtherTfvarsJson)
        } else if crate::load::scripts::is_script(name) {
            Some(FileKind::Script)
        } else {
            None
        }
    }

    /// A variable file Terraform reads only with `-var-file`: scanned, never applied.
    pub fn is_unapplied_tfvars(self) -> bool {
        matches!(self, FileKind::OtherTfvars | FileKind::OtherTfvarsJson)
    }

    /// A variable file, whether Terraform loads it by itself or not.
    pub fn is_tfvars(self) -> bool {
        matches!(
            self,
            FileKind::Tfvars
                | FileKind::TfvarsJson
                | FileKind::OtherTfvars
                | FileKind::OtherTfvarsJson
        )
    }
}

/// Why discovery failed for a path.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("`{0}`: no such file or directory")]
    NotFound(PathBuf),
    #[error("`{path}`: {message}")]
    Walk { path: PathBuf, message: String },
    #[error("`{path}`: a symbolic link to `{}`, which cannot be read: {message}", target.display())]
    BrokenLink {
        path: PathBuf,
        target: PathBuf,
        message: String,
    },
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Files to load, sorted for deterministic output.
    pub files: Vec<(PathBuf, FileKind)>,
    /// Paths that could not be walked; the rest is still checked, and the exit code is 2.
    pub errors: Vec<DiscoverError>,
    /// Files named on the command line that are not Terraform's (see [`not_terraform`]), as
    /// named there, with why: skipped, and said so.
    pub skipped: Vec<(PathBuf, &'static str)>,
}

/// A path to check: where it is, and how the user wrote it. Messages about the path itself
/// (it does not exist, it cannot be walked) name it as written, `/x` or `../x`, not from the
/// working directory: the user finds what they typed.
#[derive(Debug, Clone)]
pub struct Root {
    /// Absolute when the working directory is; a relative one is normalised against it.
    pub path: PathBuf,
    /// As written.
    pub given: PathBuf,
}

impl Root {
    /// `given`, written by the user, resolved against `cwd`.
    pub fn new(given: &Path, cwd: &Path) -> Root {
        let path = match given.is_absolute() {
            true => given.to_path_buf(),
            false => crate::workspace::normalize(&cwd.join(given)),
        };
        Root {
            path,
            given: given.to_path_buf(),
        }
    }
}

/// Why a file named on the command line is skipped: one cxlint knows is not Terraform's by its
/// name. Tools that lint changed files (pre-commit, lint-staged, reviewdog) pass every changed
/// file, a flow's YAML among them; parsed as HCL, valid YAML failed the run. Other unusual names
/// (`main.tf.txt`) are still read as HCL.
pub fn not_terraform(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let ext = name.rsplit_once('.')?.1;
    match ext {
        "yaml" | "yml" => Some(
            "a flow's YAML is checked through the `genesyscloud_flow` whose `filepath` names it",
        ),
        "tfstate" | "json" => Some("org state is given with `--state`"),
        _ => None,
    }
}

/// Find configuration files under `paths`.
///
/// A directory is first walked on this thread, up to [`SEQUENTIAL_ENTRIES`] entries: most
/// configurations are that small, and the parallel walk's threads cost more than walking them
/// (measured: 22 files 1.1-1.7 ms instead of 2.4-3.1, 350 files in 60 directories 2.6-3.5 ms
/// instead of 3.6-7). A larger tree is walked again on every core: it has thousands of
/// directories, each a listing and a look for ignore files, and the sequential walk took longer
/// than parsing a core's share of the files (10 MB: 14 ms instead of 9.5-13).
pub fn discover(
    roots: &[Root],
    excluded: &(dyn Fn(&Path) -> bool + Sync),
    cwd: &Path,
) -> Discovered {
    discover_with(roots, excluded, cwd, SEQUENTIAL_ENTRIES)
}

/// How many entries (files and directories) a walk on one thread visits before it gives up for
/// the parallel walk. What a tree that large wastes (about 2 ms) is under 1% of checking it.
const SEQUENTIAL_ENTRIES: usize = 512;

/// [`discover`], with the sequential walk's budget as a parameter (tests).
fn discover_with(
    roots: &[Root],
    excluded: &(dyn Fn(&Path) -> bool + Sync),
    cwd: &Path,
    sequential_entries: usize,
) -> Discovered {
    let found = Mutex::new(Discovered::default());
    for Root { path: root, given } in roots {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(e) => {
                lock(&found).errors.push(unreadable(root, given, &e));
                continue;
            }
        };
        if meta.is_file() {
            // An explicitly named file is read even if its name is unusual (`main.tf.txt`):
            // default to HCL.
            let kind = match (FileKind::of(root), not_terraform(root)) {
                (Some(kind), _) => kind,
                (None, Some(why)) => {
                    lock(&found).skipped.push((given.clone(), why));
                    continue;
                }
                (None, None) => FileKind::Hcl,
            };
            lock(&found).files.push((root.clone(), kind));
            continue;
        }
        let walker = walker(root);
        let mut visitor = Visitor {
            given,
            cwd,
            excluded,
            found: &found,
            mine: Discovered::default(),
        };
        let walked = (walker.build().take(sequential_entries + 1))
            .map(|e| ignore::ParallelVisitor::visit(&mut visitor, e))
            .count();
        if walked <= sequential_entries {
            continue; // the visitor adds what it found as it is dropped
        }
        // Too large for one thread: what it found is dropped, and the walk starts again.
        visitor.mine = Discovered::default();
        walker.build_parallel().visit(&mut Visitors {
            given,
            cwd,
            excluded,
            found: &found,
        });
    }
    let mut found = found.into_inner().unwrap_or_else(PoisonError::into_inner);
    sort_files(&mut found.files);
    // The walk's threads report in any order.
    found.errors.sort_by_cached_key(|e| e.to_string());
    found
}

/// Sort files by path (as `Path`'s own order: component by component), then kind, without
/// duplicates.
pub fn sort_files(files: &mut Vec<(PathBuf, FileKind)>) {
    // `Path::cmp` splits both paths into components at every comparison: sorting 14,000 files
    // took 17 ms. Their keys are made once.
    files.sort_by_cached_key(|(p, k)| (path_order_key(p), *k));
    files.dedup();
}

/// A byte string that sorts as `path` does among paths (`Path::cmp`, which compares
/// components): each component is a tag in `Component`'s own order, then, for a name, its
/// bytes and a 0 (which no name holds, and which sorts before every byte that could follow
/// where the names part).
pub fn path_order_key(path: &Path) -> Vec<u8> {
    use std::path::Component;
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for c in path.components() {
        match c {
            Component::Prefix(p) => {
                key.push(0);
                key.extend_from_slice(p.as_os_str().as_encoded_bytes());
                key.push(0);
            }
            Component::RootDir => key.push(1),
            Component::CurDir => key.push(2),
            Component::ParentDir => key.push(3),
            Component::Normal(name) => {
                key.push(4);
                key.extend_from_slice(name.as_encoded_bytes());
                key.push(0);
            }
        }
    }
    key
}

/// The walk of one directory: gitignore-aware, without hidden files, caches and VCS data.
fn walker(root: &Path) -> ignore::WalkBuilder {
    let mut b = ignore::WalkBuilder::new(root);
    b.hidden(true)
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
        });
    b
}

/// Why `path`, which `std::fs::metadata` failed on with `e`, cannot be read: it does not exist,
/// or it is a link whose target cannot be read (dangling, or one of a loop). `shown` is how
/// the message names it.
fn unreadable(path: &Path, shown: &Path, e: &std::io::Error) -> DiscoverError {
    let shown = shown.to_path_buf();
    match std::fs::read_link(path) {
        Ok(target) => DiscoverError::BrokenLink {
            path: shown,
            target,
            message: e.to_string(),
        },
        Err(_) => DiscoverError::NotFound(shown),
    }
}

/// Whether Terraform fails on a dangling link of this kind found in a directory. It reads every
/// `*.tf`, `*.tf.json` and `*.auto.tfvars(.json)` listed there, but looks for
/// `terraform.tfvars(.json)` with a `stat` that a dangling link fails, and goes on without it;
/// other variable files and scripts it never reads.
fn terraform_reads_when_dangling(path: &Path, kind: FileKind) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    match kind {
        FileKind::Hcl | FileKind::TfJson => true,
        FileKind::Tfvars | FileKind::TfvarsJson => {
            !matches!(name, "terraform.tfvars" | "terraform.tfvars.json")
        }
        FileKind::OtherTfvars | FileKind::OtherTfvarsJson | FileKind::Script => false,
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Makes one [`Visitor`] per walking thread.
struct Visitors<'a> {
    /// The root walked, as the user wrote it.
    given: &'a Path,
    cwd: &'a Path,
    excluded: &'a (dyn Fn(&Path) -> bool + Sync),
    found: &'a Mutex<Discovered>,
}

impl<'s> ignore::ParallelVisitorBuilder<'s> for Visitors<'s> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 's> {
        Box::new(Visitor {
            given: self.given,
            cwd: self.cwd,
            excluded: self.excluded,
            found: self.found,
            mine: Discovered::default(),
        })
    }
}

/// One walking thread's findings, added to the shared ones when the thread is done.
struct Visitor<'a> {
    /// The root walked, as the user wrote it.
    given: &'a Path,
    cwd: &'a Path,
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
                    path: self.given.to_path_buf(),
                    message: err.to_string(),
                });
                return ignore::WalkState::Continue;
            }
        };
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        if !is_file && !entry.path_is_symlink() {
            return ignore::WalkState::Continue;
        }
        let path = entry.into_path();
        let Some(kind) = FileKind::of(&path).filter(|_| !(self.excluded)(&path)) else {
            return ignore::WalkState::Continue;
        };
        if is_file {
            self.mine.files.push((path, kind));
            return ignore::WalkState::Continue;
        }
        // A link (the walk does not follow them, so that a link to a directory above cannot
        // loop): Terraform reads a `*.tf` link as the file it points to, and fails on one that
        // points nowhere, so a dangling one is an unreadable input, as when it is named.
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => self.mine.files.push((path, kind)),
            Ok(_) => {}
            Err(_) if !terraform_reads_when_dangling(&path, kind) => {}
            Err(e) => {
                // Found in the walk: named as the files it finds are, from the working directory.
                let shown = crate::source::display_path(&path, self.cwd);
                self.mine.errors.push(unreadable(&path, &shown, &e));
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

    /// Sorting by [`path_order_key`] is sorting paths.
    #[test]
    fn path_order_key_orders_as_paths_do() {
        let paths = [
            "/a", "/a/b", "/a.b", "/a/b.tf", "/a-b/c", "/a/b/c", "/ab", "/", "a", "a/b", "./a",
            "../a", "..", ".", "a//b", "a/./b", "/a/", "/A", "/a b", "/é", "/z", "/a/.b",
        ];
        for x in paths {
            for y in paths {
                let (px, py) = (std::path::Path::new(x), std::path::Path::new(y));
                assert_eq!(
                    path_order_key(px).cmp(&path_order_key(py)),
                    px.cmp(py),
                    "{x:?} against {y:?}"
                );
            }
        }
    }

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
            "env/lab.tfvars",
            "env/prod.tfvars.json",
            "notes.txt",
        ] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, "").expect("write");
        }
        // On one thread (the tree is small), in parallel (no budget), and given up part way.
        for budget in [SEQUENTIAL_ENTRIES, 0, 3] {
            let found = discover_with(
                &[Root::new(dir.path(), dir.path())],
                &|_: &Path| false,
                dir.path(),
                budget,
            );
            assert_eq!(
                names(&found, dir.path()),
                vec![
                    "env/lab.tfvars",
                    "env/prod.tfvars.json",
                    "main.tf",
                    "nested/vars.auto.tfvars",
                    "x.js"
                ],
                "budget {budget}"
            );
            let kinds: Vec<FileKind> = found.files.iter().map(|(_, k)| *k).collect();
            assert_eq!(
                kinds,
                [
                    FileKind::OtherTfvars,
                    FileKind::OtherTfvarsJson,
                    FileKind::Hcl,
                    FileKind::Tfvars,
                    FileKind::Script
                ]
            );
        }
    }

    fn names(found: &Discovered, root: &Path) -> Vec<String> {
        let names: Vec<String> = (found.files.iter())
            .map(|(p, _)| {
                let rel = p.strip_prefix(root).expect("inside");
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        assert!(names.is_sorted(), "{names:?}");
        names
    }

    /// The walk on one thread and the parallel walk find the same files, gitignore and
    /// exclusions applied, whichever finishes the job.
    #[test]
    fn both_walks_agree() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut expected = Vec::new();
        for d in 0..12 {
            for f in 0..6 {
                let rel = format!("m{d:02}/sub/f{f}.tf");
                let p = dir.path().join(&rel);
                std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
                std::fs::write(p, "").expect("write");
                if d != 3 && !(d == 7 && f == 2) {
                    expected.push(rel);
                }
            }
        }
        std::fs::write(dir.path().join(".gitignore"), "m03/\n").expect("write");
        let excluded = |p: &Path| p.ends_with("m07/sub/f2.tf");
        expected.sort();
        for budget in [SEQUENTIAL_ENTRIES, 0, 1, 40] {
            let found = discover_with(
                &[Root::new(dir.path(), dir.path())],
                &excluded,
                dir.path(),
                budget,
            );
            assert_eq!(names(&found, dir.path()), expected, "budget {budget}");
            assert!(found.errors.is_empty(), "budget {budget}");
        }
    }
}
