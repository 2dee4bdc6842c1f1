#!/usr/bin/env bash
# Builds the two widget bundles with Trunk (release, offline): the residents' widget into dist/
# and the staff view into dist/personal/ (served at /personal), so residents never download
# the staff code. The residents' wasm is split into its first screen and the parts loaded when
# opened (Trunk's post_build hook scripts/split-widget.py, see Trunk.toml). Expects the tools
# from scripts/setup.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
# Leptos's type-erased components: a smaller wasm (306.6 → 293.0 KB gzip measured 2026-11-27,
# docs/PERFORMANCE.md); the end-to-end tests run against exactly this build.
# --emit-relocs lets wasm-split cut the residents' wasm into parts (docs/PERFORMANCE.md); both
# bundles get the same flags so cargo shares one build of the dependencies.
#
# The wasm is built with its own copy of the standard library, made for size like the rest of it
# (cargo -Zbuild-std, the rust-src that scripts/setup.sh adds): a panic is an immediate trap
# (`panic=immediate-abort`, so no panic messages and none of the formatting they pull in), no
# source locations and no `Debug` output are compiled in, and core and alloc choose their small
# algorithms. The first screen's module is 26 KB (Brotli) smaller for it, 248 → 222 KB
# (docs/PERFORMANCE.md, "Its own standard library"). These are unstable flags of the stable
# compiler, allowed by RUSTC_BOOTSTRAP for these two commands only; a debug build
# (`trunk serve`) keeps panic messages.
SERVER_RUSTFLAGS="${RUSTFLAGS:-}"
export RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components -Clink-args=--emit-relocs"
OWN_STD=(
  env RUSTC_BOOTSTRAP=1
  CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  RUSTFLAGS="$RUSTFLAGS -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"
)
"${OWN_STD[@]}" trunk build --release --offline=true index.html
"${OWN_STD[@]}" trunk build --release --offline=true staff.html --dist dist/personal --public-url /personal/
# Brotli 11 and gzip 9 beside every file, served as they are (docs/PERFORMANCE.md). The server
# binary does it (with the server's own flags, so no second build of its dependencies); the
# release profile when building for production or benchmarks (SERVER_PROFILE=release).
RUSTFLAGS="$SERVER_RUSTFLAGS" cargo run -q --locked -p trygghetskarta-server \
  --profile "${SERVER_PROFILE:-dev}" -- precompress dist
