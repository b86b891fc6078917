//! The `cxlint` binary: all logic lives in the library (`cxlint::cli`), so tests can drive it.

use std::process::ExitCode;

// The IR and the model are millions of small allocations made on several threads: with mimalloc's
// per-thread heaps a 10 MB check took 0.30 s instead of 0.41 s with glibc malloc (bench/run.sh).
// It costs a C compile of one file, and only the binary uses it (the library leaves the choice
// to whoever embeds it). The 2.x line (feature `v2`) rather than the crate's default 3.x: same
// speed or a little faster here, and a smaller peak (10 MB: about 155 instead of 179 MB resident;
// 50 MB: 585 instead of 640 MB), because 3.x keeps more of the pages freed by the other thread.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    no_huge_pages();
    cxlint::cli::run(cxlint::cli::Process {
        on_large_input: Some(syntax_heap::large_input),
        syntax_heap: Some(cxlint::syntax_heap::Hooks {
            syntax: syntax_heap::select,
            collect: syntax_heap::collect,
            parsed: syntax_heap::purge_at_once,
        }),
    })
}

/// The parsed syntax on pages of its own: a mimalloc heap per thread (see
/// `cxlint::syntax_heap`). Selecting it as the thread's default heap sends every allocation of
/// the thread there, and frees need nothing: mimalloc frees a block into whichever heap holds it.
mod syntax_heap {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicBool, Ordering};

    use libmimalloc_sys as mi;

    thread_local! {
        static HEAP: Cell<*mut mi::mi_heap_t> = const { Cell::new(std::ptr::null_mut()) };
    }

    /// `mi_option_purge_delay` in mimalloc 2's `mimalloc.h` (the Rust bindings have no name for
    /// it); its default is 10 (ms).
    pub const PURGE_DELAY: mi::mi_option_t = 15;

    /// The default of [`PURGE_DELAY`], in ms (what small inputs keep).
    #[cfg(test)]
    pub const DEFAULT_PURGE_DELAY: std::ffi::c_long = 10;

    static LARGE: AtomicBool = AtomicBool::new(false);

    pub fn large_input() {
        LARGE.store(true, Ordering::Relaxed);
    }

    /// Once a large input is parsed, free pages go back to the system as soon as they are free,
    /// instead of some milliseconds later. From there on the run frees what it built (the
    /// syntax, the expansion's tables, the model build's temporaries) while it builds what
    /// replaces them, and pages freed by one thread or heap are not the next allocation's: with
    /// the delay they were still resident at the peak. Peak resident memory, interleaved
    /// medians on 2 cores, page cache dropped first: 10 MB 52.5 -> 45.7 MiB, 50 MB 175 -> 166
    /// MiB, 10 MB with a 50 MB state 144 -> 141 MiB, in the same time (10 MB 229 ms both, 50 MB
    /// 1.06 vs 1.07 s). Returning them only while the model build freed the syntax, as before,
    /// left 5-7 MiB of the later phases' frees resident. Not during the parse, which frees only
    /// short-lived memory, reused at once: with the whole run at once, 10 MB peaks 0.4 MiB
    /// lower for 10 ms more. Not for small inputs: 1 MB 22.0 -> 19.2 MiB, far from the input's
    /// size, for 10% more time. `MIMALLOC_PURGE_DELAY`, when set, wins (for measuring).
    pub fn purge_at_once() {
        if !LARGE.load(Ordering::Relaxed) || std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: sets a process-wide option, an atomic that mimalloc reads when it purges.
        unsafe { mi::mi_option_set(PURGE_DELAY, 0) }
    }

    pub fn select(syntax: bool) {
        HEAP.with(|h| {
            // SAFETY: the heap is made, selected and collected only by this thread (a mimalloc
            // heap belongs to the thread that made it), and lives as long as the thread. The
            // backing heap is the thread's own default. A heap that could not be made (null)
            // is never selected.
            unsafe {
                if !syntax {
                    mi::mi_heap_set_default(mi::mi_heap_get_backing());
                    return;
                }
                if h.get().is_null() {
                    h.set(mi::mi_heap_new());
                }
                if !h.get().is_null() {
                    mi::mi_heap_set_default(h.get());
                }
            }
        })
    }

    pub fn collect() {
        HEAP.with(|h| {
            if !h.get().is_null() {
                // SAFETY: this thread's own heap (see `select`).
                unsafe { mi::mi_heap_collect(h.get(), false) }
            }
        })
    }
}

/// mimalloc asks the kernel for transparent huge pages on its arenas (`MADV_HUGEPAGE`; Linux with
/// THP in `madvise` or `always` mode, the default of most distributions and CI runners). Each
/// thread's heap then touches whole 2 MiB pages sparsely: a 1 MB check was 76 MB resident, and
/// zeroing pages was a fifth of its cycles (perf: `clear_page_erms`); with 4 KiB pages it is 32 MB
/// in the same time. Large inputs used to turn them on again (fewer page faults: 10 MB 157 vs
/// 178 ms then), until freed pages were purged at once (`syntax_heap::purge_at_once`), which
/// splits huge pages anyway: measured side by side since, huge pages off and on take the same
/// time within the noise (10 MB 395 and 390 vs 409 and 374 ms, two rounds of 15 runs; 50 MB 1.983
/// vs 1.983 s) and off peaks lower (10 MB 52 vs 57 MiB, 50 MB 191 vs 200 MiB). So they stay off.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl(PR_SET_THP_DISABLE, 1)` takes integers only; it changes this process's
    // page-size policy for pages touched from now on, and nothing else. Failure (an old kernel)
    // leaves the default, which only costs memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1 as libc::c_ulong, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    /// The option number is mimalloc 2's: read back, it has the documented default.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads an option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::syntax_heap::PURGE_DELAY) };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(delay, super::syntax_heap::DEFAULT_PURGE_DELAY);
        }
    }
}
