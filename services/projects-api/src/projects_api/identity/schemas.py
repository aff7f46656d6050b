"""Identity payloads: tokens, the caller, users and API clients."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from projects_api.reference.lookups import is_country
from registry_kit.auth import Role

# The languages the web app and the e-mails are written in.
Language = Literal["en", "ru", "cs"]


class TokenResponse(BaseModel):
    """An OAuth2 token response (RFC 6749 §5.1)."""

    access_token: str
    token_type: str = "Bearer"  # noqa: S105 (the OAuth2 token type, not a secret)
    expires_in: int = Field(examples=[900])
    refresh_token: str | None = Field(default=None, description="Absent when sent as an httpOnly cookie instead")


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    organisation_id: uuid.UUID | None = None
    country_code: str | None = None

    @field_validator("country_code")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is not None and not is_country(value):
            raise ValueError(f"unknown ISO 3166 country code {value!r}")
        return value

    @model_validator(mode="after")
    def _one_scope(self) -> GrantIn:
        if self.organisation_id and self.country_code:
            raise ValueError("a grant is scoped to an organisation or a country, not both")
        if self.role is Role.admin and (self.organisation_id or self.country_code):
            raise ValueError("admin grants are global")
        return self


class GrantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    role: Role
    organisation_id: uuid.UUID | None
    country_code: str | None


class MeGrant(GrantOut):
    """A grant of the caller, with the name of the organisation it is scoped to (none for country or global)."""

    organisation_name: str | None = Field(default=None, examples=["IOM Prague"])
    organisation_acronym: str | None = Field(default=None, examples=["IOM CZ"])


class Me(BaseModel):
    """The caller, as the token says, with the names of the organisations it names."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "subject": "user:00000000-0000-0000-0000-000000000001",
                    "name": "Nino Beridze",
                    "organisation_id": "00000000-0000-0000-0000-000000000002",
                    "organisation_name": "IOM Tbilisi",
                    "grants": [
                        {
                            "role": "reporter",
                            "organisation_id": "00000000-0000-0000-0000-000000000002",
                            "country_code": None,
                            "organisation_name": "IOM Tbilisi",
                            "organisation_acronym": None,
                        }
                    ],
                }
            ]
        }
    )

    subject: str
    name: str
    organisation_id: uuid.UUID | None
    organisation_name: str | None = None
    language: Language | None = Field(default=None, description="The language the person chose (none: not yet)")
    grants: list[MeGrant]


class MeUpdate(BaseModel):
    """What people change about themselves."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"language": "cs"}]})

    language: Language | None = Field(description="The language of the app and of e-mails to them")


class Recipient(BaseModel):
    """A person (or system) to notify, with where and in which language (for the notification sender only)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "subject": "user:00000000-0000-0000-0000-000000000001",
                    "name": "Nino Beridze",
                    "email": "nino@iom.example",
                    "language": "ru",
                }
            ]
        }
    )

    subject: str
    name: str
    email: str | None = Field(description="None for API clients (they are told in the app only)")
    language: Language | None


class UserCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "email": "reporter@iom.example",
                    "name": "Nino Beridze",
                    "password": "a long passphrase",
                    "organisation_id": "00000000-0000-0000-0000-000000000001",
                    "grants": [{"role": "reporter", "country_code": "GE"}],
                }
            ]
        },
    )

    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=12, max_length=200)
    organisation_id: uuid.UUID | None = None
    grants: list[GrantIn] = Field(default_factory=list)


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"is_active": False}]})

    name: str | None = Field(default=None, min_length=1, max_length=200)
    password: str | None = Field(default=None, min_length=12, max_length=200)
    organisation_id: uuid.UUID | None = None
    is_active: bool | None = None
    grants: list[GrantIn] | None = None


class User(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    name: str
    organisation_id: uuid.UUID | None
    is_active: bool
    grants: list[GrantOut]
    version: int
    created_at: datetime


class ApiClientCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "Donor statistics system", "grants": [{"role": "viewer"}]}]},
    )

    name: str = Field(min_length=1, max_length=200)
    organisation_id: uuid.UUID | None = None
    grants: list[GrantIn] = Field(min_length=1)


class ApiClient(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    client_id: str
    name: str
    organisation_id: uuid.UUID | None
    is_active: bool
    grants: list[GrantOut]
    created_at: datetime


class ApiClientCreated(ApiClient):
    client_secret: str = Field(description="Shown once; only its hash is kept")


class Revocation(BaseModel):
    subject: str = Field(examples=["user:0b9f3c1e-58d4-4a55-9a0e-6a1f44b3a8f2"])
    revoked_at: float = Field(description="Epoch seconds: the subject's tokens issued up to then are refused")


class RevocationList(BaseModel):
    """Revoked subjects, for verifiers of this issuer's tokens."""

    revocations: list[Revocation]
