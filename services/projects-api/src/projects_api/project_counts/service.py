"""How many projects the caller may see, by country, theme or status, with the list's filters."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import scope_for, visible_clause
from projects_api.project_counts import repository
from projects_api.project_counts.schemas import CountBy, CountRow, ProjectCounts
from projects_api.projects import filters as project_filters
from projects_api.projects.filters import ProjectFilters
from registry_kit.auth import Principal, Role


async def counts(
    session: AsyncSession, principal: Principal | None, filters: ProjectFilters, by: Sequence[CountBy]
) -> ProjectCounts:
    scope = await scope_for(session, principal, Role.viewer)
    conditions = [visible_clause(scope), *project_filters.conditions(filters)]
    total, groups = await repository.counts(session, conditions, list(dict.fromkeys(by)))
    return ProjectCounts(
        total=total, by={d: [CountRow(key=k, projects=n) for k, n in rows] for d, rows in groups.items()}
    )
