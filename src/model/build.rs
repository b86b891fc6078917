//! Building the model: evaluated configuration first, then each state input merged in.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::eval::Evaluator;
use crate::load::{Mode, StateDoc, StateKind};
use smol_str::SmolStr;

use crate::value::{InstanceId, V, Val};

use super::{
    ConfigPart, DataLookup, Lookup, Model, ObjId, Object, StateInput, StatePart, names, types,
};

/// What the model is built from.
pub struct BuildInput<'a, 'w> {
    pub ev: &'a Evaluator<'w>,
    /// State inputs in precedence order (earlier wins when they disagree).
    pub states: Vec<(StateInput, StateDoc)>,
    /// What the state inputs' paths are relative to.
    pub cwd: &'a std::path::Path,
}

/// Build the model.
pub fn build(input: BuildInput<'_, '_>) -> Model {
    let whole = super::keep::whole_bodies(input.ev.ws);
    finish(evaluate(input.ev, &whole), input.states, input.cwd)
}

/// The configuration's objects and data lookups, evaluated: the first half of [`build`], the one
/// that needs the evaluator. Between the halves the caller can free the evaluator and the
/// workspace, whose memory the indexes and usages of [`finish`] then reuse (at 50 MB those were
/// 47 MB of fresh memory at the peak, beside about 35 MB of syntax and declarations no longer
/// read).
pub struct Evaluated {
    m: Model,
    managed: Vec<InstanceId>,
    lookups: Vec<InstanceId>,
}

/// The resource types that write a file at apply (see [`super::WrittenFile`]).
const WRITERS: &[&str] = &["local_file", "local_sensitive_file"];

/// See [`Evaluated`]. `whole` is [`super::keep::whole_bodies`] of the evaluator's workspace: the
/// declarations whose bodies are kept whole; the others keep what [`super::keep`] lists.
pub fn evaluate(ev: &Evaluator<'_>, whole: &[Vec<bool>]) -> Evaluated {
    ev.expand_all();
    let mut m = Model::default();

    // 1. Managed resources and data sources of the configuration. Bodies are evaluated in
    // parallel (the evaluator memoises named values across threads), straight into their places
    // in instance order, so the model does not depend on scheduling. Which instances become
    // objects and which lookups is decided first: the vectors are then allocated once and
    // filled in place. Collecting, then copying into the model, touched fresh memory for every
    // object three times, and on large inputs zeroing fresh pages costs as much as evaluating.
    let mut managed = Vec::new();
    let mut lookups = Vec::new();
    let mut writers = Vec::new();
    for i in 0..ev.resource_count() {
        let inst = InstanceId(i as u32);
        let decl = ev.resource_block(inst);
        if decl.rtype.starts_with("genesyscloud_") {
            match decl.mode {
                Mode::Managed => managed.push(inst),
                Mode::Data => lookups.push(inst),
            }
        } else if decl.mode == Mode::Managed && WRITERS.contains(&decl.rtype.as_str()) {
            writers.push(inst);
        }
    }
    // Each declaration's body is released once its last instance here is evaluated: the
    // syntax of a resource is several times the size of its evaluated body, and nothing reads
    // it afterwards (references to its attributes read the evaluated body). Evaluated bodies
    // then fill the memory the syntax leaves, and the peak is about the larger of the two
    // instead of their sum. The workspace passes that walk the syntax ran before (check.rs).
    let pending = Pending::new(ev, managed.iter().chain(&lookups));
    // Every instance of a root module shares its directory.
    let root_dirs: HashMap<crate::eval::ModInst, Arc<std::path::Path>> = ev
        .roots()
        .iter()
        .map(|&r| (r, Arc::from(ev.ws.module(ev.module_of(r)).dir.as_path())))
        .collect();
    rayon::join(
        || {
            (managed.par_iter())
                .map(|&inst| {
                    let object = config_object(ev, inst, &root_dirs, whole);
                    pending.evaluated(ev, inst);
                    object
                })
                .collect_into_vec(&mut m.objects)
        },
        || {
            (lookups.par_iter())
                .map(|&inst| {
                    let lookup = data_lookup(ev, inst, &root_dirs, whole);
                    pending.evaluated(ev, inst);
                    lookup
                })
                .collect_into_vec(&mut m.data)
        },
    );
    // Few (a flow made from a template, a generated config file): evaluated whole, since
    // outputs may still read their other attributes.
    m.written_at_apply = (writers.into_iter())
        .filter_map(|inst| {
            let body = ev.instance_body(inst, None);
            Some(super::WrittenFile {
                filename: body.get("filename")?.as_str()?.to_owned(),
                root_dir: root_dir_of(ev, ev.resource_scope(inst).module, &root_dirs),
                address: ev.resource_address(inst),
            })
        })
        .collect();
    ev.evaluate_outputs();
    m.json_skeletons = ev.json_skeletons();
    m.eval_problems = ev.problems();
    m.unexpanded = ev.unexpanded();
    Evaluated {
        m,
        managed,
        lookups,
    }
}

