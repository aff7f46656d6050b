"""The gateway's security headers, for the one-process mode: read from the gateway's own nginx snippets
(deploy/gateway/snippets/headers-*.conf, with the defaults of deploy/gateway/gateway.env), so the two can never
drift apart. API responses get headers-api.conf's, everything else headers-spa.conf's. Two of the gateway's lines are
not copied: X-Request-ID (each service sets its own) and Strict-Transport-Security (nginx sends it only over TLS,
which the one-process mode does not speak; it is added when a proxy in front says the request came over https).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

GATEWAY = Path(__file__).resolve().parents[4] / "deploy" / "gateway"
HSTS = "max-age=31536000; includeSubDomains"
_ADD_HEADER = re.compile(r'^\s*add_header\s+(\S+)\s+"((?:[^"\\]|\\.)*)"\s+always;', re.M)
_INCLUDE = re.compile(r"^\s*include\s+(\S+);", re.M)
_SKIPPED = {"x-request-id", "strict-transport-security"}


def _defaults(gateway: Path) -> dict[str, str]:
    values = {}
    for line in (gateway / "gateway.env").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = " ".join(shlex.split(value)) if value else ""
    return values


def _snippet(gateway: Path, name: str, env: dict[str, str]) -> list[tuple[str, str]]:
    """The `add_header … always;` lines of a snippet and of the snippets it includes, in nginx's order."""
    text = (gateway / name).read_text()
    headers: list[tuple[str, str]] = []
    for include in _INCLUDE.findall(text):
        headers += _snippet(gateway, include, env)
    for header, value in _ADD_HEADER.findall(text):
        if header.lower() not in _SKIPPED:
            headers.append((header, re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], value)))
    return headers


@dataclass(frozen=True)
class GatewayHeaders:
    api: tuple[tuple[str, str], ...]
    spa: tuple[tuple[str, str], ...]

    @classmethod
    def load(cls, gateway: Path = GATEWAY) -> GatewayHeaders:
        env = _defaults(gateway)
        return cls(
            api=tuple(_snippet(gateway, "snippets/headers-api.conf", env)),
            spa=tuple(_snippet(gateway, "snippets/headers-spa.conf", env)),
        )


class SecurityHeadersMiddleware:
    """Adds the gateway's headers to every response (replacing a service's own value of the same header, except a
    Content-Security-Policy, which is kept beside the gateway's as nginx does)."""

    def __init__(self, app: ASGIApp, headers: GatewayHeaders) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chosen = self.headers.api if scope["path"].startswith("/api/") else self.headers.spa
        forwarded = dict(scope.get("headers", [])).get(b"x-forwarded-proto", b"")
        https = scope.get("scheme") == "https" or forwarded == b"https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in chosen:
                    if name.lower() == "content-security-policy" and name in headers:
                        # nginx's add_header adds a second policy beside the service's own (the API docs pages'):
                        # a browser enforces both, so neither may be dropped.
                        headers.append(name, value)
                    else:
                        headers[name] = value
                if https:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, with_headers)
