"""The token endpoint's errors in RFC 6749 §5.2 shape (`error`, `error_description`), which standard OAuth2 clients
read; the problem+json members (type, title, status, detail) stay beside them for everyone else."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from registry_kit.errors import TYPE_BASE, AppError
from registry_kit.json import dumps

ErrorCode = Literal["invalid_request", "invalid_client", "invalid_grant", "unsupported_grant_type"]
# The last: RFC 8693 token exchange, for the registry's own services acting for a user (reporting-api's import jobs).
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"  # noqa: S105 (a grant type's name)
GRANT_TYPES = ("password", "refresh_token", "client_credentials", TOKEN_EXCHANGE)
_TITLES = {
    "invalid_request": "The token request is missing or repeats a parameter",
    "invalid_client": "The client is unknown or its secret is wrong",
    "invalid_grant": "The credentials are not valid",
    "unsupported_grant_type": "This grant type is not supported",
}


class OAuthError(BaseModel):
    """An error of the token endpoint (RFC 6749 §5.2), with the RFC 9457 problem members beside."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": "invalid_grant",
                    "error_description": "Wrong email or password, or the account is disabled.",
                    "type": TYPE_BASE + "invalid-grant",
                    "title": "The credentials are not valid",
                    "status": 400,
                    "detail": "Wrong email or password, or the account is disabled.",
                }
            ]
        }
    )

    error: ErrorCode
    error_description: str
    type: str
    title: str
    status: int
    detail: str = Field(description="The same text as error_description")


class TokenRequestError(Exception):
    """Raised inside the token endpoint; answered by `response()`, never by the app's problem handlers."""

    def __init__(self, error: ErrorCode, description: str, *, status: int = 400, basic_auth: bool = False) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status
        # RFC 6749: a client that authenticated with the Authorization header is answered 401 with a challenge.
        self.headers = {"WWW-Authenticate": 'Basic realm="mcb-registry"'} if basic_auth else {}

    @classmethod
    def from_app_error(cls, exc: AppError, *, client: bool, basic_auth: bool) -> TokenRequestError:
        """The service's refusal of credentials: a wrong client secret is `invalid_client` (401), the rest
        `invalid_grant`."""
        detail = exc.detail or exc.title
        if client:
            return cls("invalid_client", detail, status=401, basic_auth=basic_auth)
        return cls("invalid_grant", detail)

    def response(self) -> Response:
        body = {
            "error": self.error,
            "error_description": self.description,
            "type": TYPE_BASE + self.error.replace("_", "-"),
            "title": _TITLES[self.error],
            "status": self.status,
            "detail": self.description,
        }
        headers = {"Cache-Control": "no-store", **self.headers}
        return Response(dumps(body), status_code=self.status, media_type="application/json", headers=headers)


def check_grant_type(grant_type: str | None) -> str:
    if not grant_type:
        raise TokenRequestError(
            "invalid_request", "grant_type is required (password, refresh_token or client_credentials)."
        )
    if grant_type not in GRANT_TYPES:
        raise TokenRequestError(
            "unsupported_grant_type", f"grant_type {grant_type!r} is not one of {', '.join(GRANT_TYPES)}."
        )
    return grant_type


def responses() -> dict[int | str, dict[str, Any]]:
    """The token endpoint's 400 and 401, for the OpenAPI document."""
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/OAuthError"}}}
    return {
        400: {
            "model": OAuthError,
            "description": "invalid_request, invalid_grant or unsupported_grant_type",
            "content": content,
        },
        401: {
            "model": OAuthError,
            "description": "invalid_client, or a refresh without a refresh token",
            "content": content,
        },
    }
