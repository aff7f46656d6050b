# The Migration Capacity-Building Registry. Two commands matter: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION ?= 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PY := .venv/bin/python
PYTEST_ARGS ?=

.PHONY: help run test lint format docs explain test-python migrate load-demo clean

help:
	@echo "make run    install what is needed, migrate, load the demo data and serve everything on http://localhost:8000"
	@echo "make test   install what is needed and run every test suite"
	@echo "make lint   ruff (lint and format check) and mypy --strict"

# uv itself comes from PyPI when the machine does not have it.
$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

.venv/.synced: $(UV) uv.lock pyproject.toml packages/*/pyproject.toml services/*/pyproject.toml
	$(UV) sync --frozen
	@touch $@

install: .venv/.synced

run: install
	$(PY) -m registry_stack

migrate: install
	$(PY) -m projects_api migrate

load-demo: install
	$(PY) -m projects_api load-demo

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy packages/registry-kit/src packages/registry-stack/src services/projects-api/src services/reporting-api/src tools
	$(PY) tools/readme_settings.py --check

docs: install
	$(PY) tools/readme_settings.py

explain: install
	$(PY) tools/explain_queries.py

format: install
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# One pytest run per suite: each reports its own count, and a suite that collects nothing fails (exit 5).
PY_SUITES := packages/registry-kit/tests services/projects-api/tests services/reporting-api/tests

test-python: install
	@set -e; for suite in $(PY_SUITES); do echo "== $$suite"; .venv/bin/pytest $$suite $(PYTEST_ARGS); done

test: lint test-python

clean:
	rm -rf .venv .tools var/test-pg

# --- Deployment (issue 4): the gateway under real nginx, the containers and the Kubernetes manifests. -------
# deploy/tests starts both services and Debian's nginx on loopback; `make test` runs it after the other suites.
NGINX_BIN ?= /usr/sbin/nginx

.PHONY: deploy-tools test-deploy lint-deploy

deploy-tools:
	@if [ ! -x "$(NGINX_BIN)" ] || ! command -v envsubst >/dev/null; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx gettext-base; \
	fi

test-deploy: install deploy-tools
	@echo "== deploy/tests"
	NGINX_BIN=$(NGINX_BIN) .venv/bin/pytest deploy/tests $(PYTEST_ARGS)

lint-deploy: install
	MYPYPATH=deploy/tests .venv/bin/mypy deploy/tests

lint: lint-deploy
test: test-deploy

# --- Benchmarks (issue 6) -------------------------------------------------------------------------------------
# `make bench` (SIZE=full|quick|tiny, default full): dataset, services started the production way, wrk on loopback,
# every figure beside its floor; prints one table, writes bench/results/latest.json and BENCHMARKS.md.
# `make bench-ci`: the tiny size, correctness only (no thresholds), so the harness cannot rot; `make test` runs it.
SIZE ?= full

.PHONY: bench bench-ci lint-bench

bench: install
	$(PY) -m bench --size $(SIZE)

bench-ci: install
	$(PY) -m bench --size tiny

lint-bench: install
	.venv/bin/mypy bench

lint: lint-bench
test: bench-ci
# --- end of benchmarks ------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------------
# Frontend (issue 5): the single-page app in frontend/. Everything frontend lives in this block.
# `make run` builds it first (the stack serves frontend/dist); `make test` runs its unit and e2e suites.
# ---------------------------------------------------------------------------------------------------
FRONTEND := frontend
FRONTEND_NPM := cd $(FRONTEND) && npm
CHROMIUM := /usr/bin/chromium

.PHONY: frontend-install frontend-build frontend-client test-frontend test-e2e e2e-browser

# npm ci only when package.json or the lock changed since the last install.
$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	$(FRONTEND_NPM) ci --no-audit --no-fund
	@touch $@

# Node packages only: `make run` needs no browser, no root and no apt.
frontend-install: $(FRONTEND)/node_modules/.installed

# Debian's Chromium, for the end-to-end suite only (browser downloads are impossible here; installing needs root).
e2e-browser:
	@if [ ! -x $(CHROMIUM) ]; then apt-get update && apt-get install -y chromium; fi

# Type-check and build; fails when the initial JavaScript is over 250 KB gzipped.
frontend-build: frontend-install
	$(FRONTEND_NPM) run build

# Regenerate the typed API clients from the services' OpenAPI documents (no server needed).
frontend-client: install frontend-install
	$(FRONTEND_NPM) run generate-client

# Lint (eslint), types (tsc), unit tests (vitest), the bundle-size budget and the client staleness check.
test-frontend: install frontend-install
	$(FRONTEND_NPM) run lint
	$(FRONTEND_NPM) run typecheck
	$(FRONTEND_NPM) test
	$(FRONTEND_NPM) run build
	$(FRONTEND_NPM) run check-client

# Playwright against the real stack on a fresh embedded database; the runner stops the stack even on failure.
test-e2e: install frontend-build e2e-browser
	$(FRONTEND_NPM) run test:e2e

run: frontend-build
test: test-frontend test-e2e

# --- Numbers (issue 10): the property tests with ten times the examples of `make test` (hypothesis, plain reference
# implementations of the aggregation rules and the funding summary). Bounded: about 20 minutes on a loaded machine.
.PHONY: test-properties

test-properties: install
	MCB_HYPOTHESIS_PROFILE=thorough .venv/bin/pytest services/reporting-api/tests/test_rules_properties.py $(PYTEST_ARGS)
	MCB_HYPOTHESIS_PROFILE=thorough .venv/bin/pytest services/projects-api/tests/test_funding_properties.py $(PYTEST_ARGS)

# --- Contract and first run (issue 12) ----------------------------------------------------------------------------
# `make check-first-run`: a fresh clone's `make run` as an unprivileged user with no Chromium, apt or sudo on PATH
# (downloads its packages, so it is not in `make test`). `make test-stack`: the one-process stack's suite (logs,
# shutdown, the generated Python client's integrator script, schemathesis on both documents); `make fuzz`: the
# schemathesis run at nightly size.
.PHONY: check-first-run test-stack fuzz

check-first-run:
	tools/first_run_check.sh

test-stack: install
	@echo "== packages/registry-stack/tests"
	.venv/bin/pytest packages/registry-stack/tests $(PYTEST_ARGS)

# Nightly size: 50 examples per operation, the coverage and stateful phases, a new seed each run (printed).
fuzz: install
	MCB_FUZZ_EXAMPLES=$${MCB_FUZZ_EXAMPLES:-50} MCB_FUZZ_PHASES=examples,coverage,fuzzing,stateful \
		MCB_FUZZ_SEED=$${MCB_FUZZ_SEED:-random} .venv/bin/pytest packages/registry-stack/tests/test_schemathesis.py $(PYTEST_ARGS)

test: test-stack
