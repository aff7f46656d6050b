"""The indicator catalogue."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Boolean, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from registry_kit.narratives import default_map
from reporting_api.database import Base, Timestamped


class Indicator(Timestamped, Base):
    __tablename__ = "indicator"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(Text)
    definition: Mapped[str | None] = mapped_column(Text)
    # `name` and `definition` are in `language`; `names` and `definitions` hold them and every other language.
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    names: Mapped[dict[str, str]] = mapped_column(JSONB, default=default_map("name"), server_default="{}")
    definitions: Mapped[dict[str, str]] = mapped_column(JSONB, default=default_map("definition"), server_default="{}")
    level: Mapped[str] = mapped_column(String(12))  # output, outcome, impact, context
    measure: Mapped[str] = mapped_column(String(12))  # number, percent, currency, ratio, qualitative
    unit: Mapped[str | None] = mapped_column(String(60))
    currency: Mapped[str | None] = mapped_column(String(3))
    aggregation: Mapped[str] = mapped_column(String(10))  # sum, average, latest, maximum
    cumulative: Mapped[bool] = mapped_column(Boolean, default=False)
    direction: Mapped[str] = mapped_column(String(10))  # increase, decrease
    frequency: Mapped[str] = mapped_column(String(20))  # a period type (periods.PERIOD_TYPES) or once
    # [{"code": "sex", "name": "Sex", "values": [{"code": "f", "name": "Female"}, …]}, …]
    dimensions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    source: Mapped[str | None] = mapped_column(Text)
    is_illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}
