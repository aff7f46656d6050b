"""Request dependencies of the project routes: the list filters, read and checked once for every route using them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query

from projects_api.projects.filters import ProjectFilters
from projects_api.projects.service import ensure_visible
from projects_api.reference.data import REGION_BY_CODE, ActivityStatus, ParticipantRole
from registry_kit.dependencies import ReadDep
from registry_kit.errors import invalid


async def _project_filters(
    country: Annotated[list[str] | None, Query(description="ISO 3166 alpha-2; repeat for any of several")] = None,
    region: Annotated[list[str] | None, Query(description="Region code, e.g. central-asia")] = None,
    organisation: Annotated[
        list[uuid.UUID] | None, Query(description="Participating organisation (or a child of it)")
    ] = None,
    organisation_role: Annotated[
        ParticipantRole | None, Query(description="Only where the organisation has this role")
    ] = None,
    theme: Annotated[list[str] | None, Query()] = None,
    sector: Annotated[list[str] | None, Query(description="DAC purpose code")] = None,
    status_: Annotated[list[ActivityStatus] | None, Query(alias="status")] = None,
    year_from: Annotated[int | None, Query(ge=1900, le=2999, description="Active in or after this year")] = None,
    year_to: Annotated[int | None, Query(ge=1900, le=2999, description="Active in or before this year")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Words matched as prefixes in code, title, description")
    ] = None,
    is_public: bool | None = None,
) -> ProjectFilters:
    for i, r in enumerate(region or []):
        if r not in REGION_BY_CODE:
            raise invalid(f"query.region[{i}]", f"unknown region {r!r}; see /reference/regions", "unknown")
    for i, c in enumerate(country or []):
        if len(c) != 2 or not c.isupper():
            raise invalid(f"query.country[{i}]", "use an ISO 3166 alpha-2 code such as GE", "pattern")
    texts = [
        (f"query.{name}[{i}]", v) for name, vs in (("sector", sector), ("theme", theme)) for i, v in enumerate(vs or [])
    ]
    for field, value in [*texts, ("query.q", q or "")]:
        if any(ord(ch) < 32 for ch in value):  # PostgreSQL refuses NUL in text: a 422, not a 500 (schemathesis)
            raise invalid(field, "control characters are not allowed", "control_character")
    if year_from and year_to and year_to < year_from:
        raise invalid("query.year_to", "year_to is before year_from", "date_order")
    return ProjectFilters(
        countries=country or [],
        regions=region or [],
        organisations=organisation or [],
        organisation_role=organisation_role.value if organisation_role else None,
        themes=theme or [],
        sectors=sector or [],
        statuses=[s.value for s in status_ or []],
        year_from=year_from,
        year_to=year_to,
        q=q,
        is_public=is_public,
    )


ProjectFiltersDep = Annotated[ProjectFilters, Depends(_project_filters)]


async def _visible_project(project_id: uuid.UUID, read: ReadDep) -> uuid.UUID:
    """The path's project id, once the caller may see the project (404 otherwise: a hidden project is not revealed)."""
    await ensure_visible(read.session, read.principal, project_id)
    return project_id


# The project of a read route under /projects/{project_id}/…: the route loads its record knowing the caller may see it.
VisibleProjectId = Annotated[uuid.UUID, Depends(_visible_project)]
