#!/usr/bin/env bash
# `make check-dev-loop`: CONTRIBUTING.md followed by a newcomer, timed. A fresh clone of this checkout's HEAD; its
# set-up (make install, make frontend-install, pre-commit install); `make dev`, until the SPA and an API call answer
# through Vite's port; a one-line change (an endpoint's docstring), until the reloaded stack shows it in the OpenAPI
# document; `git commit`, which must run the pre-commit hooks and pass them; `make test-fast`; then Ctrl-C (SIGINT)
# must stop `make dev`. Each step's time is printed; any step that fails stops the check with its log.
# It installs packages into the clone (from the registries, or the machine's caches), so it is not part of `make test`.
set -euo pipefail

repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d /tmp/mcb-dev-loop.XXXXXX)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
dev_port=$(free_port)
api_port=$(free_port)

cleanup() {
	if [[ -n "${dev_pid:-}" ]] && kill -0 "$dev_pid" 2>/dev/null; then kill -INT -- "-$dev_pid" 2>/dev/null || true; fi
	if [[ -z "${KEEP:-}" ]]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }
step() { # step NAME COMMAND...: the command's output in $work/NAME.log, its time printed, its log shown if it fails
	local name=$1 start
	shift
	start=$(now)
	if ! "$@" >"$work/$name.log" 2>&1; then
		echo "dev loop: $name FAILED after $(since "$start") s"
		tail -40 "$work/$name.log"
		exit 1
	fi
	echo "dev loop: $name $(since "$start") s"
}
wait_for() { # wait_for SECONDS COMMAND...: until the command succeeds
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		if ((SECONDS > deadline)); then return 1; fi
		sleep 0.5
	done
}

git clone --quiet --no-hardlinks "$repo" "$work/clone"
cd "$work/clone"
git config user.email newcomer@example.org
git config user.name "A newcomer"
echo "dev loop: a fresh clone of $(git rev-parse --short HEAD) in $work/clone, make dev on :$dev_port (API :$api_port)"

step install make install
step frontend-install make frontend-install
step pre-commit-install .venv/bin/pre-commit install

start=$(now)
setsid make dev DEV_PORT="$dev_port" DEV_API_PORT="$api_port" >"$work/dev.log" 2>&1 &
dev_pid=$!
spa="http://127.0.0.1:$dev_port"
if ! wait_for 300 curl -fsS "$spa/" -o /dev/null || ! wait_for 60 curl -fsS "$spa/api/projects/v1/projects" -o /dev/null; then
	echo "dev loop: make dev did not answer on :$dev_port"
	tail -40 "$work/dev.log"
	exit 1
fi
curl -fsS "$spa/" | grep -q '/@vite/client' || { echo "dev loop: :$dev_port is not Vite's dev server"; exit 1; }
echo "dev loop: make dev answering (the SPA and /api through Vite) $(since "$start") s"

router=services/projects-api/src/projects_api/organisations/router.py
before='"""List organisations, searched and filtered."""'
after='"""List organisations, searched and filtered by name, country, type and parent."""'
grep -qF "$before" "$router" || { echo "dev loop: the docstring to change is not in $router"; exit 1; }
start=$(now)
sed -i "s/${before}/${after}/" "$router"
if ! wait_for 120 bash -c "curl -fsS '$spa/api/projects/openapi.json' | grep -qF 'filtered by name, country, type and parent'"; then
	echo "dev loop: the change never reached the running stack"
	tail -40 "$work/dev.log"
	exit 1
fi
echo "dev loop: the change served by the reloaded stack $(since "$start") s"

step commit git commit -am "organisations: the list's docstring names its filters"
for hook in "ruff check --fix" "ruff format" "mypy --strict" "import contracts"; do
	grep -qE "^${hook}.*\.Passed" "$work/commit.log" || { echo "dev loop: pre-commit did not pass $hook"; cat "$work/commit.log"; exit 1; }
done

step test-fast make test-fast
grep -E "^[0-9]+ passed" "$work/test-fast.log" | sed 's/^/dev loop:   /'

start=$(now)
kill -INT -- "-$dev_pid"
if ! wait_for 60 bash -c "! kill -0 $dev_pid"; then
	echo "dev loop: make dev did not stop on Ctrl-C"
	exit 1
fi
if curl -fsS "http://127.0.0.1:$api_port/healthz" >/dev/null 2>&1; then
	echo "dev loop: the stack still answers after make dev stopped"
	exit 1
fi
echo "dev loop: make dev stopped on Ctrl-C $(since "$start") s"
echo "dev loop: passed"
