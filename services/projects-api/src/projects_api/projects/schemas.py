"""Project payloads: what clients send and what they read."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from projects_api.organisations.schemas import OrganisationRef
from projects_api.reference.data import SECTOR_CODES, THEME_CODES, ActivityStatus, ParticipantRole
from projects_api.reference.lookups import is_country
from registry_kit.dates import RegistryDate
from registry_kit.narratives import LanguageCode, LongNarratives, ShortNarratives

PERCENT = Decimal(100)


def _total_is_100(items: list[CountryShare] | list[SectorShare], what: str) -> None:
    if items and sum((i.percentage for i in items), Decimal(0)) != PERCENT:
        raise ValueError(f"{what} percentages must total 100")


class CountryShare(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country_code: str = Field(examples=["BA"])
    percentage: Decimal = Field(gt=0, le=100, decimal_places=2, examples=[100])

    @field_validator("country_code")
    @classmethod
    def _known(cls, value: str) -> str:
        if not is_country(value):
            raise ValueError(f"unknown ISO 3166 country code {value!r}")
        return value


class SectorShare(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sector_code: str = Field(examples=["15190"])
    percentage: Decimal = Field(gt=0, le=100, decimal_places=2, examples=[100])

    @field_validator("sector_code")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in SECTOR_CODES:
            raise ValueError(f"unknown DAC purpose code {value!r}; see /reference/sectors")
        return value


class LocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country_code: str = Field(examples=["GE"])
    name: str = Field(min_length=1, max_length=300, examples=["Tbilisi"])
    admin_area: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=2000)
    latitude: Decimal | None = Field(default=None, ge=-90, le=90)
    longitude: Decimal | None = Field(default=None, ge=-180, le=180)

    @field_validator("country_code")
    @classmethod
    def _known(cls, value: str) -> str:
        if not is_country(value):
            raise ValueError(f"unknown ISO 3166 country code {value!r}")
        return value


class ParticipantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organisation_id: uuid.UUID
    role: ParticipantRole = Field(examples=["funding"])


def _check_themes(value: list[str] | None) -> list[str] | None:
    if value is None:
        return value
    unknown = [t for t in value if t not in THEME_CODES]
    if unknown:
        raise ValueError(f"unknown theme {unknown[0]!r}; see /reference/themes")
    if len(set(value)) != len(value):
        raise ValueError("a theme is listed twice")
    return value


def _check_countries(value: list[CountryShare] | None) -> list[CountryShare] | None:
    if value is None:
        return value
    codes = [c.country_code for c in value]
    if len(set(codes)) != len(codes):
        raise ValueError("a country is listed twice")
    _total_is_100(value, "country")
    return value


def _check_sectors(value: list[SectorShare] | None) -> list[SectorShare] | None:
    if value is None:
        return value
    codes = [s.sector_code for s in value]
    if len(set(codes)) != len(codes):
        raise ValueError("a sector is listed twice")
    _total_is_100(value, "sector")
    return value


CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._/-]*$"

_EXAMPLE: dict[str, Any] = {
    "code": "XM-DAC-47066-CZ-BA-2004",
    "title": "Bilateral CZ-BiH project on asylum and migration",
    "description": "Standard level of the asylum and migration procedure in Bosnia and Herzegovina.",
    "status": "closed",
    "planned_start": "2004-01-01",
    "planned_end": "2005-12-31",
    "themes": ["competences", "return-policy"],
    "sectors": [{"sector_code": "15190", "percentage": 100}],
    "countries": [{"country_code": "BA", "percentage": 100}],
    "participants": [{"organisation_id": "00000000-0000-0000-0000-000000000001", "role": "funding"}],
}


class ProjectCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    code: str = Field(min_length=3, max_length=100, pattern=CODE_PATTERN, description="IATI activity identifier")
    title: str | None = Field(
        default=None, min_length=1, max_length=500, description="In the default language (or send `titles`)"
    )
    description: str | None = Field(default=None, max_length=20000)
    language: LanguageCode | None = Field(
        default=None, description="ISO 639-1 language of title and description; the reporting organisation's default"
    )
    titles: ShortNarratives | None = Field(default=None, description="The title in every language, the default too")
    descriptions: LongNarratives | None = Field(default=None, description="The description in every language")
    reporting_organisation_id: uuid.UUID | None = Field(
        default=None,
        description="Publishes the project to IATI; by default the organisation whose IATI id prefixes code",
    )
    status: ActivityStatus = ActivityStatus.implementation
    planned_start: RegistryDate | None = None
    planned_end: RegistryDate | None = None
    actual_start: RegistryDate | None = None
    actual_end: RegistryDate | None = None
    is_public: bool = Field(
        default=False,
        description="Shown to everyone, anonymous callers included, and published to IATI: a choice to make, so a "
        "project is not public unless this says so",
    )
    themes: list[str] = Field(default_factory=list)
    sectors: list[SectorShare] = Field(default_factory=list)
    countries: list[CountryShare] = Field(min_length=1)
    locations: list[LocationIn] = Field(default_factory=list)
    participants: list[ParticipantIn] = Field(default_factory=list)
    is_illustrative: bool = False
    source: str | None = None

    _themes = field_validator("themes")(_check_themes)
    _countries = field_validator("countries")(_check_countries)
    _sectors = field_validator("sectors")(_check_sectors)


class ProjectUpdate(BaseModel):
    """Only the fields sent change; a list sent replaces the whole list."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "closed"}]})

    code: str | None = Field(default=None, min_length=3, max_length=100, pattern=CODE_PATTERN)
    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=20000)
    language: LanguageCode | None = None
    titles: ShortNarratives | None = None
    descriptions: LongNarratives | None = None
    reporting_organisation_id: uuid.UUID | None = None
    status: ActivityStatus | None = None
    planned_start: RegistryDate | None = None
    planned_end: RegistryDate | None = None
    actual_start: RegistryDate | None = None
    actual_end: RegistryDate | None = None
    is_public: bool | None = None
    themes: list[str] | None = None
    sectors: list[SectorShare] | None = None
    countries: list[CountryShare] | None = Field(default=None, min_length=1)
    locations: list[LocationIn] | None = None
    participants: list[ParticipantIn] | None = None
    is_illustrative: bool | None = None
    source: str | None = None

    _themes = field_validator("themes")(_check_themes)
    _countries = field_validator("countries")(_check_countries)
    _sectors = field_validator("sectors")(_check_sectors)


