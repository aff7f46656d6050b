"""The list filters as SQL: one clause per filter, its values bound by name.

The hot list compiles each combination of filters once and binds the values per request (read_model.py); the export
and other session reads bind the values into the same clauses (`conditions`). Each clause is served by an index
(docs/query-plans.md); list values are bound as arrays (`= ANY`), so one compiled form fits any number of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ARRAY, Boolean, ColumnElement, Date, String, Text, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.sql.expression import any_

from projects_api.organisations.repository import descendant_ids
from projects_api.projects.models import Project, ProjectCountry, ProjectParticipant, ProjectSector, ProjectTheme
from projects_api.reference.data import REGION_BY_CODE
from registry_kit.search import matches, prefix_query


@dataclass
class ProjectFilters:
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    organisations: list[uuid.UUID] = field(default_factory=list)
    organisation_role: str | None = None
    themes: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    q: str | None = None
    is_public: bool | None = None


_TEXTS, _UUIDS = ARRAY(String), ARRAY(PG_UUID(as_uuid=True))


# A clause takes `param(name, type)`: a bind parameter, empty when the clause is compiled once for many requests,
# holding the request's value when the clause goes into a session statement.
Param = Callable[[str, Any], Any]


def _countries(param: Param) -> ColumnElement[bool]:
    codes = ProjectCountry.country_code == any_(param("countries", _TEXTS))
    return Project.id.in_(select(ProjectCountry.project_id).where(codes))


def _organisations(param: Param, *, with_role: bool) -> ColumnElement[bool]:
    sub = select(ProjectParticipant.project_id).where(
        ProjectParticipant.organisation_id.in_(descendant_ids(param("organisations", _UUIDS), "filter_orgs"))
    )
    if with_role:
        sub = sub.where(ProjectParticipant.role == param("organisation_role", String))
    return Project.id.in_(sub)


def _themes(param: Param) -> ColumnElement[bool]:
    return Project.id.in_(
        select(ProjectTheme.project_id).where(ProjectTheme.theme_code == any_(param("themes", _TEXTS)))
    )


def _sectors(param: Param) -> ColumnElement[bool]:
    return Project.id.in_(
        select(ProjectSector.project_id).where(ProjectSector.sector_code == any_(param("sectors", _TEXTS)))
    )


def _active(param: Param) -> ColumnElement[bool]:
    window = func.daterange(param("active_from", Date), param("active_to", Date), literal_column("'[]'"))
    return literal_column("project.active").op("&&")(window)


CLAUSES: dict[str, Callable[[Param], ColumnElement[bool]]] = {
    "countries": _countries,
    "organisations": lambda param: _organisations(param, with_role=False),
    "organisations_with_role": lambda param: _organisations(param, with_role=True),
    "themes": _themes,
    "sectors": _sectors,
    "statuses": lambda param: Project.status == any_(param("statuses", _TEXTS)),
    "active": _active,
    "q": lambda param: matches("project.search", param("q", Text)),
    "is_public": lambda param: Project.is_public == param("is_public", Boolean),
}


def unbound(name: str, type_: Any) -> Any:
    """A bind parameter named `f_<filter>` whose value each request supplies."""
    return bindparam(f"f_{name}", type_=type_)


def bound(f: ProjectFilters) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The filters present (their CLAUSES names, in a fixed order: the shape of the query) and their bound values."""
    values: dict[str, Any] = {}
    names: list[str] = []
    countries = set(f.countries)
    for region in f.regions:
        countries |= set(REGION_BY_CODE[region].countries)
    if countries:
        names.append("countries")
        values["f_countries"] = sorted(countries)
    if f.organisations:
        names.append("organisations_with_role" if f.organisation_role else "organisations")
        values["f_organisations"] = list(f.organisations)
        if f.organisation_role:
            values["f_organisation_role"] = f.organisation_role
    for name, chosen in (("themes", f.themes), ("sectors", f.sectors), ("statuses", f.statuses)):
        if chosen:
            names.append(name)
            values[f"f_{name}"] = list(chosen)
    if f.year_from is not None or f.year_to is not None:
        names.append("active")
        values["f_active_from"] = date(f.year_from or 1900, 1, 1)
        values["f_active_to"] = date(f.year_to or 2999, 12, 31)
    query = prefix_query(f.q)
    if query is not None:  # a text without letters or digits searches for nothing: no filter
        names.append("q")
        values["f_q"] = query
    if f.is_public is not None:
        names.append("is_public")
        values["f_is_public"] = f.is_public
    return tuple(names), values


def conditions(f: ProjectFilters) -> list[ColumnElement[bool]]:
    """The same clauses with their values bound in, for statements run through a session."""
    names, values = bound(f)

    def holding(name: str, type_: Any) -> Any:
        return bindparam(f"f_{name}", values[f"f_{name}"], type_=type_)

    return [CLAUSES[name](holding) for name in names]


def one(project_id: uuid.UUID) -> list[ColumnElement[bool]]:
    """One project, as the conditions a statement over projects takes (the IATI document of a single activity)."""
    return [Project.id == project_id]
