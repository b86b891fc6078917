#!/usr/bin/env python3
"""Compare cxlint's JSON report on a generated corpus with the corpus's answer key.

usage: bench/check-answer-key.py CORPUS_DIR [--cxlint PATH] [--state] [--report FILE] [--quiet]

CORPUS_DIR is a directory written by bench/gen/gen_corpus.py (config/, answer-key.json). Unless
--report names an existing JSON report, cxlint is run as `cxlint check . --format json` with
config/ as the working directory (so report file names are relative to config/, like the key's),
plus `--state ../terraform.tfstate` with --state.

Passes (exit 0) when every expected finding is reported with the same rule at the expected file and
line (or at one of the entry's `also_accept` locations), and no other error or warning is reported.
Infos are ignored. Entries marked `needs_state` are required only with --state; without it they
may be reported or not. Exit 1 on any mismatch, 2 when cxlint could not be run or its output is not
the documented JSON.

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import defaultdict

COUNTED = ("error", "warning")


def norm(path: str, config_dir: str) -> str:
    """A report file name as a path relative to config/, with `/` separators."""
    if os.path.isabs(path):
        path = os.path.relpath(path, config_dir)
    path = os.path.normpath(path).replace(os.sep, "/")
    return path[2:] if path.startswith("./") else path


def run_cxlint(cxlint: str, config_dir: str, state: bool) -> dict:
    cmd = [cxlint, "check", ".", "--format", "json"]
    if state:
        cmd += ["--state", os.path.join("..", "terraform.tfstate")]
    try:
        proc = subprocess.run(cmd, cwd=config_dir, capture_output=True, text=True)
    except OSError as e:
        sys.exit(f"error: cannot run {cxlint}: {e}")
    # 0 = clean, 1 = findings; 2 = cxlint could not do the whole job (INTERFACE.md).
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr[-4000:])
        print(f"error: `{' '.join(cmd)}` exited {proc.returncode}", file=sys.stderr)
        sys.exit(2)
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        print(f"error: cxlint output is not JSON: {e}", file=sys.stderr)
        sys.exit(2)


def diagnostics(report: dict, config_dir: str) -> list:
    """(rule, severity, file, line, message) for every diagnostic with a source location."""
    out = []
    if not isinstance(report, dict) or not isinstance(report.get("diagnostics"), list):
        print("error: report has no `diagnostics` array", file=sys.stderr)
        sys.exit(2)
    for d in report["diagnostics"]:
        rng = d.get("range")
        if rng:
            out.append((d.get("rule"), d.get("severity"), norm(rng["filename"], config_dir), rng["start"]["line"], d.get("message", "")))
        else:
            out.append((d.get("rule"), d.get("severity"), None, None, d.get("message", "")))
    return out


def compare(key: list, diags: list, state: bool):
    """Match expected findings to diagnostics; return (per-rule table, missing, extra, optional)."""
    pool = defaultdict(list)  # (rule, file, line) -> indices of unmatched diagnostics
    for i, (rule, sev, f, line, _) in enumerate(diags):
        pool[(rule, f, line)].append(i)
    used = set()
    missing, optional_missing = [], []
    table = defaultdict(lambda: {"expected": 0, "found": 0, "missing": 0, "extra": 0, "optional": 0})
    # Primary locations first, so an alternative location never steals another entry's match.
    matched = [None] * len(key)
    for pass_alts in (False, True):
        for n, e in enumerate(key):
            if matched[n] is not None:
                continue
            locs = [(e["file"], e["line"])] if not pass_alts else [(a["file"], a["line"]) for a in e.get("also_accept", [])]
            for f, line in locs:
                free = [i for i in pool.get((e["rule"], f, line), []) if i not in used]
                if free:
                    used.add(free[0])
                    matched[n] = free[0]
                    break
    for n, e in enumerate(key):
        required = state or not e.get("needs_state")
        row = table[e["rule"]]
        if required:
            row["expected"] += 1
        else:
            row["optional"] += 1
        if matched[n] is not None:
            if required:
                row["found"] += 1
        elif required:
            row["missing"] += 1
            missing.append(e)
        else:
            optional_missing.append(e)
    extra = []
    for i, d in enumerate(diags):
        if i in used or d[1] not in COUNTED:
            continue
        table[d[0]]["extra"] += 1
        extra.append(d)
    return table, missing, extra, optional_missing


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Check cxlint's findings on a generated corpus against its answer key.")
    p.add_argument("corpus", help="a directory written by gen_corpus.py (config/, answer-key.json)")
    p.add_argument("--cxlint", default=os.environ.get("CXLINT", "target/release/cxlint"), help="cxlint binary (default: $CXLINT or target/release/cxlint)")
    p.add_argument("--state", action="store_true", help="pass --state ../terraform.tfstate; needs_state findings become required")
    p.add_argument("--report", help="use this existing JSON report instead of running cxlint")
    p.add_argument("--quiet", action="store_true", help="print only the summary line")
    a = p.parse_args(argv)

    config_dir = os.path.join(a.corpus, "config")
    key_path = os.path.join(a.corpus, "answer-key.json")
    if not os.path.isdir(config_dir) or not os.path.isfile(key_path):
        print(f"error: {a.corpus} is not a generated corpus (needs config/ and answer-key.json)", file=sys.stderr)
        return 2
    if a.state and not a.report and not os.path.isfile(os.path.join(a.corpus, "terraform.tfstate")):
        print(f"error: --state given but {a.corpus}/terraform.tfstate does not exist (generate with --state-mb)", file=sys.stderr)
        return 2
    with open(key_path, encoding="utf-8") as f:
        key = json.load(f)["findings"]
    if a.report:
        with open(a.report, encoding="utf-8") as f:
            report = json.load(f)
    else:
        cxlint = os.path.abspath(a.cxlint) if os.sep in a.cxlint else a.cxlint
        report = run_cxlint(cxlint, config_dir, a.state)
    diags = diagnostics(report, config_dir)
    table, missing, extra, optional_missing = compare(key, diags, a.state)
    infos = sum(1 for d in diags if d[1] not in COUNTED)

    if not a.quiet:
        print(f"{'rule':40} {'expected':>8} {'found':>6} {'missing':>7} {'extra':>6} {'optional':>8}")
        for rule in sorted(table):
            r = table[rule]
            print(f"{rule:40} {r['expected']:8} {r['found']:6} {r['missing']:7} {r['extra']:6} {r['optional']:8}")
        for e in missing[:25]:
            print(f"MISSING {e['rule']} at {e['file']}:{e['line']} ({e['note']})")
        for d in extra[:25]:
            print(f"EXTRA   {d[0]} [{d[1]}] at {d[2]}:{d[3]}: {d[4]}")
        if len(missing) > 25 or len(extra) > 25:
            print(f"... {len(missing)} missing and {len(extra)} extra in all")
    expected = sum(r["expected"] for r in table.values())
    found = sum(r["found"] for r in table.values())
    ok = not missing and not extra
    print(f"answer key: {found}/{expected} expected findings found, {len(missing)} missing, {len(extra)} extra "
          f"errors/warnings, {infos} infos ignored, {len(optional_missing)} state-only findings not reported"
          f"{'' if a.state else ' (run without --state)'}: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
