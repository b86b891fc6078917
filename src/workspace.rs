//! Terraform modules assembled from parsed files.
//!
//! Each directory with configuration files is a module. Its top-level blocks are sorted here into
//! variables, locals, outputs, resources, data sources and module calls, once, so evaluation can look
//! them up by name. A directory called from another through `module { source = "./..." }` is a child
//! module; every other directory is a root module (the one `terraform apply` would run in).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;
use smol_str::SmolStr;

use crate::ir::{Attribute, Block, Body, ConfigFile, Expr, ExprKind};
use crate::load::Mode;
use crate::source::{FileId, Span};
use crate::value::{own_string, shared_name};

/// Index of a module definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleId(pub u32);

/// A `resource` or `data` block.
#[derive(Debug)]
pub struct ResourceDecl {
    pub mode: Mode,
    /// The labels' own strings, shared (a long type name is allocated once per file).
    pub rtype: SmolStr,
    pub name: SmolStr,
    /// `resource "type" "name"`, for findings about the block as a whole.
    pub header: Span,
    /// The whole block, header to closing brace.
    pub span: Span,
    /// The block's body, until [`ResourceDecl::release_body`].
    body: Releasable<Body>,
    pub file: FileId,
    /// The blocks of override files (`override.tf`, `*_override.tf`) for the same address, in
    /// the order Terraform applies them: each of their attributes replaces the body's of that
    /// name, each of their nested block types replaces the body's blocks of that type. Boxed:
    /// most declarations have none, and there are hundreds of thousands of them.
    overlays: Option<Box<[Overlay]>>,
}

/// A resource block of an override file, merged into its base declaration when evaluated (see
/// [`ResourceDecl::overlays`]). Kept apart, not merged into the body: the spans of a body are
/// offsets in one file, the declaration's.
#[derive(Debug)]
pub struct Overlay {
    pub file: FileId,
    pub body: Body,
}

/// An override file's block with no base (see [`ModuleDef::orphan_overrides`]).
#[derive(Debug)]
pub struct OrphanOverride {
    /// `resource "genesyscloud_routing_queue" "x"`, `local value "x"`.
    pub what: String,
    pub at: Span,
}

/// One parsed configuration file of a module, for [`ModuleDef::add_files`].
pub struct ModuleFile {
    pub id: FileId,
    pub cfg: ConfigFile,
    /// An override file (see [`is_override_file`]).
    pub is_override: bool,
}

fn overridden_attr<'a>(
    base: Option<&'a Block>,
    overrides: Option<&'a Vec<Block>>,
    attr: &str,
) -> Option<(&'a Attribute, FileId)> {
    let blocks = overrides.into_iter().flatten().rev().chain(base);
    blocks
        .filter_map(|b| Some((b.body.attr(attr)?, b.file())))
        .next()
}

/// Whether Terraform reads the file at `path` as an override file: `override.tf`,
/// `override.tf.json`, or a name ending in `_override.tf` or `_override.tf.json`. Its blocks
/// change the same blocks of the module's other files instead of declaring new ones.
pub fn is_override_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let stem = (name.strip_suffix(".tf.json"))
        .or_else(|| name.strip_suffix(".tf"))
        .unwrap_or_default();
    stem == "override" || stem.ends_with("_override")
}

/// A value that can be freed while others may still read it: readers hold an [`Arc`] for as
/// long as they use it, and the memory goes when the last of them lets go.
///
/// Resource bodies are most of the parsed configuration (several times the input). Each one is
/// evaluated into the model once, after which nothing reads it: the model build frees each as
/// soon as every instance of it is evaluated, so the configuration's syntax and its evaluated
/// form are not both in memory whole at the peak (see `model::build`).
#[derive(Debug)]
pub struct Releasable<T>(Mutex<Option<Arc<T>>>);

impl<T> Releasable<T> {
    pub fn new(value: T) -> Self {
        Releasable(Mutex::new(Some(Arc::new(value))))
    }

