//! Modules that `terraform init` installed.
//!
//! Registry and Git module sources are downloaded under the root module's `.terraform/modules/`,
//! and `.terraform/modules/modules.json` maps each module call, by its key (the module call
//! names from the root, joined with dots: `data_actions`, `data_actions.client`), to the
//! directory it was installed in. Where that file exists, cxlint reads those modules too, so a
//! chain that runs through one (Genesys's data-actions integration module creates the
//! integration, its credential and its OAuth client) can be followed. Where it does not (CI
//! before `terraform init`), such calls stay unknown. Discovery never walks `.terraform/`
//! itself: only the directories the manifest names are read.

use std::path::{Path, PathBuf};

use crate::discover::FileKind;
use crate::workspace::normalize;

/// The manifest is Terraform's; a larger one is not a manifest.
const MAX_MANIFEST_BYTES: u64 = 16 << 20;

/// One root module's installed modules.
#[derive(Debug, Clone, Default)]
pub struct Installed {
    /// The root module's directory (normalized).
    pub root: PathBuf,
    /// Module call key -> its directory (normalized). Local calls are listed too, with their own
    /// directories, so keys can be followed through them.
    pub modules: Vec<(String, PathBuf)>,
}

#[derive(serde::Deserialize)]
struct Manifest {
    #[serde(rename = "Modules", default)]
    modules: Vec<Entry>,
}

#[derive(serde::Deserialize)]
struct Entry {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Dir")]
    dir: String,
}

/// The installed modules of each of `dirs` that has a manifest. A manifest that cannot be read
/// is passed over: it is Terraform's cache, and without it the calls are merely unknown.
pub fn find<'a>(dirs: impl IntoIterator<Item = &'a Path>) -> Vec<Installed> {
    let mut out = Vec::new();
    for dir in dirs {
        let path = dir.join(".terraform/modules/modules.json");
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if !meta.is_file() || meta.len() > MAX_MANIFEST_BYTES {
            continue;
        }
        let Some(manifest) = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
        else {
            continue;
        };
        let root = normalize(dir);
        let modules = (manifest.modules.into_iter())
            .filter(|e| !e.key.is_empty())
            .map(|e| (e.key, normalize(&root.join(e.dir))))
            .collect();
        out.push(Installed { root, modules });
    }
    out
}

/// The configuration files of the modules installed under `.terraform/` (local modules are
/// found by the walk), each directory on its own: a module is one directory.
pub fn files(installed: &[Installed]) -> Vec<(PathBuf, FileKind)> {
    let mut out = Vec::new();
    for inst in installed {
        let cache = inst.root.join(".terraform");
        for (_, dir) in inst.modules.iter().filter(|(_, d)| d.starts_with(&cache)) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let kind = FileKind::of(&path);
                let is_file = entry.file_type().is_ok_and(|t| t.is_file());
                if is_file && matches!(kind, Some(FileKind::Hcl | FileKind::TfJson)) {
                    out.push((path, kind.unwrap_or(FileKind::Hcl)));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The directory of the module that the call `name` in the module at `caller` was installed
/// in, by the manifest of a root module that reaches `caller`.
pub fn resolve<'a>(installed: &'a [Installed], caller: &Path, name: &str) -> Option<&'a Path> {
    installed.iter().find_map(|inst| {
        let key = if caller == inst.root {
            name.to_owned()
        } else {
            let (caller_key, _) = inst.modules.iter().find(|(_, d)| d == caller)?;
            format!("{caller_key}.{name}")
        };
        (inst.modules.iter())
            .find(|(k, _)| *k == key)
            .map(|(_, d)| d.as_path())
    })
}

/// Whether `path` is inside a `.terraform` directory: installed code, which the user does not
/// edit (findings there are not reported; they show at the user's own end of a reference).
pub fn is_installed_path(path: &Path) -> bool {
    path.components()
        .any(|c| c.as_os_str() == std::ffi::OsStr::new(".terraform"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn manifest_keys_lead_to_installed_directories() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = normalize(tmp.path());
        write(
            &root.join(".terraform/modules/modules.json"),
            r#"{"Modules":[
                {"Key":"","Source":"","Dir":"."},
                {"Key":"local","Source":"./modules/local","Dir":"modules/local"},
                {"Key":"local.remote","Source":"git::https://example.com/m.git","Dir":".terraform/modules/local.remote"},
                {"Key":"da","Source":"registry.terraform.io/acme/da/genesyscloud","Version":"1.0.0","Dir":".terraform/modules/da/sub"}
            ]}"#,
        );
        write(&root.join(".terraform/modules/da/sub/main.tf"), "");
        write(&root.join(".terraform/modules/da/sub/vars.tf.json"), "{}");
        write(&root.join(".terraform/modules/da/sub/README.md"), "");
        write(&root.join(".terraform/modules/da/sub/nested/x.tf"), "");
        write(&root.join(".terraform/modules/local.remote/main.tf"), "");
        write(&root.join("modules/local/main.tf"), "");

        let installed = find([root.as_path(), root.join("modules/local").as_path()]);
        assert_eq!(installed.len(), 1, "only the root has a manifest");
        let names: Vec<String> = files(&installed)
            .iter()
            .map(|(p, _)| {
                p.strip_prefix(&root)
                    .expect("under root")
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(
            names,
            [
                ".terraform/modules/da/sub/main.tf",
                ".terraform/modules/da/sub/vars.tf.json",
                ".terraform/modules/local.remote/main.tf",
            ],
            "installed directories only, not recursively, not the local module"
        );
        assert_eq!(
            resolve(&installed, &root, "da"),
            Some(root.join(".terraform/modules/da/sub").as_path())
        );
        // Through a local module, by the key of its call.
        assert_eq!(
            resolve(&installed, &root.join("modules/local"), "remote"),
            Some(root.join(".terraform/modules/local.remote").as_path())
        );
        assert_eq!(resolve(&installed, &root, "remote"), None);
        assert_eq!(resolve(&installed, &root.join("elsewhere"), "da"), None);
    }

    #[test]
    fn a_broken_manifest_is_passed_over() {
        let tmp = tempfile::tempdir().expect("tempdir");
        write(
            &tmp.path().join(".terraform/modules/modules.json"),
            "{not json",
        );
        assert!(find([tmp.path()]).is_empty());
    }

    #[test]
    fn installed_paths_are_told() {
        assert!(is_installed_path(Path::new(
            "envs/dev/.terraform/modules/da/main.tf"
        )));
        assert!(!is_installed_path(Path::new("envs/dev/terraform/main.tf")));
        assert!(!is_installed_path(Path::new("x.terraform/main.tf")));
    }
}
