"""The demo dataset: every fact of the programme page (shared/domain/SEED-FACTS.md), each with its source.

Anything the page does not say (how the EUR 250,000 splits across projects, exact dates, the amounts of
other projects, people's names) is filled in for the demo and flagged `illustrative`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

NAMESPACE = uuid.UUID("5d6f0c36-8f0e-4c1e-9a55-6d1f6a0e2b11")

PAGE = "IOM Prague, 'Capacity building in migration management'"
ILLUSTRATIVE = "illustrative: not stated on the source page, filled in for the demo"


def demo_id(key: str) -> uuid.UUID:
    """Stable ids, so loading twice finds what the first load wrote."""
    return uuid.uuid5(NAMESPACE, key)


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    org_type: str
    country: str | None = None
    parent: str | None = None
    acronym: str | None = None
    iati_identifier: str | None = None
    description: str | None = None
    source: str = PAGE
    illustrative: bool = False
    department: bool = False  # funding figures name it within its parent


ORGANISATIONS: tuple[Org, ...] = (
    Org("iom", "International Organization for Migration", "40", acronym="IOM", iati_identifier="XM-DAC-47066",
        description="Intergovernmental organisation established in 1951; 169 member states at the beginning of 2018, "
        "plus observers (states, IGOs and NGOs)."),
    Org("iom-prague", "IOM Prague", "40", "CZ", "iom", "IOM Prague",
        description="Implements the capacity-building projects with the local missions."),
    Org("iom-tbilisi", "IOM Tbilisi", "40", "GE", "iom", "IOM GE",
        description="Local mission; wrote a review of migration management in Georgia in January 2008."),
    Org("iom-moldova", "IOM mission in Moldova", "40", "MD", "iom", "IOM MD", description="Local mission of the programme."),
    Org("iom-bih", "IOM mission in Bosnia and Herzegovina", "40", "BA", "iom", "IOM BiH", description="Local mission of the programme."),
    Org("iom-central-asia", "IOM missions in Central Asia", "40", "KZ", "iom", "IOM CA", description="Local missions of the programme."),
    Org("iom-iraq", "IOM mission in Iraq", "40", "IQ", "iom", "IOM Iraq",
        description="Since 2003 humanitarian and development work with internally displaced people; "
        "capacity building for the Government of Iraq."),
    Org("cz-government", "Government of the Czech Republic", "10", "CZ", acronym="CZ",
        description="Supported the Iraq programme through six projects in 2006-2010."),
    Org("cz-moi", "Ministry of the Interior of the Czech Republic", "10", "CZ", "cz-government", "MoI CZ"),
    Org("cz-moi-damp", "Department of Asylum and Migration Policies", "10", "CZ", "cz-moi", "OAMP",
        description="Financed the BiH migration and asylum projects: EUR 250,000 in total since 2004.", department=True),
    Org("cz-development-cooperation", "Czech Development Cooperation programme", "10", "CZ", "cz-government",
        description="Finances the bilateral Czech Republic - Bosnia and Herzegovina projects since 2004."),
    Org("ba-mos", "Ministry of Security of Bosnia and Herzegovina", "10", "BA", acronym="MoS BiH"),
    Org("ba-mos-asylum", "Sector for Asylum, Ministry of Security of Bosnia and Herzegovina", "10", "BA", "ba-mos",
        description="Main recipient of the BiH projects.", department=True),
    Org("ge-government", "Government of Georgia", "10", "GE",
        description="Adopted a national strategy on internally displaced persons in early 2007."),
    Org("md-economy", "Ministry of Economy and Trade of Moldova", "10", "MD",
        description="Source, with the National Statistical Bureau, of the labour-migration figure for 2009 Q3."),
    Org("md-statistics", "National Statistical Bureau of Moldova", "10", "MD"),
    Org("iq-government", "Government of Iraq", "10", "IQ",
        description="Beneficiary of migration-policy, legal-framework and capacity-building work."),
)  # fmt: skip


@dataclass(frozen=True)
class Tx:
    kind: str
    day: date
    amount: Decimal
    currency: str
    provider: str | None
    receiver: str | None
    source: str = ILLUSTRATIVE
    illustrative: bool = True


@dataclass(frozen=True)
class Event:
    key: str
    kind: str
    title: str
    start: date
    end: date
    place: str
    country: str
    facility: str | None = None
    people: tuple[tuple[str, int, int], ...] = ()  # (organisation, women, men)


@dataclass(frozen=True)
class Proj:
    code: str
    title: str
    description: str
    status: str
    start: date
    end: date
    countries: tuple[tuple[str, str], ...]
    themes: tuple[str, ...]
    participants: tuple[tuple[str, str], ...]
    source: str
    transactions: tuple[Tx, ...] = ()
    budgets: tuple[tuple[date, date, Decimal, str], ...] = ()
    events: tuple[Event, ...] = ()
    locations: tuple[tuple[str, str, str], ...] = ()  # (country, name, description)
    illustrative: bool = True  # dates and splits are never on the page
    public: bool = True
    sectors: tuple[tuple[str, str], ...] = (("15190", "100"),)
    titles: tuple[tuple[str, str], ...] = ()  # the title in other languages: (ISO 639-1, text)


BIH_SOURCE = (
    PAGE + ": 'Since 2004, the Czech Republic - Department of Asylum and Migration Policies of the Czech Ministry of "
    "the Interior - financed projects in the total amount 250 thousand EUR in BiH migration and asylum field.'"
)
BIH_SPLIT = (  # the EUR 250,000 total is a fact; its split over three projects is illustrative
    ("2004", date(2004, 3, 1), date(2005, 12, 31), Decimal("100000.00")),
    ("2006", date(2006, 2, 1), date(2007, 12, 31), Decimal("80000.00")),
    ("2008", date(2008, 3, 1), date(2009, 12, 31), Decimal("70000.00")),
)


def _bih_project(year: str, start: date, end: date, amount: Decimal, n: int) -> Proj:
    half = (amount / 2).quantize(Decimal("0.01"))
    visits = (
        Event(f"bih-{year}-asylum", "on-site-visit", "On-site visit to a Czech asylum facility", start.replace(month=5, day=10),
              start.replace(month=5, day=11), "Kostelec nad Orlicí", "CZ", "asylum-facility", (("ba-mos-asylum", 3, 4),)),
        Event(f"bih-{year}-detention", "on-site-visit", "On-site visit to a facility for detention of foreigners",
              start.replace(month=5, day=12), start.replace(month=5, day=12), "Bělá-Jezová", "CZ", "detention-facility",
              (("ba-mos-asylum", 2, 5),)),
        Event(f"bih-{year}-airport", "on-site-visit", "On-site visit to an international airport", start.replace(month=5, day=13),
              start.replace(month=5, day=13), "Prague", "CZ", "international-airport", (("ba-mos", 1, 6),)),
        Event(f"bih-{year}-workshop", "workshop", "Workshop: asylum and migration procedure standards", start.replace(month=10, day=4),
              start.replace(month=10, day=6), "Sarajevo", "BA", None, (("ba-mos-asylum", 6, 9), ("ba-mos", 2, 4))),
    )  # fmt: skip
    return Proj(
        code=f"XM-DAC-47066-CZ-BA-{year}",
        title=f"Bilateral CZ-BiH project on asylum and migration ({n} of 3)",
        description="Achievement of the standard level of the asylum and migration procedure in Bosnia and Herzegovina; "
        "bilateral project of the Czech Republic and BiH financed by the Czech Development Cooperation programme.",
        status="closed",
        start=start,
        end=end,
        countries=(("BA", "100"),),
        themes=("competences", "return-policy", "visa-policy", "border-protection"),
        participants=(
            ("cz-moi-damp", "funding"),
            ("cz-development-cooperation", "extending"),
            ("iom-prague", "implementing"),
            ("iom-bih", "implementing"),
            ("ba-mos-asylum", "beneficiary"),
        ),  # fmt: skip
        source=BIH_SOURCE,
        transactions=(
            Tx("commitment", start, amount, "EUR", "cz-moi-damp", "iom-prague", BIH_SOURCE + " (split illustrative)"),
            Tx(
                "disbursement",
                start.replace(month=6, day=30),
                half,
                "EUR",
                "cz-moi-damp",
                "iom-prague",
                BIH_SOURCE + " (split illustrative)",
            ),
            Tx(
                "disbursement",
                end.replace(month=6, day=30),
                amount - half,
                "EUR",
                "cz-moi-damp",
                "iom-prague",
                BIH_SOURCE + " (split illustrative)",
            ),
        ),  # fmt: skip
        budgets=((start, end, amount, "EUR"),),
        events=visits,
    )


IRAQ_SOURCE = (
    PAGE + ": 'In 2006-2010, the Czech Republic supported this program through six projects coordinated by IOM Prague.'"
)
IRAQ_TOPICS = (
    ("Migration policy development for the Government of Iraq", ("competences", "data-collection")),
    ("Enhancing the legal framework for migration in Iraq", ("competences", "return-policy")),
    ("Capacity building of Iraqi migration management institutions", ("competences", "police-education")),
    ("Border management and document inspection in Iraq", ("border-protection", "document-inspection")),
    ("Visa policy and practice for Iraqi authorities", ("visa-policy", "document-inspection")),
    ("Combating irregular migration and organised crime in Iraq", ("illegal-migration", "police-education")),
)


def _iraq_project(i: int) -> Proj:
    title, themes = IRAQ_TOPICS[i]
    year = 2006 + min(i, 4)
    amount = Decimal(120000 + 15000 * i)
    currency = "USD" if i % 2 == 0 else "CZK"
    if currency == "CZK":
        amount *= 25
    study = Event(f"iq-{i}-study", "study-visit", "Study visit of Iraqi officials to the Czech Republic",
                  date(year, 9, 14), date(year, 9, 18), "Prague", "CZ", None, (("iq-government", 2, 8),))  # fmt: skip
    return Proj(
        code=f"XM-DAC-47066-CZ-IQ-{i + 1}",
        title=title,
        description="One of six projects of the Czech Republic, coordinated by IOM Prague, supporting the Government "
        "of Iraq in capacity building, migration policies and the related legal framework.",
        status="closed",
        start=date(year, 4, 1),
        end=date(year + 1, 3, 31) if year < 2010 else date(2010, 12, 31),
        countries=(("IQ", "100"),),
        themes=themes,
        participants=(
            ("cz-government", "funding"),
            ("iom-prague", "accountable"),
            ("iom-iraq", "implementing"),
            ("iq-government", "beneficiary"),
        ),  # fmt: skip
        source=IRAQ_SOURCE,
        transactions=(
            Tx("commitment", date(year, 4, 1), amount, currency, "cz-government", "iom-prague"),
            Tx("disbursement", date(year, 6, 15), amount, currency, "cz-government", "iom-prague"),
        ),
        budgets=((date(year, 4, 1), date(year + 1, 3, 31), amount, currency),),
        events=(study,),
    )


GEORGIA_SOURCE = (
    PAGE
    + ": review of migration management in Georgia by IOM Tbilisi, January 2008 - a country of origin, transit and "
    "destination; 220,000 to 250,000 IDPs, mostly in the region bordering Abkhazia and in Tbilisi."
)
MOLDOVA_SOURCE = PAGE + ": Moldova, a country of emigration which more and more becomes permanent (figures of 2009 Q3)."
CENTRAL_ASIA_SOURCE = (
    PAGE + ": Central Asia - smuggling, trafficking and labour migration to the Russian Federation and Kazakhstan; "
    "need for dialogue between sending and receiving countries."
)
SOUTH_CAUCASUS_SOURCE = (
    PAGE + ": South Caucasus - high rural unemployment drives emigration; IDPs need reintegration in the labour market."
)

# The events of the projects below, one a row: key, kind, title, start, end, place, country, facility and the
# people who took part (organisation, women, men).
GEORGIA_EVENTS = (
    Event("ge-airport", "on-site-visit", "On-site visit to Tbilisi International Airport", date(2008, 11, 5),
          date(2008, 11, 5), "Tbilisi", "GE", "international-airport", (("ge-government", 4, 7),)),
    Event("ge-training", "training", "Training on document inspection", date(2009, 3, 2), date(2009, 3, 4),
          "Tbilisi", "GE", None, (("ge-government", 9, 12),)),
)  # fmt: skip
MOLDOVA_EVENTS = (
    Event("md-workshop", "workshop", "Workshop on labour offices and active employment policy", date(2010, 4, 20),
          date(2010, 4, 21), "Chișinău", "MD", None, (("md-economy", 11, 6),)),
)  # fmt: skip
CENTRAL_ASIA_EVENTS = (
    Event("ca-conference", "conference", "Regional conference of sending and receiving countries", date(2010, 10, 12),
          date(2010, 10, 13), "Almaty", "KZ", None),
    Event("ca-border", "on-site-visit", "On-site visit to a border crossing point", date(2011, 5, 17),
          date(2011, 5, 17), "Zhibek Zholy", "KZ", "border-crossing-point"),
)  # fmt: skip

# One project a block: who, where and what first, then its money and events.
PROJECTS: tuple[Proj, ...] = (
    *(_bih_project(year, s, e, a, n) for n, (year, s, e, a) in enumerate(BIH_SPLIT, start=1)),
    *(_iraq_project(i) for i in range(6)),
    Proj(code="XM-DAC-47066-GE-MMCB", title="Migration management capacity building in Georgia",
         titles=(("ru", "Развитие потенциала управления миграцией в Грузии"),
                 ("cs", "Budování kapacit v oblasti řízení migrace v Gruzii")),
         description="Support to Georgia as a country of origin, transit and destination, including the reintegration "
         "of internally displaced persons from Abkhazia and South Ossetia.",
         status="closed", start=date(2008, 6, 1), end=date(2010, 5, 31),
         countries=(("GE", "100"),), themes=("border-protection", "document-inspection", "reintegration"),
         participants=(("iom-prague", "accountable"), ("iom-tbilisi", "implementing"),
                       ("ge-government", "beneficiary")),
         locations=(("GE", "Tbilisi", "Georgian capital; refuge of many IDPs"),
                    ("GE", "Samegrelo-Zemo Svaneti", "The region bordering Abkhazia, where most IDPs found refuge")),
         source=GEORGIA_SOURCE,
         transactions=(Tx("disbursement", date(2008, 9, 1), Decimal("40000.00"), "GEL", None, "iom-tbilisi"),),
         budgets=((date(2008, 6, 1), date(2009, 5, 31), Decimal("95000.00"), "GEL"),),
         events=GEORGIA_EVENTS),
    Proj(code="XM-DAC-47066-MD-LMR", title="Labour migration and reintegration in Moldova",
         titles=(("ru", "Трудовая миграция и реинтеграция в Молдове"),
                 ("cs", "Pracovní migrace a reintegrace v Moldavsku")),
         description="Labour migration management and reintegration of returning Moldovan nationals, in a country "
         "whose emigration is becoming permanent.",
         status="closed", start=date(2009, 9, 1), end=date(2011, 8, 31),
         countries=(("MD", "100"),), themes=("reintegration", "data-collection"),
         participants=(("iom-prague", "accountable"), ("iom-moldova", "implementing"), ("md-economy", "beneficiary")),
         source=MOLDOVA_SOURCE,
         transactions=(Tx("disbursement", date(2009, 10, 1), Decimal("600000.00"), "MDL", None, "iom-moldova"),),
         events=MOLDOVA_EVENTS),
    Proj(code="XM-DAC-47066-CA-DIALOGUE", title="Dialogue between sending and receiving countries in Central Asia",
         description="A framework of realistic, enforceable rules for labour migration between Central Asia, "
         "Kazakhstan and the Russian Federation; countering smuggling and trafficking.",
         status="implementation", start=date(2010, 1, 1), end=date(2012, 12, 31),
         countries=(("KZ", "20"), ("KG", "20"), ("TJ", "20"), ("TM", "20"), ("UZ", "20")),
         themes=("illegal-migration", "reintegration", "data-collection"),
         participants=(("iom-prague", "accountable"), ("iom-central-asia", "implementing")),
         source=CENTRAL_ASIA_SOURCE,
         transactions=(Tx("disbursement", date(2010, 3, 1), Decimal("150000.00"), "USD", None, "iom-central-asia"),),
         events=CENTRAL_ASIA_EVENTS),
    Proj(code="XM-DAC-47066-SC-IDP", title="Labour-market reintegration of IDPs and returnees in the South Caucasus",
         description="Reintegration of internally displaced persons and returnees in the labour market where rural "
         "unemployment drives emigration.",
         status="pipeline", start=date(2012, 1, 1), end=date(2014, 12, 31),
         countries=(("AM", "33.33"), ("AZ", "33.33"), ("GE", "33.34")), themes=("reintegration",),
         participants=(("iom-prague", "accountable"), ("iom-tbilisi", "implementing")),
         source=SOUTH_CAUCASUS_SOURCE, sectors=(("15190", "60"), ("16020", "40"))),
)  # fmt: skip


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    password: str
    organisation: str | None
    grants: tuple[tuple[str, str | None, str | None], ...] = field(default_factory=tuple)  # (role, org key, country)


# Development only: the loader skips these in production.
USERS: tuple[DemoUser, ...] = (
    DemoUser("admin@demo.mcb", "Demo Admin", "demo-admin-pass", "iom-prague", (("admin", None, None),)),
    DemoUser("manager@demo.mcb", "Demo Manager (IOM Prague)", "demo-manager-pass", "iom-prague", (("manager", "iom-prague", None),)),
    DemoUser("reporter@demo.mcb", "Demo Reporter (IOM Tbilisi)", "demo-reporter-pass", "iom-tbilisi", (("reporter", None, "GE"),)),
    DemoUser("viewer@demo.mcb", "Demo Viewer", "demo-viewer-pass", None, (("viewer", None, None),)),
    DemoUser("donor@demo.mcb", "Demo Donor Desk Officer (Czech MoI)", "demo-donor-pass", "cz-moi", (("viewer", "cz-moi", None),)),
)  # fmt: skip
