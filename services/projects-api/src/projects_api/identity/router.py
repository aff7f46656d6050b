"""/auth (OAuth2 token endpoint, JWKS, the caller), /users and /api-clients (admins)."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Form, Header, Query, Request, Response, status

from projects_api.identity import oauth, revocation, service
from projects_api.identity.schemas import (
    ApiClient,
    ApiClientCreate,
    ApiClientCreated,
    Me,
    MeUpdate,
    Revocation,
    RevocationList,
    TokenResponse,
    User,
    UserCreate,
    UserUpdate,
)
from projects_api.settings import Settings
from registry_kit.auth import CachedRevocations
from registry_kit.dependencies import CurrentPrincipal, SessionDep
from registry_kit.errors import BadRequest, problem_responses
from registry_kit.etag import IfMatch, set_etag
from registry_kit.pagination import Page, PageDep

auth = APIRouter(prefix="/auth", tags=["auth"])
users = APIRouter(prefix="/users", tags=["users"])
clients = APIRouter(prefix="/api-clients", tags=["api-clients"])

REFRESH_COOKIE = "mcb_refresh"
COOKIE_PATH = "/api/projects/v1/auth"
# Not a credential: tells the page that a refresh cookie exists (it cannot read the httpOnly one), so an anonymous
# page load does not ask for a refresh it would be refused. It lives and dies with the refresh cookie.
SESSION_HINT_COOKIE = "mcb_session"


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(authorization[6:]).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise BadRequest("Malformed Basic credentials.") from exc
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def _revocations_changed(request: Request) -> None:
    """This replica applies a revocation it wrote from the next request on (others within their cache time)."""
    revocations = request.app.state.verifier.revocations
    if isinstance(revocations, CachedRevocations):
        revocations.invalidate()


def _set_refresh_cookie(response: Response, token: str, settings: Settings) -> None:
    secure = settings.public_url.startswith("https://")
    max_age = settings.refresh_token_days * 86400
    response.set_cookie(
        REFRESH_COOKIE, token, max_age=max_age, path=COOKIE_PATH, httponly=True, samesite="strict", secure=secure
    )
    response.set_cookie(SESSION_HINT_COOKIE, "1", max_age=max_age, path="/", samesite="strict", secure=secure)


def _clear_session_cookies(response: Response) -> Response:
    response.delete_cookie(REFRESH_COOKIE, path=COOKIE_PATH)
    response.delete_cookie(SESSION_HINT_COOKIE, path="/")
    return response


async def _throttled(
    request: Request, session: SessionDep, account: str, grant: Callable[[], Awaitable[service.IssuedTokens]]
) -> service.IssuedTokens:
    address = request.client.host if request.client else None
    return await service.throttled(session, request.app.state.settings, account, address, grant)


@auth.post(
    "/token",
    response_model=TokenResponse,
    response_model_exclude_none=True,
    responses={**oauth.responses(), **problem_responses(429)},
)
async def issue_token(
    request: Request,
    response: Response,
    session: SessionDep,
    grant_type: Annotated[
        str | None,
        # Documented as the four it takes; read as any text, so another answers RFC 6749's unsupported_grant_type.
        Form(
            description="password, refresh_token, client_credentials, or token exchange (RFC 8693)",
            json_schema_extra={"enum": oauth.GRANT_TYPES},
        ),
    ] = None,
    username: Annotated[str | None, Form(description="Email, for the password grant")] = None,
    password: Annotated[str | None, Form()] = None,
    refresh_token: Annotated[str | None, Form(description="Or the httpOnly cookie")] = None,
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
    x_refresh_cookie: Annotated[
        str | None, Header(description="`true`: keep the refresh token in an httpOnly cookie")
    ] = None,
    requested_subject: Annotated[
        str | None, Form(description="Token exchange: `user:<id>` or `client:<client_id>` to act for", max_length=200)
    ] = None,
) -> TokenResponse | Response:
    """OAuth2 token endpoint: password (people), refresh_token (rotating), client_credentials (systems), and token
    exchange (RFC 8693) for the registry's own services acting for a user. Errors are RFC 6749 §5.2 JSON (`error`,
    `error_description`) with the problem members beside."""
    try:
        issued = await _grant(
            request, session, grant_type, username, password, refresh_token, client_id, client_secret, requested_subject
        )
    except oauth.TokenRequestError as exc:
        failed = exc.response()
        return _clear_session_cookies(failed) if grant_type == "refresh_token" else failed
    response.headers["Cache-Control"] = "no-store"
    if (x_refresh_cookie or "").lower() == "true" and issued.refresh_token:
        _set_refresh_cookie(response, issued.refresh_token, request.app.state.settings)
        return TokenResponse(access_token=issued.access_token, expires_in=issued.expires_in)
    return TokenResponse(
        access_token=issued.access_token, expires_in=issued.expires_in, refresh_token=issued.refresh_token
    )


async def _grant(
    request: Request,
    session: SessionDep,
    grant_type: str | None,
    username: str | None,
    password: str | None,
    refresh_token: str | None,
    client_id: str | None,
    client_secret: str | None,
    requested_subject: str | None = None,
) -> service.IssuedTokens:
    """The tokens of one grant, or a TokenRequestError saying why not."""
    settings: Settings = request.app.state.settings
    key = request.app.state.signing_key
    grant = oauth.check_grant_type(grant_type)
    if grant == "password":
        if not username or not password:
            raise oauth.TokenRequestError("invalid_request", "The password grant needs username and password.")
        try:
            return await _throttled(
                request, session, username, lambda: service.password_grant(session, key, settings, username, password)
            )
        except service.InvalidGrant as exc:
            raise oauth.TokenRequestError.from_app_error(exc, client=False, basic_auth=False) from exc
    if grant == "refresh_token":
        token = refresh_token or request.cookies.get(REFRESH_COOKIE)
        if not token:
            # No session to renew: 401 like any request without credentials (and a stale hint cookie goes).
            raise oauth.TokenRequestError(
                "invalid_request", "No refresh token: send one in the form, or sign in to get the cookie.", status=401
            )
        try:
            refreshed = await service.refresh_grant(session, key, settings, token)
        except service.InvalidGrant as exc:
            raise oauth.TokenRequestError.from_app_error(exc, client=False, basic_auth=False) from exc
        if refreshed is None:  # answered, not raised: the family's revocation must commit
            raise oauth.TokenRequestError(
                "invalid_grant", "The refresh token was already used; every session from it is now signed out."
            )
        return refreshed
    try:
        basic = _basic_credentials(request.headers.get("authorization"))
    except BadRequest as exc:
        raise oauth.TokenRequestError("invalid_client", exc.detail or exc.title, status=401, basic_auth=True) from exc
    cid, secret = basic or (client_id, client_secret)
    if not cid or not secret:
        raise oauth.TokenRequestError("invalid_request", f"The {grant} grant needs client_id and client_secret.")
    if grant == oauth.TOKEN_EXCHANGE:
        if not requested_subject:
            raise oauth.TokenRequestError("invalid_request", "Token exchange needs requested_subject.")
        try:
            return await service.token_exchange_grant(session, key, settings, cid, secret, requested_subject)
        except service.InvalidGrant as exc:
            client = isinstance(exc, service.InvalidClient)
            raise oauth.TokenRequestError.from_app_error(exc, client=client, basic_auth=basic is not None) from exc
    try:
        return await _throttled(
            request,
            session,
            f"client:{cid}",
            lambda: service.client_credentials_grant(session, key, settings, cid, secret),
        )
    except service.InvalidGrant as exc:
        raise oauth.TokenRequestError.from_app_error(exc, client=True, basic_auth=basic is not None) from exc


@auth.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(
    request: Request, session: SessionDep, refresh_token: Annotated[str | None, Form()] = None
) -> Response:
    """Revoke the refresh token (form field or cookie) and every token rotated from it."""
    token = refresh_token or request.cookies.get(REFRESH_COOKIE)
    if token:
        await service.revoke(session, token)
    return _clear_session_cookies(Response(status_code=status.HTTP_204_NO_CONTENT))


@auth.get("/jwks")
async def jwks(request: Request, response: Response) -> dict[str, object]:
    """The public keys that verify this issuer's tokens (RFC 7517)."""
    response.headers["Cache-Control"] = "public, max-age=300"
    jwks_doc: dict[str, object] = request.app.state.signing_key.jwks
    return jwks_doc


