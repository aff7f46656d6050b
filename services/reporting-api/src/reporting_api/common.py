"""Small pieces several domains share: disaggregation keys, periods as query or body fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from registry_kit.auth import Principal, Role
from registry_kit.errors import Forbidden, invalid
from reporting_api.periods import Period, PeriodError, parse_period


def disaggregation_key(disaggregation: Mapping[str, Any]) -> str:
    """A canonical key for a disaggregation combination: `age=18-59;sex=f`, or `` for the total."""
    return ";".join(f"{k}={disaggregation[k]}" for k in sorted(disaggregation))


def period_or_422(code: str, field: str) -> Period:
    try:
        return parse_period(code)
    except PeriodError as exc:
        raise invalid(field, str(exc), "period") from exc


def actor(principal: Principal) -> str:
    return principal.subject


def require_global_manager(principal: Principal, what: str) -> None:
    """The shared catalogues (indicators, world series) belong to managers whose grant is not limited in scope."""
    principal.require(Role.manager)
    if not principal.has_global(Role.manager):
        raise Forbidden(f"Changing {what} needs a manager grant that is not limited to an organisation or country.")
