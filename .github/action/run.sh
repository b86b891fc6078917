#!/usr/bin/env bash
# Run step of the cxlint GitHub Action (action.yml); also runnable locally with the same variables.
#
# Inputs (environment, set by action.yml from the action's inputs):
#   INPUT_PATHS       what to check (default `.`)            INPUT_STATE   org state (`--state`), may be empty
#   INPUT_CONFIG      `--config FILE`, may be empty           INPUT_FORMAT  log format (default `github`)
#   INPUT_FAIL_ON     `--fail-on LEVEL`, may be empty (then the config file's, else `error`)
#   INPUT_SARIF_FILE  where to write SARIF (unset: `cxlint.sarif`; empty: no SARIF)
#   INPUT_ARGS        further `cxlint check` options, split with shell-like quoting (never evaluated)
#   ACTION_CXLINT_BIN the binary (default: `cxlint` on PATH)
# Lists (paths, state): one item per line when the value has several lines (so an item may contain
# spaces), otherwise split on whitespace.
#
# Outputs ($GITHUB_OUTPUT): exit-code (0 clean, 1 findings at or above fail-on, 2 cxlint could not
# do the whole job), errors, warnings (empty when no report could be read), sarif-file (empty when
# none was written). This step itself always succeeds once the outputs are written, so that the
# caller can upload the SARIF report; the action's last step turns exit-code into the job's result.
#
# cxlint runs at most twice: once in the log format (annotations, and the job summary when
# $GITHUB_STEP_SUMMARY is set), once more for the SARIF file. The counts come from the annotations
# themselves with the `github` format; with any other log format one extra run writes JSON to count.
set -euo pipefail

bin="${ACTION_CXLINT_BIN:-cxlint}"
format="${INPUT_FORMAT:-github}"
sarif_file="${INPUT_SARIF_FILE-cxlint.sarif}"
temp="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/cxlint-run.XXXXXX")"
trap 'rm -rf "$temp"' EXIT

output() {
    if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
        printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"
    else
        printf '%s=%s\n' "$1" "$2"
    fi
}

# Report a failure of the action itself (not a finding) and record exit-code 2.
give_up() {
    echo "::error title=cxlint action::$*"
    output exit-code 2
    output errors ""
    output warnings ""
    output sarif-file ""
    exit 0
}

