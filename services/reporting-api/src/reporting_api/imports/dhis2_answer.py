"""The HTTP side of DHIS2 imports: DHIS2's query parameters, a raw body as DHIS2's clients send it (no multipart),
and what the OpenAPI document says of both."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request

from registry_kit.errors import UnsupportedMediaType
from registry_kit.uploads import spool
from reporting_api.imports import readers
from reporting_api.imports.dhis2_schemas import IdScheme as Scheme  # noqa: E402
from reporting_api.imports.schemas import Strategy

DhisStrategy = Literal["CREATE", "UPDATE", "CREATE_AND_UPDATE", "DELETE"]
JSON_TYPES = ("application/json",)
CSV_TYPES = ("application/csv", "text/csv")


@dataclass(frozen=True)
class _Params:
    dry_run_: bool | None
    strategy_: DhisStrategy | None
    id_scheme: Scheme | None
    data_element: Scheme | None
    org_unit: Scheme | None
    combo: Scheme | None

    def dry_run(self, ours: bool) -> bool:
        return ours or bool(self.dry_run_)

    def strategy(self, ours: Strategy) -> Strategy:
        return ours if self.strategy_ is None else self.strategy_.lower()  # type: ignore[return-value]

    def schemes(self) -> dict[str, Literal["uid", "code"]]:
        """The scheme per object type: its own parameter, else idScheme, else DHIS2's default (uid)."""
        out: dict[str, Literal["uid", "code"]] = {}
        for kind, given in (
            ("dataElement", self.data_element),
            ("orgUnit", self.org_unit),
            ("categoryOptionCombo", self.combo),
        ):
            scheme = given or self.id_scheme
            if scheme is not None:
                out[kind] = "code" if scheme.lower() == "code" else "uid"
        return out


def _params(
    dry_run: Annotated[bool | None, Query(alias="dryRun", description="DHIS2's name for dry_run")] = None,
    strategy: Annotated[
        DhisStrategy | None, Query(alias="importStrategy", description="DHIS2's name for strategy")
    ] = None,
    id_scheme: Annotated[
        Scheme | None, Query(alias="idScheme", description="DHIS2 identifiers by uid (default) or code")
    ] = None,
    data_element: Annotated[Scheme | None, Query(alias="dataElementIdScheme")] = None,
    org_unit: Annotated[Scheme | None, Query(alias="orgUnitIdScheme")] = None,
    combo: Annotated[Scheme | None, Query(alias="categoryOptionComboIdScheme")] = None,
) -> _Params:
    return _Params(dry_run, strategy, id_scheme, data_element, org_unit, combo)


Dhis2Params = Annotated[_Params, Depends(_params)]


async def save_body(request: Request, limit: int, declared: str | None) -> tuple[Path, str]:
    """A raw body (DHIS2 dataValueSets JSON or DHIS2 CSV) into a temporary file, as it streams, and its format.
    Refused (too large, a format not known, a connection lost) it leaves no file behind."""
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media not in JSON_TYPES + CSV_TYPES and not media.endswith("+json"):
        raise UnsupportedMediaType(
            "Send a file as multipart/form-data, or a DHIS2 data value set as application/json or application/csv "
            f"(not {media or 'no media type'})."
        )
    # A CSV whose header starts with `dataelement` is DHIS2's layout; one with our column names is ours.
    suffix = ".csv" if media in CSV_TYPES else ".json"
    too_large = f"An import may have at most {limit} bytes."
    spooled = await spool(request.stream(), prefix="import-body-", limit=limit, too_large=too_large)
    return spooled.path, await readers.spooled_format(spooled, f"body{suffix}", declared)


def request_bodies() -> dict[str, Any]:
    """The raw bodies beside FastAPI's multipart one, for the OpenAPI document."""
    csv_body = {
        "schema": {"type": "string", "contentMediaType": "text/csv"},
        "example": '"dataelement","period","orgunit","categoryoptioncombo","attributeoptioncombo","value"\n'
        '"f7n9E0hX8qk","201401","DiszpKrYNg8","bRowv6yZOF2","bRowv6yZOF2","1"\n',
    }
    return {
        "requestBody": {
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/DataValueSet"}},
                "application/csv": csv_body,
                "text/csv": csv_body,
            }
        }
    }


def responses() -> dict[int | str, dict[str, Any]]:
    """A DHIS2 body with conflicts: 409 with the summary (DHIS2's importSummary in `response`), as DHIS2 answers."""
    return {
        409: {
            "description": "A DHIS2 body with conflicts: the summary, nothing applied (others: a conflict problem)",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ImportSummary"}},
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}},
            },
        }
    }
