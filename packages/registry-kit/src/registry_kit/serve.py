"""Serving a service with uvicorn the production way: keep-alive longer than any proxy's, a drain on SIGTERM, a
bounded graceful shutdown, forwarded headers trusted only from the configured proxies; a banner once it accepts
connections, and the embedded PostgreSQL it started (`make run`, no DATABASE_URL) stopped when it ends."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
import os
import signal
import socket
import struct
import time
from collections.abc import Callable
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

from registry_kit.cli import Server, exit_on_sigterm
from registry_kit.embedded_pg import stop_embedded_server
from registry_kit.lifecycle import Drain, drain
from registry_kit.settings import ServiceSettings

logger = logging.getLogger(__name__)

SO_ATTACH_FILTER = getattr(socket, "SO_ATTACH_FILTER", 26)  # Linux
# How long the end of the drain waits for the connections the server already accepted to send their request.
SETTLE_SECONDS = 2.0


def refuse_new_connections(listener: socket.socket) -> bool:
    """Attach a classic BPF filter that drops every packet to a listening socket: new connection attempts get no
    answer (the client's SYN is retried a second later, by which time the socket is closed and the attempt is
    refused, before any request was sent, so a proxy tries another replica), while the connections already in its
    accept queue stay there to be accepted. Closing a listener outright resets those, and a proxy that had already
    sent a POST on one answers 502. False where the system has no socket filters (the listener is closed as is)."""
    drop_all = ctypes.create_string_buffer(struct.pack("HBBI", 0x06, 0, 0, 0))  # BPF_RET | BPF_K: keep 0 bytes
    program = struct.pack("HL", 1, ctypes.addressof(drop_all))
    try:
        with socket.socket(fileno=os.dup(listener.fileno())) as same:  # the same socket, by another descriptor
            same.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, program)
    except OSError:
        return False
    return True


class DrainingServer(Server):
    """The first SIGTERM starts the drain (registry_kit.lifecycle) and the shutdown begins when it ends; a second
    SIGTERM, or SIGINT (Ctrl-C), shuts down at once. The shutdown itself waits at most `timeout_graceful_shutdown`
    for requests in flight, then cancels them."""

    def __init__(self, config: uvicorn.Config, drain_seconds: float, state: Drain = drain, banner: str = "") -> None:
        super().__init__(config, banner)
        self.drain_seconds = drain_seconds
        self.state = state
        self._drain_until: float | None = None
        self._drain_logged = False

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        # What start-up made (the app, its routes and models, the ORM's mappers, the caches) lives as long as the
        # process: frozen out of the collector's generations, a full collection no longer walks it. Under `make bench`
        # those walks were the list's tail (p99 160-270 ms with them, 46-81 ms without; the floor's 74-165 ms).
        gc.collect()  # start-up's garbage first, so none of it is kept for good
        gc.freeze()

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if sig == signal.SIGTERM and self._drain_until is None and self.drain_seconds > 0 and not self.should_exit:
            # Only plain assignments here: this runs in a signal handler, between two steps of the event loop.
            self.state.begin()
            self._drain_until = time.monotonic() + self.drain_seconds
            return
        super().handle_exit(sig, frame)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """After a drain, stop taking connections without dropping any the server has already accepted or queued:
        refuse new ones, accept the queued ones, close the listeners, and let every accepted connection deliver its
        request before uvicorn's own shutdown (which closes a connection that has not sent one yet)."""
        if self._drain_until is not None:
            with contextlib.suppress(Exception):  # a graceful extra: the shutdown itself must go on regardless
                await self._close_listeners()
        await super().shutdown(sockets)

    async def _close_listeners(self) -> None:
        listeners = [s for server in self.servers for s in (server.sockets or ())]
        refused = [refuse_new_connections(s) for s in listeners]
        if any(refused):
            await asyncio.sleep(0.2)  # several turns of the loop: it accepts what is queued
        for server in self.servers:
            server.close()
        for _ in range(int(SETTLE_SECONDS / 0.05)):  # uvicorn's connections: `cycle` is None until a request came
            if not any(getattr(c, "cycle", "") is None for c in self.server_state.connections):
                break
            await asyncio.sleep(0.05)

    async def on_tick(self, counter: int) -> bool:
        if self._drain_until is not None:
            if not self._drain_logged:
                self._drain_logged = True
                logger.info("draining before shutdown", extra={"seconds": self.drain_seconds})
            if time.monotonic() >= self._drain_until:
                return True
        return await super().on_tick(counter)


def serve(
    app_factory: Callable[[], ASGIApp], settings: ServiceSettings, host: str, port: int, *, banner: str = ""
) -> None:
    config = uvicorn.Config(
        app_factory,
        factory=True,
        host=host,
        port=port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        # Our own access log (RequestContextMiddleware) has the request id; uvicorn's logger is disabled, but while
        # it has a handler (the root's) uvicorn still formats its client address and quoted path on every request.
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies,
        timeout_keep_alive=settings.keep_alive_seconds,
        timeout_graceful_shutdown=settings.graceful_shutdown_seconds,
    )
    exit_on_sigterm()  # a second SIGTERM (uvicorn raises it again when it is done) still runs the `finally`
    try:
        DrainingServer(config, settings.shutdown_drain_seconds, banner=banner).run()
    finally:
        if settings.database_url is None:
            stop_embedded_server(settings.embedded_pg_dir)
