"""The database fixtures every service's tests use (registered for the whole run by the root conftest.py). A suite
defines `database_url` and imports `engine` into its conftest, which makes the session-wide engine the suite's own:
when one `pytest` runs several suites, each gets an engine on its own database (one shared fixture would hand the
second suite the first one's). `connection` and `session` follow the engine of the test that asks for them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from registry_kit.db_config import DatabaseConfig
from registry_testing import rolled_back_connection, savepoint_sessionmaker


@pytest_asyncio.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = DatabaseConfig.from_url(database_url).create_engine()
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """The test's connection, inside a transaction rolled back at its end."""
    async with rolled_back_connection(engine) as conn:
        yield conn


@pytest_asyncio.fixture
async def session(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    """For arranging and checking data; commits become savepoints of the test's transaction."""
    async with savepoint_sessionmaker(connection)() as session:
        yield session


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many generated examples each property test passed (registry_testing.properties)."""
    from registry_testing.properties import summary_lines

    lines = summary_lines()
    if lines:
        terminalreporter.section("property tests")
        for line in lines:
            terminalreporter.write_line(line)
