//! Which files a configuration may make cxlint read.
//!
//! A configuration names files to read: a flow's `filepath`, `file()`, `templatefile()`,
//! `fileset()`. What cxlint reads can end up in its report (a parse error quotes the lines around
//! it, a finding quotes a value), and the report is often a public CI log. A pull request that
//! sets `filepath = "/proc/self/environ"` would otherwise print the runner's environment, its
//! secrets included. So files are read only inside the repositories being checked, and never
//! from the kernel's pseudo file systems.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

/// The directories a configuration's file reads are confined to.
#[derive(Debug, Default)]
pub struct Confine {
    /// Canonical paths: the Git work tree of each checked path (the path itself outside Git).
    roots: Vec<PathBuf>,
    /// Every module directory the run loaded, as the run names them: resolved only when a read
    /// falls outside `roots`. Nearly always they are inside, and resolving hundreds of them
    /// up front took milliseconds of every run.
    modules: Vec<PathBuf>,
    module_roots: OnceLock<Vec<PathBuf>>,
    /// Directories resolved so far, by the path asked for (`None`: not a directory). Hundreds of
    /// flow files sit in a few directories deep in the tree: resolving each whole path with
    /// `realpath` (an `lstat` per component) was a quarter of the flows' time at 10 MB of input.
    dirs: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
}

/// File systems whose "files" are the kernel's view of processes and devices, never a
/// configuration's: `/proc/self/environ` is the process's environment.
const PSEUDO: &[&str] = &["/proc", "/sys", "/dev"];

impl Confine {
    /// Confines reads to the repositories of `checked` (directories or files) and to the
    /// directories in `modules`.
    pub fn new<'a>(
        checked: impl IntoIterator<Item = &'a Path>,
        modules: impl IntoIterator<Item = &'a Path>,
    ) -> Self {
        let mut roots: Vec<PathBuf> = Vec::new();
        for p in checked {
            let Ok(p) = p.canonicalize() else { continue };
            let dir = if p.is_dir() {
                p
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or(p)
            };
            roots.push(work_tree(&dir).unwrap_or(dir));
        }
        roots.sort();
        roots.dedup();
        // A root inside another adds nothing.
        let mut kept: Vec<PathBuf> = Vec::with_capacity(roots.len());
        for r in roots {
            if !kept.iter().any(|k| r.starts_with(k)) {
                kept.push(r);
            }
        }
        Confine {
            roots: kept,
            modules: modules.into_iter().map(Path::to_path_buf).collect(),
            module_roots: OnceLock::new(),
            dirs: Mutex::default(),
        }
    }

    /// Whether `path` may be read: its real location (links followed) is inside a root and not
    /// on a pseudo file system. A path that does not resolve is not read either.
    pub fn allows(&self, path: &Path) -> bool {
        let Some(real) = self.real(path) else {
            return false;
        };
        if PSEUDO.iter().any(|p| real.starts_with(p)) {
            return false;
        }
        let inside = |roots: &[PathBuf]| roots.iter().any(|r| real.starts_with(r));
        inside(&self.roots)
            || inside(self.module_roots.get_or_init(|| {
                (self.modules.iter())
                    .filter_map(|m| match simple(m) {
                        true => self.real_dir(m),
                        false => m.canonicalize().ok(),
                    })
                    .collect()
            }))
    }

    /// Where `path` leads, links followed: its directory's real path (cached) and its name, or
    /// wherever the name itself links to.
    fn real(&self, path: &Path) -> Option<PathBuf> {
        let (Some(dir), Some(name), true) = (path.parent(), path.file_name(), simple(path)) else {
            return path.canonicalize().ok();
        };
        entry(self.real_dir(dir)?.join(name), false)
    }

    /// [`Self::real`] of a directory, each directory resolved once: its parent's real path and
    /// its name, unless the name is a link.
    fn real_dir(&self, dir: &Path) -> Option<PathBuf> {
        let cached = (self.dirs.lock().unwrap_or_else(PoisonError::into_inner))
            .get(dir)
            .cloned();
        if let Some(known) = cached {
            return known;
        }
        let real = match (dir.parent(), dir.file_name()) {
            (Some(parent), Some(name)) => {
                (self.real_dir(parent)).and_then(|p| entry(p.join(name), true))
            }
            // The root.
            _ => dir.canonicalize().ok(),
        };
        let mut dirs = self.dirs.lock().unwrap_or_else(PoisonError::into_inner);
        dirs.insert(dir.to_path_buf(), real.clone());
        real
    }

    /// Why a path [`Self::allows`] refuses is not read, for messages.
    pub fn refusal(path: &Path) -> String {
        format!(
            "`{}` is outside the repository checked: cxlint reads no file there (what it reads may be quoted in its report)",
            path.display()
        )
    }
}

