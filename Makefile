# Guichet — the README's two commands are `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres lint model evaluate bench migrations clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PY) not found)"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# Serve Guichet on http://127.0.0.1:8000 with the embedded defaults (SQLite, mail catcher).
run: $(STAMP) classifiers/model/guichet-classifier.joblib
	$(BIN)/python -m helpdesk serve

# The whole suite on SQLite; then every database test again on PostgreSQL when
# TEST_DATABASE_URL is set (.ci/run sets it). Redis and Chromium tests run when available.
test: $(STAMP) classifiers/model/guichet-classifier.joblib
	$(BIN)/python -m pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the same suite on PostgreSQL"; \
		TEST_BACKEND=postgres $(BIN)/python -m pytest -q --ignore=tests/classifiers; \
	else \
		echo "(TEST_DATABASE_URL is not set: the PostgreSQL pass was skipped; .ci/run sets it)"; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

# Rebuild the shipped classifier artifact from data/classifier/ (deterministic).
classifiers/model/guichet-classifier.joblib: | $(STAMP)
	$(BIN)/python -m classifiers train

model: $(STAMP)
	$(BIN)/python -m classifiers train

evaluate: $(STAMP)
	$(BIN)/python -m classifiers evaluate

bench: $(STAMP)
	$(BIN)/python bench/classifier.py

migrations: $(STAMP)
	$(BIN)/tortoise -c helpdesk.db.TORTOISE_ORM makemigrations

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
