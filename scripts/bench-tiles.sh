#!/usr/bin/env bash
# The pin tile benchmark (docs/PERFORMANCE.md): the release server answering
# /api/pins/tiles/{z}/{x}/{y} with 1000 to 1000000 stored pins (cold and warm answers, memory,
# bytes per marker, how soon a new pin shows). Pass pin counts to override the defaults.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
cargo build --release -p trygghetskarta-server --bin trygghetskarta-server
cargo run --release -q -p trygghetskarta-server --example tiles_bench -- "$@"
