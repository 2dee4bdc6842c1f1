#!/usr/bin/env bash
# The export benchmark (docs/PERFORMANCE.md): time and peak memory of the release server
# exporting synthetic pins. Pass pin counts to override the default 10000 and 100000.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
scripts/setup.sh
cargo build --release -p trygghetskarta-server
cargo run --release -q -p trygghetskarta-server --example export_bench -- "$@"
