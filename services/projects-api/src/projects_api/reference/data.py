"""Reference data shipped with the code: programme themes, regions, DAC sectors and the IATI codelists we use.

Sources: the nine themes and the region names come from the programme page
; codes and names of the IATI codelists from IATI standard 2.03;
DAC 5-digit purpose codes from the OECD DAC CRS list.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SOURCE_PAGE = "IOM Prague, 'Capacity building in migration management'"


@dataclass(frozen=True)
class Entry:
    """One entry of a code list (a theme, a sector): the code stored and sent, and the name shown."""

    code: str
    name: str


THEMES: tuple[Entry, ...] = (
    Entry("competences", "Competences and organisational structures in the field of migration"),
    Entry("border-protection", "Border protection"),
    Entry("document-inspection", "Documents inspection"),
    Entry("return-policy", "Return policy for third-country nationals"),
    Entry("visa-policy", "Visa policy and practice"),
    Entry("data-collection", "Data collection and analysis"),
    Entry("illegal-migration", "Illegal migration and combating organised crime"),
    Entry("police-education", "Education of the police"),
    Entry(
        "reintegration",
        "Support to reintegration mechanisms: active employment policy and its tools, labour offices, "
        "vocational education and labour markets, incentives to foreign and domestic companies",
    ),
)
THEME_CODES = frozenset(t.code for t in THEMES)


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    countries: tuple[str, ...]
    note: str


# Disjoint on purpose: a country's share of a total lands in exactly one region, so totals add up.
REGIONS: tuple[Region, ...] = (
    Region("central-asia", "Central Asia", ("KZ", "KG", "TJ", "TM", "UZ"), "named on the programme page"),
    Region("south-caucasus", "South Caucasus", ("AM", "AZ", "GE"), "named on the programme page"),
    Region(
        "western-balkans",
        "Western Balkans",
        ("AL", "BA", "ME", "MK", "RS"),
        "BiH placed in the EU-enlargement context on the programme page",
    ),
    Region("eastern-europe", "Eastern Europe", ("MD", "UA", "BY"), "Moldova's region"),
    Region("middle-east", "Middle East", ("IQ", "JO", "LB", "SY"), "Iraq's region"),
)
REGION_BY_CODE = {r.code: r for r in REGIONS}
REGION_OF_COUNTRY = {c: r.code for r in REGIONS for c in r.countries}

PROGRAMME_COUNTRIES = frozenset({"GE", "MD", "BA", "IQ", "KZ", "KG", "TJ", "TM", "UZ"})


DAC_SECTORS: tuple[Entry, ...] = (
    Entry("15110", "Public sector policy and administrative management"),
    Entry("15111", "Public finance management (PFM)"),
    Entry("15130", "Legal and judicial development"),
    Entry("15150", "Democratic participation and civil society"),
    Entry("15160", "Human rights"),
    Entry("15170", "Women's rights organisations and movements, and government institutions"),
    Entry("15180", "Ending violence against women and girls"),
    Entry("15185", "Local government administration"),
    Entry("15190", "Facilitation of orderly, safe, regular and responsible migration and mobility"),
    Entry("15196", "Government and civil society statistics and data"),
    Entry("15210", "Security system management and reform"),
    Entry("15220", "Civilian peace-building, conflict prevention and resolution"),
    Entry("15240", "Reintegration and SALW control"),
    Entry("16010", "Social protection"),
    Entry("16020", "Employment creation"),
    Entry("11330", "Vocational training"),
    Entry("72010", "Material relief assistance and services"),
    Entry("93010", "Refugees/asylum seekers in donor countries"),
)
SECTOR_CODES = frozenset(s.code for s in DAC_SECTORS)


class ActivityStatus(StrEnum):
    pipeline = "pipeline"
    implementation = "implementation"
    finalisation = "finalisation"
    closed = "closed"
    cancelled = "cancelled"
    suspended = "suspended"


# IATI's ActivityStatus codelist numbers these statuses 1-6 in the order above.
ACTIVITY_STATUS_IATI: dict[ActivityStatus, str] = {
    status: str(code) for code, status in enumerate(ActivityStatus, start=1)
}


class ParticipantRole(StrEnum):
    """IATI OrganisationRole (1–4) plus the institutions a project serves."""

    funding = "funding"
    accountable = "accountable"
    extending = "extending"
    implementing = "implementing"
    beneficiary = "beneficiary"


# IATI's OrganisationRole codelist numbers the first four roles 1-4 in the order above; a beneficiary has no code.
PARTICIPANT_ROLE_IATI: dict[ParticipantRole, str] = {
    role: str(code) for code, role in enumerate(ParticipantRole, start=1) if role is not ParticipantRole.beneficiary
}

ORGANISATION_TYPES: dict[str, str] = {
    "10": "Government",
    "11": "Local Government",
    "15": "Other Public Sector",
    "21": "International NGO",
    "22": "National NGO",
    "23": "Regional NGO",
    "24": "Partner Country based NGO",
    "30": "Public Private Partnership",
    "40": "Multilateral",
    "60": "Foundation",
    "70": "Private Sector",
    "80": "Academic, Training and Research",
    "90": "Other",
}


class TransactionType(StrEnum):
    incoming_funds = "incoming-funds"
    incoming_commitment = "incoming-commitment"
    commitment = "commitment"
    disbursement = "disbursement"
    expenditure = "expenditure"


TRANSACTION_TYPE_IATI = {
    TransactionType.incoming_funds: "1",
    TransactionType.commitment: "2",
    TransactionType.disbursement: "3",
    TransactionType.expenditure: "4",
    TransactionType.incoming_commitment: "11",
}


class ActivityKind(StrEnum):
    workshop = "workshop"
    training = "training"
    study_visit = "study-visit"
    on_site_visit = "on-site-visit"
    conference = "conference"
    expert_mission = "expert-mission"


class FacilityType(StrEnum):
    detention_facility = "detention-facility"
    asylum_facility = "asylum-facility"
    international_airport = "international-airport"
    border_crossing_point = "border-crossing-point"


FACILITY_NAMES = {
    FacilityType.detention_facility: "Detention facility for foreigners",
    FacilityType.asylum_facility: "Asylum facility",
    FacilityType.international_airport: "International airport",
    FacilityType.border_crossing_point: "Border crossing point",
}


class BudgetType(StrEnum):
    original = "original"
    revised = "revised"


class BudgetStatus(StrEnum):
    indicative = "indicative"
    committed = "committed"
