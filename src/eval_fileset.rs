//! Terraform's `fileset(path, pattern)`, evaluated against the files on disk as Terraform does
//! at plan time: flows and data actions are often declared once per file
//! (`for_each = fileset("${path.module}/flows", "*.yaml")`), and without it none of those
//! instances would be checked.
//!
//! Terraform joins `path` to the root module's directory when it is relative, globs `pattern`
//! below it (`*` and `?` stay within one path component, `**` crosses any number, `[...]` and
//! `{a,b}` as usual), keeps the regular files (a symbolic link counts as what it points to) and
//! gives their paths relative to `path`, with `/` separators, as a set of strings (iterated in
//! lexical order). A directory that does not exist gives the empty set.
//!
//! The walk is bounded: each entry read is a step of the evaluation's budget
//! (`crate::eval_budget`), `**` descends at most [`MAX_DEPTH`] directories and never through a
//! symbolic link (a link to an ancestor would loop), and a pattern without `**` descends no
//! deeper than its own components.

use std::path::Path;

use crate::eval::{to_template_string, unknown_reason};
use crate::eval_budget as budget;
use crate::source::Span;
use crate::value::Val;

/// How deep `**` descends below `path`: far beyond a repository's layout of flow files.
pub const MAX_DEPTH: usize = 32;

/// The steps of the evaluation's budget one directory entry costs: reading it (a system call
/// and a match) weighs more than an expression step. With the frame's budget this bounds one
/// call at 100,000 entries.
const STEPS_PER_ENTRY: u64 = 10;

/// `fileset(path, pattern)` in the module instance whose root module is in `root`.
pub fn fileset(root: &Path, args: &[Val], span: Span) -> Val {
    if let Some(u) = args.iter().find(|a| a.is_unknown()) {
        return Val::unknown(unknown_reason(u, "function argument is not known"));
    }
    let [path, pattern] = args else {
        return Val::unknown("`fileset` takes a path and a pattern");
    };
    let (Some(path), Some(pattern)) = (to_template_string(path), to_template_string(pattern))
    else {
        return Val::unknown("`fileset` arguments are not strings");
    };
    let Some(components) = clean(&pattern) else {
        return Val::unknown("`fileset` patterns that leave their directory are not evaluated");
    };
    let glob = globset::GlobBuilder::new(&components.join("/"))
        .literal_separator(true)
        .backslash_escape(true)
        .build();
    let matcher = match glob {
        Ok(glob) => glob.compile_matcher(),
        Err(e) => return Val::unknown(format!("`fileset` pattern is not valid: {}", e.kind())),
    };
    let depth = match components.iter().any(|c| c.contains("**")) {
        true => MAX_DEPTH,
        false => components.len(),
    };
    let mut found = Vec::new();
    let walk = Walk {
        matcher: &matcher,
        max_depth: depth,
    };
    if let Err(unknown) = walk.dir(&root.join(&path), "", 1, &mut found) {
        return unknown;
    }
    found.sort_unstable();
    found.dedup();
    Val::list_of(
        found.into_iter().map(|f| Val::string(f, Some(span))),
        Some(span),
    )
}

/// The pattern's path components, as Terraform's join cleans them (`./a//b` is `a/b`); `None`
/// when one is `..`.
fn clean(pattern: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = (pattern.split('/'))
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    (!parts.contains(&"..")).then_some(parts)
}

struct Walk<'a> {
    matcher: &'a globset::GlobMatcher,
    max_depth: usize,
}

