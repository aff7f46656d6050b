"""Writing a project's results from an IATI file: the framework replaced, catalogue indicators the file names
created when missing, actuals as approved reports. Nothing is replaced once reports hold values for the project."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal
from registry_kit.errors import invalid
from reporting_api.access import require_write
from reporting_api.common import disaggregation_key
from reporting_api.frameworks.models import ProjectIndicator, Result, Target
from reporting_api.iati import repository
from reporting_api.iati.schemas import IatiActual, IatiIndicator, IatiResultsIn, IatiResultsWritten, IatiTarget
from reporting_api.indicators import repository as catalogue
from reporting_api.indicators.models import Indicator
from reporting_api.indicators.schemas import CODE
from reporting_api.periods import FREQUENCIES, Period, PeriodError, fits_frequency, parse_period
from reporting_api.projects.client import ProjectsClient
from reporting_api.reports.models import Report, ReportEvent, ReportValue
from reporting_api.values import allowed_values, number_errors

_CODE = re.compile(CODE)


def period_code(start: date, end: date) -> str:
    """The registry's code for a period given by its dates: the calendar year, semester, quarter or month it is,
    else the date range."""
    y = start.year
    for candidate in (f"{y}", f"{y}S1", f"{y}S2", *(f"{y}Q{n}" for n in range(1, 5)), f"{y}-{start.month:02d}"):
        period = parse_period(candidate)
        if period.start == start and period.end == end:
            return period.code
    return parse_period(f"{start.isoformat()}/{end.isoformat()}").code


def _dimensions(ind: IatiIndicator) -> list[dict[str, Any]]:
    seen: dict[str, set[str]] = defaultdict(set)
    rows: list[IatiTarget | IatiActual] = [*ind.targets, *ind.actuals]
    for row in rows:
        for name, value in row.disaggregation.items():
            seen[name].add(value)
    return [
        {"code": name, "name": name, "values": [{"code": v, "name": v} for v in sorted(values)]}
        for name, values in sorted(seen.items())
    ]


def _extend_dimensions(indicator: Indicator, ind: IatiIndicator) -> list[str]:
    """Dimension values the file uses that the catalogue entry lacks, added to it (adding a value never changes
    what was reported before; removing one would)."""
    dimensions = [dict(d, values=list(d.get("values", []))) for d in indicator.dimensions]
    by_code = {d["code"]: d for d in dimensions}
    added: list[str] = []
    for wanted in _dimensions(ind):
        target = by_code.get(wanted["code"])
        if target is None:
            target = by_code[wanted["code"]] = {"code": wanted["code"], "name": wanted["name"], "values": []}
            dimensions.append(target)
        have = {v["code"] for v in target["values"]}
        for value in wanted["values"]:
            if value["code"] not in have:
                target["values"].append(value)
                added.append(f"{wanted['code']}={value['code']}")
    if added:
        indicator.dimensions = dimensions
    return added


def reporting_frequency(ind: IatiIndicator, catalogue_frequency: str) -> str:
    """The project indicator's one reporting frequency: the period type all the file's actuals are periods of (the
    catalogue's when there are none), else `once`; the actuals of another length are then kept only where they do
    not overlap (see _Writer.actuals), as for reports entered by hand."""
    periods = [Period("", "range", a.start, a.end) for a in ind.actuals if a.start is not None and a.end is not None]
    if not periods:
        return catalogue_frequency
    return next((f for f in FREQUENCIES if all(fits_frequency(p, f) for p in periods)), "once")


def _new_indicator(ind: IatiIndicator, level: str, principal: Principal) -> Indicator:
    return Indicator(
        code=ind.code,
        name=ind.name,
        language=ind.language,
        names=ind.names or {ind.language: ind.name},
        definition=ind.definition,
        definitions=ind.definitions,
        level=level,
        measure=ind.measure,
        unit=ind.unit,
        currency=None,
        aggregation="latest" if ind.measure == "percent" else "sum",
        cumulative=False,
        direction=ind.direction,
        frequency="once",
        dimensions=_dimensions(ind),
        source=f"IATI import by {principal.name}",
        is_illustrative=False,
    )


def _check_codes(data: IatiResultsIn) -> None:
    for r, result in enumerate(data.results):
        for i, ind in enumerate(result.indicators):
            if not _CODE.match(ind.code):
                raise invalid(f"body.results[{r}].indicators[{i}].code", "use lower-case letters, digits and ._+-")
            rows: list[IatiTarget | IatiActual] = [*ind.targets, *ind.actuals]
            for row in rows:
                for name in row.disaggregation:
                    if not _CODE.match(name) or len(name) > 40:
                        raise invalid(f"body.results[{r}].indicators[{i}]", f"dimension code {name!r} is not valid")


class _Writer:
    def __init__(self, session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> None:
        self.session, self.principal, self.project_id = session, principal, project_id
        self.warnings: list[str] = []
        self.reports: dict[tuple[date, date], Report] = {}
        self.values = 0

    def _allowed(self, indicator: Indicator, disaggregation: dict[str, str], what: str) -> bool:
        allowed = allowed_values(indicator)
        for name, value in disaggregation.items():
            if value not in allowed.get(name, set()):
                self.warnings.append(f"{indicator.code}: {what} for {name}={value} left out (not in the catalogue)")
                return False
        return True

    def targets(self, indicator: Indicator, ind: IatiIndicator) -> list[Target]:
        out: list[Target] = []
        seen: set[tuple[str, str]] = set()
        for t in ind.targets:
            code, start, end = "", None, None
            if t.start is not None and t.end is not None:
                code, start, end = period_code(t.start, t.end), t.start, t.end
            key = disaggregation_key(t.disaggregation)
            if (code, key) in seen or not self._allowed(indicator, t.disaggregation, "a target"):
                continue
            if number_errors(indicator, t.value, "value"):
                self.warnings.append(f"{indicator.code}: target {t.value} left out (out of range)")
                continue
            seen.add((code, key))
            out.append(
                Target(
                    period_code=code,
                    period_start=start,
                    period_end=end,
                    disaggregation=t.disaggregation,
                    disaggregation_key=key,
                    value=t.value,
                )
            )
        return out

    def actuals(self, indicator: Indicator, pi: ProjectIndicator, ind: IatiIndicator) -> None:
        seen: set[tuple[date, date, str]] = set()
        spans: set[tuple[date, date]] = set()
        for a in ind.actuals:
            if a.start is None or a.end is None or not self._allowed(indicator, a.disaggregation, "an actual"):
                continue
            if any(s <= a.end and a.start <= e for s, e in spans - {(a.start, a.end)}):
                # One value per indicator and day: a period overlapping another one already taken would count twice.
                self.warnings.append(f"{indicator.code}: actual for {a.start}..{a.end} left out (overlaps another)")
                continue
            spans.add((a.start, a.end))
            key = disaggregation_key(a.disaggregation)
            qualitative = indicator.measure == "qualitative"
            if (a.start, a.end, key) in seen or (not qualitative and a.value is None):
                continue
            if not qualitative and number_errors(indicator, a.value, "value"):
                self.warnings.append(f"{indicator.code}: actual {a.value} left out (out of range)")
                continue
            seen.add((a.start, a.end, key))
            report = self._report(a.start, a.end)
            report.values.append(
                ReportValue(
                    project_indicator_id=pi.id,
                    disaggregation=a.disaggregation,
                    disaggregation_key=key,
                    value=None if qualitative else a.value,
                    text_value=(a.text or a.comment) if qualitative else None,
                    comment=None if qualitative else a.comment,
                    updated_by=self.principal.subject,
                )
            )
            self.values += 1

    def _report(self, start: date, end: date) -> Report:
        report = self.reports.get((start, end))
        if report is None:
            now = datetime.now(UTC)
            report = Report(
                project_id=self.project_id,
                period_code=period_code(start, end),
                period_start=start,
                period_end=end,
                status="approved",
                created_by=self.principal.subject,
                submitted_at=now,
                submitted_by=self.principal.subject,
                decided_at=now,
                decided_by=self.principal.subject,
                values=[],
                warnings=[],
            )
            self.reports[(start, end)] = report
        return report


async def write_results(
    session: AsyncSession, projects: ProjectsClient, principal: Principal, project_id: uuid.UUID, data: IatiResultsIn
) -> IatiResultsWritten:
    await require_write(projects, principal, project_id, "edit")
    _check_codes(data)
    if await repository.reported_value_count(session, project_id):
        return IatiResultsWritten(
            applied=False,
            results=0,
            indicators=0,
            indicators_created=[],
            reports_created=0,
            values=0,
            warnings=["reports already hold values for this project: its results framework was kept as it is"],
        )
    await repository.drop_framework(session, project_id)
    codes = {ind.code for r in data.results for ind in r.indicators}
    known = await catalogue.by_codes(session, codes)
    created: list[str] = []
    writer = _Writer(session, principal, project_id)
    used: set[str] = set()
    count = 0
    for position, r in enumerate(data.results):
        result = Result(
            project_id=project_id,
            kind=r.kind,
            title=r.title,
            language=r.language,
            titles=r.titles or {r.language: r.title},
            description=r.description,
            descriptions=r.descriptions or ({r.language: r.description} if r.description else {}),
            position=position,
            indicators=[],
        )
        session.add(result)
        for i, ind in enumerate(r.indicators):
            if ind.code in used:
                writer.warnings.append(f"{ind.code}: listed twice in the project's results; the first one was kept")
                continue
            used.add(ind.code)
            indicator = known.get(ind.code)
            if indicator is None:
                indicator = known[ind.code] = _new_indicator(ind, r.kind, principal)
                session.add(indicator)
                await session.flush()
                created.append(ind.code)
            else:
                added = _extend_dimensions(indicator, ind)
                if added:
                    writer.warnings.append(f"{ind.code}: dimension values added to the catalogue: {', '.join(added)}")
            baseline = ind.baseline or None
            pi = ProjectIndicator(
                project_id=project_id,
                indicator_id=indicator.id,
                position=i,
                frequency=reporting_frequency(ind, indicator.frequency),
                baseline_value=baseline.value if baseline else None,
                baseline_date=baseline.date if baseline else None,
                baseline_note=baseline.note if baseline else None,
                targets=writer.targets(indicator, ind),
            )
            pi.result = result
            session.add(pi)
            await session.flush()
            writer.actuals(indicator, pi, ind)
            count += 1
    for report in writer.reports.values():
        session.add(report)
    await session.flush()
    for report in writer.reports.values():
        session.add(
            ReportEvent(
                report_id=report.id,
                action="import",
                from_status=None,
                to_status="approved",
                actor=principal.subject,
                actor_name=principal.name,
                comment="imported from an IATI file",
            )
        )
    await session.flush()
    return IatiResultsWritten(
        applied=True,
        results=len(data.results),
        indicators=count,
        indicators_created=created,
        reports_created=len(writer.reports),
        values=writer.values,
        warnings=writer.warnings,
    )


__all__ = ["PeriodError", "period_code", "write_results"]
