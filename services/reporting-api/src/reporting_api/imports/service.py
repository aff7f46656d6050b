"""An import from file to values: rows checked one by one against the catalogue (cached per code), copied into
a staging table in batches, checked as a set against frameworks, reports and rights, applied all-or-nothing."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_kit.auth import Principal
from registry_kit.errors import AppError, Forbidden, NotFound, ValidationFailed, field_error
from reporting_api.access import require_write
from reporting_api.common import disaggregation_key
from reporting_api.imports import readers, staging
from reporting_api.imports.models import ImportJob
from reporting_api.imports.schemas import ImportConflict, ImportOptions, ImportSummary
from reporting_api.indicators.models import Indicator
from reporting_api.periods import Period, PeriodError, parse_period
from reporting_api.projects.client import ProjectsClient
from reporting_api.values import disaggregation_errors, parse_decimal, value_errors

logger = logging.getLogger(__name__)

BATCH = 5000
MAX_LISTED = 1000
TRUE = {"true", "1", "yes", "y"}
Conflict = tuple[int, str, str]
Progress = Callable[[int, int], Awaitable[None]]


class RowChecker:
    """Turns a raw row into a staging record, or into conflicts; the catalogue is read once per code."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.indicators: dict[str, Indicator | None] = {}
        self.periods: dict[str, Period | str] = {}

    async def indicator(self, code: str) -> Indicator | None:
        if code not in self.indicators:
            self.indicators[code] = await self.session.scalar(select(Indicator).where(Indicator.code == code))
        return self.indicators[code]

    def period(self, code: str) -> Period | str:
        if code not in self.periods:
            try:
                period = parse_period(code)
                self.periods[code] = period if period.end is not None else "a value needs a closed period"
            except PeriodError as exc:
                self.periods[code] = str(exc)
        return self.periods[code]

    @staticmethod
    def disaggregation(raw: str | dict[str, object], indicator: Indicator) -> dict[str, str] | str:
        if isinstance(raw, dict):
            return {str(k): str(v) for k, v in raw.items()}
        out: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in raw.split(";"))):
            if "=" in part:
                key, _, value = part.partition("=")
                out[key.strip()] = value.strip()
                continue
            owners = [d["code"] for d in indicator.dimensions if any(v["code"] == part for v in d["values"])]
            if len(owners) != 1:
                return f"'{part}' is not one value of {indicator.code}'s dimensions (write dimension=value)"
            out[owners[0]] = part
        return out

    async def stage(self, raw: readers.RawRow) -> staging.Record | list[Conflict]:
        if raw.extra.get("error"):
            return [(raw.row, "row", str(raw.extra["error"]))]
        missing = [(raw.row, name, "required") for name in ("project", "indicator", "period") if not getattr(raw, name)]
        if missing:
            return missing
        indicator = await self.indicator(raw.indicator)
        if indicator is None:
            return [(raw.row, "indicator", f"no indicator with code {raw.indicator}")]
        period = self.period(raw.period)
        if isinstance(period, str):
            return [(raw.row, "period", period)]
        disaggregation = self.disaggregation(raw.disaggregation, indicator)
        if isinstance(disaggregation, str):
            return [(raw.row, "disaggregation", disaggregation)]
        try:
            numbers = {k: parse_decimal(getattr(raw, k)) for k in ("numerator", "denominator")}
            value = None if indicator.measure == "qualitative" else parse_decimal(raw.value)
        except ValueError as exc:
            return [(raw.row, "value", str(exc))]
        text_value = (raw.value or None) if indicator.measure == "qualitative" else None
        errors = disaggregation_errors(indicator, disaggregation, "disaggregation") + value_errors(
            indicator, value=value, numerator=numbers["numerator"], denominator=numbers["denominator"],
            text=text_value, field="row",
        )  # fmt: skip
        if errors:
            return [(raw.row, e.field.removeprefix("row."), e.message) for e in errors]
        return (
            raw.row, raw.project, indicator.id, period.code, period.start, period.end,  # type: ignore[return-value]
            disaggregation_key(disaggregation), json.dumps(disaggregation), value, numbers["numerator"],
            numbers["denominator"], text_value, raw.comment or None, raw.incomplete.lower() in TRUE,
        )  # fmt: skip


def summary(
    options: ImportOptions, rows: int, conflicts: list[Conflict], counts: dict[str, int], created: int
) -> ImportSummary:
    conflicts.sort()
    status = "conflicts" if conflicts else ("dry_run" if options.dry_run else "success")
    return ImportSummary(
        status=status, dry_run=options.dry_run, strategy=options.strategy, replace=options.replace, rows=rows,
        imported=counts.get("imported", 0), updated=counts.get("updated", 0), deleted=counts.get("deleted", 0),
        ignored=counts.get("ignored", 0 if not conflicts else rows), reports_created=created,
        conflict_count=len(conflicts),
        conflicts=[ImportConflict(row=r, field=f, message=m) for r, f, m in conflicts[:MAX_LISTED]],
    )  # fmt: skip


async def _check_rights(session: AsyncSession, projects: ProjectsClient, principal: Principal) -> list[Conflict]:
    conflicts: list[Conflict] = []
    denied = []
    for project_id, first, count in await staging.projects(session):
        try:
            await require_write(projects, principal, project_id, "report")
        except (NotFound, Forbidden) as exc:
            denied.append(project_id)
            conflicts.append((first, "project", f"{exc.detail} ({count} rows of this project)"))
    await staging.drop_project_rows(session, denied)
    return conflicts


async def run_import(
    session: AsyncSession, projects: ProjectsClient, principal: Principal, path: Path, options: ImportOptions,
    limits: tuple[int, int], progress: Progress | None = None,
) -> ImportSummary:  # fmt: skip
    """Read, stage, check and (unless conflicts or a dry run) apply a file, in the session's transaction."""
    checker = RowChecker(session)
    await staging.create(session)
    conflicts: list[Conflict] = []
    batch: list[staging.Record] = []
    rows = 0
    for raw in readers.rows_of(path, options.file_format, *limits):
        rows += 1
        record = await checker.stage(raw)
        if isinstance(record, list):
            conflicts += record
        else:
            batch.append(record)
        if len(batch) >= BATCH:
            await staging.copy(session, batch)
            batch = []
            if progress:
                await progress(rows, 0)
    await staging.copy(session, batch)
    if progress:
        await progress(rows, 0)
    conflicts += await staging.resolve_projects(session)
    conflicts += await _check_rights(session, projects, principal)
    conflicts += await staging.check(session)
    if conflicts:
        await staging.drop(session)
        return summary(options, rows, conflicts, {}, 0)
    nested = await session.begin_nested() if options.dry_run else None
    created = await staging.create_reports(session, principal.subject)
    counts = await staging.apply(session, options.strategy, options.replace, principal.subject)
    if nested is not None:
        await nested.rollback()
    await staging.drop(session)
    if progress:
        await progress(rows, rows)
    return summary(options, rows, [], counts, created)


def raise_conflicts(result: ImportSummary) -> None:
    """A synchronous import with conflicts answers 422 problem+json, one error per conflict with its row."""
    if result.status != "conflicts":
        return
    raise ValidationFailed(
        f"{result.conflict_count} rows cannot be imported; nothing was written",
        errors=[field_error(f"rows[{c.row}].{c.field}", c.message, "conflict") for c in result.conflicts],
    )


async def previous(session: AsyncSession, principal: Principal, key: str | None) -> ImportJob | None:
    if not key:
        return None
    return await session.scalar(
        select(ImportJob).where(ImportJob.created_by == principal.subject, ImportJob.idempotency_key == key)
    )


async def get_job(session: AsyncSession, principal: Principal, job_id: uuid.UUID) -> ImportJob:
    job = await session.get(ImportJob, job_id, populate_existing=True)
    if job is None or (job.created_by != principal.subject and not principal.is_admin):
        raise NotFound(f"No import {job_id}.")
    return job


async def run_job(
    maker: async_sessionmaker[AsyncSession], projects: ProjectsClient, principal: Principal, job_id: uuid.UUID,
    path: Path, options: ImportOptions, limits: tuple[int, int],
) -> None:  # fmt: skip
    """A large import in the background: progress committed apart, the values in one transaction."""

    async def progress(read: int, done: int) -> None:
        async with maker() as s:
            job = await s.get(ImportJob, job_id)
            if job is not None:
                job.status, job.rows_total, job.rows_done = "running", read, done
                await s.commit()

    result: ImportSummary | None = None
    error: str | None = None
    try:
        async with maker() as session:
            result = await run_import(session, projects, principal, path, options, limits, progress)
            await session.commit()
    except AppError as exc:
        error = exc.detail or exc.title
    except Exception as exc:
        logger.exception("import job failed", extra={"job": str(job_id)})
        error = f"unexpected error ({type(exc).__name__}); nothing was imported"
    finally:
        path.unlink(missing_ok=True)
    async with maker() as s:
        job = await s.get(ImportJob, job_id)
        if job is not None:
            job.status = "done" if result is not None else "failed"
            job.summary = result.model_dump(mode="json") if result is not None else {"error": error}
            job.finished_at = datetime.now(UTC)
            if result is not None:
                job.rows_total = job.rows_done = result.rows
            await s.commit()
