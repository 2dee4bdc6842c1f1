#!/usr/bin/env bash
# The map benchmark (docs/PERFORMANCE.md): our widget vs Leaflet + markercluster on the same
# synthetic pins, in headless Chromium with 4x CPU throttling and a phone network profile. Pass
# pin counts to override the default 1000, 10000, 100000 and 1000000. First, the bytes a phone
# transfers for the first screen (bench/first-load.mjs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
scripts/setup.sh --bench
SERVER_PROFILE=release scripts/build-widget.sh
cargo build --release -p trygghetskarta-server --bin trygghetskarta-server --example seed_pins
SERVER_PROFILE=release node bench/first-load.mjs
SERVER_PROFILE=release node bench/map-bench.mjs "$@"
