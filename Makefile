# The Migration Capacity-Building Registry. Two commands matter: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION ?= 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PY := .venv/bin/python
PYTEST_ARGS ?=

.PHONY: help run test lint format docs explain test-python migrate load-demo clean

##@ Everyday
# `make help` lists every target with the `## ` comment on its line, grouped by the `##@ ` lines and the
# `# --- Title ---` block headings (tools/make_help.awk).
help: ## this list
	@awk -f tools/make_help.awk $(MAKEFILE_LIST)

# uv itself comes from PyPI when the machine does not have it.
$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

.venv/.synced: $(UV) uv.lock pyproject.toml packages/*/pyproject.toml services/*/pyproject.toml
	$(UV) sync --frozen
	@touch $@

install: .venv/.synced ## the Python workspace into .venv (uv sync --frozen; only when uv.lock changed)

run: install ## everything on http://localhost:8000 (MCB_PORT): embedded PostgreSQL, migrations, demo data, both APIs, the built SPA
	$(PY) -m registry_stack

migrate: install ## apply projects-api's migrations to the configured database
	$(PY) -m projects_api migrate

load-demo: install ## load projects-api's demo data (again without duplicating anything)
	$(PY) -m projects_api load-demo

lint: install ## ruff, ruff format --check, mypy --strict, the README settings tables, import contracts, doc paths
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy packages/registry-kit/src packages/registry-testing/src packages/registry-stack/src services/projects-api/src services/reporting-api/src tools
	$(PY) tools/readme_settings.py --check
	.venv/bin/lint-imports --no-logo --cache-dir .import_linter_cache
	$(PY) tools/doc_paths.py

docs: install ## regenerate the README's settings tables from the settings classes
	$(PY) tools/readme_settings.py

explain: install ## EXPLAIN ANALYZE of the hot queries (docs/query-plans.md)
	$(PY) tools/explain_queries.py

format: install frontend-install ## ruff --fix and ruff format over the Python code, Prettier over the SPA
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
	$(FRONTEND_NPM) run format

# One pytest run per suite: each reports its own count, and a suite that collects nothing fails (exit 5).
PY_SUITES := packages/registry-kit/registry_kit_tests services/projects-api/projects_api_tests services/reporting-api/reporting_api_tests

test-python: install ## the Python suites, one pytest run each (PY_SUITES, PYTEST_ARGS)
	@set -e; for suite in $(PY_SUITES); do echo "== $$suite"; .venv/bin/pytest $$suite $(PYTEST_ARGS); done

test: lint test-python ## install what is needed and run every lint and test suite (what CI runs)

clean: ## remove .venv, .tools and the test database server
	rm -rf .venv .tools var/test-pg

# --- The developer loop (issue 17) ----------------------------------------------------------------------------------
# `make test-fast`: the Python suites alone (no lint, nginx, browser or benchmark), stopping at a suite's first failure,
# with 10 examples per property unless MCB_HYPOTHESIS_EXAMPLES says otherwise. `make dev`: the stack restarted on every
# change to the Python code (registry_stack/dev.py) behind Vite's dev server with hot reload: open
# http://localhost:$(DEV_PORT)/, where /api goes to the stack. CONTRIBUTING.md describes the loop.
DEV_PORT ?= 5173
DEV_API_PORT ?= 8001

.PHONY: test-fast dev

test-fast: install ## the Python suites only, first failure stops a suite, 10 examples per property (minutes, not the full test)
	@set -e; for suite in $(PY_SUITES); do echo "== $$suite"; \
		MCB_HYPOTHESIS_EXAMPLES=$${MCB_HYPOTHESIS_EXAMPLES:-10} .venv/bin/pytest $$suite -x -q $(PYTEST_ARGS); done

dev: install frontend-install ## the stack restarted on each Python change, behind Vite with hot reload on http://localhost:5173 (DEV_PORT)
	@trap 'kill $$stack 2>/dev/null; wait $$stack' EXIT; \
	MCB_PORT=$(DEV_API_PORT) $(PY) -m registry_stack.dev & stack=$$!; \
	cd $(FRONTEND) && MCB_DEV_API=http://127.0.0.1:$(DEV_API_PORT) npm run dev -- --port $(DEV_PORT) --strictPort
# --- end of the developer loop --------------------------------------------------------------------------------------

# --- Deployment (issue 4): the gateway under real nginx, the containers and the Kubernetes manifests. -------
# deploy/tests starts both services and Debian's nginx on loopback; `make test` runs it after the other suites.
NGINX_BIN ?= /usr/sbin/nginx

.PHONY: deploy-tools test-deploy lint-deploy test-cluster test-containers

