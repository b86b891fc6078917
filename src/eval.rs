//! Evaluation of Terraform expressions, as far as they can be known before `terraform apply`.
//!
//! Resolves what Terraform would: `var.*` (defaults, tfvars, `--var`, `TF_VAR_*`), `local.*`,
//! resource and data references (bare and `"${...}"`), `count`/`for_each` instances, `each.*`,
//! `count.index`, `for` expressions, splats, module outputs wired into module inputs, `path.*`, and
//! the functions configurations use to shape ids and names. Everything else is
//! [`V::Unknown`], with a reason: a rule never builds an error on it.
//!
//! Evaluation is lazy and memoised: a local, a module output or a resource's instances are computed
//! once, when first needed. Cycles (`local.a = local.b`, `local.b = local.a`) are detected and
//! evaluate to unknown, and recorded as [`EvalProblem`]s.

use std::cell::Cell;
use std::collections::{BTreeMap, HashSet};

// The memo and expansion caches are hit for every reference evaluated; their keys are small
// integers and names from the user's own configuration, so a fast non-keyed hash is safe.
use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::sync::Arc;
use std::sync::{Mutex, OnceLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::thread::ThreadId;

use smol_str::SmolStr;

use crate::eval_budget as budget;
use crate::ir::{
    Attribute, BinaryOp, Block, Body, Expr, ExprKind, ForExpr, Index, Op, Root, TemplatePart,
    TraversalView, UnaryOp,
};
use crate::load::Mode;
use crate::source::{FileId, Span};
use crate::value::{
    Fields, InstanceId, Obj, V, Val, from_json, number_to_string, own_string, shared_name, to_json,
};
use crate::workspace::{InputVar, ModuleId, Workspace};

/// The most instances one `count` or `for_each` may expand to; beyond it the resource is unknown
/// (a `count = 100000000` must not exhaust memory).
pub const MAX_INSTANCES: usize = 10_000;
/// Deepest expression evaluation before giving up (hostile or cyclic input).
const MAX_DEPTH: u32 = 256;
/// Deepest module nesting followed.
const MAX_MODULE_DEPTH: usize = 32;

/// The instances of one module call, by key.
type ChildInstances = Vec<(InstanceKey, ModInst)>;

/// Index of a module instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModInst(pub u32);

/// The key of a `count` or `for_each` instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstanceKey {
    None,
    Int(i64),
    Str(String),
}

impl InstanceKey {
    pub fn suffix(&self) -> String {
        match self {
            InstanceKey::None => String::new(),
            InstanceKey::Int(i) => format!("[{i}]"),
            InstanceKey::Str(s) => Self::str_suffix(s),
        }
    }

    /// The address suffix of the `for_each` key `key` (`["key"]`), without making the key.
    pub fn str_suffix(key: &str) -> String {
        format!("[{key:?}]")
    }
}

/// One instance of a module.
#[derive(Debug)]
pub struct ModuleInstance {
    pub module: ModuleId,
    pub parent: Option<(ModInst, usize)>,
    /// `module.a.module.b["k"].` (empty for a root).
    pub prefix: String,
    /// The root module instance this one descends from.
    pub root: ModInst,
    pub each: Option<Arc<(Val, Val)>>,
    pub count: Option<i64>,
    pub depth: usize,
}

/// One instance of a resource or data source (its key is in its address, and in `each` or
/// `count`).
#[derive(Debug)]
pub struct ResourceInstance {
    pub module_inst: ModInst,
    /// Index into the module's `resources`.
    pub decl: usize,
    pub each: Option<Arc<(Val, Val)>>,
    pub count: Option<i64>,
}

/// How a declaration expanded.
#[derive(Debug, Clone)]
enum Expansion {
    Single(InstanceId),
    // Shared: every reference to the resource takes a copy (`expand` is memoised).
    List(Arc<[InstanceId]>),
    /// Sorted by key (for_each keys come sorted), so one key is found by binary search.
    Map(Arc<[(SmolStr, InstanceId)]>),
    Unknown(Arc<str>),
}

/// Something wrong found while evaluating (reported by rules).
#[derive(Debug, Clone)]
pub enum EvalProblem {
    /// A local, variable or output that depends on itself.
    Cycle { what: String, span: Span },
    /// `count`/`for_each` too large to expand.
    TooManyInstances {
        what: String,
        count: usize,
        span: Span,
    },
    /// A value given up as unknown because computing it reached a bound of
    /// `crate::eval_budget` (steps, string length, size).
    TooCostly {
        what: String,
        why: String,
        span: Span,
    },
    /// A run-wide bound of `crate::eval_budget` reached (steps, weight or instances of the
    /// whole run): from there on nothing more is evaluated or expanded, so the check is
    /// incomplete. Recorded once, for the first bound reached, where it was reached.
    Incomplete {
        bound: budget::RunBound,
        /// The bound's value in the run.
        limit: u64,
        /// What was being evaluated, or expanded, when it was reached.
        what: String,
        span: Span,
    },
    /// `m["key"]` on a map built in an `output` or a `locals` value that has no such key:
    /// Terraform stops the plan ("Invalid index").
    MissingKey {
        key: String,
        /// The index (`["key"]`).
        span: Span,
        /// Where the map is built.
        object: Span,
        /// Its keys, in order.
        keys: Vec<SmolStr>,
    },
    /// `type.name["key"]` or `type.name[2]` naming an instance its `for_each` or `count` does
    /// not make, when those are spelt out in the configuration ([`crate::eval_spelt_out`]):
    /// Terraform stops the plan ("Invalid index").
    MissingInstance {
        /// The resource's address in its module (`genesyscloud_routing_wrapupcode.all`).
        address: String,
        /// The key (`for_each`) or the number (`count`) indexed.
        key: String,
        /// The index.
        span: Span,
        /// Where its `for_each` or `count` is written.
        repeat: Span,
        /// The keys it has (`for_each`), or none (`count`).
        keys: Vec<SmolStr>,
        /// Its `count` (`for_each`: `None`).
        count: Option<usize>,
    },
}

thread_local! {
    /// Above zero while the arguments of `try` or `can` are evaluated: an index that misses
    /// there is what they are for.
    static SPECULATIVE: Cell<u32> = const { Cell::new(0) };
}

/// A resource declaration whose `count` or `for_each` is not known: it has no instances, yet
/// what its body refers to may still matter (a queue's `wrapup_codes` names the codes every
/// instance will offer, however many there are).
#[derive(Debug, Clone)]
pub struct Unexpanded {
    pub mode: crate::load::Mode,
    pub rtype: SmolStr,
    /// `module.x.type.name`.
    pub address: String,
    /// The module instance's address prefix (`module.x.`), against which its references resolve.
    pub prefix: String,
    /// The managed resources its body refers to: (top-level attribute, type, name).
    pub refs: Vec<(SmolStr, SmolStr, SmolStr)>,
    /// Why its instances are not known, and where `for_each` or `count` is written.
    pub why: Arc<str>,
    pub span: Option<Span>,
    /// Its root is a directory `terraform` may not run in (`ModuleDef::runs_terraform`): a
    /// module checked on its own, whose caller would give the values it lacks.
    pub standalone_module: bool,
    /// Not expanded once a run-wide bound was reached ([`EvalProblem::Incomplete`] says so,
    /// once for all of them).
    pub over_budget: bool,
}

/// How many times one place may reach a bound of `crate::eval_budget` before it is no longer
/// evaluated: a `count` of 10,000 instances of one costly attribute would otherwise take each
/// instance's full budget, minutes in all.
const COSTLY_REPEATS: u32 = 3;

#[derive(Clone, Default)]
struct Frame {
    vars: Option<Arc<ForVar>>,
}

struct ForVar {
    name: String,
    val: Val,
    next: Option<Arc<ForVar>>,
}

/// Where an expression is evaluated.
#[derive(Clone)]
pub struct Scope {
    pub module: ModInst,
    /// The file the expressions evaluated in the scope are written in: the syntax locates them
    /// without it (see [`crate::ir`]), the values made from them with it.
    pub file: FileId,
    each: Option<Arc<(Val, Val)>>,
    count: Option<i64>,
    frame: Frame,
}

impl Scope {
    /// For expressions written in `file`, in a module instance.
    pub fn module(module: ModInst, file: FileId) -> Self {
        Scope {
            module,
            file,
            each: None,
            count: None,
            frame: Frame::default(),
        }
    }

    fn with_var(&self, name: &str, val: Val) -> Scope {
        let mut s = self.clone();
        s.frame.vars = Some(Arc::new(ForVar {
            name: name.to_owned(),
            val,
            next: s.frame.vars.take(),
        }));
        s
    }

    fn lookup(&self, name: &str) -> Option<&Val> {
        let mut cur = self.frame.vars.as_deref();
        while let Some(v) = cur {
            if v.name == name {
                return Some(&v.val);
            }
            cur = v.next.as_deref();
        }
        None
    }
}

/// A named value of a module instance; the name borrows from the workspace (no allocation per
/// lookup: these are the evaluator's hottest map keys).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum MemoKey<'w> {
    Local(ModInst, &'w str),
    Var(ModInst, &'w str),
    Output(ModInst, &'w str),
}

/// What of a resource's body [`Evaluator::instance_body`] evaluates and stores: the model's
/// choice (`model/keep.rs`), made in two steps because some attributes are worth storing only
/// for some values.
pub trait Keep {
    /// Is the attribute or nested block `name` evaluated?
    fn evaluates(&self, name: &str) -> bool;
    /// Is an evaluated `value` stored?
    fn stores(&self, name: &str, value: &Val) -> bool;
}

/// A [`Keep`] that also leaves out what a later override file's block replaces (see
/// [`Evaluator::eval_resource_body`]).
struct NotReplaced<'a> {
    keep: Option<&'a dyn Keep>,
    replaced: HashSet<&'a str>,
}

impl Keep for NotReplaced<'_> {
    fn evaluates(&self, name: &str) -> bool {
        !self.replaced.contains(name) && self.keep.is_none_or(|k| k.evaluates(name))
    }

    fn stores(&self, name: &str, value: &Val) -> bool {
        self.keep.is_none_or(|k| k.stores(name, value))
    }
}

/// Under this suffix an evaluated body also keeps the structured argument of an attribute
/// written `name = jsonencode(arg)` (see [`Evaluator::eval_body_keeping_json`]).
pub const JSON_SUFFIX: &str = "#jsonencode";

/// The evaluated bodies of the resource instances the model build has evaluated. Once every
/// instance of a declaration is here its syntax is no longer needed, and the build releases it
/// (see `model::build`): a reference to one of its attributes is then read from here. Reading
/// an attribute from the syntax evaluates exactly what the body holds under its name
/// ([`Evaluator::body_member`]), so which of the two a reference finds makes no difference.
///
/// One slot per instance, made once expansion has created them all (the build comes after),
/// lock-free to read and written once.
struct Bodies(OnceLock<Box<[OnceLock<Obj>]>>);

impl Bodies {
    fn slot(&self, id: InstanceId) -> Option<&OnceLock<Obj>> {
        self.0.get().and_then(|s| s.get(id.0 as usize))
    }

    fn get(&self, id: InstanceId) -> Option<Obj> {
        self.slot(id)?.get().cloned()
    }

    /// Store a body unless another thread stored one first (both are equal); what is stored.
    /// Before expansion is done there is nowhere to store it (nothing is released then).
    fn insert(&self, id: InstanceId, fields: Obj) -> Obj {
        match self.slot(id) {
            Some(slot) => slot.get_or_init(|| fields).clone(),
            None => fields,
        }
    }

    /// Make a slot for each of `count` instances (once).
    fn freeze(&self, count: usize) {
        let _ = self.0.set((0..count).map(|_| OnceLock::new()).collect());
    }
}

/// Interior mutability that the threads evaluating resources in parallel can share. The API
/// mirrors `RefCell` (which this replaced): a borrow is held only for a lookup or an insert, never
/// across an evaluation, so the lock is never taken twice by one thread.
#[derive(Default)]
struct Lock<T>(RwLock<T>);

impl<T> Lock<T> {
    fn new(v: T) -> Self {
        Lock(RwLock::new(v))
    }
    fn borrow(&self) -> RwLockReadGuard<'_, T> {
        // A panic in another evaluation thread cannot leave these maps half-updated (every
        // write is a single insert or push), so a poisoned lock is still consistent.
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }
    fn borrow_mut(&self) -> RwLockWriteGuard<'_, T> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// An append-only table that becomes lock-free to read once frozen.
///
/// Module and resource instances are created while expanding (one thread) and then only read, by
/// every thread evaluating bodies, several times per reference. A read lock on a shared lock
/// writes its cache line, which then bounces between the cores on every read: at 50 MB that was
/// 2% of the run in `module_of` alone. [`Table::freeze`] moves the rows into a [`OnceLock`],
/// read with a plain load; rows pushed after it (none are expected: expansion creates them all)
/// still work, behind the lock.
struct Table<T> {
    frozen: OnceLock<Vec<T>>,
    tail: Lock<Vec<T>>,
}

impl<T> Table<T> {
    fn new() -> Self {
        Table {
            frozen: OnceLock::new(),
            tail: Lock::new(Vec::new()),
        }
    }

    fn frozen_len(&self) -> usize {
        self.frozen.get().map_or(0, Vec::len)
    }

    /// Read row `i` (which must exist).
    fn with<R>(&self, i: usize, f: impl FnOnce(&T) -> R) -> R {
        if let Some(row) = self.frozen.get().and_then(|rows| rows.get(i)) {
            return f(row);
        }
        let tail = self.tail.borrow();
        // Frozen under the write lock: with the read lock held, `frozen` is settled.
        f(&tail[i - self.frozen_len()])
    }

    fn len(&self) -> usize {
        let tail = self.tail.borrow();
        self.frozen_len() + tail.len()
    }

    /// Append a row; its index.
    fn push(&self, row: T) -> usize {
        let mut tail = self.tail.borrow_mut();
        let i = self.frozen_len() + tail.len();
        tail.push(row);
        i
    }

