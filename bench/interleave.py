#!/usr/bin/env python3
"""Time commands side by side: each round runs every command once, in an order that rotates
from round to round, and the medians of the rounds are compared.

hyperfine runs one command's repetitions in a row, so a slow spell of a shared machine (another
tenant, the kernel reclaiming memory) lands on whichever command is running then, and a ratio of
two hyperfine medians can be off by 40% on this kind of machine. Interleaved, a slow spell slows
the commands of the same rounds alike, and the ratio of the medians, and the median of the
per-round ratios, hold.

usage: bench/interleave.py ROUNDS OUT.json NAME=COMMAND [NAME=COMMAND...]

Each COMMAND is split on white space (no shell) and run with its output discarded; an exit code
above 1 (1 means findings) stops the run. Writes, per command, every wall time and the median,
and for every command after the first, the median of the first's per-round ratio to it
(`check_over_hcledit`).
"""

import json
import statistics
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 4:
        print(next(l for l in __doc__.splitlines() if l.startswith("usage:")), file=sys.stderr)
        return 2
    rounds, out = int(sys.argv[1]), sys.argv[2]
    cmds = [arg.split("=", 1) for arg in sys.argv[3:]]
    times = {name: [] for name, _ in cmds}
    # One warm-up round: the page cache and the binaries' pages.
    for r in range(-1, rounds):
        order = cmds[r % len(cmds):] + cmds[:r % len(cmds)] if r >= 0 else cmds
        for name, cmd in order:
            start = time.perf_counter()
            done = subprocess.run(cmd.split(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            took = time.perf_counter() - start
            if done.returncode > 1:
                print(f"error: `{cmd}` exited {done.returncode}", file=sys.stderr)
                return 2
            if r >= 0:
                times[name].append(took)
    first = cmds[0][0]
    result = {}
    for name, cmd in cmds:
        t = times[name]
        entry = {"command": cmd, "times_s": t, "median_s": statistics.median(t)}
        if name != first:
            entry[f"{first}_over_{name}"] = statistics.median(
                a / b for a, b in zip(times[first], t)
            )
        result[name] = entry
    json.dump(result, open(out, "w"), indent=2)
    for name, e in result.items():
        extra = "".join(f", {k} {v:.2f}" for k, v in e.items() if "_over_" in k)
        print(f"{name}: median {e['median_s'] * 1000:.1f} ms over {rounds} rounds{extra}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
