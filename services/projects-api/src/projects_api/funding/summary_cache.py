"""Funding summaries served again, as the same bytes, while the funding cube has not changed.

Dashboards ask the same summaries over and over, and a large one (every funder × country × year) is thousands of
rows of JSON. An answer the cube served is kept with the cube's version (funding_cube_version, changed by the database
in every transaction that changes the cube or a funder's name); a request reads the version (one indexed row) and,
if it has not moved, gets the kept bytes. Every replica keeps its own answers and checks the shared version, so none
serves a stale one. The version also makes the ETag, so a client can revalidate with If-None-Match for a 304.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Hashable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.funding.models import FundingCubeVersion

MAX_BYTES = 32 * 1024 * 1024  # what all kept answers may take together (the service's RSS target is 250 MB)


class SummaryCache:
    """Answers by request and cube version, least recently used first out, bounded by their total size."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self._answers: OrderedDict[Hashable, tuple[int, bytes]] = OrderedDict()
        self._bytes = 0
        self._max_bytes = max_bytes

    def get(self, key: Hashable, version: int) -> bytes | None:
        kept = self._answers.get(key)
        if kept is None or kept[0] != version:
            return None
        self._answers.move_to_end(key)
        return kept[1]

    def put(self, key: Hashable, version: int, body: bytes) -> None:
        if len(body) > self._max_bytes // 4:
            return  # one answer may not push out all the others
        self._drop(key)
        self._answers[key] = (version, body)
        self._bytes += len(body)
        while self._bytes > self._max_bytes:
            self._drop(next(iter(self._answers)))

    def _drop(self, key: Hashable) -> None:
        kept = self._answers.pop(key, None)
        if kept is not None:
            self._bytes -= len(kept[1])


async def cube_version(session: AsyncSession) -> int:
    return int(await session.scalar(select(FundingCubeVersion.version)) or 0)


def etag(key: Hashable, version: int) -> str:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).hexdigest()
    return f'"summary-{version}-{digest}"'
