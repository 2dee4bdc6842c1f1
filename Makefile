# The two commands a newcomer needs: `make run` and `make test`. Both install missing tools first.
# `make check` is the fast inner loop while working (fmt, clippy, native tests, import check).
.PHONY: run test check build setup bench bench-tiles bench-export bench-load

run:
	scripts/run.sh

test:
	scripts/test.sh

check:
	scripts/check.sh

build:
	scripts/build.sh

setup:
	scripts/setup.sh --test

bench:
	scripts/bench.sh

bench-tiles:
	scripts/bench-tiles.sh

bench-export:
	scripts/bench-export.sh

bench-load:
	scripts/bench-load.sh
