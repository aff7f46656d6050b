"""Logs carrying the service that wrote them and the request id of the request being served: one JSON object a line
for machines, or plain readable lines for a person at a terminal.

The service is a context variable, set by each app's request middleware and around its lifespan, so in the
one-process stack (both services in one process) every line still names the service that wrote it."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from registry_kit.json import dumps

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
service_var: ContextVar[str | None] = ContextVar("service", default=None)

# Attributes every LogRecord has; anything else was passed in `extra=` and belongs in the JSON.
_STANDARD_ATTRS = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "color_message",
}
_SECRET_KEYS = {"password", "authorization", "token", "secret", "client_secret", "refresh_token"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "service": service_var.get() or self.service,
            "msg": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = "[redacted]" if key.lower() in _SECRET_KEYS else value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return dumps(entry).decode()


class TextFormatter(logging.Formatter):
    """`12:01:02.345 INFO  projects-api  GET /api/projects/v1/projects 200 12.3 ms  [request id]`: what a person
    reads in a terminal; the extras follow as key=value."""

    _ACCESS = ("method", "path", "status", "duration_ms", "route")

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created).strftime("%H:%M:%S.%f")[:-3]
        service = service_var.get() or self.service
        extras = {
            k: ("[redacted]" if k.lower() in _SECRET_KEYS else v)
            for k, v in record.__dict__.items()
            if k not in _STANDARD_ATTRS and not k.startswith("_")
        }
        if record.name == "registry.access" and "method" in extras:
            text = f"{extras['method']} {extras['path']} {extras['status']} {extras['duration_ms']} ms"
            extras = {k: v for k, v in extras.items() if k not in self._ACCESS}
        else:
            text = record.getMessage()
            if not record.name.startswith(("registry", "uvicorn")):
                text = f"{record.name}: {text}"
        line = f"{when} {record.levelname:<7} {service:<14} {text}"
        if extras:
            line += "  " + " ".join(f"{k}={v}" for k, v in extras.items())
        request_id = request_id_var.get()
        if request_id:
            line += f"  [{request_id[:12]}]"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def wants_json(setting: bool | None) -> bool:
    """The setting when given; else JSON unless a person is watching (stdout is a terminal)."""
    return setting if setting is not None else not sys.stdout.isatty()


def configure_logging(service: str, level: str = "INFO", *, json: bool | None = None) -> None:
    """Log to stdout as `service` (for lines no app context names); `json=None` picks by the terminal."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service) if wants_json(json) else TextFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's own access log repeats ours without the request id.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