class CountryShareOut(BaseModel):
    country_code: str
    name: str
    percentage: Decimal


class SectorOut(BaseModel):
    sector_code: str
    name: str
    percentage: Decimal


class ThemeOut(BaseModel):
    code: str
    name: str


class LocationOut(LocationIn):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID


class ParticipantOut(BaseModel):
    organisation: OrganisationRef
    role: ParticipantRole


class ProjectSummary(BaseModel):
    """A project as lists show it."""

    id: uuid.UUID
    code: str
    title: str
    language: str = Field(description="The language of title (ISO 639-1)")
    titles: dict[str, str] = Field(description="The title in every language held")
    status: ActivityStatus
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    is_public: bool
    is_illustrative: bool
    countries: list[CountryShareOut]
    themes: list[str]
    funders: list[OrganisationRef]
    updated_at: datetime


class Project(BaseModel):
    """A project with everything that hangs off it."""

    id: uuid.UUID
    code: str
    title: str
    description: str | None
    language: str = Field(description="The language of title and description (ISO 639-1)")
    titles: dict[str, str] = Field(description="The title in every language held")
    descriptions: dict[str, str] = Field(description="The description in every language held")
    reporting_organisation: OrganisationRef | None = Field(description="Publishes the project to IATI")
    status: ActivityStatus
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    is_public: bool
    is_illustrative: bool
    source: str | None
    themes: list[ThemeOut]
    sectors: list[SectorOut]
    countries: list[CountryShareOut]
    locations: list[LocationOut]
    participants: list[ParticipantOut]
    version: int
    created_at: datetime
    updated_at: datetime


class ProjectAccess(BaseModel):
    """What the caller may do with one project (other services ask this)."""

    project_id: uuid.UUID
    is_public: bool
    can_read: bool
    can_report: bool
    can_edit: bool
    can_approve: bool
