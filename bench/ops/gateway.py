"""The same list request through the nginx gateway (deploy/gateway), against the service directly, back to back."""

from __future__ import annotations

import shutil

from bench.context import Context
from bench.ops.projects import list_paths
from bench.procs import Service, free_port
from bench.report import Operation
from registry_kit.settings import REPO_ROOT

ENTRYPOINT = REPO_ROOT / "deploy" / "gateway" / "entrypoint.sh"


def _start(ctx: Context) -> Service:
    temp = ctx.work / "nginx"
    spa = ctx.work / "spa"
    spa.mkdir(parents=True, exist_ok=True)
    (spa / "index.html").write_text("<!doctype html><title>bench</title>\n")
    port = free_port()
    reporting = ctx.services.get("reporting-api")
    env = ctx.services["projects-api"].env | {
        "GATEWAY_PORT": f"127.0.0.1:{port}",
        "PROJECTS_UPSTREAM": f"127.0.0.1:{ctx.services['projects-api'].port}",
        "REPORTING_UPSTREAM": f"127.0.0.1:{reporting.port if reporting else free_port()}",
        "GATEWAY_TEMP_DIR": str(temp),
        "GATEWAY_SPA_ROOT": str(spa),
        "GATEWAY_WORKER_PROCESSES": "1",
    }
    service = Service(
        "gateway", ["sh", str(ENTRYPOINT)], env, port, ctx.work / "logs" / "gateway.log", "/api/projects/readyz"
    )
    ctx.services["gateway"] = service
    service.start(timeout=30)
    return service


def list_through_gateway(ctx: Context) -> Operation:
    op = Operation(
        "the same list request through the nginx gateway", "req/s", "throughput ≥ 0.85 × direct", key="gateway"
    )
    if not ENTRYPOINT.exists():
        return op.not_measured("deploy/gateway/entrypoint.sh does not exist yet")
    if shutil.which("nginx") is None or shutil.which("envsubst") is None:
        return op.not_measured("nginx and envsubst are not installed (apt-get install -y nginx gettext-base)")
    try:
        _start(ctx)
    except RuntimeError as exc:
        return op.not_measured(f"the gateway did not start: {exc}")
    file = ctx.paths_file("list-gateway", list_paths(ctx))
    direct = ctx.load("projects-api", file)
    through = ctx.load("gateway", file)
    op.product = through.rps
    op.add_floor(
        "independent",
        direct.rps,
        "the same requests to the service directly, measured just before",
        judged=True,
        p99_ms=direct.p99_ms,
    )
    op.details = {
        "gateway": {"p50_ms": through.p50_ms, "p99_ms": through.p99_ms},
        "direct": {"p50_ms": direct.p50_ms, "p99_ms": direct.p99_ms},
    }
    op.note = (
        f"floor: the service direct, measured just before; p99 {through.p99_ms:.1f} / {direct.p99_ms:.1f} ms; "
        "one nginx worker"
    )
    if ctx.judged:
        op.met = op.ratio is not None and op.ratio >= 0.85
    return op
