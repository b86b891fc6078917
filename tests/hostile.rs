//! Hostile-input regression tests, through the real `cxlint` binary.
//!
//! Each case runs `cxlint check` as a user would and asserts the exit code (2 when an input fails
//! to load, never 101, which is a panic), a clear message, and bounded time and memory: a watchdog
//! kills the process after [`time_limit`] and fails the test, and on Linux the peak resident memory
//! is read from `/proc` while it runs. Small inputs live in `testdata/hostile/`; large ones (deep
//! nesting, a huge single-line file, 100,000 files, symlink loops, unreadable files) are generated
//! into a temporary directory at test time, never committed.
//!
//! Sizes are chosen so the file runs in a few seconds in a debug build. The single-line file is
//! 20 MB by default (the issue asks for 100 MB: set `CXLINT_HOSTILE_BIG_MB=100`, about 9 s in a
//! debug build). Set `CXLINT_HOSTILE_TIMEOUT_S` to change the watchdog (default 20 s).

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Nesting depth of the generated deep inputs (the loaders stop at 128).
const DEEP: usize = 100_000;

fn time_limit() -> Duration {
    let s = std::env::var("CXLINT_HOSTILE_TIMEOUT_S")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(s)
}

/// What one run of the binary did.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
    /// Peak resident memory in MiB, where the platform tells (Linux).
    peak_mib: Option<u64>,
}

impl Run {
    /// Both streams, for "the message is somewhere" assertions.
    fn output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// Asserts the exit code, that `needle` is in the output, and that nothing panicked.
    fn expect(&self, code: i32, needle: &str) -> &Self {
        let out = self.output();
        assert!(
            !out.contains("panicked"),
            "cxlint panicked:\n{}",
            clip(&out)
        );
        assert_eq!(
            self.code,
            Some(code),
            "exit code (101 is a panic), output:\n{}",
            clip(&out)
        );
        assert!(
            out.contains(needle),
            "expected {needle:?} in the output:\n{}",
            clip(&out)
        );
        self
    }

    /// Asserts the peak resident memory stayed under `mib` (where it can be measured).
    fn memory_below(&self, mib: u64) -> &Self {
        if let Some(peak) = self.peak_mib {
            assert!(peak < mib, "peak memory {peak} MiB, limit {mib} MiB");
        }
        self
    }
}