    /// The value, unless released.
    pub fn get(&self) -> Option<Arc<T>> {
        // Nothing can panic while the lock is held (a clone or a take): a poisoned lock is
        // still consistent.
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Let the value go (it is freed once no reader holds it); later [`Self::get`]s see `None`.
    pub fn release(&self) {
        let taken = self.0.lock().unwrap_or_else(PoisonError::into_inner).take();
        drop(taken);
    }
}

impl ResourceDecl {
    /// Its override files' blocks, in the order they apply (see [`ResourceDecl::overlays`]).
    pub fn overlays(&self) -> &[Overlay] {
        self.overlays.as_deref().unwrap_or_default()
    }

    /// The body, or `None` once released (after the model build evaluated every instance).
    pub fn body(&self) -> Option<Arc<Body>> {
        self.body.get()
    }

    /// Free the body: every instance of the declaration is evaluated and nothing reads it again.
    pub fn release_body(&self) {
        self.body.release();
    }

    /// `type.name` or `data.type.name` (without module path or instance key).
    pub fn local_address(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.rtype, self.name),
            Mode::Data => format!("data.{}.{}", self.rtype, self.name),
        }
    }
}

/// The hash a declaration is indexed by in [`ModuleDef`]: its name's (declarations of one
/// name and different types are few).
fn name_hash(name: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(name)
}

/// The hash of the declaration an index entry points at, for the index to grow with.
fn rehash(decls: &[ResourceDecl]) -> impl Fn(&u32) -> u64 + '_ {
    |&i| name_hash(&decls[i as usize].name)
}

/// A declaration that appears twice (Terraform rejects the configuration).
#[derive(Debug, Clone)]
pub struct Duplicate {
    pub what: String,
    pub first: Span,
    pub second: Span,
}

/// A block label Terraform rejects as a name ("Invalid resource name").
#[derive(Debug)]
pub struct InvalidName {
    /// The block's type: `resource`, `variable`...
    pub kind: String,
    pub name: String,
    pub at: Span,
}

/// Is `name` an identifier as Terraform's names must be: a letter or `_`, then letters, digits,
/// `_` and `-` (letters of any script, as HCL's identifiers)?
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// A `locals` entry, with the file it is written in (an attribute's names and expressions are
/// located in its file, which it does not hold: see [`crate::ir`]).
#[derive(Debug)]
pub struct Local {
    pub file: FileId,
    pub attr: Attribute,
}

impl Local {
    /// Where the local's name is written.
    pub fn name_span(&self) -> Span {
        self.attr.name.span.in_file(self.file)
    }
}

/// A root-module variable value (`TF_VAR_*`, `-var`, a tfvars or `--var-file` entry).
#[derive(Debug)]
pub struct InputVar {
    pub name: String,
    /// Where the name is written (in no file for a command-line or environment value).
    pub name_at: crate::source::Loc,
    /// Where the value is written: a variable file, or an id no file has for a value given on
    /// the command line or in the environment.
    pub file: FileId,
    pub expr: Expr,
}

impl InputVar {
    /// A variable file's entry.
    pub fn of(file: FileId, a: Attribute) -> Self {
        InputVar {
            name: a.name.name.to_string(),
            name_at: a.name.span,
            file,
            expr: a.expr,
        }
    }
}

