# MSKG — the two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
MSKG   := $(BIN)/mskg
STAMP  := $(VENV)/.installed

.PHONY: help run test install lint typecheck imports pytest bench neo4j-start neo4j-stop clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(STAMP)  ## Create .venv and install MSKG with its test tools

run: install  ## Set up everything, start Neo4j (unless NEO4J_URI is set), load the seed, serve on 127.0.0.1:8000
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

pytest: install  ## The test suite against a real Neo4j
	$(BIN)/pytest

test: lint typecheck imports pytest  ## Everything CI runs

SCALE ?= 200000
bench: install  ## Benchmark (not part of test): import rate and GraphQL latency at seed size and SCALE standards
	$(BIN)/python -m bench.run --scale $(SCALE)

neo4j-start: install  ## Start the local Neo4j server
	$(MSKG) neo4j start

neo4j-stop: install  ## Stop the local Neo4j server
	$(MSKG) neo4j stop

clean:  ## Remove the venv and caches (keeps .mskg data)
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache *.egg-info
