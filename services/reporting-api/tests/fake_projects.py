"""A stand-in for projects-api under reporting-api's httpx client: JWKS, project access, change feed, token.

It answers `GET /projects/{id}/access` the way projects-api does (public projects to anyone, others by the
token's grants: global, the project's countries or organisations), and can be taken down to test 503s.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from registry_kit.auth import Grant, Role

ISSUER = "http://projects.test/api/projects"
AUDIENCE = "mcb-registry"
KID = "test-key"


@dataclass
class FakeProject:
    id: uuid.UUID
    is_public: bool = True
    countries: tuple[str, ...] = ("BA",)
    orgs: tuple[uuid.UUID, ...] = ()
    code: str = ""
    title: str = "A project"
    themes: tuple[str, ...] = ()

    def state(self) -> dict[str, Any]:
        return {
            "id": str(self.id), "code": self.code or f"P-{self.id.hex[:8]}", "title": self.title,
            "status": "implementation", "is_public": self.is_public,
            "countries": [{"country_code": c, "percentage": str(round(100 / len(self.countries), 2))} for c in self.countries],
            "themes": list(self.themes), "participants": [{"organisation_id": str(o), "role": "implementing"} for o in self.orgs],
            "version": 1,
        }  # fmt: skip


@dataclass
class FakeProjectsApi:
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    projects: dict[uuid.UUID, FakeProject] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)
    down: bool = False
    calls: list[str] = field(default_factory=list)

    # -- tokens
    def token(self, *grants: Grant, org: uuid.UUID | None = None, subject: str | None = None) -> str:
        now = datetime.now(UTC)
        claims = {
            "iss": ISSUER, "aud": AUDIENCE, "sub": subject or f"user:{uuid.uuid4()}", "name": "Test User",
            "org": str(org) if org else None, "grants": [g.to_claim() for g in grants], "iat": now, "nbf": now,
            "exp": now + timedelta(minutes=15), "typ": "access",
        }  # fmt: skip
        return jwt.encode(claims, self.key, algorithm="ES256", headers={"kid": KID})

    def headers(self, *grants: Grant, org: uuid.UUID | None = None, subject: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(*grants, org=org, subject=subject)}"}

    def admin(self) -> dict[str, str]:
        return self.headers(Grant(Role.admin), subject="user:admin")

    def role(self, role: Role, *, org: uuid.UUID | None = None, country: str | None = None) -> dict[str, str]:
        return self.headers(Grant(role, org, country), org=org)

    def add(self, project: FakeProject) -> FakeProject:
        self.projects[project.id] = project
        return project

    # -- the transport
    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.key.public_key()))
        public.update({"kid": KID, "alg": "ES256", "use": "sig"})
        return {"keys": [public]}

    def _grants(self, request: httpx.Request) -> list[Grant] | None:
        auth = request.headers.get("authorization")
        if not auth:
            return None
        claims = jwt.decode(auth.split(" ", 1)[1], self.key.public_key(), algorithms=["ES256"], audience=AUDIENCE)
        return [Grant.from_claim(g) for g in claims.get("grants", [])]

    def _covers(self, grants: list[Grant] | None, project: FakeProject, role: Role) -> bool:
        for g in grants or []:
            if g.role.rank < role.rank:
                continue
            if g.is_global or g.country in project.countries or g.organisation_id in project.orgs:
                return True
        return False

    def _access(self, project_id: uuid.UUID, request: httpx.Request) -> httpx.Response:
        project = self.projects.get(project_id)
        grants = self._grants(request)
        if project is None or not (project.is_public or self._covers(grants, project, Role.viewer)):
            return httpx.Response(404, json={"status": 404, "title": "Not found"})
        manager = self._covers(grants, project, Role.manager)
        return httpx.Response(
            200,
            json={
                "project_id": str(project_id), "is_public": project.is_public, "can_read": True,
                "can_report": self._covers(grants, project, Role.reporter), "can_edit": manager, "can_approve": manager,
            },
        )  # fmt: skip

    def handler(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.calls.append(f"{request.method} {path}")
        if self.down:
            raise httpx.ConnectError("projects-api is down", request=request)
        if path == "/api/projects/v1/auth/jwks":
            return httpx.Response(200, json=self.jwks())
        if path.startswith("/api/projects/v1/projects/") and path.endswith("/access"):
            return self._access(uuid.UUID(path.split("/")[5]), request)
        if path == "/api/projects/v1/auth/token":
            return httpx.Response(200, json={"access_token": self.token(Grant(Role.viewer)), "expires_in": 900})
        if path == "/api/projects/v1/reference/regions":
            return httpx.Response(200, json=[{"code": "western-balkans", "name": "Western Balkans", "countries": ["BA", "RS"]},
                                             {"code": "south-caucasus", "name": "South Caucasus", "countries": ["GE", "AM"]}])  # fmt: skip
        if path == "/api/projects/v1/changes":
            return self._changes(request)
        return httpx.Response(404, json={"status": 404})

    def _changes(self, request: httpx.Request) -> httpx.Response:
        since = int(request.url.params.get("since", "0.0").split(".")[0])
        limit = int(request.url.params.get("limit", "500"))
        page = self.changes[since : since + limit]
        cursor = since + len(page)
        return httpx.Response(
            200, json={"items": page, "next_cursor": f"{cursor}.0", "has_more": cursor < len(self.changes)}
        )

    def publish(self, project: FakeProject, *, deleted: bool = False) -> None:
        """Put a change of this project on the feed."""
        self.changes.append(
            {"project_id": str(project.id), "deleted": deleted, "project": None if deleted else project.state()}
        )

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handler)
