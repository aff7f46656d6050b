"""reporting-api rows: indicator progress and time series against their floor, the 1,000,000-value import against a
raw COPY of the same rows, the streamed CSV export of every value (rate and memory).

`prepare` makes the reporting database (migrated the production way), loads the reporting dataset with COPY
(bench/reporting_dataset.py), starts `python -m reporting_api serve` beside the bench projects-api (its JWKS, its
access checks), captures its SQL in-process and starts the floor that replays it (bench/reporting_floor.py).
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from pydantic import SecretStr

from bench import dataset, db, profile, reporting_dataset
from bench.compare import check_same
from bench.context import CheckFailed, Context
from bench.procs import Service, floor_service, free_port
from bench.report import Operation
from bench.sqlcapture import capture, encode_param
from registry_kit.settings import REPO_ROOT

PREFIX = "/api/reporting/v1"
PROGRESS_NAME = "indicator progress and time series for a project"
EXPORT_RATE = 200_000.0
EXPORT_GROWTH_MB = 50.0
IMPORT_RATIO = 2.5


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)  # noqa: T201


def _env(ctx: Context, url: str) -> dict[str, str]:
    projects = ctx.services["projects-api"]
    base = {k: v for k, v in projects.env.items() if not k.startswith("PROJECTS_")}
    return base | {
        "REPORTING_ENVIRONMENT": "production",
        "REPORTING_DATABASE_URL": url,
        "REPORTING_PROJECTS_API_URL": projects.base_url,
        "REPORTING_PROJECTS_CLIENT_ID": db.FEED_CLIENT[0],
        "REPORTING_PROJECTS_CLIENT_SECRET": db.FEED_CLIENT[1],
        "REPORTING_AUTH_JWKS_URL": f"{projects.base_url}/api/projects/v1/auth/jwks",
        "REPORTING_SYNC_INTERVAL_SECONDS": "0",  # the bench loads the local copy of projects itself
        # The hourly scan for reports due runs first at start-up, on the event loop, over every project and report
        # (quick: about 2 s of CPU): it would land inside the first measured rows. Off, as the feed is; BENCHMARKS.md
        "REPORTING_DUE_SCAN_SECONDS": "0",
        "REPORTING_IMPORT_JOB_BYTES": "65536",  # every size's file runs as a job, as the row's name says
        "REPORTING_LOG_LEVEL": "INFO",
    }


def _settings(env: dict[str, str]) -> Any:
    from reporting_api.settings import Settings

    return Settings(
        database_url=SecretStr(env["REPORTING_DATABASE_URL"]),
        projects_api_url=env["REPORTING_PROJECTS_API_URL"],
        auth_jwks_url=env["REPORTING_AUTH_JWKS_URL"],
        sync_interval_seconds=0,
        import_poll_seconds=0,
        log_level="WARNING",
    )


async def _load(size: Any, ctx: Context) -> tuple[str, reporting_dataset.ReportingDataset]:
    url = await db.fresh_database("bench_reporting")
    db.migrate("reporting_api", _env(ctx, url), ctx.work / "logs" / "migrate.log")
    started = time.monotonic()
    data = reporting_dataset.generate(size, ctx.dataset)
    say(f"reporting dataset generated in {time.monotonic() - started:.1f} s; loading with COPY")
    started = time.monotonic()
    counts = await dataset.load(db.dsn(url), data)
    say(f"loaded in {time.monotonic() - started:.1f} s: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    return url, data


def _requests(data: reporting_dataset.ReportingDataset) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    project_id, _, framework = data.frameworks[0]
    code = framework[0][0]
    paths = {
        "progress": f"{PREFIX}/aggregations/progress/{project_id}",
        "time_series": f"{PREFIX}/aggregations/time-series?indicator={code}&project_id={project_id}",
    }
    return paths, {"progress": {"project_id": project_id}, "time_series": {"project_id": project_id, "indicator": code}}


def prepare(ctx: Context) -> None:
    """Database, dataset, reporting-api, its captured SQL and its floor."""
    url, data = asyncio.run(_load(ctx.size, ctx))
    ctx.extra["reporting_url"] = url
    ctx.extra["reporting_data"] = data
    env = _env(ctx, url)
    logs = ctx.work / "logs"
    port = free_port()
    api = Service(
        "reporting-api",
        [sys.executable, "-m", "reporting_api", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env,
        port,
        logs / "reporting-api.log",
    )
    ctx.services[api.name] = api
    api.launch()
    paths, samples = _requests(data)
    from reporting_api.main import create_app

    captured = asyncio.run(capture(create_app(_settings(env)), ctx.token, paths))
    ids = {row[1]: row[0] for row in data.rows("indicator")}
    samples["time_series"]["indicator_id"] = ids[samples["time_series"]["indicator"]]
    say("captured reporting-api's SQL: " + ", ".join(f"{k} {len(v)} statements" for k, v in captured.items()))
    ctx.captured |= {f"reporting_{k}": v for k, v in captured.items()}
    floor_sql = ctx.work / "reporting-floor-sql.json"
    floor_sql.write_text(
        json.dumps(
            {
                "statements": captured,
                "values": {name: {k: encode_param(v) for k, v in values.items()} for name, values in samples.items()},
            }
        )
    )
    floor = floor_service("reporting-floor", "bench.reporting_floor:create_app", env, db.dsn(url), floor_sql, logs)
    independent = floor_service(
        "reporting-independent", "bench.reporting_independent_floor:create_app", env, db.dsn(url), None, logs
    )
    for service in (floor, independent):
        ctx.services[service.name] = service
        service.launch()
    for service in (api, floor, independent):
        service.wait_ready()
        say(f"{service.name} ready on {service.base_url} (log {service.log.relative_to(REPO_ROOT)})")


def rows(ctx: Context) -> list[Operation]:
    try:
        prepare(ctx)
    except (RuntimeError, OSError, asyncpg.PostgresError) as exc:
        raise CheckFailed(f"reporting-api could not be prepared: {exc}") from exc
    return [progress_and_series(ctx), export_csv(ctx), import_values(ctx)]


# -- (a) progress and time series ------------------------------------------------------------------------------


def _read_paths(data: reporting_dataset.ReportingDataset) -> list[str]:
    rng = random.Random(11)  # noqa: S311 - a reproducible sample
    out = []
    for project_id, _, framework in rng.sample(data.frameworks, min(250, len(data.frameworks))):
        out.append(f"{PREFIX}/aggregations/progress/{project_id}")
        out.append(f"{PREFIX}/aggregations/time-series?indicator={framework[0][0]}&project_id={project_id}")
    return out


def progress_and_series(ctx: Context) -> Operation:
    op = Operation(PROGRESS_NAME, "req/s", "throughput ≥ 0.5 × independent floor", key="progress")
    data: reporting_dataset.ReportingDataset = ctx.extra["reporting_data"]
    paths = _read_paths(data)
    floors = ["reporting-floor", "reporting-independent"]
    check_same(ctx.get, paths[:8], "reporting-api", floors, "progress/time series")
    for path in paths[:8:2]:
        if not ctx.get("reporting-api", path)["indicators"]:
            raise CheckFailed(f"progress: no framework indicators in the answer to {path}")
    file = ctx.paths_file("reporting-reads", paths)
    product, replay, independent = (ctx.load(s, file) for s in ("reporting-api", *floors))
    op.details = {
        **op.throughput_against_floors(
            product,
            replay,
            independent,
            "hand-written SQL, one statement per request (bench/reporting_independent_floor.py)",
        ),
        "statements": {k: len(v) for k, v in ctx.captured.items() if k.startswith("reporting_")},
    }
    op.note = (
        f"p50 {product.p50_ms:.1f} ms (independent {independent.p50_ms:.1f}, replay {replay.p50_ms:.1f}), p99 "
        f"{product.p99_ms:.1f} ms (independent {independent.p99_ms:.1f}, replay {replay.p99_ms:.1f}); "
        f"progress and time series alternate over {len(paths) // 2} projects"
    )
    if ctx.judged:
        op.met = op.ratio is not None and op.ratio >= 0.5
    return op


# -- (b) the import --------------------------------------------------------------------------------------------


async def _copy_floor(dsn: str, file: reporting_dataset.ImportFile) -> float:
    """A raw COPY of the same rows (the reports the values need, then the values) into the same tables, timed,
    then rolled back and vacuumed so the product imports into the same state."""
    conn = await asyncpg.connect(dsn)
    try:
        columns = dict(reporting_dataset.ROW_COLUMNS)
        transaction = conn.transaction()
        await transaction.start()
        started = time.monotonic()
        await conn.copy_records_to_table("report", records=file.reports.make(), columns=list(columns["report"]))
        await conn.copy_records_to_table(
            "report_value", records=file.report_values.make(), columns=list(columns["report_value"])
        )
        seconds = time.monotonic() - started
        await transaction.rollback()
        await conn.execute("VACUUM (ANALYZE) report_value")
        await conn.execute("VACUUM (ANALYZE) report")
        return seconds
    finally:
        await conn.close()


async def _count_values(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM report_value"))
    finally:
        await conn.close()


def _upload(ctx: Context, path: Path) -> tuple[float, float, dict[str, Any]]:
    """POST the file, poll the job to its end: (seconds to the 202, seconds to the completed job, the job)."""
    base = ctx.services["reporting-api"].base_url
    headers = {"Authorization": f"Bearer {ctx.reporter_token}"}
    spy = None
    process = ctx.services["reporting-api"].process
    with httpx.Client(base_url=base, headers=headers, timeout=600.0) as client:
        started = time.monotonic()
        if profile.enabled() and process is not None:
            spy = profile.start(process.pid, 600, ctx.work / "profiles" / "reporting-api-import.raw")
        with path.open("rb") as stream:
            response = client.post(f"{PREFIX}/imports", files={"file": ("values.csv", stream, "text/csv")})
        accepted = time.monotonic() - started
        if response.status_code != 202:
            raise CheckFailed(f"import: expected 202 and a job, got {response.status_code}: {response.text[:300]}")
        location = response.headers["location"]
        while True:
            job = client.get(location).json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        finished = time.monotonic() - started
    if spy is not None:
        spy.send_signal(signal.SIGINT)  # py-spy writes its profile when interrupted
        spy.wait(timeout=30)
        raw = ctx.work / "profiles" / "reporting-api-import.raw"
        if raw.exists():
            profile.summarise(raw)
    return accepted, finished, job


def import_values(ctx: Context) -> Operation:
    data: reporting_dataset.ReportingDataset = ctx.extra["reporting_data"]
    file = reporting_dataset.import_file(ctx.size, data, ctx.work / "import.csv")
    op = Operation(
        f"import of {file.values:,} values (CSV upload to completed job)",
        "s",
        f"time ≤ {IMPORT_RATIO} × raw COPY of the same rows",
        key="import",
    )
    dsn = db.dsn(ctx.extra["reporting_url"])
    before = asyncio.run(_count_values(dsn))
    floor = asyncio.run(_copy_floor(dsn, file))
    accepted, seconds, job = _upload(ctx, file.path)
    summary = job.get("summary") or {}
    if job["status"] != "done" or summary.get("status") != "success" or summary.get("imported") != file.values:
        raise CheckFailed(f"import: the job ended {job['status']} with {json.dumps(summary)[:500]} {job.get('error')}")
    after = asyncio.run(_count_values(dsn))
    if after - before != file.values:
        raise CheckFailed(f"import: {after - before} values were written, not {file.values}")
    op.product = seconds
    op.add_floor("copy", floor, "COPY of the same reports and values in one transaction (rolled back)", judged=True)
    op.details = {
        "values": file.values,
        "bytes": file.bytes,
        "upload_seconds": accepted,
        "reports": file.reports.count,
        "values_before": before,
    }
    op.note = (
        f"{file.values:,} values ({file.bytes / 1e6:.0f} MB CSV, {file.reports.count:,} new draft reports) into "
        f"{before:,} values; upload answered 202 after {accepted:.1f} s; floor: COPY of the same reports and values "
        "in one transaction"
    )
    if ctx.judged:
        op.met = op.ratio is not None and op.ratio <= IMPORT_RATIO
    return op


# -- (c) the export --------------------------------------------------------------------------------------------


class _RssSampler(threading.Thread):
    def __init__(self, service: Service) -> None:
        super().__init__(daemon=True)
        self.service = service
        self.peak = service.rss_mb()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, self.service.rss_mb())
            time.sleep(0.02)


def _download(url: str, token: str) -> tuple[float, int, int]:
    """The export read to its end by curl (C, as a real client's download: a Python client parsing 200 MB of chunked
    HTTP was slower than the service), its lines counted as they arrive (SIZE=large: 2 GB, never on disk); httpx
    when curl is missing."""
    curl = shutil.which("curl")
    headers = {"Authorization": f"Bearer {token}"}
    lines = size = 0
    started = time.monotonic()
    if curl is None:
        with httpx.stream("GET", url, headers=headers, timeout=3600.0) as response:
            if response.status_code != 200:
                raise CheckFailed(f"export answered {response.status_code}")
            for chunk in response.iter_bytes():
                lines += chunk.count(b"\n")
                size += len(chunk)
        return time.monotonic() - started, lines, size
    argv = [curl, "-sS", "-f", "-H", f"Authorization: Bearer {token}", url]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as done:  # noqa: S603 - loopback
        assert done.stdout is not None  # noqa: S101
        while chunk := done.stdout.read(1 << 20):
            lines += chunk.count(b"\n")
            size += len(chunk)
        error = done.stderr.read().decode() if done.stderr else ""
        code = done.wait(timeout=60)
    seconds = time.monotonic() - started
    if code != 0:
        raise CheckFailed(f"export failed: curl {code} {error[:300]}")
    return seconds, lines, size


# The same rows in the same order as the export (the values a viewer reads), written by PostgreSQL alone, the fastest
# way found: the values sorted before the project code and indicator name join them (a merge join on the project and
# a lookup per indicator keep the order), so the sort moves narrower rows; sorting the whole joined rows cost about
# twice the CPU.
_COPY_EXPORT = """
    SELECT pc.code, s.project_id, s.indicator, named.name, s.period_code, s.period_start, s.period_end,
           nullif(s.disaggregation_key, ''), s.value, s.numerator, s.denominator, s.text_value, s.comment, s.status, s.id
    FROM (
        SELECT r.project_id, pi.indicator_id, i.code AS indicator, r.period_code, r.period_start, r.period_end,
               v.disaggregation_key, v.value, v.numerator, v.denominator, v.text_value, v.comment, r.status, r.id
        FROM report_value v JOIN report r ON r.id = v.report_id
        JOIN project_indicator pi ON pi.id = v.project_indicator_id JOIN indicator i ON i.id = pi.indicator_id
        WHERE r.status = 'approved'
        ORDER BY r.project_id, i.code, r.period_start, v.disaggregation_key
    ) s
    JOIN indicator named ON named.id = s.indicator_id
    LEFT JOIN project_copy pc ON pc.id = s.project_id
    ORDER BY s.project_id, s.indicator, s.period_start, s.disaggregation_key
