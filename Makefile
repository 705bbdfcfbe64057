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
# The local cluster (nginx + gunicorn instances + Celery on 127.0.0.1, see deploy/cluster.py).
CLUSTER_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/learning_solidity_cluster
CLUSTER_REDIS_URL ?= $(TEST_REDIS_URL)
CLUSTER_PORT ?= 18000
INSTANCES ?= 3
# The container test: nginx on 127.0.0.1:CONTAINER_PORT; podman-compose and the checks run
# from a venv of their own (the `container` dependency group).
CONTAINER_PORT ?= 18480
CONTAINER_VENV := .make/container-venv
# The load test: its own database, seeded afresh each run so that runs compare.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/learning_solidity_load
USERS ?= 1000
DURATION ?= 120
SEED_USERS ?= 100000
LOADTEST_FLAGS ?=

.PHONY: help run asgi test lint format bench bench-compile bench-rooms bench-instance wrk loadtest capacity services nginx deps assets browser clean \
	cluster cluster-stop cluster-status cluster-restart watch-site podman container-images container-test

help:
	@echo "make run    - the site on http://127.0.0.1:$(PORT) with demo data (SQLite, local-memory cache)"
	@echo "make test   - the whole suite against PostgreSQL and Redis on 127.0.0.1"
	@echo "make lint   - ruff check and format check, the import contracts (lint-imports)"
	@echo "make bench  - page benchmarks at 100k learners, uncached and cached (slow; not in make test)"
	@echo "make bench-compile - /api/compile and exercise checks: p50/p95/p99, uncached on a warm pool and cached"
	@echo "make bench-instance - one gunicorn instance's requests/s per page beside /health's, with wrk"
	@echo "             (BENCH_INSTANCE_FLAGS=\"--rounds 3 --seconds 5 --connections 8 --users 100000\")"
	@echo "make cluster / cluster-stop / cluster-status / cluster-restart"
	@echo "             - nginx on 127.0.0.1:$(CLUSTER_PORT) in front of $(INSTANCES) gunicorn instances and Celery"
	@echo "make watch-site - a line every 5 s from every instance's /metrics and /ready; fails on a broken budget"
	@echo "             (WATCH_FLAGS=\"--instance host:port --grace 30 --p95-ms 100\")"
	@echo "make loadtest USERS=1000 DURATION=120 - seed, start the cluster, run locust, report in loadtest-report/"
	@echo "             (LOADTEST_FLAGS=--keep-data reuses the last run's database; --profile samples"
	@echo "             one web worker with py-spy, at a cost in CPU; --fault restart|scale-down|kill|failover)"
	@echo "make capacity CAPACITY_USERS=\"500 1000 2000 3000\" - the mix at each size on fresh data: a capacity"
	@echo "             curve (users against p50/p95/p99, errors, requests/s, CPU per request) in loadtest-report/capacity/"
	@echo "make asgi   - the rooms' WebSocket server on 127.0.0.1:$(ASGI_PORT), as deployed next to gunicorn"
	@echo "make bench-rooms - 500 WebSocket clients on two ASGI servers: delivery p95 and memory"
	@echo "make container-test - build the images with podman, run the compose topology on"
	@echo "             127.0.0.1:$(CONTAINER_PORT), check it from outside, tear it down (slow; not in make test)"

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

# The front end: htmx vendored, static/src bundled by esbuild into static/dist, then everything
# collected under hashed names with brotli and gzip copies (staticfiles/, what WhiteNoise serves).
STATIC_SOURCES := $(shell find static -type f -not -path 'static/dist/*' -not -path 'static/vendor/*' 2>/dev/null)

assets: staticfiles/staticfiles.json

static/vendor/htmx.min.js: node_modules/.stamp
	@mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

static/dist/site.js: node_modules/.stamp $(filter static/src/%,$(STATIC_SOURCES))
	npm run --silent build

