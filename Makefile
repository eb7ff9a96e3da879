# Developer tasks. `make example` and `make test` are the README's quick start.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install example test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install sosmeta with its development tools

example: $(STAMP) ## import and build the embedded example workspace into output/example, then migrate its legacy database
	cd example && ../$(BIN)/sosmeta import && ../$(BIN)/sosmeta build
	$(BIN)/python example/migration/make_legacy_db.py output/example/legacy/lastensuojelu.sqlite
	cd example && ../$(BIN)/sosmeta migrate table check --no-source && ../$(BIN)/sosmeta migrate run --jobs 2 \
		&& ../$(BIN)/sosmeta migrate report

test: $(STAMP) ## run the test suite (real exports from ../shared/sosmeta)
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tools/typecheck.py

bench: $(STAMP) ## benchmarks on the shared corpus
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) output/example .pytest_cache .mypy_cache .ruff_cache
