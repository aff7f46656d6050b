#!/usr/bin/env bash
# `make check-first-run`: what a newcomer does, checked. A fresh clone of this checkout's HEAD, then `make run` as an
# unprivileged user (root: `nobody`, via setpriv; anyone else: themselves) with an empty home and a PATH that has no
# Chromium, no apt, no dpkg and no sudo. When the banner says it runs, the web app, both API docs pages and an API
# call are fetched; then Ctrl-C (SIGINT to make) must stop everything, the embedded PostgreSQL included.
# Everything it downloads (uv, Python and npm packages) lands in its temporary folder, removed at the end
# (KEEP=1 keeps it). It needs the package registries, so it is not part of `make test`.
set -euo pipefail

repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d /tmp/mcb-first-run.XXXXXX)
chmod 755 "$work"
port=${MCB_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
started=$(date +%s)

cleanup() {
	if [[ -n "${make_pid:-}" ]] && kill -0 "$make_pid" 2>/dev/null; then kill -INT -- "-$make_pid" 2>/dev/null || true; fi
	if [[ -z "${KEEP:-}" ]]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

# A PATH of everything in /usr/local/bin, /usr/bin and /bin but the browser and the package tools.
mkdir -p "$work/bin" "$work/home"
for dir in /usr/local/bin /usr/bin /bin; do
	for tool in "$dir"/*; do
		name=$(basename "$tool")
		case "$name" in chromium* | chrome* | google-chrome* | apt* | dpkg* | sudo | su) continue ;; esac
		[[ -e "$work/bin/$name" ]] || ln -s "$tool" "$work/bin/$name"
	done
done

git clone --quiet --no-hardlinks "$repo" "$work/clone"
if [[ $(id -u) -eq 0 ]]; then
	chown -R nobody:nogroup "$work/clone" "$work/home"
	as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
else
	as_user=()
fi
echo "first run: $(id -un) → ${as_user:+nobody, }a fresh clone in $work/clone, port $port, no chromium/apt/sudo on PATH"

# A clean environment, but for how this machine reaches the package registries (proxies, CA bundles, pip's
# configuration): a newcomer's machine has its own.
passed=()
while IFS= read -r name; do
	case "$name" in
	*[Pp][Rr][Oo][Xx][Yy]* | SSL_* | *CA_CERT* | *CA_BUNDLE* | PIP_* | UV_* | npm_config_*) passed+=("$name=${!name}") ;;
	esac
done < <(compgen -e)

# Its own process group, so Ctrl-C reaches make and everything it started, as in a terminal.
setsid env -i "${passed[@]}" HOME="$work/home" PATH="$work/bin" LANG=C.UTF-8 MCB_PORT="$port" \
	"${as_user[@]}" make -C "$work/clone" run >"$work/run.log" 2>&1 &
make_pid=$!

deadline=$((SECONDS + ${TIMEOUT:-1200}))
until grep -q "Ctrl-C stops it" "$work/run.log"; do
	if ! kill -0 "$make_pid" 2>/dev/null || ((SECONDS > deadline)); then
		echo "first run: make run did not start; its log ends with:" >&2
		tail -40 "$work/run.log" >&2
		exit 1
	fi
	sleep 2
done
echo "first run: serving after $(($(date +%s) - started)) s"

base="http://127.0.0.1:$port"
for path in / /api/projects/docs /api/reporting/docs "/api/projects/v1/projects?page_size=1" /api/reporting/v1/indicators; do
	code=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
	echo "first run: GET $path → $code"
	[[ "$code" == 200 ]] || exit 1
done
grep -q '<div id="root">' <(curl -s "$base/") || { echo "first run: / is not the built web app" >&2; exit 1; }

pg_pid=$(head -1 "$work/clone/var/pg/postmaster.pid")
kill -INT -- "-$make_pid"
for _ in $(seq 1 60); do kill -0 "$make_pid" 2>/dev/null || break; sleep 1; done
if kill -0 "$make_pid" 2>/dev/null; then echo "first run: Ctrl-C did not stop make run" >&2; exit 1; fi
if kill -0 "$pg_pid" 2>/dev/null; then echo "first run: the embedded PostgreSQL ($pg_pid) outlived make run" >&2; exit 1; fi
if grep -qiE 'apt-get|chromium' "$work/run.log"; then echo "first run: make run mentions apt-get or chromium" >&2; exit 1; fi
echo "first run: OK in $(($(date +%s) - started)) s (make run as $(if [[ ${#as_user[@]} -gt 0 ]]; then echo nobody; else id -un; fi), no browser, Ctrl-C stopped everything)"
