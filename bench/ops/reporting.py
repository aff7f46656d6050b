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
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from pydantic import SecretStr

from bench import dataset, db, profile, reporting_dataset
from bench.context import CheckFailed, Context
from bench.procs import Service, floor_service, free_port
from bench.report import Operation
from bench.sqlcapture import capture, encode_param
from registry_kit.settings import REPO_ROOT

PREFIX = "/api/reporting/v1"
NAMES = {
    "progress": "indicator progress and time series for a project",
    "import": "import of 1,000,000 values (CSV upload to completed job)",
    "export": "export of 1,000,000 values as CSV, streamed",
}
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
        "REPORTING_AUTH_JWKS_URL": f"{projects.base_url}/api/projects/v1/auth/jwks",
        "REPORTING_SYNC_INTERVAL_SECONDS": "0",  # the bench loads the local copy of projects itself
        "REPORTING_IMPORT_JOB_BYTES": "65536",  # every size's file runs as a job, as the row's name says
        "REPORTING_LOG_LEVEL": "INFO",
    }


def _settings(env: dict[str, str]) -> Any:
    from reporting_api.settings import Settings

    return Settings(
        database_url=SecretStr(env["REPORTING_DATABASE_URL"]), projects_api_url=env["REPORTING_PROJECTS_API_URL"],
        auth_jwks_url=env["REPORTING_AUTH_JWKS_URL"], sync_interval_seconds=0, import_poll_seconds=0,
        log_level="WARNING",
    )  # fmt: skip


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
        "reporting-api", [sys.executable, "-m", "reporting_api", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env, port, logs / "reporting-api.log",
    )  # fmt: skip
    ctx.services[api.name] = api
    api.launch()
    paths, samples = _requests(data)
    from reporting_api.main import create_app

    captured = asyncio.run(capture(create_app(_settings(env)), ctx.token, paths))
    ids = {row[1]: row[0] for row in data.tables["indicator"][1]}
    samples["time_series"]["indicator_id"] = ids[samples["time_series"]["indicator"]]
    say("captured reporting-api's SQL: " + ", ".join(f"{k} {len(v)} statements" for k, v in captured.items()))
    ctx.captured |= {f"reporting_{k}": v for k, v in captured.items()}
    floor_sql = ctx.work / "reporting-floor-sql.json"
    floor_sql.write_text(json.dumps({
        "statements": captured,
        "values": {name: {k: encode_param(v) for k, v in values.items()} for name, values in samples.items()},
    }))  # fmt: skip
    floor = floor_service("reporting-floor", "bench.reporting_floor:create_app", env, db.dsn(url), floor_sql, logs)
    ctx.services[floor.name] = floor
    floor.launch()
    for service in (api, floor):
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


def _signature(body: dict[str, Any]) -> Any:
    def norm(value: Any) -> Any:
        return Decimal(str(value)) if isinstance(value, int | float | str) and _numeric(value) else value

    if "indicators" in body:
        return [{k: norm(v) for k, v in item.items()} for item in body["indicators"]]
    return [(p["period"], Decimal(str(p["value"])), p["projects"]) for p in body["points"]]


def _numeric(value: Any) -> bool:
    try:
        Decimal(str(value))
    except ArithmeticError:
        return False
    return not isinstance(value, bool)


