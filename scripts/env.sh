# Sourced by the other scripts: tools installed by scripts/setup.sh come first on PATH, so a
# system wasm-opt (Debian's binaryen 108 breaks the widget) is never picked up.
export PATH="$ROOT/scripts/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
