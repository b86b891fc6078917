#!/usr/bin/env bash
# The cxlint benchmark: generate corpora, time `cxlint check` end to end beside parse-alone and the
# Go HCL parser, measure peak memory and small-project start-up, and check the answer key.
#
# usage: bench/run.sh [SIZE_MB...]          (default sizes: 1 10 50)
#
# Environment:
#   CXLINT=PATH    time this binary instead of building one (`cargo build --release` otherwise)
#   SEED=N         generator seed (default 1)
#   RUNS=N         timed runs per command after 2 warm-up runs (default 5)
#   STATE_MB=N     size of the generated terraform.tfstate (default 50; 0 = no --state run)
#   STATE_SIZE=N   which corpus gets the state file (default 10: a 10 MB config with a 50 MB state)
#   WORKERS=N      goroutines of the Go comparator (default 2, the machine's cores)
#   SKIP_GO=1      do not build or run the Go comparator
# Results: printed, and written to bench/out/results.md and bench/out/results.json.
set -euo pipefail

usage() { sed -n '4,5p' "$0" | sed 's/^# //'; }
case "${1:-}" in -h|--help) usage; exit 0 ;; esac
for s in "$@"; do
    if ! [[ "$s" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
        echo "error: size '$s' is not a number of MB" >&2
        usage >&2
        exit 2
    fi
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="$here/out"
mkdir -p "$out/bin"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 10 50)
SEED="${SEED:-1}"
RUNS="${RUNS:-5}"
STATE_MB="${STATE_MB:-50}"
STATE_SIZE="${STATE_SIZE:-10}"
WORKERS="${WORKERS:-2}"

# --- tools ------------------------------------------------------------------------------------------

# try_install PACKAGE...: install Debian packages with apt-get when we are root; fail quietly otherwise.
try_install() {
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || return 1
    echo "installing $* with apt-get ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 && return 0
    apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

# need CMD DEBIAN_PACKAGE: make sure CMD exists, installing the package when we can.
need() {
    local cmd="$1" pkg="$2"
    command -v "$cmd" >/dev/null 2>&1 && return 0
    try_install "$pkg" && command -v "$cmd" >/dev/null 2>&1 && return 0
    echo "error: '$cmd' is required; install the Debian package '$pkg' (apt-get install -y $pkg)" >&2
    exit 2
}
need python3 python3
need hyperfine hyperfine
need /usr/bin/time time

if [ -n "${CXLINT:-}" ]; then
    [ -x "$CXLINT" ] || { echo "error: CXLINT=$CXLINT is not an executable" >&2; exit 2; }
else
    echo "building cxlint (cargo build --release) ..." >&2
    (cd "$root" && cargo build --release --quiet)
    CXLINT="${CARGO_TARGET_DIR:-$root/target}/release/cxlint"
fi
CXLINT="$(cd "$(dirname "$CXLINT")" && pwd)/$(basename "$CXLINT")"

GOHCL=""
hcl_src=/usr/share/gocode/src/github.com/hashicorp/hcl/v2
if [ "${SKIP_GO:-0}" = 1 ]; then
    echo "SKIP_GO=1: not running the Go HCL comparator" >&2
else
    if ! command -v go >/dev/null 2>&1 || [ ! -d "$hcl_src" ]; then
        try_install golang-go golang-github-hashicorp-hcl-v2-dev || true
    fi
    if command -v go >/dev/null 2>&1 && [ -d "$hcl_src" ]; then
        "$here/go-hcl/build.sh" "$out/bin/go-hcl-parse" >&2
        GOHCL="$out/bin/go-hcl-parse"
    else
        echo "note: Go comparator skipped: install golang-go and golang-github-hashicorp-hcl-v2-dev" >&2
    fi
fi

PARSE_ONLY=0
HCL_EDIT=0
if "$CXLINT" debug parse-only --help >/dev/null 2>&1; then
    PARSE_ONLY=1
    "$CXLINT" debug parse-only --help 2>/dev/null | grep -q -- --hcl-edit && HCL_EDIT=1
else
    echo "note: '$CXLINT debug parse-only' does not exist yet: the parse-alone column is skipped" >&2
fi

# --- corpora ----------------------------------------------------------------------------------------

# generate NAME ARGS...: (re)generate bench/out/NAME unless it was made with ARGS by this very
# generator (a changed generator plants other defects: the old corpus and key would be stale).
gen_hash=$(cksum <"$here/gen/gen_corpus.py" | cut -d' ' -f1)
generate() {
    local name="$1"; shift
    local dir="$out/$name" stamp="$* (generator $gen_hash)"
    if [ -f "$dir/manifest.json" ] && [ "$(cat "$dir/.args" 2>/dev/null)" = "$stamp" ]; then
        echo "corpus $name: up to date" >&2
        return
    fi
    echo "generating corpus $name ($stamp) ..." >&2
    python3 "$here/gen/gen_corpus.py" --out "$dir" --seed "$SEED" "$@" >/dev/null
    echo "$stamp" >"$dir/.args"
}
for s in "${sizes[@]}"; do
    if [ "$s" = "$STATE_SIZE" ] && [ "$STATE_MB" != 0 ]; then
        generate "corpus-$s" --size-mb "$s" --state-mb "$STATE_MB"
    else
        generate "corpus-$s" --size-mb "$s"
    fi
done
generate corpus-small --teams 1

# --- measurements -----------------------------------------------------------------------------------

echo "load average before timing: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2

# verify ARGS...: one run that must exit 0 (clean) or 1 (findings); 2 means cxlint failed.
verify() {
    local rc=0
    "$@" >/dev/null 2>"$out/last-stderr.txt" || rc=$?
    if [ "$rc" -gt 1 ]; then
        echo "error: '$*' exited $rc:" >&2
        tail -20 "$out/last-stderr.txt" >&2
        exit 2
    fi
}

# peak_rss NAME ARGS...: maximum resident set size in KB, from GNU time.
peak_rss() {
    local name="$1"; shift
    /usr/bin/time -v "$@" >/dev/null 2>"$out/time-$name.txt" || true
    sed -n 's/.*Maximum resident set size (kbytes): *//p' "$out/time-$name.txt"
}

key_status() {
    local dir="$1"; shift
    if python3 "$here/check-answer-key.py" "$dir" --cxlint "$CXLINT" --quiet "$@" >"$out/key-$(basename "$dir")$*.txt" 2>&1; then
        echo PASS
    else
        echo FAIL
    fi
}

rows="$out/rows.jsonl"
: >"$rows"
for s in "${sizes[@]}"; do
    dir="$out/corpus-$s"
    cfg="$dir/config"
    verify "$CXLINT" check "$cfg" --format json
    cmds=("$CXLINT check $cfg --format json")
    names=(check)
    if [ "$PARSE_ONLY" = 1 ]; then
        verify "$CXLINT" debug parse-only "$cfg"
        cmds+=("$CXLINT debug parse-only $cfg"); names+=(parse)
    fi
    if [ "$HCL_EDIT" = 1 ]; then
        verify "$CXLINT" debug parse-only --hcl-edit "$cfg"
        cmds+=("$CXLINT debug parse-only --hcl-edit $cfg"); names+=(hcledit)
    fi
    if [ -n "$GOHCL" ]; then
        cmds+=("$GOHCL -quiet -workers $WORKERS $cfg"); names+=(go)
    fi
    echo "== $s MB: timing ${names[*]}" >&2
    hyperfine -N -i --warmup 2 --runs "$RUNS" --export-json "$out/hyperfine-$s.json" "${cmds[@]}" >&2
    # The ratio to hcl-edit, side by side: hyperfine's back-to-back repetitions let a slow spell
    # of the machine land on one command (bench/interleave.py).
    interleaved=""
    if [ "$HCL_EDIT" = 1 ]; then
        echo "== $s MB: check, hcl-edit alone and the Go parser, interleaved" >&2
        interleaved="$out/interleaved-$s.json"
        il_cmds=("check=$CXLINT check $cfg --format json" "hcledit=$CXLINT debug parse-only --hcl-edit $cfg")
        [ -z "$GOHCL" ] || il_cmds+=("go=$GOHCL -quiet -workers $WORKERS $cfg")
        python3 "$here/interleave.py" "$RUNS" "$interleaved" "${il_cmds[@]}"
    fi
    rss="$(peak_rss "check-$s" "$CXLINT" check "$cfg" --format json)"
    # The default format too: its report shows snippets, read again from the files.
    rss_human="$(peak_rss "check-$s-human" "$CXLINT" check "$cfg")"
    key="$(key_status "$dir")"
    printf '{"name":"%s MB","manifest":"%s","hyperfine":"%s","commands":"%s","rss_kb":%s,"rss_human_kb":%s,"key":"%s","interleaved":"%s"}\n' \
        "$s" "$dir/manifest.json" "$out/hyperfine-$s.json" "${names[*]}" "${rss:-0}" "${rss_human:-0}" "$key" "$interleaved" >>"$rows"
    if [ -f "$dir/terraform.tfstate" ]; then
        echo "== $s MB + $(($(stat -c %s "$dir/terraform.tfstate") / 1000000)) MB state: timing check --state" >&2
        verify "$CXLINT" check "$cfg" --format json --state "$dir/terraform.tfstate"
        hyperfine -N -i --warmup 2 --runs "$RUNS" --export-json "$out/hyperfine-$s-state.json" \
            "$CXLINT check $cfg --format json --state $dir/terraform.tfstate" >&2
        rss="$(peak_rss "check-$s-state" "$CXLINT" check "$cfg" --format json --state "$dir/terraform.tfstate")"
        key="$(key_status "$dir" --state)"
        printf '{"name":"%s MB + %s MB state","manifest":"%s","hyperfine":"%s","commands":"check","rss_kb":%s,"key":"%s","state":"%s"}\n' \
            "$s" "$(($(stat -c %s "$dir/terraform.tfstate") / 1000000))" "$dir/manifest.json" "$out/hyperfine-$s-state.json" "${rss:-0}" "$key" "$dir/terraform.tfstate" >>"$rows"
    fi
done

small="$out/corpus-small"
verify "$CXLINT" check "$small/config" --format json
echo "== small project: start-up" >&2
hyperfine -N -i --warmup 3 --runs 30 --export-json "$out/hyperfine-small.json" "$CXLINT check $small/config --format json" >&2

# --- report -----------------------------------------------------------------------------------------

python3 - "$rows" "$out/hyperfine-small.json" "$small/manifest.json" "$out" "$PARSE_ONLY" "$([ -n "$GOHCL" ] && echo 1 || echo 0)" <<'PY'
import json, os, sys
rows_path, small_hf, small_manifest, out, parse_only, go = sys.argv[1:7]
rows = [json.loads(l) for l in open(rows_path) if l.strip()]
def mb(b): return b / 1e6
lines = [
    "| corpus | input MB | files | cxlint check: median (mean ± σ) s | CPU s | MB/s | parse alone (s) | check / parse | hcl-edit alone (s) | check / hcl-edit | interleaved: check / hcl-edit | Go HCL parse (s) | Go / cxlint | interleaved: Go / cxlint | peak RSS MB | RSS / input | RSS / all read | peak RSS, default format: MB, / input | answer key |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
]
result = {"rows": [], "load_average": open("/proc/loadavg").read().split()[:3], "cores": os.cpu_count()}
for r in rows:
    m = json.load(open(r["manifest"]))
    hf = {n: x for n, x in zip(r["commands"].split(), json.load(open(r["hyperfine"]))["results"])}
    c = hf["check"]
    size = m["tf_bytes"] + (os.path.getsize(r["state"]) if r.get("state") else 0)
    row = {
        "corpus": r["name"], "tf_bytes": m["tf_bytes"], "input_bytes": size, "files": m["tf_files"] + m["other_files"],
        "check_median_s": c["median"], "check_mean_s": c["mean"], "check_stddev_s": c["stddev"], "check_cpu_s": c["user"] + c["system"],
        # GNU time reports KiB. "Input" is the HCL (and the state); "all read" adds the other
        # files cxlint reads (the flows' YAML).
        "mb_per_s": mb(size) / c["median"], "rss_mb": r["rss_kb"] * 1024 / 1e6, "rss_over_input": r["rss_kb"] * 1024 / size,
        "rss_over_read": r["rss_kb"] * 1024 / (size + m.get("other_bytes", 0)),
        "answer_key": r["key"],
    }
    if r.get("rss_human_kb"):
        row["rss_human_mb"] = r["rss_human_kb"] * 1024 / 1e6
        row["rss_human_over_input"] = r["rss_human_kb"] * 1024 / size
    if "parse" in hf:
        row["parse_median_s"] = hf["parse"]["median"]
        row["check_over_parse"] = c["median"] / hf["parse"]["median"]
    if "hcledit" in hf:
        row["hcledit_median_s"] = hf["hcledit"]["median"]
        row["check_over_hcledit"] = c["median"] / hf["hcledit"]["median"]
    if r.get("interleaved"):
        il = json.load(open(r["interleaved"]))
        row["interleaved_check_s"] = il["check"]["median_s"]
        row["interleaved_hcledit_s"] = il["hcledit"]["median_s"]
        row["interleaved_check_over_hcledit"] = il["hcledit"]["check_over_hcledit"]
        if "go" in il:
            row["interleaved_go_over_check"] = 1 / il["go"]["check_over_go"]
    if "go" in hf:
        row["go_median_s"] = hf["go"]["median"]
        row["go_cpu_s"] = hf["go"]["user"] + hf["go"]["system"]
        row["go_over_check"] = hf["go"]["median"] / c["median"]
    result["rows"].append(row)
    f = lambda k, fmt: (fmt % row[k]) if k in row else "n/a"
    lines.append(f"| {row['corpus']} | {mb(row['input_bytes']):.1f} | {row['files']} | {row['check_median_s']:.3f} ({row['check_mean_s']:.3f} ± {row['check_stddev_s']:.3f}) "
                 f"| {row['check_cpu_s']:.2f} | {row['mb_per_s']:.1f} | {f('parse_median_s', '%.3f')} | {f('check_over_parse', '%.2f×')} "
                 f"| {f('hcledit_median_s', '%.3f')} | {f('check_over_hcledit', '%.2f×')} | {f('interleaved_check_over_hcledit', '%.2f×')} "
                 f"| {f('go_median_s', '%.3f')} | {f('go_over_check', '%.1f×')} | {f('interleaved_go_over_check', '%.1f×')} | {row['rss_mb']:.0f} | {row['rss_over_input']:.2f}× | {row['rss_over_read']:.2f}× "
                 f"| {f('rss_human_mb', '%.0f')}, {f('rss_human_over_input', '%.2f×')} | {row['answer_key']} |")
s = json.load(open(small_hf))["results"][0]
sm = json.load(open(small_manifest))
result["small"] = {"files": sm["tf_files"] + sm["other_files"], "mean_ms": s["mean"] * 1000, "stddev_ms": s["stddev"] * 1000}
lines.append("")
lines.append(f"Small project ({result['small']['files']} files, {sm['tf_bytes'] / 1000:.0f} KB): "
             f"`cxlint check` {result['small']['mean_ms']:.1f} ± {result['small']['stddev_ms']:.1f} ms end to end.")
lines.append("Times are hyperfine medians (a stray slow run, e.g. the kernel reclaiming memory, moves "
             "the mean but not the median); MB/s and every ratio use the medians, but the interleaved "
             "ones: medians of the per-round ratios of the check, hcl-edit and the Go parser run in "
             "alternation (bench/interleave.py), which a slow spell of the machine cannot tilt.")
lines.append(f"Load average at the end: {' '.join(result['load_average'])} on {result['cores']} cores.")
if parse_only != "1":
    lines.append("Parse alone: skipped (`cxlint debug parse-only` does not exist in this build).")
if go != "1":
    lines.append("Go HCL comparator: skipped.")
text = "\n".join(lines) + "\n"
open(os.path.join(out, "results.md"), "w").write(text)
json.dump(result, open(os.path.join(out, "results.json"), "w"), indent=2)
print(text)
PY

if grep -q '"key":"FAIL"' "$rows"; then
    echo "answer key: FAIL for at least one corpus (details: bench/out/key-*.txt, or run bench/check-answer-key.py)" >&2
    exit 1
fi