@auth.get("/revocations", response_model=RevocationList)
async def revocations(request: Request, session: SessionDep, response: Response) -> RevocationList:
    """Subjects whose access tokens issued up to a time are refused (disabled users, changed grants, removed
    clients), for services that verify this issuer's tokens themselves; only entries younger than a token's life."""
    settings: Settings = request.app.state.settings
    response.headers["Cache-Control"] = f"public, max-age={int(settings.auth_revocation_cache_seconds)}"
    found = await revocation.current(session, settings)
    return RevocationList(revocations=[Revocation(subject=s, revoked_at=t) for s, t in sorted(found.items())])


@auth.get("/me", response_model=Me, responses=problem_responses(401))
async def me(principal: CurrentPrincipal, session: SessionDep) -> Me:
    """Who the token says the caller is: name, organisation, roles and their scopes, with organisation names."""
    return await service.me(session, principal)


@auth.patch("/me", response_model=Me, responses=problem_responses(401, 403, 422))
async def update_me(data: MeUpdate, principal: CurrentPrincipal, session: SessionDep) -> Me:
    """Change your own settings: the language the app and your e-mails are written in (people, not API clients)."""
    await service.update_own_settings(session, principal, data)
    return await me(principal, session)


@users.get("", response_model=Page[User], responses=problem_responses(401, 403))
async def list_users(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[User]:
    """Users (admins)."""
    return await service.users_page(session, principal, q, page)


@users.get("/{user_id}", response_model=User, responses=problem_responses(401, 403, 404))
async def get_user(user_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, response: Response) -> User:
    """One user (admins)."""
    principal.require_admin()
    user = await service.get_user_or_404(session, user_id)
    set_etag(response, user.id, user.version)
    return User.model_validate(user)


@users.post(
    "",
    response_model=User,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 401, 403, 409, 422),
)
async def create_user(data: UserCreate, session: SessionDep, principal: CurrentPrincipal, response: Response) -> User:
    """Create a user with role grants (admins)."""
    user = await service.create_user(session, principal, data)
    set_etag(response, user.id, user.version)
    return User.model_validate(user)


