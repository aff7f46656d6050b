"""What reporting-api asks projects-api: a caller's access to a project, the change feed, the regions."""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import Any

from pydantic import BaseModel, ValidationError

from registry_kit.auth import Principal
from registry_kit.errors import DependencyUnavailable, NotFound, Unauthorized
from registry_kit.upstream import TTLCache, Upstream
from reporting_api.settings import Settings

API = "/api/projects/v1"


class ProjectAccess(BaseModel):
    """projects-api's answer to `GET /projects/{id}/access` for the caller."""

    project_id: uuid.UUID
    is_public: bool
    can_read: bool
    can_report: bool
    can_edit: bool
    can_approve: bool


class ProjectsClient:
    def __init__(self, upstream: Upstream, settings: Settings) -> None:
        self.upstream = upstream
        self.settings = settings
        self.cache: TTLCache[tuple[uuid.UUID, str], ProjectAccess | None] = TTLCache(settings.access_cache_seconds)
        self._service_token: tuple[str, float] | None = None

    @staticmethod
    def _token_key(principal: Principal | None) -> str:
        if principal is None or not principal.token:
            return ""
        return hashlib.sha256(principal.token.encode()).hexdigest()

    async def access(self, project_id: uuid.UUID, principal: Principal | None) -> ProjectAccess:
        """The caller's rights to the project; NotFound when it does not exist or the caller may not see it."""
        key = (project_id, self._token_key(principal))
        found, cached = self.cache.lookup(key)
        if found:
            if cached is None:  # a cached 404
                raise NotFound(f"No project {project_id}.")
            return cached
        token = principal.token if principal is not None else None
        status, body = await self.upstream.get_json(f"{API}/projects/{project_id}/access", token=token)
        if status == 404:
            self.cache.set(key, None)
            raise NotFound(f"No project {project_id}.")
        if status == 401:
            raise Unauthorized("projects-api did not accept the token.")
        if status != 200:
            raise DependencyUnavailable(
                f"projects-api answered {status} to an access check.", headers={"Retry-After": "5"}
            )
        try:
            access = ProjectAccess.model_validate(body)
        except ValidationError as exc:
            raise DependencyUnavailable("projects-api answered in an unexpected shape.") from exc
        self.cache.set(key, access)
        return access

    async def service_token(self) -> str:
        """A token from the OAuth2 client_credentials grant with our API client, reused until near expiry."""
        if self._service_token and self._service_token[1] > time.monotonic() + 30:
            return self._service_token[0]
        cid, secret = self.settings.projects_client_id, self.settings.projects_client_secret
        if not cid or secret is None:
            raise DependencyUnavailable(
                "No API client for projects-api is configured (REPORTING_PROJECTS_CLIENT_ID and _SECRET)."
            )
        response = await self.upstream.request(
            "POST",
            f"{API}/auth/token",
            data={"grant_type": "client_credentials", "client_id": cid, "client_secret": secret.get_secret_value()},
        )
        if response.status_code != 200:
            raise DependencyUnavailable(f"projects-api refused our API client ({response.status_code}).")
        body = response.json()
        self._service_token = (str(body["access_token"]), time.monotonic() + float(body.get("expires_in", 300)))
        return self._service_token[0]

    async def token_for(self, subject: str) -> str:
        """A short-lived token of `subject` (`user:<id>`), from projects-api's token exchange with our API client:
        its grants are the subject's as they are now. Unauthorized when projects-api refuses (the account is
        disabled or gone, or our client may not act for users); DependencyUnavailable when it cannot answer."""
        cid, secret = self.settings.projects_client_id, self.settings.projects_client_secret
        if not cid or secret is None:
            raise Unauthorized(
                "No API client for projects-api is configured (REPORTING_PROJECTS_CLIENT_ID and _SECRET), so the "
                "uploader's rights cannot be checked."
            )
        response = await self.upstream.request(
            "POST",
            f"{API}/auth/token",
            data={
                "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
                "requested_subject": subject,
                "client_id": cid,
                "client_secret": secret.get_secret_value(),
            },
        )
        if response.status_code in (400, 401):
            detail = _detail(response)
            raise Unauthorized(f"projects-api would not act for {subject}: {detail}")
        if response.status_code != 200:
            raise DependencyUnavailable(f"projects-api answered {response.status_code} to a token exchange.")
        return str(response.json()["access_token"])

    async def changes(self, since: str | None, limit: int) -> dict[str, Any]:
        token = await self.service_token()
        params: dict[str, str | int] = {"limit": limit}
        if since:
            params["since"] = since
        status, body = await self.upstream.get_json(f"{API}/changes", token=token, params=params)
        if status != 200 or not isinstance(body, dict):
            if status == 401:
                self._service_token = None
            raise DependencyUnavailable(f"projects-api's change feed answered {status}.")
        return body

    async def recipients(
        self, *, project_id: uuid.UUID | None = None, role: str | None = None, subjects: list[str] | None = None
    ) -> list[dict[str, Any]]:
        """Whom to notify, with e-mail address and language: people whose `role` grants reach the project, or the
        named people (projects-api answers our API client only if it is its notification sender)."""
        token = await self.service_token()
        params: dict[str, Any] = {"subject": subjects} if subjects else {"project_id": str(project_id), "role": role}
        status, body = await self.upstream.get_json(f"{API}/notification-recipients", token=token, params=params)
        if status != 200 or not isinstance(body, list):
            if status == 401:
                self._service_token = None
            raise DependencyUnavailable(f"projects-api's notification recipients answered {status}.")
        return [item for item in body if isinstance(item, dict)]

    async def regions(self) -> list[dict[str, Any]]:
        status, body = await self.upstream.get_json(f"{API}/reference/regions")
        if status != 200 or not isinstance(body, list):
            raise DependencyUnavailable(f"projects-api's regions answered {status}.")
        return body


def _detail(response: Any) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"status {response.status_code}"
    return str(body.get("detail") or body.get("title") or response.status_code) if isinstance(body, dict) else "?"