/// The second half of [`build`]: indexes, state inputs, data lookups, usages.
pub fn finish(
    evaluated: Evaluated,
    states: Vec<(StateInput, StateDoc)>,
    cwd: &std::path::Path,
) -> Model {
    let Evaluated {
        mut m,
        managed,
        lookups,
    } = evaluated;
    // The index keys are made on every core too; only the insertions are sequential.
    let keys: Vec<(Arc<str>, Option<u64>)> = (m.objects.par_iter())
        .map(|o| (o.address.clone(), name_hash(o)))
        .collect();
    // Each index is made on its own core: the same insertions, in the same order, as
    // `index_with` makes one object at a time (50 MB: 46 ms on one thread before).
    let ids = || (0..m.objects.len() as u32).map(ObjId);
    let objects = &m.objects;
    let (((by_instance, by_id), (by_address, same_address)), (by_name, by_type)) = rayon::join(
        || {
            rayon::join(
                || {
                    let mut by_instance = FxHashMap::default();
                    by_instance.reserve(managed.len());
                    by_instance.extend(managed.iter().copied().zip(ids()));
                    let mut by_id = FxHashMap::default();
                    for (id, o) in ids().zip(objects) {
                        if let Some(gid) = &o.id {
                            by_id.entry(gid.clone()).or_insert(id);
                        }
                    }
                    (by_instance, by_id)
                },
                || {
                    let mut by_address: FxHashMap<Arc<str>, ObjId> = FxHashMap::default();
                    by_address.reserve(keys.len());
                    // An address declared by more than one root module (one directory per
                    // environment, each with its own state): `by_address` holds the first, and
                    // these all of them.
                    let mut same_address: HashMap<Arc<str>, Vec<ObjId>> = HashMap::new();
                    for (id, (address, _)) in ids().zip(&keys) {
                        let first = *by_address.entry(address.clone()).or_insert(id);
                        if first != id {
                            (same_address.entry(address.clone()))
                                .or_insert_with(|| vec![first])
                                .push(id);
                        }
                    }
                    (by_address, same_address)
                },
            )
        },
        || {
            rayon::join(
                || {
                    let mut by_name = names::NameIndex::default();
                    by_name.reserve(keys.len(), objects);
                    for (id, (_, hash)) in ids().zip(&keys) {
                        if let Some(hash) = hash {
                            by_name.insert(objects, id, *hash);
                        }
                    }
                    by_name
                },
                || {
                    let mut by_type = FxHashMap::default();
                    for (id, o) in ids().zip(objects) {
                        add_to_type(&mut by_type, o.rtype, id);
                    }
                    by_type
                },
            )
        },
    );
    drop(keys);
    (m.by_instance, m.by_id, m.by_address, m.by_name, m.by_type) =
        (by_instance, by_id, by_address, by_name, by_type);
    m.data_by_instance = lookups.into_iter().zip(0..).collect();

    // 2. State inputs, merged into the configuration's objects by address, id, or unique name.
    let mut data_ids: HashMap<String, String> = HashMap::new();
    for (idx, (mut info, doc)) in states.into_iter().enumerate() {
        let state_path = crate::workspace::normalize(&cwd.join(&info.path));
        let mut types_seen: Vec<String> = Vec::new();
        let mut id_types: Vec<String> = Vec::new();
        let refreshed = matches!(
            info.kind,
            StateKind::TfstateV4 | StateKind::TfstateV3 | StateKind::Plan
        );
        // Managed Genesys resources of this input, and how many of them the configuration
        // declares at the same address (see `own_state` below).
        let (mut managed, mut declared) = (0usize, 0usize);
        // A plan that destroys what the configuration declares is a destroy plan
        // (`terraform plan -destroy`): everything goes, users of the objects too, so what it
        // destroys says nothing about objects the configuration still uses.
        let destroys_declared = (doc.deleted.iter()).any(|d| {
            (m.by_address.get(d.address.as_str())).is_some_and(|o| m.obj(*o).config.is_some())
        });
        if !destroys_declared {
            (m.deleted).extend(doc.deleted.into_iter().map(|d| (idx, d)));
        }
        for r in doc.resources {
            if let Some(span) = r.span.filter(|_| refreshed) {
                if !m.refreshed_files.contains(&span.file) {
                    m.refreshed_files.push(span.file);
                }
            }
            if !r.rtype.starts_with("genesyscloud_") {
                continue;
            }
            if r.mode == Mode::Data {
                if let Some(id) = r.id.clone() {
                    data_ids.insert(r.address.clone(), id);
                }
                continue;
            }
            if !types_seen.contains(&r.rtype) {
                types_seen.push(r.rtype.clone());
            }
            if r.id.is_some() && !id_types.contains(&r.rtype) {
                id_types.push(r.rtype.clone());
            }
            let name = r.attrs.get("name").and_then(Val::as_smol_str).cloned();
            let existing =
                r.id.as_ref()
                    .and_then(|id| m.by_id.get(id).copied())
                    .or_else(|| {
                        let first = m.by_address.get(r.address.as_str()).copied()?;
                        let o = (same_address.get(r.address.as_str()))
                            .and_then(|all| root_holding(&m, all, &state_path))
                            .unwrap_or(first);
                        Some(o).filter(|o| m.obj(*o).rtype == r.rtype.as_str())
                    })
                    .or_else(|| {
                        let n = name.as_ref()?;
                        if !types::name_is_unique(&r.rtype) {
                            return None;
                        }
                        match m.named(&r.rtype, n) {
                            [one] => Some(*one),
                            _ => None,
                        }
                    });
            managed += 1;
            declared += usize::from(existing.is_some_and(|o| {
                let o = m.obj(o);
                o.config.is_some() && *o.address == *r.address
            }));
            let address: Arc<str> = Arc::from(r.address);
            let part = StatePart {
                input: idx,
                address: address.clone(),
                attrs: r.attrs,
                span: r.span,
            };
            let is_new = existing.is_none();
            let obj = match existing {
                Some(o) => {
                    let object = &mut m.objects[o.0 as usize];
                    if object.id.is_none() {
                        object.id = r.id.clone();
                    }
                    if object.name.is_none() {
                        object.name = name;
                    }
                    object.state.push(part);
                    o
                }
                None => {
                    let o = ObjId(m.objects.len() as u32);
                    m.objects.push(Object {
                        rtype: crate::ir::Name::new(&r.rtype),
                        address: address.clone(),
                        name,
                        id: r.id.clone(),
                        config: None,
                        state: vec![part],
                    });
                    o
                }
            };
            m.index(obj, is_new);
            m.by_address.entry(address).or_insert(obj);
        }
        // The configuration's own state (every resource it holds is one the configuration
        // declares: `terraform.tfstate` of this workspace, or the prior state of its plan) lists
        // what the workspace manages, not the org: a code made in the UI or by another
        // workspace is not in it, so a lookup or an id it lacks is not known to be missing.
        // Its ids and attributes still count. An export's state, another workspace's and a
        // snapshot hold objects the configuration does not declare, and list their types.
        let own_state = refreshed && managed > 0 && declared == managed;
        if !own_state {
            info.types = types_seen;
            info.id_types = id_types;
        }
        info.incomplete_types = doc.incomplete_types;
        m.state_inputs.push(info);
    }

    // 3. Data-source lookups, by name, as the provider does at plan time.
    for d in 0..m.data.len() {
        let lookup = m.lookup_data(d, &data_ids);
        m.data[d].lookup = lookup;
    }

    m.collect_usages();
    m
}

