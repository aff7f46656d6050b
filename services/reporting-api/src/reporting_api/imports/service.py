"""An import from file to values: rows copied as text into a staging table in one COPY, checked in SQL (types,
ranges, catalogue, periods and disaggregations resolved once per distinct value, frameworks, reports, rights),
applied all-or-nothing."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal, Role
from registry_kit.errors import AppError, Forbidden, NotFound, ValidationFailed, field_error
from reporting_api.access import require_write
from reporting_api.common import disaggregation_key
from reporting_api.imports import dhis2, dhis2_mappings, readers, repository, staging
from reporting_api.imports.models import ImportJob
from reporting_api.imports.schemas import ImportConflict, ImportOptions, ImportSummary
from reporting_api.indicators import repository as indicator_repository
from reporting_api.indicators.models import Indicator
from reporting_api.periods import FREQUENCIES, PeriodError, fits_frequency, parse_period
from reporting_api.projects.client import ProjectsClient
from reporting_api.reports import service as reports
from reporting_api.values import disaggregation_errors

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 20_000
ACCESS_CONCURRENCY = 8
MAX_LISTED = 1000
TRUE = {"true", "1", "yes", "y"}
Conflict = tuple[int, str, str]
Progress = Callable[[int, int], Awaitable[None]]


def _periods(codes: set[str]) -> list[tuple[Any, ...]]:
    """Each distinct period code of the file, parsed once: (raw, code, start, end, error)."""
    out: list[tuple[Any, ...]] = []
    for raw in codes:
        try:
            period = parse_period(raw)
        except PeriodError as exc:
            out.append((raw, None, None, None, str(exc), None))
            continue
        if period.end is None:
            out.append((raw, None, None, None, "a value needs a closed period", None))
        else:
            fits = [f for f in FREQUENCIES if fits_frequency(period, f)]
            out.append((raw, period.code, period.start, period.end, None, fits))
    return out


def parse_disaggregation(raw: str | dict[str, object], indicator: Indicator) -> dict[str, str] | str:
    """`sex=f;age=18-59`, a bare value code that belongs to one dimension (`f`), or a JSON object; an error text
    when a bare code is ambiguous or unknown."""
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


def _disaggregations(keys: set[tuple[str, str, bool]], indicators: dict[str, Indicator]) -> list[tuple[Any, ...]]:
    """Each distinct (indicator, disaggregation) of the file, parsed and checked once:
    (indicator, raw, is JSON, key, JSON, parse error, errors as [[field, message], ...])."""
    out: list[tuple[Any, ...]] = []
    for code, raw, is_json in keys:
        indicator = indicators.get(code)
        if indicator is None:
            continue
        try:
            given: str | dict[str, object] = json.loads(raw) if is_json else raw
        except ValueError:
            given = raw
        parsed = parse_disaggregation(given if isinstance(given, str | dict) else str(given), indicator)
        if isinstance(parsed, str):
            out.append((code, raw, is_json, None, None, parsed, None))
            continue
        errors = [[e.field, e.message] for e in disaggregation_errors(indicator, parsed, "disaggregation")]
        out.append(
            (
                code,
                raw,
                is_json,
                disaggregation_key(parsed),
                json.dumps(parsed),
                None,
                json.dumps(errors) if errors else None,
            )
        )
    return out


async def _load_maps(session: AsyncSession) -> None:
    """The catalogue, periods and disaggregations the file names, resolved once per distinct value."""
    keys = await staging.distinct_keys(session)
    indicators = await indicator_repository.by_codes(session, {k[0] for k in keys if k[0]})
    # In a thread: a file of many distinct periods (years of days) is seconds of parsing, which would stall every
    # other request of this process meanwhile.
    periods = await asyncio.to_thread(_periods, {k[1] for k in keys})
    await staging.copy_map(session, "import_period", staging.PERIOD_COLUMNS, periods)
    disaggregations = _disaggregations({(k[0], k[2], k[3]) for k in keys}, indicators)
    await staging.copy_map(session, "import_disagg", staging.DISAGG_COLUMNS, disaggregations)


async def _counted(records: Iterator[readers.RawRecord], count: list[int], progress: Progress | None) -> Any:
    """The file's rows for COPY, counted as they go (progress every PROGRESS_EVERY rows)."""
    n = 0
    for record in records:
        yield record
        n += 1
        if progress is not None and n % PROGRESS_EVERY == 0:
            await progress(n, 0)
    count.append(n)


