"""Funders as donors name them: a department's money counts under the organisation it belongs to.

The Czech Ministry of the Interior funds the BiH projects through its Department of Asylum and Migration Policies
(OAMP). Transactions name the department as provider; donors ask about the ministry. An organisation marked
`is_department` rolls up into the nearest organisation above it that is not a department, and the funder is shown
as "Ministry of the Interior of the Czech Republic (OAMP)": the ministry's name with the departments whose money the
figures hold. The summary groups by that funder (its rows still add up to the total: a transaction has one provider,
so moving a department's group into its ministry's adds exact sums and counts), and a funder is found by searching
for its own name or a department's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ARRAY, Integer, and_, any_, bindparam, literal, or_, select
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.access import Scope, visible_clause
from projects_api.funding.models import FundingCube, Transaction
from projects_api.organisations.models import Organisation
from projects_api.organisations.repository import search_clause
from projects_api.projects.models import Project

if TYPE_CHECKING:
    from projects_api.funding.summary import GroupSums

MAX_DEPTH = 20  # the tree refuses cycles; this only bounds the walk if one slipped in


async def named_as(session: AsyncSession, org_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """Each given organisation that is a department, mapped to the funder it is named under (one recursive query)."""
    ids = sorted(set(org_ids))
    if not ids:
        return {}
    o = Organisation.__table__.alias("o")
    start = (
        select(
            o.c.id.label("start"),
            o.c.id.label("id"),
            o.c.parent_id.label("parent_id"),
            o.c.is_department.label("is_department"),
            literal(0, Integer).label("depth"),
        )
        .where(o.c.id == any_(bindparam("ids", ids, type_=ARRAY(PG_UUID(as_uuid=True)))))
        .cte("up", recursive=True)
    )
    p = Organisation.__table__.alias("p")
    up = start.union_all(
        select(start.c.start, p.c.id, p.c.parent_id, p.c.is_department, start.c.depth + 1)
        .join(p, p.c.id == start.c.parent_id)
        .where(start.c.is_department.is_(True), start.c.depth < MAX_DEPTH)
    )
    final = select(up.c.start, up.c.id).where(
        or_(up.c.is_department.is_(False), up.c.parent_id.is_(None), up.c.depth >= MAX_DEPTH)
    )
    return {row.start: row.id for row in await session.execute(final) if row.start != row.id}


RolledUp = tuple[dict[tuple[Any, ...], "GroupSums"], dict[uuid.UUID, set[uuid.UUID]]]


async def roll_up(session: AsyncSession, group_by: Sequence[str], groups: dict[tuple[Any, ...], GroupSums]) -> RolledUp:
    """The summary's exact group sums with each department's groups added into its funder's (before the rounding
    step, so the rounded rows still add up to the total); and, per funder, the departments whose money is in it."""
    if "funder" not in group_by:
        return groups, {}
    i = group_by.index("funder")
    named = await named_as(session, {k[i] for k in groups if k[i] is not None})
    if not named:
        return groups, {}
    departments: dict[uuid.UUID, set[uuid.UUID]] = {}
    for department, funder in named.items():
        departments.setdefault(funder, set()).add(department)
    return merge_groups(i, named, groups), departments


def merge_groups(
    i: int, named: dict[Any, Any], groups: dict[tuple[Any, ...], GroupSums]
) -> dict[tuple[Any, ...], GroupSums]:
    """Groups whose `i`-th key is renamed through `named`, added together where keys now meet (exact sums, counts,
    unconverted amounts per currency). First-seen order kept; the given groups are not changed."""
    from projects_api.funding.summary import GroupSums  # the summary imports this module

    merged: dict[tuple[Any, ...], GroupSums] = {}
    for key, group in groups.items():
        keys = list(key)
        keys[i] = named.get(keys[i], keys[i])
        merged.setdefault(tuple(keys), GroupSums()).add(group)
    return merged


def label(name: str, departments: Sequence[dict[str, Any]]) -> str:
    """ "Ministry of the Interior of the Czech Republic (OAMP)": the funder and, in brackets, its departments."""
    if not departments:
        return name
    return f"{name} ({', '.join(d['acronym'] or d['name'] for d in departments)})"


async def shown(
    session: AsyncSession, funder_ids: set[uuid.UUID], departments: dict[uuid.UUID, set[uuid.UUID]]
) -> dict[uuid.UUID, dict[str, Any]]:
    """Each funder as the summary shows it: id, name, acronym, its departments in the answer and its label."""
    wanted = funder_ids | {d for ids in departments.values() for d in ids}
    rows = await session.execute(
        select(Organisation.id, Organisation.name, Organisation.acronym).where(Organisation.id.in_(wanted))
    )
    return shown_as({r.id: {"id": r.id, "name": r.name, "acronym": r.acronym} for r in rows}, funder_ids, departments)


def shown_as(
    refs: dict[Any, dict[str, Any]], funder_ids: Iterable[Any], departments: dict[uuid.UUID, set[uuid.UUID]]
) -> dict[Any, dict[str, Any]]:
    """`shown` from the organisations already read (`refs`: id -> {"id", "name", "acronym"})."""
    out = {}
    for funder_id in funder_ids:
        ref = refs.get(funder_id)
        if ref is None:
            continue
        depts = sorted((refs[d] for d in departments.get(funder_id, ()) if d in refs), key=lambda d: d["name"])
        out[funder_id] = {**ref, "departments": depts, "label": label(ref["name"], depts)}
    return out


async def provider_ids(session: AsyncSession, scope: Scope) -> set[uuid.UUID]:
    """The organisations that provided money to projects the caller may see (the cube when it holds the answer)."""
    if scope.everything or scope.empty:
        rows = FundingCube.rows_all if scope.everything else FundingCube.rows_public
        stmt = select(FundingCube.provider_org_id).where(rows > 0, FundingCube.provider_org_id.is_not(None)).distinct()
    else:
        stmt = (
            select(Transaction.provider_org_id)
            .join(Project, Project.id == Transaction.project_id)
            .where(visible_clause(scope), Transaction.provider_org_id.is_not(None))
            .distinct()
        )
    return set(await session.scalars(stmt))


async def funders(session: AsyncSession, scope: Scope, q: str | None) -> list[dict[str, Any]]:
    """Every funder of visible projects, departments rolled up, sorted by label; with `q`, those whose own name or a
    department's matches every word as a prefix (the organisation search's rule)."""
    providers = await provider_ids(session, scope)
    named = await named_as(session, providers)
    departments: dict[uuid.UUID, set[uuid.UUID]] = {}
    for department, funder in named.items():
        departments.setdefault(funder, set()).add(department)
    funder_ids = {named.get(p, p) for p in providers}
    clause = search_clause(q)  # None: no word to search for (e.g. only punctuation), so every funder
    if clause is not None:
        candidates = funder_ids | set(named)
        matched = set(
            await session.scalars(select(Organisation.id).where(and_(Organisation.id.in_(candidates), clause)))
        )
        funder_ids = {f for f in funder_ids if f in matched or departments.get(f, set()) & matched}
    shown_funders = await shown(session, funder_ids, departments)
    return sorted(shown_funders.values(), key=lambda f: (f["label"].casefold(), str(f["id"])))


async def names(session: AsyncSession, org_ids: Sequence[uuid.UUID]) -> list[str]:
    """The organisations' names in the order given (an id no organisation has any more: the id itself)."""
    rows = await session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids)))
    by_id = {row.id: row.name for row in rows}
    return [by_id.get(i, str(i)) for i in org_ids]