/// One module: a directory of configuration files.
#[derive(Debug, Default)]
pub struct ModuleDef {
    /// The directory as given on disk (for resolving `source` and flow `filepath`s).
    pub dir: PathBuf,
    pub files: Vec<FileId>,
    pub variables: FxHashMap<String, Block>,
    pub locals: FxHashMap<String, Local>,
    pub outputs: FxHashMap<String, Block>,
    /// The blocks of override files for declared variables and outputs, in the order they
    /// apply: each argument of one replaces the base's (see [`ModuleDef::variable_attr`]).
    pub variable_overrides: FxHashMap<String, Vec<Block>>,
    pub output_overrides: FxHashMap<String, Vec<Block>>,
    pub resources: Vec<ResourceDecl>,
    /// Indexes into `resources`, hashed by name (see [`name_hash`]): looked up by borrowed
    /// strings for every reference the evaluator follows. Four bytes a declaration: a map from
    /// names to their (mode, type, index) cost 80, and with hundreds of thousands of
    /// declarations it was a tenth of the memory at the peak, before evaluation.
    resource_index: hashbrown::HashTable<u32>,
    pub module_calls: Vec<Block>,
    /// The blocks of override files for module calls, by the call's index in `module_calls`,
    /// in the order they apply (see [`ModuleDef::module_call_attr`]).
    pub module_call_overrides: FxHashMap<usize, Vec<Block>>,
    pub module_call_index: FxHashMap<String, usize>,
    /// Provider, terraform and other blocks: kept for reference scanning only.
    pub other_blocks: Vec<Block>,
    pub duplicates: Vec<Duplicate>,
    /// Block labels that are no names Terraform accepts (`resource "t" " lyon"`).
    pub invalid_names: Vec<InvalidName>,
    /// Blocks of override files that override nothing: what they name is declared in no
    /// other file of the module (Terraform: "Missing base ... to override"). Each is still
    /// taken as a declaration, so that references to it are not reported as well.
    pub orphan_overrides: Vec<OrphanOverride>,
    /// True when some other module calls this one with a local `source`.
    pub is_child: bool,
    /// The directory was named on the command line (or a file in it was): where the user
    /// runs Terraform, as far as cxlint can tell.
    pub given: bool,
    /// A configuration file of the directory failed to load: what it declares is missing, so a
    /// name that looks undeclared may be declared there.
    pub unparsed: bool,
}

impl ModuleDef {
    /// Argument `attr` of variable `name` as its override files leave it: the last override's
    /// that sets it, else the declaration's; with the file it is written in.
    pub fn variable_attr(&self, name: &str, attr: &str) -> Option<(&Attribute, FileId)> {
        overridden_attr(
            self.variables.get(name),
            self.variable_overrides.get(name),
            attr,
        )
    }

    /// [`ModuleDef::variable_attr`] for the module call at `call` in `module_calls`.
    pub fn module_call_attr(&self, call: usize, attr: &str) -> Option<(&Attribute, FileId)> {
        overridden_attr(
            self.module_calls.get(call),
            self.module_call_overrides.get(&call),
            attr,
        )
    }

    /// Every argument of the module call at `call` as its override files leave it, each with
    /// the file it is written in: the call's own, then those only its overrides set.
    pub fn module_call_args(&self, call: usize) -> Vec<(&Attribute, FileId)> {
        let Some(block) = self.module_calls.get(call) else {
            return Vec::new();
        };
        let overrides = self.module_call_overrides.get(&call).into_iter().flatten();
        let names = (block.body.attrs.iter())
            .chain(overrides.flat_map(|b| b.body.attrs.iter()))
            .map(|a| a.name.name.as_str());
        let mut seen = std::collections::HashSet::new();
        (names.filter(|n| seen.insert(*n)))
            .filter_map(|n| self.module_call_attr(call, n))
            .collect()
    }

    /// [`ModuleDef::variable_attr`] for an output.
    pub fn output_attr(&self, name: &str, attr: &str) -> Option<(&Attribute, FileId)> {
        overridden_attr(
            self.outputs.get(name),
            self.output_overrides.get(name),
            attr,
        )
    }

    /// Whether this is a directory `terraform` runs in, as far as cxlint can tell: a root (no
    /// module of the run calls it) named on the command line, or one that declares what only a
    /// root does (a `provider` configuration, a `backend` or `cloud`). A directory nothing calls
    /// that is neither may be another root's module, its working directory unknown.
    pub fn runs_terraform(&self) -> bool {
        !self.is_child && (self.given || self.looks_like_root())
    }

    fn looks_like_root(&self) -> bool {
        (self.other_blocks.iter()).any(|b| match b.ident.name.as_str() {
            "provider" => true,
            "terraform" => {
                (b.body.blocks.iter()).any(|n| matches!(n.ident.name.as_str(), "backend" | "cloud"))
            }
            _ => false,
        })
    }

    pub fn resource(&self, mode: Mode, rtype: &str, name: &str) -> Option<&ResourceDecl> {
        self.resource_slot(mode, rtype, name)
            .map(|i| &self.resources[i])
    }

