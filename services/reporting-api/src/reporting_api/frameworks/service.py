"""The rules of results frameworks: who may change them, what a target may be."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit import narratives
from registry_kit.auth import Principal
from registry_kit.errors import Conflict, FieldError, NotFound, ValidationFailed, field_error, invalid, reject_nulls
from registry_kit.etag import check_if_match
from reporting_api.access import read_access, require_write
from reporting_api.common import disaggregation_key
from reporting_api.frameworks import repository
from reporting_api.frameworks.models import ProjectIndicator, Result, Target
from reporting_api.frameworks.presenters import result_out
from reporting_api.frameworks.schemas import (
    Framework,
    ProjectIndicatorIn,
    ProjectIndicatorUpdate,
    ResultCreate,
    ResultUpdate,
    TargetIn,
)
from reporting_api.indicators import repository as indicators
from reporting_api.indicators.models import Indicator
from reporting_api.periods import PeriodError, parse_period
from reporting_api.projects.client import ProjectsClient
from reporting_api.values import disaggregation_errors, number_errors


def _targets(indicator: Indicator, targets: list[TargetIn], field: str) -> list[Target]:
    errors: list[FieldError] = []
    out: list[Target] = []
    seen: set[tuple[str, str]] = set()
    for i, t in enumerate(targets):
        where = f"{field}[{i}]"
        if indicator.measure == "qualitative":
            errors.append(
                field_error(f"{where}.value", f"{indicator.code} is qualitative and has no numeric targets", "type")
            )
            continue
        start = end = None
        code = ""
        if t.period is not None:
            try:
                period = parse_period(t.period)
            except PeriodError as exc:
                errors.append(field_error(f"{where}.period", str(exc), "period"))
                continue
            code, start, end = period.code, period.start, period.end
        errors += disaggregation_errors(indicator, t.disaggregation, f"{where}.disaggregation")
        errors += number_errors(indicator, t.value, f"{where}.value")
        key = disaggregation_key(t.disaggregation)
        if (code, key) in seen:
            errors.append(field_error(where, "a target for this period and disaggregation is given twice", "duplicate"))
        seen.add((code, key))
        out.append(
            Target(
                period_code=code,
                period_start=start,
                period_end=end,
                disaggregation=dict(t.disaggregation),
                disaggregation_key=key,
                value=t.value,
            )
        )
    if errors:
        raise ValidationFailed(f"{len(errors)} target fields are not valid", errors=errors)
    return out


async def _resolve_indicator(session: AsyncSession, data: ProjectIndicatorIn, field: str) -> Indicator:
    if data.indicator_id is not None:
        found = await indicators.get(session, data.indicator_id)
        if found is None:
            raise invalid(f"{field}.indicator_id", f"no indicator {data.indicator_id}", "unknown")
        return found
    found = await indicators.by_code(session, data.indicator_code or "")
    if found is None:
        raise invalid(f"{field}.indicator_code", f"no indicator with code {data.indicator_code}", "unknown")
    return found


async def _new_project_indicator(
    session: AsyncSession,
    project_id: uuid.UUID,
    result: Result,
    data: ProjectIndicatorIn,
    field: str,
    used: set[uuid.UUID],
) -> ProjectIndicator:
    indicator = await _resolve_indicator(session, data, field)
    if indicator.id in used:
        raise Conflict(f"Indicator {indicator.code} is already in this project's results framework.")
    used.add(indicator.id)
    if data.baseline_value is not None:
        bad = number_errors(indicator, data.baseline_value, f"{field}.baseline_value")
        if bad:
            raise ValidationFailed(bad[0].message, errors=bad)
    pi = ProjectIndicator(
        project_id=project_id,
        indicator_id=indicator.id,
        position=data.position,
        frequency=data.frequency or indicator.frequency,
        baseline_value=data.baseline_value,
        baseline_date=data.baseline_date,
        baseline_note=data.baseline_note,
        targets=_targets(indicator, data.targets, f"{field}.targets"),
    )
    pi.result = result
    pi.indicator = indicator
    return pi


async def _reload(session: AsyncSession, project_id: uuid.UUID, result_id: uuid.UUID) -> Result:
    found = await repository.result(session, project_id, result_id)
    if found is None:
        raise NotFound(f"No result {result_id} in project {project_id}.")
    return found


async def get_project_indicator(session: AsyncSession, project_id: uuid.UUID, pi_id: uuid.UUID) -> ProjectIndicator:
    pi = await repository.project_indicator(session, project_id, pi_id)
    if pi is None:
        raise NotFound(f"No indicator {pi_id} in the results framework of project {project_id}.")
    return pi


async def _result_to_edit(
    session: AsyncSession, projects: ProjectsClient, principal: Principal, project_id: uuid.UUID, result_id: uuid.UUID
) -> Result:
    """The result, for a caller who may edit the project's framework."""
    await require_write(projects, principal, project_id, "edit")
    return await _reload(session, project_id, result_id)


async def _indicator_to_edit(
    session: AsyncSession, projects: ProjectsClient, principal: Principal, project_id: uuid.UUID, pi_id: uuid.UUID
) -> ProjectIndicator:
    """The framework's indicator, for a caller who may edit the project's framework."""
    await require_write(projects, principal, project_id, "edit")
    return await get_project_indicator(session, project_id, pi_id)


