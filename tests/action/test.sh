#!/usr/bin/env bash
# Tests the GitHub Action's shell steps (action.yml, .github/action/*.sh) without GitHub: each case
# runs a step script in a clean environment that simulates a runner (GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY, RUNNER_TEMP, the INPUT_* variables action.yml sets) and checks what it wrote.
# Needs bash, grep, sed and tar; uses jq, python3 and curl when present. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"

cargo build --quiet --locked
target_dir="${CARGO_TARGET_DIR:-target}"
[[ "$target_dir" == /* ]] || target_dir="$root/$target_dir"
bin="$target_dir/debug/cxlint"
[[ -x "$bin" ]] || {
    echo "FAIL: no binary at $bin"
    exit 1
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/cxlint-action-test.XXXXXX")"
trap '[[ -n "${KEEP_TMP:-}" ]] || rm -rf "$tmp"' EXIT
passed=0

fail() {
    echo "FAIL [$case]: $*" >&2
    if [[ -d "${dir:-}" ]]; then
        for f in out log err; do
            if [[ -f "$dir/$f" ]]; then sed "s/^/  $f| /" "$dir/$f" >&2; fi
        done
    fi
    exit 1
}
ok() { passed=$((passed + 1)); }

# run_step NAME SCRIPT [ARG] -- [VAR=VALUE...]: run a step script as the runner would, in an
# environment holding only PATH, HOME and the given variables (so nothing leaks in from the
# machine, such as CXLINT_* settings or a real GITHUB_OUTPUT when this itself runs in Actions).
run_step() {
    case="$1"
    local script="$2"
    shift 2
    local script_args=()
    while [[ $# -gt 0 && "$1" != -- ]]; do
        script_args+=("$1")
        shift
    done
    if [[ "${1:-}" == -- ]]; then shift; fi
    dir="$tmp/$case"
    mkdir -p "$dir/runner temp"
    : >"$dir/out"
    : >"$dir/summary"
    local status=0
    env -i PATH="$PATH" HOME="${HOME:-/tmp}" \
        GITHUB_OUTPUT="$dir/out" GITHUB_STEP_SUMMARY="$dir/summary" \
        GITHUB_WORKSPACE="$root" RUNNER_TEMP="$dir/runner temp" \
        "$@" bash "$root/.github/action/$script" ${script_args[@]+"${script_args[@]}"} \
        >"$dir/log" 2>"$dir/err" || status=$?
    echo "$status" >"$dir/status"
}

# The value of output KEY in the last case.
output_of() {
    sed -n "s/^$1=//p" "$dir/out" | tail -n1
}
expect_output() {
    grep -qx "$1=.*" "$dir/out" || fail "output $1 not written"
    [[ "$(output_of "$1")" == "$2" ]] || fail "output $1 is '$(output_of "$1")', expected '$2'"
}
expect_status() {
    [[ "$(cat "$dir/status")" == "$1" ]] || fail "the step exited $(cat "$dir/status"), expected $1"
}
expect_in() {
    grep -qF -- "$2" "$dir/$1" || fail "$1 does not contain: $2"
}
expect_not_in() {
    if grep -qF -- "$2" "$dir/$1"; then fail "$1 contains: $2"; fi
}

# Is FILE valid JSON? jq or python3 when present; otherwise a shape check is all we can do.
valid_json() {
    if command -v jq >/dev/null 2>&1; then
        jq -e . "$1" >/dev/null
    elif command -v python3 >/dev/null 2>&1; then
        python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$1"
    else
        head -c1 "$1" | grep -q '{' && tail -c2 "$1" | grep -q '}'
    fi
}

# The expected counts, found independently of the action: the compact format has one line per finding.
demo_errors="$("$bin" check testdata/demo --format compact --color never | grep -c ': error\[' || true)"
demo_warnings="$("$bin" check testdata/demo --format compact --color never | grep -c ': warning\[' || true)"
[[ "$demo_errors" -gt 0 && "$demo_warnings" -gt 0 ]] || {
    echo "FAIL: testdata/demo should have errors and warnings"
    exit 1
}

# -- run.sh ---------------------------------------------------------------------------------------

# The demo, as a pull request sees it: annotations, job summary, SARIF (in a path with a space),
# state given as an indented multi-line list with a blank line.
sarif="$tmp/demo/sarif out/cxlint.sarif"
run_step demo run.sh -- ACTION_CXLINT_BIN="$bin" INPUT_PATHS="testdata/demo" \
    INPUT_STATE=$'  testdata/state/export\n\n' INPUT_FORMAT=github INPUT_SARIF_FILE="$sarif"
expect_status 0
expect_output exit-code 1
expect_output errors "$demo_errors"
expect_output warnings "$demo_warnings"
expect_output sarif-file "$sarif"
expect_in log "::error file=testdata/demo/"
expect_in log "::warning file=testdata/demo/"
[[ -f "$sarif" ]] || fail "no SARIF file at $sarif"
valid_json "$sarif" || fail "the SARIF file is not valid JSON"
grep -q '"version": *"2.1.0"' "$sarif" || fail "the SARIF file is not version 2.1.0"
grep -q '"ruleId": *"CX101"\|"ruleId": *"wrapup-code-not-assigned"' "$sarif" || fail "the SARIF file lacks the CX101 results"
expect_in summary "## cxlint"
expect_in summary "### Wrap-up codes by queue"
expect_in summary "| Support |"
[[ "$(grep -c '^## cxlint' "$dir/summary")" == 1 ]] || fail "the job summary was written more than once"
ok

# Another log format counts through a JSON report, with each JSON reader the script may fall back
# to; `fail-on: never` makes the run pass despite the findings.
tools=(grep)
if command -v jq >/dev/null 2>&1; then tools+=(jq); fi
if command -v python3 >/dev/null 2>&1; then tools+=(python3); fi
for tool in "${tools[@]}"; do
    run_step "compact-$tool" run.sh -- ACTION_CXLINT_BIN="$bin" INPUT_PATHS="testdata/demo" \
        INPUT_FORMAT=compact INPUT_FAIL_ON=never INPUT_SARIF_FILE="" ACTION_CXLINT_JSON_TOOL="$tool"
    expect_status 0
    expect_output exit-code 0
    expect_output errors "$demo_errors"
    expect_output warnings "$demo_warnings"
    expect_output sarif-file ""
    expect_in log "testdata/demo/outbound.tf:11:16: error[CX101]"
    expect_not_in log "::error"
    [[ "$(grep -c '^## cxlint' "$dir/summary")" == 1 ]] || fail "the job summary was written more than once"
    ok
done

# A clean project in a directory whose name has a space, given in the one-path-per-line form.
run_step clean run.sh -- ACTION_CXLINT_BIN="$bin" INPUT_PATHS=$'tests/action/fixtures/clean project\n' \
    INPUT_FAIL_ON=warning INPUT_SARIF_FILE="$tmp/clean/clean.sarif"
expect_status 0
expect_output exit-code 0
expect_output errors 0
expect_output warnings 0
expect_output sarif-file "$tmp/clean/clean.sarif"
expect_not_in log "::error"
expect_not_in log "::warning"
expect_in summary "## cxlint"
ok

# A path that does not exist: cxlint cannot do the job, exit code 2.
run_step bad-path run.sh -- ACTION_CXLINT_BIN="$bin" INPUT_PATHS="testdata/does-not-exist" \
    INPUT_SARIF_FILE="$tmp/bad-path/x.sarif"
expect_status 0
expect_output exit-code 2
expect_in err "does-not-exist"
ok

# A one-line list is split on whitespace: both paths are checked, and the missing one makes it 2.
run_step two-paths run.sh -- ACTION_CXLINT_BIN="$bin" INPUT_PATHS="testdata/demo  testdata/does-not-exist" \
    INPUT_SARIF_FILE=""
expect_output exit-code 2
expect_output errors "$demo_errors"
expect_in log "::error file=testdata/demo/"
expect_in err "testdata/does-not-exist"
ok

# Extra arguments keep their quoting, and are never evaluated by a shell.
run_step args run.sh -- ACTION_CXLINT_BIN="$bin" INPUT_PATHS="testdata/demo" INPUT_SARIF_FILE="" \
    INPUT_ARGS="--select 'wrapup-code-not-assigned' --var \"unused=a b\""
expect_output exit-code 1
expect_output warnings 0
[[ "$(output_of errors)" -gt 0 && "$(output_of errors)" -lt "$demo_errors" ]] ||
    fail "--select should keep only some errors, got $(output_of errors)"
expect_not_in log "CX301"
ok
run_step args-injection run.sh -- ACTION_CXLINT_BIN="$bin" INPUT_PATHS="testdata/demo" INPUT_SARIF_FILE="" \
    INPUT_ARGS="--select CX101 \$(touch '$tmp/pwned') \`touch '$tmp/pwned'\`"
[[ ! -e "$tmp/pwned" ]] || fail "the args input was evaluated by a shell"
expect_output exit-code 2
ok
run_step args-unbalanced run.sh -- ACTION_CXLINT_BIN="$bin" INPUT_ARGS="--select 'CX101"
expect_status 0
expect_output exit-code 2
expect_in log "cannot split the \`args\` input"
ok

# A sarif-file that cannot be written (a directory; a path through a file): the action reports it
# and exit-code 2, and the step still succeeds with every output written. `rm` on the directory
# failed the step, with no outputs.
mkdir -p "$tmp/sarif-dir/sdir"
run_step sarif-dir run.sh -- ACTION_CXLINT_BIN="$bin" INPUT_PATHS="testdata/demo" \
    INPUT_SARIF_FILE="$tmp/sarif-dir/sdir"
expect_status 0
expect_output exit-code 2
expect_output errors ""
expect_output warnings ""
expect_output sarif-file ""
expect_in log "::error title=cxlint action::sarif-file \`$tmp/sarif-dir/sdir\` is a directory"
[[ -d "$tmp/sarif-dir/sdir" ]] || fail "the directory was removed"
ok
: >"$tmp/sarif-dir/a-file"
run_step sarif-through-a-file run.sh -- ACTION_CXLINT_BIN="$bin" INPUT_PATHS="testdata/demo" \
    INPUT_SARIF_FILE="$tmp/sarif-dir/a-file/x.sarif"
expect_status 0
expect_output exit-code 2
expect_output sarif-file ""
expect_in log "::error title=cxlint action::cannot create the directory of sarif-file"
ok

# No binary: the action reports it and exit-code 2 (the last step then fails the job).
run_step no-binary run.sh -- ACTION_CXLINT_BIN="$tmp/nowhere/cxlint" INPUT_PATHS=testdata/demo
expect_status 0
expect_output exit-code 2
expect_output errors ""
expect_in log "::error title=cxlint action::"
ok

# -- install.sh -----------------------------------------------------------------------------------

# A fake release server (curl reads file:// URLs) holding the binary for this machine.
case "$(uname -s)/$(uname -m)" in
Linux/x86_64) os=Linux arch=X64 triple=x86_64-unknown-linux-musl ;;
Linux/aarch64) os=Linux arch=ARM64 triple=aarch64-unknown-linux-musl ;;
Darwin/arm64) os=macOS arch=ARM64 triple=aarch64-apple-darwin ;;
Darwin/x86_64) os=macOS arch=X64 triple=x86_64-apple-darwin ;;
*) os="" arch="" triple="" ;;
esac
version="$(sed -n 's/^version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' Cargo.toml | head -n1)"
if command -v curl >/dev/null 2>&1 && [[ -n "$triple" ]]; then
    rel="$tmp/releases"
    mkdir -p "$rel/pkg/cxlint-$triple" "$rel/download/v$version" "$rel/latest/download"
    # A stand-in for the binary (the debug build is too large to pack quickly): install.sh only
    # needs `--version` to work.
    printf '#!/bin/sh\necho "cxlint %s (released)"\n' "$version" >"$rel/pkg/cxlint-$triple/cxlint"
    chmod +x "$rel/pkg/cxlint-$triple/cxlint"
    tar -czf "$rel/download/v$version/cxlint-$triple.tar.gz" -C "$rel/pkg" "cxlint-$triple"
    cp "$rel/download/v$version/cxlint-$triple.tar.gz" "$rel/latest/download/"

    # Default version: the one in the action's Cargo.toml, downloaded.
    run_step install-release install.sh download -- RUNNER_OS="$os" RUNNER_ARCH="$arch" \
        GITHUB_ACTION_PATH="$root" ACTION_CXLINT_RELEASE_BASE="file://$rel"
    expect_status 0
    expect_output installed true
    expect_output version "$version"
    "$(output_of bin)" --version | grep -q "$version (released)" || fail "the downloaded binary does not run"
    ok

    run_step install-latest install.sh download -- RUNNER_OS="$os" RUNNER_ARCH="$arch" \
        GITHUB_ACTION_PATH="$root" ACTION_CXLINT_RELEASE_BASE="file://$rel" INPUT_VERSION=latest
    expect_output installed true
    ok

    # A published checksum that does not match stops the action.
    echo "0000  cxlint-$triple.tar.gz" >"$rel/download/v$version/cxlint-$triple.tar.gz.sha256"
    run_step install-bad-checksum install.sh download -- RUNNER_OS="$os" RUNNER_ARCH="$arch" \
        GITHUB_ACTION_PATH="$root" ACTION_CXLINT_RELEASE_BASE="file://$rel"
    expect_status 2
    expect_in log "checksum mismatch"
    ok
    (cd "$rel/download/v$version" && { sha256sum "cxlint-$triple.tar.gz" 2>/dev/null ||
        shasum -a 256 "cxlint-$triple.tar.gz"; } >"cxlint-$triple.tar.gz.sha256")
    run_step install-good-checksum install.sh download -- RUNNER_OS="$os" RUNNER_ARCH="$arch" \
        GITHUB_ACTION_PATH="$root" ACTION_CXLINT_RELEASE_BASE="file://$rel"
    expect_status 0
    expect_output installed true
    ok

    # No release for this version: fall back to a source build with a content-keyed cache.
    run_step install-missing install.sh download -- RUNNER_OS="$os" RUNNER_ARCH="$arch" \
        GITHUB_ACTION_PATH="$root" ACTION_CXLINT_RELEASE_BASE="file://$rel" INPUT_VERSION=v9.9.9
    expect_status 0
    expect_output installed false
    expect_output version 9.9.9
    expect_in log "building from source"
    key="$(output_of cache-key)"
    [[ "$key" == "cxlint-$os-$arch-$version-"* && ${#key} -gt 70 ]] || fail "unexpected cache key '$key'"
    expect_output bin "$(output_of cache-path)/bin/cxlint"
    ok
else
    echo "note: curl or a known platform is missing; release download cases skipped"
fi

# `version: source` never downloads; the key is stable for the same source.
run_step install-source install.sh download -- GITHUB_ACTION_PATH="$root" INPUT_VERSION=source \
    RUNNER_OS=Linux RUNNER_ARCH=X64
expect_output installed false
expect_not_in log "trying the release binary"
key1="$(output_of cache-key)"
run_step install-source-again install.sh download -- GITHUB_ACTION_PATH="$root" INPUT_VERSION=source \
    RUNNER_OS=Linux RUNNER_ARCH=X64
[[ "$(output_of cache-key)" == "$key1" ]] || fail "the cache key is not stable"
ok

# A cache hit: `build` reuses the restored binary instead of running cargo.
mkdir -p "$tmp/cache root/bin"
printf '#!/bin/sh\necho "cxlint %s (cached)"\n' "$version" >"$tmp/cache root/bin/cxlint"
chmod +x "$tmp/cache root/bin/cxlint"
run_step install-cached install.sh build -- GITHUB_ACTION_PATH="$root" ACTION_CXLINT_ROOT="$tmp/cache root"
expect_status 0
expect_in log "using the cached build cxlint $version (cached)"
expect_output bin "$tmp/cache root/bin/cxlint"
ok

# -- action.yml and the scripts agree --------------------------------------------------------------

case=action.yml
dir=""
# The inputs block: `  name:` lines between `inputs:` and `outputs:`.
declared="$(sed -n '/^inputs:/,/^outputs:/p' action.yml | sed -n 's/^  \([a-z][a-z-]*\):$/\1/p')"
[[ -n "$declared" ]] || fail "no inputs found in action.yml"
for input in paths state config format fail-on sarif-file args version; do
    grep -qx "$input" <<<"$declared" || fail "input $input is not declared"
done
# Every INPUT_* variable a script reads is set from the matching input.
for var in $(grep -ho 'INPUT_[A-Z_]*' .github/action/*.sh | sort -u); do
    name="$(echo "${var#INPUT_}" | tr 'A-Z_' 'a-z-')"
    grep -qx "$name" <<<"$declared" || fail "$var is read but input $name is not declared"
    grep -qF "$var: \${{ inputs.$name }}" action.yml || fail "action.yml does not set $var from inputs.$name"
done
# Every declared input is used, and documented in the README's inputs table.
for input in $declared; do
    grep -qF "inputs.$input }}" action.yml || fail "input $input is declared but never used"
    grep -qF "| \`$input\` |" README.md || fail "input $input is not in the README"
done
# Every output the run step writes is exposed by the action, and documented.
for out in exit-code errors warnings sarif-file; do
    grep -qF "output $out " .github/action/run.sh || fail "run.sh does not write $out"
    grep -qF "value: \${{ steps.run.outputs.$out }}" action.yml || fail "output $out is not exposed"
    grep -qF "| \`$out\` |" README.md || fail "output $out is not in the README"
done
grep -q '^  using: composite$' action.yml || fail "action.yml is not a composite action"
# Each step id a later step refers to exists.
for id in $(grep -o 'steps\.[a-z-]*\.outputs' action.yml | cut -d. -f2 | sort -u); do
    grep -q "^      id: $id$" action.yml || fail "step id $id is referenced but not defined"
done
# A real YAML parse when the machine has one (never a new dependency).
if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; then
    python3 - <<'EOF' || fail "action.yml or .pre-commit-hooks.yaml does not parse as expected"
import yaml
a = yaml.safe_load(open("action.yml", encoding="utf-8"))
assert a["runs"]["using"] == "composite"
assert all("shell" in s for s in a["runs"]["steps"] if "run" in s)
hooks = yaml.safe_load(open(".pre-commit-hooks.yaml", encoding="utf-8"))
assert {h["id"] for h in hooks} >= {"cxlint", "cxlint-system"}
for h in hooks:
    assert h["entry"].startswith("cxlint check") and h["pass_filenames"] is False
EOF
fi
ok

case=pre-commit
for key in "id: cxlint" "id: cxlint-system" "language: rust" "language: system" "pass_filenames: false"; do
    grep -qF "$key" .pre-commit-hooks.yaml || fail ".pre-commit-hooks.yaml lacks '$key'"
done
ok

echo "action: $passed cases passed"