/// The start and end of long output (deep-nesting errors quote a 200 KB line).
fn clip(s: &str) -> String {
    if s.len() <= 4000 {
        return s.to_owned();
    }
    let mut a = 2000;
    while !s.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = s.len() - 2000;
    while !s.is_char_boundary(b) {
        b += 1;
    }
    format!("{}\n[... {} bytes ...]\n{}", &s[..a], b - a, &s[b..])
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn hostile(case: &str) -> PathBuf {
    repo().join("testdata/hostile").join(case)
}

/// Runs `cxlint <args>` in `cwd` under the watchdog.
fn cxlint<I, S>(cwd: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    cxlint_env(cwd, args, std::iter::empty::<(&str, &str)>())
}

/// [`cxlint`] with these environment variables set, given as pairs of strings.
fn cxlint_with<I, S>(cwd: &Path, args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    cxlint_env(cwd, args, env.iter().copied())
}

/// [`cxlint`] with these environment variables set.
fn cxlint_env<I, S, E, K, V>(cwd: &Path, args: I, env: E) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
    E: IntoIterator<Item = (K, V)>,
    K: AsRef<OsStr>,
    V: AsRef<OsStr>,
{
    let mut child = Command::new(env!("CARGO_BIN_EXE_cxlint"))
        .args(args)
        .envs(env)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cxlint");
    // Drain both pipes on their own threads so a large report cannot block the child.
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let err = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let start = Instant::now();
    let status_path = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak_kib: Option<u64> = None;
    let status = loop {
        // VmHWM is the high-water mark so far; the last reading before exit is the peak (short of
        // the final few milliseconds).
        if let Some(kib) = std::fs::read_to_string(&status_path)
            .ok()
            .and_then(|s| vm_hwm_kib(&s))
        {
            peak_kib = Some(peak_kib.map_or(kib, |p| p.max(kib)));
        }
        if let Some(status) = child.try_wait().expect("wait for cxlint") {
            break status;
        }
        if start.elapsed() > time_limit() {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cxlint did not finish within {:?}", time_limit());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = start.elapsed();
    Run {
        code: status.code(),
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
        took,
        peak_mib: peak_kib.map(|k| k / 1024),
    }
}

/// `VmHWM:   12345 kB` from `/proc/<pid>/status`.
fn vm_hwm_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn check_dir(dir: &Path) -> Run {
    cxlint(dir, ["check", "."])
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&path, content).expect("write");
    path
}

/// `open` repeated `DEEP` times, then `middle`, then `close` repeated `DEEP` times.
fn nested(open: &str, middle: &str, close: &str) -> String {
    let mut s = String::with_capacity((open.len() + close.len()) * DEEP + middle.len());
    for _ in 0..DEEP {
        s.push_str(open);
    }
    s.push_str(middle);
    for _ in 0..DEEP {
        s.push_str(close);
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Deep nesting
// ---------------------------------------------------------------------------------------------

fn deep_hcl(expr: &str) {
    let dir = tempdir();
    write(
        dir.path(),
        "main.tf",
        format!("locals {{\n  a = {expr}\n}}\n"),
    );
    check_dir(dir.path())
        .expect(2, "nesting deeper than 128 levels")
        .memory_below(256);
}

#[test]
fn hcl_lists_nested_100k_deep() {
    deep_hcl(&nested("[", "", "]"));
}

#[test]
fn hcl_parentheses_nested_100k_deep() {
    deep_hcl(&nested("(", "1", ")"));
}

#[test]
fn hcl_objects_nested_100k_deep() {
    deep_hcl(&nested("{a = ", "1", "}"));
}

#[test]
fn hcl_template_interpolations_nested_100k_deep() {
    deep_hcl(&format!("\"{}\"", nested("${\"", "x", "\"}")));
}

#[test]
fn hcl_function_calls_nested_100k_deep() {
    deep_hcl(&nested("upper(", "\"x\"", ")"));
}

#[test]
fn tf_json_nested_100k_deep() {
    let dir = tempdir();
    write(
        dir.path(),
        "main.tf.json",
        format!("{{\"locals\": {{\"a\": {}}}}}", nested("[", "", "]")),
    );
    check_dir(dir.path())
        .expect(2, "nesting deeper than 128 levels")
        .memory_below(256);
}

#[test]
fn json_state_nested_100k_deep() {
    let dir = tempdir();
    write(dir.path(), "main.tf", "");
    for (name, body) in [
        ("lists.tfstate", nested("[", "", "]")),
        ("objects.tfstate", nested("{\"a\": ", "1", "}")),
    ] {
        write(
            dir.path(),
            name,
            format!("{{\"version\": 4, \"resources\": [{body}]}}"),
        );
        cxlint(dir.path(), ["check", ".", "--state", name])
            .expect(2, "json nested deeper than 128 levels")
            .memory_below(256);
    }
}

/// Flattened state keys (v3 `primary.attributes`, v4 `attributes_flat`) nest by their dots: a
/// key of 20,000 dots overflowed the stack.
#[test]
fn flattened_state_key_of_many_dots() {
    let dir = tempdir();
    write(dir.path(), "main.tf", "");
    let key = format!("x{}", ".a".repeat(20_000));
    write(
        dir.path(),
        "terraform.tfstate",
        format!(
            r#"{{"version": 4, "resources": [{{"mode": "managed", "type": "genesyscloud_routing_queue", "name": "q", "instances": [{{"attributes_flat": {{"id": "q1", "name": "Q", "{key}": "v"}}}}]}}]}}"#
        ),
    );
    cxlint(dir.path(), ["check", ".", "--state", "terraform.tfstate"])
        .expect(0, "No problems found")
        .memory_below(256);
}

fn flow_project(dir: &Path, yaml: &str) {
    write(
        dir,
        "main.tf",
        "resource \"genesyscloud_flow\" \"deep\" {\n  filepath = \"flow.yaml\"\n}\n",
    );
    write(dir, "flow.yaml", yaml);
}

#[test]
fn yaml_flow_nested_100k_deep() {
    let dir = tempdir();
    // Flow-style collections, then block-style mappings (indentation only, no brackets).
    flow_project(
        dir.path(),
        &format!(
            "inboundCall:\n  name: Deep\n  x: {}\n",
            nested("[", "", "]")
        ),
    );
    check_dir(dir.path())
        .expect(2, "invalid YAML")
        .memory_below(256);

    let mut block = String::from("inboundCall:\n");
    for depth in 1..3_000 {
        block.push_str(&"  ".repeat(depth));
        block.push_str("a:\n");
    }
    flow_project(dir.path(), &block);
    check_dir(dir.path())
        .expect(2, "nesting deeper than 128 levels")
        .memory_below(256);
}

/// A flow's `filepath` naming a FIFO with no writer: reading it would wait for ever. It is not
/// a file the provider could upload either, so it is reported as not a regular file.
#[cfg(target_os = "linux")]
#[test]
fn flow_file_that_is_a_fifo() {
    let dir = tempdir();
    flow_project(dir.path(), "inboundCall:\n  name: F\n");
    let fifo = dir.path().join("flow.yaml");
    std::fs::remove_file(&fifo).unwrap();
    let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    check_dir(dir.path())
        .expect(1, "not a regular file")
        .memory_below(256);
}

/// `--state <(terraform show -json)`: a pipe can be read once. Its kind was told from a prefix,
/// read and so consumed, and the loader then found it empty ("empty file"). Each state kind
/// given through a FIFO is checked as the same file is.
#[cfg(target_os = "linux")]
#[test]
fn state_given_through_a_pipe() {
    for state in ["v4.tfstate", "v3.tfstate", "plan.json"] {
        let text = std::fs::read(repo().join("testdata/state").join(state)).expect("state");
        let dir = tempdir();
        let fifo = dir.path().join("state.pipe");
        let status = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
        assert!(status.success());
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::write(fifo, text).expect("write the pipe"))
        };
        let demo = repo().join("testdata/demo");
        let args = |s: &Path| {
            let s = s.as_os_str().to_owned();
            [
                OsStr::new("check").to_owned(),
                demo.clone().into_os_string(),
                "--state".into(),
                s,
                "--format".into(),
                "compact".into(),
            ]
        };
        let piped = cxlint(dir.path(), args(&fifo));
        writer.join().expect("writer");
        let file = cxlint(dir.path(), args(&repo().join("testdata/state").join(state)));
        assert_eq!(piped.code, file.code, "{state}: {}", piped.output());
        assert!(
            !piped.output().contains("empty file"),
            "{state}: {}",
            piped.output()
        );
        assert_eq!(piped.stdout, file.stdout, "{state}");
    }
}

/// A file named on the command line that never ends (`/dev/zero`, whose size says 0): each
/// read stops at its bound with an error, where it read until memory ran out.
#[cfg(target_os = "linux")]
#[test]
fn endless_device_as_config_baseline_var_file_or_state() {
    let dir = tempdir();
    write(dir.path(), "main.tf", "locals {}\n");
    for (args, needle, mb) in [
        (["--config", "/dev/zero"], "file is larger than 16 MiB", 256),
        (
            ["--baseline", "/dev/zero"],
            "file is larger than 512 MiB",
            1000,
        ),
        (
            ["--var-file", "/dev/zero"],
            "file is larger than 512 MiB",
            1000,
        ),
        (
            ["--state", "/dev/zero"],
            "cannot use state `/dev/zero` (from --state): file is larger than 512 MiB",
            1000,
        ),
    ] {
        let r = cxlint(dir.path(), ["check", "."].into_iter().chain(args));
        r.expect(2, needle).memory_below(mb);
    }
}

// ---------------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------------

fn big_mb() -> usize {
    std::env::var("CXLINT_HOSTILE_BIG_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

#[test]
fn single_line_file_of_many_megabytes() {
    let mb = big_mb();
    let dir = tempdir();
    let n = mb * 1024 * 1024;
    // One line: a string literal filling the file.
    let mut text = String::with_capacity(n);
    text.push_str("locals { a = \"");
    text.extend(std::iter::repeat_n('x', n.saturating_sub(20)));
    text.push_str("\" }");
    write(dir.path(), "main.tf", &text);
    drop(text);
    let r = check_dir(dir.path());
    r.expect(0, "No problems found in 1 file")
        // Text, plus the string value and its copies: a small multiple of the input.
        .memory_below(64 + 6 * mb as u64);
    eprintln!(
        "{mb} MB single-line file: {:?}, {:?} MiB",
        r.took, r.peak_mib
    );
}

/// A syntax error at the end of a long single line: reported as a located `parse-error`, in JSON
/// (the human reporter is tested separately below). A tenth of [`big_mb`] (2 MB, a million list
/// elements, by default): this input costs far more memory per byte than a string.
#[test]
fn single_line_file_with_an_error_at_its_end() {
    let mb = big_mb().div_ceil(10);
    let dir = tempdir();
    let items = mb * 1024 * 1024 / 2;
    let mut text = String::with_capacity(items * 2 + 32);
    text.push_str("locals { a = [");
    for _ in 0..items / 8 {
        text.push_str("1,1,1,1,1,1,1,1,");
    }
    text.push_str(",] }");
    write(dir.path(), "main.tf", &text);
    let r = cxlint(dir.path(), ["check", ".", "--format", "json"]);
    // hcl-edit builds the whole syntax tree before it fails, at about 160 bytes per element:
    // dense `1,` lists cost some 80 times their size (bounded, but far above the 4x of realistic
    // files; see fuzz/README.md). The bound catches anything worse than linear.
    r.expect(2, "\"parse-error\"")
        .memory_below(128 + 120 * mb as u64);
    eprintln!(
        "{mb} MB list with an error at its end: {:?}, {:?} MiB",
        r.took, r.peak_mib
    );
}

/// A minified state (one line) that fails to parse at its end: its secrets are found by their
/// shape so that the error's snippet cannot show them, in time linear in the file (each value
/// once scanned the rest of the line).
#[test]
fn minified_state_with_an_error_at_its_end() {
    let mb = big_mb().div_ceil(4);
    let dir = tempdir();
    let pairs = mb * 1024 * 1024 / 24;
    let mut text = String::with_capacity(pairs * 24 + 64);
    text.push_str("{\"version\":4,\"resources\":[{\"instances\":[{\"attributes\":{");
    for _ in 0..pairs {
        text.push_str("\"client_secret\":\"s3c\",");
    }
    text.push_str(",}}]}]}");
    write(dir.path(), "main.tf", "locals {}\n");
    write(dir.path(), "org.tfstate", &text);
    drop(text);
    let r = cxlint(
        dir.path(),
        ["check", ".", "--state", "org.tfstate", "--format", "json"],
    );
    r.expect(2, "\"parse-error\"")
        .memory_below(128 + 24 * mb as u64);
    eprintln!(
        "{mb} MB minified state with an error at its end: {:?}, {:?} MiB",
        r.took, r.peak_mib
    );
}

/// A state cut off inside outputs marked sensitive, each the value of the one before, `DEEP`
/// deep: the parse error's snippet (at the 129th) masks their values, which are held until
/// each object closes and masked once, in time linear in the file.
#[test]
fn truncated_state_of_sensitive_outputs_nested_100k_deep() {
    let dir = tempdir();
    write(dir.path(), "main.tf", "");
    let mut text = String::from("{\"version\": 4, \"resources\": [], \"outputs\": {\"o\":\n");
    for _ in 0..DEEP {
        text.push_str("{\"sensitive\": true, \"type\": \"string\", \"value\": [\"Sv7s\",\n");
    }
    for _ in 0..DEEP / 2 {
        text.push_str("\"Sv7s\"], \"sensitive\": true},\n");
    }
    write(dir.path(), "org.tfstate", &text);
    let r = cxlint(dir.path(), ["check", ".", "--state", "org.tfstate"]);
    r.expect(2, "json nested deeper than 128 levels")
        .expect(2, "\"value\": [\"****\",")
        .memory_below(256);
    assert!(!r.output().contains("Sv7s"), "{}", clip(&r.output()));
}

/// The human reporter quotes the source line; miette formats the underline with the column as
/// a width argument, which panics ("Formatting argument out of range") beyond column 65,535:
/// `src/report/human.rs` does not hand miette such lines.
#[test]
fn human_report_on_an_error_far_into_a_long_line() {
    let dir = tempdir();
    let mut text = String::from("locals { a = [");
    text.push_str(&"1,".repeat(40_000));
    text.push_str(",] }");
    write(dir.path(), "main.tf", &text);
    check_dir(dir.path()).expect(2, "parse-error");
}

/// The human reporter quoted the whole source line: a 2 MB single-line file with an error near
/// its start printed 2 MB (a 100 MB file, 100 MB). It prints a bounded part.
#[test]
fn human_report_quotes_a_bounded_part_of_a_long_line() {
    let dir = tempdir();
    let text = format!("locals {{ a = [,{}] }}", "x".repeat(2 * 1024 * 1024));
    write(dir.path(), "main.tf", &text);
    let r = check_dir(dir.path());
    r.expect(2, "parse-error");
    assert!(
        r.stdout.len() < 64 * 1024,
        "{} bytes of output for one finding",
        r.stdout.len()
    );
}

/// A hostile file can hold terminal control sequences (`ESC ]0;title BEL`, `ESC [2J`): the human
/// reporter replaces control characters in the lines it quotes, so none reaches the terminal.
#[test]
fn human_report_does_not_pass_terminal_escapes_through() {
    let dir = tempdir();
    write(
        dir.path(),
        "main.tf",
        "locals {\n  a = \"\u{1b}]0;pwned\u{7}\u{1b}[2J\" +\n}\n",
    );
    let r = check_dir(dir.path());
    r.expect(2, "parse-error");
    assert!(
        !r.stdout.contains('\u{1b}') && !r.stdout.contains('\u{7}'),
        "control characters of the file reached the terminal"
    );
}

#[test]
fn directory_of_100k_empty_files() {
    let dir = tempdir();
    let n = 100_000;
    for i in 0..n {
        std::fs::File::create(dir.path().join(format!("f{i:06}.tf"))).expect("create");
    }
    let r = check_dir(dir.path());
    r.expect(0, &format!("No problems found in {n} files"))
        .memory_below(512);
    eprintln!("{n} empty files: {:?}, {:?} MiB", r.took, r.peak_mib);
    // `fileset()` over them stops reading at the evaluation's budget: the flows it would
    // declare are reported as not known, in bounded time.
    write(
        dir.path(),
        "main.tf",
        "resource \"genesyscloud_flow\" \"each\" {\n  for_each = fileset(path.module, \"**\")\n  filepath = each.value\n}\n",
    );
    let r = check_dir(dir.path());
    r.expect(
        0,
        "cannot check `genesyscloud_flow.each`: its instances are not known",
    )
    .expect(0, "steps to evaluate")
    .memory_below(512);
    eprintln!("fileset over {n} files: {:?}, {:?} MiB", r.took, r.peak_mib);
}

// ---------------------------------------------------------------------------------------------
// Bytes that are not text
// ---------------------------------------------------------------------------------------------

/// A path of tens of thousands of segments: finding the nearest real operations compared
/// every segment with the catalog's whole vocabulary and every operation, for 30 s and more.
#[test]
fn api_path_of_many_segments() {
    let words: Vec<String> = (0..20_000).map(|i| format!("w{i}")).collect();
    let path = format!("/api/v2/{}", words.join("/"));
    let run = cxlint(&repo(), ["api", "GET", path.as_str()]);
    run.expect(1, "does not exist in the Genesys Cloud Platform API");
    assert!(run.took < Duration::from_secs(10), "took {:?}", run.took);
    let dir = tempdir();
    write(
        dir.path(),
        "main.tf",
        format!(
            "resource \"genesyscloud_integration_action\" \"x\" {{\n  name           = \"x\"\n  category       = \"x\"\n  integration_id = \"3a5c2b1e-7f00-4b5e-9d8e-1c2b3a4d5e6f\"\n  config_request {{\n    request_type         = \"GET\"\n    request_url_template = \"{path}\"\n  }}\n}}\n"
        ),
    );
    let run = check_dir(dir.path());
    run.expect(1, "CX401");
    assert!(run.took < Duration::from_secs(10), "took {:?}", run.took);
}

#[test]
fn nul_byte_in_a_tf_file() {
    cxlint(&repo(), ["check", "testdata/hostile/nul"])
        .expect(2, "file looks binary (it contains a NUL byte)")
        .expect(2, "nul/main.tf:2:");
}

#[test]
fn invalid_utf8_in_a_tf_file() {
    cxlint(&repo(), ["check", "testdata/hostile/invalid_utf8"])
        .expect(2, "invalid UTF-8 at byte 62")
        .expect(2, "invalid_utf8/main.tf:2:");
}

#[test]
fn binary_file_named_tf() {
    // An ELF header and random bytes: invalid UTF-8 from byte 4 on.
    cxlint(&repo(), ["check", "testdata/hostile/binary"]).expect(2, "invalid UTF-8");
    // The same as JSON output: no raw bytes of the file leak into it.
    let r = cxlint(
        &repo(),
        ["check", "testdata/hostile/binary", "--format", "json"],
    );
    r.expect(2, "invalid UTF-8");
    assert!(
        !r.stdout.contains('\u{1b}'),
        "escape sequence in JSON output"
    );
}

/// Windows editors start files with a UTF-8 byte-order mark; Terraform ignores it. Findings on
/// the first line keep their columns.
#[test]
fn byte_order_mark_at_the_start_of_each_kind_of_file() {
    let dir = tempdir();
    let bom = "\u{feff}";
    write(
        dir.path(),
        "main.tf",
        format!("{bom}resource \"genesyscloud_routing_queue\" \"q\" {{ name = var.nope }}\n"),
    );
    write(
        dir.path(),
        "lab.tfvars",
        format!("{bom}secret = \"J7mQ2-lab-Xr9vTt4KpZ0wE6sYh3LdNc\"\n"),
    );
    write(
        dir.path(),
        "x.tf.json",
        format!("{bom}{{\"output\": {{\"o\": {{\"value\": \"${{var.gone}}\"}}}}}}\n"),
    );
    write(
        dir.path(),
        "terraform.tfvars.json",
        format!("{bom}{{\"nope\": 1}}\n"),
    );
    let r = cxlint(dir.path(), ["check", ".", "--format", "compact"]);
    r.expect(1, "main.tf:1:52: error[CX104]")
        .expect(1, "lab.tfvars:1:10: error[CX301]")
        .expect(1, "x.tf.json:1:31: error[CX104]");
    assert!(!r.stdout.contains("CX901"), "{}", r.stdout);
}

/// Found by fuzzing: hcl-edit backtracks on digits, operators, `[` and `%{` inside an unclosed
/// `${` (3 KB took 2.5 s in a release build as a `.tf.json` string, far longer in a debug one).
/// Both files are parse errors, each within its parser's time limit (`load::time_limit`).
#[test]
fn syntax_that_makes_the_parser_backtrack() {
    let r = cxlint(
        &repo(),
        [
            "check",
            "testdata/hostile/backtracking",
            "--format",
            "compact",
        ],
    );
    r.expect(2, "backtracking/main.tf:")
        .expect(2, "backtracking/output.tf.json:")
        .expect(2, "error[CX901]");
    assert!(r.took < Duration::from_secs(10), "{:?}", r.took);
}

#[test]
fn empty_file() {
    check_dir(&hostile("empty")).expect(0, "No problems found in 1 file");
}

/// A suppression that names a rule 100,000 times (a 1.7 MB comment): each entry is reported
/// unused, in linear time (matching every finding against every entry took minutes).
#[test]
fn suppression_naming_a_rule_100k_times() {
    let dir = tempdir();
    let names = vec!["hardcoded-secret"; 100_000].join(",");
    write(
        dir.path(),
        "main.tf",
        format!("# cxlint-ignore-file: {names}\n"),
    );
    let run = cxlint(dir.path(), ["check", ".", "--format", "compact"]);
    run.expect(0, "unused suppression for `hardcoded-secret`");
    assert_eq!(run.stdout.lines().count(), 100_000);
}

// ---------------------------------------------------------------------------------------------
// The file system
// ---------------------------------------------------------------------------------------------

/// What a configuration makes cxlint read may be quoted in its report, often a public CI log:
/// reads outside the checked directory (not a Git work tree here) and from `/proc` are refused,
/// so that a pull request cannot print the runner's environment.
#[cfg(target_os = "linux")]
#[test]
fn configuration_reads_stay_in_the_repository() {
    let dir = tempdir();
    let project = dir.path().join("project");
    write(&project, "inside.txt", "Support");
    write(dir.path(), "outside.txt", "CXLINT_CANARY_OUTSIDE");
    // In a temporary directory inside a work tree (a `TMPDIR` below a repository), that work
    // tree would be the boundary and `outside.txt` inside it: the project is made a repository
    // of its own there, whose boundary is the same.
    if dir.path().ancestors().any(|a| a.join(".git").exists()) {
        std::fs::create_dir_all(project.join(".git")).expect("mkdir");
    }
    write(
        &project,
        "main.tf",
        r#"resource "genesyscloud_flow" "env" {
  filepath = "/proc/self/environ"
}
resource "genesyscloud_flow" "up" {
  filepath = "../outside.txt"
}
resource "genesyscloud_outbound_campaign" "c" {
  name     = file("/proc/self/environ")
  queue_id = file("../outside.txt")
}
resource "genesyscloud_outbound_campaign" "d" {
  name     = "d"
  queue_id = file("inside.txt")
}
locals {
  listed = fileset("/proc/self", "*")
}
output "listed" {
  value = local.listed
}
"#,
    );
    let run = cxlint_env(
        &project,
        ["check", ".", "--format", "json"],
        [("CXLINT_CANARY", "CXLINT_CANARY_ENV_VALUE")],
    );
    let out = run.output();
    assert!(!out.contains("CXLINT_CANARY"), "{}", clip(&out));
    assert!(
        out.contains("outside the repository checked"),
        "{}",
        clip(&out)
    );
    // A file inside is read: its value is not a queue id.
    run.expect(1, "`Support` is not a queue id");
}

/// A file whose name is not UTF-8 is read as Terraform reads it; it was passed over in a
/// directory (and read only when named).
#[cfg(unix)]
#[test]
fn file_name_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempdir();
    let queue = |label: &str| {
        format!("resource \"genesyscloud_routing_queue\" \"{label}\" {{\n  name = \"Dup\"\n}}\n")
    };
    write(dir.path(), "a.tf", queue("a"));
    let odd = dir.path().join(OsStr::from_bytes(b"b\xff.tf"));
    std::fs::write(&odd, queue("b")).expect("write");
    check_dir(dir.path()).expect(1, "queue name `Dup` is already used");
}

/// Control characters in file names (and in the paths a configuration names) reach no terminal
/// and split no line: formats read as text and standard error show them as escapes (`\u{1b}`,
/// `\n`), and the job summary too; JSON formats keep the exact names, escaped as JSON escapes
/// them, so that their readers find the files.
#[cfg(unix)]
#[test]
fn file_names_with_control_characters() {
    let dir = tempdir();
    let queue = |label: &str| {
        format!("resource \"genesyscloud_routing_queue\" \"{label}\" {{\n  name = \"Dup\"\n}}\n")
    };
    // The first definition (a related location) and a duplicate (a finding's own file).
    let first = "0\u{1b}]0;pwned\u{7}\u{1b}[2J\r\n.tf";
    let second = "x\u{1b}[31m\nnote: forged.tf";
    write(dir.path(), first, queue("a"));
    write(dir.path(), second, queue("b"));
    // A path named by the configuration, quoted in a message.
    write(
        dir.path(),
        "main.tf",
        "resource \"genesyscloud_flow\" \"f\" {\n  filepath = \"fl\\u001bow\\n.yaml\"\n}\n",
    );
    // A link that cannot be read: an error on standard error that names it and its target.
    std::os::unix::fs::symlink("gone\u{1b}[2J", dir.path().join("l\u{1b}]0;x\u{7}\n.tf"))
        .expect("symlink");
    let summary = tempdir();
    let summary_md = summary.path().join("summary.md");
    let raw = |s: &str| {
        s.chars().any(|c| {
            c != '\n'
                && (c.is_control()
                    || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        })
    };
    for format in [
        "human",
        "compact",
        "github",
        "junit",
        "checkstyle",
        "gitlab",
        "json",
        "sarif",
        "rdjson",
    ] {
        let r = cxlint_env(
            dir.path(),
            ["check", ".", "--color", "never", "--format", format],
            [("GITHUB_STEP_SUMMARY", &summary_md)],
        );
        r.expect(2, "a symbolic link to `gone\\u{1b}[2J`");
        assert!(
            !raw(&r.stdout),
            "{format}: raw control character in:\n{}",
            r.stdout
        );
        assert!(
            !raw(&r.stderr),
            "{format}: raw control character in:\n{}",
            r.stderr
        );
        match format {
            "compact" | "github" => {
                assert_eq!(
                    r.stdout.lines().count(),
                    2,
                    "{format}: one line per finding:\n{}",
                    r.stdout
                );
                assert!(
                    r.stdout.contains("flow file `fl\\u{1b}ow\\n.yaml`"),
                    "{}",
                    r.stdout
                );
            }
            "human" | "junit" | "checkstyle" => {
                assert!(
                    r.stdout.contains("x\\u{1b}[31m\\nnote: forged.tf"),
                    "{}",
                    r.stdout
                );
                assert!(
                    r.stdout
                        .contains("0\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\r\\n.tf"),
                    "{}",
                    r.stdout
                );
            }
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("valid JSON");
                let names: Vec<&str> = (v["diagnostics"].as_array().expect("diagnostics").iter())
                    .flat_map(|d| {
                        let related = d["related"].as_array().into_iter().flatten();
                        std::iter::once(&d["range"]).chain(related.map(|r| &r["range"]))
                    })
                    .filter_map(|r| r["filename"].as_str())
                    .collect();
                assert!(
                    names.contains(&first) && names.contains(&second),
                    "{names:?}"
                );
            }
            _ => {
                serde_json::from_str::<serde_json::Value>(&r.stdout).expect("valid JSON");
            }
        }
    }
    let md = std::fs::read_to_string(&summary_md).expect("job summary");
    assert!(!raw(&md), "raw control character in the job summary:\n{md}");
    assert!(md.contains("forged.tf"), "{md}");

    // `--show-config` names the config file it read, and prints values the user wrote.
    let conf = dir.path().join("c\u{1b}]0;t\u{7}\n.toml");
    std::fs::write(&conf, "[files]\nexclude = [\"a\\u001b*\"]\n").expect("config");
    let r = cxlint(
        dir.path(),
        [
            "check".as_ref(),
            "--show-config".as_ref(),
            "--config".as_ref(),
            conf.as_os_str(),
        ],
    );
    r.expect(0, "config file: c\\u{1b}]0;t\\u{7}\\n.toml");
    assert!(!raw(&r.stdout), "raw control character in:\n{}", r.stdout);
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    use std::os::unix::fs::symlink;
    let dir = tempdir();
    write(
        dir.path(),
        "main.tf",
        "resource \"genesyscloud_routing_wrapupcode\" \"a\" {\n  name = \"A\"\n}\n",
    );
    // A link to its own directory, and two links to each other.
    symlink(".", dir.path().join("self")).expect("symlink");
    symlink("b.tf", dir.path().join("a.tf")).expect("symlink");
    symlink("a.tf", dir.path().join("b.tf")).expect("symlink");
    symlink("..", dir.path().join("sub_parent")).expect("symlink");
    let r = check_dir(dir.path());
    assert_ne!(r.code, Some(101), "panic:\n{}", clip(&r.output()));
    assert!(
        matches!(r.code, Some(0 | 2)),
        "exit code {:?}:\n{}",
        r.code,
        clip(&r.output())
    );
    // Naming a looping link on the command line is an error that says so.
    cxlint(dir.path(), ["check", "a.tf"]).expect(2, "a.tf");
}

/// `file()` and `templatefile()` read what they name: a device that never ends, a huge file, a
/// directory, a missing file or a template that does not parse leave the value unknown, in a
/// bounded time and memory, and the rest is still checked.
#[cfg(unix)]
#[test]
fn file_functions_on_hostile_paths() {
    let dir = tempdir();
    write(dir.path(), "big.tftpl", "x".repeat(3 << 20));
    write(dir.path(), "broken.tftpl", "${");
    std::fs::create_dir(dir.path().join("adir")).expect("mkdir");
    let mut config = String::new();
    for (i, path) in ["/dev/zero", "big.tftpl", "adir", "missing", "broken.tftpl"]
        .iter()
        .enumerate()
    {
        config.push_str(&format!(
            "locals {{\n  f{i} = file(\"{path}\")\n  t{i} = templatefile(\"{path}\", {{}})\n}}\n"
        ));
    }
    config.push_str("resource \"genesyscloud_oauth_client\" \"c\" {\n  name = \"C\"\n  authorized_grant_type = \"CODE\"\n  scopes = [\"conversation:write\"]\n}\n");
    write(dir.path(), "main.tf", config);
    let r = check_dir(dir.path());
    r.expect(1, "unknown-oauth-scope");
    assert!(
        r.peak_mib.is_none_or(|m| m < 200),
        "peak {:?} MiB",
        r.peak_mib
    );
}

/// True when this process can read a file whose permissions forbid it (root, CAP_DAC_OVERRIDE):
/// then an unreadable file cannot be made and the tests below have nothing to test.
#[cfg(unix)]
fn permissions_are_ignored(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = write(dir, "probe", "x");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = std::fs::read(&probe).is_ok();
    let _ = std::fs::remove_file(&probe);
    readable
}

#[cfg(unix)]
#[test]
fn unreadable_file_and_directory() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    if permissions_are_ignored(dir.path()) {
        eprintln!("skipped: running with permission to read anything (root?)");
        return;
    }
    let file = write(dir.path(), "locked.tf", "locals {}\n");
    write(dir.path(), "ok.tf", "locals {}\n");
    let sub = dir.path().join("locked_dir");
    write(dir.path(), "locked_dir/inner.tf", "locals {}\n");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let r = check_dir(dir.path());
    // Restore so the temporary directory can be removed.
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    r.expect(2, "locked.tf").expect(2, "ermission denied");
}

#[test]
fn nonexistent_directory() {
    let dir = tempdir();
    cxlint(dir.path(), ["check", "no/such/dir"]).expect(2, "no/such/dir");
}

// ---------------------------------------------------------------------------------------------
// Terraform semantics
// ---------------------------------------------------------------------------------------------

#[test]
fn duplicate_resource_addresses() {
    check_dir(&hostile("duplicate")).expect(
        1,
        "`genesyscloud_routing_wrapupcode.closed` is declared twice",
    );
}

#[test]
fn reference_cycle() {
    check_dir(&hostile("cycle")).expect(1, "`local.a` depends on itself");
}

/// Terraform rejects a cycle even between values nothing uses; so does cxlint.
#[test]
fn reference_cycle_between_unused_locals() {
    let dir = tempdir();
    write(
        dir.path(),
        "main.tf",
        "locals {\n  a = local.b\n  b = local.a\n}\n",
    );
    check_dir(dir.path()).expect(1, "depends on itself");
}

/// Resources whose attributes need themselves, directly or through each other: evaluation
/// stops at once (it used to recurse to the depth guard, and a debug build's stack ran out
/// first). A resource naming itself is reported; a cycle between two is not yet (unknown).
#[test]
fn resource_attribute_cycles() {
    let dir = tempdir();
    write(
        dir.path(),
        "main.tf",
        "resource \"genesyscloud_routing_queue\" \"loop\" {\n  name = genesyscloud_routing_queue.loop.name\n}\n\
         resource \"genesyscloud_routing_queue\" \"a\" {\n  name = genesyscloud_routing_queue.b.name\n}\n\
         resource \"genesyscloud_routing_queue\" \"b\" {\n  name = genesyscloud_routing_queue.a.description\n  description = genesyscloud_routing_queue.a.name\n}\n",
    );
    let r = check_dir(dir.path());
    r.expect(1, "`genesyscloud_routing_queue.loop` refers to itself");
    assert!(r.took < Duration::from_secs(10), "took {:?}", r.took);
}

/// A cycle through a module's output and its own input, read only by an attribute the model
/// does not keep (which is not evaluated) or by nothing: reported all the same.
#[test]
fn reference_cycle_through_a_module_output() {
    for used_by in [
        "resource \"genesyscloud_routing_queue\" \"q\" {\n  name        = \"Q\"\n  description = module.m.a\n}\n",
        "",
    ] {
        let dir = tempdir();
        let main =
            format!("module \"m\" {{\n  source = \"./m\"\n  x      = module.m.a\n}}\n{used_by}");
        write(dir.path(), "main.tf", main);
        write(
            dir.path(),
            "m/main.tf",
            "variable \"x\" {}\noutput \"a\" {\n  value = var.x\n}\n",
        );
        check_dir(dir.path()).expect(1, "depends on itself");
    }
}

/// `count = 100000000`, a 1,000,000-key `for_each` and `range(1e9)` are not expanded (the
/// evaluator stops at 10,000 instances and bounds `range`): fast, small, no false findings.
#[test]
fn huge_count_and_for_each() {
    let r = check_dir(&hostile("huge_count"));
    // Said plainly, at info (exit 0): the instances are too many to expand and are not checked.
    r.expect(0, "too many to expand").memory_below(256);
    assert!(
        r.took < Duration::from_secs(10),
        "took {:?} on three resources",
        r.took
    );
}

/// Expressions a few lines long that ask for unbounded work: each is given up as unknown, said
/// at info level with the reason, in bounded time and memory.
fn costly(locals: &str, needle: &str) {
    let dir = tempdir();
    let text = format!("locals {{\n{locals}\n}}\noutput \"x\" {{\n  value = local.x\n}}\n");
    write(dir.path(), "main.tf", text);
    let r = cxlint(dir.path(), ["check", ".", "--format", "json"]);
    r.expect(0, "too costly to evaluate").memory_below(512);
    assert!(r.stdout.contains(needle), "{}", clip(&r.stdout));
    assert!(r.took < Duration::from_secs(10), "took {:?}", r.took);
}

fn hundred() -> String {
    let items: Vec<String> = (0..100).map(|i| i.to_string()).collect();
    format!("  l = [{}]", items.join(", "))
}

/// 100^5 = 10^10 elements, written in one line.
#[test]
fn for_expressions_nested_five_deep() {
    let mut e = "1".to_owned();
    for v in ["a", "b", "c", "d", "e"] {
        e = format!("[for {v} in local.l : {e}]");
    }
    costly(
        &format!("{}\n  x = {e}", hundred()),
        "more than 1000000 steps",
    );
}

/// The same in a root module's output, which nothing reads but Terraform still evaluates: given
/// up and said, as for the local, in a frame of its own (evaluated outside one, it was given up
/// without a word).
#[test]
fn for_expressions_nested_five_deep_in_a_root_output() {
    let mut e = "1".to_owned();
    for v in ["a", "b", "c", "d", "e"] {
        e = format!("[for {v} in local.l : {e}]");
    }
    let dir = tempdir();
    let text = format!(
        "locals {{\n{}\n}}\noutput \"x\" {{\n  value = {e}\n}}\n",
        hundred()
    );
    write(dir.path(), "main.tf", text);
    let r = cxlint(dir.path(), ["check", ".", "--format", "json"]);
    r.expect(0, "more than 1000000 steps").memory_below(512);
    assert!(r.took < Duration::from_secs(10), "took {:?}", r.took);
}

/// The same with template directives: a string of 10^10 copies.
#[test]
fn template_for_directives_nested_five_deep() {
    let mut e = "x".to_owned();
    for v in ["a", "b", "c", "d", "e"] {
        e = format!("%{{ for {v} in local.l }}{e}%{{ endfor }}");
    }
    costly(
        &format!("{}\n  x = \"{e}\"", hundred()),
        "more than 1000000 steps",
    );
}

/// Locals `l0 = first`, then `l1` to `l{n}`, each `step` written of the one before (`{prev}`),
/// then `x = last` written of `l{n}` (`{last}`).
fn chain(first: &str, n: usize, step: &str, last: &str) -> String {
    let mut locals = vec![format!("  l0 = {first}")];
    for i in 1..=n {
        let prev = format!("local.l{}", i - 1);
        locals.push(format!("  l{i} = {}", step.replace("{prev}", &prev)));
    }
    locals.push(format!(
        "  x = {}",
        last.replace("{last}", &format!("local.l{n}"))
    ));
    locals.join("\n")
}

/// Each local twice the one before: 2^44 bytes.
#[test]
fn a_string_doubled_44_times() {
    let locals = chain(
        "\"0123456789abcdef\"",
        44,
        "\"${{prev}}${{prev}}\"",
        "{last}",
    );
    costly(&locals, "a string longer than 16 MiB");
}

/// A list holding the one before twice: small in memory (shared), 2^44 elements to anything
/// that reads it whole.
#[test]
fn a_list_nested_in_itself_44_times() {
    let locals = chain("[\"a\"]", 44, "[{prev}, {prev}]", "jsonencode({last})");
    costly(&locals, "more than 4000000 elements");
}

/// `join` of a list of 2^20 references to a 1 MB string would be a terabyte: the list is too
/// large to keep already.
#[test]
fn a_join_of_a_terabyte() {
    let mb = "x".repeat(1 << 20);
    let doubled = "concat({prev}, {prev})";
    let locals = chain("[local.s]", 20, doubled, "join(\",\", {last})");
    costly(
        &format!("  s = \"{mb}\"\n{locals}"),
        "more than 4000000 elements",
    );
    // Light enough to keep, each of them; joined, 2^17 copies of a 1 MB separator.
    let locals = chain("[\"\"]", 17, doubled, "join(local.sep, {last})");
    costly(
        &format!("  sep = \"{mb}\"\n{locals}"),
        "a string longer than 16 MiB",
    );
}

/// A `count` of a chain of locals, each naming the one before 8 times: cheap to evaluate (each
/// local once), but whether the count is spelt out in the configuration was decided by
/// following every mention, 8^14 walks within the walk's depth bound (found in review of the
/// spelt-out check).
#[test]
fn count_of_locals_each_naming_the_one_before_eight_times() {
    let step = format!("max({})", ["{prev}"; 8].join(", "));
    let locals = chain("1", 14, &step, "{last}");
    let dir = tempdir();
    write(
        dir.path(),
        "main.tf",
        format!(
            "locals {{\n{locals}\n}}\nresource \"genesyscloud_routing_queue\" \"q\" {{\n  \
             count = local.x\n  name  = \"Q\"\n}}\n"
        ),
    );
    let r = check_dir(dir.path());
    r.expect(0, "No problems found").memory_below(256);
    assert!(r.took < Duration::from_secs(10), "took {:?}", r.took);
}

// ---------------------------------------------------------------------------------------------
// Run-wide bounds: many values or instances, each within its own bounds
// ---------------------------------------------------------------------------------------------

/// A module whose `source` is a module it is inside of (its own directory, or its caller's) is
/// a module cycle: reported where the call is, and not expanded (each level of instances called
/// the next, 2^32 instances at the old depth bound, memory growing at 250 MB/s).
#[test]
fn module_that_calls_its_own_directory() {
    let r = check_dir(&hostile("module_cycle/self_count"));
    r.expect(1, "module `a` calls the module it is in: a module cycle")
        .memory_below(256);
    assert!(r.took < Duration::from_secs(10), "took {:?}", r.took);
    // The queue is declared once: nested instances of it are no duplicate names.
    assert!(!r.stdout.contains("duplicate-queue-name"), "{}", r.stdout);
    let r = check_dir(&hostile("module_cycle/two_calls"));
    r.expect(1, "module `a` calls the module it is in")
        .expect(1, "module `b` calls the module it is in")
        .memory_below(256);
    // Through another module, which no root calls then (each calls the other).
    let r = check_dir(&hostile("module_cycle/through_child"));
    r.expect(
        1,
        "module `c` calls a module that calls this one: a module cycle (`c` → `up` → `c` → ...)",
    )
    .memory_below(256);
}

/// Runs `cxlint check . --format json` on `files` with the run-wide bounds divided by
/// `divisor` (`CXLINT_RUN_BUDGET_DIVISOR`, so that small inputs reach them), and asserts the
/// one finding that says the check is incomplete, at info level, in bounded time and memory;
/// returns it.
fn run_bound(files: &[(&str, &str)], divisor: &str, needle: &str) -> serde_json::Value {
    let dir = tempdir();
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    let env = [("CXLINT_RUN_BUDGET_DIVISOR", divisor)];
    let r = cxlint_with(dir.path(), ["check", ".", "--format", "json"], &env);
    r.expect(0, needle).memory_below(256);
    assert!(r.took < Duration::from_secs(10), "took {:?}", r.took);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).expect("a JSON report");
    let incomplete: Vec<&serde_json::Value> = (report["diagnostics"].as_array().into_iter())
        .flatten()
        .filter(|d| (d["message"].as_str()).is_some_and(|m| m.contains("the check is incomplete")))
        .collect();
    match incomplete[..] {
        [one] => one.clone(),
        _ => panic!("said once:\n{}", clip(&r.stdout)),
    }
}

