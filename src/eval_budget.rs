//! Bounds on what one evaluation, and one whole run, may cost, so that no configuration can make
//! a check hang or exhaust memory.
//!
//! Terraform's language lets a few lines ask for unbounded work: `for` expressions (and template
//! `%{ for }` directives) nested five deep over a hundred elements are 10^10 steps; a chain of
//! locals each joining the one before with itself doubles a string forty times; a list holding
//! the previous one twice is small in memory (its elements are shared) but a tree of 2^40 nodes
//! to anything that walks it (`jsonencode`, `flatten`, a rule). Terraform itself would run out of
//! memory on them; cxlint must finish, and gives the value up as unknown instead, with a reason.
//!
//! Three bounds on each evaluation:
//! - **Steps.** Each evaluation frame (one attribute, one `count` or `for_each`, one local,
//!   variable or output, see [`fresh`]) may take [`MAX_STEPS`] steps: an expression evaluated,
//!   an element of a `for`, the elements a function reads or makes, 32 bytes of string a template
//!   or a function writes. A frame's value does not depend on the frame it was asked from, so a memoized value
//!   is the same whichever reference computes it first (and the run stays deterministic).
//! - **Strings** longer than [`MAX_STRING_BYTES`] are not built.
//! - **Values** kept for reuse (locals, variables, outputs) weigh at most [`MAX_WEIGHT`]: nodes
//!   of the value's tree, shared parts counted each time they appear, strings by their length.
//!
//! Those bound one value, not how many there are: 10,000 instances of a resource each costing
//! just under the step bound, or thirty locals each just under the weight bound, were a minute
//! or gigabytes. So a [`Run`] also bounds the whole evaluation: the steps of all its frames
//! ([`MAX_RUN_STEPS`]), the weight of everything it keeps, named values and evaluated resource
//! bodies alike ([`MAX_RUN_WEIGHT`]), and the module and resource instances it expands
//! ([`MAX_RUN_INSTANCES`]); `check` bounds the bytes of flow files it reads the same way
//! ([`MAX_RUN_FLOW_BYTES`]). Once one is spent, what is left is not evaluated (unknown), and the
//! check says it is incomplete. The 50 MB benchmark corpus uses at most a fifth of each (3% of
//! the steps, 18% of the weight and of the instances). Which values are left unknown past a
//! run-wide bound can depend on the order the cores evaluate resources in; the per-evaluation
//! bounds do not.
//!
//! `CXLINT_RUN_BUDGET_DIVISOR=N` divides the run-wide bounds by `N` (it can only lower them), so
//! that tests reach them with small inputs.

use std::cell::Cell;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering::Relaxed};

use crate::value::{V, Val};

/// Steps one frame may take: some tens of milliseconds of evaluation, far beyond what a real
/// configuration's expression needs (the largest in the benchmark corpora take some thousands).
pub const MAX_STEPS: u64 = 1_000_000;

/// The longest string an evaluation builds. A file read with `file()` is at most a loadable
/// file's size, but 16 MiB is far more than any attribute's value (flows and data-action
/// contracts are kilobytes).
pub const MAX_STRING_BYTES: usize = 16 << 20;

/// The heaviest value kept for reuse (see [`weight`]).
pub const MAX_WEIGHT: u64 = 4_000_000;

/// Steps all the frames of a run may take together: a few seconds of evaluation. The 50 MB
/// benchmark corpus takes about 1.3 million.
pub const MAX_RUN_STEPS: u64 = 50_000_000;

/// Weight of all the values a run keeps: named values and evaluated resource bodies (the model
/// is made of those, and of what it derives from them). 12 million of the smallest elements,
/// ids in lists, are about 900 MB by the end of a run. The 50 MB benchmark corpus keeps 2.1
/// million (its whole run peaks at 160 MB).
pub const MAX_RUN_WEIGHT: u64 = 12_000_000;

/// Module and resource instances a run expands: each is an object of the model, with its
/// body (some hundreds of bytes in all, however small). The 50 MB benchmark corpus has 88,000.
pub const MAX_RUN_INSTANCES: u64 = 500_000;

/// Bytes of flow files a run reads and parses, their substitutions filled in: four files of the
/// largest size a flow may be (`crate::load::archy::MAX_FLOW_BYTES`). A flow with `count` reads
/// its file once for each instance, with other values; the 2,644 flows of the 50 MB benchmark
/// corpus are 3.3 MB.
pub const MAX_RUN_FLOW_BYTES: usize = 128 << 20;

/// Bytes of string that weigh as much as one node: what `jsonencode` may write for the steps
/// it pays is then bounded too (8 bytes a step, 8 MB for a whole frame).
pub const BYTES_PER_NODE: usize = 8;

