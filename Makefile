# Learning Solidity: `make run` serves the site with demo data; `make test` runs the whole suite
# against real PostgreSQL and Redis. Both install what they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
ASGI_PORT ?= 8100
# A Python >= 3.12: PATH first, then pyenv's versions, newest first.
PYTHON_BOOTSTRAP := $(shell for c in python3.14 python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
	command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$c; break; }; done)

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/learning_solidity
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: help run asgi test lint format bench bench-compile bench-rooms loadtest services deps assets clean

help:
	@echo "make run    - the site on http://127.0.0.1:$(PORT) with demo data (SQLite, local-memory cache)"
	@echo "make test   - the whole suite against PostgreSQL and Redis on 127.0.0.1"
	@echo "make lint   - ruff check and format check"
	@echo "make bench  - page benchmarks (slow; not part of make test)"
	@echo "make bench-compile - /api/compile p50/p95/p99, uncached on a warm pool and cached"
	@echo "make asgi   - the rooms' WebSocket server on 127.0.0.1:$(ASGI_PORT), as deployed next to gunicorn"
	@echo "make bench-rooms - 500 WebSocket clients on two ASGI servers: delivery p95 and memory"

$(VENV)/.stamp: pyproject.toml
	@if [ -z "$(PYTHON_BOOTSTRAP)" ]; then \
		echo "error: Python >= 3.12 not found on PATH or in pyenv (Django 6 needs it)." >&2; exit 1; fi
	@echo "Using $(PYTHON_BOOTSTRAP) ($$($(PYTHON_BOOTSTRAP) --version))"
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		rm -rf $(VENV); $(PYTHON_BOOTSTRAP) -m venv $(VENV); fi
	$(VENV)/bin/pip install --quiet --upgrade 'pip>=25.1'
	$(VENV)/bin/pip install --quiet --group dev
	@touch $@

deps: $(VENV)/.stamp node_modules/.stamp

# npm packages: htmx for the pages, and solc, the compiler the worker pool loads (compiler/).
node_modules/.stamp: package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found (install Node.js >= 20)." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.stamp
	@mkdir -p static/vendor
	@cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

run: deps assets
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --users 60 --courses 4 --lessons 6 --if-empty
	DEBUG=$${DEBUG:-1} $(VENV)/bin/uvicorn config.asgi:application --reload \
		--host 127.0.0.1 --port $(PORT) --lifespan off

# The rooms' WebSocket server (/ws/): its own process next to gunicorn, behind the same nginx.
# Options as in core/asgi_server.py: frames up to 1 MiB reach the consumer, which refuses those
# past its own limit with an error frame.
asgi: $(VENV)/.stamp
	$(VENV)/bin/uvicorn config.asgi:application --host 127.0.0.1 --port $(ASGI_PORT) \
		--ws-max-size 1048576 --ws-per-message-deflate false --lifespan off --no-access-log \
		--proxy-headers

services:
	@bash deploy/ensure_services.sh

test: deps assets services
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	env -u DATABASE_URL -u REDIS_URL $(PY) manage.py makemigrations --check --dry-run
	DJANGO_ENV=production SECRET_KEY=check-deploy-$$(openssl rand -hex 32) ALLOWED_HOSTS=example.com \
		DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
		$(PY) manage.py check --deploy --fail-level WARNING
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest -n 2 --create-db

lint: $(VENV)/.stamp
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.stamp
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: deps services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) manage.py bench_pages

# Its own cache key prefix: the benchmark's results never mix with a running site's.
bench-compile: deps services
	REDIS_URL=$(TEST_REDIS_URL) CACHE_KEY_PREFIX=bench-compile $(PY) manage.py bench_compile

# Starts its own two ASGI servers (ports 18280-18299) on TEST_DATABASE_URL; its rows are removed after.
bench-rooms: deps services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CACHE_KEY_PREFIX=bench-rooms \
		$(PY) manage.py bench_rooms

clean:
	rm -rf $(VENV) node_modules staticfiles static/vendor .pytest_cache .ruff_cache