@users.patch("/{user_id}", response_model=User, responses=problem_responses(400, 401, 403, 404, 412, 422, 428))
async def update_user(
    request: Request,
    user_id: uuid.UUID,
    data: UserUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> User:
    """Change a user, their password or grants (admins). Needs If-Match."""
    await service.update_user(session, request.app.state.settings, principal, user_id, data, if_match)
    _revocations_changed(request)
    user = await service.get_user_or_404(session, user_id)
    set_etag(response, user.id, user.version)
    return User.model_validate(user)


@users.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409, 412, 428),
)
async def delete_user(
    request: Request, user_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, if_match: IfMatch = None
) -> Response:
    """Delete a user (admins). Needs If-Match."""
    await service.delete_user(session, request.app.state.settings, principal, user_id, if_match)
    _revocations_changed(request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@clients.get("", response_model=Page[ApiClient], responses=problem_responses(401, 403))
async def list_api_clients(session: SessionDep, principal: CurrentPrincipal, page: PageDep) -> Page[ApiClient]:
    """API clients of third-party systems (admins)."""
    return await service.clients_page(session, principal, page)


@clients.post(
    "",
    response_model=ApiClientCreated,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(400, 401, 403, 422),
)
async def create_api_client(
    data: ApiClientCreate, session: SessionDep, principal: CurrentPrincipal
) -> ApiClientCreated:
    """Register a third-party system; the secret is shown once (admins)."""
    client, secret = await service.create_client(session, principal, data)
    return ApiClientCreated.model_validate({**ApiClient.model_validate(client).model_dump(), "client_secret": secret})


@clients.delete("/{api_client_id}", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401, 403, 404))
async def delete_api_client(
    request: Request, api_client_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal
) -> Response:
    """Remove an API client; its tokens stop working within seconds (admins)."""
    await service.delete_client(session, request.app.state.settings, principal, api_client_id)
    _revocations_changed(request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
