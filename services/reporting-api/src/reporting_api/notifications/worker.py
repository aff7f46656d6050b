"""The notification worker: one per replica, started in the lifespan.

Each round it fans out waiting events (rows locked with SKIP LOCKED, so replicas share the work; a fan-out and its
event's `processed_at` commit together), sends waiting e-mails one at a time, and now and then looks for reports that
fell due. An e-mail is claimed (`sending`, attempt counted) and committed before it is handed to the SMTP server,
then marked `sent`; a failure puts it back to `pending` with a later attempt, until the last attempt marks it
`failed`. So nothing is lost: a crash mid-send leaves it `sending`, and after `notify_stale_seconds` it is tried
again. The one repeat possible is a crash after the SMTP server accepted it and before `sent` was written; that repeat
carries the same Message-ID, which mail servers and clients use to drop duplicates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_kit.errors import AppError
from reporting_api.notifications import mailer, repository, service
from reporting_api.reports import due
from reporting_api.settings import Settings

logger = logging.getLogger(__name__)
BATCH = 20


class NotificationWorker:
    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self._wake = asyncio.Event()
        self._last_due_scan = 0.0

    @property
    def maker(self) -> async_sessionmaker[AsyncSession]:
        maker: async_sessionmaker[AsyncSession] = self.app.state.sessionmaker
        return maker

    async def run_forever(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("notification worker: a round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.notify_poll_seconds)
            self._wake.clear()

    def kick(self) -> None:
        self._wake.set()

    async def run_once(self) -> None:
        """One round: due periods (when it is time), fan-out, e-mails."""
        if (
            self.settings.due_scan_seconds > 0
            and time.monotonic() - self._last_due_scan >= self.settings.due_scan_seconds
        ):
            self._last_due_scan = time.monotonic()
            await self.scan_due()
        while await self.fan_out_batch():
            pass
        if self.settings.smtp_host:
            while await self.send_one():
                pass

    async def scan_due(self) -> int:
        """Announce periods that fell due (each once); how many events were written."""
        async with self.maker() as session:
            written = await due.announce(session, self.settings.due_notify_days)
            await session.commit()
        return written

    async def fan_out_batch(self) -> bool:
        """Fan out up to BATCH events; True when a full batch was done (more may wait)."""
        async with self.maker() as session:
            events = await repository.claim_events(session, BATCH)
            for event in events:
                try:
                    async with session.begin_nested():
                        await service.fan_out(session, self.app.state.projects, self.settings, event)
                except AppError as exc:
                    event.attempts += 1
                    event.last_error = exc.detail or exc.title
                    retry = service.retry_at(event.attempts, self.settings)
                    if retry is None:  # given up after the last attempt: kept, with its error, for an operator
                        event.processed_at = datetime.now(UTC)
                        logger.error("notification given up", extra={"event": event.id, "error": event.last_error})
                    else:
                        event.next_attempt_at = retry
                        logger.warning(
                            "notification fan-out failed", extra={"event": event.id, "error": event.last_error}
                        )
            await session.commit()
        return len(events) == BATCH

    async def send_one(self) -> bool:
        """Send the next waiting e-mail; False when none waits."""
        async with self.maker() as session:
            email = await repository.claim_email(session, self.settings.notify_stale_seconds)
            await session.commit()
        if email is None:
            return False
        try:
            await mailer.send(email, self.settings)
        except Exception as exc:  # noqa: BLE001 (any SMTP or network failure is retried later)
            retry = service.retry_at(email.attempts, self.settings)
            async with self.maker() as session:
                await repository.email_failed(session, email.id, f"{type(exc).__name__}: {exc}", retry)
                await session.commit()
            logger.warning(
                "e-mail not sent", extra={"email": str(email.id), "attempt": email.attempts, "error": str(exc)}
            )
            return False  # the server is likely down: the rest waits for the next round
        async with self.maker() as session:
            await repository.email_sent(session, email.id)
            await session.commit()
        return True
