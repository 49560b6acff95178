# MIAFlow: `make demo` and `make test` are the two set-up commands (see README.md).
SWIFT ?= swift
RELEASE_BIN := .build/release
# One optimised build serves make demo, make bench and make test: testing enabled, so the test bundle links
# against the same modules (make test needs optimised workers for its 10,000-anvisning scale-out on 2 cores).
RELEASE_FLAGS := -c release -Xswiftc -enable-testing

.PHONY: all build release test lint demo demo-postgres bench scale-out clean deps

all: build

deps:
	@scripts/ensure-deps.sh build

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS)

## How many tests run at once (Swift Testing's parallelization width). Most tests wait (for a group join, a
## timeout, an outage of 60 s) far more than they compute, so a few at a time keep 2 cores busy; suites whose
## tests share something are .serialized.
TEST_WIDTH ?= 3

## make test: installs what is missing, builds in release mode with testing enabled, runs every test suite (the
## PostgreSQL scale-out of 10,000 anvisningar included) and the schema checks.
test:
	@scripts/ensure-deps.sh build test
	$(SWIFT) format lint --strict --recursive Sources Tests
	$(SWIFT) build $(RELEASE_FLAGS) --build-tests
	python3 Tests/schema-check/check_examples.py
	@# The tests' stores, process logs and spools go to a scratch TMPDIR that is removed afterwards (readable by
	@# the postgres user, which runs the servers some tests start in it).
	scratch=$$(mktemp -d /tmp/mia-make-test.XXXXXX) && chmod 755 "$$scratch" && \
	  TMPDIR=$$scratch SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=$(TEST_WIDTH) \
	  scripts/with-postgres.sh $(SWIFT) test $(RELEASE_FLAGS) --skip-build; \
	  status=$$?; rm -rf "$$scratch"; exit $$status

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
	@scripts/ensure-deps.sh bench
	$(RELEASE_BIN)/mia bench $(BENCH_ARGS)

## make scale-out: the PostgreSQL scale-out test on its own (3 bookers, 3 capacity, 2 stats, 2 notifiers, replicas
## killed and added; make test runs it too). SCALE_OUT_PARTICIPANTS=9400 (the default) gives 10,000 anvisningar.
SCALE_OUT_PARTICIPANTS ?= 9400
scale-out:
	@scripts/ensure-deps.sh build test
	$(SWIFT) build $(RELEASE_FLAGS) --build-tests
	MIA_SCALE_OUT_PARTICIPANTS=$(SCALE_OUT_PARTICIPANTS) scripts/with-postgres.sh $(SWIFT) test $(RELEASE_FLAGS) --skip-build --filter ScaleOutTests

clean:
	rm -rf .build demo-data demo-output bench-output bench-data
