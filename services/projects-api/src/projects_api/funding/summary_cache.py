"""Funding summaries kept between requests, and brought up to date by what changed rather than computed again.

Dashboards ask the same summaries over and over, and a large one (every funder × country × year) is thousands of
rows of JSON. An answer the cube served is kept with the cube's version (funding_cube_version, changed by the database
in every transaction that changes the cube or a funder's name, in commit order): a request reads the version (one
indexed row) and, if it has not moved, gets the kept bytes. If it has moved, the answer's kept state (funding/cube.py,
its groups' exact sums) takes in the cube rows changed since its version and the answer is written again, instead of
being computed from the whole cube. Every replica keeps its own answers and checks the shared version, so none serves
a stale one. The version also makes the ETag, so a client can revalidate with If-None-Match for a 304.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

# What all kept answers may take together (the service's RSS target is 250 MB, about 150 of it the service itself),
# and one of them at most. The largest the dashboards ask, funder × country × year, measured 39 MB with its state at
# full size (13,800 groups, 15,170 cube rows; CubeState.size counts it so, BENCHMARKS.md "Round 4"). Its groups stop
# growing once every donor, country and year meet (the bench's 29 donors × 22 countries × 24 years: 15,312 groups at
# most, at any size), and its cube rows at twice that (each group once converted, once per unconverted currency: one
# in the data): 65 MB at most, about 52 at SIZE=large. One answer may take MAX_ONE, so that one is kept; an answer over
# it is logged, not dropped silently (it was, in rounds 2 and 3: every request then computed it from the whole cube).
MAX_BYTES = 96 * 1024 * 1024
MAX_ONE = 72 * 1024 * 1024


@dataclass
class Kept:
    version: int
    body: bytes
    state: Any = None  # funding.cube.CubeState: what brings the answer up to date (None: compute it again)

    @property
    def size(self) -> int:
        return len(self.body) + (self.state.size if self.state is not None else 0)


class SummaryCache:
    """Answers by request, least recently used first out, bounded by their total size; one lock per request, so
    concurrent requests bring an answer up to date once, one after the other."""

    def __init__(self, max_bytes: int = MAX_BYTES, max_one: int = MAX_ONE) -> None:
        self._answers: OrderedDict[Hashable, Kept] = OrderedDict()
        self._bytes = 0
        self._max_bytes = max_bytes
        self._max_one = max_one  # one answer at most
        self._locks: dict[Hashable, asyncio.Lock] = {}

    def lock(self, key: Hashable) -> asyncio.Lock:
        found = self._locks.get(key)
        if found is None:
            found = self._locks[key] = asyncio.Lock()
        return found

    def kept(self, key: Hashable) -> Kept | None:
        """The answer kept for this request, at whatever version it was kept."""
        kept = self._answers.get(key)
        if kept is not None:
            self._answers.move_to_end(key)
        return kept

    def get(self, key: Hashable, version: int) -> bytes | None:
        kept = self._answers.get(key)
        if kept is None or kept.version != version:
            return None
        self._answers.move_to_end(key)
        return kept.body

    def put(self, key: Hashable, version: int, body: bytes, state: Any = None) -> None:
        kept = Kept(version, body, state)
        self._drop(key)
        if kept.size > self._max_one:
            logger.warning(
                "funding summary too large to keep: computed again on every request",
                extra={"answer_bytes": kept.size, "max_bytes": self._max_one},
            )
            return
        self._answers[key] = kept
        self._bytes += kept.size
        while self._bytes > self._max_bytes:
            self._drop(next(iter(self._answers)))

    def _drop(self, key: Hashable) -> None:
        kept = self._answers.pop(key, None)
        if kept is not None:
            self._bytes -= kept.size
            lock = self._locks.get(key)
            if lock is not None and not lock.locked():
                del self._locks[key]


def etag(key: Hashable, version: int) -> str:
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).hexdigest()
    return f'"summary-{version}-{digest}"'
