"""The read tables (migration 0016) are kept exactly: after every kind of write, alone or from writers racing on the
same project, what the database kept equals what it computes again from scratch; a page of one country's list read
from them answers what the ORM path answers, for every caller and both orders; their labels are the code's."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Any

import asyncpg
import orjson
import pytest
from sqlalchemy import select, text, true
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from projects_api.projects import read_model
from projects_api.projects.filters import ProjectFilters
from projects_api.projects.models import Project, ProjectCountry, ProjectLocation, ProjectSector
from projects_api.reference.data import DAC_SECTORS, THEMES
from projects_api.reference.lookups import country_names
from projects_api_tests.factories import create_org, create_project
from projects_api_tests.test_read_model import orm_list_page, to_summary
from registry_kit.auth import Grant, Principal, Role
from registry_kit.embedded_pg import asyncpg_dsn
from registry_kit.pagination import PageParams
from registry_kit.raw_reads import Reads

pytestmark = pytest.mark.asyncio(loop_scope="session")

VIEWER = Principal(subject="u", name="Viewer everywhere", organisation_id=None, grants=(Grant(Role.viewer),))
KEPT = {
    "listing": "SELECT project_id, item FROM project_listing ORDER BY 1",
    "by_country": "SELECT country_code, code, project_id, is_public, item FROM project_listing_country ORDER BY 1, 2, 3",
    "counts": "SELECT country_code, projects, public_projects FROM project_country_count "
    "WHERE projects <> 0 OR public_projects <> 0 ORDER BY 1",
    "documents": "SELECT project_id, body FROM project_document ORDER BY 1",
}


async def _kept(conn: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {name: [tuple(r) for r in await conn.fetch(sql)] for name, sql in KEPT.items()}


async def _recomputed(conn: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Everything kept thrown away and computed again from the tables, inside a savepoint that is rolled back."""
    tr = conn.transaction()
    await tr.start()
    try:
        await conn.execute("TRUNCATE project_listing, project_listing_country, project_country_count, project_document")
        await conn.execute("SELECT project_reads_refresh(array_agg(id)) FROM project")
        return await _kept(conn)
    finally:
        await tr.rollback()


async def _raw(session: AsyncSession) -> Any:
    return (await (await session.connection()).get_raw_connection()).driver_connection


async def test_labels_are_those_the_code_shows(session: AsyncSession) -> None:
    rows = (await session.execute(text("SELECT kind, code, name FROM reference_label"))).all()
    expected = (
        {("country", c, n) for c, n in country_names().items()}
        | {("theme", t.code, t.name) for t in THEMES}
        | {("sector", s.code, s.name) for s in DAC_SECTORS}
    )
    assert {tuple(r) for r in rows} == expected


async def test_the_read_tables_follow_every_kind_of_change(session: AsyncSession) -> None:
    donor, partner = await create_org(session, "Donor"), await create_org(session, "Partner")
    projects = [
        await create_project(
            session,
            code=f"KEPT-{i}",
            countries=(("GE", "60"), ("AM", "40")),
            themes=("visa-policy",),
            participants=((donor.id, "funding"), (partner.id, "implementing")),
            is_public=i % 2 == 0,
        )
        for i in range(4)
    ]
    raw = await _raw(session)
    assert await _kept(raw) == await _recomputed(raw)
    first, second, third, fourth = projects
    # the ORM's writes: a title, visibility, countries replaced, a sector and a location added
    first.title, second.is_public = "Renamed", True
    session.add(ProjectSector(project_id=first.id, sector_code="15190", percentage=Decimal(100)))
    session.add(ProjectLocation(project_id=third.id, country_code="GE", name="Batumi", latitude=Decimal("41.6")))
    await session.flush()
    await session.execute(text("DELETE FROM project_country WHERE project_id = :p"), {"p": third.id})
    session.add(ProjectCountry(project_id=third.id, country_code="MD", percentage=Decimal(100)))
    await session.flush()
    # statements touching several projects at once; a funder renamed; a project deleted with its rows
    await session.execute(
        text("DELETE FROM project_theme WHERE theme_code = 'visa-policy' AND project_id <> :p"), {"p": fourth.id}
    )
    await session.execute(text("UPDATE organisation SET name = 'Donor (renamed)' WHERE id = :o"), {"o": donor.id})
    # an implementing partner renamed: no list item names it, every document does
    await session.execute(text("UPDATE organisation SET acronym = 'PX' WHERE id = :o"), {"o": partner.id})
    await session.execute(
        text("UPDATE project_participant SET role = 'funding' WHERE organisation_id = :o"), {"o": partner.id}
    )
    await session.execute(text("DELETE FROM project WHERE id = :p"), {"p": fourth.id})
    kept = await _kept(raw)
    assert kept == await _recomputed(raw)
    items = {r[0]: orjson.loads(r[1]) for r in kept["listing"]}
    assert items[first.id]["title"] == "Renamed"
    assert [f["name"] for f in items[second.id]["funders"]] == ["Donor (renamed)", "Partner"]
    assert fourth.id not in items
    documents = {r[0]: orjson.loads(r[1]) for r in kept["documents"]}
    assert [x["organisation"]["acronym"] for x in documents[third.id]["participants"]] == [donor.acronym, "PX"]


