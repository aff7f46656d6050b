"""The OpenAPI document the kit completes: security, every error as problem+json, names a generator can use; and the
answers it documents (415 for a body in another media type, 404 rather than a redirect for a trailing slash)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Annotated, Any, Literal

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Header
from pydantic import BaseModel, Field
from typing_extensions import TypeAliasType

from registry_kit.app import build_app
from registry_kit.dependencies import CurrentPrincipal, OptionalPrincipal
from registry_kit.errors import problem_responses
from registry_kit.settings import ServiceSettings

pytestmark = pytest.mark.asyncio(loop_scope="session")

Colour = TypeAliasType("Colour", Literal["red", "green"])


class Share(BaseModel):
    """Read and written differently (a Decimal), so FastAPI splits it in two."""

    country: str = Field(examples=["GE"])
    percentage: Decimal = Field(examples=["100"])


class Thing(BaseModel):
    name: str
    colour: Colour
    shares: list[Share]


@asynccontextmanager
async def _no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


def _app() -> FastAPI:
    settings = ServiceSettings(auth_issuer="https://id.example/api/projects")
    app = build_app(slug="demo", title="t", description="d", settings=settings, lifespan=_no_lifespan)
    router = APIRouter(prefix="/api/demo/v1", tags=["things"])

    @router.get("/things")
    async def list_things(principal: OptionalPrincipal, colour: Colour = "red") -> list[Thing]:
        """Anyone; a token shows more."""
        return []

    @router.post("/things", status_code=201, responses=problem_responses(403))
    async def create_thing(thing: Thing, principal: CurrentPrincipal) -> Thing:
        """Managers only."""
        return thing

    @router.patch("/things/{name}")
    async def change_thing(
        name: str, thing: Thing, principal: CurrentPrincipal, if_match: Annotated[str | None, Header()] = None
    ) -> Thing:
        """With If-Match."""
        return thing

    @router.put("/echo")
    async def echo(thing: Thing) -> Thing:
        """No caller needed."""
        return thing

    @router.get("/colours/{colour}")
    async def colour(colour: Colour) -> dict[str, str]:
        """No caller needed."""
        return {"colour": colour}

    app.include_router(router)
    return app


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return _app().openapi()


def _op(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"][f"/api/demo/v1{path}"][method]
    return operation


async def test_security_schemes_name_the_token_url(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    flows = schemes["OAuth2"]["flows"]
    assert flows["password"]["tokenUrl"] == "https://id.example/api/projects/v1/auth/token"
    assert flows["clientCredentials"]["tokenUrl"] == "https://id.example/api/projects/v1/auth/token"
    assert schemes["BearerJWT"] == {**schemes["BearerJWT"], "type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


async def test_security_follows_the_caller_dependency(document: dict[str, Any]) -> None:
    required = [{"OAuth2": []}, {"BearerJWT": []}]
    assert _op(document, "/things", "post")["security"] == required
    assert _op(document, "/things/{name}", "patch")["security"] == required
    assert _op(document, "/things", "get")["security"] == [{}, *required]  # anonymous allowed
    assert "security" not in _op(document, "/colours/{colour}", "get")


async def test_every_error_the_kit_can_answer_is_declared(document: dict[str, Any]) -> None:
    def codes(path: str, method: str) -> set[str]:
        return set(_op(document, path, method)["responses"])

    assert codes("/things", "get") == {"200", "401", "422", "503"}
    assert codes("/things", "post") == {"201", "400", "401", "403", "409", "413", "415", "422", "429", "503"}
    assert {"404", "412", "428"} <= codes("/things/{name}", "patch")
    assert "403" not in codes("/things/{name}", "patch")  # the route declares no role rule
    assert codes("/colours/{colour}", "get") == {"200", "404", "422"}


async def test_errors_are_problem_json_with_one_schema(document: dict[str, Any]) -> None:
    for item in document["paths"].values():
        for operation in item.values():
            for code, response in operation["responses"].items():
                if code.startswith(("4", "5")):
                    assert response["content"] == {
                        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                    }
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas
    assert "errors" in schemas["Problem"]["properties"]


async def test_schema_names_are_unique_titles_and_enums_are_shared(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert {"Share", "ShareInput"} <= schemas.keys()
    assert not any(name.endswith(("-Input", "-Output")) for name in schemas)
    assert all(s.get("title", name) == name for name, s in schemas.items() if "properties" in s)
    assert schemas["Colour"]["enum"] == ["red", "green"]
    parameter = _op(document, "/things", "get")["parameters"][0]
    assert parameter["schema"]["$ref"] == "#/components/schemas/Colour"
    assert "enum" not in str(document["paths"])  # every enum is the one component


async def test_the_answers_are_the_documented_ones() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://test") as client:
        text = await client.put("/api/demo/v1/echo", content=b'{"name": "x"}', headers={"content-type": "text/plain"})
        assert text.status_code == 415
        assert text.headers["content-type"] == "application/problem+json"
        assert "application/json" in text.json()["detail"]
        slash = await client.get("/api/demo/v1/colours/red/")
        assert slash.status_code == 404
        assert slash.headers["content-type"] == "application/problem+json"
        encoded = await client.get("/api/demo/v1/colours/%2F")
        assert (encoded.status_code, encoded.headers["content-type"]) == (404, "application/problem+json")


async def test_the_docs_pages_need_no_cdn() -> None:
    """Swagger UI and ReDoc load their scripts and styles from the service itself (frontend/e2e/docs.e2e.ts renders
    them in Chromium with every other request blocked)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://test") as client:
        for page in ("/api/demo/docs", "/api/demo/redoc"):
            html = (await client.get(page)).text
            assert "cdn." not in html and "fonts.googleapis" not in html, page
            scripts = [part.split('"')[1] for part in html.split("src=")[1:]]
            assert scripts and all(s.startswith("/api/demo/docs-assets/") for s in scripts), scripts
            for script in scripts:
                asset = await client.get(script)
                assert asset.status_code == 200 and len(asset.content) > 100_000, script
        redirect = await client.get("/api/demo/docs/oauth2-redirect")
        assert redirect.status_code == 200 and "oauth2" in redirect.text.lower()
