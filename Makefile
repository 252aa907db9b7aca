# Two entry points (see README): `make briefings` and `make test`.
# Each creates .venv, installs the pinned CPU torch first (an unpinned torch
# pulls gigabytes of CUDA packages), then this package, every package pinned to
# the version in constraints.txt: what CI tested is what a fresh machine gets.
#
# `make lock` refreshes constraints.txt (run it when pyproject.toml changes, and
# now and then for new releases; commit the result after `make test` passes):
# it installs the package with its test and ray extras into a fresh venv and
# writes `pip freeze` of it.  torch is left out: it stays pinned here ($(TORCH)),
# and its own dependencies are in the lock.
# KEEP_PIP=1 installs with the pip that `python3 -m venv` bundles (Python 3.11: 23.2),
# as CI does once (.ci/run) to show an old pip installs the same packages.
PYTHON    ?= python3
VENV      ?= .venv
BIN        = $(VENV)/bin
TORCH      = torch==2.13.0
LOCK       = constraints.txt
LOCK_VENV ?= /tmp/briefing-lock.venv

.PHONY: install install-test briefings test lock clean

install: $(VENV)/.installed

# The tests also need the optional Ray engine (its equality test runs a local cluster).
install-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
ifndef KEEP_PIP
	$(BIN)/pip install --quiet --upgrade pip
endif
	$(BIN)/pip install --quiet -c $(LOCK) $(TORCH)
	$(BIN)/pip install --quiet -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[test,ray]'
	touch $@

# make briefings MODEL=DIR: translate with a local MarianMT model directory (default: the hub's opus-mt-zh-en)
briefings: install
	$(BIN)/briefing run $(if $(MODEL),--model '$(MODEL)')

test: install-test
	$(BIN)/python -m pytest

# Resolves from scratch (the newest releases pyproject.toml allows), so the lock
# says exactly what one fresh install got; writes it atomically.
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/pip install --quiet $(TORCH)
	$(LOCK_VENV)/bin/pip install --quiet -e '.[test,ray]'
	{ echo "# Exact versions for pip install -c $(LOCK): written by \`make lock\` (see Makefile)."; \
	  echo "# $$($(LOCK_VENV)/bin/python --version), $$(uname -m); torch is pinned in the Makefile."; \
	  $(LOCK_VENV)/bin/pip freeze --exclude-editable | grep -v -i '^torch=='; } > $(LOCK).tmp
	mv $(LOCK).tmp $(LOCK)
	rm -rf $(LOCK_VENV)

clean:
	rm -rf $(VENV) output/*.docx output/run-report.json
