"""ETags from row versions, and the If-Match rule for every update and delete."""

from __future__ import annotations

from typing import Annotated, Protocol, TypeVar

from fastapi import Header, Response

from registry_kit.errors import PreconditionFailed, PreconditionRequired

IfMatch = Annotated[str | None, Header(description="The ETag you read")]
"""The If-Match header of every update and delete route: `if_match: IfMatch = None`, handed to `check_if_match`
(optional in the signature so that its absence is the 428 below, not a 422)."""


class Versioned(Protocol):
    @property
    def id(self) -> object: ...
    @property
    def version(self) -> int: ...


V = TypeVar("V", bound=Versioned)


def etag(entity_id: object, version: int) -> str:
    return f'"{entity_id}.{version}"'


def set_etag(response: Response, entity_id: object, version: int) -> None:
    response.headers["ETag"] = etag(entity_id, version)


def tagged(response: Response, row: V) -> V:
    """The row, its ETag set on the response: `return present(tagged(response, row))`."""
    set_etag(response, row.id, row.version)
    return row


def check_if_match(if_match: str | None, entity_id: object, version: int) -> None:
    """428 without If-Match, 412 when it names another version: no update is ever lost."""
    if if_match is None:
        raise PreconditionRequired("Send If-Match with the ETag you read, so no one else's change is lost.")
    current = etag(entity_id, version)
    candidates = [c.strip().removeprefix("W/") for c in if_match.split(",")]
    if "*" not in candidates and current not in candidates:
        raise PreconditionFailed(f"The record has changed since you read it (now {current}); read it again and retry.")
