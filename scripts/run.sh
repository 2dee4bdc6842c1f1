#!/usr/bin/env bash
# Builds everything and runs the product: the server with its SQLite database in data/ and the
# widget with the bundled Arboga map. Extra arguments go to the server (see --help).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
scripts/build.sh
mkdir -p data
exec target/release/trygghetskarta-server "$@"
