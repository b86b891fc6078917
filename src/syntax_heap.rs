//! Keeping the parsed syntax in memory of its own, so that the memory comes back as it is freed.
//!
//! The configuration's syntax is most of the memory at the run's peak, and the model build frees
//! it declaration by declaration while it allocates the evaluated model. Allocated among each
//! other, the two shared the allocator's pages: a page with one live value of either kind stays
//! resident, and the freed syntax was little reused (at 50 MB, resident memory grew by 40 MB over
//! the model build while its live data shrank). With the syntax on pages of its own, its pages
//! empty as it goes, and the allocator reuses or returns them.
//!
//! The allocator is the binary's choice, not the library's: the binary installs [`Hooks`] (see
//! `main.rs`), and without them every call here does nothing.

use std::cell::Cell;
use std::sync::OnceLock;

/// What the binary's allocator does for the library.
#[derive(Debug, Clone, Copy)]
pub struct Hooks {
    /// From `true` until `false`, this thread's allocations are syntax.
    pub syntax: fn(bool),
    /// Give back this thread's syntax pages that are wholly free, including frees made by other
    /// threads (which the allocator only sees when the owning thread looks).
    pub collect: fn(),
    /// The input is parsed (its configuration is this many bytes): from here on the run frees
    /// what it built while it builds what replaces it (the syntax, then the model build's
    /// temporaries).
    pub parsed: fn(u64),
    /// A part of the run is done whose code the rest does not run (the parse, the expansion,
    /// the evaluation, the model build, the catalog's decoding, the rules): the pages of code
    /// and data it touched need not stay resident.
    pub part_done: fn(),
}

static HOOKS: OnceLock<Hooks> = OnceLock::new();

/// Install the binary's hooks (once; later calls are ignored).
pub fn install(hooks: Hooks) {
    let _ = HOOKS.set(hooks);
}

/// While this lives, the thread's allocations are syntax: made by a parser, freed once the
/// model is built from them. Anything made meanwhile that is kept for the whole run must be
/// copied out after (it would keep a syntax page resident).
pub struct Scope(Option<&'static Hooks>);

thread_local! {
    /// Whether this thread's allocations are syntax now (a [`Scope`] lives).
    static IN_SCOPE: Cell<bool> = const { Cell::new(false) };
}

pub fn scope() -> Scope {
    let hooks = HOOKS.get();
    if let Some(h) = hooks {
        (h.syntax)(true);
        IN_SCOPE.set(true);
    }
    Scope(hooks)
}

impl Drop for Scope {
    fn drop(&mut self) {
        if let Some(h) = self.0 {
            (h.syntax)(false);
            IN_SCOPE.set(false);
        }
    }
}

/// Run `f` with its allocations outside the syntax's memory, inside a [`Scope`] or not: for
/// what a parser makes that lives as long as the process (interned names).
pub fn outside<T>(f: impl FnOnce() -> T) -> T {
    let hooks = HOOKS.get().filter(|_| IN_SCOPE.get());
    if let Some(h) = hooks {
        (h.syntax)(false);
    }
    let out = f();
    if let Some(h) = hooks {
        (h.syntax)(true);
    }
    out
}

/// How many releases of syntax a thread makes between collections: each one walks the thread's
/// syntax pages (a few thousand at 50 MB).
const RELEASES_PER_COLLECT: u32 = 256;

/// Syntax was just freed on this thread: now and then, give back what is wholly free.
pub fn released() {
    let Some(h) = HOOKS.get() else { return };
    thread_local! {
        static COUNT: Cell<u32> = const { Cell::new(0) };
    }
    let n = COUNT.get() + 1;
    COUNT.set(n % RELEASES_PER_COLLECT);
    if n == RELEASES_PER_COLLECT {
        (h.collect)();
    }
}

/// The input is parsed (see [`Hooks::parsed`]).
pub fn parsed(bytes: u64) {
    if let Some(h) = HOOKS.get() {
        (h.parsed)(bytes);
    }
}

/// See [`Hooks::part_done`].
pub fn part_done() {
    if let Some(h) = HOOKS.get() {
        (h.part_done)();
    }
}

/// Give back the wholly free syntax pages of every thread of the pool and of this one.
pub fn collect_everywhere() {
    let Some(h) = HOOKS.get() else { return };
    rayon::broadcast(|_| (h.collect)());
    (h.collect)();
}
