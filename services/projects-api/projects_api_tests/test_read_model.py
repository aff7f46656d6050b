"""The hot reads (projects/read_model.py: compiled once, run on asyncpg, written straight to JSON) answer exactly what
the ORM path with its validated presenters answers: same rows, same order, same decimals, same JSON, for the list and
for the detail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
import pytest
from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from projects_api.organisations.schemas import OrganisationRef
from projects_api.projects import read_model, repository
from projects_api.projects.filters import ProjectFilters
from projects_api.projects.models import Project, ProjectCountry, ProjectLocation, ProjectParticipant, ProjectSector
from projects_api.projects.presenters import countries_of, to_detail
from projects_api.projects.repository import order_by
from projects_api.projects.schemas import ProjectSummary
from projects_api.reference.data import ActivityStatus, ParticipantRole
from projects_api_tests.factories import create_org, create_project
from registry_kit.auth import Grant, Principal, Role
from registry_kit.errors import NotFound
from registry_kit.pagination import PageParams
from registry_kit.raw_reads import Reads

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _projects(session: AsyncSession) -> list[Project]:
    donor, partner = await create_org(session, "Donor", country="CZ"), await create_org(session, "Partner")
    other = await create_org(session, "Second donor")
    people = ((donor.id, "funding"), (partner.id, "implementing"), (other.id, "funding"))
    projects = [
        await create_project(
            session,
            code=f"RM-{i}",
            title=f"Read model {i}",
            countries=(("GE", "70"), ("AM", "30")),
            participants=people if i % 2 == 0 else people[::-1],
            themes=("visa-policy", "border-protection"),
        )
        for i in range(3)
    ]
    for p in projects:
        session.add(ProjectSector(project_id=p.id, sector_code="15190", percentage=Decimal("60.00")))
        session.add(ProjectSector(project_id=p.id, sector_code="15110", percentage=Decimal("40.00")))
        session.add(
            ProjectLocation(
                project_id=p.id,
                country_code="GE",
                name="Tbilisi",
                latitude=Decimal("41.7151"),
                longitude=Decimal("44.8271"),
            )
        )
        session.add(ProjectLocation(project_id=p.id, country_code="GE", name="Batumi"))
    await session.flush()
    return projects


VIEWER = Principal(subject="u", name="Viewer everywhere", organisation_id=None, grants=(Grant(Role.viewer),))


async def _reads(session: AsyncSession) -> Reads:
    return await Reads.on(await session.connection())


def _as_sent(body: Any) -> Any:
    """The body as the client receives it."""
    if isinstance(body, tuple):  # the detail: (body, version)
        body = body[0]
    return orjson.loads(read_model.json_response(body).body)


async def test_detail_matches_the_orm_presenter(session: AsyncSession) -> None:
    reads = await _reads(session)
    for project in await _projects(session):
        expected = to_detail(await repository.get_full(session, project.id))  # type: ignore[arg-type]
        got = await read_model.visible_detail(reads, VIEWER, project.id)
        assert _as_sent(got) == expected.model_dump(mode="json")


async def test_detail_of_an_invisible_project_is_not_found(session: AsyncSession) -> None:
    project = (await _projects(session))[0]
    project.is_public = False
    await session.flush()
    reads = await _reads(session)
    with pytest.raises(NotFound):
        await read_model.visible_detail(reads, None, project.id)
    scoped = Principal(subject="s", name="Elsewhere", organisation_id=None, grants=(Grant(Role.viewer, country="MD"),))
    with pytest.raises(NotFound):
        await read_model.visible_detail(reads, scoped, project.id)
    in_georgia = Principal(
        subject="g", name="Georgia", organisation_id=None, grants=(Grant(Role.viewer, country="GE"),)
    )
    assert _as_sent(await read_model.visible_detail(reads, in_georgia, project.id))["code"] == project.code


# The ORM path the read model replaced, kept here as the oracle its answers must equal.
def _with_list_relations(stmt: Select[Any]) -> Select[Any]:
    return stmt.options(
        selectinload(Project.countries),
        selectinload(Project.themes),
        selectinload(Project.participants).selectinload(ProjectParticipant.organisation),
    )


async def orm_list_page(
    session: AsyncSession,
    conditions: list[ColumnElement[bool]],
    *,
    sort: str,
    offset: int,
    limit: int,
) -> tuple[list[Project], int]:
    total = await session.scalar(select(func.count()).select_from(Project).where(*conditions)) or 0
    stmt = select(Project).where(*conditions).order_by(*order_by(sort)).offset(offset).limit(limit)
    rows = await session.scalars(_with_list_relations(stmt))
    return list(rows), total


def to_summary(project: Project) -> ProjectSummary:
    return ProjectSummary(
        id=project.id,
        code=project.code,
        title=project.title,
        language=project.language,
        titles=project.titles,
        status=ActivityStatus(project.status),
        planned_start=project.planned_start,
        planned_end=project.planned_end,
        actual_start=project.actual_start,
        actual_end=project.actual_end,
        is_public=project.is_public,
        is_illustrative=project.is_illustrative,
        countries=countries_of(project),
        themes=[t.theme_code for t in project.themes],
        funders=[
            OrganisationRef.model_validate(p.organisation)
            for p in project.participants
            if p.role == ParticipantRole.funding
        ],
        updated_at=project.updated_at,
    )


@pytest.mark.parametrize("sort", ["code", "-title", "-updated"])
async def test_list_page_matches_the_orm_presenter(session: AsyncSession, sort: str) -> None:
    await _projects(session)
    in_georgia = Project.id.in_(select(ProjectCountry.project_id).where(ProjectCountry.country_code == "GE"))
    conditions = [true(), in_georgia, Project.code.like("RM-%")]
    rows, total = await orm_list_page(session, conditions, sort=sort, offset=1, limit=2)
    page = PageParams(page=2, page_size=1)
    f = ProjectFilters(countries=["GE"], themes=["visa-policy"])
    body = _as_sent(await read_model.list_page(await _reads(session), VIEWER, f, sort=sort, page=page))
    assert body["total"] == total == 3
    assert (body["page"], body["page_size"]) == (2, 1)
    assert body["items"] == [to_summary(p).model_dump(mode="json") for p in rows[:1]]
    for item in body["items"]:
        assert [(c["country_code"], c["percentage"]) for c in item["countries"]] == [("AM", "30.00"), ("GE", "70.00")]
        assert [f["name"] for f in item["funders"]] in (["Donor", "Second donor"], ["Second donor", "Donor"])
