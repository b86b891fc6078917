//! Bounds on what one evaluation may cost, so that no configuration can make a check hang or
//! exhaust memory.
//!
//! Terraform's language lets a few lines ask for unbounded work: `for` expressions (and template
//! `%{ for }` directives) nested five deep over a hundred elements are 10^10 steps; a chain of
//! locals each joining the one before with itself doubles a string forty times; a list holding
//! the previous one twice is small in memory (its elements are shared) but a tree of 2^40 nodes
//! to anything that walks it (`jsonencode`, `flatten`, a rule). Terraform itself would run out of
//! memory on them; cxlint must finish, and gives the value up as unknown instead, with a reason.
//!
//! Three bounds:
//! - **Steps.** Each evaluation frame (one attribute, one `count` or `for_each`, one local,
//!   variable or output, see [`fresh`]) may take [`MAX_STEPS`] steps: an expression evaluated,
//!   an element of a `for`, the elements a function reads. A frame's value does not depend on
//!   the frame it was asked from, so a memoized value is the same whichever reference
//!   computes it first (and the run stays deterministic).
//! - **Strings** longer than [`MAX_STRING_BYTES`] are not built.
//! - **Values** kept for reuse (locals, variables, outputs) weigh at most [`MAX_WEIGHT`]: nodes
//!   of the value's tree, shared parts counted each time they appear, strings by their length.

use std::cell::Cell;

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

/// Bytes of string that weigh as much as one node: what `jsonencode` may write for the steps
/// it pays is then bounded too (8 bytes a step, 8 MB for a whole frame).
const BYTES_PER_NODE: usize = 8;

/// Which bound an evaluation reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Steps,
    StringLength,
    Weight,
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
        }
    }
}

thread_local! {
    /// Steps left in this thread's current frame.
    static FUEL: Cell<u64> = const { Cell::new(MAX_STEPS) };
    /// The first bound the current frame reached.
    static REACHED: Cell<Option<Bound>> = const { Cell::new(None) };
}

/// Runs `f` as a frame of its own, with [`MAX_STEPS`] steps, and gives the enclosing frame back
/// the steps it had. Also says which bound the frame itself reached, if any (not one reached
/// by a frame inside it: that one says so itself, and what reaches the outer frame is only the
/// unknown value).
pub fn fresh<T>(f: impl FnOnce() -> T) -> (T, Option<Bound>) {
    let outer = FUEL.replace(MAX_STEPS);
    let outer_reached = REACHED.replace(None);
    let out = f();
    FUEL.set(outer);
    (out, REACHED.replace(outer_reached))
}

fn reached(bound: Bound) {
    if REACHED.get().is_none() {
        REACHED.set(Some(bound));
    }
}

/// Starts this thread's frame over: an evaluation that no enclosing one asked for.
pub fn refill() {
    FUEL.set(MAX_STEPS);
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

/// Appends `s` to `out` unless that makes `out` longer than [`MAX_STRING_BYTES`].
pub fn push_bounded(out: &mut String, s: &str) -> Result<(), Val> {
    check_len(out.len().saturating_add(s.len()))?;
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

/// `v`, or `Err` with an unknown to take its place when it weighs more than [`MAX_WEIGHT`]:
/// what a memoized value goes through before anyone reuses it.
pub fn bounded(v: Val) -> Result<Val, Val> {
    match weight(&v, MAX_WEIGHT) {
        Some(_) => Ok(v),
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

fn too_costly() -> Val {
    Val::unknown(Bound::Steps.describe())
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
        refill();
        spend(MAX_STEPS - 10).expect("within the frame");
        let ((), reached) = fresh(|| {
            assert!(spend(MAX_STEPS).is_ok(), "a fresh frame has all its steps");
            assert!(spend(1).is_err());
        });
        assert_eq!(reached, Some(Bound::Steps));
        let ((), reached) = fresh(|| {
            let ((), inner) = fresh(|| assert!(check_len(MAX_STRING_BYTES + 1).is_err()));
            assert_eq!(inner, Some(Bound::StringLength));
        });
        assert_eq!(reached, None, "an inner frame's bound is its own");
        assert!(spend(10).is_ok(), "the outer frame had 10 left");
        assert!(spend(1).is_err());
        refill();
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
