# Two entry points (see README): `make briefings` and `make test`.
# Each creates .venv, installs the pinned CPU torch first (an unpinned torch
# pulls gigabytes of CUDA packages), then this package.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
TORCH   = torch==2.13.0

.PHONY: install install-test briefings test clean

install: $(VENV)/.installed

# The tests also need the optional Ray engine (its equality test runs a local cluster).
install-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test,ray]'
	touch $@

briefings: install
	$(BIN)/briefing run

test: install-test
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) output/*.docx output/run-report.json
