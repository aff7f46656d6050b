"""The published OpenAPI document, completed from what the app actually does, so generated clients work.

FastAPI documents what a route declares. What the kit adds around every route — the bearer token, the problem+json
error handlers, the body size limit, path matching, If-Match — it documents here, once, for every operation:

- security schemes (OAuth2 password and client-credentials flows with the token URL, bearer JWT) and `security` on
  each operation that reads the caller (optional where an anonymous caller is served too), with its 401;
- every error the operation can answer, as `application/problem+json` with the one shared `Problem` schema
  (FastAPI's own `HTTPValidationError` is never what the service sends);
- schema names a generator can use: FastAPI's `X-Input`/`X-Output` pairs become `XInput` and `X`; parameters refer
  to the named enum they take their values from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

from registry_kit.dependencies import DATABASE, PRINCIPAL_OPTIONAL, PRINCIPAL_REQUIRED
from registry_kit.errors import PROBLEM_MEDIA_TYPE, Problem

OAUTH2 = "OAuth2"
BEARER = "BearerJWT"
PROBLEM_REF = "#/components/schemas/Problem"
WRITES = {"post", "put", "patch", "delete"}
_FASTAPI_VALIDATION = {"HTTPValidationError", "ValidationError"}

DESCRIPTIONS = {
    400: "The body cannot be read (malformed JSON, a broken file)",
    401: "No valid bearer token (missing where required, expired, or not ours)",
    403: "The token's role or scope does not allow this",
    404: "Nothing at this path (an unknown id, or a path segment that names nothing)",
    409: "Conflicts with existing data",
    412: "If-Match names another version than the current one",
    413: "The body is larger than this service accepts",
    415: "The body's media type or file format is not one this operation reads",
    422: "Validation failed; `errors` names each field",
    428: "If-Match is required",
    429: "Too many requests (rate limits of the gateway or of sign-in)",
    503: "The database or a service this needs is unavailable; retry after `Retry-After` seconds",
}


def security_schemes(token_url: str) -> dict[str, Any]:
    """OAuth2 for clients that fetch their own token, plain bearer for those handed one."""
    return {
        OAUTH2: {
            "type": "oauth2",
            "description": "Tokens from the registry's issuer: `password` for people, `client_credentials` for "
            "systems (API clients an admin creates). The access token is a JWT sent as `Authorization: Bearer`.",
            "flows": {
                "password": {"tokenUrl": token_url, "refreshUrl": token_url, "scopes": {}},
                "clientCredentials": {"tokenUrl": token_url, "scopes": {}},
            },
        },
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An access token (ES256 JWT)",
        },
    }


def _calls(dependant: Dependant) -> set[Callable[..., Any]]:
    out: set[Callable[..., Any]] = set()
    for sub in dependant.dependencies:
        if sub.call is not None:
            out.add(sub.call)
        out |= _calls(sub)
    return out


def _error_statuses(route: routing.RouteContext, operation: dict[str, Any], calls: set[Callable[..., Any]]) -> set[int]:
    """Every error the kit can answer for this operation, from its parameters, body, method and dependencies."""
    method_writes = bool((route.methods or set()) & {m.upper() for m in WRITES})
    params = operation.get("parameters", [])
    statuses: set[int] = set()
    if any(p["in"] == "path" for p in params):
        statuses.add(404)
    if params or "requestBody" in operation:
        statuses.add(422)
    if "requestBody" in operation:
        statuses |= {400, 413, 415}
    if any(p["in"] == "header" and p["name"].lower() == "if-match" for p in params):
        statuses |= {412, 428}
    required = bool(calls & PRINCIPAL_REQUIRED)
    optional = bool(calls & PRINCIPAL_OPTIONAL)
    if required or optional:
        # No token where one is needed, or one that is not valid. A 403 (role or scope) is the route's own rule: it
        # declares it.
        statuses.add(401)
    if method_writes:
        statuses |= {409, 429}
    if required or optional or calls & DATABASE:
        statuses.add(503)
    return statuses


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}}


def _complete_errors(operation: dict[str, Any], statuses: Iterable[int]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status in statuses:
        responses.setdefault(str(status), {"description": DESCRIPTIONS.get(status, "Error")})
    for code, response in responses.items():
        if not code.startswith(("4", "5")):
            continue
        content = response.get("content") or {}
        refs = {str(c.get("schema", {}).get("$ref", "")).rsplit("/", 1)[-1] for c in content.values()}
        # A route's own error schema (the token endpoint's RFC 6749 error) stays; FastAPI's defaults do not.
        if not content or refs <= _FASTAPI_VALIDATION | {"Problem", ""}:
            response["content"] = _problem_content()
        if code == "422":
            response["description"] = DESCRIPTIONS[422]


def _operation_security(calls: set[Callable[..., Any]]) -> list[dict[str, list[str]]] | None:
    schemes: list[dict[str, list[str]]] = [{OAUTH2: []}, {BEARER: []}]
    if calls & PRINCIPAL_REQUIRED:
        return schemes
    if calls & PRINCIPAL_OPTIONAL:
        return [{}, *schemes]  # anonymous callers are served too (they see less)
    return None


def _rename_split_schemas(document: dict[str, Any]) -> None:
    """`X-Input`/`X-Output` (a model read and written differently) → `XInput`/`X`: generators name classes by title,
    and both halves are titled `X`."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    renames: dict[str, str] = {}
    for name in list(schemas):
        for suffix, new_suffix in (("-Input", "Input"), ("-Output", "")):
            if name.endswith(suffix):
                renames[name] = name.removesuffix(suffix) + new_suffix
    if not renames:
        return
    for old, new in renames.items():
        schema = schemas.pop(old)
        schema["title"] = new
        schemas[new] = schema
    refs = {f"#/components/schemas/{old}": f"#/components/schemas/{new}" for old, new in renames.items()}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref in refs:
                node["$ref"] = refs[ref]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)


