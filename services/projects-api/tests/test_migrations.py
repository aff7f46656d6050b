"""The migrations build exactly the schema the models describe, and step down and up again."""

from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from projects_api.migrate import MIGRATIONS
from projects_api.models import Base
from registry_kit.migrations import downgrade, upgrade
from registry_kit.testing import create_test_database, drop_test_database

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    def diff(connection: object) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})  # type: ignore[arg-type]
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []


async def test_downgrade_to_base_and_upgrade_again() -> None:
    url = await create_test_database("projects_migrations")
    try:
        await asyncio.to_thread(upgrade, MIGRATIONS, url)
        await asyncio.to_thread(downgrade, MIGRATIONS, url, "base")
        probe = create_async_engine(url)
        async with probe.connect() as conn:
            tables = await conn.run_sync(lambda c: c.dialect.get_table_names(c))
        await probe.dispose()
        assert tables == ["alembic_version"]
        await asyncio.to_thread(upgrade, MIGRATIONS, url)
    finally:
        await drop_test_database(url)
