//! Which files a configuration may make cxlint read.
//!
//! A configuration names files to read: a flow's `filepath`, `file()`, `templatefile()`,
//! `fileset()`. What cxlint reads can end up in its report (a parse error quotes the lines around
//! it, a finding quotes a value), and the report is often a public CI log. A pull request that
//! sets `filepath = "/proc/self/environ"` would otherwise print the runner's environment, its
//! secrets included. So files are read only inside the repositories being checked, and never
//! from the kernel's pseudo file systems.

use std::path::{Path, PathBuf};

/// The directories a configuration's file reads are confined to.
#[derive(Debug, Default, Clone)]
pub struct Confine {
    /// Canonical paths: the Git work tree of each checked path (the path itself outside Git),
    /// and every module directory the run loaded.
    roots: Vec<PathBuf>,
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
        roots.extend(modules.into_iter().filter_map(|m| m.canonicalize().ok()));
        roots.sort();
        roots.dedup();
        // A root inside another adds nothing.
        let mut kept: Vec<PathBuf> = Vec::with_capacity(roots.len());
        for r in roots {
            if !kept.iter().any(|k| r.starts_with(k)) {
                kept.push(r);
            }
        }
        Confine { roots: kept }
    }

    /// Whether `path` may be read: its real location (links followed) is inside a root and not
    /// on a pseudo file system. A path that does not resolve is not read either.
    pub fn allows(&self, path: &Path) -> bool {
        let Ok(real) = path.canonicalize() else {
            return false;
        };
        !PSEUDO.iter().any(|p| real.starts_with(p))
            && self.roots.iter().any(|r| real.starts_with(r))
    }

    /// Why a path [`Self::allows`] refuses is not read, for messages.
    pub fn refusal(path: &Path) -> String {
        format!(
            "`{}` is outside the repository checked: cxlint reads no file there (what it reads may be quoted in its report)",
            path.display()
        )
    }
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
        }
        // Outside Git, the checked directory itself, and module directories loaded.
        let lone = tmp.path().join("lone");
        let module = tmp.path().join("module");
        std::fs::create_dir_all(&lone).expect("mkdir");
        std::fs::create_dir_all(&module).expect("mkdir");
        std::fs::write(module.join("t.tftpl"), "").expect("write");
        let c = Confine::new([lone.as_path()], [module.as_path()]);
        assert!(c.allows(&module.join("t.tftpl")));
        assert!(!c.allows(&tmp.path().join("outside.txt")));
    }
}