    /// Make every row so far lock-free to read (once; later calls do nothing).
    fn freeze(&self) {
        let mut tail = self.tail.borrow_mut();
        if self.frozen.get().is_none() {
            let _ = self.frozen.set(std::mem::take(&mut *tail));
        }
    }
}

/// A memo that the threads evaluating bodies share: lock-free to read for what was stored before
/// [`Memo::freeze`] (locals, expansions, module instances: everything expansion computes), behind
/// a lock for what is stored after it.
struct Memo<K, V> {
    frozen: OnceLock<HashMap<K, V>>,
    tail: Lock<HashMap<K, V>>,
}

impl<K: Eq + std::hash::Hash, V: Clone> Memo<K, V> {
    fn new() -> Self {
        Memo {
            frozen: OnceLock::new(),
            tail: Lock::new(HashMap::default()),
        }
    }

    fn frozen(&self, key: &K) -> Option<V> {
        self.frozen.get().and_then(|m| m.get(key)).cloned()
    }

    fn get(&self, key: &K) -> Option<V> {
        self.frozen(key)
            .or_else(|| self.tail.borrow().get(key).cloned())
    }

    /// Store `value` unless one was stored first (another thread may compute the same value at
    /// once); what is stored.
    fn insert(&self, key: K, value: V) -> V {
        if let Some(v) = self.frozen(&key) {
            return v;
        }
        self.tail.borrow_mut().entry(key).or_insert(value).clone()
    }

    /// Make everything stored so far lock-free to read (once; later calls do nothing).
    fn freeze(&self) {
        let mut tail = self.tail.borrow_mut();
        if self.frozen.get().is_none() {
            let _ = self.frozen.set(std::mem::take(&mut *tail));
        }
    }
}

thread_local! {
    /// Nesting depth of `eval` on this thread (a guard against stack overflow; per thread
    /// because resources are evaluated on several).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// The resource attributes being evaluated from syntax on this thread, innermost last: an
    /// attribute that needs itself (`name = genesyscloud_routing_queue.q.name` inside `q`, or
    /// two resources naming each other's) is unknown at once, instead of recursing until the
    /// depth guard, which a debug build's larger frames did not reach before the stack ran out.
    static IN_PROGRESS: std::cell::RefCell<Vec<(InstanceId, Box<str>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// An entry of [`IN_PROGRESS`] for as long as it lives.
struct InProgress;

impl InProgress {
    /// `None` when the attribute is already being evaluated on this thread.
    fn enter(id: InstanceId, name: &str) -> Option<InProgress> {
        IN_PROGRESS.with_borrow_mut(|stack| {
            if stack.iter().any(|(i, n)| *i == id && &**n == name) {
                return None;
            }
            stack.push((id, name.into()));
            Some(InProgress)
        })
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        IN_PROGRESS.with_borrow_mut(|stack| stack.pop());
    }
}

/// The evaluator over a [`Workspace`].
pub struct Evaluator<'w> {
    pub ws: &'w Workspace,
    instances: Table<ModuleInstance>,
    resources: Table<ResourceInstance>,
    roots: Vec<ModInst>,
    children: Memo<(ModInst, usize), Expansion>,
    child_insts: Memo<(ModInst, usize), ChildInstances>,
    expansions: Memo<(ModInst, usize), Expansion>,
    /// Where the `for_each` or `count` of an expanded declaration is written, when it is spelt
    /// out ([`crate::eval_spelt_out`]): decided at expansion, since the body is released once
    /// its instances are evaluated and an index may miss them later (see
    /// [`EvalProblem::MissingInstance`]).
    spelt_repeats: Mutex<rustc_hash::FxHashMap<(ModInst, usize), Span>>,
    memo: Memo<MemoKey<'w>, Val>,
    bodies: Bodies,
    /// Named values being computed, per thread: seeing one again on the same thread is a cycle;
    /// another thread computing the same value concurrently is not. Evaluation must therefore
    /// never call into rayon: a thread waiting in a parallel call may steal another evaluation
    /// and would then see its own unfinished value as a cycle.
    in_progress: Mutex<FxHashSet<(MemoKey<'w>, ThreadId)>>,
    problems: Lock<Vec<EvalProblem>>,
    /// The module of each configuration file, by file id (see [`Evaluator::missing_key`]): made
    /// on the first miss, so that a miss looks at one module's outputs and locals, not at every
    /// module's. (A set of every spelt-out map cost 0.9 MiB at 10 MB.)
    module_of_file: OnceLock<Vec<u32>>,
    unexpanded: Lock<Vec<Unexpanded>>,
    /// Places that reached a bound of `crate::eval_budget`, with how often and why (see
    /// [`COSTLY_REPEATS`]); `any_costly` spares every evaluation the lock until one has.
    costly: Mutex<HashMap<Span, (u32, String)>>,
    any_costly: std::sync::atomic::AtomicBool,
    /// What the whole run has spent (see `crate::eval_budget`).
    run: budget::Run,
    /// Whether [`EvalProblem::Incomplete`] is recorded (once a run).
    incomplete: std::sync::atomic::AtomicBool,
    /// JSON written with parts not known before apply, by the span of the template or
    /// `format()` call: see [`Evaluator::json_skeletons`].
    /// By span; `None` where the same span gave different skeletons (instances differ).
    skeletons: Mutex<HashMap<Span, Option<Box<str>>>>,
    /// The files `file()` and `templatefile()` read, by path (`None`: not readable); each is
    /// read once however many instances call it.
    /// Shared: `file()` in a `for_each` of many instances clones a reference, not the text.
    files: Mutex<HashMap<std::path::PathBuf, Option<SmolStr>>>,
}

/// What stands for a part not known before apply in a [JSON skeleton](Evaluator::json_skeletons):
/// a Velocity reference, which the JSON checks of data-action templates already take as one
/// value of any kind.
pub const UNKNOWN_PART: &str = "${terraform_value}";

/// The largest file `file()` and `templatefile()` read: larger, the value is unknown.
pub const MAX_READ_FILE: u64 = 1 << 20;

/// The stand-in for `v`, a part not known before apply, in a JSON skeleton: [`UNKNOWN_PART`], or
/// for the `id` of a resource instance of the configuration `${terraform_id_N}` (see
/// [`skeleton_ids`]), so that the model can tell which object a request names.
pub fn unknown_part(v: &Val) -> String {
    match v.v {
        V::Id(inst) => format!("${{{SKELETON_ID}{}}}", inst.0),
        _ => UNKNOWN_PART.to_owned(),
    }
}

const SKELETON_ID: &str = "terraform_id_";

/// The resource instances whose `id` stands in a JSON skeleton (see [`unknown_part`]).
pub fn skeleton_ids(skeleton: &str) -> impl Iterator<Item = InstanceId> + '_ {
    let open = format!("${{{SKELETON_ID}");
    skeleton.match_indices("${").filter_map(move |(at, _)| {
        let rest = skeleton[at..].strip_prefix(open.as_str())?;
        let digits = &rest[..rest.find('}')?];
        Some(InstanceId(digits.parse().ok()?))
    })
}

/// A JSON skeleton (see [`unknown_part`]) as a value, at `span`: a stand-in for a resource
/// instance's `id` becomes that id ([`V::Id`]), any other stand-in an unknown. A stand-in outside
/// a string (`"n": ${var.n}`) stands for a whole value. `None` when the JSON is broken.
pub fn skeleton_value(skeleton: &str, span: Option<Span>) -> Option<Val> {
    // Bare stand-ins quoted, so that a JSON parser reads the rest.
    let mut quoted = String::with_capacity(skeleton.len() + 8);
    let (mut in_string, mut escaped) = (false, false);
    let mut rest = skeleton;
    while let Some(c) = rest.chars().next() {
        if !in_string && rest.starts_with("${") {
            if let Some(end) = rest.find('}') {
                quoted.push('"');
                quoted.push_str(&rest[..=end]);
                quoted.push('"');
                rest = &rest[end + 1..];
                continue;
            }
        }
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            _ => {}
        }
        quoted.push(c);
        rest = &rest[c.len_utf8()..];
    }
    let json = serde_json::from_str::<serde_json::Value>(&quoted).ok()?;
    Some(with_stand_ins_read(crate::value::from_json(&json, span)))
}

/// `v` with each string that is a whole stand-in replaced by what it stands for.
fn with_stand_ins_read(v: Val) -> Val {
    let span = v.span;
    match &v.v {
        V::String(s) if s.starts_with("${") => {
            let inst = skeleton_ids(s).next();
            match inst {
                Some(inst) if s.as_str() == unknown_part(&Val::new(V::Id(inst), None)) => {
                    Val::new(V::Id(inst), span)
                }
                _ if s.as_str() == UNKNOWN_PART => Val::unknown("a part of the JSON is not known"),
                _ => v,
            }
        }
        V::List(items) => Val::list(
            items.iter().cloned().map(with_stand_ins_read).collect(),
            span,
        ),
        V::Object(o) => Val::object(
            o.iter()
                .map(|(k, item)| (k.clone(), with_stand_ins_read(item.clone())))
                .collect::<Fields>(),
            span,
        ),
        _ => v,
    }
}

/// `v` as JSON text, each part not known before apply written as its [`unknown_part`]; `None`
/// when nested deeper than a request body is, or longer than an evaluation builds.
fn json_with_holes(v: &Val, depth: usize, out: &mut String) -> Option<()> {
    if depth > 64 || out.len() > budget::MAX_STRING_BYTES {
        return None;
    }
    match &v.v {
        V::Unknown(_) | V::Id(_) | V::Instance(_) => out.push_str(&unknown_part(v)),
        V::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_with_holes(item, depth + 1, out)?;
            }
            out.push(']');
        }
        V::Object(fields) => {
            out.push('{');
            for (i, (k, item)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k.as_str()).ok()?);
                out.push(':');
                json_with_holes(item, depth + 1, out)?;
            }
            out.push('}');
        }
        _ => out.push_str(&crate::value::to_json_string(v)?),
    }
    Some(())
}

impl<'w> Evaluator<'w> {
    /// Create root module instances for every root module of the workspace.
    pub fn new(ws: &'w Workspace) -> Self {
        let ev = Evaluator {
            ws,
            instances: Table::new(),
            resources: Table::new(),
            roots: Vec::new(),
            children: Memo::new(),
            child_insts: Memo::new(),
            expansions: Memo::new(),
            spelt_repeats: Mutex::default(),
            memo: Memo::new(),
            bodies: Bodies(OnceLock::new()),
            in_progress: Mutex::default(),
            problems: Lock::default(),
            module_of_file: OnceLock::new(),
            unexpanded: Lock::default(),
            costly: Mutex::default(),
            any_costly: std::sync::atomic::AtomicBool::new(false),
            run: budget::Run::new(budget::Limits::from_env()),
            incomplete: std::sync::atomic::AtomicBool::new(false),
            skeletons: Mutex::default(),
            files: Mutex::default(),
        };
        let mut roots = Vec::new();
        for m in ws.roots() {
            let id = ModInst(ev.instances.len() as u32);
            ev.instances.push(ModuleInstance {
                module: m,
                parent: None,
                prefix: String::new(),
                root: id,
                each: None,
                count: None,
                depth: 0,
            });
            roots.push(id);
        }
        Evaluator { roots, ..ev }
    }

    /// What the run has spent of its bounds so far (see `crate::eval_budget::Run`).
    pub fn run_used(&self) -> budget::Limits {
        self.run.used()
    }

    pub fn roots(&self) -> &[ModInst] {
        &self.roots
    }

    /// Problems found while evaluating, in source order, each once (threads evaluating the same
    /// value at once may both record it).
    pub fn problems(&self) -> Vec<EvalProblem> {
        let mut out = self.problems.borrow().clone();
        let key = |p: &EvalProblem| match p {
            EvalProblem::Cycle { what, span } => (*span, what.clone()),
            EvalProblem::TooManyInstances { what, span, .. } => (*span, what.clone()),
            EvalProblem::TooCostly { what, span, .. } => (*span, what.clone()),
            EvalProblem::Incomplete { what, span, .. } => (*span, what.clone()),
            EvalProblem::MissingKey { key, span, .. } => (*span, key.clone()),
            EvalProblem::MissingInstance { key, span, .. } => (*span, key.clone()),
        };
        out.sort_by_key(key);
        out.dedup_by_key(|p| key(p));
        out
    }

    /// Record `object[key]` missing, when the map is one the configuration spells out key by key
    /// (the whole value of an `output` or a `locals` entry, an object constructor with literal
    /// keys) and no `try`/`can` expects the miss. Other maps are left alone: one from a
    /// variable's default or a `tfvars` file may be replaced by values cxlint does not see
    /// (`-var-file` in CI), and one made by a `for` has the keys of whatever it reads.
    fn missing_key(&self, key: &str, span: Span, object: &Val, fields: &crate::value::Obj) {
        if SPECULATIVE.with(Cell::get) > 0 {
            return;
        }
        let Some(at) = object.span else { return };
        let modules = self.module_of_file.get_or_init(|| {
            let mut of = Vec::new();
            for (i, m) in self.ws.modules.iter().enumerate() {
                for f in &m.files {
                    let f = f.0 as usize;
                    if of.len() <= f {
                        of.resize(f + 1, u32::MAX);
                    }
                    of[f] = i as u32;
                }
            }
            of
        });
        let Some(m) =
            (modules.get(at.file.0 as usize)).and_then(|&i| self.ws.modules.get(i as usize))
        else {
            return;
        };
        let spelt_out_here = |e: &Expr, file: FileId| {
            let literal_keys = match &e.kind {
                ExprKind::Object(items) => {
                    (items.iter()).all(|(k, _)| matches!(k.kind, ExprKind::String(_)))
                }
                _ => false,
            };
            literal_keys && e.span.in_file(file) == at
        };
        let outputs = (m.outputs.keys())
            .filter_map(|name| m.output_attr(name, "value"))
            .map(|(a, file)| (&a.expr, file));
        let locals = (m.locals.values()).map(|l| (&l.attr.expr, l.file));
        let spelt_out = { outputs }
            .chain(locals)
            .any(|(e, file)| spelt_out_here(e, file));
        if spelt_out {
            self.problems.borrow_mut().push(EvalProblem::MissingKey {
                key: key.to_owned(),
                span,
                object: at,
                keys: fields.keys().cloned().collect(),
            });
        }
    }

