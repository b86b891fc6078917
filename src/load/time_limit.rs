//! A time limit on hcl-edit's parser.
//!
//! hcl-edit backtracks on some malformed input: fuzzing found a `.tf.json` string of 3 KB (digits,
//! operators, `[` and `%{` inside an unclosed `${`) that its template parser took 2.5 s to reject,
//! and the same text in a `.tf` file 0.7 s; the cost is not bounded by the input's size. cxlint
//! cannot change the parser, so where hcl-edit reads a file it runs on a thread of its own, and
//! past a generous limit the file is reported as too costly to parse (a located parse error,
//! exit 2) instead of stalling the run. The abandoned thread ends with the process.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::LoadError;
use crate::source::{FileId, Span};

/// How long hcl-edit may take for `len` bytes: one second, and one more per megabyte. It parses
/// 45 MB/s on this kind of machine: a valid file never comes near.
pub fn limit_for(len: usize) -> Duration {
    Duration::from_millis(1000 + (len as u64) / 1000)
}

/// `parse(text)` on a thread of its own, or the error that it took longer than `limit`. A panic
/// in `parse` is resumed here; a thread that cannot be started runs `parse` on this one.
pub fn parse_within<T: Send + 'static>(
    file: FileId,
    text: &str,
    limit: Duration,
    parse: impl FnOnce(&str) -> Result<T, LoadError> + Send + 'static,
) -> Result<T, LoadError> {
    let job = Arc::new(Mutex::new(Some((text.to_owned(), parse))));
    let (tx, rx) = mpsc::sync_channel(1);
    let theirs = Arc::clone(&job);
    // The parser's recursion is bounded by the depth check to well within a rayon worker's
    // 2 MiB; the stack is address space, touched only as deep as it is used.
    let spawned = std::thread::Builder::new()
        .name("hcl-edit".into())
        .stack_size(4 << 20)
        .spawn(move || {
            let taken = theirs.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some((text, parse)) = taken {
                let _ = tx.send(parse(&text));
            }
        });
    let handle = match spawned {
        Ok(handle) => handle,
        Err(_) => {
            let taken = job.lock().unwrap_or_else(PoisonError::into_inner).take();
            let (text, parse) =
                taken.expect("the job is taken only by the thread that failed to start");
            return parse(&text);
        }
    };
    match rx.recv_timeout(limit) {
        // The thread has sent its last word and is ending: waited for, so that no finished
        // parse leaves a thread behind (under the fuzzer's leak check, a thread still exiting
        // was a leak report).
        Ok(result) => {
            let _ = handle.join();
            result
        }
        Err(RecvTimeoutError::Disconnected) => match handle.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the thread sends its result before it ends"),
        },
        Err(RecvTimeoutError::Timeout) => Err(LoadError::new(
            format!(
                "the parser gave up after {:.1} s: this syntax makes it backtrack (look for unclosed \
                 `(`, `[`, `{{` or `${{` in the file)",
                limit.as_secs_f64()
            ),
            Span::file_start(file),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quick_parse_returns_its_result() {
        let r = parse_within(FileId(0), "abc", limit_for(3), |t| Ok(t.len()));
        assert_eq!(r.ok(), Some(3));
        let e = parse_within::<()>(FileId(0), "x", limit_for(1), |_| {
            Err(LoadError::new("bad", Span::file_start(FileId(0))))
        });
        assert_eq!(e.err().map(|e| e.message), Some("bad".to_owned()));
    }

    #[test]
    fn a_slow_parse_is_an_error_at_the_limit() {
        let started = std::time::Instant::now();
        let r = parse_within(FileId(7), "x", Duration::from_millis(50), |_| {
            std::thread::sleep(Duration::from_secs(2));
            Ok(())
        });
        let e = r.expect_err("too slow");
        assert!(
            e.message.starts_with("the parser gave up after"),
            "{}",
            e.message
        );
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_panic_reaches_the_caller() {
        // A generous limit: on a loaded machine the parser's thread may not start within a
        // second, and the test would see the time limit instead of the panic.
        let limit = Duration::from_secs(120);
        let _ = parse_within::<()>(FileId(0), "x", limit, |_| panic!("boom"));
    }

    #[test]
    fn limits_grow_with_the_input() {
        assert_eq!(limit_for(0), Duration::from_secs(1));
        assert_eq!(limit_for(10_000_000), Duration::from_secs(11));
    }
}