/// A module called with `count` holding a resource with `count`: each within the bound of one
/// `count`, together their product (10,000 × 10,000 was 7.3 GB). The run expands at most so
/// many instances in all; here the bound is 500,000 / 100.
#[test]
fn module_count_times_resource_count() {
    let module = "module \"m\" {\n  source = \"./m\"\n  count  = 100\n}\n";
    let codes = "resource \"genesyscloud_routing_wrapupcode\" \"w\" {\n  count = 100\n  name  = \"W${count.index}\"\n}\n";
    let found = run_bound(
        &[("main.tf", module), ("m/main.tf", codes)],
        "100",
        "the check is incomplete: the configuration has more than 5000 module and resource instances",
    );
    // Said where the bound was reached, the `count` in the module (the declarations left
    // unexpanded are not each reported again: `run_bound` finds one finding).
    let range = &found["range"];
    assert_eq!(
        (range["filename"].as_str(), range["start"]["line"].as_u64()),
        (Some("m/main.tf"), Some(2)),
        "{found}"
    );
}

/// Locals `{name}0 = "{first}"`, then `{name}1` to `{name}{n}`, each the one before twice.
fn doubled(name: &str, first: &str, n: usize) -> String {
    let mut locals = vec![format!("  {name}0 = \"{first}\"")];
    for i in 1..=n {
        let prev = format!("local.{name}{}", i - 1);
        locals.push(format!("  {name}{i} = \"${{{prev}}}${{{prev}}}\""));
    }
    locals.join("\n")
}

