PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: test check demo bench bench-quick bench-e2e bench-scale clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,check]'
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

# The film catalogue on http://127.0.0.1:8080/, restarted when its code or templates change.
demo: $(VENV)/.installed
	$(BIN)/viewpick serve demo.films:main --reload

$(VENV)/.bench-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
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
	rm -rf $(VENV) .coverage build *.egg-info
