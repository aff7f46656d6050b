"""What the database's failures mean to a client, decided in one place for both services.

- The database cannot be reached, is starting or shutting down, refused the connection, dropped it, or every
  connection of the pool is busy: **503** problem+json with `Retry-After`, the same answer `/readyz` gives. The
  request changed nothing (its transaction never committed), so a client retries it as it is.
- Text the database cannot store (NUL; PostgreSQL's SQLSTATE 22021 / 22P05), from a place the request-level text
  rule does not look (a file's content): **422** with the text rule's own words.
- Anything else stays a 500 (logged with its traceback): a fault of ours, not of the request.

These run as exception handlers of the app, inside Starlette's exception middleware: the response is complete and
the connection stays open for the next request (an error that escapes to the server closes it).
"""

from __future__ import annotations

import errno
import logging
import socket
import ssl
from collections.abc import Iterator

import asyncpg
from fastapi import FastAPI, Request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.responses import Response

from registry_kit.errors import DependencyUnavailable, ValidationFailed, field_error, problem_response
from registry_kit.text_input import CODE

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# Connection exceptions (08), the server shutting down or starting (57P01-57P03), too many connections (53300).
_UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03", "53300")
_UNSTORABLE_TEXT_STATES = ("22021", "22P05")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The error, what SQLAlchemy wrapped (`orig`) and what it was raised from, a few levels deep."""
    seen: set[int] = set()
    todo = [exc]
    while todo and len(seen) < 12:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo += [e for e in (getattr(current, "orig", None), current.__cause__, current.__context__) if e is not None]


def _sqlstate(exc: BaseException) -> str:
    return str(getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None) or "")


_NETWORK_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN, errno.EPIPE}


def _missing_socket(e: OSError) -> bool:
    """A server on a Unix socket that stopped: its socket file is gone. (A missing file the code opened names it.)"""
    return isinstance(e, FileNotFoundError) and e.filename is None


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be used right now (as opposed to refusing this statement)."""
    for e in _chain(exc):
        if isinstance(e, DBAPIError) and e.connection_invalidated:
            return True
        if isinstance(e, PoolTimeoutError | ConnectionError | TimeoutError | socket.gaierror | ssl.SSLError):
            return True  # the pool had no connection to give in time, or the network said no
        if isinstance(e, OSError) and (e.errno in _NETWORK_ERRNOS or _missing_socket(e)):
            return True  # asyncpg's connect raises these as they are
        if isinstance(e, asyncpg.InterfaceError) and "closed" in str(e):
            return True  # "connection is closed": the server went away under a pooled connection
        state = _sqlstate(e)
        if state and state.startswith(_UNAVAILABLE_STATES):
            return True
    return False


def unstorable_text(exc: BaseException) -> bool:
    return any(_sqlstate(e).startswith(_UNSTORABLE_TEXT_STATES) for e in _chain(exc))


def unavailable_response() -> Response:
    error = DependencyUnavailable(
        "The database is not reachable right now; nothing was changed. Retry shortly.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
    return problem_response(503, error.slug, "The database is unavailable", error.detail, headers=error.headers)


async def _database_error_handler(request: Request, exc: Exception) -> Response:
    if database_unavailable(exc):
        logger.warning(
            "database unavailable", extra={"path": request.url.path, "error": f"{type(exc).__name__}: {exc}"}
        )
        return unavailable_response()
    if unstorable_text(exc):
        logger.warning("text the database cannot store", extra={"path": request.url.path})
        detail = "A text in the request holds a character the database cannot store (NUL or another control character)."
        errors = [field_error("request", detail, CODE)]
        return problem_response(422, ValidationFailed.slug, ValidationFailed.title, detail, errors)
    logger.error("unhandled database error", extra={"path": request.url.path}, exc_info=exc)
    return problem_response(500, "internal", "Internal error", "An unexpected error occurred; it has been logged.")


def register_database_errors(app: FastAPI) -> None:
    """The handlers, by the exception types the database layer raises (SQLAlchemy's, asyncpg's on the hot reads,
    and the OS's on a refused connection). IntegrityError keeps its own, more specific handler (409)."""
    for kind in (DBAPIError, PoolTimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
        app.add_exception_handler(kind, _database_error_handler)
