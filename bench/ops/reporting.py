"""reporting-api rows: indicator progress, the bulk import and the streamed export.

They plug in as reporting-api lands. Each row names the reporting-api module it drives; until the harness has a
reporting dataset at scale (500 indicators, 1,000,000 values with disaggregations, loaded with COPY) and a floor for
it, the row is reported as not measured, with the reason, never faked. To add one: generate the reporting rows in
bench/dataset.py, start `python -m reporting_api serve` beside projects-api (REPORTING_AUTH_JWKS_URL pointing at the
bench projects-api), capture its SQL with bench.sqlcapture as projects.py does, and measure here.
"""

from __future__ import annotations

import importlib.util

from bench.context import Context
from bench.report import Operation

ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("indicator progress and time series for a project", "req/s", "throughput ≥ 0.5 × floor",
     "reporting_api.aggregations.router"),
    ("import of 1,000,000 values (CSV upload to completed job)", "s", "time ≤ 2.5 × raw COPY of the same rows",
     "reporting_api.imports.router"),
    ("export of 1,000,000 values as CSV, streamed", "values/s",
     "≥ 200,000 values/s; service memory grows ≤ 50 MB while it runs", "reporting_api.exports.router"),
)  # fmt: skip


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def rows(_ctx: Context) -> list[Operation]:
    out = []
    for name, unit, target, module in ROWS:
        op = Operation(name, unit, target)
        if not _exists(module):
            out.append(op.not_measured(f"{module} does not exist yet"))
        else:
            out.append(
                op.not_measured(
                    f"{module} exists, but the harness has no reporting dataset at scale and no floor for it yet "
                    "(reporting-api was being built while the harness was; see bench/ops/reporting.py)"
                )
            )
    return out