/// A configuration resource as an object (state parts are merged in later).
fn config_object(
    ev: &Evaluator<'_>,
    inst: InstanceId,
    root_dirs: &HashMap<crate::eval::ModInst, Arc<std::path::Path>>,
    whole: &[Vec<bool>],
) -> Object {
    let decl = ev.resource_block(inst);
    let scope = ev.resource_scope(inst);
    let attrs = kept_body(ev, inst, whole);
    Object {
        rtype: crate::ir::Name::new(&decl.rtype),
        address: ev.resource_address(inst),
        name: attrs.get("name").and_then(Val::as_smol_str).cloned(),
        id: None,
        config: Some(ConfigPart {
            instance: inst,
            attrs,
            header: decl.header,
            block: decl.span,
            root_dir: root_dir_of(ev, scope.module, root_dirs),
            provider: provider_of(ev, scope.module, decl),
        }),
        state: Vec::new(),
    }
}

/// Of the configuration objects at one address, the one whose root module directory holds the
/// state input (the deepest, if several do): `envs/prod/terraform.tfstate` is `envs/prod`'s.
fn root_holding(m: &Model, candidates: &[ObjId], state_path: &std::path::Path) -> Option<ObjId> {
    (candidates.iter().copied())
        .filter_map(|o| Some((o, &*m.obj(o).config.as_ref()?.root_dir)))
        .filter(|(_, root)| state_path.starts_with(root))
        .max_by_key(|(_, root)| root.components().count())
        .map(|(o, _)| o)
}