/// `split` makes an element a byte of its text, and was paid a step per 8 bytes: 30 locals, each
/// just under the bound of one value, were 4.9 GB. Each element is paid for now (real bounds),
/// and the run keeps a bounded weight in all (here 12,000,000 / 100).
#[test]
fn split_into_an_element_a_byte() {
    // 2 MiB of `x` split on `x`: 2 million elements, more than one evaluation's steps.
    let locals = doubled("a", &"x".repeat(32), 16);
    let text = format!("locals {{\n{locals}\n  s = split(\"x\", local.a16)\n}}\n");
    let dir = tempdir();
    write(dir.path(), "main.tf", text);
    let r = cxlint(dir.path(), ["check", ".", "--format", "compact"]);
    r.expect(0, "`local.s` is too costly to evaluate")
        .memory_below(256);
    assert!(r.took < Duration::from_secs(10), "took {:?}", r.took);
    // Thirty locals of 8,193 elements each: each light enough, too heavy together.
    let locals = doubled("a", &"xy".repeat(16), 9);
    let splits: Vec<String> = (0..30)
        .map(|j| format!("  s{j} = split(\"x\", \"${{local.a9}}{j}\")"))
        .collect();
    let text = format!("locals {{\n{locals}\n{}\n}}\n", splits.join("\n"));
    run_bound(
        &[("main.tf", &text)],
        "100",
        "the check is incomplete: the evaluated configuration weighs more than 120000 elements",
    );
}