    /// Record an index that names no instance of declaration `decl` of `mi`'s module, when its
    /// `for_each` or `count` is spelt out ([`crate::eval_spelt_out`]) and no `try`/`can`
    /// expects the miss: a variable's value (a `tfvars` file, `-var` in CI) could make the
    /// instance.
    fn missing_instance(
        &self,
        mi: ModInst,
        decl: usize,
        key: String,
        span: Span,
        keys: Vec<SmolStr>,
        count: Option<usize>,
    ) {
        if SPECULATIVE.with(Cell::get) > 0 {
            return;
        }
        let spelt = self.spelt_repeats.lock().unwrap_or_else(|e| e.into_inner());
        let Some(&repeat) = spelt.get(&(mi, decl)) else {
            return;
        };
        drop(spelt);
        let module = self.ws.module(self.module_of(mi));
        let d = &module.resources[decl];
        self.problems
            .borrow_mut()
            .push(EvalProblem::MissingInstance {
                address: d.local_address(),
                key,
                span,
                repeat,
                keys,
                count,
            });
    }

    pub fn module_of(&self, inst: ModInst) -> ModuleId {
        self.instances.with(inst.0 as usize, |i| i.module)
    }

    /// The module instance that calls this one, and the index of its `module` block there.
    pub fn parent_of(&self, inst: ModInst) -> Option<(ModInst, usize)> {
        self.instances.with(inst.0 as usize, |i| i.parent)
    }

    pub fn root_of(&self, inst: ModInst) -> ModInst {
        self.instances.with(inst.0 as usize, |i| i.root)
    }

    pub fn prefix_of(&self, inst: ModInst) -> String {
        self.instances.with(inst.0 as usize, |i| i.prefix.clone())
    }

    /// Expand every module and resource instance reachable from the roots.
    pub fn expand_all(&self) {
        if self.resources.frozen.get().is_some() {
            return; // done already (check.rs expands beside the workspace passes)
        }
        let mut stack: Vec<ModInst> = self.roots.clone();
        let mut seen = HashSet::new();
        while let Some(mi) = stack.pop() {
            if !seen.insert(mi) {
                continue;
            }
            let module = self.ws.module(self.module_of(mi));
            for decl in 0..module.resources.len() {
                self.expand(mi, decl);
            }
            // Evaluate every local once (memoised), so a cycle is reported even when nothing
            // uses the values: Terraform rejects it either way (outputs: `evaluate_outputs`).
            let mut names: Vec<&String> = module.locals.keys().collect();
            names.sort();
            for name in names {
                self.local(mi, name);
            }
            for call in 0..module.module_calls.len() {
                stack.extend(self.child_instances(mi, call).into_iter().map(|(_, c)| c));
            }
        }
        // Every instance exists now; from here on they are read on all cores.
        self.instances.freeze();
        self.resources.freeze();
        self.expansions.freeze();
        self.children.freeze();
        self.child_insts.freeze();
        self.memo.freeze();
        self.bodies.freeze(self.resources.len());
    }

    /// Evaluate every output of every module instance (memoised: most are already, by their
    /// callers), so that what Terraform stops the plan on in one (a cycle through it, an
    /// instance or a map key that is not there) is reported even when nothing evaluated reads
    /// it. Only what the model keeps of a resource is evaluated, so an output read by nothing
    /// else would otherwise go unchecked. A root module's outputs are read by nothing, so they
    /// are in no cycle and their values are not kept, only evaluated. After the model build
    /// has evaluated the resources: evaluated earlier, the outputs' values were held through
    /// the expansion's peak for nothing.
    pub fn evaluate_outputs(&self) {
        for i in 0..self.instances.len() {
            let mi = ModInst(i as u32);
            let module = self.ws.module(self.module_of(mi));
            let mut names: Vec<&String> = module.outputs.keys().collect();
            names.sort();
            let root = self.roots.contains(&mi);
            for name in names {
                match (root, module.output_attr(name, "value")) {
                    // A frame of its own, as a memoised output's: what reaches a bound of
                    // `crate::eval_budget` is said (as too costly) and cut short there.
                    (true, Some((a, file))) => {
                        drop(self.eval_frame(&a.expr, &Scope::module(mi, file), || {
                            format!("output `{name}`")
                        }))
                    }
                    (true, None) => {}
                    (false, _) => drop(self.output(mi, name)),
                }
            }
        }
    }

    /// Scope for evaluating a resource instance's body.
    pub fn resource_scope(&self, id: InstanceId) -> Scope {
        self.resources.with(id.0 as usize, |r| Scope {
            module: r.module_inst,
            file: self.ws.module(self.module_of(r.module_inst)).resources[r.decl].file,
            each: r.each.clone(),
            count: r.count,
            frame: Frame::default(),
        })
    }

