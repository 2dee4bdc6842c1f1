# The two commands a newcomer needs: `make run` and `make test`. Both install missing tools first.
.PHONY: run test build setup bench bench-export bench-load

run:
	scripts/run.sh

test:
	scripts/test.sh

build:
	scripts/build.sh

setup:
	scripts/setup.sh --test

bench:
	scripts/bench.sh

bench-export:
	scripts/bench-export.sh

bench-load:
	scripts/bench-load.sh
