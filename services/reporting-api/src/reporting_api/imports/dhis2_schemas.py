"""DHIS2's side of the imports: the mapping table's bodies, the dataValueSet a DHIS2 client posts (for the document),
and the importSummary DHIS2 answers, which the import's own summary carries beside its fields."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from typing_extensions import TypeAliasType

MappingKind = TypeAliasType("MappingKind", Literal["orgUnit", "dataElement", "categoryOptionCombo"])
# uid or code, in any case (DHIS2's documentation writes both `code` and `CODE`).
IdScheme = TypeAliasType(
    "IdScheme", Annotated[str, Field(pattern=r"^([uU][iI][dD]|[cC][oO][dD][eE])$", examples=["uid", "code"])]
)
DHIS2_UID = r"^[A-Za-z][A-Za-z0-9]{10}$"


class MappingIn(BaseModel):
    """One DHIS2 identifier and what it means here: an orgUnit is a project or a country, a dataElement an
    indicator, a categoryOptionCombo a disaggregation (`{}` for DHIS2's default combination, the total)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "dataElement",
                    "dhis2_id": "f7n9E0hX8qk",
                    "dhis2_code": "DE_OFFICIALS_TRAINED",
                    "indicator_code": "officials-trained",
                },
                {"kind": "orgUnit", "dhis2_id": "DiszpKrYNg8", "project_id": "0288dca7-889d-56dc-b0b7-e0ee7d7a9b39"},
                {"kind": "categoryOptionCombo", "dhis2_id": "Prlt0C1RF0s", "disaggregation": {"sex": "f"}},
            ]
        },
    )

    kind: MappingKind
    dhis2_id: str = Field(pattern=DHIS2_UID, description="The DHIS2 UID (11 characters)", examples=["f7n9E0hX8qk"])
    dhis2_code: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        pattern=r"^[^\x00-\x1f]+$",
        description="The DHIS2 code, matched when a request says idScheme=code",
    )
    name: str | None = Field(default=None, max_length=230, pattern=r"^[^\x00-\x1f]*$")
    project_id: uuid.UUID | None = None
    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    indicator_code: str | None = Field(default=None, max_length=60)
    disaggregation: dict[str, str] | None = None

    @model_validator(mode="after")
    def _one_target(self) -> MappingIn:
        targets = {
            "orgUnit": {"project_id", "country_code"},
            "dataElement": {"indicator_code"},
            "categoryOptionCombo": {"disaggregation"},
        }[self.kind]
        given = {
            name
            for name in ("project_id", "country_code", "indicator_code", "disaggregation")
            if getattr(self, name) is not None
        }
        if len(given) != 1 or not given <= targets:
            raise ValueError(f"a {self.kind} maps to exactly one of {', '.join(sorted(targets))}")
        return self


class MappingUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"dhis2_code": "OU_TBILISI"}]})

    dhis2_code: str | None = Field(default=None, min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$")
    name: str | None = Field(default=None, max_length=230, pattern=r"^[^\x00-\x1f]*$")
    project_id: uuid.UUID | None = None
    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    indicator_code: str | None = Field(default=None, max_length=60)
    disaggregation: dict[str, str] | None = None


class Mapping(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "2b1f0a4e-8c7d-4e3b-9f21-6d5c4b3a2e10",
                    "kind": "dataElement",
                    "dhis2_id": "f7n9E0hX8qk",
                    "dhis2_code": None,
                    "name": "Officials trained",
                    "project_id": None,
                    "country_code": None,
                    "indicator_code": "officials-trained",
                    "disaggregation": None,
                    "version": 1,
                    "updated_at": "2026-12-04T10:00:00Z",
                }
            ]
        }
    )

    id: uuid.UUID
    kind: MappingKind
    dhis2_id: str
    dhis2_code: str | None
    name: str | None
    project_id: uuid.UUID | None
    country_code: str | None
    indicator_code: str | None
    disaggregation: dict[str, str] | None
    version: int
    updated_at: datetime


class ImportCount(BaseModel):
    imported: int = Field(examples=[3])
    updated: int = Field(examples=[0])
    ignored: int = Field(examples=[0])
    deleted: int = Field(examples=[0])


class Dhis2Conflict(BaseModel):
    """A DHIS2 conflict: the identifier or value at fault (`object`), why (`value`), the rows (`indexes`, 0-based)."""

    object: str = Field(examples=["f7n9E0hX8qk"])
    value: str = Field(examples=["no indicator with code f7n9E0hX8qk"])
    property: str = Field(examples=["dataElement"])
    indexes: list[int] = Field(examples=[[0]])


class Dhis2ImportSummary(BaseModel):
    """DHIS2's importSummary: SUCCESS (all applied), WARNING (applied, something ignored or not completed), ERROR
    (conflicts: nothing applied, as every import here is all-or-nothing)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "responseType": "ImportSummary",
                    "status": "SUCCESS",
                    "description": "Import process completed successfully",
                    "importCount": {"imported": 3, "updated": 0, "ignored": 0, "deleted": 0},
                    "conflicts": [],
                    "rejectedIndexes": [],
                    "dataSetComplete": "2014-02-03",
                }
            ]
        }
    )

    responseType: Literal["ImportSummary"] = "ImportSummary"  # noqa: N815 (DHIS2's member names)
    status: Literal["SUCCESS", "WARNING", "ERROR"]
    description: str
    importCount: ImportCount  # noqa: N815
    conflicts: list[Dhis2Conflict]
    rejectedIndexes: list[int]  # noqa: N815
    dataSetComplete: str = Field(description="The completeDate applied, or `false`")  # noqa: N815


class DataValue(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"dataElement": "f7n9E0hX8qk", "value": "12"}]})

    dataElement: str  # noqa: N815
    period: str | None = None
    orgUnit: str | None = None  # noqa: N815
    categoryOptionCombo: str | None = None  # noqa: N815
    attributeOptionCombo: str | None = None  # noqa: N815
    value: str | float | None = None
    comment: str | None = None


class DataValueSet(BaseModel):
    """A DHIS2 dataValueSet, as DHIS2's clients post it to /api/dataValueSets (documentation only: the body is read
    as it streams)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dataSet": "pBOMPrpg1QX",
                    "completeDate": "2014-02-03",
                    "period": "201401",
                    "orgUnit": "DiszpKrYNg8",
                    "dataValues": [{"dataElement": "f7n9E0hX8qk", "value": "1"}],
                }
            ]
        }
    )

    dataSet: str | None = None  # noqa: N815
    completeDate: str | None = None  # noqa: N815
    period: str | None = None
    orgUnit: str | None = None  # noqa: N815
    attributeOptionCombo: str | None = None  # noqa: N815
    idScheme: IdScheme | None = None  # noqa: N815
    dataElementIdScheme: IdScheme | None = None  # noqa: N815
    orgUnitIdScheme: IdScheme | None = None  # noqa: N815
    categoryOptionComboIdScheme: IdScheme | None = None  # noqa: N815
    dataValues: list[DataValue]  # noqa: N815


def as_mapping(row: Any, indicator_code: str | None) -> Mapping:
    return Mapping(
        id=row.id,
        kind=row.kind,
        dhis2_id=row.dhis2_id,
        dhis2_code=row.dhis2_code,
        name=row.name,
        project_id=row.project_id,
        country_code=row.country_code,
        indicator_code=indicator_code,
        disaggregation=row.disaggregation,
        version=row.version,
        updated_at=row.updated_at,
    )