/// Each of 500 queues refers to all of 500 wrap-up codes: 250,000 references written in nine
/// lines (10,000 × 10,000 was 7.1 GB). Evaluated resource bodies count toward the run's
/// weight too (here 12,000,000 / 100).
#[test]
fn references_to_every_instance_from_every_instance() {
    let text = r#"resource "genesyscloud_routing_wrapupcode" "w" {
  count = 500
  name  = "W${count.index}"
}
resource "genesyscloud_routing_queue" "q" {
  count        = 500
  name         = "Q${count.index}"
  wrapup_codes = genesyscloud_routing_wrapupcode.w[*].id
}
"#;
    run_bound(
        &[("main.tf", text)],
        "100",
        "the check is incomplete: the evaluated configuration weighs more than 120000 elements",
    );
}

/// 1,000 instances each evaluating two `for` expressions over 8,193 elements: each far within
/// the steps of one evaluation, together past the run's (here 50,000,000 / 100). 10,000
/// instances over 131,072 elements were more than a minute.
#[test]
fn many_instances_each_within_the_step_bound() {
    let locals = doubled("a", &"xy".repeat(16), 9);
    let text = format!(
        r#"locals {{
{locals}
  s = split("x", local.a9)
}}
resource "genesyscloud_routing_queue" "q" {{
  count       = 1000
  name        = "q${{count.index}}-${{length([for x in local.s : x if x != "y"])}}"
  description = "${{length([for x in local.s : x if x != "z"])}}"
}}
"#
    );
    run_bound(
        &[("main.tf", &text)],
        "100",
        "the check is incomplete: evaluating the configuration takes more than 500000 steps",
    );
}