async def create_result(
    session: AsyncSession, projects: ProjectsClient, principal: Principal, project_id: uuid.UUID, data: ResultCreate
) -> Result:
    await require_write(projects, principal, project_id, "edit")
    title, titles = narratives.resolve(data.title, data.titles, data.language, "title", required=True)
    description, descriptions = narratives.resolve(
        data.description, data.descriptions, data.language, "description", required=False
    )
    result = Result(
        project_id=project_id,
        kind=data.kind,
        title=title,
        description=description,
        language=data.language,
        titles=titles,
        descriptions=descriptions,
        position=data.position,
        is_illustrative=data.is_illustrative,
        indicators=[],
    )
    used = await repository.used_indicator_ids(session, project_id)
    for i, item in enumerate(data.indicators):
        await _new_project_indicator(session, project_id, result, item, f"body.indicators[{i}]", used)
    session.add(result)
    await session.flush()
    return await _reload(session, project_id, result.id)


async def update_result(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal,
    project_id: uuid.UUID,
    result_id: uuid.UUID,
    data: ResultUpdate,
    if_match: str | None,
) -> Result:
    result = await _result_to_edit(session, projects, principal, project_id, result_id)
    check_if_match(if_match, result.id, result.version)
    changes = data.model_dump(exclude_unset=True, exclude={"titles", "descriptions", "language"})
    reject_nulls(data.model_dump(exclude_unset=True), "kind", "title", "position", "language")
    changes |= _texts(data, result)
    for key, value in changes.items():
        setattr(result, key, value)
    await session.flush()
    return await _reload(session, project_id, result_id)


def _texts(data: ResultUpdate, result: Result) -> dict[str, object]:
    language = data.language or result.language
    out: dict[str, object] = {"language": language}
    for plain, required in (("title", True), ("description", False)):
        out[plain], out[plain + "s"] = narratives.update(
            field=plain,
            language=language,
            sent=data.model_fields_set,
            text=getattr(data, plain),
            narratives=getattr(data, plain + "s"),
            current_text=getattr(result, plain),
            current=getattr(result, plain + "s"),
            required=required,
        )
    return out


async def delete_result(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal,
    project_id: uuid.UUID,
    result_id: uuid.UUID,
    if_match: str | None,
) -> None:
    result = await _result_to_edit(session, projects, principal, project_id, result_id)
    check_if_match(if_match, result.id, result.version)
    if await repository.value_count(session, [pi.id for pi in result.indicators]):
        raise Conflict("Reports hold values for this result's indicators; it cannot be deleted.")
    await session.delete(result)
    await session.flush()


async def add_indicator(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal,
    project_id: uuid.UUID,
    result_id: uuid.UUID,
    data: ProjectIndicatorIn,
) -> ProjectIndicator:
    result = await _result_to_edit(session, projects, principal, project_id, result_id)
    used = await repository.used_indicator_ids(session, project_id)
    pi = await _new_project_indicator(session, project_id, result, data, "body", used)
    session.add(pi)
    await session.flush()
    return await get_project_indicator(session, project_id, pi.id)


async def update_indicator(
    session: AsyncSession,
    projects: ProjectsClient,
    principal: Principal,
    project_id: uuid.UUID,
    pi_id: uuid.UUID,
    data: ProjectIndicatorUpdate,
) -> ProjectIndicator:
    pi = await _indicator_to_edit(session, projects, principal, project_id, pi_id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("baseline_value") is not None:
        bad = number_errors(pi.indicator, changes["baseline_value"], "body.baseline_value")
        if bad:
            raise ValidationFailed(bad[0].message, errors=bad)
    if changes.get("frequency") is not None and changes["frequency"] != pi.frequency:
        if await repository.value_count(session, [pi.id]):
            raise Conflict(
                f"Reports hold values of {pi.indicator.code} reported by {pi.frequency}; its frequency cannot change."
            )
        pi.frequency = changes["frequency"]
    for key in ("position", "baseline_value", "baseline_date", "baseline_note"):
        if key in changes:
            setattr(pi, key, changes[key])
    if data.targets is not None:
        pi.targets.clear()
        await session.flush()
        pi.targets.extend(_targets(pi.indicator, data.targets, "body.targets"))
    await session.flush()
    return await get_project_indicator(session, project_id, pi_id)


async def remove_indicator(
    session: AsyncSession, projects: ProjectsClient, principal: Principal, project_id: uuid.UUID, pi_id: uuid.UUID
) -> None:
    pi = await _indicator_to_edit(session, projects, principal, project_id, pi_id)
    if await repository.value_count(session, [pi.id]):
        raise Conflict("Reports hold values for this indicator; it cannot be removed from the framework.")
    await session.delete(pi)
    await session.flush()


async def framework(
    session: AsyncSession, projects: ProjectsClient, principal: Principal | None, project_id: uuid.UUID
) -> Framework:
    """The project's results, indicators, baselines and targets, for a caller who may read the project."""
    await read_access(projects, session, principal, project_id)
    results = await repository.framework(session, project_id)
    return Framework(project_id=project_id, results=[result_out(r) for r in results])
