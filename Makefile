# Two commands for newcomers: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
# Where `make backup` writes its archives (see README.md, Sauvegardes / Backups).
BACKUP_DIR ?= var/backups
PORT ?= 8000
# Local serving over plain HTTP on loopback: no HTTPS redirect, no secure-only cookies, no HSTS.
LOCAL_ENV := DJANGO_ALLOWED_HOSTS=$(HOST),localhost DJANGO_SECURE_SSL_REDIRECT=0 \
	DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0

.PHONY: run test lint fuzz setup messages backup restore bench clean help

help:
	@echo "make run   - install, migrate, load the seed content and serve on http://$(HOST):$(PORT)"
	@echo "make test  - install the test tools and run the whole test suite"
	@echo "make lint  - ruff, the import layers, mypy and the missing-migrations check"
	@echo "make fuzz  - the fuzz tests with 10,000 generated examples each (long)"
	@echo "make messages - refresh the translation catalogues (needs GNU gettext)"
	@echo "make backup - write a dated archive of the database and uploads to $(BACKUP_DIR)"
	@echo "make restore FILE=<archive> - restore an archive into an empty instance (FORCE=1 to replace data)"
	@echo "make bench [SCALE=1] - each page under load (wrk) against /healthz, beside the goals (SCALE=1: with 10,000 partners)"

# The virtualenv is rebuilt only when a requirements file changes.
$(VENV)/.installed-runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed-runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# A development secret, generated once and kept out of git.
.env:
	@echo "Writing a local development secret to .env"
	@$(PYTHON) -c "import secrets; print('DJANGO_SECRET_KEY=' + secrets.token_urlsafe(50))" > .env
	@chmod 600 .env

setup: $(VENV)/.installed-runtime .env
	$(LOCAL_ENV) $(PY) manage.py migrate --noinput
	$(LOCAL_ENV) $(PY) manage.py createcachetable
	$(LOCAL_ENV) $(PY) manage.py load_seed
	$(LOCAL_ENV) $(PY) manage.py create_demo_call
	$(LOCAL_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(LOCAL_ENV) $(PY) manage.py ensure_superuser

run: setup
	@echo "Serving the portal on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/gestion/). Ctrl+C to stop."
	$(LOCAL_ENV) $(BIN)/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/pytest

# The fuzz tests of the suite, with 10,000 generated examples each instead of a few dozen.
fuzz: $(VENV)/.installed-dev
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/hardening/test_fuzz.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# French is the source language: its catalogue keeps only our plural texts, each translated by
# itself, so that French plural rules apply ("0 partenaire"); English is translated by hand.
messages: $(VENV)/.installed-dev
	DJANGO_DEBUG=1 $(PY) manage.py makemessages --locale en --locale fr --ignore '$(VENV)/*' --ignore 'var/*' \
		--ignore 'node_modules/*'
	DJANGO_DEBUG=1 $(PY) manage.py french_plurals
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore '$(VENV)/*' --ignore 'node_modules/*'

# Operations on an installed instance: no install step, so that a cron job never runs pip.
backup:
	$(PY) manage.py backup --folder "$(BACKUP_DIR)"

restore:
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=$(BACKUP_DIR)/irts-portal-<time>.tar.gz [FORCE=1]"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force)

# The pages under load, served as in production; SCALE=1 first adds made-up data (README.md, Performance).
bench: $(VENV)/.installed-runtime
	$(PY) -m bench $(if $(SCALE),--scale)

clean:
	rm -rf var/static .pytest_cache