# Split $1 into the global array LIST (see the header for the rule). Written for bash 3.2 (macOS).
split_list() {
    LIST=()
    local text="$1" line
    if [[ "$text" == *$'\n'* ]]; then
        while IFS= read -r line || [[ -n "$line" ]]; do
            line="${line%$'\r'}"
            line="${line#"${line%%[![:space:]]*}"}"
            line="${line%"${line##*[![:space:]]}"}"
            if [[ -n "$line" ]]; then LIST+=("$line"); fi
        done <<<"$text"
    else
        # `read -a` splits on whitespace without glob expansion.
        read -r -a LIST <<<"$text" || true
    fi
}

# What to check.
split_list "${INPUT_PATHS:-.}"
paths=(${LIST[@]+"${LIST[@]}"})
[[ ${#paths[@]} -gt 0 ]] || paths=(.)

# Options shared by every run.
opts=(--color never)
split_list "${INPUT_STATE:-}"
for s in ${LIST[@]+"${LIST[@]}"}; do
    opts+=(--state "$s")
done
if [[ -n "${INPUT_CONFIG:-}" ]]; then opts+=(--config "$INPUT_CONFIG"); fi
if [[ -n "${INPUT_FAIL_ON:-}" ]]; then opts+=(--fail-on "$INPUT_FAIL_ON"); fi
if [[ -n "${INPUT_ARGS:-}" && -n "${INPUT_ARGS//[[:space:]]/}" ]]; then
    # xargs understands quotes and backslashes like a shell but never runs `$(...)` or expands
    # variables, so a value taken from an event payload cannot inject commands.
    printf '%s\n' "$INPUT_ARGS" | xargs printf '%s\0' >"$temp/args" 2>"$temp/args.err" ||
        give_up "cannot split the \`args\` input: $(cat "$temp/args.err")"
    while IFS= read -r -d '' a; do
        opts+=("$a")
    done <"$temp/args"
fi

command -v "$bin" >/dev/null 2>&1 || give_up "cxlint binary \`$bin\` not found"

# Where the SARIF file goes, made ready before any run: a place it cannot be written to is a
# mistake in the workflow, which `set -e` turned into a failed step with no outputs (`rm` on a
# directory), so the caller's upload step never ran and the job's result said nothing useful.
# An old file there is removed, so that a run that writes none does not leave it to be uploaded.
if [[ -n "$sarif_file" ]]; then
    if [[ -d "$sarif_file" ]]; then
        give_up "sarif-file \`$sarif_file\` is a directory: name a file, such as \`${sarif_file%/}/cxlint.sarif\`"
    fi
    sarif_dir="$(dirname -- "$sarif_file")"
    mkdir -p -- "$sarif_dir" 2>"$temp/sarif.err" ||
        give_up "cannot create the directory of sarif-file \`$sarif_file\`: $(cat "$temp/sarif.err")"
    rm -f -- "$sarif_file" 2>"$temp/sarif.err" ||
        give_up "cannot replace sarif-file \`$sarif_file\`: $(cat "$temp/sarif.err")"
    if [[ ! -w "$sarif_dir" ]]; then
        give_up "cannot write sarif-file \`$sarif_file\`: its directory is not writable"
    fi
fi

# One cxlint run: `check`, the shared options, the given ones, then the paths after `--` (so a
# path that starts with `-` is still a path).
run_cxlint() {
    "$bin" check "${opts[@]}" "$@" -- "${paths[@]}"
}

# Run 1: the log format, with the job summary.
echo "cxlint: checking ${paths[*]}"
code=0
run_cxlint --format "$format" --output - >"$temp/log.out" || code=$?
cat "$temp/log.out"

# A later run that cannot do its job (exit 2) makes the whole result 2; its error messages are
# shown only then, as the first run already printed the ones they share.
secondary() {
    local rc=0
    GITHUB_STEP_SUMMARY='' run_cxlint "$@" 2>"$temp/secondary.err" || rc=$?
    if [[ $rc -eq 2 && $code -ne 2 ]]; then
        cat "$temp/secondary.err" >&2
        code=2
    fi
    return 0
}

# Run 2: the SARIF file for code scanning (its place was made ready before run 1).
written_sarif=""
if [[ -n "$sarif_file" ]]; then
    secondary --format sarif --output "$sarif_file"
    if [[ -f "$sarif_file" ]]; then written_sarif="$sarif_file"; fi
fi

# The counts of errors and warnings.
count_lines() {
    grep -c "^$1" "$temp/log.out" || true
}
json_counts() {
    local file="$1" tool="${ACTION_CXLINT_JSON_TOOL:-}"
    if [[ -z "$tool" ]]; then
        if command -v jq >/dev/null 2>&1; then
            tool=jq
        elif command -v python3 >/dev/null 2>&1; then
            tool=python3
        else
            tool="grep"
        fi
    fi
    case "$tool" in
    jq) jq -r '"\(.summary.errors) \(.summary.warnings)"' "$file" ;;
    python3) python3 -c 'import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))["summary"]
print(s["errors"], s["warnings"])' "$file" ;;
    # The JSON is pretty-printed and `summary` comes before the diagnostics, which have no such
    # keys, so the first `"errors":` and `"warnings":` lines are the summary's.
    grep) printf '%s %s\n' \
        "$(sed -n 's/^[[:space:]]*"errors":[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$file" | head -n1)" \
        "$(sed -n 's/^[[:space:]]*"warnings":[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$file" | head -n1)" ;;
    *) echo "unknown ACTION_CXLINT_JSON_TOOL \`$tool\`" >&2 ;;
    esac
}

errors=""
warnings=""
if [[ "$format" == github ]]; then
    # One workflow command per finding: messages are escaped onto one line.
    errors="$(count_lines '::error ')"
    warnings="$(count_lines '::warning ')"
else
    secondary --format json --output "$temp/report.json"
    if [[ -s "$temp/report.json" ]]; then
        read -r errors warnings < <(json_counts "$temp/report.json" || true) || true
    fi
fi
[[ "$errors" =~ ^[0-9]+$ ]] || errors=""
[[ "$warnings" =~ ^[0-9]+$ ]] || warnings=""

echo "cxlint: ${errors:-?} error(s), ${warnings:-?} warning(s), exit code $code${written_sarif:+, SARIF in $written_sarif}"
output exit-code "$code"
output errors "$errors"
output warnings "$warnings"
output sarif-file "$written_sarif"