# Debian's nginx, and (issue 15) its postgresql-15 server and pgbouncer for the TLS-only database and pooler tests.
PG_BIN ?= /usr/lib/postgresql/15/bin
deploy-tools: ## Debian's nginx, postgresql-15 and pgbouncer for the deployment tests (apt-get, as root, when missing)
	@if [ ! -x "$(NGINX_BIN)" ] || ! command -v envsubst >/dev/null || [ ! -x "$(PG_BIN)/postgres" ] \
		|| [ ! -x /usr/sbin/pgbouncer ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx gettext-base postgresql-15 pgbouncer; \
	fi

test-deploy: install deploy-tools ## deploy/tests: the gateway under real nginx, compose, Dockerfiles, Kubernetes manifests
	@echo "== deploy/tests"
	NGINX_BIN=$(NGINX_BIN) .venv/bin/pytest deploy/tests $(PYTEST_ARGS)

lint-deploy: install ## mypy over deploy/tests
	MYPYPATH=deploy/tests .venv/bin/mypy deploy/tests
	MYPYPATH=deploy/tests:deploy/cluster .venv/bin/mypy deploy/cluster
	MYPYPATH=deploy/tests:deploy/cluster:deploy/containers .venv/bin/mypy deploy/containers

# The multi-host test (issue 15): four network namespaces on test-assigned 198.18.x.0/24 addresses (PostgreSQL with
# TLS only, two replicas of each service, the nginx gateway), a workload through the gateway while both services roll,
# replicas are killed, the reporting host is cut off and PostgreSQL restarts. Root only (ip netns); about 5 minutes,
# so not part of `make test`.
# MCB_CLUSTER_PHASES=roll,kill,cut,db (all by default) runs some of the disturbances; MCB_CLUSTER_ROLLS=N rolls N times.
test-cluster: install deploy-tools ## the multi-host cluster under rolls, kills, a cut and a database restart (root, ~5 min)
	@echo "== deploy/cluster"
	NGINX_BIN=$(NGINX_BIN) .venv/bin/pytest deploy/cluster -s $(PYTEST_ARGS)

# The images (issue 15): deploy/docker's three Dockerfiles built with Debian's podman/buildah 4.3 on stand-in base
# images (a debootstrap'd bookworm with Debian's Python and nginx and this machine's Node 20, kept under
# var/containers), then run hardened on test-made network namespaces. Root only; not part of `make test`.
test-containers: install deploy-tools ## the three images built with podman and run hardened in network namespaces (root)
	@for tool in podman buildah runc debootstrap; do command -v $$tool >/dev/null || { \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y podman buildah runc debootstrap; break; }; done
	@echo "== deploy/containers"
	.venv/bin/pytest deploy/containers -s $(PYTEST_ARGS)

lint: lint-deploy
test: test-deploy

# --- Benchmarks (issue 6) -------------------------------------------------------------------------------------
# `make bench` (SIZE=full|quick|tiny, default full): dataset, services started the production way, wrk on loopback,
# every figure beside its floor; prints one table, writes bench/results/latest.json and BENCHMARKS.md.
# `make bench-ci`: the tiny size, correctness only (no thresholds), so the harness cannot rot; `make test` runs it.
# `make bench-growth` (issue 16): the bench at tiny, quick, full and large (each size whose results are missing or
# from another commit; large loads 10,000,000 values and takes about an hour), then bench/results/growth.json and
# docs/bench-growth.png; `make bench-growth-report` redraws them from the results already there.
SIZE ?= full

.PHONY: bench bench-ci bench-growth bench-growth-report lint-bench

bench: install frontend-build ## the benchmarks (SIZE=full|quick|tiny): every figure beside its floor, BENCHMARKS.md
	$(PY) -m bench --size $(SIZE)

bench-ci: install ## the benchmark harness at tiny size, correctness only
	$(PY) -m bench --size tiny

bench-growth: install frontend-build ## the bench at tiny, quick, full and large, then growth.json and the chart
	$(PY) -m bench.growth --run

bench-growth-report: install ## redraw bench/results/growth.json and docs/bench-growth.png from the results there
	$(PY) -m bench.growth

lint-bench: install ## mypy over bench/
	.venv/bin/mypy bench

lint: lint-bench
test: bench-ci
# --- end of benchmarks ------------------------------------------------------------------------------------------

##@ Frontend
# ---------------------------------------------------------------------------------------------------
# Frontend (issue 5): the single-page app in frontend/. Everything frontend lives in this block.
# `make run` builds it first (the stack serves frontend/dist); `make test` runs its unit and e2e suites.
# ---------------------------------------------------------------------------------------------------
FRONTEND := frontend
FRONTEND_NPM := cd $(FRONTEND) && npm
CHROMIUM := /usr/bin/chromium

.PHONY: frontend-install frontend-build frontend-client lint-frontend test-frontend test-e2e e2e-browser

# npm ci only when package.json or the lock changed since the last install.
$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	$(FRONTEND_NPM) ci --no-audit --no-fund
	@touch $@

# Node packages only: `make run` needs no browser, no root and no apt.
frontend-install: $(FRONTEND)/node_modules/.installed ## the SPA's node packages (npm ci when the lock changed)

# Debian's Chromium, for the end-to-end suite only (browser downloads are impossible here; installing needs root).
e2e-browser: ## Debian's Chromium for the end-to-end suite (apt-get, as root, when missing)
	@if [ ! -x $(CHROMIUM) ]; then apt-get update && apt-get install -y chromium; fi

# Type-check and build; fails when the initial JavaScript is over 250 KB gzipped.
frontend-build: frontend-install ## type-check and build the SPA into frontend/dist (fails over the bundle budget)
	$(FRONTEND_NPM) run build

# Regenerate the typed API clients from the services' OpenAPI documents (no server needed).
frontend-client: install frontend-install ## regenerate the SPA's typed API clients from the OpenAPI documents
	$(FRONTEND_NPM) run generate-client

# eslint, Prettier's check (`npm run format` writes) and tsc: part of `make lint`.
lint-frontend: frontend-install ## eslint, Prettier's check and tsc over the SPA
	$(FRONTEND_NPM) run lint
	$(FRONTEND_NPM) run format:check
	$(FRONTEND_NPM) run typecheck

lint: lint-frontend

# Unit tests (vitest), the bundle-size budget and the client staleness check, after the SPA's lint.
test-frontend: install lint-frontend ## eslint, Prettier, tsc, vitest, the bundle budget and the API clients' staleness check
	$(FRONTEND_NPM) test
	$(FRONTEND_NPM) run build
	$(FRONTEND_NPM) run check-client

# Playwright against the real stack on a fresh embedded database; the runner stops the stack even on failure.
test-e2e: install frontend-build e2e-browser ## Playwright on Debian's Chromium against the real stack
	$(FRONTEND_NPM) run test:e2e

run: frontend-build
test: test-frontend test-e2e

# --- Numbers (issue 10): the property tests with ten times the examples of `make test` (hypothesis, plain reference
# implementations of the aggregation rules and the funding summary). Bounded: about 20 minutes on a loaded machine.
.PHONY: test-properties

test-properties: install ## the property tests with ten times the examples (about 20 minutes)
	MCB_HYPOTHESIS_PROFILE=thorough .venv/bin/pytest services/reporting-api/reporting_api_tests/test_rules_properties.py $(PYTEST_ARGS)
	MCB_HYPOTHESIS_PROFILE=thorough .venv/bin/pytest services/projects-api/projects_api_tests/test_funding_properties.py $(PYTEST_ARGS)

# --- Contract and first run (issue 12) ----------------------------------------------------------------------------
# `make check-first-run`: a fresh clone's `make run` as an unprivileged user with no Chromium, apt or sudo on PATH
# (downloads its packages, so it is not in `make test`). `make test-stack`: the one-process stack's suite (logs,
# shutdown, the generated Python client's integrator script, schemathesis on both documents); `make fuzz`: the
# schemathesis run at nightly size. `make check-dev-loop`: CONTRIBUTING's loop on a fresh clone, each step timed (like
# check-first-run, it installs packages, so it is not in `make test`).
.PHONY: check-first-run check-dev-loop test-stack fuzz

check-first-run: ## a fresh clone's make run as an unprivileged user without Chromium, apt or sudo
	tools/first_run_check.sh

check-dev-loop: ## CONTRIBUTING's loop on a fresh clone, timed: make dev, a change reloaded, pre-commit, make test-fast
	tools/dev_loop_check.sh

test-stack: install ## the one-process stack's suite: logs, shutdown, the generated client, schemathesis
	@echo "== packages/registry-stack/registry_stack_tests"
	.venv/bin/pytest packages/registry-stack/registry_stack_tests $(PYTEST_ARGS)

# Nightly size: 50 examples per operation, the coverage and stateful phases, a new seed each run (printed).
fuzz: install ## schemathesis at nightly size (MCB_FUZZ_EXAMPLES, MCB_FUZZ_SEED)
	MCB_FUZZ_EXAMPLES=$${MCB_FUZZ_EXAMPLES:-50} MCB_FUZZ_PHASES=examples,coverage,fuzzing,stateful \
		MCB_FUZZ_SEED=$${MCB_FUZZ_SEED:-random} .venv/bin/pytest packages/registry-stack/registry_stack_tests/test_schemathesis.py $(PYTEST_ARGS)

test: test-stack

# --- Reliability and security (issue 11) -----------------------------------------------------------------------------
# `make soak` (CLIENTS=200 SECONDS=60): the one-machine stack behind the real nginx gateway on loopback, reads and
# writes mixed, a ledger of every write checked against the database at the end (0 lost, 0 doubled), 0 errors, p99
# per kind of request; writes var/soak/latest.json. Not part of `make test` (it takes a few minutes of both cores).
CLIENTS ?= 200
SECONDS ?= 60

.PHONY: soak

soak: install deploy-tools ## the stack behind nginx under mixed load (CLIENTS, SECONDS): 0 lost, 0 doubled, p99s
	NGINX_BIN=$(NGINX_BIN) $(PY) tools/soak.py --clients $(CLIENTS) --seconds $(SECONDS)
# --- end of reliability and security ---------------------------------------------------------------------------------
