# MSKG — the two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
MSKG   := $(BIN)/mskg
# API processes of `make run` (one per core; `make run WORKERS=1` for one).
WORKERS ?= $(shell nproc 2>/dev/null || echo 1)
STAMP  := $(VENV)/.installed
VENDOR := api/web/static/vendor
ASSETS := $(VENDOR)/.copied
NODE   := web/node_modules
PEER   := bench/peer/node_modules/.installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: help run test install assets browser lint typecheck imports pytest bench bench-peer bench-catalogues bench-pages fuzz neo4j-start neo4j-stop sparql-start sparql-stop clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# setuptools' note on editable installs ("folders … with the same name as your package")
	# is the only output of a clean install otherwise; it reads like a fault and is none.
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(STAMP) assets  ## Create .venv and install MSKG with its test tools and the web assets

# The web workspace's scripts, styles and CJK font come from npm (web/package-lock.json) and are served
# from api/web/static/vendor, so pages work offline and nothing is loaded from a CDN.
$(ASSETS): web/package.json web/package-lock.json web/copy-assets.sh
	cd web && npm ci --no-audit --no-fund
	bash web/copy-assets.sh "$(CURDIR)/$(VENDOR)"
	@touch $@

assets: $(ASSETS)  ## npm ci in web/ and copy the vendored scripts and styles

# Browser tests drive Debian's Chromium (a browser download does not work offline).
browser:  ## Install chromium and chromium-driver with apt-get when /usr/bin/chromium is missing
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update && $$SUDO apt-get install -y chromium chromium-driver; \
	fi

run: install assets  ## Set up everything, start Neo4j and Fuseki (unless NEO4J_URI / MSKG_SPARQL_URL are set), load the seed, serve on 127.0.0.1:8000 with WORKERS processes (default: one per core)
	@if [ -z "$$NEO4J_URI" ]; then $(MSKG) neo4j start; fi
	@if [ -z "$$MSKG_SPARQL_URL" ]; then $(MSKG) sparql start; fi
	$(MSKG) load seed
	@echo "Serving http://127.0.0.1:8000/ — Ctrl-C stops the API; Neo4j and Fuseki keep running (and keep the data) until 'make neo4j-stop sparql-stop'."
	$(MSKG) serve --workers $(WORKERS)

lint: install  ## ruff (lint and format check)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install  ## mypy --strict
	$(BIN)/mypy .

imports: install  ## import-linter: ontology <- graph <- {api, loaders} <- CLI
	$(BIN)/lint-imports

pytest: install assets browser  ## The test suite against a real Neo4j
	$(BIN)/pytest

test: lint typecheck imports pytest  ## Everything CI runs

SCALE ?= 200000
bench: install bench-peer  ## Benchmarks (not part of test): bench-peer, then import rate and GraphQL latency at SCALE standards
	$(BIN)/python -m bench.run --scale $(SCALE)

CASES ?= 10000
fuzz: install  ## Fuzz run (not part of test): CASES generated requests, GraphQL/OpenAPI/raw, anonymous and editor
	$(BIN)/python -m bench.fuzz --cases $(CASES)

# The peer MSKG is measured against: the Neo4j GraphQL Library, pinned by bench/peer/package-lock.json.
$(PEER): bench/peer/package.json bench/peer/package-lock.json
	cd bench/peer && npm ci --no-audit --no-fund
	@touch $@

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $@

PEER_SCALE ?= 20000
PEER_ARGS ?=
bench-peer: $(BENCH_STAMP) $(PEER)  ## MSKG vs the Neo4j GraphQL Library vs the raw driver, same Neo4j and data (PEER_SCALE, PEER_ARGS)
	$(BIN)/python -m bench.peer_bench --scale $(PEER_SCALE) $(PEER_ARGS)

CATALOGUES ?= ../shared/catalogues
bench-catalogues: install  ## Benchmark (not part of test): the ISO, IEC, ITU and IEEE Relaton archives in CATALOGUES into an empty Neo4j
	$(BIN)/python -m bench.catalogues --catalogues $(CATALOGUES)

bench-pages: install  ## Benchmark (not part of test): every workspace page on the graph bench-catalogues loaded (or NEO4J_URI), p50/p95/p99
	$(BIN)/python -m bench.pages $(PAGES_ARGS)

neo4j-start: install  ## Start the local Neo4j server
	$(MSKG) neo4j start

neo4j-stop: install  ## Stop the local Neo4j server
	$(MSKG) neo4j stop

sparql-start: install  ## Start the local Fuseki server (the SPARQL store)
	$(MSKG) sparql start

sparql-stop: install  ## Stop the local Fuseki server
	$(MSKG) sparql stop

clean:  ## Remove the venv and caches (keeps .mskg data)
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache *.egg-info $(NODE) $(VENDOR) bench/peer/node_modules
