"""The activities file, streamed: the document's head, then each batch of projects (read by one streamed statement)
with its results from reporting-api (one call per batch), written as it is built, so memory stays flat."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

from lxml import etree
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from projects_api.access import scope_for, visible_clause
from projects_api.iati import activity_text, activity_xml, organisation_file, results_client
from projects_api.iati.export_repository import activity_batches
from projects_api.projects import filters as project_filters
from projects_api.projects import service as projects
from projects_api.projects.filters import ProjectFilters
from registry_kit.auth import Principal, Role
from registry_kit.upstream import Upstream

MEDIA_TYPE = "application/xml"


def head(root: str, now: datetime | None = None) -> bytes:
    stamp = activity_xml.iso_datetime(now or datetime.now(UTC))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} version="2.03" generated-datetime="{stamp}">\n').encode()


def _comment(text: str) -> bytes:
    return b"  " + etree.tostring(etree.Comment(f" {text.replace('--', '- -')} ")) + b"\n"


Prepared = tuple[list[dict[str, Any]], dict[str, list[Any]]]
_AHEAD = 1  # a batch waiting (its results asked for) while the next is read and the one before is written


async def _with_results(upstream: Upstream, batch: list[dict[str, Any]], token: str | None) -> Prepared:
    publishable = [p["id"] for p in batch if activity_xml.why_not_publishable(p) is None]
    return batch, await results_client.read_results(upstream, publishable, token)


def _batch_xml(prepared: Prepared) -> bytes:
    batch, results = prepared
    out = bytearray()
    for p in batch:
        reason = activity_xml.why_not_publishable(p)
        if reason is not None:
            out += _comment(f"{p['code']} is not published: {reason}")
            continue
        # Written as text, the bytes lxml would write for activity_xml.activity's element (activity_text.py: why).
        out += activity_text.activity(p, results.get(str(p["id"]), [])).encode()
    return bytes(out)


async def _written(
    upstream: Upstream, batches: AsyncGenerator[list[dict[str, Any]], None], token: str | None
) -> AsyncGenerator[bytes, None]:
    """Each batch's XML, in order, the batches read ahead while one is written: the next batch's rows come from
    PostgreSQL while the one before's results are asked of reporting-api, and both while this process writes XML
    (the other processes work meanwhile). A few batches ahead at most, and a batch's rows and results are let go
    as soon as its XML is written (not held while it is sent), so memory stays flat."""
    ahead: asyncio.Queue[asyncio.Task[Prepared] | BaseException | None] = asyncio.Queue(maxsize=_AHEAD)

    async def produce() -> None:
        try:
            async for rows in batches:
                task = asyncio.create_task(_with_results(upstream, rows, token))
                try:
                    await ahead.put(task)
                except BaseException:  # cancelled while the queue was full: that read is not wanted any more
                    task.cancel()
                    raise
            await ahead.put(None)
        except Exception as exc:  # handed to the reader, which raises it where the download is
            await ahead.put(exc)

    producer = asyncio.create_task(produce())
    try:
        while (item := await ahead.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            task, item = item, None
            chunk = _batch_xml(await task)
            del task  # it holds the batch's rows and results
            yield chunk
    finally:
        producer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await producer
        while not ahead.empty():  # results asked for but not to be written: the download has ended
            left = ahead.get_nowait()
            if isinstance(left, asyncio.Task):
                left.cancel()
                with contextlib.suppress(BaseException):
                    await left
        await batches.aclose()  # its session goes back to the pool


async def activities_document(
    maker: async_sessionmaker[AsyncSession],
    upstream: Upstream,
    conditions: Sequence[ColumnElement[bool]],
    token: str | None,
    batch: int,
) -> AsyncIterator[bytes]:
    """The document as chunks. The first chunk (the head and the first batch) is built before this returns, so a
    reporting-api that cannot answer is a 503 problem, not a broken download."""
    chunks = _written(upstream, activity_batches(maker, conditions, batch), token)
    first = head("iati-activities")
    try:
        first += await anext(chunks)
    except StopAsyncIteration:
        pass
    except BaseException:
        await chunks.aclose()
        raise

    async def rest() -> AsyncIterator[bytes]:
        try:
            yield first
            async for chunk in chunks:
                yield chunk
            yield b"</iati-activities>\n"
        finally:
            await chunks.aclose()

    return rest()


async def visible_activities(
    session: AsyncSession,
    maker: async_sessionmaker[AsyncSession],
    upstream: Upstream,
    principal: Principal | None,
    filters: ProjectFilters,
    batch: int,
) -> AsyncIterator[bytes]:
    """The projects the caller may see (public ones without a token) that the list's filters select, as an
    activities document; their results are asked of reporting-api with the caller's token."""
    conditions = await projects.visible_conditions(session, principal, filters)
    return await activities_document(maker, upstream, conditions, principal.token if principal else None, batch)


async def project_activity(
    session: AsyncSession,
    maker: async_sessionmaker[AsyncSession],
    upstream: Upstream,
    principal: Principal | None,
    project_id: uuid.UUID,
    batch: int,
) -> AsyncIterator[bytes]:
    """One project as an activities document, for a caller who may see it (404 otherwise)."""
    await projects.ensure_visible(session, principal, project_id)
    token = principal.token if principal else None
    return await activities_document(maker, upstream, project_filters.one(project_id), token, batch)


async def organisations_file(
    session: AsyncSession, principal: Principal | None, organisation: uuid.UUID | None
) -> bytes:
    """The organisations document: each reporting organisation (or the one asked for) with the totals of the projects
    it publishes that the caller may see."""
    visible = visible_clause(await scope_for(session, principal, Role.viewer))
    orgs = await organisation_file.reporting_organisations(session, visible, organisation)
    return await organisation_file.organisations_document(session, visible, orgs)
