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
        on_large_input: Some(large_input),
        syntax_heap: Some(cxlint::syntax_heap::Hooks {
            syntax: syntax_heap::select,
            collect: syntax_heap::collect,
            parsed: syntax_heap::purge_at_once,
            part_done,
        }),
    })
}

/// The input is large (`cxlint::cli::Process::on_large_input`, before the parse).
fn large_input() {
    syntax_heap::large_input();
    code_pages::choose();
}

/// A part of the run is done (`cxlint::syntax_heap::Hooks::part_done`): for a large input, the
/// code and data it touched need not stay resident. Not for small inputs: faulting back what
/// the next part uses costs more than the run's memory gains (22 files: 5.9 -> 7.7 ms; 1 MB:
/// 25.8 -> 29.5 ms, 18.6 -> 16.4 MiB, far from the input's size either way).
fn part_done() {
    if syntax_heap::is_large() {
        code_pages::let_go();
    }
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

    pub fn is_large() -> bool {
        LARGE.load(Ordering::Relaxed)
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
    ///
    /// From [`HUGE_CONFIG_BYTES`] of configuration on, 1 ms instead: purging is system time
    /// (page faults, zeroing, the other core interrupted to flush its TLB), and there the
    /// input's size dwarfs what the delay keeps. 50 MB: 1.088 -> 1.011 s (hcl-edit alone 0.744
    /// s), 150 -> 158 MiB (3.3x the input; interleaved medians of 10). At 10 MB the same 1 ms
    /// cost 10 MiB (36 -> 46 MiB, over 4x the input). The state's size does not count: its
    /// parse is on one core and gains nothing (10 MB with a 50 MB state: the same time, 139 ->
    /// 156 MiB).
    pub fn purge_at_once(config_bytes: u64) {
        if !is_large() || std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        let delay = if config_bytes >= HUGE_CONFIG_BYTES {
            1
        } else {
            0
        };
        // SAFETY: sets a process-wide option, an atomic that mimalloc reads when it purges.
        unsafe { mi::mi_option_set(PURGE_DELAY, delay) }
    }

    /// See [`purge_at_once`].
    const HUGE_CONFIG_BYTES: u64 = 32 << 20;

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

/// The pages of code and read-only data that the process has touched so far, let go when a
/// part of the run is done.
///
/// Resident memory counts every page of the binary and of the C library that the process has
/// touched (and the kernel maps the 64 KiB around each page touched). Start-up, discovery and
/// the parse use code and data that the later phases do not: the command line, the parsers,
/// the state and JSON readers. Let go, they stop counting, and the later phases fault back
/// what they use from the page cache (nothing is read from disk again). Done after the parse,
/// the model build and the rules, it takes 3.4 MiB off the peak at 10 MB (41.1 -> 37.7 MiB)
/// and 2.5 MiB at 50 MB (161.3 -> 158.8 MiB), in the same time within the noise (interleaved
/// medians of 12 runs on 2 cores; the minor page faults differ by a few hundred). Also after
/// the expansion, the evaluation and the model build, and once the API catalog is decoded (its
/// 1.2 MB of tables are read once): the flows and the caches computed beside them were the
/// peak, with the model build's code and the tables still resident (10 MB: 39,288 -> 38,800
/// KiB with these four switched off and on in one build, interleaved medians of 14 runs, the
/// same CPU time).
///
/// Only read-only file mappings whose pages are all the file's are let go: pages the kernel
/// itself may drop at any time under memory pressure, and reads again the same. A mapping with
/// a page written since it was mapped (the relocated part of a library's data, or code a
/// debugger has set a breakpoint in) holds private copies, and is left alone: dropping it would
/// lose the writes.
mod code_pages {
    use std::sync::OnceLock;

    /// The mappings chosen by [`choose`]: their lines in `/proc/self/maps`.
    static CHOSEN: OnceLock<Vec<String>> = OnceLock::new();

    /// Choose the mappings to let go, once: read-only mappings stay as clean as they are at
    /// start-up, and `/proc/self/smaps`, which tells, costs a walk of every page the process
    /// has mapped. Read after the parse, with the syntax in memory, it was 14 ms on the run's
    /// one busy thread at 50 MB, twice; before the parse, about 1 ms.
    pub fn choose() {
        CHOSEN.get_or_init(|| {
            #[cfg(target_os = "linux")]
            if let Ok(smaps) = std::fs::read_to_string("/proc/self/smaps") {
                return clean_read_only(&smaps);
            }
            Vec::new()
        });
    }

    /// Let go every page of the mappings [`choose`] chose that are still mapped as they were
    /// (Linux; elsewhere nothing), and return the ranges the kernel accepted. Failure changes
    /// nothing but the memory.
    pub fn let_go() -> Vec<(usize, usize)> {
        choose();
        #[cfg_attr(not(target_os = "linux"), allow(unused_mut))]
        let mut accepted = Vec::new();
        #[cfg(target_os = "linux")]
        if let (Some(chosen), Ok(maps)) = (CHOSEN.get(), std::fs::read_to_string("/proc/self/maps"))
        {
            // A mapping is let go only if its line is the same now (range, permissions, file
            // and inode): what is mapped at an address once a mapping there is gone is
            // someone else's memory.
            for line in maps.lines().filter(|l| chosen.iter().any(|c| c == l)) {
                let Some((start, end)) = range_of(line) else {
                    continue;
                };
                // SAFETY: `MADV_DONTNEED` on a private file mapping with no written page only
                // drops pages the kernel reads back from the file on the next access; the
                // range is a whole mapping of this process, page-aligned by the kernel, and
                // read-only since it was found clean (its line is unchanged).
                let done = unsafe {
                    libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED)
                };
                if done == 0 {
                    accepted.push((start, end));
                }
            }
        }
        accepted
    }

    /// The address range at the start of a `maps` or `smaps` line.
    pub fn range_of(line: &str) -> Option<(usize, usize)> {
        let first = line.split_whitespace().next()?;
        let (from, to) = first.split_once('-')?;
        Some((
            usize::from_str_radix(from, 16).ok()?,
            usize::from_str_radix(to, 16).ok()?,
        ))
    }

    /// The lines (as `/proc/PID/maps` writes them) of the read-only (`r--p`, `r-xp`) file
    /// mappings in `smaps` (`/proc/PID/smaps`) with no private copy of a page (anonymous or
    /// swapped).
    pub fn clean_read_only(smaps: &str) -> Vec<String> {
        let mut out = Vec::new();
        // The mapping being read: its line, and whether it is still a candidate.
        let mut current: Option<(&str, bool)> = None;
        for line in smaps.lines() {
            let mut fields = line.split_whitespace();
            let first = fields.next().unwrap_or("");
            if range_of(line).is_some() {
                if let Some((header, true)) = current.take() {
                    out.push(header.to_owned());
                }
                let perms = fields.next().unwrap_or("");
                let path = fields.nth(3).unwrap_or("");
                let candidate = matches!(perms, "r--p" | "r-xp") && path.starts_with('/');
                current = Some((line, candidate));
                continue;
            }
            if let Some((_, candidate)) = &mut current {
                // A page written since it was mapped is a private copy: anonymous (or swapped
                // out). `Private_Dirty` is no guide: it also counts pages of a file written
                // lately and not yet flushed to disk, which the page cache still holds.
                let copied = matches!(first, "Anonymous:" | "Swap:");
                if copied && fields.next() != Some("0") {
                    *candidate = false;
                }
            }
        }
        if let Some((header, true)) = current {
            out.push(header.to_owned());
        }
        out
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
    /// Only read-only file mappings without a private copy of a page are let go.
    #[test]
    fn clean_read_only_mappings() {
        let smaps = "\
555555554000-555555a74000 r--p 00000000 fe:00 10010736                   /usr/bin/cxlint
Size:               5248 kB
Private_Dirty:         0 kB
Anonymous:             0 kB
VmFlags: rd mr mw me dw sd
555555a74000-555556313000 r-xp 0051f000 fe:00 10010736                   /usr/bin/cxlint
Private_Dirty:         0 kB
Anonymous:             0 kB
555556313000-55555634f000 r--p 00dbd000 fe:00 10010736                   /usr/bin/cxlint
Private_Dirty:       240 kB
Anonymous:           240 kB
55555634f000-555556350000 r--p 00df7000 fe:00 10010736                   /usr/bin/cxlint
Private_Dirty:         0 kB
Anonymous:             0 kB
Swap:                  4 kB
55555634f000-555556354000 rw-p 00df8000 fe:00 10010736                   /usr/bin/cxlint
Private_Dirty:         0 kB
7ffff7c00000-7ffff7c28000 r-xp 00000000 fe:00 1234                       /usr/lib/libc.so.6
Private_Dirty:         4 kB
Anonymous:             4 kB
7ffff7c28000-7ffff7c38000 r-xp 00028000 fe:00 1234                       /usr/lib/libc.so.6
Private_Dirty:        64 kB
Anonymous:             0 kB
7ffff7d00000-7ffff7d28000 r--p 00000000 00:00 0
Private_Dirty:         0 kB
7ffff7e00000-7ffff7e21000 r-xp 00000000 00:00 0                          [vdso]
Private_Dirty:         0 kB
7ffff7f00000-7ffff7f28000 r--p 00000000 fe:00 1235                       /usr/lib/libm.so.6
Shared_Dirty:          0 kB
Private_Dirty:         0 kB
";
        let chosen = super::code_pages::clean_read_only(smaps);
        let ranges: Vec<_> = (chosen.iter())
            .filter_map(|l| super::code_pages::range_of(l))
            .collect();
        assert_eq!(
            ranges,
            [
                (0x555555554000, 0x555555a74000),
                (0x555555a74000, 0x555556313000),
                (0x7ffff7c28000, 0x7ffff7c38000),
                (0x7ffff7f00000, 0x7ffff7f28000),
            ]
        );
        // Kept as the header lines, which `/proc/PID/maps` writes alike.
        assert_eq!(
            chosen[2],
            "7ffff7c28000-7ffff7c38000 r-xp 00028000 fe:00 1234                       /usr/lib/libc.so.6"
        );
    }

    /// This process's own mappings: its code is among the candidates, and letting them go
    /// leaves it running (the code faults back in).
    #[cfg(target_os = "linux")]
    #[test]
    fn code_pages_come_back() {
        let smaps = || std::fs::read_to_string("/proc/self/smaps").unwrap();
        let here = clean_read_only_mappings as fn() as usize;
        let ranges: Vec<_> = (super::code_pages::clean_read_only(&smaps()).iter())
            .filter_map(|l| super::code_pages::range_of(l))
            .collect();
        let (a, b) = *ranges
            .iter()
            .find(|&&(a, b)| (a..b).contains(&here))
            .expect("the test's own code is a candidate");
        // Every chosen line is one of `/proc/self/maps`'s, as `let_go` finds them.
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        for line in super::code_pages::clean_read_only(&smaps()) {
            assert!(maps.lines().any(|l| l == line), "{line:?}");
        }
        let before = resident_kib(&smaps(), a);
        let accepted = super::code_pages::let_go();
        let after = resident_kib(&smaps(), a);
        // Whether the kernel takes the advice, and whether pages let go stop counting as
        // resident, is the kernel's and the file system's: one CI machine kept them (708 KiB
        // before and after). A mapping of the same file made here, let go the same way, tells
        // what to expect.
        let control = control_mapping();
        if control.accepted {
            // Taken whole: a wrong range or alignment is refused.
            assert!(accepted.contains(&(a, b)), "{accepted:x?}");
        }
        // Whether let-go code pages stop counting as resident is not asserted: a CI machine
        // dropped the control's data pages and kept the code's (720 KiB before and after), so
        // it depends on how the kernel maps executable text. The benchmark measures the effect.
        if control.dropped && after >= before {
            eprintln!("code kept resident ({before} KiB before, {after} KiB after): {control:?}");
        }
        assert_eq!(
            super::code_pages::clean_read_only(&smaps()).len(),
            ranges.len()
        );
    }

    /// What `MADV_DONTNEED` did to a private read-only mapping of this test's own executable,
    /// every page touched.
    #[derive(Debug)]
    struct Control {
        /// The kernel took the advice.
        accepted: bool,
        /// The mapping's resident pages went down.
        dropped: bool,
    }

    fn control_mapping() -> Control {
        use std::os::fd::AsRawFd;
        let file = std::fs::File::open(std::env::current_exe().unwrap()).unwrap();
        let len = (file.metadata().unwrap().len() as usize).min(1 << 20);
        let smaps = || std::fs::read_to_string("/proc/self/smaps").unwrap();
        // SAFETY: a new private read-only mapping of a file this test holds open; it is read
        // within its length, let go and unmapped here, and no reference to it outlives this
        // function.
        unsafe {
            let at = libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            );
            assert_ne!(at, libc::MAP_FAILED);
            let bytes = std::slice::from_raw_parts(at as *const u8, len);
            std::hint::black_box(bytes.iter().step_by(4096).fold(0u8, |s, b| s ^ b));
            let before = resident_kib(&smaps(), at as usize);
            let accepted = libc::madvise(at, len, libc::MADV_DONTNEED) == 0;
            let after = resident_kib(&smaps(), at as usize);
            libc::munmap(at, len);
            Control {
                accepted,
                dropped: after < before,
            }
        }
    }

    /// The `Rss` of the mapping starting at `start` in `smaps`, in KiB.
    fn resident_kib(smaps: &str, start: usize) -> u64 {
        let header = format!("{start:x}-");
        let mut lines = smaps.lines().skip_while(|l| !l.starts_with(&header));
        lines
            .find_map(|l| l.strip_prefix("Rss:"))
            .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            .expect("the mapping's Rss")
    }

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
