"""The route template of a request (e.g. /api/projects/v1/projects/{project_id}) for metrics and logs."""

from __future__ import annotations

from starlette.types import Scope


def route_template(scope: Scope) -> str | None:
    """FastAPI keeps included routers nested, so a route knows only the path below its router's prefix;
    the prefix is what of the request path its pattern does not match."""
    route = scope.get("route")
    path: str = scope["path"]
    known: tuple[object, str, str | None] | None = scope.get(_KEPT)
    if known is not None and known[0] is route and known[1] == path:  # the access log and the metrics both ask
        return known[2]
    template = _template(scope, route)
    scope[_KEPT] = (route, path, template)
    return template


_KEPT = "registry.route_template"


def _template(scope: Scope, route: object) -> str | None:
    pattern = getattr(route, "path_regex", None)
    template = getattr(route, "path", None)
    if pattern is None or template is None:
        return None
    path: str = scope["path"]
    for i, char in enumerate(path):
        if char == "/" and pattern.match(path[i:]):
            return f"{path[:i]}{template}"
    return str(template)