def progress_and_series(ctx: Context) -> Operation:
    op = Operation(NAMES["progress"], "req/s", "throughput ≥ 0.5 × floor")
    data: reporting_dataset.ReportingDataset = ctx.extra["reporting_data"]
    paths = _read_paths(data)
    for path in paths[:6]:
        product, floor = ctx.get("reporting-api", path), ctx.get("reporting-floor", path)
        if _signature(product) != _signature(floor):
            raise CheckFailed(f"progress/time series: the floor's answer differs from the product's for {path}")
        if "indicators" in product and not product["indicators"]:
            raise CheckFailed(f"progress: no framework indicators in the answer to {path}")
    file = ctx.paths_file("reporting-reads", paths)
    product, floor = ctx.load("reporting-api", file), ctx.load("reporting-floor", file)
    op.product, op.floor, op.ratio = product.rps, floor.rps, product.rps / floor.rps
    op.details = {
        "product": {"p50_ms": product.p50_ms, "p99_ms": product.p99_ms, "requests": product.requests},
        "floor": {"p50_ms": floor.p50_ms, "p99_ms": floor.p99_ms, "requests": floor.requests},
        "statements": {k: len(v) for k, v in ctx.captured.items() if k.startswith("reporting_")},
    }
    op.note = (
        f"p50 {product.p50_ms:.1f} / {floor.p50_ms:.1f} ms, p99 {product.p99_ms:.1f} / {floor.p99_ms:.1f} ms; "
        f"progress and time series alternate over {len(paths) // 2} projects"
    )
    if ctx.judged:
        op.met = op.ratio >= 0.5
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
        await conn.copy_records_to_table("report", records=file.reports, columns=list(columns["report"]))
        await conn.copy_records_to_table(
            "report_value", records=file.report_values, columns=list(columns["report_value"])
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
    file = reporting_dataset.import_file(ctx.size, data)
    op = Operation(NAMES["import"], "s", f"time ≤ {IMPORT_RATIO} × raw COPY of the same rows")
    dsn = db.dsn(ctx.extra["reporting_url"])
    before = asyncio.run(_count_values(dsn))
    floor = asyncio.run(_copy_floor(dsn, file))
    path = ctx.work / "import.csv"
    path.write_bytes(file.csv)
    accepted, seconds, job = _upload(ctx, path)
    summary = job.get("summary") or {}
    if job["status"] != "done" or summary.get("status") != "success" or summary.get("imported") != file.values:
        raise CheckFailed(f"import: the job ended {job['status']} with {json.dumps(summary)[:500]} {job.get('error')}")
    after = asyncio.run(_count_values(dsn))
    if after - before != file.values:
        raise CheckFailed(f"import: {after - before} values were written, not {file.values}")
    op.product, op.floor, op.ratio = seconds, floor, seconds / floor
    op.details = {
        "values": file.values,
        "bytes": len(file.csv),
        "upload_seconds": accepted,
        "reports": len(file.reports),
    }
    op.note = (
        f"{file.values:,} values ({len(file.csv) / 1e6:.0f} MB CSV, {len(file.reports):,} new draft reports); "
        f"upload answered 202 after {accepted:.1f} s; floor: COPY of the same reports and values in one transaction"
    )
    if ctx.judged:
        op.met = op.ratio <= IMPORT_RATIO
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


def _download(url: str, token: str, target: Path) -> tuple[float, int, int]:
    """The export read to its end by curl (C, as a real client's download: a Python client parsing 200 MB of chunked
    HTTP was slower than the service), then its lines counted; httpx when curl is missing."""
    curl = shutil.which("curl")
    headers = {"Authorization": f"Bearer {token}"}
    started = time.monotonic()
    if curl is None:
        lines = size = 0
        with httpx.stream("GET", url, headers=headers, timeout=600.0) as response:
            if response.status_code != 200:
                raise CheckFailed(f"export answered {response.status_code}")
            for chunk in response.iter_bytes():
                lines += chunk.count(b"\n")
                size += len(chunk)
        return time.monotonic() - started, lines, size
    done = subprocess.run(  # noqa: S603 - curl on loopback with our own token
        [curl, "-sS", "-f", "-H", f"Authorization: Bearer {token}", "-o", str(target), url],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise CheckFailed(f"export failed: curl {done.returncode} {done.stderr[:300]}")
    lines = size = 0
    with target.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            lines += chunk.count(b"\n")
            size += len(chunk)
    target.unlink()
    return seconds, lines, size


def export_csv(ctx: Context) -> Operation:
    op = Operation(
        NAMES["export"], "values/s",
        f"≥ {EXPORT_RATE:,.0f} values/s; service memory grows ≤ {EXPORT_GROWTH_MB:.0f} MB while it runs",
    )  # fmt: skip
    service = ctx.services["reporting-api"]
    data: reporting_dataset.ReportingDataset = ctx.extra["reporting_data"]
    baseline = service.rss_mb()
    sampler = _RssSampler(service)
    sampler.start()
    url = f"{service.base_url}{PREFIX}/exports/values?format=csv"
    seconds, lines, size = _download(url, ctx.token, ctx.work / "export.csv")
    sampler.stopped.set()
    sampler.join()
    values = lines - 1
    if values != data.values:
        raise CheckFailed(f"export: {values} values streamed, the dataset has {data.values}")
    growth = sampler.peak - baseline
    op.product = values / seconds
    op.details = {"values": values, "seconds": seconds, "bytes": size, "rss_before_mb": baseline,
                  "rss_peak_mb": sampler.peak, "rss_growth_mb": growth}  # fmt: skip
    op.note = (
        f"{values:,} values ({size / 1e6:.0f} MB) in {seconds:.1f} s; RSS {baseline:.0f} MB before, peak "
        f"{sampler.peak:.0f} MB (grew {growth:.1f} MB); read by curl; no floor (absolute target)"
    )
    if ctx.judged:
        op.met = op.product >= EXPORT_RATE and growth <= EXPORT_GROWTH_MB
    return op