def summary(
    options: ImportOptions,
    rows: int,
    conflicts: list[Conflict],
    counts: dict[str, int],
    created: int,
    warnings: list[Conflict] | None = None,
) -> ImportSummary:
    conflicts.sort()
    status = "conflicts" if conflicts else ("dry_run" if options.dry_run else "success")
    return ImportSummary(
        status=status,
        dry_run=options.dry_run,
        strategy=options.strategy,
        replace=options.replace,
        rows=rows,
        imported=counts.get("imported", 0),
        updated=counts.get("updated", 0),
        deleted=counts.get("deleted", 0),
        ignored=counts.get("ignored", 0 if not conflicts else rows),
        reports_created=created,
        conflict_count=len(conflicts),
        conflicts=[ImportConflict(row=r, field=f, message=m) for r, f, m in conflicts[:MAX_LISTED]],
        warnings=[ImportConflict(row=r, field=f, message=m) for r, f, m in (warnings or [])[:MAX_LISTED]],
    )


async def _check_rights(session: AsyncSession, projects: ProjectsClient, principal: Principal) -> list[Conflict]:
    """projects-api says, per project of the file, whether the caller may report on it (a few at a time). A grant
    of reporter that no organisation or country limits reaches every project (projects-api's own rule), so for such
    a caller the projects in the local copy need no question."""
    principal.require(Role.reporter)
    everywhere = principal.has_global(Role.reporter)
    touched = [p for p in await staging.projects(session) if not (everywhere and p[3])]
    gate = asyncio.Semaphore(ACCESS_CONCURRENCY)

    async def denied(project_id: uuid.UUID) -> AppError | None:
        async with gate:
            try:
                await require_write(projects, principal, project_id, "report")
            except (NotFound, Forbidden) as exc:
                return exc
            return None

    answers = await asyncio.gather(*(denied(p[0]) for p in touched))
    conflicts: list[Conflict] = [
        (first, "project", f"{exc.detail} ({count} rows of this project)")
        for (_, first, count, _), exc in zip(touched, answers, strict=True)
        if exc is not None
    ]
    await staging.drop_project_rows(session, [p[0] for p, exc in zip(touched, answers, strict=True) if exc])
    return conflicts


async def run_import(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal,
    path: Path,
    options: ImportOptions,
    limits: tuple[int, int],
    progress: Progress | None = None,
    work_mem_mb: int = 256,
) -> ImportSummary:
    """Read and COPY the file into a staging table, check it as sets, and (unless conflicts or a dry run) apply it,
    in the session's transaction. Python touches each row once, to hand it to COPY; the checks run in SQL, with
    what needs Python (periods, disaggregations) resolved once per distinct value."""
    clock = _Phases()
    ctx = await _dhis2_context(session, options)
    await staging.create(session, work_mem_mb)
    columns, records = readers.records_of(
        path, options.file_format, *limits, dhis2=dhis2.reader(ctx) if ctx is not None else None
    )
    count: list[int] = []
    await staging.copy_raw(session, columns, _counted(records, count, progress))
    rows = count[0] if count else 0
    clock.lap("copy")
    if progress:
        await progress(rows, 0)
    await _load_maps(session)
    await staging.resolve_projects(session)
    clock.lap("maps")
    conflicts: list[Conflict] = await staging.stage_rows(session)
    clock.lap("stage")
    conflicts += await staging.unknown_projects(session)
    conflicts += await _check_rights(session, projects, principal)
    clock.lap("rights")
    conflicts += await staging.check(session, period_rules=options.strategy != "delete")
    warnings = await staging.date_warnings(session, datetime.now(UTC).date())
    clock.lap("check")
    if conflicts:
        await staging.drop(session)
        clock.log(rows, "conflicts")
        return _with_dhis2(summary(options, rows, conflicts, {}, 0, warnings), options, ctx, [])
    nested = await session.begin_nested() if options.dry_run else None
    created = await staging.create_reports(session, principal.subject)
    clock.lap("reports")
    counts = await staging.apply(session, options.strategy, options.replace, principal.subject, clock.lap)
    clock.lap("apply")
    not_completed: list[str] = []
    if ctx is not None and ctx.complete_date and nested is None:
        not_completed = await _complete(session, projects, principal, ctx.complete_date)
    if nested is not None:
        await nested.rollback()
    await staging.drop(session)
    if progress:
        await progress(rows, rows)
    clock.log(rows, "dry_run" if options.dry_run else "applied")
    return _with_dhis2(summary(options, rows, [], counts, created, warnings), options, ctx, not_completed)


async def _dhis2_context(session: AsyncSession, options: ImportOptions) -> dhis2.Context | None:
    if options.file_format not in ("dhis2", "dhis2_csv"):
        return None
    return dhis2.Context(schemes=dict(options.id_schemes), lookup=await dhis2_mappings.lookup(session))


