# CLEAR Desk: `make run` starts everything, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `PORT=8123 make run` serves at http://127.0.0.1:8123; links in emails (SITE_URL) follow
# PORT unless SITE_URL is set. Exported as is: honcho gives each later process PORT+100.
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test lint format migrate demo clean bench

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py import_customer_values customers/samples/demo_values.csv --recompute
	$(BIN)/python manage.py seed_history

run: demo
	@echo "CLEAR Desk at http://127.0.0.1:$(PORT) (Ctrl-C stops the web server, worker and beat)"
	PATH=$(CURDIR)/$(BIN):$$PATH PORT=$(PORT) SITE_URL=$(SITE_URL) $(BIN)/honcho start -f Procfile

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks on PostgreSQL (DATABASE_URL must point at a database the loader may empty).
BENCH_N ?= 50000
bench: $(STAMP)
	@test -n "$$DATABASE_URL" || { echo "make bench needs PostgreSQL: set DATABASE_URL=postgres://..." >&2; exit 1; }
	DJANGO_SETTINGS_MODULE=config.settings.bench $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.bench $(BIN)/python manage.py bench --n $(BENCH_N) $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles db.sqlite3
