"""Offset pagination with a total count, the same on every list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.interfaces import ORMOption

T = TypeVar("T")
M = TypeVar("M")

MAX_PAGE_SIZE = 200


class PageParams(BaseModel):
    page: int = 1
    page_size: int = 50

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


async def _page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="1-based page number")] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="items per page")] = 50,
) -> PageParams:
    return PageParams(page=page, page_size=page_size)


PageDep = Annotated[PageParams, Depends(_page_params)]


class Page(BaseModel, Generic[T]):
    """A page of a list, with the total across all pages."""

    items: list[T]
    total: int = Field(examples=[137])
    page: int = Field(examples=[1])
    page_size: int = Field(examples=[50])

    @classmethod
    def of(cls, items: list[T], total: int, params: PageParams) -> Page[T]:
        return cls(items=items, total=total, page=params.page, page_size=params.page_size)


async def fetch_page(
    session: AsyncSession,
    model: type[M],
    conditions: Sequence[ColumnElement[bool]],
    order_by: Sequence[Any],
    *,
    offset: int,
    limit: int,
    options: Sequence[ORMOption] = (),
) -> tuple[list[M], int]:
    """One page of a table's rows that meet the conditions, in the given order (end it with a unique column so pages
    never overlap), and how many rows meet them in all: two statements, the count on the same conditions."""
    total = await session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
    stmt = select(model).where(*conditions).order_by(*order_by).offset(offset).limit(limit).options(*options)
    return list(await session.scalars(stmt)), total
