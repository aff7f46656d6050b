"""Request bodies and uploaded files read under a size limit: into memory, or spooled to a temporary file as they
arrive. The limit is checked as the bytes come (a 413 problem, never a read to the end first), and a spool that does
not finish (the limit, a lost connection, a cancelled request) leaves no file behind."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import anyio
from fastapi import UploadFile

from registry_kit.errors import PayloadTooLarge

CHUNK = 1024 * 1024
HEAD = 4096  # enough of a file's start to tell its format


async def chunks_of(file: UploadFile) -> AsyncIterator[bytes]:
    """An uploaded file's bytes, a megabyte at a time."""
    while chunk := await file.read(CHUNK):
        yield chunk


async def _limited(chunks: AsyncIterable[bytes], limit: int | None, too_large: str) -> AsyncIterator[bytes]:
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if limit is not None and size > limit:
            raise PayloadTooLarge(too_large)
        yield chunk


async def read_limited(chunks: AsyncIterable[bytes], limit: int, too_large: str) -> bytes:
    """All the bytes, or a 413 problem saying `too_large` as soon as they pass `limit`."""
    return b"".join([chunk async for chunk in _limited(chunks, limit, too_large)])


@dataclass(frozen=True)
class Spooled:
    """A temporary file the caller owns (and deletes), and its first bytes."""

    path: Path
    head: bytes

    async def discard(self) -> None:
        await anyio.Path(self.path).unlink(missing_ok=True)


async def spool(
    chunks: AsyncIterable[bytes],
    *,
    prefix: str,
    suffix: str = "",
    limit: int | None = None,
    too_large: str = "The request body is too large.",
) -> Spooled:
    """The bytes in a temporary file as they arrive, with their first `HEAD` bytes; a 413 problem saying `too_large`
    as soon as they pass `limit` (None: bytes already accepted, no limit). Whatever stops it, the file is removed."""
    with tempfile.NamedTemporaryFile(delete=False, prefix=prefix, suffix=suffix) as out:
        try:
            head = b""
            async for chunk in _limited(chunks, limit, too_large):
                if len(head) < HEAD:
                    head += chunk[: HEAD - len(head)]
                out.write(chunk)
        except BaseException:
            await anyio.Path(out.name).unlink(missing_ok=True)
            raise
    return Spooled(Path(out.name), head)
