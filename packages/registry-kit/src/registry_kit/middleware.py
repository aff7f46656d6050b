"""Pure ASGI middleware: request ids, access logs, body size limits."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from registry_kit.errors import PayloadTooLarge, problem_response
from registry_kit.logs import request_id_var, service_var
from registry_kit.routes import route_template

logger = logging.getLogger("registry.access")

REQUEST_ID_HEADER = "x-request-id"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RequestContextMiddleware:
    """Keeps the caller's X-Request-ID (or makes one), echoes it, and logs one line per request; every line logged
    while the request is served names `service`."""

    def __init__(self, app: ASGIApp, service: str | None = None) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, REQUEST_ID_HEADER.encode())
        request_id = incoming if incoming and _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        service_token = service_var.set(self.service) if self.service else None
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            # What logger.info does, without looking up the caller's file and line (a walk up the stack on every
            # request; no formatter here writes them).
            if logger.isEnabledFor(logging.INFO):
                logger.handle(
                    logger.makeRecord(
                        logger.name,
                        logging.INFO,
                        "(unknown file)",
                        0,
                        "request",
                        (),
                        None,
                        extra={
                            "method": scope["method"],
                            "path": scope["path"],
                            "client": (scope.get("client") or ("", 0))[0],  # after proxy headers: the caller's address
                            "route": route_template(scope),
                            "status": status,
                            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                        },
                    )
                )
            request_id_var.reset(token)
            if service_token is not None:
                service_var.reset(service_token)


class BodySizeLimitMiddleware:
    """Refuses bodies over the limit with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int, overrides: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # Path prefixes (uploads) that may carry more than the default.
        self.overrides = overrides or {}

    def _limit_for(self, path: str) -> int:
        for prefix, limit in self.overrides.items():
            if path.startswith(prefix):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope["path"])
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # An HTTPException: FastAPI lets it out of its body parsing, where any other error becomes a 400.
                    raise HTTPException(413, f"The body is larger than {limit} bytes.")
            return message

        await self.app(scope, limited_receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(
            413, PayloadTooLarge.slug, PayloadTooLarge.title, f"The body is larger than {limit} bytes."
        )
        await response(scope, receive, send)
