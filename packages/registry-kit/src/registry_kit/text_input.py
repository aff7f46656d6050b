"""One rule for the text a request carries: no NUL, no other control character but tab, line feed and carriage
return, no lone UTF-16 surrogate. PostgreSQL cannot store NUL in text (the request used to end in a 500 and a
dropped connection), a surrogate cannot be encoded to UTF-8 at all, and the other control characters are never
data in this registry. The rule is applied once, before any route runs, to the path, the query string, form bodies
and JSON bodies (`TextInputMiddleware`), and the database's own refusal is mapped to the same answer (errors.py)
for text that arrives another way (a file's content).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from registry_kit.errors import FieldError, ValidationFailed, field_error, problem_response

# NUL and C0 controls except TAB, LF, CR; DEL; lone surrogates (a valid pair is one astral character in Python).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
CODE = "control_character"
# Cheap screens on the raw bytes: only a request they match is decoded and walked to name the field.
_QUERY_SCREEN = re.compile(rb"%(?:[01][0-9a-fA-F]|7[fF])|[\x00-\x1f\x7f]")
_JSON_SCREEN = re.compile(
    rb"\\u(?:00[01][0-9a-fA-F]|007[fF]|[dD][89a-fA-F][0-9a-fA-F]{2})|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)


def describe(text: str) -> str | None:
    """Why `text` breaks the rule ("U+0000 at position 3"), or None when it keeps it."""
    found = FORBIDDEN.search(text)
    if found is None:
        return None
    code = ord(found.group())
    what = "an unpaired UTF-16 surrogate (not text)" if 0xD800 <= code <= 0xDFFF else "a control character"
    return f"contains U+{code:04X} at position {found.start()}, {what}: text may hold neither"


def check(field: str, text: str) -> None:
    """422 naming `field` unless `text` keeps the rule (for text that reaches a service another way)."""
    reason = describe(text)
    if reason is not None:
        raise ValidationFailed("The request holds a character text may not contain.", errors=[_error(field, reason)])


def _error(field: str, reason: str) -> FieldError:
    return field_error(field, reason, CODE)


def _pairs_errors(raw: bytes, where: str) -> list[FieldError]:
    errors = []
    for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True):
        for label, text in ((f"{where}.{name}", value), (f"{where} parameter name", name)):
            reason = describe(text)
            if reason is not None:
                errors.append(_error(label, reason))
    return errors


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, text) of every string in a JSON document, keys included."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{path} key {key!r}", key
            yield from _walk(item, f"{path}.{key}")


def _json_errors(raw: bytes) -> list[FieldError]:
    try:
        document = json.loads(raw)
    except ValueError:
        return []  # not JSON: FastAPI answers that itself, with the parser's own message
    errors = []
    for path, text in _walk(document, "body"):
        reason = describe(text)
        if reason is not None:
            errors.append(_error(path, reason))
    return errors


def _media_type(scope: Scope) -> str:
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            return str(value.decode("latin-1")).split(";", 1)[0].strip().lower()
    return ""


class TextInputMiddleware:
    """Refuses, with 422 problem+json naming the field, a request whose path, query, form or JSON text breaks the
    rule. Bodies are read only for JSON and urlencoded forms outside the upload paths (whose size the body limit
    caps first); uploads and files are the readers' business."""

    def __init__(self, app: ASGIApp, skip_body_prefixes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.skip_body_prefixes = skip_body_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        errors = []
        reason = describe(scope["path"])
        if reason is not None:
            errors.append(_error("path", reason))
        query: bytes = scope.get("query_string", b"")
        if _QUERY_SCREEN.search(query):
            errors += _pairs_errors(query, "query")
        media = _media_type(scope)
        is_json = media == "application/json" or media.endswith("+json")
        is_form = media == "application/x-www-form-urlencoded"
        if errors or not (is_json or is_form) or scope["path"].startswith(self.skip_body_prefixes):
            await self._respond_or_pass(errors, scope, receive, send)
            return
        try:
            body, replay = await _buffer(receive)
        except HTTPException as exc:  # the body limit, raised while reading
            await problem_response(
                exc.status_code, "payload-too-large", "The request body is too large", str(exc.detail)
            )(scope, receive, send)
            return
        if is_json and _JSON_SCREEN.search(body):
            errors += _json_errors(body)
        elif is_form and _QUERY_SCREEN.search(body):
            errors += _pairs_errors(body, "body")
        await self._respond_or_pass(errors, scope, replay, send)

    async def _respond_or_pass(self, errors: list[FieldError], scope: Scope, receive: Receive, send: Send) -> None:
        if not errors:
            await self.app(scope, receive, send)
            return
        noun = "field holds" if len(errors) == 1 else "fields hold"
        detail = f"{len(errors)} {noun} a character text may not contain (NUL or another control character)"
        await problem_response(422, ValidationFailed.slug, ValidationFailed.title, detail, errors)(scope, receive, send)


async def _buffer(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a `receive` that hands it on in one message, then whatever the client sends next."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay
