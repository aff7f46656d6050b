"""The IATI 2.03 export of the whole portfolio (issue 13): activities per second and the service's memory while it
streams. A projects-api of its own is started for it, pointed at the benchmark's reporting-api (results are read
from there over HTTP, one call per batch), so its memory is the export's alone. No floor: an absolute target."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.context import CheckFailed, Context
from bench.ops.projects import PREFIX
from bench.ops.reporting import _RssSampler
from bench.procs import Service, free_port
from bench.report import Operation

NAME = "IATI 2.03 export of every project (activities file), streamed"
RATE = 500.0  # activities per second (issue 13)
GROWTH_MB = 50.0
_ACTIVITY = re.compile(rb"<iati-activity[ >]")
_NOT_PUBLISHED = re.compile(rb"<!-- \S+ is not published: ")


def _download(url: str, token: str, target: Path) -> tuple[float, int, int, int]:
    """The document read to its end by curl (as a real client's download), then its activities and the projects
    it names as not published counted from the file."""
    curl = shutil.which("curl")
    if curl is None:
        raise CheckFailed("curl is needed for the IATI export row")
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 - curl on loopback with our own token
        [curl, "-sS", "-f", "-H", f"Authorization: Bearer {token}", "-o", str(target), url],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise CheckFailed(f"IATI export failed: curl {done.returncode} {done.stderr[:300]}")
    text = target.read_bytes()
    target.unlink()
    if not text.rstrip().endswith(b"</iati-activities>"):
        raise CheckFailed("IATI export: the document was cut short")
    return seconds, len(text), len(_ACTIVITY.findall(text)), len(_NOT_PUBLISHED.findall(text))


def export_activities(ctx: Context) -> Operation:
    op = Operation(NAME, "activities/s", f"≥ {RATE:,.0f} activities/s; service memory grows ≤ {GROWTH_MB:.0f} MB")
    reporting = ctx.services.get("reporting-api")
    if reporting is None:
        return op.not_measured("reporting-api was not started (BENCH_ONLY without reporting)")
    env = ctx.extra["projects_env"] | {"PROJECTS_REPORTING_API_URL": reporting.base_url}
    port = free_port()
    service = Service(
        "projects-api-iati",
        [sys.executable, "-m", "projects_api", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env,
        port,
        ctx.work / "logs" / "projects-api-iati.log",
    )
    service.start()
    try:
        cold = service.rss_mb()
        # One project's document first, so the baseline is a warm service (codelists, statement caches, the
        # client to reporting-api): the target is what the whole portfolio's stream adds, not the first use.
        first = ctx.dataset.project_ids[0]
        _download(f"{service.base_url}{PREFIX}/projects/{first}/iati.xml", ctx.token, ctx.work / "one.xml")
        baseline = service.rss_mb()
        sampler = _RssSampler(service)
        sampler.start()
        try:
            url = f"{service.base_url}{PREFIX}/iati/activities.xml"
            seconds, size, activities, skipped = _download(url, ctx.token, ctx.work / "activities.xml")
        finally:
            sampler.stopped.set()
            sampler.join()
    finally:
        service.stop()
    projects = len(ctx.dataset.project_ids)
    if activities + skipped != projects or activities == 0:
        raise CheckFailed(f"IATI export: {activities} activities and {skipped} not published, of {projects} projects")
    growth = sampler.peak - baseline
    op.product = activities / seconds
    op.details = {
        "activities": activities,
        "not_published": skipped,
        "seconds": seconds,
        "bytes": size,
        "rss_cold_mb": cold,
        "rss_before_mb": baseline,
        "rss_peak_mb": sampler.peak,
        "rss_growth_mb": growth,
    }
    op.note = (
        f"{activities:,} activities ({skipped:,} projects not publishable, named in comments; {size / 1e6:.0f} MB) "
        f"in {seconds:.1f} s; RSS {cold:.0f} MB at start, {baseline:.0f} MB after one activity's export, peak {sampler.peak:.0f} MB (grew {growth:.1f} MB); "
        "results from reporting-api over HTTP; read by curl; no floor (absolute target)"
    )
    if ctx.judged:
        op.met = op.product >= RATE and growth <= GROWTH_MB
    return op


__all__ = ["export_activities"]
