"""Streamed downloads that never pass a failure off as a complete file.

A streamed response commits its status (200) with its first bytes; an error after that can no longer become an
error response. So:

- **Before the status**: `PrimedStreamingResponse` waits for the body's first chunk before it sends anything, and
  the body generators yield their first chunk only once the query has answered (the header goes out together with
  the first rows). A query that fails to start (bad input, the database down, a timeout) is an ordinary error
  response: problem+json with its own status (422, 503, …).
- **After the status**: the error is raised on, and the server drops the connection without the final empty chunk
  of the chunked encoding. Every HTTP client then reports an incomplete body (curl: "transfer closed with
  outstanding read data remaining"; httpx: RemoteProtocolError; browsers: a failed download), and nginx, which
  sees the same premature close, passes it on the same way. A truncated file is never delivered as a whole one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send


class PrimedStreamingResponse(StreamingResponse):
    """A StreamingResponse whose status waits for the first chunk of its body (see the module's docstring)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        iterator = aiter(self.body_iterator)
        try:
            first: bytes | str | memoryview | None = await anext(iterator)
        except StopAsyncIteration:
            first = None
        # An exception above leaves here before anything was sent: the app's error handlers answer it.

        async def primed() -> AsyncIterator[bytes | str | memoryview]:
            if first is not None:
                yield first
            async for chunk in iterator:
                yield chunk

        self.body_iterator = primed()
        await super().__call__(scope, receive, send)