/// The provider configuration a resource uses, as its root module names it: its `provider`
/// argument (or its type's default provider), renamed by the `providers` map of each module call
/// on the way up. `None` for the root's default configuration.
fn provider_of(
    ev: &Evaluator<'_>,
    mut module: crate::eval::ModInst,
    decl: &crate::workspace::ResourceDecl,
) -> Option<crate::ir::Name> {
    let default = super::default_provider(&decl.rtype);
    // `None` while it is the default: most resources name none, and pass through no
    // `providers` map, so nothing is allocated for them.
    // An override file's `provider` replaces the base's.
    let provider = |b: &crate::ir::Body| b.attr("provider").and_then(|a| provider_ref(&a.expr));
    let mut name = (decl.overlays().iter().rev())
        .find_map(|o| provider(&o.body))
        .or_else(|| decl.body().as_ref().and_then(|b| provider(b)));
    while let Some((parent, call)) = ev.parent_of(module) {
        let caller = ev.ws.module(ev.module_of(parent));
        let providers = caller.module_call_attr(call, "providers").map(|(a, _)| a);
        let passed = providers.and_then(|a| match &a.expr.kind {
            crate::ir::ExprKind::Object(fields) => fields
                .iter()
                .find(|(k, _)| {
                    provider_ref(k).as_deref() == Some(name.as_deref().unwrap_or(default))
                })
                .and_then(|(_, v)| provider_ref(v)),
            _ => None,
        });
        // Not passed: the default configuration is inherited under its own name.
        if passed.is_some() {
            name = passed;
        }
        module = parent;
    }
    name.filter(|n| n != default)
        .map(|n| crate::ir::Name::new(&n))
}

/// `genesyscloud.emea` (or `"genesyscloud.emea"` in `.tf.json`) as text.
fn provider_ref(e: &crate::ir::Expr) -> Option<String> {
    if let crate::ir::ExprKind::String(s) = &e.kind {
        return Some(s.to_string());
    }
    let t = e.traversal()?;
    let crate::ir::Root::Name(root, _) = t.root else {
        return None;
    };
    let mut out = root.to_owned();
    for op in &t.ops {
        out.push('.');
        out.push_str(op.attr()?);
    }
    Some(out)
}

