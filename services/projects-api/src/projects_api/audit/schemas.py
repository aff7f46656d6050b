"""Audit events as clients read them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: datetime
    actor: str = Field(examples=["user:5b0c…"])
    actor_name: str | None
    request_id: str | None
    entity_type: str = Field(examples=["project"])
    entity_id: uuid.UUID | None
    project_id: uuid.UUID | None
    action: str = Field(examples=["update"])
    changes: dict[str, Any] = Field(examples=[{"status": {"before": "implementation", "after": "closed"}}])


# The change feed (/changes): what another service keeps of each project.


class CountryShare(BaseModel):
    country_code: str
    percentage: Decimal


class Participant(BaseModel):
    organisation_id: uuid.UUID
    role: str


class ProjectState(BaseModel):
    id: uuid.UUID
    code: str
    title: str
    status: str
    is_public: bool
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    countries: list[CountryShare]
    themes: list[str]
    participants: list[Participant]
    scope_organisations: list[uuid.UUID] = Field(
        description="The participating organisations and every organisation above them: a grant on any reaches it"
    )
    version: int
    updated_at: datetime


class ProjectChange(BaseModel):
    project_id: uuid.UUID
    deleted: bool = Field(description="The project no longer exists")
    project: ProjectState | None


class ChangePage(BaseModel):
    """Projects changed after `since`, in the order of their changes; follow `next_cursor` until `has_more` is false."""

    items: list[ProjectChange]
    next_cursor: str = Field(examples=["48213.1093"])
    has_more: bool
