"""The declarative base of projects-api's tables."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from registry_kit.database import TimestampedMixin, make_metadata


class Base(DeclarativeBase):
    metadata = make_metadata()


Timestamped = TimestampedMixin