    /// The index in `resources` of a declaration.
    pub fn resource_slot(&self, mode: Mode, rtype: &str, name: &str) -> Option<usize> {
        let found = self.resource_index.find(name_hash(name), |&i| {
            let r = &self.resources[i as usize];
            r.mode == mode && r.rtype == rtype && r.name == name
        });
        found.map(|&i| i as usize)
    }

    pub fn module_call(&self, name: &str) -> Option<&Block> {
        self.module_call_index
            .get(name)
            .map(|&i| &self.module_calls[i])
    }

    /// Add parsed files' blocks to this module, in order; override files after the others,
    /// as Terraform applies them.
    pub fn add_files(&mut self, files: Vec<ModuleFile>) {
        // Sized once: declarations are large, and growing by doubling would copy them into
        // fresh memory repeatedly.
        let resources = (files.iter())
            .filter(|f| !f.is_override)
            .flat_map(|f| &f.cfg.body.blocks)
            .filter(|b| matches!(b.ident.name.as_str(), "resource" | "data"))
            .count();
        self.resources.reserve_exact(resources);
        (self.resource_index).reserve(resources, rehash(&self.resources));
        let (overrides, primary): (Vec<_>, Vec<_>) = files.into_iter().partition(|f| f.is_override);
        for f in primary {
            self.add_file(f.id, f.cfg);
        }
        for f in overrides {
            self.add_override_file(f.id, f.cfg);
        }
    }

    /// Add an override file's blocks: each changes the block of the same kind and name that
    /// the module's other files declare. Resources and data sources take it as an
    /// [`Overlay`]; a local value is replaced. A block with no base (an error to Terraform) is
    /// taken as a declaration. A variable's, output's or module call's arguments are those of
    /// its last override that sets them ([`ModuleDef::variable_attr`]).
    pub fn add_override_file(&mut self, file: FileId, cfg: ConfigFile) {
        self.files.push(file);
        let mut rest = Vec::new();
        for block in cfg.body.blocks {
            match block.ident.name.as_str() {
                "resource" | "data" => {
                    let mode = match block.ident.name == "data" {
                        true => Mode::Data,
                        false => Mode::Managed,
                    };
                    let slot = match (block.label(0), block.label(1)) {
                        (Some(t), Some(n)) => self.resource_slot(mode, t, n),
                        _ => None,
                    };
                    match slot {
                        Some(i) => {
                            let r = &mut self.resources[i];
                            let mut all = r.overlays.take().map(Vec::from).unwrap_or_default();
                            all.push(Overlay {
                                file,
                                body: block.body.relocated(),
                            });
                            r.overlays = Some(all.into());
                        }
                        None => rest.push(block),
                    }
                }
                "locals" => {
                    for attr in block.body.attrs {
                        let name = attr.name.name.to_string();
                        if !self.locals.contains_key(&name) {
                            self.orphan_overrides.push(OrphanOverride {
                                what: format!("local value \"{name}\""),
                                at: attr.name.span.in_file(file),
                            });
                        }
                        let attr = attr.relocated();
                        self.locals.insert(name, Local { file, attr });
                    }
                }
                "variable" | "output" => {
                    let (base, overrides) = match block.ident.name == "variable" {
                        true => (&self.variables, &mut self.variable_overrides),
                        false => (&self.outputs, &mut self.output_overrides),
                    };
                    match block.label(0).filter(|name| base.contains_key(*name)) {
                        Some(name) => {
                            let name = name.to_owned();
                            overrides.entry(name).or_default().push(block.relocated());
                        }
                        None => rest.push(block),
                    }
                }
                "module" => {
                    let known = block.label(0).and_then(|n| self.module_call_index.get(n));
                    match known {
                        Some(&i) => {
                            let overrides = self.module_call_overrides.entry(i).or_default();
                            overrides.push(block.relocated());
                        }
                        None => rest.push(block),
                    }
                }
                _ => self.other_blocks.push(block.relocated()),
            }
        }
        for b in &rest {
            let labels: Vec<String> = b.labels.iter().map(|l| format!("\"{}\"", l.name)).collect();
            self.orphan_overrides.push(OrphanOverride {
                what: format!("{} {}", b.ident.name, labels.join(" "))
                    .trim_end()
                    .to_owned(),
                at: b.header_span(),
            });
        }
        self.add_blocks(file, rest);
    }

