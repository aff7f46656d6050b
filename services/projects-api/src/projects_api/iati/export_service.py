"""The activities file, streamed: the document's head, then each batch of projects (read by one streamed statement)
with its results from reporting-api (one call per batch), written as it is built, so memory stays flat."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

from lxml import etree
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from projects_api.iati import activity_xml, results_client
from projects_api.iati.export_repository import activity_batches
from registry_kit.upstream import Upstream

MEDIA_TYPE = "application/xml"


def head(root: str, now: datetime | None = None) -> bytes:
    stamp = activity_xml.iso_datetime(now or datetime.now(UTC))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} version="2.03" generated-datetime="{stamp}">\n').encode()


def _comment(text: str) -> bytes:
    return b"  " + etree.tostring(etree.Comment(f" {text.replace('--', '- -')} ")) + b"\n"


async def _batch_xml(upstream: Upstream, batch: list[dict[str, Any]], token: str | None) -> bytes:
    publishable = [p for p in batch if activity_xml.why_not_publishable(p) is None]
    results = await results_client.read_results(upstream, [p["id"] for p in publishable], token)
    out = bytearray()
    for p in batch:
        reason = activity_xml.why_not_publishable(p)
        if reason is not None:
            out += _comment(f"{p['code']} is not published: {reason}")
            continue
        element = activity_xml.activity(p, results.get(str(p["id"]), []))
        out += etree.tostring(element, encoding="UTF-8", pretty_print=True, xml_declaration=False)
    return bytes(out)


async def activities_document(
    maker: async_sessionmaker[AsyncSession],
    upstream: Upstream,
    conditions: Sequence[ColumnElement[bool]],
    token: str | None,
    batch: int,
) -> AsyncIterator[bytes]:
    """The document as chunks. The first chunk (the head and the first batch) is built before this returns, so a
    reporting-api that cannot answer is a 503 problem, not a broken download."""
    batches = activity_batches(maker, conditions, batch)
    first = head("iati-activities")
    try:
        first += await _batch_xml(upstream, await anext(batches), token)
    except StopAsyncIteration:
        pass
    except BaseException:
        await batches.aclose()  # its session goes back to the pool
        raise

    async def rest() -> AsyncIterator[bytes]:
        try:
            yield first
            async for rows in batches:
                yield await _batch_xml(upstream, rows, token)
            yield b"</iati-activities>\n"
        finally:
            await batches.aclose()

    return rest()