def _share_enums(document: dict[str, Any]) -> None:
    """A parameter whose values are those of a named enum refers to it (FastAPI inlines them in parameters), so a
    generated client has one class per enum, not one per parameter."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    named = {tuple(s["enum"]): name for name, s in schemas.items() if isinstance(s.get("enum"), list)}

    def shared(schema: dict[str, Any]) -> dict[str, Any]:
        name = named.get(tuple(schema.get("enum") or ()))
        if name is not None:
            return {"$ref": f"#/components/schemas/{name}"} | {
                k: v for k, v in schema.items() if k in ("default", "description")
            }
        for key in ("anyOf", "oneOf"):
            if key in schema:
                schema[key] = [shared(s) for s in schema[key]]
        if isinstance(schema.get("items"), dict):
            schema["items"] = shared(schema["items"])
        return schema

    for item in document.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else ():
                if isinstance(parameter.get("schema"), dict):
                    parameter["schema"] = shared(parameter["schema"])


def _referenced(document: dict[str, Any]) -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                found.add(ref.rsplit("/", 1)[-1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    return found


def register_models(app: FastAPI, *models: type[BaseModel]) -> None:
    """Models the document names that no route declares (a request body a route reads by hand, `openapi_extra`)."""
    app.state.openapi_models = [*getattr(app.state, "openapi_models", []), *models]


def _add_model(schemas: dict[str, Any], model: type[BaseModel]) -> None:
    definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in definition.pop("$defs", {}).items():
        schemas.setdefault(name, sub)
    schemas.setdefault(model.__name__, definition)


def complete(app: FastAPI, document: dict[str, Any], token_url: str) -> dict[str, Any]:
    """The document FastAPI made, completed as the module docstring says (in place; returned for convenience)."""
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for model in (Problem, *getattr(app.state, "openapi_models", [])):
        _add_model(schemas, model)
    components["securitySchemes"] = security_schemes(token_url)
    paths = document.get("paths", {})
    # FastAPI keeps included routers nested; their route contexts carry the full path and the effective dependencies.
    for route in routing.iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        item = paths.get(route.path_format, {})
        calls = _calls(route.dependant)
        for method in route.methods or ():
            operation = item.get(method.lower())
            if operation is None:
                continue
            security = _operation_security(calls)
            if security is not None:
                operation["security"] = security
            _complete_errors(operation, sorted(_error_statuses(route, operation, calls)))
    _rename_split_schemas(document)
    _share_enums(document)
    fastapi_own = {name: schemas.pop(name) for name in _FASTAPI_VALIDATION if name in schemas}
    if fastapi_own.keys() & _referenced(document):  # still used by a route's own declaration: keep them
        schemas.update(fastapi_own)
    return document


def install(app: FastAPI, token_url: str) -> None:
    """Serve the completed document at the app's openapi_url (built once, on first request)."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        app.openapi_schema = complete(app, original(), token_url)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