/// `substitutions` fill a flow file's placeholders: forty placeholders for a value of 1 MiB
/// are a 40 MiB file, past what a flow may be (32 MiB), located at the placeholder that takes it
/// there (a thousand for 8 MiB were gigabytes).
#[test]
fn flow_substitutions_past_the_flow_size_limit() {
    let dir = tempdir();
    let locals = doubled("a", &"x".repeat(16), 16);
    let flow = r#"resource "genesyscloud_flow" "f" {
  filepath      = "${path.module}/flow.yaml"
  substitutions = { k = local.a16 }
}
"#;
    write(
        dir.path(),
        "main.tf",
        format!("locals {{\n{locals}\n}}\n{flow}"),
    );
    let yaml = format!(
        "inboundCall:\n  name: flow\n  description: \"{}\"\n",
        "{{k}}".repeat(40)
    );
    write(dir.path(), "flow.yaml", yaml);
    let r = check_dir(dir.path());
    r.expect(
        2,
        "flow file is too large once the substitutions of `genesyscloud_flow.f` are filled in",
    )
    .memory_below(256);
    assert!(r.took < Duration::from_secs(10), "took {:?}", r.took);
}

/// A flow with `count` reads its file once for each instance, each with its own substitutions:
/// up to 32 MiB each, ten thousand of them. What a run reads of flows is bounded in all (here
/// 128 MiB / 100), in flow order: the first flow past it is said, once.
#[test]
fn many_flows_each_within_the_flow_size_limit() {
    let locals = doubled("a", &"x".repeat(16), 9);
    let flow = r#"resource "genesyscloud_flow" "f" {
  count         = 20
  filepath      = "${path.module}/flow.yaml"
  substitutions = { k = local.a9, i = count.index }
}
"#;
    let main = format!("locals {{\n{locals}\n}}\n{flow}");
    let yaml = format!(
        "inboundCall:\n  name: flow{{{{i}}}}\n  description: \"{}\"\n",
        "{{k}}".repeat(16)
    );
    let found = run_bound(
        &[("main.tf", &main), ("flow.yaml", &yaml)],
        "100",
        "the check is incomplete: the flow files read add up to more than 1342177 bytes",
    );
    // 128 KiB each: ten fit.
    assert!(
        found["notes"]
            .to_string()
            .contains("`genesyscloud_flow.f[10]` and the flows after it"),
        "{found}"
    );
}

// ---------------------------------------------------------------------------------------------
// State inputs
// ---------------------------------------------------------------------------------------------

#[test]
fn truncated_state() {
    let state = hostile("truncated_state/terraform.tfstate");
    cxlint(
        &repo(),
        [
            OsStr::new("check"),
            hostile("empty").as_os_str(),
            OsStr::new("--state"),
            state.as_os_str(),
        ],
    )
    .expect(2, "unexpected end of file")
    .expect(2, "terraform.tfstate:28:");
}

#[test]
fn valid_json_that_is_not_a_state() {
    let state = hostile("not_a_state/terraform.tfstate");
    cxlint(
        &repo(),
        [
            OsStr::new("check"),
            hostile("empty").as_os_str(),
            OsStr::new("--state"),
            state.as_os_str(),
        ],
    )
    .expect(
        2,
        "not a Terraform state, a plan from `terraform show -json`, a cxlint snapshot",
    );
}
