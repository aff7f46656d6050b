"""Following projects-api's change feed into the local copy (countries, themes, organisations of projects)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_kit.errors import AppError
from reporting_api.projects import repository
from reporting_api.projects.client import ProjectsClient

logger = logging.getLogger(__name__)

FEED = "projects"


@dataclass
class SyncResult:
    pages: int = 0
    updated: int = 0
    deleted: int = 0
    cursor: str | None = None


@dataclass(frozen=True)
class CopyState:
    """Where the local copy of projects stands."""

    cursor: str | None
    projects: int
    last_success_at: datetime | None
    last_error: str | None


async def copy_state(session: AsyncSession) -> CopyState:
    state = await repository.read_sync_state(session, FEED)
    return CopyState(
        cursor=state.cursor if state else None,
        projects=await repository.count_copies(session),
        last_success_at=state.last_success_at if state else None,
        last_error=state.last_error if state else None,
    )


async def sync_once(
    maker: async_sessionmaker[AsyncSession], projects: ProjectsClient, *, limit: int = 500, max_pages: int = 1000
) -> SyncResult:
    """Read the feed from the stored cursor until it has no more; one commit per page (a crash loses no page)."""
    result = SyncResult()
    async with maker() as session:
        try:
            await repository.replace_regions(session, await projects.regions())
            await session.commit()
        except AppError as exc:
            await session.rollback()
            logger.warning("regions not refreshed", extra={"error": str(exc)})
    while result.pages < max_pages:
        async with maker() as session:
            state = await repository.sync_state(session, FEED)
            try:
                page = await projects.changes(state.cursor, limit)
            except AppError as exc:
                state.last_error, state.last_error_at = str(exc), datetime.now(UTC)
                await session.commit()
                raise
            items = page.get("items") or []
            live = [i["project"] for i in items if not i.get("deleted") and i.get("project")]
            gone = [uuid.UUID(str(i["project_id"])) for i in items if i.get("deleted")]
            await repository.upsert_projects(session, live)
            await repository.delete_projects(session, gone)
            state.cursor = str(page.get("next_cursor") or state.cursor or "")
            state.last_success_at, state.last_error = datetime.now(UTC), None
            state.projects_seen += len(items)
            await session.commit()
        result.pages += 1
        result.updated += len(live)
        result.deleted += len(gone)
        result.cursor = state.cursor
        if not page.get("has_more"):
            break
    return result


async def sync_loop(app: FastAPI) -> None:
    """Runs in the app's lifespan: follow the feed every `sync_interval_seconds`; failures are logged and retried."""
    interval = app.state.settings.sync_interval_seconds
    await asyncio.sleep(min(interval, 2.0))  # in the one-process mode projects-api starts listening with us
    while True:
        try:
            result = await sync_once(app.state.sessionmaker, app.state.projects)
            if result.updated or result.deleted:
                logger.info("projects synced", extra={"updated": result.updated, "deleted": result.deleted})
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 (a background loop must survive any failure)
            logger.warning("project sync failed", extra={"error": str(exc)})
        await asyncio.sleep(interval)
