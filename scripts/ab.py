#!/usr/bin/env python3
"""Compare two tieaudit binaries on the same export, in alternating runs.

Runs `BIN audit EXPORT --out TMP --quiet [ARGS...]` for A and B in turn,
PAIRS times (A first in odd pairs, B first in even ones), so a machine that
drifts moves both. Each run is timed from spawn to exit; CPU time and peak
resident memory come from the kernel (wait4), and the 2 MiB pages the run
faulted in from /proc/vmstat (thp_fault_alloc, before and after; the count
is machine-wide, so run nothing else meanwhile). Prints the medians of each
binary, then B/A for wall and CPU time: the median of the pairs' ratios,
and their mean with its standard error. A difference within two standard
errors is noise.

usage: scripts/ab.py PAIRS BIN_A BIN_B [ARGS...]
environment: EXPORT (default: the large folder export of scripts/bench.sh),
             PAUSE (seconds to wait before each run, default 0). The
             outputs go to a temporary folder, emptied before each run.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def huge_faults():
    try:
        with open("/proc/vmstat") as f:
            for line in f:
                if line.startswith("thp_fault_alloc "):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(binary, export, out, args, pause):
    shutil.rmtree(out, ignore_errors=True)
    if pause:
        time.sleep(pause)
    faults = huge_faults()
    start = time.perf_counter()
    try:
        p = subprocess.Popen(
            [binary, "audit", export, "--out", out, "--quiet", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError as e:
        sys.exit(f"cannot run {binary}: {e}")
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{binary} exited with status {status >> 8}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "huge": huge_faults() - faults,
        "rss": usage.ru_maxrss / 1024,
    }


def summary(name, runs):
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(
        f"{name}: wall {med['wall'] * 1000:.0f} ms, cpu {med['cpu'] * 1000:.0f} ms, "
        f"2 MiB faults {med['huge']:.0f}, peak {med['rss']:.0f} MB"
    )


def ratio(name, a, b, key):
    r = [y[key] / x[key] for x, y in zip(a, b)]
    line = f"B/A {name}: median {statistics.median(r):.3f}, mean {statistics.mean(r):.3f}"
    if len(r) > 1:
        line += f" ± {statistics.stdev(r) / len(r) ** 0.5:.3f}"
    print(line)


def main():
    p = argparse.ArgumentParser(
        description="Alternating runs of two tieaudit binaries on one export."
    )
    p.add_argument("pairs", type=int)
    p.add_argument("a", metavar="BIN_A")
    p.add_argument("b", metavar="BIN_B")
    p.add_argument("args", nargs=argparse.REMAINDER, help="more audit arguments")
    o = p.parse_args()
    if o.pairs < 1:
        p.error("PAIRS must be at least 1")
    work = os.environ.get("WORK", os.path.join(tempfile.gettempdir(), "tieaudit-bench"))
    export = os.environ.get("EXPORT", os.path.join(work, "large"))
    if not os.path.isdir(export) and not os.path.isfile(export):
        sys.exit(f"no export at {export}: run scripts/bench.sh first, or set EXPORT")
    pause = float(os.environ.get("PAUSE", "0"))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out")
        a, b = [], []
        for i in range(o.pairs):
            order = [(o.a, a), (o.b, b)] if i % 2 == 0 else [(o.b, b), (o.a, a)]
            for binary, runs in order:
                runs.append(run(binary, export, out, o.args, pause))
    summary("A", a)
    summary("B", b)
    ratio("wall", a, b, "wall")
    ratio("cpu", a, b, "cpu")


if __name__ == "__main__":
    main()
