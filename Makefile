# MIAFlow: `make demo` and `make test` are the two set-up commands (see README.md).
SWIFT ?= swift
RELEASE_BIN := .build/release

.PHONY: all build release test lint demo demo-postgres bench scale-out clean deps

all: build

deps:
	@scripts/ensure-deps.sh build

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## make test: installs what is missing, builds, runs every test suite and the schema checks.
test:
	@scripts/ensure-deps.sh build test
	$(SWIFT) format lint --strict --recursive Sources Tests
	$(SWIFT) build --build-tests
	python3 Tests/schema-check/check_examples.py
	scripts/with-postgres.sh $(SWIFT) test --skip-build --no-parallel

## make lint: the code style of .swift-format (make test checks it too).
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests

## make demo: installs what is missing, builds in release mode, runs the end-to-end scenario (`mia demo`).
## DEMO_ARGS passes options, e.g. make demo DEMO_ARGS="--participants 500 --keep-running".
demo: release
	$(RELEASE_BIN)/mia demo $(DEMO_ARGS)

## make demo-postgres: the same demo with every worker's store in a throwaway PostgreSQL server.
demo-postgres: release
	scripts/with-postgres.sh sh -c '$(RELEASE_BIN)/mia demo --database "$$MIA_TEST_POSTGRES_URL" $(DEMO_ARGS)'

## make bench: builds in release mode, then measures throughput, latency and memory next to raw librdkafka
## (kcat) on the development broker and prints a table (also bench-output/results.json). BENCH_ARGS passes
## options, e.g. make bench BENCH_ARGS=--quick.
bench: release
	$(RELEASE_BIN)/mia bench $(BENCH_ARGS)

## make scale-out: the PostgreSQL scale-out test on its own (3 bookers, 3 capacity, 2 stats, 2 notifiers, replicas
## killed and added). SCALE_OUT_PARTICIPANTS=9400 gives 10,000 anvisningar.
SCALE_OUT_PARTICIPANTS ?= 1900
scale-out:
	@scripts/ensure-deps.sh build test
	$(SWIFT) build --build-tests
	MIA_SCALE_OUT_PARTICIPANTS=$(SCALE_OUT_PARTICIPANTS) scripts/with-postgres.sh $(SWIFT) test --skip-build --filter ScaleOutTests

clean:
	rm -rf .build demo-data demo-output bench-output bench-data