async def test_a_label_change_reaches_every_project(session: AsyncSession) -> None:
    project = await create_project(session, countries=(("GE", "100"),))
    await session.execute(text("UPDATE reference_label SET name = 'Sakartvelo' WHERE kind = 'country' AND code = 'GE'"))
    raw = await _raw(session)
    item = orjson.loads(await raw.fetchval("SELECT item FROM project_listing WHERE project_id = $1", project.id))
    assert item["countries"][0]["name"] == "Sakartvelo"


@pytest.mark.parametrize("sort", ["code", "-code"])
@pytest.mark.parametrize("caller", ["everyone", "public"])
async def test_a_country_page_answers_what_the_orm_path_answers(session: AsyncSession, sort: str, caller: str) -> None:
    donor = await create_org(session, "Donor")
    for i in range(7):
        await create_project(
            session,
            code=f"PAGE-{i}",
            countries=(("TJ", "50"), ("KG", "50")),
            participants=((donor.id, "funding"),),
            is_public=i % 3 != 0,
        )
    principal = VIEWER if caller == "everyone" else None
    visible = true() if caller == "everyone" else Project.is_public.is_(True)
    in_tajikistan = Project.id.in_(select(ProjectCountry.project_id).where(ProjectCountry.country_code == "TJ"))
    reads = await Reads.on(await session.connection())
    for page in (1, 2, 3):
        rows, total = await orm_list_page(session, [visible, in_tajikistan], sort=sort, offset=(page - 1) * 3, limit=3)
        f = ProjectFilters(countries=["TJ"])
        body = orjson.loads(
            await read_model.list_page(reads, principal, f, sort=sort, page=PageParams(page=page, page_size=3))
        )
        assert body["total"] == total
        assert body["items"] == [to_summary(p).model_dump(mode="json") for p in rows]


async def _committed(engine: AsyncEngine) -> tuple[uuid.UUID, uuid.UUID]:
    async with engine.begin() as conn:
        org = uuid.uuid4()
        project = uuid.uuid4()
        await conn.execute(
            text(
                "INSERT INTO organisation (id, name, org_type, is_illustrative, version) "
                "VALUES (:o, 'Racing donor', '10', false, 1)"
            ),
            {"o": org},
        )
        await conn.execute(
            text(
                "INSERT INTO project (id, code, title, status, is_public, is_illustrative, version) "
                "VALUES (:p, :c, 'Race', 'implementation', true, false, 1)"
            ),
            {"p": project, "c": f"RACE-{project.hex[:8]}"},
        )
        await conn.execute(text("INSERT INTO project_country VALUES (:p, 'GE', 100)"), {"p": project})
        await conn.execute(
            text(
                "INSERT INTO project_participant (id, project_id, organisation_id, role, position) "
                "VALUES (gen_random_uuid(), :p, :o, 'funding', 0)"
            ),
            {"p": project, "o": org},
        )
    return project, org


async def test_writers_racing_on_one_project_leave_what_a_recomputation_gives(
    engine: AsyncEngine, database_url: str
) -> None:
    """Two committed transactions change the same project at once: the second one's refresh waits for the first's
    row lock, then sees what it committed (it does not write back the state it saw before)."""
    project, org = await _committed(engine)
    dsn = asyncpg_dsn(database_url)
    first, second = await asyncpg.connect(dsn), await asyncpg.connect(dsn)
    try:
        t1, t2 = first.transaction(), second.transaction()
        await t1.start()
        await t2.start()
        await first.execute("UPDATE project_country SET country_code = 'AM' WHERE project_id = $1", project)
        # The second writer's statement waits for the first's lock on the project...
        racing = asyncio.ensure_future(
            second.execute("INSERT INTO project_theme VALUES ($1, 'border-protection')", project)
        )
        await asyncio.sleep(0.3)
        assert not racing.done()
        await t1.commit()  # ...and then computes from what the first committed
        await racing
        await second.execute("UPDATE organisation SET acronym = 'RD' WHERE id = $1", org)
        await t2.commit()
        item = orjson.loads(await first.fetchval("SELECT item FROM project_listing WHERE project_id = $1", project))
        assert [c["country_code"] for c in item["countries"]] == ["AM"]
        assert item["themes"] == ["border-protection"]
        assert item["funders"][0]["acronym"] == "RD"
        assert await _kept(first) == await _recomputed(first)
        counts = dict(await first.fetch("SELECT country_code, projects FROM project_country_count"))
        listed = await first.fetch("SELECT country_code, count(*) FROM project_listing_country GROUP BY 1")
        assert all(counts[c] == n for c, n in listed)
    finally:
        await first.execute("DELETE FROM project WHERE id = $1", project)
        await first.execute("DELETE FROM organisation WHERE id = $1", org)
        await first.close()
        await second.close()