/// A configuration data source, its lookup still to be resolved against the loaded states.
fn data_lookup(
    ev: &Evaluator<'_>,
    inst: InstanceId,
    root_dirs: &HashMap<crate::eval::ModInst, Arc<std::path::Path>>,
    whole: &[Vec<bool>],
) -> DataLookup {
    let decl = ev.resource_block(inst);
    let scope = ev.resource_scope(inst);
    let attrs = kept_body(ev, inst, whole);
    let name_val = attrs.get("name");
    let span = name_val.and_then(|v| v.span).unwrap_or(decl.header);
    let (name, lookup) = match name_val.map(|v| &v.v) {
        Some(V::String(s)) => (Some(s.to_string()), Lookup::Unknown(String::new())),
        Some(V::Unknown(why)) => (None, Lookup::Unknown(why.to_string())),
        _ => (
            None,
            Lookup::Unknown("the data source has no `name`".into()),
        ),
    };
    DataLookup {
        instance: inst,
        rtype: decl.rtype.to_string(),
        address: ev.resource_address(inst).to_string(),
        name,
        span,
        lookup,
        root_dir: root_dir_of(ev, scope.module, root_dirs),
        provider: provider_of(ev, scope.module, decl),
    }
}

/// The directory of the root module a module instance belongs to.
fn root_dir_of(
    ev: &Evaluator<'_>,
    module: crate::eval::ModInst,
    root_dirs: &HashMap<crate::eval::ModInst, Arc<std::path::Path>>,
) -> Arc<std::path::Path> {
    root_dirs[&ev.root_of(module)].clone()
}

/// An instance's evaluated body as the model keeps it (see [`super::keep`]).
fn kept_body(ev: &Evaluator<'_>, inst: InstanceId, whole: &[Vec<bool>]) -> Val {
    let (module, decl) = ev.resource_decl_of(inst);
    match whole[module.0 as usize][decl] {
        true => ev.instance_body(inst, None),
        false => {
            let kept = super::keep::kept_of(&ev.resource_block(inst).rtype);
            ev.instance_body(inst, kept.map(|k| k as &dyn crate::eval::Keep))
        }
    }
}

/// How many instances of each declaration the build has still to evaluate; the body of one with
/// none left is released.
struct Pending(Vec<Vec<AtomicU32>>);

impl Pending {
    fn new<'i>(ev: &Evaluator<'_>, instances: impl Iterator<Item = &'i InstanceId>) -> Self {
        let mut counts: Vec<Vec<u32>> = (ev.ws.modules.iter())
            .map(|m| vec![0; m.resources.len()])
            .collect();
        for &inst in instances {
            let (module, decl) = ev.resource_decl_of(inst);
            counts[module.0 as usize][decl] += 1;
        }
        Pending(
            (counts.into_iter())
                .map(|c| c.into_iter().map(AtomicU32::new).collect())
                .collect(),
        )
    }

    /// `inst` is in the model: release its declaration's body if it was the last instance.
    fn evaluated(&self, ev: &Evaluator<'_>, inst: InstanceId) {
        let (module, decl) = ev.resource_decl_of(inst);
        if self.0[module.0 as usize][decl].fetch_sub(1, Ordering::AcqRel) == 1 {
            ev.ws.module(module).resources[decl].release_body();
            crate::syntax_heap::released();
        }
    }
}

/// Add `id` to its type's objects in `by_type`.
fn add_to_type(by_type: &mut FxHashMap<SmolStr, Vec<ObjId>>, rtype: crate::ir::Name, id: ObjId) {
    // Look up before inserting: most types are already present, and `entry` would allocate the
    // key every time.
    match by_type.get_mut(rtype.as_str()) {
        Some(ids) => ids.push(id),
        None => {
            by_type.insert(rtype.to_smol_str(), vec![id]);
        }
    }
}