    /// The declaration of a resource instance.
    pub fn resource_block(&self, id: InstanceId) -> &'w crate::workspace::ResourceDecl {
        let (module, decl) = self.resource_decl_of(id);
        &self.ws.module(module).resources[decl]
    }

    /// The module and the index in its `resources` of a resource instance's declaration.
    pub fn resource_decl_of(&self, id: InstanceId) -> (ModuleId, usize) {
        let (mi, decl) = self
            .resources
            .with(id.0 as usize, |r| (r.module_inst, r.decl));
        (self.module_of(mi), decl)
    }

    /// The full address: `module.x.type.name["key"]`. Made when asked (the model asks once per
    /// instance), not kept: made while expanding, the addresses of every instance were in memory
    /// beside the whole configuration's syntax, at the run's peak.
    pub fn resource_address(&self, id: InstanceId) -> Arc<str> {
        let (mi, decl, each, count) = (self.resources).with(id.0 as usize, |r| {
            (r.module_inst, r.decl, r.each.clone(), r.count)
        });
        let d = &self.ws.module(self.module_of(mi)).resources[decl];
        let suffix = match (each, count) {
            (Some(kv), _) => InstanceKey::str_suffix(kv.0.as_str().unwrap_or_default()),
            (None, Some(i)) => InstanceKey::Int(i).suffix(),
            (None, None) => String::new(),
        };
        Arc::from(format!(
            "{}{}{suffix}",
            self.prefix_of(mi),
            d.local_address()
        ))
    }

    pub fn resource_count(&self) -> usize {
        self.resources.len()
    }

    // ----- expansion -----

    fn expand(&self, mi: ModInst, decl: usize) -> Expansion {
        if let Some(e) = self.expansions.get(&(mi, decl)) {
            return e;
        }
        let module = self.ws.module(self.module_of(mi));
        let d = &module.resources[decl];
        let base = format!("{}{}", self.prefix_of(mi), d.local_address());
        // Expansion precedes the model build, which alone releases bodies.
        let Some(body) = d.body() else {
            return Expansion::Unknown(Arc::from("the declaration was released"));
        };
        // An override file's `count` or `for_each` replaces the base's (the last one wins).
        let overlay = (d.overlays().iter().rev())
            .find(|o| o.body.attr("count").is_some() || o.body.attr("for_each").is_some());
        let (meta_body, meta_file) = match overlay {
            Some(o) => (&o.body, o.file),
            None => (&*body, d.file),
        };
        let keys = instance_keys(self, meta_body, &Scope::module(mi, meta_file), &base);
        let meta = (meta_body.attr("count")).or_else(|| meta_body.attr("for_each"));
        let repeat = meta.map(|a| a.expr.span.in_file(meta_file));
        let keys = self.within_run(keys, repeat.unwrap_or(d.header), &base);
        if let (Some(a), Some(span), Keys::Count(_) | Keys::Each(_)) = (meta, repeat, &keys) {
            if crate::eval_spelt_out::spelt_out(module, &a.expr) {
                let mut spelt = self.spelt_repeats.lock().unwrap_or_else(|e| e.into_inner());
                spelt.insert((mi, decl), span);
            }
        }
        let exp = match keys {
            Keys::Single => Expansion::Single(self.push_resource(mi, decl, None, None)),
            Keys::Count(n) => Expansion::List(
                (0..n)
                    .map(|i| self.push_resource(mi, decl, None, Some(i)))
                    .collect(),
            ),
            Keys::Each(items) => Expansion::Map({
                debug_assert!(items.windows(2).all(|w| w[0].0 < w[1].0), "keys sorted");
                items
                    .into_iter()
                    .map(|(k, v)| {
                        // `each.key` shares the key's string.
                        let key = Val::string(k.clone(), v.span);
                        let id = self.push_resource(mi, decl, Some(Arc::new((key, v))), None);
                        (k, id)
                    })
                    .collect()
            }),
            Keys::Unknown(why) => {
                (self.unexpanded.borrow_mut()).push(Unexpanded {
                    mode: d.mode,
                    rtype: d.rtype.clone(),
                    address: base,
                    prefix: self.prefix_of(mi),
                    refs: managed_refs(&body),
                    why: why.clone(),
                    // Where the `count` or `for_each` that applies is written: an override
                    // file's when one sets it.
                    span: repeat,
                    standalone_module: !self.root_module(mi).runs_terraform(),
                    over_budget: self.run.spent().is_some(),
                });
                Expansion::Unknown(why)
            }
        };
        self.expansions.insert((mi, decl), exp)
    }

    /// `keys`, unless the run may not expand as many more instances (see
    /// `crate::eval_budget::Run`): then none, and the run is incomplete from `what` at `at` on.
    /// Expansion is sequential ([`Evaluator::expand_all`]), so which declarations are expanded
    /// does not vary from run to run.
    fn within_run(&self, keys: Keys, at: Span, what: &str) -> Keys {
        let n = match &keys {
            Keys::Single => 1,
            Keys::Count(n) => *n as u64,
            Keys::Each(items) => items.len() as u64,
            Keys::Unknown(_) => return keys,
        };
        match self.run.add_instances(n) {
            Ok(()) => keys,
            Err(bound) => {
                self.incomplete(bound, at, || format!("`{what}`"));
                Keys::Unknown(Arc::from(bound.unknown_reason()))
            }
        }
    }

    /// Record that a run-wide bound is reached: once a run (see [`EvalProblem::Incomplete`]).
    fn incomplete(&self, bound: budget::RunBound, at: Span, what: impl FnOnce() -> String) {
        use std::sync::atomic::Ordering::Relaxed;
        if self.incomplete.swap(true, Relaxed) {
            return;
        }
        // Another thread may have reached another bound first: the first is the one to report.
        let bound = self.run.spent().unwrap_or(bound);
        let limits = self.run.limits();
        let limit = match bound {
            budget::RunBound::Steps => limits.steps,
            budget::RunBound::Weight => limits.weight,
            budget::RunBound::Instances => limits.instances,
        };
        (self.problems.borrow_mut()).push(EvalProblem::Incomplete {
            bound,
            limit,
            what: what(),
            span: at,
        });
    }

    /// The text of each string that looks like JSON (it starts with `{` or `[`) but has parts
    /// not known before apply, with [`UNKNOWN_PART`] for each: the value is unknown, yet its
    /// JSON can be wrong whatever the parts are (`"{\"id\": \"${var.id}\" \"name\": 1}"`).
    /// By the span of the template or `format()` call; one evaluated differently by different
    /// instances (its known parts differ) is left out.
    pub fn json_skeletons(&self) -> rustc_hash::FxHashMap<Span, Box<str>> {
        let all = std::mem::take(&mut *self.skeletons());
        (all.into_iter())
            .filter_map(|(span, text)| Some((span, text?)))
            .collect()
    }

    fn skeletons(&self) -> std::sync::MutexGuard<'_, HashMap<Span, Option<Box<str>>>> {
        (self.skeletons.lock()).unwrap_or_else(PoisonError::into_inner)
    }

    /// Keep `skeleton` for `span` (see [`Evaluator::json_skeletons`]).
    fn keep_skeleton(&self, span: Span, skeleton: Box<str>) {
        match self.skeletons().entry(span) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(Some(skeleton));
            }
            std::collections::hash_map::Entry::Occupied(mut e) => {
                if e.get().as_deref() != Some(&*skeleton) {
                    e.insert(None);
                }
            }
        }
    }

    /// `jsonencode(args)`; when its argument is known but for some parts, with the JSON's
    /// skeleton kept (see [`Evaluator::json_skeletons`]).
    fn jsonencode(&self, args: Vec<Val>, at: Span) -> Val {
        let arg = match &args[..] {
            [arg] if !arg.is_unknown() => Some(arg.clone()),
            _ => None,
        };
        let encoded = crate::eval_funcs::call("jsonencode", args, at);
        let Some(arg) = arg.filter(|_| encoded.is_unknown()) else {
            return encoded;
        };
        let mut text = String::new();
        match json_with_holes(&arg, 0, &mut text) {
            Some(()) => self.with_skeleton(encoded, at, text),
            None => encoded,
        }
    }

    /// `unknown`, located at `span` (the template or call), with its JSON `skeleton` kept for
    /// [`Evaluator::json_skeletons`], which finds it by that span.
    fn with_skeleton(&self, unknown: Val, span: Span, skeleton: String) -> Val {
        self.keep_skeleton(span, skeleton.into());
        Val {
            span: Some(span),
            ..unknown
        }
    }

    /// `file(path)`: the file's text; `templatefile(path, vars)`: the file read as a template
    /// and rendered with `vars`, a trigger's `match_criteria` or a data action's request
    /// template, say. Paths are relative to where `terraform` runs, as `fileset`'s. A template
    /// with parts not known before apply keeps its JSON skeleton, as a template written in
    /// place does. Unknown when the file cannot be read or is larger than [`MAX_READ_FILE`].
    fn file_call(&self, name: &str, args: &[Val], scope: &Scope, at: Span) -> Val {
        let path = match args.first() {
            Some(a) if a.is_unknown() => return a.clone(),
            Some(a) => a.as_str(),
            None => None,
        };
        let Some(path) = path else {
            return Val::unknown(format!("`{name}` takes a path"));
        };
        let root = self.root_module(scope.module);
        let path = crate::workspace::normalize(&root.dir.join(path));
        if !self.ws.confine.allows(&path) && path.exists() {
            return Val::unknown(format!(
                "`{name}`: {}",
                crate::confine::Confine::refusal(&path)
            ));
        }
        let Some(text) = self.file_text(&path) else {
            return Val::unknown(format!("`{name}`: `{}` cannot be read", path.display()));
        };
        if name == "file" {
            return Val::string(text, Some(at));
        }
        let vars = match args.get(1).map(|v| &v.v) {
            Some(V::Object(o)) => Some(o),
            Some(V::Null) | None => None,
            Some(_) => return Val::unknown("`templatefile` variables are not known"),
        };
        let Ok(template) = hcl_edit::parser::parse_template(&text) else {
            return Val::unknown("`templatefile`: the template does not parse");
        };
        // Every node of the template is located at the call: the template file is not one of
        // the sources findings point into.
        let loc = at.loc();
        let parts = match crate::load::hcl::Conv::fixed(scope.file, loc).template(template, loc) {
            ExprKind::Template(parts) => parts,
            ExprKind::String(s) => return Val::string(s, Some(at)),
            _ => return Val::unknown("`templatefile`: the template does not parse"),
        };
        let mut inner = scope.clone();
        for (k, v) in vars.into_iter().flat_map(|o| o.iter()) {
            inner = inner.with_var(k, v.clone());
        }
        self.eval_template(&parts, &inner, at)
    }

    /// The text of the file at `path`, read once (see [`Evaluator::file_call`]).
    fn file_text(&self, path: &std::path::Path) -> Option<SmolStr> {
        let mut files = (self.files.lock()).unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = files.get(path) {
            return known.clone();
        }
        // Only a regular file, and no more of it than the bound: a device or a huge file
        // named by a template path must not stall or swell a check.
        let read = || -> Option<SmolStr> {
            use std::io::Read as _;
            let meta = std::fs::metadata(path).ok()?;
            if !meta.is_file() || meta.len() > MAX_READ_FILE {
                return None;
            }
            let mut text = String::new();
            let file = std::fs::File::open(path).ok()?;
            file.take(MAX_READ_FILE + 1)
                .read_to_string(&mut text)
                .ok()?;
            (text.len() as u64 <= MAX_READ_FILE).then(|| SmolStr::from(text))
        };
        let text = read();
        files.insert(path.to_path_buf(), text.clone());
        text
    }

    /// The root module of a module instance: where `terraform` runs for it.
    fn root_module(&self, mi: ModInst) -> &'w crate::workspace::ModuleDef {
        self.ws.module(self.module_of(self.root_of(mi)))
    }

    /// The declarations whose instances are not known, each once, in address order.
    pub fn unexpanded(&self) -> Vec<Unexpanded> {
        let mut out = self.unexpanded.borrow().clone();
        // Two roots may declare the same address: each its own.
        out.sort_by(|a, b| (&a.address, a.mode, a.span).cmp(&(&b.address, b.mode, b.span)));
        out.dedup_by(|a, b| a.address == b.address && a.mode == b.mode && a.span == b.span);
        out
    }

    /// A new instance of declaration `decl` of `mi`, with its `for_each` key and value or its
    /// `count` index.
    fn push_resource(
        &self,
        mi: ModInst,
        decl: usize,
        each: Option<Arc<(Val, Val)>>,
        count: Option<i64>,
    ) -> InstanceId {
        let id = self.resources.push(ResourceInstance {
            module_inst: mi,
            decl,
            each,
            count,
        });
        InstanceId(id as u32)
    }

    /// Whether module instance `mi`, or one of the instances that call it, is an instance of
    /// `module`: a call from `mi` to `module` is then a cycle.
    fn calls_itself(&self, mi: ModInst, module: ModuleId) -> bool {
        let mut at = Some(mi);
        while let Some(inst) = at {
            if self.module_of(inst) == module {
                return true;
            }
            at = self.parent_of(inst).map(|(parent, _)| parent);
        }
        false
    }

    fn child_instances(&self, mi: ModInst, call: usize) -> Vec<(InstanceKey, ModInst)> {
        if let Some(c) = self.child_insts.get(&(mi, call)) {
            return c;
        }
        let module_id = self.module_of(mi);
        let module = self.ws.module(module_id);
        let block = &module.module_calls[call];
        let depth = self.instances.with(mi.0 as usize, |i| i.depth);
        let child_mod = self.ws.resolve_source(module_id, block);
        let mut out = Vec::new();
        let mut expansion =
            Expansion::Unknown(Arc::from("module source is not a loaded local directory"));
        if let Some(child_mod) = child_mod {
            if self.calls_itself(mi, child_mod) {
                // `terraform init` never ends on it (`unresolved-reference` reports the cycle,
                // `Workspace::module_cycles`): each level of instances would call the next.
                expansion = Expansion::Unknown(Arc::from(
                    "the module calls itself, directly or through other modules",
                ));
            } else if depth >= MAX_MODULE_DEPTH {
                expansion = Expansion::Unknown(Arc::from("modules nested too deeply"));
            } else {
                let name = block.label(0).unwrap_or_default();
                let prefix = format!("{}module.{name}", self.prefix_of(mi));
                let root = self.root_of(mi);
                // An override file's `count` or `for_each` replaces the call's (the last wins).
                let overrides = module
                    .module_call_overrides
                    .get(&call)
                    .into_iter()
                    .flatten();
                let repeat = (overrides.rev())
                    .find(|b| b.body.attr("count").is_some() || b.body.attr("for_each").is_some())
                    .unwrap_or(block);
                let scope = Scope::module(mi, repeat.file());
                let push = |key: InstanceKey, each: Option<Arc<(Val, Val)>>, count: Option<i64>| {
                    let id = self.instances.push(ModuleInstance {
                        module: child_mod,
                        parent: Some((mi, call)),
                        prefix: format!("{prefix}{}.", key.suffix()),
                        root,
                        each,
                        count,
                        depth: depth + 1,
                    });
                    (key, ModInst(id as u32))
                };
                let keys = instance_keys(self, &repeat.body, &scope, &prefix);
                let at = repeat_span(&repeat.body, repeat.file()).unwrap_or(block.header_span());
                match self.within_run(keys, at, &prefix) {
                    Keys::Single => {
                        let (k, id) = push(InstanceKey::None, None, None);
                        out.push((k, id));
                        expansion = Expansion::Single(InstanceId(id.0));
                    }
                    Keys::Count(n) => {
                        for i in 0..n {
                            out.push(push(InstanceKey::Int(i), None, Some(i)));
                        }
                        expansion =
                            Expansion::List(out.iter().map(|(_, m)| InstanceId(m.0)).collect());
                    }
                    Keys::Each(items) => {
                        let mut keys = Vec::with_capacity(items.len());
                        for (k, v) in items {
                            let each = Some(Arc::new((Val::string(k.clone(), v.span), v)));
                            let (key, id) = push(InstanceKey::Str(k.to_string()), each, None);
                            out.push((key, id));
                            keys.push((k, InstanceId(id.0)));
                        }
                        expansion = Expansion::Map(keys.into());
                    }
                    Keys::Unknown(why) => expansion = Expansion::Unknown(why),
                }
            }
        }
        self.children.insert((mi, call), expansion);
        self.child_insts.insert((mi, call), out)
    }

    // ----- evaluation -----

    /// Evaluate an expression.
    pub fn eval(&self, e: &Expr, scope: &Scope) -> Val {
        let d = DEPTH.get();
        if d >= MAX_DEPTH {
            return Val::unknown("expression nested too deeply to evaluate");
        }
        if d == 0 {
            budget::refill();
        }
        if let Err(unknown) = budget::spend(1) {
            return unknown;
        }
        DEPTH.set(d + 1);
        let mut v = self.eval_inner(e, scope);
        DEPTH.set(d);
        // Every value gets a location: unknowns and values built by functions are located at the
        // expression that produced them, so findings about them can point somewhere useful.
        if v.span.is_none() {
            v.span = Some(e.span.in_file(scope.file));
        }
        v
    }

    /// [`Self::eval`] as a frame of its own (see [`Self::framed`]).
    fn eval_frame(&self, e: &Expr, scope: &Scope, what: impl FnOnce() -> String) -> Val {
        let at = e.span.in_file(scope.file);
        self.framed(at, what, || self.eval(e, scope), |unknown| unknown)
    }

    /// Runs `f` as an evaluation frame of its own (see `crate::eval_budget`). A frame that
    /// reaches a bound is recorded as an [`EvalProblem::TooCostly`] of `what` at `at`; once one
    /// place has reached one [`COSTLY_REPEATS`] times, it is no longer evaluated: `skipped`
    /// makes the result of an unknown instead. Once the run has reached one of its bounds,
    /// no frame is evaluated (the first one to reach it is an [`EvalProblem::Incomplete`]).
    fn framed<T>(
        &self,
        at: Span,
        what: impl FnOnce() -> String,
        f: impl FnOnce() -> T,
        skipped: impl FnOnce(Val) -> T,
    ) -> T {
        use std::sync::atomic::Ordering::Relaxed;
        if let Some(bound) = self.run.spent() {
            return skipped(Val::unknown(bound.unknown_reason()));
        }
        if self.any_costly.load(Relaxed) {
            let costly = self.costly.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((_, why)) = costly.get(&at).filter(|(n, _)| *n >= COSTLY_REPEATS) {
                return skipped(Val::unknown(why.clone()));
            }
        }
        let (out, reached) = budget::fresh(&self.run, f);
        match reached {
            Some(budget::Bound::RunSteps) => self.incomplete(budget::RunBound::Steps, at, what),
            Some(bound) => self.too_costly(at, what(), bound.describe()),
            None => {}
        }
        out
    }

    fn too_costly(&self, at: Span, what: String, why: String) {
        use std::sync::atomic::Ordering::Relaxed;
        let mut costly = self.costly.lock().unwrap_or_else(PoisonError::into_inner);
        costly.entry(at).or_insert((0, why.clone())).0 += 1;
        self.any_costly.store(true, Relaxed);
        drop(costly);
        (self.problems.borrow_mut()).push(EvalProblem::TooCostly {
            what,
            why,
            span: at,
        });
    }

    fn eval_inner(&self, e: &Expr, scope: &Scope) -> Val {
        let at = e.span.in_file(scope.file);
        let span = Some(at);
        match &e.kind {
            ExprKind::Null => Val::new(V::Null, span),
            ExprKind::Bool(b) => Val::new(V::Bool(*b), span),
            ExprKind::Number(n) => Val::new(V::Number(*n), span),
            ExprKind::String(s) => Val::string(own_string(s), span),
            ExprKind::Template(parts) => self.eval_template(parts, scope, at),
            ExprKind::Variable(_) | ExprKind::Traversal(_) | ExprKind::Path(_) => {
                match e.traversal() {
                    Some(t) => self.eval_traversal(&t, scope, at),
                    None => Val::unknown("not a reference"),
                }
            }
            ExprKind::Array(items) => Val::list_of(
                (items.iter())
                    .map(|i| at_use_site(self.eval(i, scope), i.span.in_file(scope.file))),
                span,
            ),
            ExprKind::Object(fields) => {
                let mut out = BTreeMap::new();
                let mut dynamics = Vec::new();
                for (k, v) in fields {
                    if let Some(d) = crate::ir::json_dynamics(k, v) {
                        dynamics.extend(d);
                        continue;
                    }
                    let key = match &k.kind {
                        // A bare identifier key is its own name, not a variable reference.
                        ExprKind::Variable(n) => Some(n.to_string()),
                        _ => key_string(&self.eval(k, scope)),
                    };
                    match key {
                        Some(key) => {
                            let use_site = v.span.in_file(scope.file);
                            out.insert(key, at_use_site(self.eval(v, scope), use_site));
                        }
                        None => return Val::unknown("object key is not known"),
                    }
                }
                self.json_dynamics_into(&dynamics, scope, &mut out);
                Val::object(out, span)
            }
            ExprKind::Call(call) => {
                let speculative = matches!(call.name.name.as_str(), "try" | "can");
                if speculative {
                    SPECULATIVE.with(|d| d.set(d.get() + 1));
                }
                let args: Vec<Val> = call.args.iter().map(|a| self.eval(a, scope)).collect();
                if speculative {
                    SPECULATIVE.with(|d| d.set(d.get() - 1));
                }
                let args = if call.expand_final {
                    let mut args = args;
                    if let Some(last) = args.pop() {
                        match &last.v {
                            V::List(items) => args.extend(items.iter().cloned()),
                            _ => return Val::unknown("expanded argument is not a list"),
                        }
                    }
                    args
                } else {
                    args
                };
                if call.name.name == "jsonencode" {
                    return self.jsonencode(args, at);
                }
                if call.name.name == "format" {
                    if let Some(skeleton) = crate::eval_funcs::format_skeleton(&args) {
                        let unknown = crate::eval_funcs::call("format", args, at);
                        return self.with_skeleton(unknown, at, skeleton);
                    }
                }
                if call.name.name == "abspath" {
                    // Relative to where `terraform` runs, as `fileset` (a `local_file`'s
                    // `filename` is often written so).
                    let root = self.root_module(scope.module);
                    return match args.first().map(|a| (a, a.as_str())) {
                        Some((_, Some(p))) => {
                            let abs = crate::workspace::normalize(&root.dir.join(p));
                            Val::string(abs.to_string_lossy().replace('\\', "/"), Some(at))
                        }
                        Some((a, None)) if a.is_unknown() => a.clone(),
                        _ => Val::unknown("`abspath` takes a path"),
                    };
                }
                if matches!(call.name.name.as_str(), "file" | "templatefile") {
                    return self.file_call(&call.name.name, &args, scope, at);
                }
                if call.name.name == "fileset" {
                    // The only function that lists the disk: relative to the root module.
                    let root = self.root_module(scope.module);
                    if let Some(dir) = args.first().and_then(Val::as_str) {
                        let dir = crate::workspace::normalize(&root.dir.join(dir));
                        if !self.ws.confine.allows(&dir) && dir.is_dir() {
                            return Val::unknown(crate::confine::Confine::refusal(&dir));
                        }
                    }
                    return crate::eval_fileset::fileset(&root.dir, &args, at);
                }
                crate::eval_funcs::call(&call.name.name, args, at)
            }
            ExprKind::For(f) => self.eval_for(f, scope, at),
            ExprKind::Conditional(parts) => {
                let [c, t, f] = &**parts;
                match self.eval(c, scope).as_bool() {
                    Some(true) => self.eval(t, scope),
                    Some(false) => self.eval(f, scope),
                    None => Val::unknown("condition is not known"),
                }
            }
            ExprKind::Binary(op, parts) => {
                let [l, r] = &**parts;
                binary(*op, &self.eval(l, scope), &self.eval(r, scope), span)
            }
            ExprKind::Unary(op, inner) => {
                let v = self.eval(inner, scope);
                match (op, &v.v) {
                    (UnaryOp::Neg, V::Number(n)) => Val::new(V::Number(-n), span),
                    (UnaryOp::Not, V::Bool(b)) => Val::new(V::Bool(!b), span),
                    _ => Val::unknown("operand is not known"),
                }
            }
            ExprKind::Unsupported(what) => Val::unknown(format!("{what} is not evaluated")),
        }
    }

    fn eval_template(&self, parts: &[TemplatePart], scope: &Scope, span: Span) -> Val {
        // A template that is exactly one interpolation yields the value itself, unconverted: this is
        // how every export writes references ("${genesyscloud_routing_wrapupcode.Resolved.id}").
        if let [TemplatePart::Interpolation(e)] = parts {
            let v = self.eval(e, scope);
            // `"${jsonencode(...)}"`, the form Terraform's JSON syntax has to use: the skeleton
            // of the call's JSON is the template's too.
            let inner = e.span.in_file(scope.file);
            if v.is_unknown() && v.span == Some(inner) && inner != span {
                let skeleton = self.skeletons().get(&inner).cloned().flatten();
                if let Some(skeleton) = skeleton {
                    self.keep_skeleton(span, skeleton);
                }
            }
            return Val {
                span: Some(span),
                ..v
            };
        }
        let mut out = String::new();
        // JSON text goes on past a part not known, to keep the skeleton of the JSON.
        let json = matches!(parts.first(), Some(TemplatePart::Literal(s)) if looks_like_json(s));
        let mut unknown_part = None;
        let holes = json.then_some(&mut unknown_part);
        match (self.render(parts, scope, &mut out, holes), unknown_part) {
            (Ok(()), None) => Val::string(out, Some(span)),
            (Ok(()), Some(unknown)) => self.with_skeleton(unknown, span, out),
            (Err(unknown), _) => unknown,
        }
    }

    /// Appends the text of template parts to `out`, `%{ if }` and `%{ for }` directives
    /// included; `Err` is the unknown value that stops it (a part not known, a string too long).
    /// With `holes`, an interpolation not known is written [`UNKNOWN_PART`] instead, and the
    /// first is kept there.
    fn render(
        &self,
        parts: &[TemplatePart],
        scope: &Scope,
        out: &mut String,
        mut holes: Option<&mut Option<Val>>,
    ) -> Result<(), Val> {
        for p in parts {
            match p {
                TemplatePart::Literal(s) => budget::push_bounded(out, s)?,
                TemplatePart::Interpolation(e) => {
                    let v = self.eval(e, scope);
                    let why =
                        || Val::unknown(unknown_reason(&v, "part of the string is not known"));
                    match (to_template_string(&v), holes.as_deref_mut()) {
                        (Some(s), _) => budget::push_bounded(out, &s)?,
                        (None, Some(first)) => {
                            out.push_str(&unknown_part(&v));
                            first.get_or_insert_with(why);
                        }
                        (None, None) => return Err(why()),
                    }
                }
                TemplatePart::If(d) => {
                    let cond = self.eval(&d.cond, scope);
                    match cond.as_bool() {
                        Some(true) => self.render(&d.then, scope, out, holes.as_deref_mut())?,
                        Some(false) => {
                            self.render(&d.otherwise, scope, out, holes.as_deref_mut())?
                        }
                        None => {
                            return Err(Val::unknown(unknown_reason(
                                &cond,
                                "`%{ if }` condition is not known",
                            )));
                        }
                    }
                }
                TemplatePart::For(d) => {
                    let coll = self.eval(&d.collection, scope);
                    for (k, v) in for_items(&coll)? {
                        // Each element's text costs a step: a `%{ for }` inside a `%{ for }`
                        // multiplies.
                        budget::spend(1)?;
                        let mut s = scope.clone();
                        if let Some(kv) = &d.key_var {
                            s = s.with_var(&kv.name, k);
                        }
                        s = s.with_var(&d.value_var.name, v);
                        self.render(&d.body, &s, out, holes.as_deref_mut())?;
                    }
                }
            }
        }
        Ok(())
    }

    fn eval_for(&self, f: &ForExpr, scope: &Scope, span: Span) -> Val {
        let coll = self.eval(&f.collection, scope);
        let items = match for_items(&coll) {
            Ok(items) => items,
            Err(unknown) => return unknown,
        };
        let mut list = Vec::new();
        let mut obj: BTreeMap<String, Val> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Val>> = BTreeMap::new();
        for (k, v) in items {
            // See `render`: nested `for`s multiply.
            if let Err(unknown) = budget::spend(1) {
                return unknown;
            }
            let mut s = scope.clone();
            if let Some(kv) = &f.key_var {
                s = s.with_var(&kv.name, k);
            }
            s = s.with_var(&f.value_var.name, v);
            if let Some(c) = &f.cond {
                match self.eval(c, &s).as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => return Val::unknown("`for` condition is not known"),
                }
            }
            let value = self.eval(&f.value_expr, &s);
            match &f.key_expr {
                None => list.push(value),
                Some(ke) => {
                    let Some(key) = key_string(&self.eval(ke, &s)) else {
                        return Val::unknown("`for` key is not known");
                    };
                    if f.grouping {
                        groups.entry(key).or_default().push(value);
                    } else {
                        obj.insert(key, value);
                    }
                }
            }
        }
        if f.key_expr.is_none() {
            Val::list(list, Some(span))
        } else if f.grouping {
            Val::object(
                groups
                    .into_iter()
                    .map(|(k, v)| (k, Val::list(v, Some(span))))
                    .collect::<Fields>(),
                Some(span),
            )
        } else {
            Val::object(obj, Some(span))
        }
    }

    fn eval_traversal(&self, t: &TraversalView<'_>, scope: &Scope, span: Span) -> Val {
        match t.root {
            Root::Name(name, root_span) => {
                let root_span = root_span.in_file(scope.file);
                self.eval_traversal_parts(name, root_span, &t.ops, scope, span)
            }
            Root::Expr(root) => {
                let root = self.eval(root, scope);
                self.apply_ops(root, &t.ops, scope, span)
            }
        }
    }

    /// The key inside `[...]`.
    fn eval_index(&self, index: &Index<'_>, scope: &Scope) -> Val {
        match *index {
            Index::Key(k, at) => Val::string(k, Some(at.in_file(scope.file))),
            Index::Number(n, at) => Val::new(V::Number(n), Some(at.in_file(scope.file))),
            Index::Expr(e) => self.eval(e, scope),
        }
    }

    /// Resolve `root.ops...` where `root` is a bare name.
    fn eval_traversal_parts(
        &self,
        root: &str,
        root_span: Span,
        ops: &[Op<'_>],
        scope: &Scope,
        span: Span,
    ) -> Val {
        if let Some(v) = scope.lookup(root) {
            return self.apply_ops(v.clone(), ops, scope, span);
        }
        let attr = |i: usize| ops.get(i).and_then(Op::attr);
        let mi = scope.module;
        let (value, used) = match root {
            "var" => match attr(0) {
                Some(n) => (self.var(mi, n), 1),
                None => (Val::unknown("`var` needs an attribute"), 0),
            },
            "local" => match attr(0) {
                Some(n) => (self.local(mi, n), 1),
                None => (Val::unknown("`local` needs an attribute"), 0),
            },
            "each" => match (attr(0), &scope.each) {
                (Some("key"), Some(kv)) => (kv.0.clone(), 1),
                (Some("value"), Some(kv)) => (kv.1.clone(), 1),
                _ => (
                    Val::unknown("`each` is only known inside a `for_each` resource"),
                    1,
                ),
            },
            "count" => match (attr(0), scope.count) {
                (Some("index"), Some(i)) => (Val::new(V::Number(i as f64), Some(root_span)), 1),
                _ => (
                    Val::unknown("`count.index` is only known inside a `count` resource"),
                    1,
                ),
            },
            "path" => match attr(0) {
                Some("module") => (Val::string(self.path_module(mi), Some(root_span)), 1),
                Some("root") | Some("cwd") => (Val::string(".", Some(root_span)), 1),
                _ => (Val::unknown("unknown `path` attribute"), 1),
            },
            "terraform" => match attr(0) {
                Some("workspace") => (Val::string("default", Some(root_span)), 1),
                _ => (Val::unknown("unknown `terraform` attribute"), 1),
            },
            "module" => match attr(0) {
                Some(name) => self.module_value(mi, name, &ops[1..], scope, span),
                None => (Val::unknown("`module` needs a name"), 0),
            },
            "data" => match (attr(0), attr(1)) {
                (Some(t), Some(n)) => {
                    let (v, used) = self.resource_value(mi, Mode::Data, t, n, &ops[2..], scope);
                    (v, 2 + used)
                }
                _ => (Val::unknown("incomplete data source reference"), 0),
            },
            // `resource.type.name`: Terraform's long form of `type.name`.
            "resource" => match (attr(0), attr(1)) {
                (Some(t), Some(n)) => {
                    let (v, used) = self.resource_value(mi, Mode::Managed, t, n, &ops[2..], scope);
                    (v, 2 + used)
                }
                _ => (Val::unknown("incomplete resource reference"), 0),
            },
            "self" => (Val::unknown("`self` is not evaluated"), 0),
            rtype if rtype.contains('_') => match attr(0) {
                Some(n) => {
                    let (v, used) =
                        self.resource_value(mi, Mode::Managed, rtype, n, &ops[1..], scope);
                    (v, 1 + used)
                }
                None => (Val::unknown("incomplete resource reference"), 0),
            },
            other => (Val::unknown(format!("`{other}` is not known")), 0),
        };
        self.apply_ops(value, &ops[used.min(ops.len())..], scope, span)
    }

    fn apply_ops(&self, mut v: Val, ops: &[Op<'_>], scope: &Scope, span: Span) -> Val {
        for (i, op) in ops.iter().enumerate() {
            v = match op {
                Op::Attr(name, _) => self.get_attr(&v, name, span),
                Op::LegacyIndex(n, _) => index(&v, &Val::new(V::Number(*n as f64), None)),
                Op::Index(ix) => {
                    let found = index(&v, &self.eval_index(ix, scope));
                    if let (Index::Key(key, at), V::Object(fields)) = (ix, &v.v) {
                        if found.is_unknown() && fields.get(key).is_none() {
                            self.missing_key(key, at.in_file(scope.file), &v, fields);
                        }
                    }
                    found
                }
                Op::AttrSplat(_) | Op::FullSplat(_) => {
                    let rest = &ops[i + 1..];
                    return match &v.v {
                        // A new list, an element for each: paid for as a `for` is.
                        V::List(items) if budget::spend(items.len() as u64).is_err() => {
                            Val::unknown(budget::Bound::Steps.describe())
                        }
                        V::List(items) => Val::list(
                            items
                                .iter()
                                .map(|x| self.apply_ops(x.clone(), rest, scope, span))
                                .collect(),
                            Some(span),
                        ),
                        V::Null => Val::list(Vec::new(), Some(span)),
                        V::Unknown(_) => v,
                        _ => Val::list(
                            vec![self.apply_ops(v.clone(), rest, scope, span)],
                            Some(span),
                        ),
                    };
                }
            };
            if v.is_unknown() {
                return v;
            }
        }
        v
    }

    fn get_attr(&self, v: &Val, name: &str, span: Span) -> Val {
        match &v.v {
            V::Object(fields) => fields
                .get(name)
                .cloned()
                .unwrap_or_else(|| Val::unknown(format!("no attribute `{name}`"))),
            V::Instance(id) => self.instance_attr(*id, name, span),
            V::Unknown(_) => v.clone(),
            _ => Val::unknown(format!("`{name}` of a {}", v.type_name())),
        }
    }

    /// An attribute of a resource instance: `id` is symbolic; configured attributes are evaluated in
    /// the instance's scope; anything else is computed by the provider, hence unknown.
    pub fn instance_attr(&self, id: InstanceId, name: &str, span: Span) -> Val {
        if name == "id" {
            return Val::at(V::Id(id), span);
        }
        // An OAuth client's `client_id` is its id (the provider sets both from the client's
        // id): credentials written `clientId = genesyscloud_oauth_client.x.client_id`, the
        // usual form, then lead to the client.
        if name == "client_id" && self.resource_block(id).rtype == crate::model::types::OAUTH_CLIENT
        {
            return Val::at(V::Id(id), span);
        }
        // Likewise the credential the provider makes for a client given
        // `integration_credential_name`: `pureCloudOAuthClient = <client>.integration_credential_id`
        // (the provider's documented form) leads to the client. Only the data-action chain reads
        // a credential id (`model/api_use.rs`), and it takes a client there as the client.
        if name == "integration_credential_id"
            && self.resource_block(id).rtype == crate::model::types::OAUTH_CLIENT
        {
            return Val::at(V::Id(id), span);
        }
        let member = match self.body_or_syntax(id) {
            Ok(fields) => fields.get(name).cloned(),
            Err(None) => return Val::unknown("the declaration's body was released"),
            Err(Some((decl, body))) => {
                let Some(_entered) = InProgress::enter(id, name) else {
                    return Val::unknown(format!(
                        "`{name}` of `{}` depends on itself",
                        self.resource_address(id)
                    ));
                };
                self.resource_member(decl, &body, name, &self.resource_scope(id))
            }
        };
        member.unwrap_or_else(|| {
            Val::unknown(format!(
                "`{name}` of `{}` is computed by the provider",
                self.resource_address(id)
            ))
        })
    }

    /// An instance's stored body (`Ok`), else its declaration's syntax to evaluate it from.
    ///
    /// The stored body is read again when the syntax is gone: another thread may store the
    /// body and release the syntax between the first read and the second (the model build
    /// evaluates instances in parallel, and a reference reads another instance's attribute
    /// while that instance is being built). Taking the syntax's absence for a missing body
    /// made such a reference unknown, now and then, on the same input.
    fn body_or_syntax(
        &self,
        id: InstanceId,
    ) -> Result<Obj, Option<(&'w crate::workspace::ResourceDecl, Arc<Body>)>> {
        if let Some(fields) = self.bodies.get(id) {
            return Ok(fields);
        }
        #[cfg(test)]
        tests::between_reads(self, id);
        let decl = self.resource_block(id);
        match decl.body() {
            Some(body) => Err(Some((decl, body))),
            None => self.bodies.get(id).ok_or_else(|| {
                // Released only once every instance's body is stored.
                debug_assert!(false, "`{}` released before it was stored", decl.name);
                None
            }),
        }
    }

    /// A resource instance's evaluated body: its attributes, nested blocks as lists of objects,
    /// and the arguments of `jsonencode` attributes under [`JSON_SUFFIX`]; with `keep`, only the
    /// attributes and blocks it keeps (the others are not evaluated). Stored: after the model
    /// build has evaluated every instance of a declaration, it releases the declaration's
    /// syntax, and references to the instances' attributes read them from here (so `keep` must
    /// leave every attribute that some expression reads: `model::keep`).
    pub fn instance_body(&self, id: InstanceId, keep: Option<&dyn Keep>) -> Val {
        let decl = self.resource_block(id);
        let stored = |fields| Val::new(V::Object(fields), Some(decl.span));
        let body = match self.body_or_syntax(id) {
            Ok(fields) => return stored(fields),
            Err(None) => return Val::unknown("the declaration's body was released"),
            Err(Some((_, body))) => body,
        };
        let scope = self.resource_scope(id);
        let json = Some(JSON_SUFFIX);
        let mut evaluated = self.eval_resource_body(decl, &body, &scope, json, keep);
        // The model is made of the stored bodies: they are kept within the run's weight.
        let left = self.run.weight_left();
        let kept = budget::weight(&evaluated, left).map(|w| self.run.keep(w));
        if !matches!(kept, Some(Ok(()))) {
            let bound = match kept {
                Some(Err(bound)) => bound,
                _ => {
                    self.run.reach(budget::RunBound::Weight);
                    budget::RunBound::Weight
                }
            };
            self.incomplete(bound, decl.header, || {
                format!("`{}`", self.resource_address(id))
            });
            // With the run's bound reached nothing is evaluated: each attribute is unknown,
            // as when evaluating it reaches a bound of its own.
            evaluated = self.eval_resource_body(decl, &body, &scope, json, keep);
        }
        match evaluated {
            Val {
                v: V::Object(fields),
                ..
            } => stored(self.bodies.insert(id, fields)),
            other => other,
        }
    }

    /// A resource's body evaluated (as [`Evaluator::eval_body_keeping_json`]) with the blocks
    /// of its override files applied in order: an attribute of one replaces the body's of that
    /// name, a nested block type replaces every block of that type.
    pub fn eval_resource_body(
        &self,
        decl: &crate::workspace::ResourceDecl,
        body: &Body,
        scope: &Scope,
        json: Option<&str>,
        keep: Option<&dyn Keep>,
    ) -> Val {
        let overlays = decl.overlays();
        if overlays.is_empty() {
            return self.eval_body_keeping_json(body, scope, decl.span, json, keep);
        }
        // Each layer (the body, then each override in order) evaluates only what no later
        // layer replaces: Terraform never evaluates a replaced argument.
        fn names(b: &Body) -> impl Iterator<Item = &str> {
            let attrs = b.attrs.iter().map(|a| a.name.name.as_str());
            attrs.chain(b.blocks.iter().filter_map(block_group).map(|g| g.as_str()))
        }
        let layers =
            std::iter::once((body, scope.file)).chain(overlays.iter().map(|o| (&o.body, o.file)));
        let mut out = Fields::new();
        for (i, (b, file)) in layers.enumerate() {
            let replaced: HashSet<&str> =
                overlays[i..].iter().flat_map(|o| names(&o.body)).collect();
            let keep = NotReplaced { keep, replaced };
            // Its expressions are written in its own file.
            let s = Scope {
                file,
                ..scope.clone()
            };
            let layer = self.eval_body_keeping_json(b, &s, decl.span, json, Some(&keep));
            if let V::Object(fields) = &layer.v {
                out.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        Val::object(out, Some(decl.span))
    }

    /// A resource or data source as a value: an instance, or a list or map of them. With the
    /// operations that follow it in the reference, so `type.name["key"]` picks its one instance
    /// without building the map of all of them first (a for_each resource of 40 codes is
    /// referenced 40 times). Returns how many of `ops` it consumed.
    fn resource_value(
        &self,
        mi: ModInst,
        mode: Mode,
        rtype: &str,
        name: &str,
        ops: &[Op<'_>],
        scope: &Scope,
    ) -> (Val, usize) {
        let module = self.ws.module(self.module_of(mi));
        let Some(decl) = module.resource_slot(mode, rtype, name) else {
            let prefix = if mode == Mode::Data { "data." } else { "" };
            return (
                Val::unknown(format!("`{prefix}{rtype}.{name}` is not declared")),
                0,
            );
        };
        let value = match self.expand(mi, decl) {
            Expansion::Single(id) => Val::new(V::Instance(id), None),
            // A new list of all the instances, in every instance that refers to it: paid for.
            Expansion::List(ids) => {
                // A literal index past the instances `count` makes.
                if let Some(Op::Index(Index::Number(n, at))) = ops.first() {
                    if !(*n >= 0.0 && n.fract() == 0.0 && (*n as usize) < ids.len()) {
                        let at = at.in_file(scope.file);
                        let count = Some(ids.len());
                        self.missing_instance(mi, decl, n.to_string(), at, Vec::new(), count);
                        let why = format!("`{rtype}.{name}` has no such instance");
                        return (Val::unknown(why), 1);
                    }
                }
                match budget::spend(ids.len() as u64) {
                    Ok(()) => Val::list(
                        ids.iter()
                            .map(|&id| Val::new(V::Instance(id), None))
                            .collect(),
                        None,
                    ),
                    Err(too_costly) => too_costly,
                }
            }
            Expansion::Map(items) => {
                // The key, when the reference indexes the map, evaluated once either way.
                let key = match ops.first() {
                    Some(Op::Index(ix)) => Some(self.eval_index(ix, scope)),
                    _ => None,
                };
                let found = key
                    .as_ref()
                    .and_then(key_string)
                    .and_then(|k| items.binary_search_by(|(ik, _)| ik.as_str().cmp(&k)).ok());
                if let Some(i) = found {
                    return (Val::new(V::Instance(items[i].1), None), 1);
                }
                if let Some(Op::Index(Index::Key(k, at))) = ops.first() {
                    let keys = items.iter().map(|(k, _)| k.clone()).collect();
                    let key = (*k).to_owned();
                    self.missing_instance(mi, decl, key, at.in_file(scope.file), keys, None);
                }
                if let Err(too_costly) = budget::spend(items.len() as u64) {
                    return (too_costly, 0);
                }
                let map = Val::object(
                    items
                        .iter()
                        .map(|(k, id)| (k.clone(), Val::new(V::Instance(*id), None)))
                        .collect::<Fields>(),
                    None,
                );
                return match key {
                    // A missing or unknown key: what indexing the whole map gives.
                    Some(key) => (index(&map, &key), 1),
                    None => (map, 0),
                };
            }
            Expansion::Unknown(why) => Val::unknown(why),
        };
        (value, 0)
    }

    /// `module.<name>[key].<output>`: returns the value and how many of `ops` it consumed (after
    /// the name).
    fn module_value(
        &self,
        mi: ModInst,
        name: &str,
        ops: &[Op<'_>],
        scope: &Scope,
        span: Span,
    ) -> (Val, usize) {
        let module = self.ws.module(self.module_of(mi));
        let Some(&call) = module.module_call_index.get(name) else {
            return (Val::unknown(format!("`module.{name}` is not declared")), 1);
        };
        let insts = self.child_instances(mi, call);
        if let Some(Expansion::Unknown(why)) = self.children.get(&(mi, call)) {
            return (Val::unknown(why), 1);
        }
        let (child, used) = match ops.first() {
            Some(Op::Index(ix)) => {
                let key = match &self.eval_index(ix, scope).v {
                    V::Number(n) => InstanceKey::Int(*n as i64),
                    V::String(s) => InstanceKey::Str(s.to_string()),
                    _ => return (Val::unknown("module instance key is not known"), 2),
                };
                (insts.iter().find(|(k, _)| *k == key).map(|(_, c)| *c), 2)
            }
            Some(Op::LegacyIndex(n, _)) => {
                let key = InstanceKey::Int(*n as i64);
                (insts.iter().find(|(k, _)| *k == key).map(|(_, c)| *c), 2)
            }
            _ if insts.len() == 1 && insts[0].0 == InstanceKey::None => (Some(insts[0].1), 1),
            // Every instance: a map by key for `for_each`, a list for `count` (what
            // `for_each = module.queues` and `module.queues[*].id` read).
            _ if insts.iter().all(|(k, _)| matches!(k, InstanceKey::Str(_))) => {
                let fields: Fields = (insts.iter())
                    .filter_map(|(k, child)| match k {
                        InstanceKey::Str(k) => Some((k.as_str(), self.module_object(*child, span))),
                        _ => None,
                    })
                    .collect();
                return (Val::object(fields, Some(span)), 1);
            }
            _ if insts.iter().all(|(k, _)| matches!(k, InstanceKey::Int(_))) => {
                let items = (insts.iter())
                    .map(|(_, child)| self.module_object(*child, span))
                    .collect();
                return (Val::list(items, Some(span)), 1);
            }
            _ => {
                return (
                    Val::unknown(format!("`module.{name}` has several instances")),
                    1,
                );
            }
        };
        let Some(child) = child else {
            return (
                Val::unknown(format!("no such instance of `module.{name}`")),
                used,
            );
        };
        match ops.get(used - 1) {
            Some(Op::Attr(out, _)) => (id_at_use_site(self.output(child, out), span), used + 1),
            _ => (self.module_object(child, span), used),
        }
    }

    /// A module instance as a value: an object of its outputs, as Terraform gives `module.x`.
    fn module_object(&self, mi: ModInst, span: Span) -> Val {
        let module = self.ws.module(self.module_of(mi));
        let mut names: Vec<&String> = module.outputs.keys().collect();
        names.sort_unstable();
        let fields: Fields = (names.into_iter())
            .map(|n| (n.as_str(), id_at_use_site(self.output(mi, n), span)))
            .collect();
        Val::object(fields, Some(span))
    }

    fn path_module(&self, mi: ModInst) -> String {
        let module = self.ws.module(self.module_of(mi));
        let root = self.root_module(mi);
        match module.dir.strip_prefix(&root.dir) {
            Ok(p) if p.as_os_str().is_empty() => ".".to_owned(),
            Ok(p) => p.to_string_lossy().replace('\\', "/"),
            Err(_) => module.dir.to_string_lossy().replace('\\', "/"),
        }
    }

    // ----- named values -----

    fn memoized(
        &self,
        key: MemoKey<'w>,
        what: impl Fn() -> String,
        span: Span,
        f: impl FnOnce() -> Val,
    ) -> Val {
        if let Some(v) = self.memo.get(&key) {
            return v;
        }
        let mine = (key, std::thread::current().id());
        let fresh = self
            .in_progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(mine);
        if !fresh {
            self.problems
                .borrow_mut()
                .push(EvalProblem::Cycle { what: what(), span });
            return Val::unknown(format!("{} depends on itself", what()));
        }
        // A frame of its own: the value must not depend on which reference asked first.
        let v = self.framed(span, &what, f, |unknown| unknown);
        let v = match budget::bounded(v) {
            Ok((v, weight)) => match self.run.keep(weight) {
                Ok(()) => v,
                Err(bound) => {
                    self.incomplete(bound, span, &what);
                    Val::unknown(bound.unknown_reason())
                }
            },
            Err(unknown) => {
                self.too_costly(span, what(), budget::Bound::Weight.describe());
                unknown
            }
        };
        self.in_progress
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&mine);
        // Two threads may compute the same value at once; both results are equal, keep the first.
        self.memo.insert(key, v)
    }

    /// `local.name` in a module instance.
    pub fn local(&self, mi: ModInst, name: &str) -> Val {
        let module = self.ws.module(self.module_of(mi));
        let Some((name, local)) = module.locals.get_key_value(name) else {
            return Val::unknown(format!("`local.{name}` is not declared"));
        };
        self.memoized(
            MemoKey::Local(mi, name),
            || format!("`local.{name}`"),
            local.name_span(),
            || self.eval(&local.attr.expr, &Scope::module(mi, local.file)),
        )
    }

    /// `var.name` in a module instance.
    pub fn var(&self, mi: ModInst, name: &str) -> Val {
        let module = self.ws.module(self.module_of(mi));
        let Some((name, block)) = module.variables.get_key_value(name) else {
            return Val::unknown(format!("`var.{name}` is not declared"));
        };
        self.memoized(
            MemoKey::Var(mi, name),
            || format!("`var.{name}`"),
            block.header_span(),
            || {
                let parent = self.instances.with(mi.0 as usize, |i| i.parent);
                let given = match parent {
                    Some((pmi, call)) => {
                        let pmod = self.ws.module(self.module_of(pmi));
                        let (each, count) = self
                            .instances
                            .with(mi.0 as usize, |i| (i.each.clone(), i.count));
                        pmod.module_call_attr(call, name).map(|(a, file)| {
                            let scope = Scope {
                                module: pmi,
                                file,
                                each,
                                count,
                                frame: Frame::default(),
                            };
                            self.eval(&a.expr, &scope)
                        })
                    }
                    None => self.root_var(mi, name),
                };
                // Each argument as override files leave it, evaluated in its own file.
                let arg = |a: &str| module.variable_attr(name, a);
                let value = match given {
                    Some(v) if !v.is_null() => v,
                    // Since Terraform 1.1 a null input is the value, unless the variable says
                    // `nullable = false`; only then does the default stand in for it.
                    Some(v) if nullable(arg("nullable").map(|(a, _)| a)) => v,
                    _ => match arg("default") {
                        Some((d, file)) => self.eval(&d.expr, &Scope::module(mi, file)),
                        None => Val::unknown(format!("`var.{name}` has no value")),
                    },
                };
                match arg("type") {
                    Some((t, file)) if crate::eval_types::has_optional(&t.expr) => {
                        let scope = Scope::module(mi, file);
                        let default = |d: &Expr| self.eval(d, &scope);
                        crate::eval_types::convert(&t.expr, &value, &default).unwrap_or(value)
                    }
                    _ => value,
                }
            },
        )
    }

    fn root_var(&self, mi: ModInst, name: &str) -> Option<Val> {
        let module_id = self.module_of(mi);
        // Terraform's precedence, lowest first: TF_VAR_*, tfvars files in load order, then
        // -var-file / -var in command-line order. The last one found wins.
        let (env, cli) = self
            .ws
            .cli_vars
            .split_at(self.ws.env_var_count.min(self.ws.cli_vars.len()));
        let tfvars = self
            .ws
            .tfvars
            .get(&module_id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let last = |vars: &'w [InputVar]| vars.iter().rev().find(|v| v.name == name);
        let found = (last(cli).or_else(|| last(tfvars))).or_else(|| last(env))?;
        Some(self.eval(&found.expr, &Scope::module(mi, found.file)))
    }

    /// `module.x.name` seen from inside: the output's value in a module instance.
    pub fn output(&self, mi: ModInst, name: &str) -> Val {
        let module = self.ws.module(self.module_of(mi));
        let Some((name, block)) = module.outputs.get_key_value(name) else {
            return Val::unknown(format!("output `{name}` is not declared"));
        };
        self.memoized(
            MemoKey::Output(mi, name),
            || format!("output `{name}`"),
            block.header_span(),
            || match module.output_attr(name, "value") {
                Some((a, file)) => self.eval(&a.expr, &Scope::module(mi, file)),
                None => Val::unknown(format!("output `{name}` has no value")),
            },
        )
    }

    /// Evaluate a block body to an object: attributes by name, nested blocks as lists of objects
    /// (`dynamic` blocks expanded), the way state stores them.
    pub fn eval_body(&self, body: &Body, scope: &Scope, span: Span) -> Val {
        self.eval_body_keeping_json(body, scope, span, None, None)
    }

    /// [`Evaluator::eval_body`], and an attribute written `name = jsonencode(arg)` also keeps
    /// its evaluated `arg` under `name` + `json_suffix` (ids inside stay symbolic there, where the
    /// encoded string is unknown as soon as it holds one). The argument is evaluated once, for
    /// both. With `keep`, only the attributes and blocks whose names it keeps are evaluated
    /// (a resource's body as the model keeps it: the rest is read by nothing, and at 10 MB was
    /// a fifth of the evaluation's time).
    pub fn eval_body_keeping_json(
        &self,
        body: &Body,
        scope: &Scope,
        span: Span,
        json_suffix: Option<&str>,
        keep: Option<&dyn Keep>,
    ) -> Val {
        let kept = |name: &str| keep.is_none_or(|keep| keep.evaluates(name));
        let stored = |name: &str, v: &Val| keep.is_none_or(|keep| keep.stores(name, v));
        let mut out: Vec<(SmolStr, Val)> = Vec::with_capacity(body.attrs.len());
        // Only a resource's own body keeps `jsonencode` arguments; it is also the only one with
        // meta-arguments.
        let resource_body = json_suffix.is_some();
        for a in &body.attrs {
            if resource_body && is_meta_argument(&a.name.name) || !kept(&a.name.name) {
                continue;
            }
            let (value, arg) = self.attr_value(a, scope, resource_body);
            // Dropped before it is stored: a body rebuilt without it would be allocated twice.
            if !stored(&a.name.name, &value) {
                continue;
            }
            if let (Some(arg), Some(suffix)) = (arg, json_suffix) {
                out.push((format!("{}{suffix}", a.name.name).into(), arg));
            }
            out.push((a.name.name.to_smol_str(), value));
        }
        let mut blocks: BTreeMap<SmolStr, Vec<Val>> = BTreeMap::new();
        for b in &body.blocks {
            if let Some(name) = block_group(b).filter(|name| kept(name)) {
                let group = blocks.entry(shared_name(name)).or_default();
                self.block_values(b, scope, group);
            }
        }
        // A `dynamic` block may stand for no block at all: then there is nothing of that name.
        blocks.retain(|_, group| !group.is_empty());
        // A block and an attribute of the same name: the block wins (as before; Terraform
        // rejects the configuration anyway).
        out.reserve_exact(blocks.len());
        out.extend(
            blocks
                .into_iter()
                .map(|(k, v)| (k, Val::list(v, Some(span)))),
        );
        Val::object(out.into_iter().collect::<Fields>(), Some(span))
    }

    /// What [`Self::eval_resource_body`] holds under `name`, evaluating only that: from the last
    /// override file's block that sets it, else from the declaration's body.
    fn resource_member(
        &self,
        decl: &crate::workspace::ResourceDecl,
        body: &Body,
        name: &str,
        scope: &Scope,
    ) -> Option<Val> {
        for o in decl.overlays().iter().rev() {
            let s = Scope {
                file: o.file,
                ..scope.clone()
            };
            if let Some(v) = self.body_member(&o.body, name, &s, decl.span) {
                return Some(v);
            }
        }
        self.body_member(body, name, scope, decl.span)
    }

    /// What [`Self::eval_body`] of `body` (at `span`) holds under `name`, evaluating only that.
    fn body_member(&self, body: &Body, name: &str, scope: &Scope, span: Span) -> Option<Val> {
        let mut group = Vec::new();
        for b in &body.blocks {
            if block_group(b).is_some_and(|g| g == name) {
                self.block_values(b, scope, &mut group);
            }
        }
        if !group.is_empty() {
            return Some(Val::list(group, Some(span)));
        }
        if is_meta_argument(name) {
            return None;
        }
        // The last of repeated attributes, as collecting the body's fields keeps.
        let a = body.attrs.iter().rev().find(|a| a.name.name == name)?;
        Some(self.attr_value(a, scope, false).0)
    }

    /// An attribute's value, located at its expression; with `keep_json`, for `jsonencode(arg)`
    /// also `arg`, evaluated once for both.
    fn attr_value(&self, a: &Attribute, scope: &Scope, keep_json: bool) -> (Val, Option<Val>) {
        // A frame of its own (see `crate::eval_budget`): a body evaluated for a reference from
        // inside another evaluation is stored, and must be what the model build would store.
        self.framed(
            a.expr.span.in_file(scope.file),
            || format!("`{}`", a.name.name),
            || self.attr_value_in_frame(a, scope, keep_json),
            |unknown| (unknown, None),
        )
    }

    fn attr_value_in_frame(
        &self,
        a: &Attribute,
        scope: &Scope,
        keep_json: bool,
    ) -> (Val, Option<Val>) {
        let at = a.expr.span.in_file(scope.file);
        // `"${jsonencode(...)}"` is the call itself (a template of one interpolation yields its
        // value): the form Terraform's JSON syntax has to use, and CDKTF writes.
        let call = match &a.expr.kind {
            ExprKind::Template(parts) => match &**parts {
                [TemplatePart::Interpolation(e)] => e,
                _ => &a.expr,
            },
            _ => &a.expr,
        };
        let (value, arg) = match &call.kind {
            ExprKind::Call(c) if keep_json && c.name.name == "jsonencode" && c.args.len() == 1 => {
                let arg = self.eval(&c.args[0], scope);
                let encoded = match c.expand_final {
                    true => self.eval(&a.expr, scope),
                    false => self.jsonencode(vec![arg.clone()], at),
                };
                (encoded, Some(arg))
            }
            _ => (self.eval(&a.expr, scope), None),
        };
        (at_use_site(value, at), arg)
    }

    /// The objects a nested block stands for, appended to `out`: one for a plain block, one per
    /// element of a `dynamic` block's collection (one unknown when that is not known).
    fn block_values(&self, b: &Block, scope: &Scope, out: &mut Vec<Val>) {
        if b.ident.name != "dynamic" {
            out.push(self.eval_body(&b.body, scope, b.span));
            return;
        }
        if b.label(0).is_none() {
            return;
        }
        let Some(iterator) = b.dynamic_iterator() else {
            return;
        };
        let Some(content) = b.body.blocks_named("content").next() else {
            return;
        };
        let for_each = b.body.attr("for_each").map(|a| &a.expr);
        self.dynamic_instances(for_each, &iterator, scope, out, |s| {
            self.eval_body(&content.body, s, content.span)
        });
    }

    /// The objects of a `dynamic` block whose `content` is evaluated by `content` in a scope
    /// where `iterator` is each element of `for_each`, appended to `out` (one unknown when the
    /// collection is not known). A frame of its own, which pays for each block it makes and its
    /// fields (their values are evaluated in frames of their own): a collection of millions
    /// would otherwise make millions of blocks, with no bound but the memory.
    fn dynamic_instances(
        &self,
        for_each: Option<&Expr>,
        iterator: &str,
        scope: &Scope,
        out: &mut Vec<Val>,
        content: impl Fn(&Scope) -> Val,
    ) {
        // Unknown number of blocks: one unknown entry, so readers know.
        let not_known = || vec![Val::unknown("dynamic block over an unknown collection")];
        let Some(for_each) = for_each else {
            out.extend(not_known());
            return;
        };
        let made = self.framed(
            for_each.span.in_file(scope.file),
            || "a `dynamic` block's `for_each`".into(),
            || {
                let coll = self.eval(for_each, scope);
                let items: Box<dyn Iterator<Item = (Val, Val)>> = match &coll.v {
                    V::List(items) => Box::new(
                        (items.iter().enumerate())
                            .map(|(i, v)| (Val::new(V::Number(i as f64), None), v.clone())),
                    ),
                    V::Object(fields) => Box::new(
                        (fields.iter()).map(|(k, v)| (Val::string(k.as_str(), None), v.clone())),
                    ),
                    _ => return not_known(),
                };
                let mut made = Vec::new();
                for (k, v) in items {
                    let it = Val::object([("key".to_owned(), k), ("value".to_owned(), v)], None);
                    let block = content(&scope.with_var(iterator, it));
                    if let Err(too_costly) = budget::spend_shallow(&block) {
                        return vec![too_costly];
                    }
                    made.push(block);
                }
                made
            },
            |unknown| vec![unknown],
        );
        out.extend(made);
    }

    /// `.tf.json`'s `"dynamic"` inside a nested block (see [`crate::ir::json_dynamics`]): each
    /// generated block joins the static ones of its type in `out`, as in HCL.
    fn json_dynamics_into(
        &self,
        dynamics: &[crate::ir::JsonDynamic<'_>],
        scope: &Scope,
        out: &mut BTreeMap<String, Val>,
    ) {
        for d in dynamics {
            let mut made = Vec::new();
            self.dynamic_instances(d.for_each, &d.iterator, scope, &mut made, |s| {
                match d.content {
                    Some(c) => self.eval(c, s),
                    None => Val::object(BTreeMap::<String, Val>::new(), None),
                }
            });
            let mut all = match out.remove(d.label) {
                Some(Val {
                    v: V::List(items), ..
                }) => items.to_vec(),
                Some(one) => vec![one],
                None => Vec::new(),
            };
            all.extend(made);
            out.insert(d.label.to_owned(), Val::list(all, None));
        }
    }
}

/// `count`, `for_each`, `depends_on` and `provider` configure a resource block, they are not
/// attributes of its instances (Terraform rejects `type.name.for_each`), so an instance's
/// evaluated body leaves them out. Kept, `for_each = toset(local.codes)` stored the whole set in
/// every one of its instances: a fifth of the evaluated bodies of the 50 MB benchmark.
fn is_meta_argument(name: &str) -> bool {
    matches!(name, "count" | "for_each" | "depends_on" | "provider")
}

/// The name under which a nested block's objects appear in its parent's evaluated body: its
/// type, or a `dynamic` block's label; `None` for meta-arguments and label-less `dynamic`s.
fn block_group(b: &Block) -> Option<&SmolStr> {
    match b.ident.name.as_str() {
        "lifecycle" | "provisioner" | "connection" | "depends_on" => None,
        "dynamic" => b.labels.first().map(|l| &l.name),
        _ => Some(&b.ident.name),
    }
}

/// Ids passed through module outputs are located where the output is used.
fn id_at_use_site(v: Val, span: Span) -> Val {
    match v.v {
        V::Id(_) => Val {
            span: Some(span),
            ..v
        },
        _ => v,
    }
}

enum Keys {
    Single,
    Count(i64),
    Each(Vec<(SmolStr, Val)>),
    Unknown(Arc<str>),
}

/// Where a block's `count` or `for_each` is written, if it has one.
fn repeat_span(body: &Body, file: FileId) -> Option<Span> {
    let meta = body.attr("count").or_else(|| body.attr("for_each"));
    meta.map(|a| a.expr.span.in_file(file))
}

/// Evaluate a block's `count` / `for_each`.
fn instance_keys(ev: &Evaluator<'_>, body: &Body, scope: &Scope, what: &str) -> Keys {
    if let Some(c) = body.attr("count") {
        let v = ev.eval_frame(&c.expr, scope, || format!("`count` of `{what}`"));
        return match v.as_number() {
            Some(n) if n >= 0.0 && (n as usize) <= MAX_INSTANCES => Keys::Count(n as i64),
            Some(n) if n >= 0.0 => {
                ev.problems
                    .borrow_mut()
                    .push(EvalProblem::TooManyInstances {
                        what: what.to_owned(),
                        count: n as usize,
                        span: c.expr.span.in_file(scope.file),
                    });
                Keys::Unknown(Arc::from(format!("`count` of {n} is too large to expand")))
            }
            _ => Keys::Unknown(Arc::from(unknown_reason(&v, "`count` is not known"))),
        };
    }
    if let Some(f) = body.attr("for_each") {
        let v = ev.eval_frame(&f.expr, scope, || format!("`for_each` of `{what}`"));
        let items: Vec<(SmolStr, Val)> = match &v.v {
            V::Object(fields) => fields.iter().map(|(k, x)| (k.clone(), x.clone())).collect(),
            V::List(items) => {
                let mut out = Vec::new();
                for x in items.iter() {
                    match x.as_smol_str() {
                        Some(s) => out.push((s.clone(), x.clone())),
                        None => {
                            return Keys::Unknown(Arc::from(
                                "`for_each` set has non-string or unknown elements",
                            ));
                        }
                    }
                }
                out.sort_by(|a, b| a.0.cmp(&b.0));
                out.dedup_by(|a, b| a.0 == b.0);
                out
            }
            _ => return Keys::Unknown(Arc::from(unknown_reason(&v, "`for_each` is not known"))),
        };
        if items.len() > MAX_INSTANCES {
            ev.problems
                .borrow_mut()
                .push(EvalProblem::TooManyInstances {
                    what: what.to_owned(),
                    count: items.len(),
                    span: f.expr.span.in_file(scope.file),
                });
            return Keys::Unknown(Arc::from("`for_each` is too large to expand"));
        }
        return Keys::Each(items);
    }
    Keys::Single
}

/// A value placed in a literal list, map or attribute is located where it is placed when it was
/// written elsewhere (a variable default, a module input, another resource's attribute): findings
/// about it then point at the configuration that uses it.
fn at_use_site(mut v: Val, use_site: Span) -> Val {
    let inside = v.span.is_some_and(|s| {
        s.file == use_site.file && s.start >= use_site.start && s.end <= use_site.end
    });
    if !inside {
        v.span = Some(use_site);
    }
    v
}

/// A variable's `nullable` (true unless it says `nullable = false`).
fn nullable(attr: Option<&Attribute>) -> bool {
    !matches!(attr.map(|a| &a.expr.kind), Some(ExprKind::Bool(false)))
}

/// Whether a string's text starts as JSON does (after white space): `{` or `[`.
pub fn looks_like_json(s: &str) -> bool {
    matches!(s.trim_start().as_bytes().first(), Some(b'{' | b'['))
}

/// The reason carried by an unknown value, or `default`.
pub fn unknown_reason(v: &Val, default: &str) -> String {
    match &v.v {
        V::Unknown(why) => why.to_string(),
        _ => default.to_owned(),
    }
}

/// A value as a map key or `for_each` key.
/// The managed resources a body refers to (`type.name...`), by top-level attribute.
fn managed_refs(body: &Body) -> Vec<(SmolStr, SmolStr, SmolStr)> {
    let mut out = Vec::new();
    for a in &body.attrs {
        a.expr.walk(&mut |e| {
            let resource = e.traversal().and_then(|t| t.resource());
            if let Some((crate::load::Mode::Managed, rtype, name, _)) = resource {
                out.push((a.name.name.to_smol_str(), rtype.into(), name.into()));
            }
        });
    }
    out
}

/// The (key, value) pairs a `for` expression or `%{ for }` directive iterates: index and element
/// of a list, key and value of an object. `Err` is the unknown value the whole `for` gives.
/// Made one at a time, as the `for` pays a step for each: made all at once, a list of millions
/// of elements took the memory of two more before the first step was refused.
fn for_items(coll: &Val) -> Result<Box<dyn Iterator<Item = (Val, Val)> + '_>, Val> {
    match &coll.v {
        V::List(items) => {
            Ok(Box::new((items.iter().enumerate()).map(|(i, v)| {
                (Val::new(V::Number(i as f64), v.span), v.clone())
            })))
        }
        V::Object(fields) => {
            Ok(Box::new((fields.iter()).map(|(k, v)| {
                (Val::string(k.as_str(), v.span), v.clone())
            })))
        }
        V::Null => Err(Val::unknown("`for` over null")),
        _ => Err(Val::unknown(unknown_reason(
            coll,
            "`for` collection is not known",
        ))),
    }
}

fn key_string(v: &Val) -> Option<String> {
    match &v.v {
        V::String(s) => Some(s.to_string()),
        V::Number(n) => Some(number_to_string(*n)),
        V::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A value's string form inside a template; `None` if not a known primitive.
pub fn to_template_string(v: &Val) -> Option<String> {
    match &v.v {
        V::String(s) => Some(s.to_string()),
        V::Number(n) => Some(number_to_string(*n)),
        V::Bool(b) => Some(b.to_string()),
        V::Null => Some(String::new()),
        _ => None,
    }
}

fn index(v: &Val, key: &Val) -> Val {
    match (&v.v, &key.v) {
        (V::List(items), _) => match key.as_number() {
            Some(n) if n >= 0.0 && (n as usize) < items.len() => items[n as usize].clone(),
            Some(n) => Val::unknown(format!("index {} is out of range", number_to_string(n))),
            None => Val::unknown("index is not known"),
        },
        (V::Object(fields), _) => match key_string(key) {
            Some(k) => fields
                .get(&k)
                .cloned()
                .unwrap_or_else(|| Val::unknown(format!("no key `{k}`"))),
            None => Val::unknown("key is not known"),
        },
        (V::Unknown(_), _) => v.clone(),
        _ => Val::unknown(format!("cannot index a {}", v.type_name())),
    }
}

fn binary(op: BinaryOp, l: &Val, r: &Val, span: Option<Span>) -> Val {
    use BinaryOp::*;
    if l.is_unknown() || r.is_unknown() {
        // `false && x` and `true || x` are known whatever x is.
        return match (op, l.as_bool(), r.as_bool()) {
            (And, Some(false), _) | (And, _, Some(false)) => Val::new(V::Bool(false), span),
            (Or, Some(true), _) | (Or, _, Some(true)) => Val::new(V::Bool(true), span),
            _ => Val::unknown("operand is not known"),
        };
    }
    let num = |f: fn(f64, f64) -> f64| match (l.as_number(), r.as_number()) {
        (Some(a), Some(b)) => Val::new(V::Number(f(a, b)), span),
        _ => Val::unknown("arithmetic on a non-number"),
    };
    let cmp = |f: fn(f64, f64) -> bool| match (l.as_number(), r.as_number()) {
        (Some(a), Some(b)) => Val::new(V::Bool(f(a, b)), span),
        _ => Val::unknown("comparison of non-numbers"),
    };
    match op {
        Add => num(|a, b| a + b),
        Sub => num(|a, b| a - b),
        Mul => num(|a, b| a * b),
        Div => num(|a, b| a / b),
        Mod => num(|a, b| a % b),
        Lt => cmp(|a, b| a < b),
        LtEq => cmp(|a, b| a <= b),
        Gt => cmp(|a, b| a > b),
        GtEq => cmp(|a, b| a >= b),
        Eq | NotEq => match equal(l, r) {
            Some(e) => Val::new(V::Bool(if op == Eq { e } else { !e }), span),
            None => Val::unknown("comparison of values not known"),
        },
        And | Or => match (l.as_bool(), r.as_bool()) {
            (Some(a), Some(b)) => Val::new(V::Bool(if op == And { a && b } else { a || b }), span),
            _ => Val::unknown("logic on a non-bool"),
        },
    }
}

/// Structural equality of known values; `None` when either side is symbolic.
pub fn equal(l: &Val, r: &Val) -> Option<bool> {
    match (&l.v, &r.v) {
        (V::Id(a), V::Id(b)) => Some(a == b),
        (V::Instance(a), V::Instance(b)) => Some(a == b),
        (V::Id(_) | V::Instance(_), _) | (_, V::Id(_) | V::Instance(_)) => None,
        (V::Number(a), V::Number(b)) => Some(a == b),
        _ => Some(to_json(l)? == to_json(r)?),
    }
}

/// Decode a JSON string into a value (for `jsondecode` and JSON-string attributes).
pub fn json_string_value(s: &str, span: Option<Span>) -> Option<Val> {
    serde_json::from_str::<serde_json::Value>(s)
        .ok()
        .map(|j| from_json(&j, span))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What another thread does between two reads of [`Evaluator::body_or_syntax`].
    type Hook = Box<dyn FnOnce(&Evaluator<'_>, InstanceId)>;

    thread_local! {
        /// Run once, on this thread, between [`Evaluator::body_or_syntax`]'s two reads.
        static BETWEEN_READS: std::cell::RefCell<Option<Hook>> = std::cell::RefCell::new(None);
    }

    pub(super) fn between_reads(ev: &Evaluator<'_>, id: InstanceId) {
        if let Some(f) = BETWEEN_READS.with(|h| h.borrow_mut().take()) {
            f(ev, id)
        }
    }

    /// Another thread stores an instance's body and releases its declaration's syntax while a
    /// reference is reading the instance's attribute: the reference still finds the value.
    #[test]
    fn a_body_stored_and_released_between_two_reads_is_found() {
        let text = r#"
resource "genesyscloud_routing_queue" "billing" {
  name = "Billing"
}
"#;
        let mut ws = Workspace::default();
        let cfg = crate::load::hcl::parse_hcl(FileId(0), text).expect("parses");
        let m = ws.module_for_dir(std::path::Path::new("/t"));
        ws.modules[m.0 as usize].add_file(FileId(0), cfg);
        ws.link();
        let ev = Evaluator::new(&ws);
        ev.expand_all();
        let id = InstanceId(0);
        let store_and_release: Hook = Box::new(|ev, id| {
            ev.instance_body(id, None);
            ev.resource_block(id).release_body();
        });
        BETWEEN_READS.with(|h| *h.borrow_mut() = Some(store_and_release));
        let name = ev.instance_attr(id, "name", Span::default());
        assert_eq!(name.as_str(), Some("Billing"), "{name:?}");
        assert!(
            ev.resource_block(id).body().is_none(),
            "the hook released it"
        );
    }

    /// A resource's attribute set by an override file is the override's, read from the syntax
    /// (a reference before the body is stored) as from the stored body.
    #[test]
    fn an_overridden_attribute_is_the_overrides_read_either_way() {
        let base = "resource \"genesyscloud_routing_queue\" \"q\" {\n  name = \"Base\"\n  description = \"kept\"\n}\n";
        let over = "resource \"genesyscloud_routing_queue\" \"q\" {\n  name = \"Over\"\n}\n";
        let mut ws = Workspace::default();
        let m = ws.module_for_dir(std::path::Path::new("/t"));
        let parse = |id, text| crate::load::hcl::parse_hcl(FileId(id), text).expect("parses");
        let module = &mut ws.modules[m.0 as usize];
        module.add_file(FileId(0), parse(0, base));
        module.add_override_file(FileId(1), parse(1, over));
        ws.link();
        let ev = Evaluator::new(&ws);
        ev.expand_all();
        let id = InstanceId(0);
        let name = ev.instance_attr(id, "name", Span::default());
        assert_eq!(name.as_str(), Some("Over"), "{name:?}");
        // Located in the override file.
        assert_eq!(name.span.map(|s| s.file), Some(FileId(1)), "{name:?}");
        let body = ev.instance_body(id, None);
        let field = |n: &str| {
            body.as_object()
                .and_then(|o| o.get(n))
                .and_then(|v| v.as_str())
        };
        assert_eq!(
            (field("name"), field("description")),
            (Some("Over"), Some("kept"))
        );
        assert_eq!(
            ev.instance_attr(id, "name", Span::default()).as_str(),
            Some("Over")
        );
    }

    #[test]
    fn table_rows_are_readable_before_and_after_freezing() {
        let t: Table<String> = Table::new();
        assert_eq!(t.push("a".into()), 0);
        assert_eq!(t.push("b".into()), 1);
        assert_eq!(t.with(1, Clone::clone), "b");
        t.freeze();
        // Rows pushed after freezing continue the numbering, behind the lock.
        assert_eq!(t.push("c".into()), 2);
        assert_eq!(t.len(), 3);
        let all: Vec<String> = (0..3).map(|i| t.with(i, Clone::clone)).collect();
        assert_eq!(all, ["a", "b", "c"]);
        t.freeze();
        assert_eq!(
            t.with(2, Clone::clone),
            "c",
            "a second freeze loses nothing"
        );
    }

    #[test]
    fn memo_keeps_the_first_value_and_finds_it_after_freezing() {
        let m: Memo<u32, &str> = Memo::new();
        assert_eq!(m.insert(1, "one"), "one");
        assert_eq!(m.insert(1, "uno"), "one", "the first value stays");
        for k in 2..100 {
            m.insert(k, "many");
        }
        m.freeze();
        assert_eq!(m.get(&1), Some("one"));
        assert_eq!(m.insert(100, "late"), "late");
        assert_eq!(m.get(&100), Some("late"));
        assert_eq!(m.get(&99), Some("many"));
        assert_eq!(m.get(&1000), None);
        assert_eq!(m.insert(1, "late"), "one", "still the first, once frozen");
    }
}
