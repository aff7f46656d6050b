"""The organisations file: for each reporting organisation, its name and identifier, and from the projects it
publishes (those the caller may see) its budgets and expenditure by calendar year and its budgets by recipient
country, in EUR. Amounts without a EUR value are counted apart in a comment, never as zero."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from lxml import etree
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.audit.models import AuditEvent
from projects_api.funding.models import Budget, Transaction
from projects_api.iati import budgets
from projects_api.iati.activity_xml import E, amount_text, iso_datetime, narratives
from projects_api.iati.standard import XML_LANG
from projects_api.organisations.models import Organisation
from projects_api.projects.models import Project, ProjectCountry
from registry_kit.errors import NotFound, invalid

SPENT = ("disbursement", "expenditure")


async def reporting_organisations(
    session: AsyncSession, visible: ColumnElement[bool], org_id: uuid.UUID | None
) -> list[Organisation]:
    if org_id is not None:
        org = await session.get(Organisation, org_id)
        if org is None:
            raise NotFound(f"No organisation {org_id}.")
        if not org.iati_identifier:
            raise invalid("query.organisation", f"{org.name} has no IATI identifier to publish under", "no_identifier")
        return [org]
    reporting = select(Project.reporting_org_id).where(visible, Project.reporting_org_id.is_not(None))
    rows = await session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(reporting), Organisation.iati_identifier.is_not(None))
        .order_by(Organisation.iati_identifier)
    )
    return list(rows)


class _Totals:
    def __init__(self) -> None:
        self.budget: dict[int, Decimal] = defaultdict(Decimal)
        self.by_country: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
        self.spent: dict[int, Decimal] = defaultdict(Decimal)
        self.unconverted: dict[tuple[str, str], Decimal] = defaultdict(Decimal)


async def _totals(session: AsyncSession, visible: ColumnElement[bool], org_id: uuid.UUID) -> _Totals:
    totals = _Totals()
    projects = select(Project.id).where(visible, Project.reporting_org_id == org_id)
    shares: dict[uuid.UUID, list[tuple[str, Decimal]]] = defaultdict(list)
    for pid, code, pct in await session.execute(
        select(ProjectCountry.project_id, ProjectCountry.country_code, ProjectCountry.percentage)
        .where(ProjectCountry.project_id.in_(projects))
        .order_by(ProjectCountry.project_id, ProjectCountry.country_code)
    ):
        shares[pid].append((code, pct))
    rows = await session.stream(
        select(
            Budget.project_id, Budget.period_start, Budget.period_end, Budget.eur_amount, Budget.amount, Budget.currency
        ).where(Budget.project_id.in_(projects))
    )
    async for pid, start, end, eur, amount, currency in rows:
        if eur is None:
            totals.unconverted[("budgets", currency)] += amount
            continue
        for s, _e, share in budgets.split(start, end, eur, by_calendar_year=True):
            totals.budget[s.year] += share
            for country, pct in shares.get(pid, []):
                totals.by_country[(country, s.year)] += share * pct / 100
    spent = await session.stream(
        select(Transaction.transaction_date, Transaction.eur_amount, Transaction.amount, Transaction.currency).where(
            Transaction.project_id.in_(projects), Transaction.transaction_type.in_(SPENT)
        )
    )
    async for day, eur, amount, currency in spent:
        if eur is None:
            totals.unconverted[("expenditure", currency)] += amount
        else:
            totals.spent[day.year] += eur
    return totals


def _period_value(node: etree._Element, year: int, eur: Decimal) -> None:
    E(node, "period-start", iso_date=str(date(year, 1, 1)))
    E(node, "period-end", iso_date=str(date(year, 12, 31)))
    value = E(node, "value", currency="EUR", value_date=str(date(year, 1, 1)))
    value.text = amount_text(eur.quantize(Decimal("0.01")))


async def _last_updated(session: AsyncSession, visible: ColumnElement[bool], org_id: uuid.UUID) -> datetime | None:
    projects = select(Project.id).where(visible, Project.reporting_org_id == org_id)
    return await session.scalar(
        select(func.max(AuditEvent.occurred_at)).where(
            (AuditEvent.entity_id == org_id) | AuditEvent.project_id.in_(projects)
        )
    )


async def organisation_element(session: AsyncSession, visible: ColumnElement[bool], org: Organisation) -> Any:
    totals = await _totals(session, visible, org.id)
    el = etree.Element("iati-organisation", {"default-currency": "EUR"})
    el.set(XML_LANG, org.default_language)
    updated = await _last_updated(session, visible, org.id)
    if updated is not None:
        el.set("last-updated-datetime", iso_datetime(updated))
    E(el, "organisation-identifier").text = org.iati_identifier
    narratives(E(el, "name"), {org.default_language: org.name}, org.default_language)
    reporting = E(el, "reporting-org", ref=str(org.iati_identifier), type=org.org_type)
    narratives(reporting, {org.default_language: org.name}, org.default_language)
    for year in sorted(totals.budget):
        _period_value(E(el, "total-budget", status="1"), year, totals.budget[year])
    for country, year in sorted(totals.by_country):
        node = E(el, "recipient-country-budget", status="1")
        E(node, "recipient-country", code=country)
        _period_value(node, year, totals.by_country[(country, year)])
    for year in sorted(totals.spent):
        _period_value(E(el, "total-expenditure"), year, totals.spent[year])
    for (what, currency), amount in sorted(totals.unconverted.items()):
        el.append(etree.Comment(f" {what} not in these totals, no EUR rate yet: {currency} {amount_text(amount)} "))
    return el


async def organisations_document(
    session: AsyncSession, visible: ColumnElement[bool], orgs: Sequence[Organisation]
) -> bytes:
    stamp = iso_datetime(datetime.now(UTC))
    root = etree.Element("iati-organisations", {"version": "2.03", "generated-datetime": stamp})
    for org in orgs:
        root.append(await organisation_element(session, visible, org))
    return bytes(etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True))