/// Which bound an evaluation reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Steps,
    StringLength,
    Weight,
    /// The frame had fewer than [`MAX_STEPS`] because the run had no more, and used them all.
    RunSteps,
}

impl Bound {
    /// Why the value is not known, for the finding that says so.
    pub fn describe(self) -> String {
        match self {
            Bound::Steps => format!("it takes more than {MAX_STEPS} steps to evaluate"),
            Bound::StringLength => format!(
                "it builds a string longer than {} MiB",
                MAX_STRING_BYTES >> 20
            ),
            Bound::Weight => format!("its value has more than {MAX_WEIGHT} elements"),
            Bound::RunSteps => RunBound::Steps.unknown_reason().to_owned(),
        }
    }
}

/// A bound on a whole run (see [`Run`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunBound {
    Steps = 1,
    Weight = 2,
    Instances = 3,
}

impl RunBound {
    /// The reason of the values left unknown once it is reached.
    pub fn unknown_reason(self) -> &'static str {
        match self {
            RunBound::Steps => {
                "not evaluated: the run has spent its evaluation budget (the check is incomplete)"
            }
            RunBound::Weight => {
                "not evaluated: the run has spent its memory budget (the check is incomplete)"
            }
            RunBound::Instances => {
                "not expanded: the run has expanded as many instances as it may (the check is incomplete)"
            }
        }
    }

    /// Whether `why`, the reason of an unknown value, is that a run-wide bound was reached
    /// (the finding that says the check is incomplete covers each such value).
    pub fn is_reason(why: &str) -> bool {
        [RunBound::Steps, RunBound::Weight, RunBound::Instances]
            .iter()
            .any(|b| why.contains(b.unknown_reason()))
    }

    fn from_u8(b: u8) -> Option<RunBound> {
        match b {
            1 => Some(RunBound::Steps),
            2 => Some(RunBound::Weight),
            3 => Some(RunBound::Instances),
            _ => None,
        }
    }
}

/// The run-wide bounds in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub steps: u64,
    pub weight: u64,
    pub instances: u64,
    pub flow_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            steps: MAX_RUN_STEPS,
            weight: MAX_RUN_WEIGHT,
            instances: MAX_RUN_INSTANCES,
            flow_bytes: MAX_RUN_FLOW_BYTES,
        }
    }
}

impl Limits {
    /// The defaults, divided by `CXLINT_RUN_BUDGET_DIVISOR` when it is set (see the module
    /// docs): a divisor can only lower them.
    pub fn from_env() -> Self {
        let divisor = std::env::var("CXLINT_RUN_BUDGET_DIVISOR")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|&d| d > 1);
        let d = Limits::default();
        match divisor {
            Some(n) => Limits {
                steps: d.steps / n,
                weight: d.weight / n,
                instances: d.instances / n,
                flow_bytes: d.flow_bytes / n as usize,
            },
            None => d,
        }
    }
}

/// A counter alone on its cache line: the two cores update the run's counters at once, and
/// would otherwise take the line from each other on every update of either.
#[repr(align(64))]
#[derive(Default)]
struct Padded<T>(T);

/// What a whole run has spent, against its [`Limits`]: shared by the threads that evaluate.
pub struct Run {
    /// Tells this run's steps pending on a thread from another run's (see [`PENDING`]).
    id: u64,
    limits: Limits,
    steps: Padded<AtomicU64>,
    weight: Padded<AtomicU64>,
    instances: Padded<AtomicU64>,
    /// The first bound reached ([`RunBound`] as a number, 0 for none): read before every frame.
    spent: Padded<AtomicU8>,
}

impl Default for Run {
    fn default() -> Self {
        Run::new(Limits::default())
    }
}

/// Steps a thread charges its run at once (see [`PENDING`]).
const STEPS_BATCH: u64 = 1 << 16;

