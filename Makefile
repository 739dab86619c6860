# Override both to test on another interpreter: make test PYTHON=python3.13 VENV=.venv-3.13
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: test check sdist sdist-test demo bench bench-quick bench-e2e bench-scale clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# editable_mode=compat: a .pth file puts the checkout on sys.path, where type checkers (and new
# modules) are seen; setuptools' default editable install is an import hook mypy cannot follow.
# setuptools calls compat transitional: should it go, editable_mode=strict (reinstall to see a new
# module) is the replacement.
EDITABLE := --config-settings editable_mode=compat

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet $(EDITABLE) -e '.[test,check]'
	touch $@

test: $(VENV)/.installed
	$(BIN)/python -m coverage erase
	$(BIN)/python -m coverage run -m pytest $(PYTEST_ARGS)
	$(BIN)/python -m coverage combine --quiet
	$(BIN)/python -m coverage report

# Formatting, lint and types: ruff and mypy --strict, configured in pyproject.toml.
check: $(VENV)/.installed
	$(BIN)/python -m ruff format --check .
	$(BIN)/python -m ruff check .
	$(BIN)/python -m mypy --strict viewpick

# The source distribution, in dist/, built by setuptools' own backend (no build front end needed).
sdist: | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'setuptools>=77'
	rm -rf dist
	$(BIN)/python -c 'from setuptools import build_meta; build_meta.build_sdist("dist")'

# The sdist as a user gets it: unpacked in a temporary directory, installed from itself (not
# editable) into a virtualenv of its own, and its whole test suite run there (with the check
# extra, so mypy checks a user's file against the installed wheel: py.typed included).
sdist-test: sdist
	set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	tar -xzf dist/viewpick-*.tar.gz -C "$$tmp"; cd "$$tmp"/viewpick-*; \
	$(PYTHON) -m venv .venv; .venv/bin/python -m pip install --quiet '.[test,check]'; \
	.venv/bin/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# The film catalogue on http://127.0.0.1:8080/, restarted when its code or templates change;
# make demo HOST=0.0.0.0 PORT=8081 serves it elsewhere, ARGS are passed on (--setting films.db=...).
HOST ?= 127.0.0.1
PORT ?= 8080
demo: $(VENV)/.installed
	$(BIN)/viewpick serve demo.films:main --reload --host $(HOST) --port $(PORT) $(ARGS)

$(VENV)/.bench-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet $(EDITABLE) -e '.[test,bench]'
	touch $@

# The side-by-side benchmark (bench/README.md); ARGS are passed on, e.g. ARGS=--quick.
bench: $(VENV)/.bench-installed
	$(BIN)/python -m bench $(ARGS)

# Every contender's answers checked, nothing timed for real: what CI runs.
bench-quick: $(VENV)/.bench-installed
	$(BIN)/python -m bench --quick

# Every contender under gunicorn and waitress on 127.0.0.1, driven by wrk (bench/README.md); ~15 minutes.
bench-e2e: $(VENV)/.bench-installed
	@command -v wrk >/dev/null || { echo "make bench-e2e needs wrk, the HTTP load generator: apt-get install wrk"; exit 2; }
	$(BIN)/python -m bench.e2e $(ARGS)

# Building, memory and last-route dispatch for 1,000 / 10,000 / 50,000 routes beside Pyramid, Falcon, Flask.
bench-scale: $(VENV)/.bench-installed
	$(BIN)/python -m bench.scale $(ARGS)

clean:
	rm -rf $(VENV) .venv-3.* .coverage build dist *.egg-info