def _with_dhis2(
    result: ImportSummary, options: ImportOptions, ctx: dhis2.Context | None, not_completed: list[str]
) -> ImportSummary:
    """A DHIS2 import's summary carries DHIS2's importSummary of the same import beside its own fields."""
    if ctx is None:
        return result
    complete_date = ctx.complete_date
    result.response = dhis2.summary(result, options.file_format, complete_date, not_completed)
    return result


async def _complete(
    session: AsyncSession, projects: ProjectsClient, principal: Principal, complete_date: str
) -> list[str]:
    """DHIS2's completeDate: the data entry is complete, so each report the values went into is submitted, dated
    then. What stops a submission (a sum that does not add up) is reported, and the values stay imported."""
    try:
        when = datetime.fromisoformat(complete_date)
    except ValueError:
        return [f"completeDate {complete_date!r} is not a date (YYYY-MM-DD): no report was submitted"]
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    problems = []
    for report_id, period in await staging.reports(session):
        try:
            report = await reports.submit(session, projects, principal, report_id, "*")
        except AppError as exc:
            problems.append(f"the report for {period} was not submitted: {exc.detail or exc.title}")
            continue
        report.submitted_at = when
        await session.flush()
    return problems


class _Phases:
    """Seconds per phase of an import, logged at its end (where a large import spends its time)."""

    def __init__(self) -> None:
        self.started = self.last = time.monotonic()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps[name] = round(now - self.last, 3)
        self.last = now

    def log(self, rows: int, outcome: str) -> None:
        total = round(time.monotonic() - self.started, 3)
        logger.info(
            "import staged and checked", extra={"rows": rows, "outcome": outcome, "seconds": total, "phases": self.laps}
        )


def raise_conflicts(result: ImportSummary) -> None:
    """A synchronous import with conflicts answers 422 problem+json, one error per conflict with its row."""
    if result.status != "conflicts":
        return
    raise ValidationFailed(
        f"{result.conflict_count} rows cannot be imported; nothing was written",
        errors=[field_error(f"rows[{c.row}].{c.field}", c.message, "conflict") for c in result.conflicts],
    )


def fingerprint(file_hash: str, options: ImportOptions) -> str:
    """What makes two import requests the same request: the file's bytes and every option (as resolved: the format
    told from the file, DHIS2's names for the options, its id schemes)."""
    return hashlib.sha256(f"{file_hash}:{options.model_dump_json()}".encode()).hexdigest()


async def previous(session: AsyncSession, principal: Principal, key: str | None, request_hash: str) -> ImportJob | None:
    """The import this caller already made with this Idempotency-Key, to answer again; 422 when the key came with
    another file or options. Requests with one key wait for each other here (a lock held to the end of the request's
    transaction): the second sees the first's job once it committed, and gives the same answer."""
    if not key:
        return None
    await repository.lock_key(session, f"{principal.subject}\n{key}")
    job = await repository.job_by_key(session, principal.subject, key)
    if job is not None and job.request_hash not in (None, request_hash):  # None: a job from before the hash was kept
        message = "This Idempotency-Key was used with another file or other options; use a new key for a new import."
        raise ValidationFailed(message, errors=[field_error("header.idempotency-key", message, "key_reused")])
    return job


async def get_job(session: AsyncSession, principal: Principal, job_id: uuid.UUID) -> ImportJob:
    job = await session.get(ImportJob, job_id, populate_existing=True)
    if job is None or (job.created_by != principal.subject and not principal.is_admin):
        raise NotFound(f"No import {job_id}.")
    return job


async def queue(
    session: AsyncSession,
    principal: Principal,
    path: Path,
    options: ImportOptions,
    idempotency_key: str | None,
    fingerprint: str,
) -> ImportJob:
    """A large upload as a queued job with its file, committed with the request; a worker of any replica runs it."""
    job = ImportJob(
        status="queued",
        file_format=options.file_format,
        options={**options.model_dump(), "job": True},
        idempotency_key=None if options.dry_run else idempotency_key,
        created_by=principal.subject,
        rows_total=0,
        rows_done=0,
        request_hash=fingerprint,
    )
    session.add(job)
    await session.flush()
    await repository.store_upload(session, job.id, path)
    return job


async def remember(
    session: AsyncSession,
    principal: Principal,
    options: ImportOptions,
    idempotency_key: str,
    fingerprint: str,
    result: ImportSummary,
) -> None:
    """A finished import kept under its Idempotency-Key, so that sending the same request again replays its answer."""
    session.add(
        ImportJob(
            status="done",
            file_format=options.file_format,
            options=options.model_dump(),
            rows_total=result.rows,
            rows_done=result.rows,
            idempotency_key=idempotency_key,
            created_by=principal.subject,
            summary=result.model_dump(mode="json", exclude_none=True),
            request_hash=fingerprint,
        )
    )
    await session.flush()
