"""Readiness on its own connection: /readyz must not wait behind the requests for a pool connection (a saturated
request pool would take every replica out of service at once, for being busy), and must answer within a probe's
timeout whatever the database does."""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from registry_kit.db_config import DatabaseConfig

logger = logging.getLogger(__name__)


class Readiness:
    """A pool of at most one connection, opened on the first probe and kept; a probe is one `SELECT 1` bounded by
    `timeout` seconds, connecting included."""

    def __init__(self, config: DatabaseConfig, timeout: float) -> None:
        self.config = config
        self.timeout = timeout
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()
        self._running: asyncio.Task[bool] | None = None

    async def _get_pool(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                # min_size=0: no connection is opened before a probe asks, and a broken one is not reopened early.
                self._pool = await self.config.create_pool(min_size=0, max_size=1, max_inactive_connection_lifetime=0)
            return self._pool

    async def check(self) -> bool:
        """Probes that arrive while one is running share its answer (one connection, one query at a time)."""
        if self._running is None or self._running.done():
            self._running = asyncio.ensure_future(self._probe())
        return await asyncio.shield(self._running)

    async def _probe(self) -> bool:
        try:
            async with asyncio.timeout(self.timeout):
                pool = await self._get_pool()
                async with pool.acquire() as conn:
                    await conn.fetchval("SELECT 1")
        except Exception as exc:  # noqa: BLE001 (any failure is "not ready", and says why in the log)
            logger.warning("readiness: the database did not answer", extra={"error": repr(exc)})
            return False
        return True

    @property
    def pool(self) -> asyncpg.Pool | None:
        return self._pool

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            try:
                async with asyncio.timeout(self.timeout):
                    await pool.close()
            except Exception:  # noqa: BLE001 (shutting down: a connection that will not close is dropped)
                pool.terminate()
