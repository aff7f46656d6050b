"""Creating and dropping a service's database (the embedded server, tests, the bench), through the same connection
model as the pools (so TLS settings apply here too)."""

from __future__ import annotations

import asyncio

from registry_kit.db_config import DatabaseConfig


def libpq_url(url: str) -> str:
    """A `postgresql://` URL for libpq programs (psql, pg_dump) and asyncpg, TLS parameters included."""
    return DatabaseConfig.from_url(url).libpq_url()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def ensure_database(url: str, *, recreate: bool = False) -> None:
    """Create the database named in the URL if it is missing (or drop and create it), connected to `postgres`."""
    config = DatabaseConfig.from_url(url)
    conn = await config.with_database("postgres").connect()
    try:
        if recreate:
            await conn.execute(f"DROP DATABASE IF EXISTS {_quoted(config.database)} WITH (FORCE)")
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", config.database)
        if not exists:
            await conn.execute(f"CREATE DATABASE {_quoted(config.database)}")
    finally:
        await conn.close()


async def drop_database(url: str) -> None:
    config = DatabaseConfig.from_url(url)
    conn = await config.with_database("postgres").connect()
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {_quoted(config.database)} WITH (FORCE)")
    finally:
        await conn.close()


def ensure_database_sync(url: str, *, recreate: bool = False) -> None:
    asyncio.run(ensure_database(url, recreate=recreate))
