"""The route template of a request (e.g. /api/projects/v1/projects/{project_id}) for metrics and logs."""

from __future__ import annotations

from starlette.types import Scope


def route_template(scope: Scope) -> str | None:
    """FastAPI keeps included routers nested, so a route knows only the path below its router's prefix;
    the prefix is what of the request path its pattern does not match."""
    route = scope.get("route")
    pattern = getattr(route, "path_regex", None)
    template = getattr(route, "path", None)
    if pattern is None or template is None:
        return None
    path: str = scope["path"]
    for i, char in enumerate(path):
        if char == "/" and pattern.match(path[i:]):
            return f"{path[:i]}{template}"
    return str(template)
