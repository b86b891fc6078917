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
    set_huge_pages(false);
    cxlint::cli::run(cxlint::cli::Process {
        on_large_input: Some(|| set_huge_pages(true)),
    })
}

/// mimalloc asks the kernel for transparent huge pages on its arenas (`MADV_HUGEPAGE`; Linux with
/// THP in `madvise` or `always` mode, the default of most distributions and CI runners). Each
/// thread's heap then touches whole 2 MiB pages sparsely: a 1 MB check was 76 MB resident, and
/// zeroing pages was a fifth of its cycles (perf: `clear_page_erms`). With 4 KiB pages it is 32 MB
/// in the same time. From about 2 MB of input on, huge pages are faster (far fewer page faults):
/// 3 MB 52 vs 58 ms, 10 MB 157 vs 178 ms. So they are off from the start (what runs beside file
/// discovery, the API catalog's load, then stays in small pages: 4.5 MB less at 1 MB than when
/// they were turned off only after discovery) and turned on once the input is known to be large.
fn set_huge_pages(on: bool) {
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl(PR_SET_THP_DISABLE, flag)` takes integers only; it changes this process's
    // page-size policy for pages touched from now on, and nothing else. Failure (an old kernel)
    // leaves the default, which is only slower.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, libc::c_ulong::from(!on), 0, 0, 0);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = on;
}
