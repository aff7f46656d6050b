"""The process's drain: between the orchestrator's SIGTERM and the server's shutdown, the service keeps answering
(nothing in flight or on its way is refused) while it tells everyone to go elsewhere: /readyz answers 503, and every
response says `Connection: close`, so no proxy keeps a connection to this process for a later request.

Why the drain must outlast the proxies' idle keep-alive timeout: a proxy reuses an idle connection at the moment the
server closes it, and the request on it is lost (a 502 for a POST, which a proxy does not retry). During the drain
the server closes no idle connection; connections that carry a request are closed after its response, and the
idle ones are closed by the proxy itself when its (shorter) timeout ends. When the drain ends, no proxy holds one.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Drain:
    def __init__(self) -> None:
        self.started_at: float | None = None

    @property
    def active(self) -> bool:
        return self.started_at is not None

    def begin(self) -> None:
        if self.started_at is None:
            self.started_at = time.monotonic()

    def reset(self) -> None:
        self.started_at = None


# One per process: it is the process that drains (in the one-process mode, every app in it).
drain = Drain()


class DrainMiddleware:
    """`Connection: close` on every response while the process drains."""

    def __init__(self, app: ASGIApp, state: Drain = drain) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.state.active:
            await self.app(scope, receive, send)
            return

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
                message["headers"] = [*headers, (b"connection", b"close")]
            await send(message)

        await self.app(scope, receive, closing)
