"""`python -m bench [--size full|quick|tiny]`: dataset, services, load, one table, bench/results/latest.json.

SIZE (or --size) picks the dataset; `tiny` checks correctness only (CI: no thresholds; its table goes to
var/bench/tiny.json, BENCHMARKS.md is left alone). BENCH_DATABASE_URL names a PostgreSQL server to use instead of
the embedded one; BENCH_PROFILE=1 records a py-spy profile of the product during each load run (bench/profile.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Callable

import asyncpg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from bench import dataset, db, floor_models, report
from bench.context import CheckFailed, Context
from bench.load import ensure_wrk
from bench.ops import frontend, gateway, iati, projects, reporting, system
from bench.procs import Service, floor_service, free_port
from bench.sizes import Size, size_named
from bench.sqlcapture import capture, encode_param
from projects_api.settings import Settings
from registry_kit.auth import Grant, Role
from registry_kit.settings import REPO_ROOT

WORK = (REPO_ROOT / os.environ.get("BENCH_WORK", "var/bench")).resolve()  # another run beside this one needs its own


def only_groups() -> set[str]:
    """BENCH_ONLY=reporting,system: run only these groups of rows (while working on them); not written as the record."""
    return {name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()}


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)  # noqa: T201


def _signing_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _base_env() -> dict[str, str]:
    """The caller's environment without any service settings of its own (a stray .env value must not leak in)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PROJECTS_", "REPORTING_", "GATEWAY_"))}


def projects_env(url: str, pem: str) -> dict[str, str]:
    return _base_env() | {
        # The account the reporter's imports act for (an import job checks its uploader's rights in projects-api).
        "PROJECTS_BOOTSTRAP_ADMIN_EMAIL": db.BENCH_ADMIN[0],
        "PROJECTS_BOOTSTRAP_ADMIN_PASSWORD": db.BENCH_ADMIN[1],
        "PROJECTS_FEED_CLIENT_ID": db.FEED_CLIENT[0],
        "PROJECTS_FEED_CLIENT_SECRET": db.FEED_CLIENT[1],
        "PROJECTS_ENVIRONMENT": "production",
        "PROJECTS_DATABASE_URL": url,
        "PROJECTS_JWT_PRIVATE_KEY": pem,
        "PROJECTS_ACCESS_TOKEN_MINUTES": "240",
        "PROJECTS_LOG_LEVEL": "INFO",
    }


def _token(env: dict[str, str], role: Role = Role.viewer, subject: str | None = None) -> str:
    from projects_api.identity.keys import load_signing_key
    from projects_api.identity.tokens import issue_access_token

    settings = _settings(env)
    token, _ = issue_access_token(
        load_signing_key(settings),
        settings,
        subject=subject or f"bench-{role.value}",
        name=f"Benchmark client ({role.value} everywhere)",
        organisation_id=None,
        grants=[Grant(role)],
    )
    return token


def _settings(env: dict[str, str]) -> Settings:
    saved = dict(os.environ)
    os.environ.update({k: v for k, v in env.items() if k.startswith("PROJECTS_")})
    try:
        return Settings(log_level="WARNING")
    finally:
        os.environ.clear()
        os.environ.update(saved)


async def _bench_admin(url: str) -> str:
    """The subject of the account bootstrap made (`user:<id>`)."""
    conn = await asyncpg.connect(db.dsn(url))
    try:
        user_id = await conn.fetchval("SELECT id FROM user_account WHERE email = $1", db.BENCH_ADMIN[0])
        return f"user:{user_id}"
    finally:
        await conn.close()