staticfiles/staticfiles.json: $(VENV)/.stamp static/dist/site.js static/vendor/htmx.min.js $(STATIC_SOURCES)
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@touch $@

# The browser tests drive Debian's Chromium (Playwright's own browser downloads are not used).
browser:
	@[ -x /usr/bin/chromium ] || { echo "Installing Chromium for the browser tests"; \
		apt-get update -qq && apt-get install -y -qq chromium; }

run: deps assets
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_curriculum -v0
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo --users 60 --if-empty
	@bash deploy/run_dev.sh $(PORT)

# The rooms' WebSocket server (/ws/): its own process next to gunicorn, behind the same nginx,
# with the command line the cluster and the containers use (deploy/topology.py).
asgi: $(VENV)/.stamp
	$(PY) deploy/topology.py asgi --port $(ASGI_PORT)

services:
	@bash deploy/ensure_services.sh

# The cluster tests and `make cluster` run Debian's nginx; where a policy-rc.d forbids service
# starts (containers, CI images) installing it starts no system nginx.
nginx:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; else \
		echo "nginx is missing: installing it with apt-get"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx; \
	fi

test: deps assets services browser nginx
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	npm test --silent
	env -u DATABASE_URL -u REDIS_URL $(PY) manage.py makemigrations --check --dry-run
	DJANGO_ENV=production SECRET_KEY=check-deploy-$$(openssl rand -hex 32) ALLOWED_HOSTS=example.com \
		DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
		$(PY) manage.py check --deploy --fail-level WARNING
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest -n 2 --create-db -m "not cluster"
# The cluster tests listen on fixed ports and start processes of their own: one run at a time.
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest -m cluster

cluster: deps assets services nginx
	DATABASE_URL=$(CLUSTER_DATABASE_URL) REDIS_URL=$(CLUSTER_REDIS_URL) \
		$(PY) deploy/cluster.py start --instances $(INSTANCES) --port $(CLUSTER_PORT)

cluster-stop:
	$(PY) deploy/cluster.py stop

cluster-status:
	$(PY) deploy/cluster.py status

cluster-restart:
	$(PY) deploy/cluster.py restart

# Watches the local cluster's instances (or WATCH_FLAGS="--instance host:port ...") through their
# /metrics and /ready; exits 1 once a budget stays broken past the grace period.
WATCH_FLAGS ?=
watch-site: $(VENV)/.stamp
	$(PY) manage.py watch_site $(WATCH_FLAGS)

$(VENV)/.load-stamp: $(VENV)/.stamp pyproject.toml
	$(VENV)/bin/pip install --quiet --group load
	@touch $@

loadtest: deps assets services nginx $(VENV)/.load-stamp
	DATABASE_URL=$(LOAD_DATABASE_URL) REDIS_URL=$(CLUSTER_REDIS_URL) \
		$(PY) tests/load/run.py --users $(USERS) --duration $(DURATION) \
		--seed-users $(SEED_USERS) --instances $(INSTANCES) --port $(CLUSTER_PORT) $(LOADTEST_FLAGS)

# The capacity curve: the same mix at each size in CAPACITY_USERS, each on freshly seeded data,
# and one report with a chart in loadtest-report/capacity/ (CAPACITY_FLAGS=--publish copies it to
# deploy/loadtest-results/). About 4 minutes a size.
CAPACITY_USERS ?= 500 1000 2000 3000
CAPACITY_FLAGS ?=
capacity: deps assets services nginx $(VENV)/.load-stamp
	DATABASE_URL=$(LOAD_DATABASE_URL) REDIS_URL=$(CLUSTER_REDIS_URL) \
		$(PY) tests/load/capacity.py --users $(CAPACITY_USERS) --duration $(DURATION) \
		--seed-users $(SEED_USERS) --instances $(INSTANCES) --port $(CLUSTER_PORT) $(CAPACITY_FLAGS)

