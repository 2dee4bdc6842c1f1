#!/usr/bin/env bash
# The map benchmark (docs/PERFORMANCE.md): our widget vs Leaflet + markercluster on the same
# synthetic pins, in headless Chromium with 4x CPU throttling and a phone network profile. Pass
# pin counts to override the default 1000, 10000, 100000 and 1000000.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
scripts/setup.sh --test
if [ ! -f bench/node_modules/leaflet.markercluster/package.json ]; then
  npm ci --prefix bench --no-audit --no-fund
fi
SERVER_PROFILE=release scripts/build-widget.sh
cargo build --release -p trygghetskarta-server --bin trygghetskarta-server --example seed_pins
SERVER_PROFILE=release node bench/map-bench.mjs "$@"
