"""Notifications as their recipient reads them, and what each person chooses to receive."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["report_submitted", "report_returned", "report_approved", "report_due", "import_finished"]


class NotificationOut(BaseModel):
    """Something that happened that concerns the caller; `data` names what (the app words it in its language)."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": "2f0e0c4e-1b9a-4f6e-9a55-0d1c7a3e9b10",
                    "kind": "report_returned",
                    "data": {
                        "report_id": "6d3c1a52-9c1f-4c0e-8f6d-3b0a4e1c2d7f",
                        "period": "2026Q3",
                        "project_id": "0b7e5c61-7a1d-4e59-9b5a-2f9c0d3e4a18",
                        "project_code": "XM-DAC-47066-GE-MMCB",
                        "project_title": "Migration management capacity building in Georgia",
                        "actor_name": "Demo Manager",
                        "comment": "Please split by sex.",
                    },
                    "created_at": "2026-10-05T09:30:00Z",
                    "read_at": None,
                }
            ]
        },
    )

    id: uuid.UUID
    kind: Kind
    data: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class UnreadCount(BaseModel):
    unread: int = Field(examples=[3])


class Preference(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"kind": "report_due", "in_app": True, "email": False}]}
    )

    kind: Kind
    in_app: bool = Field(description="Shown under the bell in the app")
    email: bool = Field(description="Sent by e-mail (when the registry has an SMTP server)")


class Preferences(BaseModel):
    """Per kind of notification, whether the caller wants it in the app and by e-mail."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"email_available": True, "items": [{"kind": "report_due", "in_app": True, "email": False}]}]
        }
    )

    email_available: bool = Field(description="Whether this registry sends e-mail at all (an SMTP server is set)")
    items: list[Preference]


class PreferencesIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"items": [{"kind": "report_due", "in_app": True, "email": False}]}]},
    )

    items: list[Preference] = Field(min_length=1, max_length=20)
