"""An IATI import from start to end: read and check the file, parse each activity, apply them (or, in a dry run,
apply and roll back), then send the results of the activities applied to reporting-api.

Who may import: managers and admins. Each activity is then checked like the same change through the API: a new
project must involve an organisation or country the caller's manager grants cover (admins: any), an existing one
must be within them. Organisations the file names that the registry lacks are created, flagged `needs_review`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.iati.importer import parse, reader
from projects_api.iati.importer.apply import Progress, apply_activities
from projects_api.iati.importer.organisations import OrganisationMatcher
from projects_api.iati.importer.schemas import ActivityOutcome, IatiImportSummary
from projects_api.iati.results_client import write_results
from registry_kit.auth import Principal, Role
from registry_kit.errors import AppError
from registry_kit.upstream import Upstream


def count_activities(content: bytes) -> int:
    return content.count(b"<iati-activity")  # a cheap estimate for a job's progress bar (no parse)


async def run(
    session: AsyncSession,
    principal: Principal,
    content: bytes,
    *,
    dry_run: bool,
    filename: str | None,
    progress: Progress | None = None,
) -> tuple[IatiImportSummary, list[tuple[ActivityOutcome, list[dict[str, object]]]]]:
    """The summary, and the applied activities with the results to send (none in a dry run). The caller commits."""
    principal.require(Role.manager)
    root, version = reader.read(content)
    activities = [parse.activity(el, root) for el in root.findall("iati-activity")]
    stamp = datetime.now(UTC).date().isoformat()
    matcher = OrganisationMatcher(session, principal, f"IATI import of {filename or 'a file'} on {stamp}")
    savepoint = await session.begin_nested()
    outcomes = await apply_activities(session, principal, activities, matcher, progress)
    if dry_run:
        await savepoint.rollback()
    else:
        await savepoint.commit()
    to_send = [
        (o, a.results)
        for o, a in zip(outcomes, activities, strict=True)
        if not dry_run and o.outcome != "skipped" and a.results
    ]
    summary = IatiImportSummary(
        status="dry_run" if dry_run else "applied",
        dry_run=dry_run,
        version=version,
        activities=len(outcomes),
        created=sum(o.outcome == "created" for o in outcomes),
        updated=sum(o.outcome == "updated" for o in outcomes),
        skipped=sum(o.outcome == "skipped" for o in outcomes),
        organisations_created=sum(len(o.organisations_created) for o in outcomes),
        items=outcomes,
    )
    return summary, to_send


async def send_results(
    upstream: Upstream, token: str, to_send: list[tuple[ActivityOutcome, list[dict[str, object]]]]
) -> None:
    """Each applied activity's results to reporting-api, once its project is committed (reporting-api checks the
    caller's rights to it with projects-api). A failure is reported on the activity; importing the file again
    sends them again (the write replaces the project's framework)."""
    for outcome, results in to_send:
        assert outcome.project_id is not None  # noqa: S101 (applied activities have their project)
        try:
            answer = await write_results(upstream, outcome.project_id, results, token)
        except AppError as exc:
            outcome.errors.append(f"results not written to reporting-api: {exc.detail or exc.title}")
            continue
        outcome.warnings += [f"results: {w}" for w in answer.get("warnings", [])]
        created = answer.get("indicators_created") or []
        if created:
            outcome.warnings.append(f"results: catalogue indicators created: {', '.join(created)}")
