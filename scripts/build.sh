#!/usr/bin/env bash
# Builds the widget (release, into dist/) and the server (release).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
scripts/setup.sh
echo "==> building the widget (scripts/build-widget.sh: trunk build --release --offline)"
SERVER_PROFILE=release scripts/build-widget.sh
echo "==> building the server"
cargo build --release -p trygghetskarta-server
