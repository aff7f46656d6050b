"""The rules of the indicator catalogue."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit import narratives
from registry_kit.auth import Principal
from registry_kit.errors import Conflict, NotFound, invalid, reject_nulls
from registry_kit.etag import check_if_match
from registry_kit.pagination import Page, PageParams
from reporting_api.common import require_global_manager
from reporting_api.indicators import repository
from reporting_api.indicators.models import Indicator as IndicatorRow
from reporting_api.indicators.schemas import Indicator, IndicatorCreate, IndicatorUpdate


async def list_page(
    session: AsyncSession, page: PageParams, *, q: str | None, level: str | None, measure: str | None
) -> Page[Indicator]:
    rows, total = await repository.list_page(
        session, q=q, level=level, measure=measure, offset=page.offset, limit=page.page_size
    )
    return Page.of([Indicator.model_validate(r) for r in rows], total, page)


async def get_or_404(session: AsyncSession, indicator_id: uuid.UUID) -> IndicatorRow:
    indicator = await repository.get(session, indicator_id)
    if indicator is None:
        raise NotFound(f"No indicator {indicator_id}.")
    return indicator


async def create(session: AsyncSession, principal: Principal, data: IndicatorCreate) -> IndicatorRow:
    require_global_manager(principal, "the indicator catalogue")
    if await repository.by_code(session, data.code) is not None:
        raise Conflict(f"An indicator with code {data.code} already exists.")
    values = data.model_dump(mode="json", exclude={"names", "definitions"})
    values["name"], values["names"] = narratives.resolve(data.name, data.names, data.language, "name", required=True)
    values["definition"], values["definitions"] = narratives.resolve(
        data.definition, data.definitions, data.language, "definition", required=False
    )
    indicator = IndicatorRow(**values)
    session.add(indicator)
    await session.flush()
    return indicator


async def update(
    session: AsyncSession, principal: Principal, indicator_id: uuid.UUID, data: IndicatorUpdate, if_match: str | None
) -> IndicatorRow:
    require_global_manager(principal, "the indicator catalogue")
    indicator = await get_or_404(session, indicator_id)
    check_if_match(if_match, indicator.id, indicator.version)
    changes = data.model_dump(mode="json", exclude_unset=True, exclude={"names", "definitions", "language"})
    language = data.language or indicator.language
    changes["language"] = language
    for plain, required_text in (("name", True), ("definition", False)):
        changes[plain], changes[plain + "s"] = narratives.update(
            field=plain,
            language=language,
            sent=data.model_fields_set,
            text=getattr(data, plain),
            narratives=getattr(data, plain + "s"),
            current_text=getattr(indicator, plain),
            current=getattr(indicator, plain + "s"),
            required=required_text,
        )
    reject_nulls(changes, "name", "level", "aggregation", "direction", "frequency", "dimensions", "cumulative")
    if "dimensions" in changes and await repository.uses(session, indicator.id):
        removed = _removed_values(indicator.dimensions, changes["dimensions"])
        if removed:
            raise invalid(
                "body.dimensions", f"projects use this indicator; values cannot be removed ({', '.join(removed)})"
            )
    for key, value in changes.items():
        setattr(indicator, key, value)
    await session.flush()
    return indicator


def _removed_values(before: list[dict[str, object]], after: list[dict[str, object]]) -> list[str]:
    def pairs(dims: list[dict[str, object]]) -> set[str]:
        out = set()
        for d in dims:
            values = d.get("values")
            for v in values if isinstance(values, list) else []:
                out.add(f"{d['code']}={v['code']}")
        return out

    return sorted(pairs(before) - pairs(after))


async def delete(session: AsyncSession, principal: Principal, indicator_id: uuid.UUID, if_match: str | None) -> None:
    require_global_manager(principal, "the indicator catalogue")
    indicator = await get_or_404(session, indicator_id)
    check_if_match(if_match, indicator.id, indicator.version)
    used = await repository.uses(session, indicator.id)
    if used:
        raise Conflict(f"{used} results frameworks use indicator {indicator.code}; remove it from them first.")
    await session.delete(indicator)
    await session.flush()
