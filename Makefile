# Two entry points (see README): `make briefings` and `make test`.
# Each creates .venv, installs the pinned CPU torch first (an unpinned torch
# pulls gigabytes of CUDA packages), then this package.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
TORCH   = torch==2.13.0

.PHONY: install briefings test clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

briefings: install
	$(BIN)/briefing run

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) output/*.docx output/run-report.json