/// The `by_name` hash of an object (see [`super::names`]), if it has a name.
fn name_hash(o: &Object) -> Option<u64> {
    (o.name.as_ref()).map(|n| super::names::name_hash(&o.rtype, n))
}

impl Model {
    /// Index an object. `new` is false when a state input merged into an existing object: it is
    /// already listed by type, and only facts the state added (id, name) need indexing.
    fn index(&mut self, id: ObjId, new: bool) {
        let o = &self.objects[id.0 as usize];
        let address = o.config.is_some().then(|| o.address.clone());
        let name = name_hash(o);
        self.index_with(id, address, name, new);
    }

    /// [`Self::index`] with the keys already made (the configuration's objects make theirs on
    /// every core): the address of a configuration object, and the hash of its type and name.
    /// Returns the object that already held the address, if another did.
    fn index_with(
        &mut self,
        id: ObjId,
        address: Option<Arc<str>>,
        name_hash: Option<u64>,
        new: bool,
    ) -> Option<ObjId> {
        let o = &self.objects[id.0 as usize];
        if let Some(gid) = &o.id {
            self.by_id.entry(gid.clone()).or_insert(id);
        }
        let mut holder = None;
        if let Some(address) = address {
            let first = *self.by_address.entry(address).or_insert(id);
            holder = (first != id).then_some(first);
        }
        if let Some(hash) = name_hash {
            self.by_name.insert(&self.objects, id, hash);
        }
        if new {
            add_to_type(&mut self.by_type, o.rtype, id);
        }
        holder
    }

    fn lookup_data(&self, d: usize, data_ids: &HashMap<String, String>) -> Lookup {
        let data = &self.data[d];
        // The configuration's own state may record what the data source resolved to: then the
        // plan found it, whatever the listings loaded say (a workspace's state lists what the
        // workspace manages, not every object of the type).
        if let Some(id) = data_ids.get(&data.address) {
            return match self.by_id.get(id) {
                Some(obj) => Lookup::Found(*obj),
                // Found at plan time, destroyed at apply: what uses its id breaks then.
                None if self.deleted_by_plan(&data.rtype, id, true).is_some() => Lookup::NotFound,
                None => Lookup::Unknown(format!(
                    "`{}` resolved to id `{id}` when the state was written; no loaded listing holds that id",
                    data.address
                )),
            };
        }
        if data.rtype == "genesyscloud_auth_division_home" {
            return self
                .of_type(types::DIVISION)
                .find(|(_, o)| o.attr("home").and_then(|(v, _)| v.as_bool()) == Some(true))
                .map_or_else(
                    || Lookup::Unknown("the home division is not in any loaded state".into()),
                    |(id, _)| Lookup::Found(id),
                );
        }
        let Some(name) = &data.name else {
            return data.lookup.clone();
        };
        // The org's own objects: what the configuration manages through another provider
        // configuration is in another org (and state objects cannot tell, so they count).
        let same_org = |o: &ObjId| {
            let config = self.objects[o.0 as usize].config.as_ref();
            config.is_none_or(|c| c.org_key() == data.org_key())
        };
        if let Some(&obj) = self.named(&data.rtype, name).iter().find(|o| same_org(o)) {
            return Lookup::Found(obj);
        }
        if self.state_covers(&data.rtype)
            || self.deleted_by_plan(&data.rtype, name, false).is_some()
        {
            return Lookup::NotFound;
        }
        let why = if (self.state_inputs.iter()).any(|s| s.incomplete_types.contains(&data.rtype)) {
            format!(
                "the org state's listing of `{}` is incomplete (a snapshot records each listing it was refused, with the permission it needs), so it cannot be checked",
                data.rtype
            )
        } else if !self.state_inputs.is_empty() {
            format!(
                "no org state loaded lists `{}`, so it cannot be checked",
                data.rtype
            )
        } else {
            "without org state (`--state`) it cannot be checked".to_owned()
        };
        Lookup::Unknown(format!(
            "`{}` looks up `{name}` by name; {why}",
            data.address
        ))
    }
}
