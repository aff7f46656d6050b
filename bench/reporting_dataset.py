"""The reporting-api dataset at scale (seeded) and the import file of the same scale, loaded with COPY.

The local copy of the bench projects (so access, roll-ups and exports see them), an indicator catalogue
(`size.indicators`, disaggregated by sex), two framework indicators per project with baselines and overall targets,
approved quarterly reports and `size.indicator_values` values: for each indicator and quarter a total
and its sex breakdown (f + m = total). The import file holds as many values again, for later quarters, so importing it
creates draft reports and values and touches nothing that exists.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.dataset import Dataset, Rows, Stream
from bench.sizes import Size

SEED = 20093
SEX = {"code": "sex", "name": "Sex", "values": [{"code": "f", "name": "Female"}, {"code": "m", "name": "Male"}]}
PER_PROJECT = 2  # framework indicators of each project
QUARTERS = 12  # at most, per project (the values stop at the size's count)
IMPORT_YEAR = 2040  # the import file's quarters start here: no report exists for them yet


ROW_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "report",
        (
            "id",
            "project_id",
            "period_code",
            "period_start",
            "period_end",
            "status",
            "warnings",
            "created_by",
            "is_illustrative",
            "version",
        ),
    ),
    (
        "report_value",
        (
            "id",
            "report_id",
            "project_indicator_id",
            "disaggregation",
            "disaggregation_key",
            "value",
            "incomplete",
            "updated_by",
        ),
    ),
)


@dataclass
class ReportingDataset:
    tables: dict[str, tuple[tuple[str, ...], Rows]] = field(default_factory=dict)
    # (project id, project code, [(indicator code, project indicator id)]) for requests and the import file
    frameworks: list[tuple[uuid.UUID, str, list[tuple[str, uuid.UUID]]]] = field(default_factory=list)
    indicator_codes: list[str] = field(default_factory=list)
    values: int = 0

    def rows(self, table: str) -> list[tuple[Any, ...]]:
        rows = self.tables[table][1]
        if isinstance(rows, Stream):
            raise TypeError(f"{table} is streamed")
        return rows


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
            (
                _uuid(rng),
                f"BENCH-IND-{i:04d}",
                f"Officials trained in topic {i}",
                "output",
                "number",
                "persons",
                "sum",
                cumulative,
                "increase",
                "quarter",
                dims,
                "bench",
                False,
                1,
            )
        )
    return rows


_VALUE_KEYS = (("", None), ("sex=f", json.dumps({"sex": "f"})), ("sex=m", json.dumps({"sex": "m"})))


def _quarters(values: int, n_projects: int) -> list[int]:
    """How many quarters of values each project has: QUARTERS each until the size's values are spent (each quarter
    holds a total and its f/m breakdown for each of the project's indicators)."""
    left = -(-values // (3 * PER_PROJECT))
    out = []
    for _ in range(n_projects):
        out.append(min(QUARTERS, max(0, left)))
        left -= QUARTERS
    return out


def _values_of(report: uuid.UUID, pis: list[uuid.UUID], rng: random.Random) -> Iterator[tuple[Any, ...]]:
    for pi in pis:
        f, m = rng.randint(0, 60), rng.randint(0, 60)
        for (key, disaggregation), value in zip(_VALUE_KEYS, (f + m, f, m), strict=True):
            yield (_uuid(rng), report, pi, disaggregation or "{}", key, Decimal(value), False, "bench")


@dataclass(frozen=True)
class _Plan:
    """What each project's reports are: its start, framework and number of quarters. Report ids and values come from a
    seed per project, so reports and values are made again, identical, whenever they are read."""

    projects: list[tuple[int, uuid.UUID, date, list[uuid.UUID]]]  # (index, project id, start, project indicators)
    quarters: list[int]
    seed: int
    status: str
    first_year: int | None  # None: from each project's start; else every project from this year's Q1

    def _periods(self, start: date, k: int) -> tuple[str, date, date]:
        if self.first_year is None:
            quarter = (start.month - 1) // 3 + k
            return _quarter(start.year + quarter // 4, quarter % 4 + 1)
        return _quarter(self.first_year + k // 4, k % 4 + 1)

    def walk(self) -> Iterator[tuple[uuid.UUID, uuid.UUID, str, date, date, list[uuid.UUID], random.Random]]:
        for (index, pid, start, pis), n in zip(self.projects, self.quarters, strict=True):
            ids = random.Random(self.seed * 1_000_003 + index)  # noqa: S311 - reproducible data
            numbers = random.Random(self.seed * 1_000_033 + index)  # noqa: S311
            for k in range(n):
                period, p_start, p_end = self._periods(start, k)
                yield _uuid(ids), pid, period, p_start, p_end, pis, numbers

    def reports(self) -> Iterator[tuple[Any, ...]]:
        for report, pid, period, p_start, p_end, _, _ in self.walk():
            yield (report, pid, period, p_start, p_end, self.status, "[]", "bench", False, 1)

    def values(self) -> Iterator[tuple[Any, ...]]:
        for report, _, _, _, _, pis, rng in self.walk():
            yield from _values_of(report, pis, rng)

    @property
    def report_count(self) -> int:
        return sum(self.quarters)

    @property
    def value_count(self) -> int:
        return sum(self.quarters) * 3 * PER_PROJECT


def generate(size: Size, projects: Dataset) -> ReportingDataset:
    rng = random.Random(SEED)  # noqa: S311 - reproducible data, not secrets
    data = ReportingDataset()
    indicators = _indicators(rng, size)
    data.indicator_codes = [i[1] for i in indicators]
    copies: list[tuple[Any, ...]] = []
    results: list[tuple[Any, ...]] = []
    pis: list[tuple[Any, ...]] = []
    targets: list[tuple[Any, ...]] = []
    planned: list[tuple[int, uuid.UUID, date, list[uuid.UUID]]] = []
    for index, p in enumerate(projects.rows("project")):
        pid, code, title, status, start, end, is_public = p[0], p[1], p[2], p[4], p[5], p[6], p[9]
        copies.append((pid, code, title, status, is_public, start, end, 1))
        result = _uuid(rng)
        results.append((result, pid, "output", "Officials trained", 0, False, 1))
        framework = []
        for position, indicator in enumerate(rng.sample(indicators, min(PER_PROJECT, len(indicators)))):
            pi = _uuid(rng)
            pis.append((pi, result, pid, indicator[0], position, Decimal(0), start, "quarter"))
            targets.append((_uuid(rng), pi, "", "{}", "", Decimal(rng.randint(50, 500) * 10)))
            framework.append((indicator[1], pi))
        data.frameworks.append((pid, code, framework))
        planned.append((index, pid, start, [pi for _, pi in framework]))
    plan = _Plan(planned, _quarters(size.indicator_values, len(planned)), SEED, "approved", None)
    data.values = plan.value_count
    data.tables = {
        "project_copy": (
            ("id", "code", "title", "status", "is_public", "start_date", "end_date", "source_version"),
            copies,
        ),
        "project_country_copy": (("project_id", "country_code", "percentage"), list(projects.rows("project_country"))),
        "project_theme_copy": (("project_id", "theme_code"), list(projects.rows("project_theme"))),
        "indicator": (
            (
                "id",
                "code",
                "name",
                "level",
                "measure",
                "unit",
                "aggregation",
                "cumulative",
                "direction",
                "frequency",
                "dimensions",
                "source",
                "is_illustrative",
                "version",
            ),
            indicators,
        ),
        "result": (("id", "project_id", "kind", "title", "position", "is_illustrative", "version"), results),
        "project_indicator": (
            (
                "id",
                "result_id",
                "project_id",
                "indicator_id",
                "position",
                "baseline_value",
                "baseline_date",
                "frequency",
            ),
            pis,
        ),
        "target": (
            ("id", "project_indicator_id", "period_code", "disaggregation", "disaggregation_key", "value"),
            targets,
        ),
        "report": (dict(ROW_COLUMNS)["report"], Stream(plan.report_count, plan.reports)),
        "report_value": (dict(ROW_COLUMNS)["report_value"], Stream(plan.value_count, plan.values)),
    }
    return data


@dataclass
class ImportFile:
    """The CSV to import (written to `path`), and the same values as rows of `report` and `report_value` (for the
    COPY floor), made again from the plan's seeds when read."""

    path: Path
    bytes: int
    values: int
    reports: Stream
    report_values: Stream


def import_file(size: Size, data: ReportingDataset, path: Path) -> ImportFile:
    """`size.import_values` new values (totals and sex breakdowns) in quarters from IMPORT_YEAR on, spread evenly over
    the projects: for each project a draft report per quarter, none of which exists yet."""
    n = len(data.frameworks)
    per_quarter = 3 * PER_PROJECT
    total_quarters = -(-size.import_values // per_quarter)
    quarters = [total_quarters // n + (1 if i < total_quarters % n else 0) for i in range(n)]
    projects = [
        (i, pid, date(IMPORT_YEAR, 1, 1), [pi for _, pi in fw]) for i, (pid, _, fw) in enumerate(data.frameworks)
    ]
    plan = _Plan(projects, quarters, SEED + 1, "draft", IMPORT_YEAR)
    codes = {pid: (code, {pi: indicator for indicator, pi in fw}) for pid, code, fw in data.frameworks}
    with path.open("w") as out:
        out.write("project,indicator,period,disaggregation,value\n")
        for report, pid, period, _, _, pis, rng in plan.walk():
            code, indicators = codes[pid]
            for row in _values_of(report, pis, rng):
                out.write(f"{code},{indicators[row[2]]},{period},{row[4]},{row[5]}\n")
    return ImportFile(
        path,
        path.stat().st_size,
        plan.value_count,
        Stream(plan.report_count, plan.reports),
        Stream(plan.value_count, plan.values),
    )