    /// Add a parsed file's blocks to this module. Every declaration but a resource's is copied
    /// off the parser's memory: it is kept until the evaluator is done, and would keep the
    /// memory of the resources beside it resident after they are released (see `ir::copy`).
    pub fn add_file(&mut self, file: FileId, cfg: ConfigFile) {
        self.files.push(file);
        self.add_blocks(file, cfg.body.blocks);
    }

    /// The declarations of [`ModuleDef::add_file`], of blocks written in `file`.
    fn add_blocks(&mut self, file: FileId, blocks: impl IntoIterator<Item = Block>) {
        for block in blocks {
            // The labels Terraform takes as names (a resource's type and name, a variable's...).
            let named = match block.ident.name.as_str() {
                "resource" | "data" => 2,
                "variable" | "output" | "module" => 1,
                _ => 0,
            };
            for label in block.labels.iter().take(named) {
                if !is_identifier(&label.name) {
                    self.invalid_names.push(InvalidName {
                        kind: block.ident.name.to_string(),
                        name: label.name.to_string(),
                        at: label.span.in_file(file),
                    });
                }
            }
            match block.ident.name.as_str() {
                "variable" => {
                    if let Some(name) = block.label(0).map(str::to_owned) {
                        if let Some(prev) = self.variables.get(&name) {
                            self.duplicates.push(Duplicate {
                                what: format!("variable `{name}`"),
                                first: prev.header_span(),
                                second: block.header_span(),
                            });
                        } else {
                            self.variables.insert(name, block.relocated());
                        }
                    }
                }
                "locals" => {
                    for attr in block.body.attrs {
                        let name = attr.name.name.to_string();
                        if let Some(prev) = self.locals.get(&name) {
                            self.duplicates.push(Duplicate {
                                what: format!("local value `{name}`"),
                                first: prev.name_span(),
                                second: attr.name.span.in_file(file),
                            });
                        } else {
                            let attr = attr.relocated();
                            self.locals.insert(name, Local { file, attr });
                        }
                    }
                }
                "output" => {
                    if let Some(name) = block.label(0).map(str::to_owned) {
                        if let Some(prev) = self.outputs.get(&name) {
                            self.duplicates.push(Duplicate {
                                what: format!("output `{name}`"),
                                first: prev.header_span(),
                                second: block.header_span(),
                            });
                        } else {
                            self.outputs.insert(name, block.relocated());
                        }
                    }
                }
                "resource" | "data" => {
                    let mode = if block.ident.name == "data" {
                        Mode::Data
                    } else {
                        Mode::Managed
                    };
                    let (Some(rtype), Some(name)) = (
                        block.labels.first().map(|l| shared_name(&l.name)),
                        block.labels.get(1).map(|l| own_string(&l.name)),
                    ) else {
                        self.other_blocks.push(block.relocated());
                        continue;
                    };
                    if let Some(prev) = self.resource_slot(mode, &rtype, &name) {
                        let prev = &self.resources[prev];
                        self.duplicates.push(Duplicate {
                            what: format!("resource `{}`", prev.local_address()),
                            first: prev.header,
                            second: block.header_span(),
                        });
                        continue;
                    }
                    let Ok(index) = u32::try_from(self.resources.len()) else {
                        continue; // more declarations in one module than memory could hold
                    };
                    let hash = name_hash(&name);
                    (self.resource_index).insert_unique(hash, index, rehash(&self.resources));
                    self.resources.push(ResourceDecl {
                        mode,
                        rtype,
                        name,
                        header: block.header_span(),
                        span: block.span,
                        body: Releasable::new(block.body),
                        file,
                        overlays: None,
                    });
                }
                "module" => {
                    if let Some(name) = block.label(0).map(str::to_owned) {
                        if let Some(&prev) = self.module_call_index.get(&name) {
                            self.duplicates.push(Duplicate {
                                what: format!("module call `{name}`"),
                                first: self.module_calls[prev].header_span(),
                                second: block.header_span(),
                            });
                            continue;
                        }
                        self.module_call_index.insert(name, self.module_calls.len());
                        self.module_calls.push(block.relocated());
                    }
                }
                _ => self.other_blocks.push(block.relocated()),
            }
        }
    }
}

