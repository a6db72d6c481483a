# The two commands of the README: `make demo` serves the demo, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
TYPECHECK_VENV := .venv-typecheck
BIN := $(VENV)/bin

.PHONY: demo test lint typecheck unit bench bench-import bench-results bench-rates bench-memory bench-workers schema soak

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

# mypy cannot follow the import hook of a default editable install: it checks a strict one,
# reinstalled each run so that new modules are linked (DESIGN.md).
$(TYPECHECK_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(TYPECHECK_VENV)
	$(TYPECHECK_VENV)/bin/pip install --quiet --upgrade pip
	$(TYPECHECK_VENV)/bin/pip install --quiet -e '.[dev]' --config-settings editable_mode=strict
	@touch $@

# `make demo AT=2012-04-21T10:00` runs the demo clock from another instant (Asia/Shanghai);
# `make demo PORT=8001` serves on another port (8000 by default).
demo: $(VENV)/.installed
	LMS_DEV_MODE=1 $(BIN)/lms-plugin serve --demo $(if $(PORT),--port $(PORT)) $(if $(AT),--at $(AT))

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(TYPECHECK_VENV)/.installed
	$(TYPECHECK_VENV)/bin/pip install --quiet --no-deps -e . --config-settings editable_mode=strict
	cd $(TYPECHECK_VENV) && bin/mypy --config-file ../pyproject.toml

unit: $(VENV)/.installed
	$(BIN)/pytest

test: lint typecheck unit

schema: $(VENV)/.installed
	$(BIN)/lms-plugin export-schema schema/schema.graphql

# The memory and worker runs have targets of their own (below): the RATIO lines come last.
bench: $(VENV)/.installed
	$(BIN)/pytest tests/benchmarks -p no:cacheprovider -o addopts="" -s -k "not bench_memory and not bench_workers"

# 40,000 mixed requests against one server process: RSS every 10,000 (REQUESTS to change), fails
# if it grows past the bound after the warm-up. SQLite, and PostgreSQL with LMS_TEST_POSTGRES_URL.
bench-memory: $(VENV)/.installed
	LMS_BENCH_LEARNERS=2000 $(if $(REQUESTS),LMS_BENCH_MEMORY_REQUESTS=$(REQUESTS)) \
	$(BIN)/pytest tests/benchmarks -k bench_memory -p no:cacheprovider -o addopts="" -s

# Heartbeats per second from `lms-plugin serve --workers 1, 2, 4` on PostgreSQL
# (LMS_TEST_POSTGRES_URL, a database created and dropped), with the pool settings it used.
bench-workers: $(VENV)/.installed
	LMS_BENCH_LEARNERS=4500 $(BIN)/pytest tests/benchmarks -k "bench_workers and postgres" -p no:cacheprovider -o addopts="" -s

# Results of 10,000 and 100,000 enrollments (LMS_BENCH_RESULT_SIZES), on PostgreSQL when
# LMS_TEST_POSTGRES_URL is set, and SQLite: time and statements beside a raw INSERT … SELECT.
bench-results: $(VENV)/.installed
	$(BIN)/pytest tests/benchmarks -k bench_results -p no:cacheprovider -o addopts="" -s

# Rates at province scale (400,000 teachers, PostgreSQL: LMS_TEST_POSTGRES_URL), beside raw SQL.
bench-rates: $(VENV)/.installed
	$(BIN)/pytest tests/benchmarks -p no:cacheprovider -o addopts="" -s -k "rates and postgres"

# `lms-plugin serve --workers 4` on a fresh PostgreSQL database (created and dropped), Redis for what they share,
# mixed traffic for MINUTES (10) at RPS (50) while the database's backends are terminated every
# 30 s; then 5xx, latency, memory and the invariants. Not part of `make test`.
soak: $(VENV)/.installed
	$(BIN)/python tests/benchmarks/soak.py $(if $(MINUTES),--minutes $(MINUTES)) $(if $(RPS),--rps $(RPS))

# The roster import of ROWS (400000) teachers from one XLSX on PostgreSQL (LMS_TEST_POSTGRES_URL,
# a database created and dropped): time and peak memory beside a hand-written COPY. AGAIN=1
# imports the same file a second time (every teacher unchanged). Not part of `make test`.
bench-import: $(VENV)/.installed
	$(BIN)/python -m tests.benchmarks.bench_roster_import $(if $(ROWS),--rows $(ROWS)) $(if $(AGAIN),--again)
