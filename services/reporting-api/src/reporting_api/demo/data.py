"""The demo dataset of reporting-api: the indicator facts of the programme page (shared/domain/SEED-FACTS.md),
each with its source, plus an illustrative results framework and reports for the demo projects of projects-api.

Anything the page does not say (targets, counts per period, which reports are approved) is flagged illustrative.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

# projects-api's demo namespace: its demo project ids are uuid5(NAMESPACE, "project:" + code).
PROJECTS_NAMESPACE = uuid.UUID("5d6f0c36-8f0e-4c1e-9a55-6d1f6a0e2b11")
NAMESPACE = uuid.UUID("0b4a1c52-3f9e-4d61-8a7e-2c5d9e4f7a10")

PAGE = "IOM Prague, 'Capacity building in migration management'"
ILLUSTRATIVE = "illustrative: not stated on the source page, filled in for the demo"
MOLDOVA = f"Ministry of Economy and Trade of Moldova; National Statistical Bureau of Moldova, as cited on {PAGE}"
GEORGIA = f"IOM Tbilisi, review of migration management in Georgia, January 2008, as cited on {PAGE}"
IOM = f"IOM: 169 member states at the beginning of 2018, plus observers; {PAGE}"
CZ_MOI = f"Czech Ministry of the Interior, Department of Asylum and Migration Policies, as cited on {PAGE}"


def project_id(code: str) -> uuid.UUID:
    return uuid.uuid5(PROJECTS_NAMESPACE, "project:" + code)


def demo_id(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


SEX: dict[str, object] = {
    "code": "sex",
    "name": "Sex",
    "values": [{"code": "f", "name": "Female"}, {"code": "m", "name": "Male"}],
}


@dataclass(frozen=True)
class Ind:
    code: str
    name: str
    level: str
    measure: str
    aggregation: str = "sum"
    cumulative: bool = False
    unit: str | None = "persons"
    currency: str | None = None
    dimensions: tuple[dict[str, object], ...] = ()
    definition: str | None = None
    source: str | None = None
    illustrative: bool = False


INDICATORS: tuple[Ind, ...] = (
    Ind("nationals-working-abroad", "Nationals working abroad", "context", "number", "latest", source=MOLDOVA),
    Ind("population", "Total nationals (population)", "context", "number", "latest", source=MOLDOVA),
    Ind("idps", "Internally displaced persons", "context", "number", "latest", source=GEORGIA),
    Ind("iom-member-states", "IOM member states", "context", "number", "latest", unit="states", source=IOM),
    Ind("funding-eur", "Funding received", "context", "currency", "sum", True, None, "EUR", source=CZ_MOI),
    Ind(
        "officials-trained",
        "Officials trained",
        "output",
        "number",
        dimensions=(SEX,),
        illustrative=True,
        definition="Officials of beneficiary institutions who completed a workshop, training or study visit",
    ),
    Ind(
        "on-site-visits",
        "On-site visits held",
        "output",
        "number",
        unit="visits",
        illustrative=True,
        definition="Visits to detention facilities, asylum facilities and international airports",
    ),
    Ind(
        "procedure-standard",
        "Asylum procedures meeting the standard",
        "outcome",
        "percent",
        "latest",
        unit="%",
        illustrative=True,
        definition="Share of asylum procedures reviewed that meet the agreed standard",
    ),
)


@dataclass(frozen=True)
class Val:
    period: str
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    note: str | None = None


@dataclass(frozen=True)
class Series:
    code: str
    name: str
    country: str | None
    unit: str
    source: str
    values: tuple[Val, ...] = ()
    share_of: tuple[str, str] | None = None
    description: str | None = None
    location: str | None = None


SERIES: tuple[Series, ...] = (
    Series(
        "md-nationals-working-abroad",
        "Moldovan nationals working abroad",
        "MD",
        "persons",
        MOLDOVA,
        (Val("2009Q3", Decimal(317900)),),
    ),
    Series(
        "md-population", "Moldovan nationals (population)", "MD", "persons", MOLDOVA, (Val("2009", Decimal(3500000)),)
    ),
    Series(
        "md-share-working-abroad",
        "Share of Moldovan nationals working abroad",
        "MD",
        "percent",
        MOLDOVA,
        share_of=("md-nationals-working-abroad", "md-population"),
        description="Computed: nationals working abroad / population (317,900 of 3.5 million = 9.1 %)",
    ),
    Series(
        "ge-idps",
        "Internally displaced persons in Georgia",
        "GE",
        "persons",
        GEORGIA,
        (
            Val(
                "2008",
                low=Decimal(220000),
                high=Decimal(250000),
                note="'about a quarter of a million', displaced in the early 1990s and still waiting in 2008",
            ),
        ),
        location="Mostly the region bordering Abkhazia, and Tbilisi",
    ),
    Series(
        "world-iom-member-states",
        "IOM member states",
        None,
        "states",
        IOM,
        (Val("2018", Decimal(169), note="at the beginning of 2018, plus observers"),),
    ),
    Series(
        "ba-czech-funding-migration-asylum",
        "Czech funding for BiH migration and asylum projects",
        "BA",
        "EUR",
        CZ_MOI,
        (Val("2004/..", Decimal(250000), note="cumulative since 2004"),),
    ),
)


@dataclass(frozen=True)
class Framework:
    project: str
    title: str
    kind: str
    indicators: tuple[tuple[str, str | None, Decimal], ...]  # (indicator, baseline, overall target)
    frequency: str = "semester"  # how the project reports them (one frequency: periods never overlap)


FRAMEWORKS: tuple[Framework, ...] = (
    *(
        Framework(
            f"XM-DAC-47066-CZ-BA-{year}",
            "Asylum and migration officials of BiH trained",
            "output",
            (("officials-trained", "0", Decimal(40)), ("on-site-visits", "0", Decimal(3))),
        )
        for year in ("2004", "2006", "2008")
    ),
    Framework(
        "XM-DAC-47066-CZ-BA-2008",
        "Asylum procedure in BiH meets the standard",
        "outcome",
        (("procedure-standard", "40", Decimal(80)),),
    ),
    Framework(
        "XM-DAC-47066-GE-MMCB",
        "Georgian border and document officials trained",
        "output",
        (("officials-trained", "0", Decimal(60)),),
    ),
    Framework(
        "XM-DAC-47066-MD-LMR",
        "Labour offices advise returning migrants",
        "output",
        (("officials-trained", "0", Decimal(30)),),
    ),
)


@dataclass(frozen=True)
class Rep:
    project: str
    period: str
    status: str
    values: tuple[tuple[str, str, Decimal], ...]  # (indicator, disaggregation key, value)
    narrative: str


def _trained(women: int, men: int) -> tuple[tuple[str, str, Decimal], ...]:
    """Officials trained in a period, as a report gives them: the total and its split by sex."""
    return (
        ("officials-trained", "", Decimal(women + men)),
        ("officials-trained", "sex=f", Decimal(women)),
        ("officials-trained", "sex=m", Decimal(men)),
    )


def _counted(indicator: str, value: int) -> tuple[str, str, Decimal]:
    """A value without disaggregation."""
    return (indicator, "", Decimal(value))


_BIH_2008 = "XM-DAC-47066-CZ-BA-2008"
_GE_MMCB = "XM-DAC-47066-GE-MMCB"
REPORTS: tuple[Rep, ...] = (
    Rep(_BIH_2008, "2008S2", "approved",
        (*_trained(6, 8), _counted("on-site-visits", 2), _counted("procedure-standard", 55)),
        "Study visit to the Czech Republic with on-site visits to a detention facility and an international airport."),
    Rep(_BIH_2008, "2009S1", "approved", (*_trained(8, 7), _counted("procedure-standard", 68)),
        "Workshop in Sarajevo on asylum and migration procedure standards."),
    Rep(_BIH_2008, "2009S2", "submitted",
        (*_trained(5, 6), _counted("on-site-visits", 1), _counted("procedure-standard", 74)),
        "Closing workshop; pending approval."),
    Rep(_GE_MMCB, "2009S2", "approved", _trained(12, 20), "Trainings on border protection and document inspection."),
    Rep(_GE_MMCB, "2010S1", "draft", (_counted("officials-trained", 18),), "Draft in progress."),
)  # fmt: skip
