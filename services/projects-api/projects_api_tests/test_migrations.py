"""The migrations build exactly the schema the models describe, and step down and up again."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from projects_api.migrate import MIGRATIONS
from projects_api.models import Base
from registry_testing import schema_differences, tables_after_downgrade

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    assert await schema_differences(engine, Base.metadata) == []


async def test_downgrade_to_base_and_upgrade_again() -> None:
    assert await tables_after_downgrade("projects", MIGRATIONS) == ["alembic_version"]
