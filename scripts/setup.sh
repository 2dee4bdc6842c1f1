#!/usr/bin/env bash
# Installs what the project needs on a fresh machine and skips what is already there at the
# right version. `scripts/setup.sh` is enough to build and run; `--test` adds the browsers and
# the end-to-end test packages; `--bench` adds the benchmarks' tools to those.
#
#   wasm32 target, rust-src  rustup (rust-src: the widget builds its own standard library)
#   trunk 0.21.14            cargo install (about 12 min the first time)
#   wasm-bindgen-cli         cargo install, exactly the wasm-bindgen version in Cargo.lock
#   wasm-opt (binaryen 132)  npm, in scripts/tools (Debian's binaryen 108 breaks the widget)
#   terser                   npm, in scripts/tools: minifies both pages' JS
#   wasm-split-cli 0.2.4     cargo install (wasm_split_cli_support): cuts the residents' wasm
#                            into parts loaded when opened (scripts/split-widget.py)
#   chromium, chromedriver   apt (--test)
#   gdal-bin (ogrinfo)       apt (--test): the export tests check that GDAL/QGIS read our files
#   nginx-light, caddy       apt (--test): the deploy/ site files are run and parsed for real
#   systemd-analyze, openssl apt (--test): the deploy/ units are checked; test certificates
#   poppler-utils            apt (--test): pdftotext reads the printed Lägesbild (e2e)
#   sqlite3                  apt (--test): the Lägesbild e2e dates its seeded pins back
#   aiosmtpd                 PyPI (--test): a real SMTP server for the mail tests
#   postgresql               apt (--test): the server's tests and benchmarks run a second time on
#                            a throwaway PostgreSQL cluster of their own (nothing is started here)
#   playwright-core          npm, in e2e (--test)
#   wrk                      apt (--bench): the load generator of `make bench-load`
#   leaflet, markercluster   npm, in bench (--bench): the comparison page of `make bench`
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=scripts/env.sh
source scripts/env.sh

want_test=false
want_bench=false
case "${1:-}" in
  --test) want_test=true ;;
  --bench) want_test=true; want_bench=true ;;
esac

say() { printf '==> %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The widget's wasm is built with its own standard library (cargo -Zbuild-std in
# scripts/build-widget.sh): rustup's rust-src, and the crates that library's Cargo.lock names,
# fetched here because the widget build runs offline. That manifest uses a cargo feature only
# nightly cargo reads, hence RUSTC_BOOTSTRAP (docs/PERFORMANCE.md, "Its own standard library").
if ! rustup component list --installed | grep -q '^rust-src'; then
  say "adding the rust-src component"
  rustup component add rust-src
fi
STD_LIBRARY="$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
if ! RUSTC_BOOTSTRAP=1 cargo fetch --locked --offline -q --manifest-path "$STD_LIBRARY" 2>/dev/null; then
  say "fetching the standard library's dependencies"
  RUSTC_BOOTSTRAP=1 cargo fetch --locked -q --manifest-path "$STD_LIBRARY"
fi

TRUNK_VERSION=0.21.14
if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (takes about 12 minutes once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

WASM_BINDGEN_VERSION="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$WASM_BINDGEN_VERSION" ]; then
  echo "error: wasm-bindgen not found in Cargo.lock" >&2
  exit 1
fi
if ! grep -q "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml; then
  echo "error: Trunk.toml [tools] wasm_bindgen must be \"$WASM_BINDGEN_VERSION\" (the Cargo.lock version)" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes about 4 minutes once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

WASM_SPLIT_VERSION=0.2.4
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:" \
  || ! command -v wasm-split-cli >/dev/null; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (takes about 3 minutes once)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked
fi

if ! "$ROOT/scripts/tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version 132" \
  || [ ! -f "$ROOT/scripts/tools/node_modules/terser/bin/terser" ]; then
  say "installing wasm-opt (binaryen 132) and terser from npm"
  npm ci --prefix scripts/tools --no-audit --no-fund
fi

if $want_test; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing chromium and chromedriver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q chromium chromium-driver
  fi
  if ! command -v ogrinfo >/dev/null; then
    say "installing gdal-bin (ogrinfo)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q gdal-bin
  fi
  missing=()
  command -v nginx >/dev/null || missing+=(nginx-light)
  command -v caddy >/dev/null || missing+=(caddy)
  command -v systemd-analyze >/dev/null || missing+=(systemd)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  command -v sqlite3 >/dev/null || missing+=(sqlite3)
  [ -x /usr/lib/postgresql/15/bin/initdb ] && command -v psql >/dev/null || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # Packages only: nothing is started at install (the tests start their own servers).
    own_policy=false
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
      own_policy=true
    fi
    apt-get install -y -q "${missing[@]}"
    if $own_policy; then rm -f /usr/sbin/policy-rc.d; fi
  fi
  if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    say "installing aiosmtpd (a local SMTP server for the mail tests)"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore aiosmtpd==1.4.6
  fi
  if [ ! -f e2e/node_modules/playwright-core/package.json ] \
    || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
    say "installing the end-to-end test packages"
    npm ci --prefix e2e --no-audit --no-fund
  fi
fi

if $want_bench; then
  if ! command -v wrk >/dev/null; then
    say "installing wrk (the load generator)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q wrk
  fi
  if [ ! -f bench/node_modules/leaflet.markercluster/package.json ] \
    || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
    say "installing the map benchmark's comparison packages"
    npm ci --prefix bench --no-audit --no-fund
  fi
fi
