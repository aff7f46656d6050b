"""Request-scoped dependencies every service uses: the session (the request's transaction) and the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Principal, TokenVerifier, bearer_token
from registry_kit.errors import Unauthorized
from registry_kit.etag import IfMatch, V, tagged
from registry_kit.raw_reads import Reads


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request is the transaction: one commit after the handler, before the response; errors roll back."""
    async with request.app.state.sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


SessionDep = Annotated[AsyncSession, Depends(_session, scope="function")]


async def _reads(request: Request) -> Reads:
    reads: Reads = request.app.state.reads
    return reads


# The hot reads' asyncpg pool (registry_kit.raw_reads); only in services that open it (`open_database(raw_reads=...)`).
ReadsDep = Annotated[Reads, Depends(_reads)]


async def _optional_principal(request: Request) -> Principal | None:
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        return None
    verifier: TokenVerifier = request.app.state.verifier
    return await verifier.verify(token)


async def _principal(principal: Annotated[Principal | None, Depends(_optional_principal)]) -> Principal:
    if principal is None:
        raise Unauthorized("This needs a bearer token.")
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(_optional_principal)]
CurrentPrincipal = Annotated[Principal, Depends(_principal)]


@dataclass(frozen=True)
class Read:
    """A read of stored records as its route receives it: the request's session, the caller if there is one (what they
    may see depends on it), and the response, which carries a record's ETag (`read.tagged(row)`)."""

    session: AsyncSession
    principal: Principal | None
    response: Response

    def tagged(self, row: V) -> V:
        """The row, its ETag set on the response."""
        return tagged(self.response, row)


async def _read_request(session: SessionDep, principal: OptionalPrincipal, response: Response) -> Read:
    return Read(session, principal, response)


# A read route's `read: ReadDep` (its ids and filters stay parameters of their own).
ReadDep = Annotated[Read, Depends(_read_request)]


@dataclass(frozen=True)
class Edit:
    """An update or delete of a stored record as its route receives it: the request's transaction, the signed-in
    caller, the ETag they read (If-Match, for the service's `check_if_match`: absent is a 428, another version a 412),
    and the response, which carries the record's new ETag (`edit.tagged(row)`)."""

    session: AsyncSession
    principal: Principal
    if_match: str | None
    response: Response

    def tagged(self, row: V) -> V:
        """The row, its ETag set on the response."""
        return tagged(self.response, row)


async def _edit_request(
    session: SessionDep, principal: CurrentPrincipal, response: Response, if_match: IfMatch = None
) -> Edit:
    return Edit(session, principal, if_match, response)


# Every update and delete route's `edit: EditDep` (its ids and body stay parameters of their own).
EditDep = Annotated[Edit, Depends(_edit_request)]

# What registry_kit.openapi recognises in an operation's dependencies: the caller required (security, 401, 403) or
# optional (security that also allows none, 401 for a bad token), and the database (503 when it is down).
PRINCIPAL_REQUIRED: frozenset[Callable[..., Any]] = frozenset({_principal})
PRINCIPAL_OPTIONAL: frozenset[Callable[..., Any]] = frozenset({_optional_principal})
DATABASE: frozenset[Callable[..., Any]] = frozenset({_session, _reads})
