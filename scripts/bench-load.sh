#!/usr/bin/env bash
# The load benchmark (docs/PERFORMANCE.md): new pins, agrees on one hot pin and the public pin
# list against the release server, with wrk on the same machine. BENCH_SECONDS and
# BENCH_CONNECTIONS change the run (defaults 10 s, 32 connections).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
scripts/setup.sh --bench
cargo build --release -p trygghetskarta-server
cargo run --release -q -p trygghetskarta-server --example load_bench
