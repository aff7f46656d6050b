"""The frontend dashboard on the demo data, in Debian's headless Chromium.

The one-process stack (`python -m registry_stack`: both services, the built SPA, the demo data, an embedded
PostgreSQL kept under var/bench/stack-pg so later runs skip the loading) serves the page; bench/frontend_probe.mjs
times navigation to the first country drawn on the funding map, five times in one browser. The first load is cold
(nothing cached); the figure is the median of the four warm ones, the cold one is in the details.
"""

from __future__ import annotations

import json
import shutil
import signal
import statistics
import subprocess
import sys

from bench.context import Context
from bench.procs import Service, free_port
from bench.report import Operation
from registry_kit.settings import REPO_ROOT

FRONTEND = REPO_ROOT / "frontend"
PROBE = REPO_ROOT / "bench" / "frontend_probe.mjs"
TARGET_S = 1.5


def _missing() -> str | None:
    if not (FRONTEND / "dist" / "index.html").exists():
        return "frontend/dist is not built (cd frontend && npm ci && npm run build)"
    if not (FRONTEND / "node_modules" / "playwright-core").exists():
        return "frontend/node_modules has no playwright-core (cd frontend && npm ci)"
    if shutil.which("node") is None or shutil.which("chromium") is None:
        return "node or Debian's chromium is not installed"
    return None


def dashboard(ctx: Context) -> Operation:
    op = Operation(
        "frontend dashboard on the demo data, headless Chromium", "s", f"rendered ≤ {TARGET_S} s", key="frontend"
    )
    missing = _missing()
    if missing:
        return op.not_measured(missing)
    port = free_port()
    pg = ctx.work / "stack-pg"
    env = ctx.services["projects-api"].env.copy()
    for name in list(env):
        if name.startswith("PROJECTS_"):
            del env[name]  # the stack's own development settings, not the bench's production ones
    env |= {
        "MCB_HOST": "127.0.0.1",
        "MCB_PORT": str(port),
        "PROJECTS_EMBEDDED_PG_DIR": str(pg),
        "REPORTING_EMBEDDED_PG_DIR": str(pg),
    }
    stack = Service(
        "stack",
        [sys.executable, "-m", "registry_stack"],
        env,
        port,
        ctx.work / "logs" / "stack.log",
        "/api/projects/readyz",
        signal.SIGINT,
    )
    ctx.services["stack"] = stack
    try:
        stack.start(timeout=240)
    except RuntimeError as exc:
        return op.not_measured(f"the one-process stack did not start: {exc}")
    try:
        done = subprocess.run(  # noqa: S603 - our own probe
            ["node", str(PROBE), stack.base_url, "5"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
            cwd=REPO_ROOT,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        return op.not_measured(f"the dashboard probe failed: {str(exc)[:300]}")
    finally:
        stack.stop()
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_RESULT ")), None)
    if line is None:
        return op.not_measured(f"the dashboard probe printed no result: {done.stdout[-300:]} {done.stderr[-300:]}")
    times = [t / 1000 for t in json.loads(line.removeprefix("BENCH_RESULT "))["ms"]]
    op.product = statistics.median(times[1:]) if len(times) > 1 else times[0]
    op.add_floor("limit", TARGET_S, "the issue's target", judged=True)
    op.details = {"seconds": times, "cold_s": times[0]}
    op.note = f"median of {len(times) - 1} warm loads; the cold first load took {times[0]:.2f} s"
    if ctx.judged:
        op.met = op.product <= TARGET_S
    return op