async def _prepare(size: Size, pem: str) -> tuple[str, dataset.Dataset, str]:
    url = await db.fresh_database("bench_projects")
    say("database bench_projects created; migrating")
    db.migrate("projects_api", projects_env(url, pem), WORK / "logs" / "migrate.log")
    db.manage("projects_api", "bootstrap", projects_env(url, pem), WORK / "logs" / "migrate.log")
    started = time.monotonic()
    data = dataset.generate(size)
    say(f"generated in {time.monotonic() - started:.1f} s; loading with COPY")
    started = time.monotonic()
    counts = await dataset.load(db.dsn(url), data)
    say(f"loaded in {time.monotonic() - started:.1f} s: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    started = time.monotonic()
    await floor_models.install(db.dsn(url))
    problems = await floor_models.verify(db.dsn(url))
    if problems:
        raise CheckFailed("the independent floor's read models are not kept under writes: " + "; ".join(problems))
    say(f"independent floor's read models built and checked under writes in {time.monotonic() - started:.1f} s")
    conn = await asyncpg.connect(db.dsn(url))
    try:
        version = str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()
    return url, data, version


async def _capture(env: dict[str, str], token: str, ctx_paths: dict[str, str]) -> dict[str, list[dict[str, object]]]:
    from projects_api.main import create_app

    settings = _settings(env)
    return await capture(create_app(settings), token, ctx_paths)


def _start_projects(ctx: Context, env: dict[str, str], url: str) -> None:
    """Launch the product, capture its SQL in-process meanwhile, then launch the floor that replays it."""
    logs = WORK / "logs"
    port = free_port()
    api = Service(
        "projects-api",
        [sys.executable, "-m", "projects_api", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env,
        port,
        logs / "projects-api.log",
    )
    ctx.services[api.name] = api
    api.launch()
    country, project_id = ctx.dataset.countries[0], ctx.dataset.project_ids[0]
    requests = {
        "list": f"{projects.PREFIX}/projects?country={country}&page_size=50&page=3",
        "detail": f"{projects.PREFIX}/projects/{project_id}",
        "funding_summary": projects.SUMMARY_PATH,
    }
    ctx.captured = asyncio.run(_capture(env, ctx.token, requests))
    values = {
        "list": {"country": country, "page_size": 50, "offset": 100},
        "detail": {"id": encode_param(project_id)},
    }
    say("captured the product's SQL: " + ", ".join(f"{k} {len(v)} statements" for k, v in ctx.captured.items()))
    floor_sql = WORK / "floor-sql.json"
    floor_sql.write_text(json.dumps({"statements": ctx.captured, "values": values}))
    floor = floor_service("projects-floor", "bench.floor:create_app", env, db.dsn(url), floor_sql, logs)
    independent = floor_service(
        "projects-independent", "bench.independent_floor:create_app", env, db.dsn(url), None, logs
    )
    for service in (floor, independent):
        ctx.services[service.name] = service
        service.launch()
    for service in (api, floor, independent):
        service.wait_ready()
        say(f"{service.name} ready on {service.base_url} (log {service.log.relative_to(REPO_ROOT)})")


def _run_rows(ctx: Context) -> list[report.Operation]:
    rows: list[Callable[[Context], report.Operation | list[report.Operation]]] = [
        projects.list_projects,
        projects.project_detail,
        projects.funding_summary,
        reporting.rows,
        iati.export_activities,
        gateway.list_through_gateway,
        system.memory,
        frontend.dashboard,
    ]
    out: list[report.Operation] = []
    only = only_groups()
    for row in rows:
        if only and row.__module__.rsplit(".", 1)[-1] not in only:
            continue
        say(f"running {row.__module__.rsplit('.', 1)[-1]}.{row.__name__}")
        result = row(ctx)
        for op in result if isinstance(result, list) else [result]:
            op.details["load_1m"] = round(os.getloadavg()[0], 2)  # the machine's load when the row was measured
            out.append(op)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--size", default=os.environ.get("SIZE") or "full")
    args = parser.parse_args()
    size = size_named(args.size)
    load_start = os.getloadavg()[0]
    ensure_wrk()
    (WORK / "logs").mkdir(parents=True, exist_ok=True)
    say(
        f"size {size.name}: {size.projects:,} projects, {size.organisations:,} organisations, "
        f"{size.transactions:,} transactions"
    )
    pem = _signing_pem()
    try:
        url, data, pg_version = asyncio.run(_prepare(size, pem))
    except CheckFailed as exc:
        say(f"FAILED: {exc}")
        return 1
    env = projects_env(url, pem)
    uploader = asyncio.run(_bench_admin(url))
    reporter_token = _token(env, Role.reporter, subject=uploader)
    ctx = Context(size=size, work=WORK, token=_token(env), dataset=data, reporter_token=reporter_token)
    ctx.extra["projects_dsn"] = db.dsn(url)
    ctx.extra["projects_env"] = env  # the IATI row starts a projects-api of its own
    try:
        _start_projects(ctx, env, url)
        operations = _run_rows(ctx)
    except CheckFailed as exc:
        say(f"FAILED: {exc}")
        return 1
    finally:
        for service in reversed(list(ctx.services.values())):
            service.stop()
    command = f"make bench SIZE={size.name}"
    complete = not only_groups()  # a partial run is not the record
    latest = size.thresholds and complete
    machine = report.machine(pg_version, load_start)
    path = report.write(size.name, machine, operations, command, latest=latest, complete=complete)
    print("\n" + report.table(operations) + "\n")  # noqa: T201
    say(f"wrote {path.relative_to(REPO_ROOT)}" + (" and BENCHMARKS.md" if latest else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
