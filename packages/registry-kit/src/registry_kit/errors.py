"""One error hierarchy, mapped in one place to RFC 9457 problem+json."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from registry_kit.json import dumps

logger = logging.getLogger(__name__)
T = TypeVar("T")

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://mcb-registry.example/problems/"


class FieldError(BaseModel):
    """One failed field, with the path to it in the request."""

    field: str = Field(examples=["body.countries[0].percentage"])
    message: str = Field(examples=["percentages must total 100"])
    code: str = Field(default="invalid", examples=["invalid"])


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(examples=[TYPE_BASE + "validation"])
    title: str = Field(examples=["The request is not valid"])
    status: int = Field(examples=[422])
    detail: str | None = Field(default=None, examples=["1 field is not valid"])
    instance: str | None = None
    errors: list[FieldError] | None = None


class AppError(Exception):
    """Base of every error a service raises on purpose."""

    status = 500
    slug = "internal"
    title = "Internal error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


class BadRequest(AppError):
    status, slug, title = 400, "bad-request", "The request cannot be read"


class Unauthorized(AppError):
    status, slug, title = 401, "unauthorized", "Authentication is required"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="mcb-registry"'})


class Forbidden(AppError):
    status, slug, title = 403, "forbidden", "You may not do this"


class NotFound(AppError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(AppError):
    status, slug, title = 409, "conflict", "Conflict with the current state"


class PreconditionFailed(AppError):
    status, slug, title = 412, "precondition-failed", "The resource has changed"


class PayloadTooLarge(AppError):
    status, slug, title = 413, "payload-too-large", "The request body is too large"


class UnsupportedMediaType(AppError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class ValidationFailed(AppError):
    status, slug, title = 422, "validation", "The request is not valid"


class PreconditionRequired(AppError):
    status, slug, title = 428, "precondition-required", "If-Match is required"


class TooManyRequests(AppError):
    status, slug, title = 429, "too-many-requests", "Too many requests"


class DependencyUnavailable(AppError):
    status, slug, title = 503, "dependency-unavailable", "A service this needs is unavailable"


def field_error(field: str, message: str, code: str = "invalid") -> FieldError:
    return FieldError(field=field, message=message, code=code)


def invalid(field: str, message: str, code: str = "invalid") -> ValidationFailed:
    """A 422 for one field: the most common error a service raises."""
    return ValidationFailed(message, errors=[field_error(field, message, code)])


def reject_nulls(changes: Mapping[str, Any], *required: str) -> None:
    """The PATCH rule: a field left out stays as it is, but a required field sent as null is a 422 naming it."""
    for name in required:
        if name in changes and changes[name] is None:
            raise invalid(f"body.{name}", "may not be null", "required")


def parse_json_body(adapter: TypeAdapter[T], body: bytes) -> T:
    """A body the route reads itself (one of several media types), validated with the same answers FastAPI's own
    body parsing gives: 400 for JSON that does not parse, 422 naming every field that is not valid."""
    try:
        return adapter.validate_json(body)
    except ValidationError as exc:
        errors = _field_errors(exc.errors(), prefix=("body",))
        if any(e.code == "json_invalid" for e in errors):
            raise BadRequest("The body is not valid JSON.", errors=errors) from exc
        raise ValidationFailed(_count(errors), errors=errors) from exc


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"type": TYPE_BASE + slug, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = [e.model_dump() for e in errors]
    return Response(dumps(body), status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _loc_to_path(loc: tuple[Any, ...] | list[Any]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path


def _count(errors: list[FieldError]) -> str:
    return f"{len(errors)} {'field is' if len(errors) == 1 else 'fields are'} not valid"


def _field_errors(raw: Iterable[Mapping[str, Any]], prefix: tuple[str, ...] = ()) -> list[FieldError]:
    out = []
    for err in raw:
        loc = [*prefix, *err.get("loc", ())]
        # pydantic puts the failing validator's name on union/function errors; the user needs the field.
        loc = [p for p in loc if not (isinstance(p, str) and p.startswith("function-"))]
        out.append(field_error(_loc_to_path(loc), str(err.get("msg", "invalid")), str(err["type"])))
    return out


async def _app_error_handler(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)  # noqa: S101
    return problem_response(exc.status, exc.slug, exc.title, exc.detail, exc.errors, exc.headers)


def _unread_media_type(request: Request) -> str | None:
    """Why a body was not read, when it is because of its media type: the route reads JSON and was sent none or
    something else (or reads a form and was sent JSON); None when the media type is one the route reads."""
    field = getattr(request.scope.get("route"), "body_field", None)
    expected = getattr(getattr(field, "field_info", None), "media_type", None)
    if not expected:
        return None
    sent = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if expected == "application/json":
        if sent == "application/json" or sent.endswith("+json"):
            return None
        return f"This operation reads application/json; the body was sent as {sent or 'no media type'}."
    if sent in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None  # FastAPI reads a form in either encoding
    return f"This operation reads {expected}; the body was sent as {sent or 'no media type'}."


async def _validation_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    errors = _field_errors(exc.errors())
    unread = _unread_media_type(request) if any(e.field.startswith("body") for e in errors) else None
    if unread:
        return problem_response(415, UnsupportedMediaType.slug, UnsupportedMediaType.title, unread)
    if any(e.code == "json_invalid" for e in errors):
        return problem_response(400, BadRequest.slug, "The body is not valid JSON", errors[0].message, errors)
    return problem_response(422, ValidationFailed.slug, ValidationFailed.title, _count(errors), errors)


_HTTP_SLUGS = {
    404: "not-found",
    405: "method-not-allowed",
    401: "unauthorized",
    403: "forbidden",
    413: PayloadTooLarge.slug,
}


async def _http_error_handler(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    slug = _HTTP_SLUGS.get(exc.status_code, "http-error")
    title = {404: "Not found", 405: "Method not allowed", 413: PayloadTooLarge.title}.get(
        exc.status_code, str(exc.detail)
    )
    detail = None if exc.detail == title else str(exc.detail)
    return problem_response(exc.status_code, slug, title, detail, headers=exc.headers)


async def _unhandled_handler(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error", extra={"path": request.url.path}, exc_info=exc)
    return problem_response(500, "internal", "Internal error", "An unexpected error occurred; it has been logged.")


async def _integrity_handler(_: Request, exc: Exception) -> Response:
    """A constraint caught a race the service's own checks could not see: a conflict, not a crash."""
    assert isinstance(exc, IntegrityError)  # noqa: S101
    orig = getattr(exc, "orig", None)
    constraint = getattr(getattr(orig, "__cause__", None), "constraint_name", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(getattr(orig, "__cause__", None), "sqlstate", None)
    detail = {
        "23505": "A record with the same unique value already exists.",
        "23503": "A referenced record does not exist or is still referenced.",
    }.get(str(sqlstate), "The change conflicts with existing data.")
    errors = [field_error(str(constraint), detail, "constraint")] if constraint else None
    return problem_response(409, Conflict.slug, Conflict.title, detail, errors)


async def _stale_handler(_: Request, exc: Exception) -> Response:
    """Another request changed or deleted the row between this one's If-Match check and its write."""
    assert isinstance(exc, StaleDataError)  # noqa: S101
    detail = "The record was changed by another request while this one ran; read it again and retry."
    return problem_response(412, PreconditionFailed.slug, PreconditionFailed.title, detail)


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error_handler)
    app.add_exception_handler(IntegrityError, _integrity_handler)
    app.add_exception_handler(StaleDataError, _stale_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_error_handler)
    app.add_exception_handler(Exception, _unhandled_handler)


_DESCRIPTIONS = {
    400: "Malformed request",
    401: "No valid bearer token",
    403: "The token's role or scope does not allow this",
    404: "Not found",
    409: "Conflicts with existing data",
    412: "If-Match does not match the current version",
    413: "Body too large",
    415: "Unsupported media type",
    422: "Validation failed; `errors` names each field",
    428: "If-Match header missing",
    503: "A service this depends on is unavailable",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the problems a route can answer."""
    return {
        s: {
            "model": Problem,
            "description": _DESCRIPTIONS.get(s, "Error"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for s in statuses
    }
