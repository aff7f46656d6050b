"""Audit events as clients read them."""

from __future__ import annotations

import uuid
from datetime import datetime
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
