"""/reference: the read-only code lists the registry validates against."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from projects_api.reference import data
from projects_api.reference.lookups import country_names, currency_names

router = APIRouter(prefix="/reference", tags=["reference"])

CACHE = "public, max-age=86400"


class Code(BaseModel):
    """A code with its name (and the IATI code where the list mirrors an IATI codelist)."""

    code: str = Field(examples=["15190"])
    name: str = Field(examples=["Facilitation of orderly, safe, regular and responsible migration and mobility"])
    iati_code: str | None = None


class Country(BaseModel):
    code: str = Field(examples=["GE"])
    name: str = Field(examples=["Georgia"])
    region: str | None = Field(default=None, examples=["south-caucasus"])
    is_programme_country: bool = False


class Region(BaseModel):
    code: str = Field(examples=["central-asia"])
    name: str = Field(examples=["Central Asia"])
    countries: list[str] = Field(examples=[["KZ", "KG", "TJ", "TM", "UZ"]])
    note: str


@router.get("/countries", response_model=list[Country])
async def list_countries(
    response: Response,
    programme: Annotated[bool, Query(description="Only the programme's countries")] = False,
) -> list[Country]:
    """ISO 3166 countries, with their programme region."""
    response.headers["Cache-Control"] = CACHE
    return [
        Country(
            code=code,
            name=name,
            region=data.REGION_OF_COUNTRY.get(code),
            is_programme_country=code in data.PROGRAMME_COUNTRIES,
        )
        for code, name in sorted(country_names().items(), key=lambda kv: kv[1])
        if not programme or code in data.PROGRAMME_COUNTRIES
    ]


@router.get("/regions", response_model=list[Region])
async def list_regions(response: Response) -> list[Region]:
    """Regions of the programme, each with its countries."""
    response.headers["Cache-Control"] = CACHE
    return [Region(code=r.code, name=r.name, countries=list(r.countries), note=r.note) for r in data.REGIONS]


@router.get("/themes", response_model=list[Code])
async def list_themes(response: Response) -> list[Code]:
    """The nine topics of the programme's experience exchange."""
    response.headers["Cache-Control"] = CACHE
    return [Code(code=t.code, name=t.name) for t in data.THEMES]


@router.get("/sectors", response_model=list[Code])
async def list_sectors(response: Response) -> list[Code]:
    """OECD DAC 5-digit purpose codes around 15190 (migration)."""
    response.headers["Cache-Control"] = CACHE
    return [Code(code=s.code, name=s.name, iati_code=s.code) for s in data.DAC_SECTORS]


@router.get("/currencies", response_model=list[Code])
async def list_currencies(response: Response) -> list[Code]:
    """ISO 4217 currencies."""
    response.headers["Cache-Control"] = CACHE
    return [Code(code=c, name=n) for c, n in sorted(currency_names().items())]


@router.get("/activity-statuses", response_model=list[Code])
async def list_activity_statuses(response: Response) -> list[Code]:
    """IATI ActivityStatus."""
    response.headers["Cache-Control"] = CACHE
    return [Code(code=s.value, name=s.value.title(), iati_code=c) for s, c in data.ACTIVITY_STATUS_IATI.items()]


@router.get("/organisation-roles", response_model=list[Code])
async def list_organisation_roles(response: Response) -> list[Code]:
    """IATI OrganisationRole, plus `beneficiary` for the institutions a project serves."""
    response.headers["Cache-Control"] = CACHE
    return [
        Code(code=r.value, name=r.value.title(), iati_code=data.PARTICIPANT_ROLE_IATI.get(r))
        for r in data.ParticipantRole
    ]


@router.get("/organisation-types", response_model=list[Code])
async def list_organisation_types(response: Response) -> list[Code]:
    """IATI OrganisationType."""
    response.headers["Cache-Control"] = CACHE
    return [Code(code=c, name=n, iati_code=c) for c, n in data.ORGANISATION_TYPES.items()]


@router.get("/transaction-types", response_model=list[Code])
async def list_transaction_types(response: Response) -> list[Code]:
    """IATI TransactionType (the ones the registry records)."""
    response.headers["Cache-Control"] = CACHE
    return [
        Code(code=t.value, name=t.value.replace("-", " ").capitalize(), iati_code=c)
        for t, c in data.TRANSACTION_TYPE_IATI.items()
    ]


@router.get("/activity-kinds", response_model=list[Code])
async def list_activity_kinds(response: Response) -> list[Code]:
    """Kinds of project events, and (for on-site visits) the facility types."""
    response.headers["Cache-Control"] = CACHE
    return [Code(code=k.value, name=k.value.replace("-", " ").capitalize()) for k in data.ActivityKind]


@router.get("/facility-types", response_model=list[Code])
async def list_facility_types(response: Response) -> list[Code]:
    """Facilities visited on on-site visits."""
    response.headers["Cache-Control"] = CACHE
    return [Code(code=f.value, name=data.FACILITY_NAMES[f]) for f in data.FacilityType]
