"""Bodies and uploads read under a limit (registry_kit.uploads): the bytes kept are exactly the bytes sent, the limit
stops the read as soon as it is passed, and a spool that does not finish leaves nothing in the temporary folder."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from registry_kit.errors import PayloadTooLarge
from registry_kit.uploads import HEAD, read_limited, spool

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _chunks(parts: list[bytes], fail_after: int | None = None) -> AsyncIterator[bytes]:
    for i, part in enumerate(parts):
        if fail_after is not None and i == fail_after:
            raise ConnectionResetError("the client went away")
        yield part


@pytest.fixture
def tmp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


async def test_a_spool_keeps_every_byte_and_the_head_across_small_chunks(tmp_dir: Path) -> None:
    parts = [bytes([i % 251]) * 1000 for i in range(10)]  # the head spans five chunks
    spooled = await spool(_chunks(parts), prefix="up-", suffix=".csv", limit=10_000)
    assert spooled.path.parent == tmp_dir
    assert spooled.path.name.startswith("up-") and spooled.path.suffix == ".csv"
    assert spooled.path.read_bytes() == b"".join(parts)
    assert spooled.head == b"".join(parts)[:HEAD]
    await spooled.discard()
    assert list(tmp_dir.iterdir()) == []


async def test_a_spool_past_its_limit_is_a_413_and_leaves_no_file(tmp_dir: Path) -> None:
    read: list[int] = []

    async def counted() -> AsyncIterator[bytes]:
        for i in range(100):
            read.append(i)
            yield b"x" * 100

    with pytest.raises(PayloadTooLarge) as refused:
        await spool(counted(), prefix="up-", limit=250, too_large="at most 250 bytes")
    assert refused.value.detail == "at most 250 bytes"
    assert read == [0, 1, 2]  # stopped at the chunk that passed the limit, not read to the end
    assert list(tmp_dir.iterdir()) == []


async def test_a_spool_cut_off_midway_leaves_no_file(tmp_dir: Path) -> None:
    with pytest.raises(ConnectionResetError):
        await spool(_chunks([b"a" * 10, b"b" * 10, b"c"], fail_after=2), prefix="up-")
    assert list(tmp_dir.iterdir()) == []


async def test_read_limited_answers_the_bytes_or_a_413_at_the_limit() -> None:
    assert await read_limited(_chunks([b"ab", b"cd"]), 4, "too large") == b"abcd"
    with pytest.raises(PayloadTooLarge):
        await read_limited(_chunks([b"ab", b"cd", b"e"]), 4, "too large")
