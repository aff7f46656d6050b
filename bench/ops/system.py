"""Rows about the whole system: each service's memory after the whole run."""

from __future__ import annotations

import math

from bench.context import Context
from bench.report import Operation

RSS_LIMIT_MB = 250.0
PRODUCT_SERVICES = ("projects-api", "reporting-api")


def memory(ctx: Context) -> Operation:
    op = Operation("each service's memory after the whole run", "MB RSS", f"RSS ≤ {RSS_LIMIT_MB:.0f} MB", key="memory")
    rss = {name: ctx.services[name].rss_mb() for name in PRODUCT_SERVICES if name in ctx.services}
    rss = {name: value for name, value in rss.items() if not math.isnan(value)}
    if not rss:
        return op.not_measured("no service is running")
    op.product = max(rss.values())
    op.add_floor("limit", RSS_LIMIT_MB, "the issue's target", judged=True)
    for name in ("projects-floor", "projects-independent"):
        floor = ctx.services.get(name)
        if floor is not None:
            kind = "independent" if name.endswith("independent") else "replay"
            op.add_floor(kind, floor.rss_mb(), f"the {kind} floor's process (Starlette + asyncpg)")
    op.details = {"rss_mb": rss}
    op.note = ", ".join(f"{name} {value:.0f} MB" for name, value in rss.items())
    if "reporting-api" not in rss:
        op.note += "; reporting-api not measured (not started)"
    if ctx.judged:
        op.met = all(value <= RSS_LIMIT_MB for value in rss.values())
    return op
