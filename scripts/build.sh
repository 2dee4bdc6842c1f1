#!/usr/bin/env bash
# Builds the widget (release, into dist/) and the server (release).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
scripts/setup.sh
echo "==> building the widget (trunk build --release --offline)"
trunk build --release --offline
echo "==> building the server"
cargo build --release -p trygghetskarta-server
