//! What kind of org-state input a file or `--state` path is, from content, never from names.
//!
//! [`detect`] scans only the top-level keys of a JSON document (skipping nested values without
//! building them, and stopping as soon as the kind is certain), or sniffs HCL block headers. It is
//! lenient on purpose: a truncated or corrupt state file is still recognised from the keys before
//! the damage, so that its loader reports a located `parse-error` instead of "not a state".
//!
//! [`classify_state_path`] expands a `--state` path: a file is one input; a directory is read as
//! a `genesyscloud_tf_export` output.
//!
//! **Merging an export directory.** An export holds the same org twice: as configuration
//! (`genesyscloud.tf[.json]`, no ids) and as `terraform.tfstate` (ids, and attributes the
//! configuration leaves out). The caller must read them as one org: match configuration resources
//! to state resources by address first (the exporter uses the same labels in both), then dedupe
//! the remaining state inputs by [`dedup_key`]; never count a resource once per file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::load::{Mode, StateKind, StateResource};

/// What a file found under a `--state` path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StateKindGuess {
    /// An org-state input of this kind. [`StateKind::Export`] is configuration written by
    /// `genesyscloud_tf_export` (`.tf`, `.tf.json`), read by the configuration loaders.
    Kind(StateKind),
    /// An export's `terraform.tfvars` (values the exporter could not write into the config).
    Tfvars,
    /// An export's `architect_flows/*.yaml` flow definition.
    FlowYaml,
}

/// How much of a file [`classify_state_path`] reads to detect its kind: the top-level keys that
/// decide it come first in every format, and a prefix is read leniently like a truncated file.
const SNIFF_BYTES: u64 = 1 << 20;

/// The kind of org-state input `text` is, or `None` when it is none of them.
///
/// - `"format": "cxlint-snapshot"` -> [`StateKind::Snapshot`]
/// - `"format_version"` with `planned_values`, `resource_changes`, `prior_state` or `values`
///   (`terraform show -json`) -> [`StateKind::Plan`]
/// - `"version": 4` (or later, which the loader rejects clearly) with `resources` ->
///   [`StateKind::TfstateV4`]; `"version": 3` with `modules` -> [`StateKind::TfstateV3`]
/// - Terraform JSON configuration (top-level `resource`, `data`, `provider`, `terraform`, ...)
///   or HCL with Terraform block headers -> [`StateKind::Export`]
pub fn detect(text: &str) -> Option<StateKind> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let keys = scan_top_level(trimmed);
        return keys.decide();
    }
    if looks_like_hcl(text) {
        return Some(StateKind::Export);
    }
    None
}

/// Expand a `--state` path into the inputs it holds.
///
/// A file is one input of its detected kind; a file of no kind is an error ("not a state, plan,
/// snapshot or export"). A directory is read as a `genesyscloud_tf_export` output: its `.tf` and
/// `.tf.json` files (the combined `genesyscloud.tf[.json]` or the split per-type files, with
/// `provider.tf` and `variables.tf`), `*.tfvars`, `architect_flows/*.yaml`, and any other file
/// whose content is a state, plan or snapshot (`terraform.tfstate`). A `*.tfstate` whose content
/// is not recognisable (corrupt from the first byte) is still listed, as
/// [`StateKind::TfstateV4`], so its loader reports where it is broken. Backups
/// (`*.backup`) and hidden entries are skipped: a backup is an older copy of the same org.
/// Results are sorted by path.
pub fn classify_state_path(path: &Path) -> io::Result<Vec<(PathBuf, StateKindGuess)>> {
    let meta = fs::metadata(path)?;
    if !meta.is_dir() {
        return match detect(&read_prefix(path)?) {
            Some(kind) => Ok(vec![(path.to_path_buf(), StateKindGuess::Kind(kind))]),
            None => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{}: not a state, plan, snapshot or export", path.display()),
            )),
        };
    }
    let mut found = Vec::new();
    for entry in sorted_entries(path)? {
        let name = entry
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if name.starts_with('.') || name.ends_with(".backup") {
            continue;
        }
        if entry.is_dir() {
            if name == "architect_flows" {
                for flow in sorted_entries(&entry)? {
                    let fname = flow
                        .file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default();
                    if flow.is_file() && (fname.ends_with(".yaml") || fname.ends_with(".yml")) {
                        found.push((flow, StateKindGuess::FlowYaml));
                    }
                }
            }
            continue;
        }
        let guess = if name.ends_with(".tf") || name.ends_with(".tf.json") {
            Some(StateKindGuess::Kind(StateKind::Export))
        } else if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
            Some(StateKindGuess::Tfvars)
        } else {
            match detect(&read_prefix(&entry)?) {
                // Configuration is only what the export names as such; another JSON or HCL file
                // beside it (a CI script's output) is not part of the org.
                Some(StateKind::Export) => None,
                Some(kind) => Some(StateKindGuess::Kind(kind)),
                None if name.ends_with(".tfstate") => {
                    Some(StateKindGuess::Kind(StateKind::TfstateV4))
                }
                None => None,
            }
        };
        if let Some(guess) = guess {
            found.push((entry, guess));
        }
    }
    if found.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}: no genesyscloud_tf_export output, state, plan or snapshot in this directory",
                path.display()
            ),
        ));
    }
    Ok(found)
}

