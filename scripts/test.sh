#!/usr/bin/env bash
# Every test: the import check, format, clippy, native tests, browser tests (wasm-bindgen-test
# in headless Chromium), the release build, and end-to-end tests against the real server.
# Installs what it needs first. Exits non-zero on the first failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
scripts/setup.sh --test

step() { printf '\n==> %s\n' "$*"; }

step "imports run one way (scripts/check-imports.py)"
python3 scripts/check-imports.py

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (widget for wasm32, all targets)"
cargo clippy -p trygghetskarta --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

# Always `--workspace`: a narrower selection (`-p`) unifies features differently and compiles
# every dependency a second time.
step "native tests (server on SQLite)"
cargo test --workspace --locked

step "server tests again on PostgreSQL (each test process starts its own throwaway cluster)"
TK_TEST_DB=postgres cargo test --workspace --locked --test server

step "browser tests (wasm-bindgen-test, headless Chromium)"
cargo test -p trygghetskarta --target wasm32-unknown-unknown --test web --locked

step "release build of the widget (residents and staff bundles)"
scripts/build-widget.sh

step "end-to-end tests (playwright-core, headless Chromium, real server)"
cargo build --workspace --locked --bin trygghetskarta-server
(cd e2e && node --test --test-concurrency=1 tests/)

printf '\nall tests passed\n'
