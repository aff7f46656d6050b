"""Rows about the whole system: each service's memory after the whole run."""

from __future__ import annotations

import math

from bench.context import Context
from bench.report import Operation

RSS_LIMIT_MB = 250.0
PRODUCT_SERVICES = ("projects-api", "reporting-api")


def memory(ctx: Context) -> Operation:
    op = Operation("each service's memory after the whole run", "MB RSS", f"RSS ≤ {RSS_LIMIT_MB:.0f} MB")
    rss = {name: ctx.services[name].rss_mb() for name in PRODUCT_SERVICES if name in ctx.services}
    rss = {name: value for name, value in rss.items() if not math.isnan(value)}
    if not rss:
        return op.not_measured("no service is running")
    op.product = max(rss.values())
    floor = ctx.services.get("projects-floor")
    op.floor = floor.rss_mb() if floor else None
    op.ratio = op.product / op.floor if op.floor else None
    op.details = {"rss_mb": rss}
    op.note = (
        ", ".join(f"{name} {value:.0f} MB" for name, value in rss.items()) + "; floor: the Starlette floor process"
    )
    if "reporting-api" not in rss:
        op.note += "; reporting-api not measured (not started)"
    if ctx.judged:
        op.met = all(value <= RSS_LIMIT_MB for value in rss.values())
    return op