/// The key under which one org object is counted once across state inputs: its type and Genesys
/// id, or its address when no id is recorded (a plan's resource to be created).
///
/// A data source and a managed resource with the same id are the same org object, so the mode is
/// not part of the key. Export configuration has no ids: match it to its state by address first.
pub fn dedup_key(resource: &StateResource) -> (String, String) {
    let id = resource.id.as_deref().filter(|id| !id.is_empty());
    match id {
        Some(id) => (resource.rtype.clone(), id.to_string()),
        None => {
            let prefix = if resource.mode == Mode::Data {
                "address:data:"
            } else {
                "address:"
            };
            (
                resource.rtype.clone(),
                format!("{prefix}{}", resource.address),
            )
        }
    }
}

fn sorted_entries(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    entries.sort();
    Ok(entries)
}

fn read_prefix(path: &Path) -> io::Result<String> {
    use std::io::Read;
    let mut buf = Vec::new();
    fs::File::open(path)?
        .take(SNIFF_BYTES)
        .read_to_end(&mut buf)?;
    // A prefix may end mid-character; detection only needs ASCII keys.
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// HCL configuration: some line is a Terraform block header (`resource "t" "n" {`, `provider
/// "x" {`, `terraform {`, ...). Prose mentioning `resource "x"` does not end in `{`.
fn looks_like_hcl(text: &str) -> bool {
    const BLOCKS: &[&str] = &[
        "resource",
        "data",
        "provider",
        "terraform",
        "variable",
        "locals",
        "module",
        "output",
    ];
    text.lines().take(10_000).any(|line| {
        let line = line.trim();
        let Some(word) = BLOCKS.iter().find(|b| line.starts_with(**b)) else {
            return false;
        };
        let rest = &line[word.len()..];
        (rest.starts_with(' ') || rest.starts_with('{') || rest.starts_with('"'))
            && line.ends_with('{')
            && rest.trim_start().starts_with(['"', '{'])
    })
}

/// A top-level member of a JSON object: its raw key and, for a scalar, its raw text.
struct Member<'a> {
    key: &'a str,
    scalar: Option<&'a str>,
}

struct TopLevel<'a> {
    members: Vec<Member<'a>>,
}

impl<'a> TopLevel<'a> {
    fn get(&self, key: &str) -> Option<&Member<'a>> {
        self.members.iter().find(|m| m.key == key)
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn number(&self, key: &str) -> Option<f64> {
        self.get(key)?.scalar?.parse().ok()
    }

    fn string(&self, key: &str) -> Option<&'a str> {
        let raw = self.get(key)?.scalar?;
        raw.strip_prefix('"')?.strip_suffix('"')
    }

    /// The kind once the keys seen so far make it certain (`None` = keep scanning).
    fn certain(&self) -> Option<StateKind> {
        if self.string("format") == Some("cxlint-snapshot") {
            return Some(StateKind::Snapshot);
        }
        if self.has("format_version")
            && [
                "planned_values",
                "resource_changes",
                "prior_state",
                "values",
            ]
            .iter()
            .any(|k| self.has(k))
        {
            return Some(StateKind::Plan);
        }
        match self.number("version") {
            Some(v) if v >= 4.0 && self.has("resources") => Some(StateKind::TfstateV4),
            Some(v) if v <= 3.0 && self.has("modules") => Some(StateKind::TfstateV3),
            _ => None,
        }
    }

    /// The kind from everything seen (the whole object, or the part before damage or the sniff
    /// limit): certain kinds first, then the best reading of what is there.
    fn decide(&self) -> Option<StateKind> {
        if let Some(kind) = self.certain() {
            return Some(kind);
        }
        const CONFIG: &[&str] = &[
            "resource",
            "data",
            "provider",
            "terraform",
            "variable",
            "locals",
            "module",
            "output",
        ];
        let state_marks = ["lineage", "serial", "terraform_version"]
            .iter()
            .any(|k| self.has(k));
        if self.has("format_version") && !self.has("version") {
            // `terraform show -json` starts with `format_version`, then `terraform_version`.
            return self.has("terraform_version").then_some(StateKind::Plan);
        }
        if let Some(v) = self.number("version") {
            if state_marks || self.has("resources") || self.has("modules") {
                return Some(if v <= 3.0 {
                    StateKind::TfstateV3
                } else {
                    StateKind::TfstateV4
                });
            }
        }
        if !self.has("version") && self.members.iter().any(|m| CONFIG.contains(&m.key)) {
            return Some(StateKind::Export);
        }
        None
    }
}