impl Run {
    pub fn new(limits: Limits) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        Run {
            id: NEXT_ID.fetch_add(1, Relaxed),
            limits,
            steps: Padded::default(),
            weight: Padded::default(),
            instances: Padded::default(),
            spent: Padded::default(),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// What the run has spent so far (steps still pending on other threads left out).
    pub fn used(&self) -> Limits {
        Limits {
            steps: self.limits.steps - self.steps_left(),
            weight: self.weight.0.load(Relaxed),
            instances: self.instances.0.load(Relaxed),
            // Flows are read after the evaluation, by `check`, which counts their bytes.
            flow_bytes: 0,
        }
    }

    /// The first run-wide bound reached, if any: from then on nothing more is evaluated.
    pub fn spent(&self) -> Option<RunBound> {
        RunBound::from_u8(self.spent.0.load(Relaxed))
    }

    /// Record that `bound` is reached; `true` for the first bound reached in the run (the one
    /// to report).
    pub fn reach(&self, bound: RunBound) -> bool {
        (self.spent.0)
            .compare_exchange(0, bound as u8, Relaxed, Relaxed)
            .is_ok()
    }

    /// Take `n` more instances; `Err` (and the bound reached) when the run may not have them.
    pub fn add_instances(&self, n: u64) -> Result<(), RunBound> {
        take(&self.instances.0, n, self.limits.instances)
            .map_err(|()| self.reached(RunBound::Instances))
    }

    /// Weight the run may still keep.
    pub fn weight_left(&self) -> u64 {
        (self.limits.weight).saturating_sub(self.weight.0.load(Relaxed))
    }

    /// Keep a value of weight `w`; `Err` (and the bound reached) when the run may not.
    pub fn keep(&self, w: u64) -> Result<(), RunBound> {
        take(&self.weight.0, w, self.limits.weight).map_err(|()| self.reached(RunBound::Weight))
    }

    fn reached(&self, bound: RunBound) -> RunBound {
        self.reach(bound);
        bound
    }

    /// Steps the run has left, as this thread knows it.
    fn steps_left(&self) -> u64 {
        let pending = PENDING.get();
        let mine = if pending.0 == self.id { pending.1 } else { 0 };
        let spent = self.steps.0.load(Relaxed).saturating_add(mine);
        self.limits.steps.saturating_sub(spent)
    }

    /// Charge the steps the current frame took since it was last charged.
    fn charge_frame(&self) {
        let used = CHARGED_AT.get().saturating_sub(FUEL.get());
        CHARGED_AT.set(FUEL.get());
        let (id, pending) = PENDING.get();
        let pending = if id == self.id { pending } else { 0 } + used;
        if pending >= STEPS_BATCH {
            self.steps.0.fetch_add(pending, Relaxed);
            PENDING.set((self.id, 0));
        } else {
            PENDING.set((self.id, pending));
        }
    }

    /// Steps charged to the run so far, this thread's pending ones included (for tests).
    #[cfg(test)]
    fn steps_spent(&self) -> u64 {
        self.limits.steps - self.steps_left()
    }
}

/// Add `n` to `counter` unless that takes it past `limit`.
fn take(counter: &AtomicU64, n: u64, limit: u64) -> Result<(), ()> {
    counter
        .fetch_update(Relaxed, Relaxed, |c| {
            c.checked_add(n).filter(|&total| total <= limit)
        })
        .map(|_| ())
        .map_err(|_| ())
}

thread_local! {
    /// Steps left in this thread's current frame.
    static FUEL: Cell<u64> = const { Cell::new(MAX_STEPS) };
    /// The first bound the current frame reached.
    static REACHED: Cell<Option<Bound>> = const { Cell::new(None) };
    /// `FUEL` when the current frame's steps were last charged to its run.
    static CHARGED_AT: Cell<u64> = const { Cell::new(MAX_STEPS) };
    /// Frames open on this thread: outside any, an evaluation refills (see [`refill`]).
    static FRAMES: Cell<u32> = const { Cell::new(0) };
    /// Whether the current frame was given fewer than [`MAX_STEPS`] because its run had no more.
    static CUT: Cell<bool> = const { Cell::new(false) };
    /// Steps charged on this thread and not yet added to the run's counter, with the run's id:
    /// added [`STEPS_BATCH`] at a time, so that frames (hundreds of thousands at 50 MB) do not
    /// each write the counter both cores share.
    static PENDING: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

/// Runs `f` as a frame of its own, with [`MAX_STEPS`] steps (fewer when `run` has fewer left),
/// and gives the enclosing frame back the steps it had. Also says which bound the frame itself
/// reached, if any (not one reached by a frame inside it: that one says so itself, and what
/// reaches the outer frame is only the unknown value). The frame's steps are charged to `run`.
pub fn fresh<T>(run: &Run, f: impl FnOnce() -> T) -> (T, Option<Bound>) {
    // The enclosing frame's steps so far: the run's count is then right while this one runs.
    run.charge_frame();
    let fuel = run.steps_left().min(MAX_STEPS);
    let outer = FUEL.replace(fuel);
    CHARGED_AT.set(fuel);
    let outer_reached = REACHED.replace(None);
    let outer_cut = CUT.replace(fuel < MAX_STEPS);
    FRAMES.set(FRAMES.get() + 1);
    let out = f();
    FRAMES.set(FRAMES.get() - 1);
    run.charge_frame();
    FUEL.set(outer);
    CHARGED_AT.set(outer);
    let cut = CUT.replace(outer_cut);
    let reached = match REACHED.replace(outer_reached) {
        Some(Bound::Steps) if cut => {
            run.reach(RunBound::Steps);
            Some(Bound::RunSteps)
        }
        other => other,
    };
    (out, reached)
}

fn reached(bound: Bound) {
    if REACHED.get().is_none() {
        REACHED.set(Some(bound));
    }
}

/// Starts this thread's frame over: an evaluation that no enclosing one asked for. Inside a
/// frame ([`fresh`]) it does nothing: the frame's steps are what its run gave it.
pub fn refill() {
    if FRAMES.get() == 0 {
        FUEL.set(MAX_STEPS);
        CHARGED_AT.set(MAX_STEPS);
    }
}

/// Takes `n` steps from the current frame; `Err` is the unknown value to give instead once the
/// frame has none left.
pub fn spend(n: u64) -> Result<(), Val> {
    let left = FUEL.get();
    if left < n {
        FUEL.set(0);
        reached(Bound::Steps);
        return Err(too_costly());
    }
    FUEL.set(left - n);
    Ok(())
}

/// Takes the steps of making `bytes` bytes of string (one per [`BYTES_PER_NODE`]).
pub fn spend_bytes(bytes: usize) -> Result<(), Val> {
    spend((bytes / BYTES_PER_NODE) as u64)
}

/// Takes the steps of reading `v` whole (its [`weight`]), for functions that walk their
/// arguments to the leaves (`jsonencode`, `flatten`...). The walk stops as soon as the frame
/// could not pay for what it has seen, so it costs no more than what is left.
pub fn spend_deep(v: &Val) -> Result<(), Val> {
    let left = FUEL.get();
    match weight(v, left) {
        Some(w) => spend(w),
        None => {
            FUEL.set(0);
            reached(Bound::Steps);
            Err(too_costly())
        }
    }
}

/// Takes the steps of reading `v`'s top level (its elements, or its length for a string).
pub fn spend_shallow(v: &Val) -> Result<(), Val> {
    spend(1 + shallow_len(v) as u64)
}

fn shallow_len(v: &Val) -> usize {
    match &v.v {
        V::List(items) => items.len(),
        V::Object(fields) => fields.len(),
        V::String(s) => s.len() / BYTES_PER_NODE,
        _ => 0,
    }
}

/// Bytes of string written that cost one step: a frame writes at most 32 MB, twice the longest
/// string, so a string of the longest length can still be written, once.
const BYTES_PER_STEP_WRITTEN: usize = 32;

/// Takes the steps of writing `bytes` bytes of string: a template or a function that copies a
/// long string into each element of a `for` would otherwise fill memory at a step an element.
pub fn spend_written(bytes: usize) -> Result<(), Val> {
    spend((bytes / BYTES_PER_STEP_WRITTEN) as u64)
}

/// Appends `s` to `out` unless that makes `out` longer than [`MAX_STRING_BYTES`], or the
/// frame cannot pay for writing it ([`spend_written`]).
pub fn push_bounded(out: &mut String, s: &str) -> Result<(), Val> {
    check_len(out.len().saturating_add(s.len()))?;
    spend_written(s.len())?;
    out.push_str(s);
    Ok(())
}

/// `Err` with the unknown value to give instead when a string of `len` bytes is too long.
pub fn check_len(len: usize) -> Result<(), Val> {
    if len <= MAX_STRING_BYTES {
        return Ok(());
    }
    reached(Bound::StringLength);
    Err(Val::unknown(Bound::StringLength.describe()))
}

/// `v` with its [`weight`], or `Err` with an unknown to take its place when it weighs more than
/// [`MAX_WEIGHT`]: what a memoized value goes through before anyone reuses it.
pub fn bounded(v: Val) -> Result<(Val, u64), Val> {
    match weight(&v, MAX_WEIGHT) {
        Some(w) => Ok((v, w)),
        None => Err(Val::unknown(Bound::Weight.describe())),
    }
}

/// The size of `v` as a tree: one per node, shared parts counted where each appears, strings
/// one per [`BYTES_PER_NODE`] bytes. `None` once it exceeds `limit` (the walk stops there, so
/// it takes at most `limit` steps).
pub fn weight(v: &Val, limit: u64) -> Option<u64> {
    let mut total = 0u64;
    let mut stack: Vec<&Val> = vec![v];
    while let Some(v) = stack.pop() {
        total += 1 + string_weight(v);
        if total > limit {
            return None;
        }
        match &v.v {
            V::List(items) => stack.extend(items.iter()),
            V::Object(fields) => {
                for (k, x) in fields.iter() {
                    total += (k.len() / BYTES_PER_NODE) as u64;
                    stack.push(x);
                }
            }
            _ => {}
        }
    }
    Some(total)
}

/// A string's weight beyond its node.
fn string_weight(v: &Val) -> u64 {
    match &v.v {
        V::String(s) => (s.len() / BYTES_PER_NODE) as u64,
        _ => 0,
    }
}

/// The unknown value a frame gives once it has no steps left: for lack of its own, or of its
/// run's.
fn too_costly() -> Val {
    match CUT.get() {
        true => Val::unknown(Bound::RunSteps.describe()),
        false => Val::unknown(Bound::Steps.describe()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: Vec<Val>) -> Val {
        Val::list(items, None)
    }

    #[test]
    fn shared_parts_weigh_each_time_they_appear() {
        let mut v = list(vec![Val::string("x", None)]);
        for _ in 0..30 {
            v = list(vec![v.clone(), v]);
        }
        // 2^31 nodes, in memory 31 lists: the walk gives up at the limit.
        assert_eq!(weight(&v, 1000), None);
        assert!(bounded(v).is_err());
        let small = list(vec![Val::string("a".repeat(640), None); 3]);
        assert_eq!(weight(&small, 1000), Some(1 + 3 * 81));
        assert!(bounded(small).is_ok());
    }

    #[test]
    fn a_frame_runs_out_and_gives_its_caller_back_its_steps() {
        let run = Run::default();
        refill();
        spend(MAX_STEPS - 10).expect("within the frame");
        let ((), reached) = fresh(&run, || {
            assert!(spend(MAX_STEPS).is_ok(), "a fresh frame has all its steps");
            assert!(spend(1).is_err());
        });
        assert_eq!(reached, Some(Bound::Steps));
        let ((), reached) = fresh(&run, || {
            let ((), inner) = fresh(&run, || assert!(check_len(MAX_STRING_BYTES + 1).is_err()));
            assert_eq!(inner, Some(Bound::StringLength));
        });
        assert_eq!(reached, None, "an inner frame's bound is its own");
        assert!(spend(10).is_ok(), "the outer frame had 10 left");
        assert!(spend(1).is_err());
        refill();
        assert_eq!(run.spent(), None, "a frame's own bound is not the run's");
    }

    #[test]
    fn the_frames_of_a_run_share_its_steps() {
        let limits = Limits {
            steps: 2 * MAX_STEPS + 500,
            ..Limits::default()
        };
        let run = Run::new(limits);
        for _ in 0..2 {
            let ((), reached) = fresh(&run, || spend(MAX_STEPS).expect("a whole frame"));
            assert_eq!(reached, None);
        }
        // Nested: the outer frame's steps are charged before the inner one starts.
        let ((), reached) = fresh(&run, || {
            spend(300).expect("the run has 500 left");
            let ((), inner) = fresh(&run, || {
                assert!(spend(200).is_ok());
                assert!(spend(1).is_err(), "the outer frame took 300 of the 500");
            });
            assert_eq!(inner, Some(Bound::RunSteps));
        });
        assert_eq!(reached, None);
        assert_eq!(run.steps_spent(), limits.steps);
        assert_eq!(run.spent(), Some(RunBound::Steps));
        let ((), reached) = fresh(&run, || assert!(spend(1).is_err()));
        assert_eq!(
            reached,
            Some(Bound::RunSteps),
            "nothing left for a new frame"
        );
    }

    #[test]
    fn instances_and_weight_stop_at_the_run_limits() {
        let run = Run::default();
        assert!(run.add_instances(MAX_RUN_INSTANCES - 1).is_ok());
        assert!(run.keep(MAX_RUN_WEIGHT).is_ok());
        assert_eq!(run.weight_left(), 0);
        assert_eq!(run.spent(), None, "at the limits, not past them");
        assert_eq!(run.add_instances(2), Err(RunBound::Instances));
        assert_eq!(run.keep(1), Err(RunBound::Weight));
        assert_eq!(
            run.spent(),
            Some(RunBound::Instances),
            "the first one reached"
        );
        assert!(
            run.add_instances(1).is_ok(),
            "what was refused was not taken"
        );
    }

    #[test]
    fn strings_stop_at_the_limit() {
        let mut out = "a".repeat(MAX_STRING_BYTES - 1);
        assert!(push_bounded(&mut out, "b").is_ok());
        let before = out.len();
        assert!(push_bounded(&mut out, "c").is_err());
        assert_eq!(out.len(), before, "nothing appended past the limit");
    }
}
