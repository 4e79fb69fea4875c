# The two commands: `make run` and `make test`. Everything they need is installed from here.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
PORT ?= 5000
FLASK := $(VENV)/bin/flask --app matchmaker

.PHONY: run test test-sqlite test-postgres install dev lock translations extract lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs come from the lock files (exact versions the suite was tested with); pyproject.toml keeps the
# ranges for people who install the package. `make lock` refreshes both locks to the newest allowed releases.
$(VENV)/.installed: pyproject.toml requirements.lock | $(PY)
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml requirements-dev.lock | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

lock: dev
	$(VENV)/bin/uv pip compile --quiet --upgrade --python-version 3.11 --custom-compile-command "make lock" \
		pyproject.toml -o requirements.lock
	$(VENV)/bin/uv pip compile --quiet --upgrade --python-version 3.11 --custom-compile-command "make lock" \
		pyproject.toml --extra dev -o requirements-dev.lock

# Compiled catalogs (*.mo) are build output, never committed.
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --statistics -d translations

# Refresh the message template and merge it into every catalog (then translate what is new).
extract: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --sort-output .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

run: install translations
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: dev translations test-sqlite test-postgres

test-sqlite: dev translations
	$(VENV)/bin/pytest

# A throwaway PostgreSQL database on 127.0.0.1:5432, dropped afterwards (mandatory when CI=true).
test-postgres: dev translations
	$(PY) scripts/pg_test.py $(VENV)/bin/pytest

lint: dev
	$(VENV)/bin/ruff check matchmaker tests scripts

clean:
	rm -rf $(VENV) instance translations/*/LC_MESSAGES/*.mo