/// Where `candidate` (a name in a directory already resolved) leads: itself, or what it links
/// to; `None` when it does not exist, or with `dir_only` is not a directory.
fn entry(candidate: PathBuf, dir_only: bool) -> Option<PathBuf> {
    match std::fs::symlink_metadata(&candidate) {
        Ok(m) if m.file_type().is_symlink() => candidate.canonicalize().ok(),
        Ok(m) if m.is_dir() || !dir_only => Some(candidate),
        _ => None,
    }
}

/// Whether `path` is absolute with no `.` or `..`: then its real path is its parent's and its
/// name, but for links (with `..`, the parent of a link is not the link's parent).
fn simple(path: &Path) -> bool {
    path.is_absolute()
        && !(path.components()).any(|c| matches!(c, Component::CurDir | Component::ParentDir))
}

/// The Git work tree `dir` is in: the nearest ancestor (or itself) holding `.git`.
fn work_tree(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stay_in_the_repository_and_off_pseudo_file_systems() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let repo = tmp.path().join("repo");
        let env = repo.join("envs/dev");
        std::fs::create_dir_all(&env).expect("mkdir");
        std::fs::create_dir_all(repo.join(".git")).expect("mkdir");
        std::fs::create_dir_all(repo.join("flows")).expect("mkdir");
        std::fs::write(repo.join("flows/x.yaml"), "").expect("write");
        std::fs::write(tmp.path().join("outside.txt"), "").expect("write");
        let c = Confine::new([env.as_path()], []);
        // The repository's files, from any of its directories.
        assert!(c.allows(&env.join("../../flows/x.yaml")));
        assert!(!c.allows(&tmp.path().join("outside.txt")));
        assert!(!c.allows(Path::new("/proc/self/environ")));
        assert!(!c.allows(&repo.join("missing.yaml")));
        // A link inside pointing outside is judged by where it leads.
        #[cfg(unix)]
        {
            let link = repo.join("flows/env");
            std::os::unix::fs::symlink("/proc/self/environ", &link).expect("symlink");
            assert!(!c.allows(&link));
            // A linked directory too, whether its directory was resolved before or not.
            assert!(c.allows(&repo.join("flows/x.yaml")));
            let out = repo.join("flows/out");
            std::os::unix::fs::symlink(tmp.path(), &out).expect("symlink");
            assert!(!c.allows(&out.join("outside.txt")));
            assert!(c.allows(&out.join("repo/flows/x.yaml")));
        }
        // Outside Git, the checked directory itself, and module directories loaded. A temporary
        // directory inside a work tree (a `TMPDIR` below a repository) is no place outside Git:
        // there its work tree is the root, and what lies outside `lone` is in it.
        let outside_git = work_tree(&tmp.path().canonicalize().expect("real")).is_none();
        let lone = tmp.path().join("lone");
        let module = tmp.path().join("module");
        std::fs::create_dir_all(&lone).expect("mkdir");
        std::fs::create_dir_all(&module).expect("mkdir");
        std::fs::write(module.join("t.tftpl"), "").expect("write");
        let c = Confine::new([lone.as_path()], [module.as_path()]);
        assert!(c.allows(&module.join("t.tftpl")));
        assert_eq!(c.allows(&tmp.path().join("outside.txt")), !outside_git);
    }
}