/// Scan the top-level members of the JSON object starting `text` (which begins with `{`), until
/// the kind is certain, the object ends, or the text is damaged.
fn scan_top_level(text: &str) -> TopLevel<'_> {
    let b = text.as_bytes();
    let mut top = TopLevel {
        members: Vec::new(),
    };
    let mut i = 1; // past `{`
    loop {
        i = skip_ws(b, i);
        match b.get(i) {
            Some(b'"') => {}
            _ => return top, // `}`, damage or end
        }
        let Some(key_end) = skip_string(b, i) else {
            return top;
        };
        let key = text.get(i + 1..key_end - 1).unwrap_or_default();
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return top;
        }
        i = skip_ws(b, i + 1);
        let value_start = i;
        let scalar = match b.get(i) {
            Some(b'"') => match skip_string(b, i) {
                Some(end) => {
                    i = end;
                    text.get(value_start..end)
                }
                None => return top,
            },
            Some(b'{' | b'[') => {
                top.members.push(Member { key, scalar: None });
                if top.certain().is_some() {
                    return top;
                }
                match skip_nested(b, i) {
                    Some(end) => i = end,
                    None => return top,
                }
                i = skip_ws(b, i);
                if b.get(i) != Some(&b',') {
                    return top;
                }
                i += 1;
                continue;
            }
            Some(_) => {
                while i < b.len() && !matches!(b[i], b',' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
                text.get(value_start..i)
            }
            None => return top,
        };
        top.members.push(Member { key, scalar });
        if top.certain().is_some() {
            return top;
        }
        i = skip_ws(b, i);
        if b.get(i) != Some(&b',') {
            return top;
        }
        i += 1;
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// The index just past the string starting at `i` (which holds `"`), or `None` if unterminated.
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    None
}

/// The index just past the array or object starting at `i`, or `None` if it never closes.
/// Brackets are only counted, not matched: validating is the loader's job.
fn skip_nested(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i = skip_string(b, i)?;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_kind_from_content() {
        let cases: &[(&str, Option<StateKind>)] = &[
            (
                r#"{"version": 4, "terraform_version": "1.9.8", "serial": 3, "lineage": "x", "outputs": {}, "resources": []}"#,
                Some(StateKind::TfstateV4),
            ),
            (
                r#"{"version": 3, "terraform_version": "0.11.14", "serial": 1, "modules": [{"path": ["root"]}]}"#,
                Some(StateKind::TfstateV3),
            ),
            (
                r#"{"format_version": "1.2", "terraform_version": "1.9.8", "variables": {"a": {"value": "}"}}, "planned_values": {}}"#,
                Some(StateKind::Plan),
            ),
            (
                r#"{"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {}}}"#,
                Some(StateKind::Plan),
            ),
            (
                r#"{"$schema": "x", "format": "cxlint-snapshot", "version": 1}"#,
                Some(StateKind::Snapshot),
            ),
            (
                r#"{"terraform": {"required_providers": {}}, "resource": {"genesyscloud_routing_queue": {}}}"#,
                Some(StateKind::Export),
            ),
            (
                "\u{feff}  {\"version\": 4, \"resources\": []}",
                Some(StateKind::TfstateV4),
            ),
            (
                "# exported\nresource \"genesyscloud_routing_queue\" \"Support\" {\n  name = \"Support\"\n}\n",
                Some(StateKind::Export),
            ),
            ("terraform {\n}\n", Some(StateKind::Export)),
            (
                r#"{"name": "cxlint", "version": "1.0.0", "dependencies": {}}"#,
                None,
            ),
            (r#"{"version": 4}"#, None),
            (r#"[1, 2]"#, None),
            ("The resource \"x\" is described below.\n", None),
            ("", None),
            ("\0\0\0", None),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), *want, "{text}");
        }
    }

    #[test]
    fn damaged_states_are_still_recognised() {
        // Truncated mid-resources, and garbage after the header keys.
        let v4 = r#"{"version": 4, "terraform_version": "1.9.8", "serial": 3, "lineage": "x", "outputs": {"a": {"value": "#;
        assert_eq!(detect(v4), Some(StateKind::TfstateV4));
        let v3 = r#"{"version": 3, "terraform_version": "0.11.14", "serial": 1, "lineage": "x", "modules": [{"path": ["root"], "resources": {"#;
        assert_eq!(detect(v3), Some(StateKind::TfstateV3));
        let plan = r#"{"format_version": "1.2", "terraform_version": "1.9.8", "variables": {"#;
        assert_eq!(detect(plan), Some(StateKind::Plan));
        let v9 = r#"{"version": 9, "serial": 1, @@@"#;
        assert_eq!(detect(v9), Some(StateKind::TfstateV4));
        assert_eq!(detect(r#"{"vers"#), None);
    }

    #[test]
    fn dedup_key_prefers_ids() {
        let r = |id: Option<&str>, mode| StateResource {
            mode,
            rtype: "t".into(),
            address: "t.a".into(),
            id: id.map(str::to_string),
            attrs: crate::value::Val::null(),
            span: None,
        };
        assert_eq!(
            dedup_key(&r(Some("g"), Mode::Managed)),
            dedup_key(&r(Some("g"), Mode::Data))
        );
        assert_eq!(
            dedup_key(&r(None, Mode::Managed)),
            ("t".into(), "address:t.a".into())
        );
        assert_ne!(
            dedup_key(&r(None, Mode::Managed)),
            dedup_key(&r(Some(""), Mode::Data))
        );
    }
}
