"""The reporting-api dataset at scale (seeded) and the import file of the same scale, loaded with COPY.

The local copy of the bench projects (so access, roll-ups and exports see them), an indicator catalogue
(`size.indicators`, disaggregated by sex), two framework indicators per project with baselines and overall targets,
approved quarterly reports and `size.indicator_values` values: for each indicator and quarter a total
and its sex breakdown (f + m = total). The import file holds as many values again, for later quarters, so importing it
creates draft reports and values and touches nothing that exists.
"""

from __future__ import annotations

import io
import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bench.dataset import Dataset
from bench.sizes import Size

SEED = 20093
SEX = {"code": "sex", "name": "Sex", "values": [{"code": "f", "name": "Female"}, {"code": "m", "name": "Male"}]}
PER_PROJECT = 2  # framework indicators of each project
QUARTERS = 12  # at most, per project (the values stop at the size's count)
IMPORT_YEAR = 2040  # the import file's quarters start here: no report exists for them yet


ROW_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("report", ("id", "project_id", "period_code", "period_start", "period_end", "status", "warnings", "created_by",
                "is_illustrative", "version")),
    ("report_value", ("id", "report_id", "project_indicator_id", "disaggregation", "disaggregation_key", "value",
                      "incomplete", "updated_by")),
)  # fmt: skip


@dataclass
class ReportingDataset:
    tables: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]] = field(default_factory=dict)
    # (project id, project code, [(indicator code, project indicator id)]) for requests and the import file
    frameworks: list[tuple[uuid.UUID, str, list[tuple[str, uuid.UUID]]]] = field(default_factory=list)
    indicator_codes: list[str] = field(default_factory=list)
    values: int = 0


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _quarter(year: int, q: int) -> tuple[str, date, date]:
    start = date(year, 3 * q - 2, 1)
    end = (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)
    return f"{year}Q{q}", start, end


def _indicators(rng: random.Random, size: Size) -> list[tuple[Any, ...]]:
    rows = []
    dims = json.dumps([SEX])
    for i in range(size.indicators):
        cumulative = i % 7 == 3
        rows.append(
            (_uuid(rng), f"BENCH-IND-{i:04d}", f"Officials trained in topic {i}", "output", "number", "persons",
             "sum", cumulative, "increase", "quarter", dims, "bench", False, 1)
        )  # fmt: skip
    return rows


def generate(size: Size, projects: Dataset) -> ReportingDataset:
    rng = random.Random(SEED)  # noqa: S311 - reproducible data, not secrets
    data = ReportingDataset()
    indicators = _indicators(rng, size)
    data.indicator_codes = [i[1] for i in indicators]
    copies: list[tuple[Any, ...]] = []
    results: list[tuple[Any, ...]] = []
    pis: list[tuple[Any, ...]] = []
    targets: list[tuple[Any, ...]] = []
    reports: list[tuple[Any, ...]] = []
    values: list[tuple[Any, ...]] = []
    for p in projects.rows("project"):
        pid, code, title, status, start, end, is_public = p[0], p[1], p[2], p[4], p[5], p[6], p[9]
        copies.append((pid, code, title, status, is_public, start, end, 1))
    budget = size.indicator_values
    for p in projects.rows("project"):
        pid, code, start = p[0], p[1], p[5]
        result = _uuid(rng)
        results.append((result, pid, "output", "Officials trained", 0, False, 1))
        framework = []
        for position, indicator in enumerate(rng.sample(indicators, min(PER_PROJECT, len(indicators)))):
            pi = _uuid(rng)
            pis.append((pi, result, pid, indicator[0], position, Decimal(0), start, "quarter"))
            targets.append((_uuid(rng), pi, "", {}, "", Decimal(rng.randint(50, 500) * 10)))
            framework.append((indicator[1], pi))
        data.frameworks.append((pid, code, framework))
        for k in range(QUARTERS):
            if budget <= 0:
                break
            quarter = (start.month - 1) // 3 + k
            year, q = start.year + quarter // 4, quarter % 4 + 1
            period, p_start, p_end = _quarter(year, q)
            report = _uuid(rng)
            reports.append((report, pid, period, p_start, p_end, "approved", "[]", "bench", False, 1))
            for _, pi in framework:
                f, m = rng.randint(0, 60), rng.randint(0, 60)
                for key, value in (("", f + m), ("sex=f", f), ("sex=m", m)):
                    disaggregation = "{}" if not key else json.dumps({"sex": key[4:]})
                    values.append((_uuid(rng), report, pi, disaggregation, key, Decimal(value), False, "bench"))
                budget -= 3
    data.values = len(values)
    data.tables = {
        "project_copy": (
            ("id", "code", "title", "status", "is_public", "start_date", "end_date", "source_version"), copies
        ),
        "project_country_copy": (("project_id", "country_code", "percentage"), list(projects.rows("project_country"))),
        "project_theme_copy": (("project_id", "theme_code"), list(projects.rows("project_theme"))),
        "indicator": (
            ("id", "code", "name", "level", "measure", "unit", "aggregation", "cumulative", "direction", "frequency",
             "dimensions", "source", "is_illustrative", "version"),
            indicators,
        ),
        "result": (("id", "project_id", "kind", "title", "position", "is_illustrative", "version"), results),
        "project_indicator": (
            ("id", "result_id", "project_id", "indicator_id", "position", "baseline_value", "baseline_date",
             "frequency"),
            pis,
        ),
        "target": (("id", "project_indicator_id", "period_code", "disaggregation", "disaggregation_key", "value"),
                   [(t[0], t[1], t[2], json.dumps(t[3]), t[4], t[5]) for t in targets]),
        "report": (dict(ROW_COLUMNS)["report"], reports),
        "report_value": (dict(ROW_COLUMNS)["report_value"], values),
    }  # fmt: skip
    return data


@dataclass
class ImportFile:
    """The CSV to import, and the same values as rows of `report` and `report_value` (for the COPY floor)."""

    csv: bytes
    values: int
    reports: list[tuple[Any, ...]]
    report_values: list[tuple[Any, ...]]


def import_file(size: Size, data: ReportingDataset) -> ImportFile:
    """`size.indicator_values` new values (totals and sex breakdowns) for quarters from IMPORT_YEAR on."""
    rng = random.Random(SEED + 1)  # noqa: S311
    out = io.StringIO()
    out.write("project,indicator,period,disaggregation,value\n")
    reports: list[tuple[Any, ...]] = []
    rows: list[tuple[Any, ...]] = []
    budget = size.indicator_values
    k = 0
    while budget > 0:
        year, q = IMPORT_YEAR + k // 4, k % 4 + 1
        period, p_start, p_end = _quarter(year, q)
        for pid, code, framework in data.frameworks:
            if budget <= 0:
                break
            report = _uuid(rng)
            reports.append((report, pid, period, p_start, p_end, "draft", "[]", "bench", False, 1))
            for indicator, pi in framework:
                f, m = rng.randint(0, 60), rng.randint(0, 60)
                for key, value in (("", f + m), ("sex=f", f), ("sex=m", m)):
                    out.write(f"{code},{indicator},{period},{key},{value}\n")
                    disaggregation = "{}" if not key else json.dumps({"sex": key[4:]})
                    rows.append((_uuid(rng), report, pi, disaggregation, key, Decimal(value), False, "bench"))
                budget -= 3
        k += 1
    return ImportFile(out.getvalue().encode(), len(rows), reports, rows)
