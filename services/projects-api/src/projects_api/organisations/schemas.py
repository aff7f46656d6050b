"""Organisation payloads."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from projects_api.reference.data import ORGANISATION_TYPES
from projects_api.reference.lookups import is_country
from registry_kit.narratives import LANGUAGES, LanguageCode


def _check_org_type(value: str | None) -> str | None:
    if value is not None and value not in ORGANISATION_TYPES:
        raise ValueError(f"unknown IATI organisation type {value!r}; see /reference/organisation-types")
    return value


def _check_language(value: str | None) -> str | None:
    if value is not None and value not in LANGUAGES:
        raise ValueError(f"{value!r} is not an ISO 639-1 language code")
    return value


def _check_country(value: str | None) -> str | None:
    if value is not None and not is_country(value):
        raise ValueError(f"unknown ISO 3166 country code {value!r}")
    return value


class OrganisationRef(BaseModel):
    """An organisation as other records show it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str = Field(examples=["IOM Prague"])
    acronym: str | None = Field(default=None, examples=["IOM"])


class OrganisationBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300, examples=["Czech Ministry of the Interior"])
    acronym: str | None = Field(default=None, max_length=40, examples=["MoI CZ"])
    iati_identifier: str | None = Field(
        default=None, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$", examples=["XM-DAC-47066"]
    )
    org_type: str = Field(examples=["10"], description="IATI OrganisationType code")
    country_code: str | None = Field(default=None, examples=["CZ"])
    parent_id: uuid.UUID | None = None
    description: str | None = Field(default=None, max_length=5000)
    source: str | None = Field(default=None, description="Where the facts about it come from")
    is_illustrative: bool = False
    default_language: LanguageCode = Field(
        default="en", description="ISO 639-1 language of its projects' texts unless a project says otherwise"
    )
    needs_review: bool = Field(default=False, description="Created by an IATI import: someone should check it")
    is_department: bool = Field(
        default=False,
        description="A department of its parent (e.g. of a ministry): funding figures count its money under the "
        "parent and name it there, as in 'Ministry of the Interior of the Czech Republic (OAMP)'",
    )

    _org_type = field_validator("org_type")(_check_org_type)
    _country = field_validator("country_code")(_check_country)
    _language = field_validator("default_language")(_check_language)

    @model_validator(mode="after")
    def _department_has_parent(self) -> OrganisationBase:
        if self.is_department and self.parent_id is None:
            raise ValueError("a department needs the organisation it belongs to (parent_id)")
        return self


class OrganisationCreate(OrganisationBase):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Ministry of Internal Affairs of Georgia",
                    "acronym": "MIA GE",
                    "org_type": "10",
                    "country_code": "GE",
                }
            ]
        },
    )


class OrganisationUpdate(BaseModel):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"acronym": "MIA"}]})

    name: str | None = Field(default=None, min_length=1, max_length=300)
    acronym: str | None = Field(default=None, max_length=40)
    iati_identifier: str | None = Field(default=None, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
    org_type: str | None = None
    country_code: str | None = None
    parent_id: uuid.UUID | None = None
    description: str | None = Field(default=None, max_length=5000)
    source: str | None = None
    is_illustrative: bool | None = None
    default_language: LanguageCode | None = None
    needs_review: bool | None = None
    is_department: bool | None = None

    _org_type = field_validator("org_type")(_check_org_type)
    _country = field_validator("country_code")(_check_country)
    _language = field_validator("default_language")(_check_language)


class Organisation(OrganisationBase):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: uuid.UUID
    version: int
    created_at: datetime
    updated_at: datetime
