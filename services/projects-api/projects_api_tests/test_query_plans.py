"""Every list filter is served by an index: with sequential scans priced out, the planner must find one.

`make explain` (docs/query-plans.md) shows the same plans on the demo data.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import NO_SCOPE, Scope, visible_clause
from projects_api.funding.models import Transaction
from projects_api.organisations import repository as org_repository
from projects_api.organisations.models import Organisation
from projects_api.projects.filters import ProjectFilters, conditions
from projects_api.projects.models import Project
from projects_api_tests.factories import create_org
from registry_kit.raw_reads import compile_read

pytestmark = pytest.mark.asyncio(loop_scope="session")


VOLUME_SQL = [
    """INSERT INTO organisation (id, name, org_type, is_illustrative, version)
       SELECT md5('org' || i)::uuid, 'Organisation ' || i, '10', false, 1 FROM generate_series(1, 300) i""",
    """INSERT INTO project (id, code, title, status, planned_start, planned_end, is_public, is_illustrative, version)
       SELECT md5('p' || i)::uuid, 'VOL-' || i, 'Volume project ' || i,
              (ARRAY['pipeline','implementation','finalisation','closed','cancelled','suspended'])[1 + i % 6],
              make_date(2000 + i % 25, 1, 1), make_date(2001 + i % 25, 12, 31), i % 3 > 0, false, 1
       FROM generate_series(1, 3000) i""",
    """INSERT INTO project_country (project_id, country_code, percentage)
       SELECT md5('p' || i)::uuid, (ARRAY['GE','MD','BA','IQ','KZ','KG','TJ','TM','UZ','AM','AZ','UA','RS','AL',
              'ME','MK','JO','LB','SY','BY','TR','CZ','SK','PL','HU','RO','BG','GR','IT','ES'])[1 + i % 30], 100
       FROM generate_series(1, 3000) i""",
    """INSERT INTO project_participant (id, project_id, organisation_id, role, position)
       SELECT gen_random_uuid(), md5('p' || i)::uuid, md5('org' || (1 + i % 300))::uuid,
              (ARRAY['funding','implementing','beneficiary'])[1 + i % 3], 0
       FROM generate_series(1, 3000) i""",
    """INSERT INTO project_theme (project_id, theme_code)
       SELECT md5('p' || i)::uuid, (ARRAY['competences','border-protection','document-inspection','return-policy',
              'visa-policy','data-collection','illegal-migration','police-education','reintegration'])[1 + i % 9]
       FROM generate_series(1, 3000) i""",
    """INSERT INTO project_sector (project_id, sector_code, percentage)
       SELECT md5('p' || i)::uuid, (ARRAY['15190','15110','15130','15210','16020','11330'])[1 + i % 6], 100
       FROM generate_series(1, 3000) i""",
    "ANALYZE organisation, project, project_country, project_participant, project_theme, project_sector",
]


@pytest_asyncio.fixture(autouse=True)
async def volume(session: AsyncSession) -> None:
    """Plans depend on statistics: give the planner thousands of rows, as a real registry has (rolled back after).

    The read tables' and funding cube's triggers are off while the rows go in (`session_replication_role`): these
    tests look at the plans of reads, and 3,000 projects refreshed by one statement, right after autovacuum has set
    an emptied table's row estimate to zero, once made the cube's refresh plan nested loops over every project (a full
    run stuck for 15 minutes in this fixture)."""
    await session.execute(text("SET LOCAL session_replication_role = replica"))
    for sql in VOLUME_SQL:
        await session.execute(text(sql))
    await session.execute(text("SET LOCAL session_replication_role = origin"))


async def plan(session: AsyncSession, stmt: Any) -> str:
    """EXPLAIN of the statement as the service sends it: compiled for asyncpg, values bound as typed parameters."""
    read = compile_read(stmt, expand_lists=True)
    raw = (await (await session.connection()).get_raw_connection()).driver_connection
    await raw.execute("SET LOCAL enable_seqscan = off")
    rows = await raw.fetch(f"EXPLAIN {read.sql}", *read.args({}))
    await raw.execute("SET LOCAL enable_seqscan = on")
    return "\n".join(r[0] for r in rows)


def uses(explained: str, *indexes: str) -> bool:
    """One of the indexes serves the query (PostgreSQL 18 may skip-scan a composite primary key instead)."""
    return any(f"using {i} " in explained or f"on {i} " in explained or f"on {i}\n" in explained for i in indexes)


COUNTRY_INDEXES = ("ix_project_country_country", "pk_project_country")
ORG_INDEXES = ("ix_project_participant_org", "uq_project_participant_project_id_organisation_id_role")
FILTERS: list[tuple[str, ProjectFilters, tuple[str, ...]]] = [
    ("country", ProjectFilters(countries=["GE"]), COUNTRY_INDEXES),
    ("region", ProjectFilters(regions=["central-asia"]), COUNTRY_INDEXES),
    ("theme", ProjectFilters(themes=["reintegration"]), ("ix_project_theme_theme", "pk_project_theme")),
    ("sector", ProjectFilters(sectors=["15190"]), ("ix_project_sector_sector", "pk_project_sector")),
    ("status", ProjectFilters(statuses=["closed"]), ("ix_project_status",)),
    ("years", ProjectFilters(year_from=2006, year_to=2010), ("ix_project_active",)),
    ("text", ProjectFilters(q="asylum bih"), ("ix_project_search",)),
]


async def test_every_project_list_filter_uses_an_index(session: AsyncSession) -> None:
    donor = await create_org(session, "Donor")
    filters = [
        *FILTERS,
        ("organisation", ProjectFilters(organisations=[donor.id], organisation_role="funding"), ORG_INDEXES),
    ]
    unserved = []
    for name, f, indexes in filters:
        where = conditions(f)
        explained = await plan(session, select(func.count()).select_from(Project).where(*where))
        if not uses(explained, *indexes):
            unserved.append(f"{name}:\n{explained}")
    assert not unserved, "\n\n".join(unserved)


async def test_visibility_for_scoped_callers_uses_indexes(session: AsyncSession) -> None:
    scope = Scope(False, frozenset({uuid.uuid4()}), frozenset({"GE"}))
    explained = await plan(session, select(Project.id).where(visible_clause(scope)))
    assert "ix_project_participant_org" in explained or "pk_project_participant" in explained
    assert "pk_project_country" in explained or "ix_project_country_country" in explained
    anonymous = await plan(session, select(Project.id).where(visible_clause(NO_SCOPE)))
    assert "Seq Scan on project " not in anonymous


async def test_organisation_search_and_country_use_indexes(session: AsyncSession) -> None:
    explained = await plan(session, select(Organisation.id).where(org_repository.search_clause("asylum")))
    assert "ix_organisation_search" in explained
    explained = await plan(session, select(Organisation.id).where(Organisation.country_code == "GE"))
    assert "ix_organisation_country_code" in explained


async def test_funding_filters_use_indexes(session: AsyncSession) -> None:
    explained = await plan(session, select(Transaction.id).where(Transaction.provider_org_id == uuid.uuid4()))
    assert "ix_transaction_provider" in explained
    explained = await plan(session, select(Transaction.id).where(Transaction.project_id == uuid.uuid4()))
    assert "ix_transaction_project_date" in explained
