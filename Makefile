# MSKG — the two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
MSKG   := $(BIN)/mskg
STAMP  := $(VENV)/.installed
VENDOR := api/web/static/vendor
ASSETS := $(VENDOR)/.copied
NODE   := web/node_modules

.PHONY: help run test install assets browser lint typecheck imports pytest bench bench-catalogues neo4j-start neo4j-stop clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
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

run: install assets  ## Set up everything, start Neo4j (unless NEO4J_URI is set), load the seed, serve on 127.0.0.1:8000
	@if [ -z "$$NEO4J_URI" ]; then $(MSKG) neo4j start; fi
	$(MSKG) load seed
	$(MSKG) serve

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
bench: install  ## Benchmark (not part of test): import rate and GraphQL latency at seed size and SCALE standards
	$(BIN)/python -m bench.run --scale $(SCALE)

CATALOGUES ?= ../shared/catalogues
bench-catalogues: install  ## Benchmark (not part of test): the ISO, IEC, ITU and IEEE Relaton archives in CATALOGUES into an empty Neo4j
	$(BIN)/python -m bench.catalogues --catalogues $(CATALOGUES)

neo4j-start: install  ## Start the local Neo4j server
	$(MSKG) neo4j start

neo4j-stop: install  ## Stop the local Neo4j server
	$(MSKG) neo4j stop

clean:  ## Remove the venv and caches (keeps .mskg data)
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache *.egg-info $(NODE) $(VENDOR)
