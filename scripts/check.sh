#!/usr/bin/env bash
# The fast inner loop (`make check`): the import check, format, clippy for both targets, and the
# native tests that need nothing installed — the widget's and the shared crate's, and the
# server's unit tests. A few minutes; no root, no browser. `make test` runs everything, including
# the server's tests against the real binary, the browser tests and the end-to-end tests.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source scripts/env.sh

step() { printf '\n==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

step "imports run one way (scripts/check-imports.py)"
python3 scripts/check-imports.py

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (widget for wasm32, all targets)"
cargo clippy -p trygghetskarta --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

step "native tests (widget, shared, server unit tests)"
cargo test --workspace --locked --lib --test native

printf '\ncheck passed (make test runs the rest)\n'
