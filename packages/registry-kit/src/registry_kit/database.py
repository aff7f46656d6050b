"""Engine, sessions and the metadata conventions both services use."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, func
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from registry_kit.db_config import DatabaseConfig
from registry_kit.settings import ServiceSettings

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


class TimestampedMixin:
    """created_at and updated_at, set by the database."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


def resolve_database_url(settings: ServiceSettings) -> str:
    """The configured URL with the settings' TLS parameters merged in (one string that every command and pool reads
    the same way), or the embedded server's when none is configured."""
    if settings.database_url is None:
        from registry_kit.embedded_pg import embedded_url  # the optional extra: never in production images

        return embedded_url(settings.embedded_pg_dir, settings.database_name)
    return DatabaseConfig.from_url(settings.database_url.get_secret_value(), **settings.database_overrides()).render()


def database_config(url: str, settings: ServiceSettings) -> DatabaseConfig:
    """The connection `url` describes (see resolve_database_url), with the settings' pool sizes."""
    return DatabaseConfig.from_url(url, **settings.pool_options())


def create_engine(url: str, settings: ServiceSettings, **kwargs: Any) -> AsyncEngine:
    return database_config(url, settings).create_engine(**kwargs)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def session_scope(maker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A session for one unit of work outside a request (jobs, loaders). Commits on success."""
    async with maker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
