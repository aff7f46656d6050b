"""/imports: bulk values from CSV, XLSX, JSON or DHIS2 dataValueSets; large files run as jobs with progress."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Header, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse

from registry_kit.auth import Role
from registry_kit.dependencies import CurrentPrincipal, SessionDep
from registry_kit.errors import problem_responses
from registry_kit.uploads import chunks_of, spool
from reporting_api.access import ProjectsDep
from reporting_api.imports import dhis2_answer, readers, service, upload_service
from reporting_api.imports.dhis2_answer import Dhis2Params
from reporting_api.imports.models import ImportJob as ImportJobRow
from reporting_api.imports.schemas import FileFormat, ImportJob, ImportOptions, ImportSummary, Strategy
from reporting_api.settings import Settings

router = APIRouter(prefix="/imports", tags=["imports"])

DESCRIPTION = """Import indicator values. Columns (CSV with a header row, or the first sheet of an XLSX):
`project` (code or id), `indicator` (code), `period` (any accepted period code), `value`, and optionally
`disaggregation` (`sex=f;age=18-59`), `comment`, `numerator`, `denominator` (ratios), `incomplete` (true on a total
whose breakdown is knowingly partial). JSON: `{"values": [{project, indicator, period, disaggregation: {...}, value,
comment}]}`.

DHIS2, as DHIS2's own clients post to /api/dataValueSets: the dataValueSets JSON (`application/json` body, or a file)
or DHIS2's CSV (`application/csv` or `text/csv` body, or a file whose header starts with `dataelement`; columns by
position: dataelement, period, orgunit, categoryoptioncombo, attributeoptioncombo, value, storedby, lastupdated,
comment, followup). Identifiers go through the DHIS2 mapping table (`/dhis2/mappings`): by UID, or by code with
`idScheme=code` (or `dataElementIdScheme`, `orgUnitIdScheme`, `categoryOptionComboIdScheme`; the payload's schemes
win). Unmapped, a dataElement is an indicator code, an orgUnit a project code or id, a categoryOptionCombo a
disaggregation (`sex=f`, or a value code such as `f`; DHIS2's default combination is the total). `dryRun` and
`importStrategy` (CREATE, UPDATE, CREATE_AND_UPDATE, DELETE) are DHIS2's names for `dry_run` and `strategy`.
`completeDate` submits each report the values went into, dated then. The answer carries DHIS2's importSummary in
`response` (status SUCCESS, WARNING or ERROR, importCount, conflicts); a DHIS2 body with conflicts is answered 409
with that summary instead of a 422 problem.

Strategies: `create` (only new values), `update` (only existing ones), `create_and_update`, `delete` (remove the
listed values). `replace=true` also removes values missing from the file in the reports (project and period) it
covers. A file is applied all-or-nothing: any conflict answers 422 with every conflict as `rows[N].field`
(spreadsheet row numbers, header = row 1) and writes nothing. `dry_run=true` answers what would happen.
Values go into draft reports, created when missing; submitted and approved reports are locked. A retry with the
same `Idempotency-Key`, file and options answers the first result and applies nothing twice (also when both are
sent at once: the second waits for the first); the key with another file or options is refused (422). Files larger
than the job threshold answer 202 with an import job to poll for progress."""


async def _save(file: UploadFile, limit: int, declared: FileFormat | None) -> tuple[Path, str]:
    """The upload in a temporary file, and its format (declared, or told from its name and first bytes)."""
    name = file.filename or ""
    too_large = f"An import file may have at most {limit} bytes."
    spooled = await spool(
        chunks_of(file), prefix="import-", suffix=Path(name).suffix[:10], limit=limit, too_large=too_large
    )
    return spooled.path, await readers.spooled_format(spooled, name, declared)


def job_out(job: ImportJobRow) -> ImportJob:
    summary = job.summary if job.summary and "status" in job.summary else None
    error = job.summary.get("error") if job.summary and "error" in job.summary else None
    total = max(job.rows_total, 1)
    return ImportJob(
        id=job.id,
        status=job.status,
        file_format=job.file_format,
        rows_total=job.rows_total,
        rows_done=job.rows_done,
        progress=1.0 if job.status == "done" else round(job.rows_done / total, 3),
        summary=ImportSummary.model_validate(summary) if summary else None,
        error=error,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


def _replayed(job: ImportJobRow) -> Response:
    """The first answer again: the job of a large file, or the summary of a small one."""
    headers = {"Idempotent-Replayed": "true"}
    if job.options.get("job"):
        headers["Location"] = f"/api/reporting/v1/imports/{job.id}"
        return JSONResponse(job_out(job).model_dump(mode="json"), status_code=202, headers=headers)
    # Through the model, so the replay is the first answer byte for byte (JSONB keeps keys in its own order).
    return JSONResponse(
        ImportSummary.model_validate(job.summary).model_dump(mode="json", exclude_none=True), headers=headers
    )


@router.post(
    "",
    response_model=ImportSummary,
    response_model_exclude_none=True,
    description=DESCRIPTION,
    responses={
        202: {"model": ImportJob, "description": "A large file: the job to poll"},
        **problem_responses(400, 401, 403, 409, 413, 415, 422, 503),
        **dhis2_answer.responses(),
    },
    openapi_extra=dhis2_answer.request_bodies(),
)
async def import_values(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    projects: ProjectsDep,
    background: BackgroundTasks,
    dhis2_params: Dhis2Params,
    file: Annotated[UploadFile | None, File(description="CSV, XLSX, JSON or DHIS2 (JSON or CSV)")] = None,
    file_format: Annotated[
        FileFormat | None, Query(alias="format", description="Guessed from the file when absent")
    ] = None,
    dry_run: bool = False,
    strategy: Strategy = "create_and_update",
    replace: bool = False,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Response | ImportSummary:
    """Import values from a file or a DHIS2 body (reporters of the projects in it); see the description."""
    principal.require(Role.reporter)
    settings: Settings = request.app.state.settings
    if file is not None:
        path, detected = await _save(file, settings.max_import_bytes, file_format)
    else:
        path, detected = await dhis2_answer.save_body(request, settings.max_import_bytes, file_format)
    options = ImportOptions(
        file_format=detected,
        dry_run=dhis2_params.dry_run(dry_run),
        strategy=dhis2_params.strategy(strategy),
        replace=replace,
        id_schemes=dhis2_params.schemes(),
        dhis2_answer=file is None,
    )
    outcome = await upload_service.import_saved(session, projects, principal, path, options, settings, idempotency_key)
    if isinstance(outcome, upload_service.Replayed):
        return _replayed(outcome.job)
    if isinstance(outcome, upload_service.Queued):
        # Committed with the request; then this replica's worker is woken (any replica may claim it).
        background.add_task(request.app.state.import_worker.kick)
        location = f"/api/reporting/v1/imports/{outcome.job.id}"
        body = job_out(outcome.job).model_dump(mode="json")
        return JSONResponse(body, status_code=status.HTTP_202_ACCEPTED, headers={"Location": location})
    if outcome.status == "conflicts":  # a DHIS2 body's conflicts, in DHIS2's answer (others raised 422)
        return JSONResponse(outcome.model_dump(mode="json", exclude_none=True), status_code=status.HTTP_409_CONFLICT)
    return outcome


@router.get("/{import_id}", response_model=ImportJob, responses=problem_responses(401, 404, 422))
async def get_import(import_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal) -> ImportJob:
    """An import job: status, rows done of total (for a progress bar), and its summary when done (its owner, admins)."""
    return job_out(await service.get_job(session, principal, import_id))
