"""The loop of a job queue kept in PostgreSQL (both services' import jobs): run every claimable job, then sleep until a
wake-up (a job queued in this process) or the next poll (one queued by another replica). What a job is, how it is
claimed and run, is the subclass's `run_next`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

logger = logging.getLogger(__name__)


class QueueWorker(ABC):
    def __init__(self, app: FastAPI, name: str, poll_seconds: float) -> None:
        self.app, self.name, self.poll_seconds = app, name, poll_seconds
        self.looping = False
        self._wake = asyncio.Event()

    @property
    def maker(self) -> async_sessionmaker[AsyncSession]:
        maker: async_sessionmaker[AsyncSession] = self.app.state.sessionmaker
        return maker

    @abstractmethod
    async def run_next(self) -> bool:
        """Claim one job and run it; False when none is claimable."""

    async def run_forever(self) -> None:
        """The lifespan's loop. A failed claim (the database away) is logged and tried again at the next poll."""
        self.looping = True
        try:
            while True:
                try:
                    while await self.run_next():
                        pass
                except Exception:
                    logger.exception("%s: a claim failed", type(self).__name__, extra={"worker": self.name})
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
                self._wake.clear()
        finally:
            self.looping = False

    async def kick(self) -> None:
        """A job was queued here: wake this process's loop, or (no loop running, as in tests) run the queue now."""
        if self.looping:
            self._wake.set()
        else:
            while await self.run_next():
                pass