lint: $(VENV)/.stamp
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.stamp
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Creates the database a URL names when it is missing (a fresh machine), then migrates it.
define ready_database
	$(PY) -c "import sys; from deploy.cluster import ensure_database; ensure_database(sys.argv[1])" $(1)
	DATABASE_URL=$(1) $(PY) manage.py migrate --no-input -v0
endef

# A database of its own, seeded once with 100,000 learners and ~1M progress rows, then reused.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/learning_solidity_bench
bench: deps services
	$(call ready_database,$(BENCH_DATABASE_URL))
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CACHE_KEY_PREFIX=bench \
		$(PY) manage.py bench_pages --compare-indexes
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CACHE_KEY_PREFIX=bench \
		$(PY) manage.py bench_cache

# Its own cache key prefix: the benchmark's results never mix with a running site's.
bench-compile: deps services
	REDIS_URL=$(TEST_REDIS_URL) CACHE_KEY_PREFIX=bench-compile $(PY) manage.py bench_compile
	REDIS_URL=$(TEST_REDIS_URL) CACHE_KEY_PREFIX=bench-compile $(PY) manage.py bench_checks

# Starts its own two ASGI servers (ports 18280-18299) on TEST_DATABASE_URL; its rows are removed after.
bench-rooms: deps services
	$(call ready_database,$(TEST_DATABASE_URL))
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CACHE_KEY_PREFIX=bench-rooms \
		$(PY) manage.py bench_rooms

# One gunicorn instance as the cluster starts it, its requests/s per page beside /health's in the
# same run (wrk, from Debian); a database of its own, seeded once with 100,000 learners, and a
# cache key prefix of its own. Report in var/bench-instance/report.md. About 3 minutes.
BENCH_INSTANCE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/learning_solidity_bench_instance
BENCH_INSTANCE_FLAGS ?=
bench-instance: deps assets services wrk
	REDIS_URL=$(TEST_REDIS_URL) $(PY) manage.py bench_instance \
		--database-url $(BENCH_INSTANCE_DATABASE_URL) $(BENCH_INSTANCE_FLAGS)

wrk:
	@if command -v wrk >/dev/null; then :; else \
		echo "wrk is missing: installing it with apt-get"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk; \
	fi

# Containers: the compose topology built and run with podman on a host without an image registry
# (deploy/local/). Images are built from Debian packages and cached: a second run rebuilds only
# the layers a change touched.
# netavark, podman's network backend, runs iptables: without it every build step and container
# that gets a network fails with "netavark: No such file or directory".
podman:
	@missing=""; for tool in podman runc mmdebstrap iptables; do \
		command -v $$tool >/dev/null || [ -x /usr/sbin/$$tool ] || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing with apt-get"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			podman runc netavark aardvark-dns mmdebstrap iptables; \
	fi

$(CONTAINER_VENV)/.stamp: pyproject.toml
	@if [ -z "$(PYTHON_BOOTSTRAP)" ]; then echo "error: Python >= 3.12 not found" >&2; exit 1; fi
	rm -rf $(CONTAINER_VENV)
	$(PYTHON_BOOTSTRAP) -m venv $(CONTAINER_VENV)
	$(CONTAINER_VENV)/bin/pip install --quiet --upgrade 'pip>=25.1'
	$(CONTAINER_VENV)/bin/pip install --quiet --group container
	@touch $@

container-images: podman
	bash deploy/local/build.sh

container-test: podman $(CONTAINER_VENV)/.stamp
	@started=$$(date +%s); \
	bash deploy/local/build.sh && \
		$(CONTAINER_VENV)/bin/python deploy/container_test.py --port $(CONTAINER_PORT); \
	status=$$?; \
	echo "make container-test: images and checks in $$(( $$(date +%s) - started )) s (exit $$status)"; \
	exit $$status

clean:
	rm -rf $(VENV) node_modules staticfiles static/vendor static/dist .pytest_cache .ruff_cache
