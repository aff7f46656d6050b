"""Activity payloads."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from projects_api.organisations.schemas import OrganisationRef
from projects_api.reference.data import ActivityKind, FacilityType
from projects_api.reference.lookups import is_country
from registry_kit.dates import RegistryDate


class ParticipantCount(BaseModel):
    """People from one institution, by sex."""

    model_config = ConfigDict(extra="forbid")

    organisation_id: uuid.UUID
    women: int = Field(default=0, ge=0, le=100_000)
    men: int = Field(default=0, ge=0, le=100_000)
    unspecified: int = Field(default=0, ge=0, le=100_000)


class ParticipantCountOut(BaseModel):
    organisation: OrganisationRef
    women: int
    men: int
    unspecified: int
    total: int


_EXAMPLE: dict[str, Any] = {
    "kind": "on-site-visit",
    "title": "Visit to the Bělá-Jezová detention facility for foreigners",
    "facility_type": "detention-facility",
    "start_date": "2009-05-12",
    "end_date": "2009-05-13",
    "place": "Bělá pod Bezdězem",
    "country_code": "CZ",
    "participants": [{"organisation_id": "00000000-0000-0000-0000-000000000001", "women": 3, "men": 5}],
}


def _country(value: str | None) -> str | None:
    if value is not None and not is_country(value):
        raise ValueError(f"unknown ISO 3166 country code {value!r}")
    return value


class ActivityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    kind: ActivityKind
    title: str = Field(min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=10000)
    facility_type: FacilityType | None = Field(default=None, description="Only for on-site visits")
    facility_name: str | None = Field(default=None, max_length=300)
    start_date: RegistryDate
    end_date: RegistryDate | None = None
    place: str | None = Field(default=None, max_length=300)
    country_code: str | None = None
    participants: list[ParticipantCount] = Field(default_factory=list)
    is_illustrative: bool = False
    source: str | None = None

    _country = field_validator("country_code")(_country)


class ActivityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"end_date": "2009-05-14"}]})

    kind: ActivityKind | None = None
    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=10000)
    facility_type: FacilityType | None = None
    facility_name: str | None = Field(default=None, max_length=300)
    start_date: RegistryDate | None = None
    end_date: RegistryDate | None = None
    place: str | None = Field(default=None, max_length=300)
    country_code: str | None = None
    participants: list[ParticipantCount] | None = None
    is_illustrative: bool | None = None
    source: str | None = None

    _country = field_validator("country_code")(_country)


class Activity(BaseModel):
    id: uuid.UUID
    project_id: uuid.UUID
    kind: ActivityKind
    title: str
    description: str | None
    facility_type: FacilityType | None
    facility_name: str | None
    start_date: date
    end_date: date | None
    place: str | None
    country_code: str | None
    participants: list[ParticipantCountOut]
    women: int = Field(description="All participants who are women")
    men: int
    total_participants: int
    is_illustrative: bool
    source: str | None
    version: int
    created_at: datetime
    updated_at: datetime
