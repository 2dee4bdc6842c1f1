#!/usr/bin/env python3
"""A/B of widget builds on the pan and zoom benchmark, in alternated runs.

Frame percentiles on this machine move by about ±30 % between runs, so one run of each build says
nothing. This runs `bench/profile.mjs` for every variant in turn, round after round (A B floor
A B floor …), and prints, per variant, the pan and zoom p95 of each run, their median, the p95 of
all its runs' frames together, and each run's longest main-thread task.

A variant is a saved `dist/` (copied into place before each of its runs) or `floor` (the floor
page, `bench/floor.html`). Save a build with `SERVER_PROFILE=release scripts/build-widget.sh &&
cp -r dist /tmp/dist-x`; the release server must have been built (`scripts/bench.sh` or
`cargo build --release -p trygghetskarta-server`). `BENCH_DRIVER=cdp` is passed on to every run.

    python3 bench/ab.py PINS ROUNDS VARIANT...
    python3 bench/ab.py 1000000 4 /tmp/dist-before /tmp/dist-after floor

It replaces `dist/` with each variant's: build the widget again afterwards.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GESTURES = ("pan", "zoom")


def p95(frames):
    """The 95th percentile as bench/lib.mjs's `percentile` takes it."""
    xs = sorted(frames)
    return xs[min(len(xs) - 1, int(0.95 * len(xs)))] if xs else float("nan")


def run(pins, variant):
    args = ["node", "bench/profile.mjs", str(pins)]
    if variant == "floor":
        args.append("floor")
    else:
        shutil.rmtree(os.path.join(ROOT, "dist"), ignore_errors=True)
        shutil.copytree(variant, os.path.join(ROOT, "dist"))
    env = dict(os.environ, SERVER_PROFILE="release")
    out = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    got = {}
    for g in GESTURES:
        m = re.search(rf"(?:ours|floor), {g}: \d+ frames, p50 [\d.]+ p95 ([\d.]+) ms\n  frames: (.*)", out)
        if not m:
            sys.exit(f"no {g} frames in profile.mjs's output:\n{out}")
        longest = re.search(rf"## {g}:.*?longest tasks:\n\s+([\d.]+) ms", out, re.S)
        got[g] = {
            "p95": float(m.group(1)),
            "frames": [float(x) for x in m.group(2).split()],
            "longest": float(longest.group(1)) if longest else float("nan"),
        }
    return got


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    pins, rounds, variants = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    results = {v: [] for v in variants}
    for r in range(rounds):
        for v in variants:
            got = run(pins, v)
            results[v].append(got)
            print(
                f"round {r + 1} {v}: "
                + ", ".join(f"{g} p95 {got[g]['p95']} (longest task {got[g]['longest']} ms)" for g in GESTURES),
                flush=True,
            )
    print(f"\n{pins} pins, {rounds} rounds, driver {os.environ.get('BENCH_DRIVER', 'playwright')}:")
    for v in variants:
        for g in GESTURES:
            runs = [x[g]["p95"] for x in results[v]]
            pooled = p95([f for x in results[v] for f in x[g]["frames"]])
            longest = [x[g]["longest"] for x in results[v]]
            print(
                f"  {v} {g}: p95 median {statistics.median(runs):.1f} {runs}, "
                f"all runs' frames {pooled:.1f}, longest tasks {longest}"
            )


if __name__ == "__main__":
    main()
