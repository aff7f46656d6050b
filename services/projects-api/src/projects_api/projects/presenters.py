"""Turning loaded Project rows into response models and audit snapshots."""

from __future__ import annotations

from typing import Any

from projects_api.audit.service import decimal_text
from projects_api.organisations.schemas import OrganisationRef
from projects_api.projects.models import Project as ProjectRow
from projects_api.projects.schemas import (
    CountryShareOut,
    LocationOut,
    ParticipantOut,
    Project,
    SectorOut,
    ThemeOut,
)
from projects_api.reference.data import DAC_SECTORS, THEMES, ActivityStatus, ParticipantRole
from projects_api.reference.lookups import country_names
from registry_kit.presenting import from_row

_THEME_NAMES = {t.code: t.name for t in THEMES}
_SECTOR_NAMES = {s.code: s.name for s in DAC_SECTORS}


def countries_of(project: ProjectRow) -> list[CountryShareOut]:
    names = country_names()
    return [
        CountryShareOut(
            country_code=c.country_code,
            name=names.get(c.country_code, c.country_code),
            percentage=c.percentage,
        )
        for c in project.countries
    ]


def to_detail(project: ProjectRow) -> Project:
    return from_row(
        Project,
        project,
        reporting_organisation=(
            OrganisationRef.model_validate(project.reporting_org) if project.reporting_org is not None else None
        ),
        status=ActivityStatus(project.status),
        themes=[ThemeOut(code=t.theme_code, name=_THEME_NAMES.get(t.theme_code, t.theme_code)) for t in project.themes],
        sectors=[
            SectorOut(
                sector_code=s.sector_code,
                name=_SECTOR_NAMES.get(s.sector_code, s.sector_code),
                percentage=s.percentage,
            )
            for s in project.sectors
        ],
        countries=countries_of(project),
        locations=[LocationOut.model_validate(loc) for loc in project.locations],
        participants=[
            ParticipantOut(organisation=OrganisationRef.model_validate(p.organisation), role=ParticipantRole(p.role))
            for p in project.participants
        ],
    )


def snapshot(project: ProjectRow) -> dict[str, Any]:
    """The project as plain JSON values for the audit trail (ids, not nested organisations)."""
    scalars = (
        "code",
        "title",
        "description",
        "status",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "is_public",
        "is_illustrative",
        "source",
        "language",
        "titles",
        "descriptions",
    )
    out: dict[str, Any] = {}
    for name in scalars:
        value = getattr(project, name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    out["reporting_org_id"] = str(project.reporting_org_id) if project.reporting_org_id else None
    out["countries"] = {c.country_code: decimal_text(c.percentage) for c in project.countries}
    out["themes"] = sorted(t.theme_code for t in project.themes)
    out["sectors"] = {s.sector_code: decimal_text(s.percentage) for s in project.sectors}
    out["participants"] = sorted(f"{p.role}:{p.organisation_id}" for p in project.participants)
    out["locations"] = sorted(f"{loc.country_code}:{loc.name}" for loc in project.locations)
    return out
