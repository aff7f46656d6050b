"""running(): a lifespan's background jobs end (cancelled and awaited) when its block ends, before what they use closes."""

from __future__ import annotations

import asyncio

import pytest

from registry_kit.app import running


@pytest.mark.asyncio
async def test_running_jobs_end_when_the_block_ends() -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def job() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    async with running(job()):
        await started.wait()
        assert not cancelled.is_set()
    assert cancelled.is_set()  # cancelled and awaited before the block is left