impl Walk<'_> {
    /// Adds the matching regular files in `dir` (and below, to the depth allowed), whose path
    /// relative to the walk's start is `rel` (empty at the start).
    fn dir(&self, dir: &Path, rel: &str, depth: usize, out: &mut Vec<String>) -> Result<(), Val> {
        // What cannot be read (no such directory, no permission) holds no files, as for
        // Terraform's glob.
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            budget::spend(STEPS_PER_ENTRY)?;
            // A name that is not UTF-8 cannot be a Terraform string.
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let path = match rel {
                "" => name,
                _ => format!("{rel}/{name}"),
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if depth < self.max_depth {
                    self.dir(&entry.path(), &path, depth + 1, out)?;
                }
                continue;
            }
            let regular = kind.is_file()
                || (kind.is_symlink()
                    && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()));
            if regular && self.matcher.is_match(&path) {
                budget::check_len(path.len())?;
                out.push(path);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn files(root: &Path, rel: &[&str]) {
        for r in rel {
            let p = root.join(r);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
    }

    fn call(root: &Path, path: &str, pattern: &str) -> Result<Vec<String>, String> {
        let span = Span::new(FileId(0), 0..0);
        let args = [Val::string(path, None), Val::string(pattern, None)];
        let (v, _) = budget::fresh(&budget::Run::default(), || fileset(root, &args, span));
        match v.as_list() {
            Some(items) => Ok(items
                .iter()
                .map(|i| i.as_str().unwrap().to_owned())
                .collect()),
            None => Err(unknown_reason(&v, "")),
        }
    }

    #[test]
    fn matches_as_terraform_globs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        files(
            root,
            &[
                "flows/b.yaml",
                "flows/a.yaml",
                "flows/notes.txt",
                "flows/inbound/c.yaml",
                "flows/inbound/deep/d.yaml",
                "flows/.hidden.yaml",
            ],
        );
        std::fs::create_dir_all(root.join("flows/dir.yaml")).unwrap();
        // `*` stays in one component, in lexical order, directories left out.
        assert_eq!(
            call(root, "flows", "*.yaml").unwrap(),
            [".hidden.yaml", "a.yaml", "b.yaml"]
        );
        // Relative to `path`, which is relative to the root module; `./` and `//` cleaned.
        assert_eq!(
            call(root, ".", "./flows//?.yaml").unwrap(),
            ["flows/a.yaml", "flows/b.yaml"]
        );
        // `**` crosses directories, none included.
        assert_eq!(
            call(root, "flows", "**/*.yaml").unwrap(),
            [
                ".hidden.yaml",
                "a.yaml",
                "b.yaml",
                "inbound/c.yaml",
                "inbound/deep/d.yaml"
            ]
        );
        assert_eq!(
            call(root, "flows", "{a,inbound/c}.yaml").unwrap(),
            ["a.yaml", "inbound/c.yaml"]
        );
        // An absolute path is used as it is.
        let abs = root.join("flows/inbound").to_string_lossy().into_owned();
        assert_eq!(call(Path::new("/"), &abs, "*").unwrap(), ["c.yaml"]);
        // Nothing there: the empty set, as in Terraform.
        assert_eq!(
            call(root, "missing", "*.yaml").unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn gives_up_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        files(root, &["a/x.yaml"]);
        let err = call(root, "a", "../a/*.yaml").unwrap_err();
        assert!(err.contains("leave their directory"), "{err}");
        let err = call(root, "a", "[z-a").unwrap_err();
        assert!(err.contains("not valid"), "{err}");
        let span = Span::new(FileId(0), 0..0);
        let v = fileset(root, &[Val::string("a", None)], span);
        assert!(unknown_reason(&v, "").contains("a path and a pattern"));
        let v = fileset(
            root,
            &[
                Val::unknown("`var.dir` has no value"),
                Val::string("*", None),
            ],
            span,
        );
        assert_eq!(unknown_reason(&v, ""), "`var.dir` has no value");
    }

    /// A directory linked to its own parent is not followed, and a walk stops at the
    /// evaluation's budget instead of reading on.
    #[cfg(unix)]
    #[test]
    fn bounded_walk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        files(root, &["a/x.yaml", "a/b/y.yaml"]);
        std::os::unix::fs::symlink(root.join("a"), root.join("a/b/loop")).unwrap();
        std::os::unix::fs::symlink(root.join("a/x.yaml"), root.join("a/b/link.yaml")).unwrap();
        assert_eq!(
            call(root, "a", "**/*.yaml").unwrap(),
            ["b/link.yaml", "b/y.yaml", "x.yaml"]
        );
        // A frame with little budget left stops reading.
        files(root, &["many/1.yaml", "many/2.yaml", "many/3.yaml"]);
        let span = Span::new(FileId(0), 0..0);
        let args = [Val::string("many", None), Val::string("*", None)];
        let (v, _) = budget::fresh(&budget::Run::default(), || {
            budget::spend(budget::MAX_STEPS - 2 * STEPS_PER_ENTRY).unwrap();
            fileset(root, &args, span)
        });
        let err = unknown_reason(&v, "");
        assert!(err.contains("steps to evaluate"), "{err}");
    }
}