/// One top-level declaration of a module (see [`Workspace::items`]).
#[derive(Debug, Clone, Copy)]
pub enum Item<'a> {
    Variable(&'a str, &'a Block),
    Local(&'a Local),
    Output(&'a Block),
    Resource(&'a ResourceDecl),
    ModuleCall(&'a Block),
    /// Provider, terraform and other blocks.
    Other(&'a Block),
}

/// All modules of a run, plus the root variable inputs.
#[derive(Debug, Default)]
pub struct Workspace {
    pub modules: Vec<ModuleDef>,
    pub by_dir: HashMap<PathBuf, ModuleId>,
    /// The modules `terraform init` installed, per root module that has them.
    pub installed: Vec<crate::installed::Installed>,
    /// Root-module variable values from `terraform.tfvars`, `*.auto.tfvars`, `--var-file` (in
    /// Terraform's precedence order, later wins), per module directory.
    pub tfvars: HashMap<ModuleId, Vec<InputVar>>,
    /// `TF_VAR_name` values (the first `env_var_count`), then `--var-file` and `--var` values in
    /// command-line order; later wins. Applied to every root module.
    pub cli_vars: Vec<InputVar>,
    /// How many leading `cli_vars` came from `TF_VAR_*` (they rank below tfvars files).
    pub env_var_count: usize,
    /// The entries of variable files Terraform does not load by itself (`lab.tfvars`, read only
    /// with `-var-file`): never applied, but scanned like the others (secrets, values only).
    pub unapplied_tfvars: Vec<InputVar>,
    /// Module calls with a local `source` (`./modules/x`) whose directory does not exist: the
    /// calling module and the call's index in its `module_calls` (found by [`Self::link`]).
    pub missing_sources: Vec<(ModuleId, usize)>,
    /// Where the configuration's own file reads (`file()`, `templatefile()`, `fileset()`, a
    /// flow's `filepath`) may go (set once the modules are loaded).
    pub confine: crate::confine::Confine,
    /// Module calls that close a cycle of module calls (found by [`Self::link`]).
    pub module_cycles: Vec<ModuleCycle>,
}

/// A module call whose `source` is a module the call is already inside of: itself (`source =
/// "./"`), or a module that calls, through others, the one that holds the call. `terraform
/// init` never finishes on it (it installs `module.a.module.a...` until the path is too long).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleCycle {
    /// The module holding the call, and the call's index in its `module_calls`.
    pub module: ModuleId,
    pub call: usize,
    /// The names of the calls around the cycle, this one first (only it when the module calls
    /// itself).
    pub chain: Vec<String>,
}

impl Workspace {
    pub fn module(&self, id: ModuleId) -> &ModuleDef {
        &self.modules[id.0 as usize]
    }

    pub fn module_ids(&self) -> impl Iterator<Item = ModuleId> {
        (0..self.modules.len() as u32).map(ModuleId)
    }

    /// The module for `dir`, created on first use.
    pub fn module_for_dir(&mut self, dir: &Path) -> ModuleId {
        if let Some(&id) = self.by_dir.get(dir) {
            return id;
        }
        let id = ModuleId(self.modules.len() as u32);
        self.modules.push(ModuleDef {
            dir: dir.to_path_buf(),
            ..ModuleDef::default()
        });
        self.by_dir.insert(dir.to_path_buf(), id);
        id
    }

    /// Resolve a module call's `source` to a loaded module directory (local paths only).
    pub fn resolve_source(&self, from: ModuleId, call: &Block) -> Option<ModuleId> {
        let source = self.source_of(from, call)?;
        if !matches!(source.expr.kind, ExprKind::String(_)) {
            return None;
        }
        let dir = if let Some(dir) = local_source_of(&self.module(from).dir, source) {
            dir
        } else {
            // Registry and Git sources: where `terraform init` installed them, if it has.
            let name = call.label(0)?;
            let caller = normalize(&self.module(from).dir);
            crate::installed::resolve(&self.installed, &caller, name)?.to_path_buf()
        };
        self.by_dir.get(&dir).copied()
    }

    /// The directory a module call's local `source` (`./x`, `../x`) names; `None` for other
    /// sources (registry, Git, URLs) and computed ones.
    pub fn local_source_dir(&self, from: ModuleId, call: &Block) -> Option<PathBuf> {
        local_source_of(&self.module(from).dir, self.source_of(from, call)?)
    }

    /// A module call's `source` as override files leave it.
    fn source_of<'a>(&'a self, from: ModuleId, call: &'a Block) -> Option<&'a Attribute> {
        let module = self.module(from);
        let index = call.label(0).and_then(|n| module.module_call_index.get(n));
        match index {
            Some(&i) => module.module_call_attr(i, "source").map(|(a, _)| a),
            None => call.body.attr("source"),
        }
    }

    /// Mark modules called from others as children; the rest are roots. Note the local sources
    /// that name no directory at all (one that exists but was not loaded, being excluded, is
    /// not cxlint's to judge; one outside the paths checked is read, by `check`).
    pub fn link(&mut self) {
        let mut children = Vec::new();
        let mut missing = Vec::new();
        // Each module's calls to loaded modules: (call index, module called).
        let mut calls: Vec<Vec<(usize, ModuleId)>> = vec![Vec::new(); self.modules.len()];
        for id in self.module_ids() {
            for (i, call) in self.module(id).module_calls.iter().enumerate() {
                let resolved = self.resolve_source(id, call);
                if let Some(child) = resolved {
                    calls[id.0 as usize].push((i, child));
                }
                match resolved {
                    Some(child) if child != id => children.push(child),
                    Some(_) => {}
                    None => {
                        if let Some(dir) = self.local_source_dir(id, call) {
                            if !dir.is_dir() {
                                missing.push((id, i));
                            }
                        }
                    }
                }
            }
        }
        self.missing_sources = missing;
        for c in children {
            self.modules[c.0 as usize].is_child = true;
        }
        self.module_cycles = self.cycles(&calls);
    }

    /// The calls that close a cycle of module calls (see [`ModuleCycle`]): the back edges of a
    /// depth-first walk of the calls from the roots, then from any module not reached (a
    /// cycle that no root calls), in module order. Every cycle has one of them (removing them
    /// leaves none), and a module that calls itself is one.
    fn cycles(&self, calls: &[Vec<(usize, ModuleId)>]) -> Vec<ModuleCycle> {
        #[derive(Clone, Copy, PartialEq)]
        enum Seen {
            Not,
            OnPath,
            Done,
        }
        let mut seen = vec![Seen::Not; calls.len()];
        let mut out = Vec::new();
        let roots = self.roots().collect::<Vec<_>>();
        for start in roots.into_iter().chain(self.module_ids()) {
            if seen[start.0 as usize] != Seen::Not {
                continue;
            }
            // The path from `start`: each module with the index of its next call to follow.
            // Iterative: a chain of modules may be as long as there are directories.
            let mut path: Vec<(ModuleId, usize)> = vec![(start, 0)];
            seen[start.0 as usize] = Seen::OnPath;
            while let Some((m, next)) = path.last_mut() {
                let Some(&(call, child)) = calls[m.0 as usize].get(*next) else {
                    seen[m.0 as usize] = Seen::Done;
                    path.pop();
                    continue;
                };
                *next += 1;
                match seen[child.0 as usize] {
                    Seen::Not => {
                        seen[child.0 as usize] = Seen::OnPath;
                        path.push((child, 0));
                    }
                    Seen::OnPath => {
                        let from = (path.iter().position(|(p, _)| *p == child))
                            .expect("a module on the path is in it");
                        // Each module on the cycle, by the call it follows (its last one taken).
                        let name = |m: ModuleId, next: usize| {
                            let (i, _) = calls[m.0 as usize][next - 1];
                            let call = &self.module(m).module_calls[i];
                            call.label(0).unwrap_or_default().to_owned()
                        };
                        let mut chain: Vec<String> =
                            path[from..].iter().map(|&(m, n)| name(m, n)).collect();
                        // This call first.
                        chain.rotate_right(1);
                        out.push(ModuleCycle {
                            module: path[path.len() - 1].0,
                            call,
                            chain,
                        });
                    }
                    Seen::Done => {}
                }
            }
        }
        out
    }

    /// Every top-level declaration of every module, with its module: the unit of work for walks
    /// over the whole configuration that run in parallel (a run may be one huge module or many
    /// small ones). Listed a module at a time as the walk reaches it: the whole list at once
    /// (40 bytes a declaration, 609 KiB at 10 MB) was made by two walks that run beside the
    /// expansion, at the run's first peak.
    pub fn par_items(&self) -> impl rayon::iter::ParallelIterator<Item = (ModuleId, Item<'_>)> {
        use rayon::prelude::*;
        (0..self.modules.len() as u32)
            .into_par_iter()
            .map(ModuleId)
            .flat_map(|id| {
                let items = self.module_items(id);
                items.into_par_iter().map(move |item| (id, item))
            })
    }

    /// The top-level declarations of module `id`, in the order [`Self::par_items`] lists them.
    fn module_items(&self, id: ModuleId) -> Vec<Item<'_>> {
        let m = self.module(id);
        // Sized once: one module may have tens of thousands of declarations.
        let mut out = Vec::with_capacity(
            m.variables.len()
                + m.locals.len()
                + m.outputs.len()
                + m.resources.len()
                + m.module_calls.len()
                + m.other_blocks.len(),
        );
        out.extend(m.variables.iter().map(|(n, b)| Item::Variable(n, b)));
        // Override files' blocks, walked as declarations of their own.
        let overrides = m.variable_overrides.iter();
        out.extend(overrides.flat_map(|(n, bs)| bs.iter().map(move |b| Item::Variable(n, b))));
        out.extend(m.locals.values().map(Item::Local));
        out.extend(m.outputs.values().map(Item::Output));
        let overrides = m.output_overrides.values().flatten();
        out.extend(overrides.map(Item::Output));
        out.extend(m.resources.iter().map(Item::Resource));
        out.extend(m.module_calls.iter().map(Item::ModuleCall));
        let overrides = m.module_call_overrides.values().flatten();
        out.extend(overrides.map(Item::ModuleCall));
        out.extend(m.other_blocks.iter().map(Item::Other));
        out
    }

    /// For each module (by id), the directories `terraform` runs in for it: those of the roots
    /// that call it, directly or through other modules, and that run `terraform`
    /// ([`ModuleDef::runs_terraform`]). Empty for a module no such root reaches.
    pub fn working_dirs(&self) -> Vec<Vec<&Path>> {
        let mut out: Vec<Vec<&Path>> = vec![Vec::new(); self.modules.len()];
        for root in self.roots().filter(|&r| self.module(r).runs_terraform()) {
            let dir = self.module(root).dir.as_path();
            let mut stack = vec![root];
            while let Some(m) = stack.pop() {
                // Each module once per root, so a cycle of calls ends.
                if out[m.0 as usize].last() == Some(&dir) {
                    continue;
                }
                out[m.0 as usize].push(dir);
                for call in &self.module(m).module_calls {
                    stack.extend(self.resolve_source(m, call));
                }
            }
        }
        out
    }

    pub fn roots(&self) -> impl Iterator<Item = ModuleId> + '_ {
        self.module_ids().filter(|id| !self.module(*id).is_child)
    }
}

/// The directory that a module call in `dir` names by a local `source` (`./x`, `../x`); `None`
/// for other sources (registry, Git, URLs) and computed ones.
pub fn local_source(dir: &Path, call: &Block) -> Option<PathBuf> {
    local_source_of(dir, call.body.attr("source")?)
}

/// [`local_source`] of a `source` argument.
fn local_source_of(dir: &Path, source: &Attribute) -> Option<PathBuf> {
    let ExprKind::String(s) = &source.expr.kind else {
        return None;
    };
    (s.starts_with("./") || s.starts_with("../")).then(|| normalize(&dir.join(&**s)))
}

/// Lexically normalise `a/./b/../c` to `a/c` (no file-system access: paths need not exist).
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}
