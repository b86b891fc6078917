#!/usr/bin/env python3
"""Write the link order of cxlint's binary: the functions a check runs, first.

Runs a release build of cxlint under valgrind's callgrind on the repository's own fixtures (the
demo in every output format, every testdata project and rule fixture, the demo against every kind
of state) and on a 2 MB configuration and state from the benchmark's generator (its own seed),
collects every function of the binary that ran, and writes their symbol names, in the order they
first ran, to tools/symbol-order/order.txt. build.rs hands that file to the linker
(`--symbol-ordering-file`), which lays those functions out together: the code a check runs then
sits on a quarter of the pages it was spread over. See tools/symbol-order/README.md.

usage: tools/symbol-order/gen.py [--binary target/release/cxlint] [--out tools/symbol-order/order.txt]
Requires valgrind and binutils' nm (Debian packages `valgrind`, `binutils`); standard library only.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORMATS = ["human", "json", "sarif", "compact", "github", "junit", "checkstyle", "gitlab", "rdjson"]


def commands(generated):
    """Every cxlint invocation to trace, as argument lists (run from the repository root).
    `generated` is a configuration written by the benchmark's generator (with a seed and size of
    its own, not the benchmark's): larger than any fixture, it takes the paths a large input
    takes (the parallel directory walk, a state read resource by resource)."""
    out = [["check", "testdata/demo", "--format", f, "--color", "always"] for f in FORMATS]
    out.append(["check", "testdata/demo", "--color", "never"])
    for group in ["projects", "rules"]:
        for d in sorted((ROOT / "testdata" / group).iterdir()):
            if d.is_dir():
                out.append(["check", str(d.relative_to(ROOT)), "--format", "json"])
    for state in ["export", "plan.json", "v3.tfstate", "v4.tfstate", "v4-attributes-flat.tfstate"]:
        out.append(["check", "testdata/demo", "--state", f"testdata/state/{state}"])
    config, state = str(generated / "config"), str(generated / "terraform.tfstate")
    out.append(["check", config, "--format", "json"])
    out.append(["check", config, "--state", state, "--format", "sarif"])
    return out


def executed(callgrind_file, binary):
    """Symbol names of the functions of `binary` that ran, in the order callgrind lists them."""
    names, obj = [], None
    with open(callgrind_file, errors="replace") as f:
        for line in f:
            if line.startswith("ob="):
                obj = line[3:].strip()
            elif line.startswith("fn=") and obj == binary:
                # Recursion levels are listed as `name'2`: the same function.
                names.append(re.sub(r"'\d+$", "", line[3:].strip()))
    return names


def symbols(binary):
    """Names of the binary's function symbols."""
    nm = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True)
    return {p[2] for p in (l.split() for l in nm.stdout.splitlines()) if len(p) == 3 and p[1] in "tTwW"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=str(ROOT / "target/release/cxlint"))
    ap.add_argument("--out", default=str(ROOT / "tools/symbol-order/order.txt"))
    args = ap.parse_args()
    binary = os.path.realpath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"error: {binary} is not an executable (cargo build --release first)")
    known = symbols(binary)
    order, seen = [], set()
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "generated"
        subprocess.run(
            [sys.executable, str(ROOT / "bench/gen/gen_corpus.py"), "--out", str(generated),
             "--size-mb", "2", "--state-mb", "1", "--seed", "20261206"],
            check=True, stdout=subprocess.DEVNULL,
        )
        for i, cmd in enumerate(commands(generated)):
            out = os.path.join(tmp, f"cg.{i}")
            subprocess.run(
                ["valgrind", "--tool=callgrind", "--demangle=no", "--compress-strings=no",
                 "--compress-pos=no", f"--callgrind-out-file={out}", binary, *cmd],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**os.environ, "NO_COLOR": "1"} if "--color" not in cmd else os.environ,
            )
            if not os.path.exists(out):
                sys.exit(f"error: valgrind wrote nothing for `cxlint {' '.join(cmd)}` (is valgrind installed?)")
            for name in executed(out, binary):
                if name in known and name not in seen:
                    seen.add(name)
                    order.append(name)
    Path(args.out).write_text("".join(n + "\n" for n in order))
    print(f"{len(order)} functions of {len(known)} written to {os.path.relpath(args.out)}")


if __name__ == "__main__":
    main()