"""


async def _copy_export(dsn: str) -> tuple[float, int]:
    """PostgreSQL's COPY of the export's rows to this process (no HTTP, no service): seconds and lines."""
    conn = await asyncpg.connect(dsn)
    lines = 0

    async def sink(chunk: bytes) -> None:
        nonlocal lines
        lines += chunk.count(b"\n")

    try:
        async with conn.transaction():
            await conn.execute("SET LOCAL work_mem = '256MB'")
            started = time.monotonic()
            await conn.copy_from_query(_COPY_EXPORT, output=sink, format="csv")
            return time.monotonic() - started, lines
    finally:
        await conn.close()


def export_csv(ctx: Context) -> Operation:
    data: reporting_dataset.ReportingDataset = ctx.extra["reporting_data"]
    op = Operation(
        f"export of {data.values:,} values as CSV, streamed",
        "values/s",
        f"≥ {EXPORT_RATE:,.0f} values/s; service memory grows ≤ {EXPORT_GROWTH_MB:.0f} MB while it runs",
        key="export",
    )
    service = ctx.services["reporting-api"]
    baseline = service.rss_mb()
    sampler = _RssSampler(service)
    sampler.start()
    url = f"{service.base_url}{PREFIX}/exports/values?format=csv"
    seconds, lines, size = _download(url, ctx.token)
    sampler.stopped.set()
    sampler.join()
    values = lines - 1
    if values != data.values:
        raise CheckFailed(f"export: {values} values streamed, the dataset has {data.values}")
    growth = sampler.peak - baseline
    op.product = values / seconds
    copy_seconds, copy_lines = asyncio.run(_copy_export(db.dsn(ctx.extra["reporting_url"])))
    if copy_lines != data.values:
        raise CheckFailed(f"export: the COPY floor wrote {copy_lines} rows, the dataset has {data.values}")
    op.add_floor(
        "copy",
        copy_lines / copy_seconds,
        "PostgreSQL's COPY of the same rows in the same order to a client, no service",
        seconds=copy_seconds,
    )
    op.add_floor("limit", EXPORT_RATE, "the issue's target", judged=True)
    op.details = {
        "values": values,
        "seconds": seconds,
        "bytes": size,
        "rss_before_mb": baseline,
        "rss_peak_mb": sampler.peak,
        "rss_growth_mb": growth,
    }
    op.note = (
        f"{values:,} values ({size / 1e6:.0f} MB) in {seconds:.1f} s; RSS {baseline:.0f} MB before, peak "
        f"{sampler.peak:.0f} MB (grew {growth:.1f} MB); read by curl; PostgreSQL's own COPY of the rows took "
        f"{copy_seconds:.1f} s"
    )
    if ctx.judged:
        op.met = op.product >= EXPORT_RATE and growth <= EXPORT_GROWTH_MB
    return op
