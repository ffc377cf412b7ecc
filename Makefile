# modq: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PGDIR  := $(CURDIR)/.pgtest
PGPORT ?= 54329

.PHONY: demo test check static lint types contracts format bench venv test-venv clean model

$(BIN)/modq: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-deps: $(BIN)/modq
	$(BIN)/pip install -q -e '.[test]'
	touch $@

venv: $(BIN)/modq
test-venv: $(VENV)/.test-deps

## make demo: install into .venv and run the demo on the embedded database
demo: $(BIN)/modq
	$(BIN)/modq demo

## make test: the whole suite against SQLite and a throwaway PostgreSQL server
test: $(VENV)/.test-deps
	@scripts/pg.sh stop $(PGDIR) >/dev/null 2>&1 || true
	@rm -rf $(PGDIR)
	@url=$$(scripts/pg.sh start $(PGDIR) $(PGPORT)) || exit 1; \
	echo "PostgreSQL for tests: $$url"; \
	MODQ_TEST_PG_URL=$$url $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS); status=$$?; \
	scripts/pg.sh stop $(PGDIR); rm -rf $(PGDIR); exit $$status

format: $(VENV)/.test-deps
	$(BIN)/ruff format moderation connectors tui tests bench

lint: $(VENV)/.test-deps
	$(BIN)/ruff check moderation connectors tui tests bench

types: $(VENV)/.test-deps
	$(BIN)/mypy
	$(BIN)/mypy --strict moderation/domain moderation/rules moderation/store moderation/ports.py

contracts: $(VENV)/.test-deps
	$(BIN)/lint-imports

## make static: format check, lint (ruff), types (mypy), import-direction contracts (import-linter)
static: $(VENV)/.test-deps
	$(BIN)/ruff format --check moderation connectors tui tests bench
	$(MAKE) lint types contracts

## make check: the static checks, then the tests
check: static test

## make model: retrain the learned detector from the shared sets' train splits (dev for tuning; docs/learned.md)
model: $(VENV)/.test-deps
	$(BIN)/python scripts/train_learned.py

bench: $(BIN)/modq
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(PGDIR) .pytest_cache .mypy_cache .ruff_cache
