"""DHIS2 clients post to /imports as they post to DHIS2's /api/dataValueSets. The bodies below are the examples of
DHIS2's own Web API documentation ("Data" chapter: sending data values, sending bulks of data values, the CSV data
value format, import parameters), written as DHIS2 publishes them; the mapping table says what their identifiers
mean here."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.auth import Role
from reporting_api.reports.models import Report, ReportValue
from reporting_api_tests.factories import create_framework, create_indicator, create_project
from reporting_api_tests.projects_harness import ProjectsHarness, ProjectSpec

pytestmark = pytest.mark.asyncio(loop_scope="session")
API = "/api/reporting/v1"

# "Sending data values", in JSON format (DHIS2 Web API documentation).
DOC_DATA_VALUE_SET = """{
  "dataSet": "pBOMPrpg1QX",
  "completeDate": "2014-02-03",
  "period": "201401",
  "orgUnit": "DiszpKrYNg8",
  "dataValues": [
    {
      "dataElement": "f7n9E0hX8qk",
      "value": "1"
    },
    {
      "dataElement": "Ix2HsbDMLea",
      "value": "2"
    },
    {
      "dataElement": "eY5ehpbEsB7",
      "value": "3"
    }
  ]
}"""

# "Sending bulks of data values", in JSON format: the last value's org unit is unknown.
DOC_BULK = """{
  "dataValues": [
    {
      "dataElement": "f7n9E0hX8qk",
      "period": "201401",
      "orgUnit": "DiszpKrYNg8",
      "value": "12"
    },
    {
      "dataElement": "f7n9E0hX8qk",
      "period": "201401",
      "orgUnit": "FNnj3jKGS7i",
      "value": "14"
    },
    {
      "dataElement": "f7n9E0hX8qk",
      "period": "201402",
      "orgUnit": "DiszpKrYNg8",
      "value": "16"
    },
    {
      "dataElement": "f7n9E0hX8qk",
      "period": "201402",
      "orgUnit": "Jkhdsf8sdf4",
      "value": "18"
    }
  ]
}"""

# "Sending bulks of data values", in CSV format.
DOC_BULK_CSV = """"dataelement","period","orgunit","categoryoptioncombo","attributeoptioncombo","value"
"f7n9E0hX8qk","201401","DiszpKrYNg8","bRowv6yZOF2","bRowv6yZOF2","1"
"Ix2HsbDMLea","201401","DiszpKrYNg8","bRowv6yZOF2","bRowv6yZOF2","2"
"eY5ehpbEsB7","201401","DiszpKrYNg8","bRowv6yZOF2","bRowv6yZOF2","3"
"""

# "CSV data value format": category option combos, stored by, timestamp.
DOC_CSV_FORMAT = """"dataelement","period","orgunit","catoptcombo","attroptcombo","value","storedby","timestamp"
"DUSpd8Jq3M7","201202","gP6hn503KUX","Prlt0C1RF0s",,"7","bombali","2010-04-17"
"DUSpd8Jq3M7","201202","gP6hn503KUX","V6L425pT3A0",,"10","bombali","2010-04-17"
"DUSpd8Jq3M7","201202","OjTS752GbZE","V6L425pT3A0",,"9","bombali","2010-04-06"
"""


async def _map(client: httpx.AsyncClient, fake: ProjectsHarness, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(f"{API}/dhis2/mappings", json=body, headers=fake.admin())
    assert response.status_code == 201, response.text
    mapping: dict[str, Any] = response.json()
    return mapping


async def _mortality_world(
    client: httpx.AsyncClient, session: AsyncSession, fake: ProjectsHarness
) -> tuple[ProjectSpec, ProjectSpec]:
    """The documentation's org units and data elements, mapped to two projects and three indicators."""
    ngelehun, other = await create_project(session, fake, countries=("GE",)), await create_project(session, fake)
    for uid, code in (("f7n9E0hX8qk", "MEASLES"), ("Ix2HsbDMLea", "DYSENTERY"), ("eY5ehpbEsB7", "CHOLERA")):
        indicator = await create_indicator(session, dimensions=())
        await create_framework(session, ngelehun.id, indicator, frequency="month")
        await create_framework(session, other.id, indicator, frequency="month")
        await _map(
            client, fake, {"kind": "dataElement", "dhis2_id": uid, "dhis2_code": code, "indicator_code": indicator.code}
        )
    await _map(
        client,
        fake,
        {"kind": "orgUnit", "dhis2_id": "DiszpKrYNg8", "dhis2_code": "OU_NGELEHUN", "project_id": str(ngelehun.id)},
    )
    await _map(client, fake, {"kind": "orgUnit", "dhis2_id": "FNnj3jKGS7i", "project_id": str(other.id)})
    return ngelehun, other


async def _values(session: AsyncSession, project_id: uuid.UUID) -> list[tuple[str, str, str]]:
    """(period, disaggregation, value) of every value of the project, sorted."""
    rows = await session.execute(
        select(Report.period_code, ReportValue.disaggregation_key, ReportValue.value)
        .join(Report, Report.id == ReportValue.report_id)
        .where(Report.project_id == project_id)
    )
    return sorted((p, k, str(v)) for p, k, v in rows)


async def _post(
    client: httpx.AsyncClient, fake: ProjectsHarness, body: str, media: str = "application/json", **params: Any
) -> httpx.Response:
    headers = {**fake.role(Role.reporter), "Content-Type": media}
    return await client.post(f"{API}/imports", content=body.encode(), headers=headers, params=params)


async def test_the_documented_data_value_set_is_imported_and_completed(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    ngelehun, _ = await _mortality_world(client, session, projects_api_server)
    response = await _post(client, projects_api_server, DOC_DATA_VALUE_SET)
    assert response.status_code == 200, response.text
    summary = response.json()["response"]
    assert summary["responseType"] == "ImportSummary"
    assert summary["status"] == "SUCCESS"
    assert summary["importCount"] == {"imported": 3, "updated": 0, "ignored": 0, "deleted": 0}
    assert summary["conflicts"] == [] and summary["dataSetComplete"] == "2014-02-03"
    assert await _values(session, ngelehun.id) == [("2014-01", "", v) for v in ("1.0000", "2.0000", "3.0000")]
    report = await session.scalar(select(Report).where(Report.project_id == ngelehun.id))
    assert report is not None
    # completeDate: the data entry is complete, so the report is submitted, dated then.
    assert (report.period_code, report.status, report.submitted_at.date().isoformat()) == (
        "2014-01",
        "submitted",
        "2014-02-03",
    )


async def test_the_documented_bulk_is_refused_whole_with_dhis2_conflicts(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    """DHIS2 ignores the value whose org unit is unknown; here an import is all-or-nothing, so nothing is written and
    DHIS2's summary says ERROR with the conflict at index 3."""
    ngelehun, other = await _mortality_world(client, session, projects_api_server)
    response = await _post(client, projects_api_server, DOC_BULK)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status"] == "conflicts"
    summary = body["response"]
    assert summary["status"] == "ERROR"
    assert summary["importCount"] == {"imported": 0, "updated": 0, "ignored": 4, "deleted": 0}
    assert summary["rejectedIndexes"] == [3]
    [conflict] = summary["conflicts"]
    assert (conflict["property"], conflict["indexes"]) == ("orgUnit", [3]) and "Jkhdsf8sdf4" in conflict["value"]
    assert await _values(session, ngelehun.id) == [] and await _values(session, other.id) == []


async def test_the_documented_bulk_goes_in_once_its_org_unit_is_mapped(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    ngelehun, other = await _mortality_world(client, session, projects_api_server)
    await _map(client, projects_api_server, {"kind": "orgUnit", "dhis2_id": "Jkhdsf8sdf4", "project_id": str(other.id)})
    response = await _post(client, projects_api_server, DOC_BULK)
    assert response.status_code == 200, response.text
    assert response.json()["response"]["importCount"]["imported"] == 4
    assert response.json()["response"]["dataSetComplete"] == "false"
    assert await _values(session, ngelehun.id) == [("2014-01", "", "12.0000"), ("2014-02", "", "16.0000")]
    assert await _values(session, other.id) == [("2014-01", "", "14.0000"), ("2014-02", "", "18.0000")]


@pytest.mark.parametrize("media", ["application/csv", "text/csv"])
async def test_the_documented_bulk_csv_is_imported(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness, media: str
) -> None:
    ngelehun, _ = await _mortality_world(client, session, projects_api_server)
    response = await _post(client, projects_api_server, DOC_BULK_CSV, media)
    assert response.status_code == 200, response.text
    assert response.json()["response"]["status"] == "SUCCESS"
    assert await _values(session, ngelehun.id) == [("2014-01", "", v) for v in ("1.0000", "2.0000", "3.0000")]


async def test_the_documented_csv_format_maps_category_option_combos(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    """Category option combos map to disaggregations; stored-by and timestamp columns are read and not used."""
    indicator = await create_indicator(session)  # with the sex dimension
    bombali, kambia = (
        await create_project(session, projects_api_server),
        await create_project(session, projects_api_server),
    )
    for project in (bombali, kambia):
        await create_framework(session, project.id, indicator, frequency="month")
    await _map(
        client,
        projects_api_server,
        {"kind": "dataElement", "dhis2_id": "DUSpd8Jq3M7", "indicator_code": indicator.code},
    )
    await _map(
        client, projects_api_server, {"kind": "orgUnit", "dhis2_id": "gP6hn503KUX", "project_id": str(bombali.id)}
    )
    await _map(
        client, projects_api_server, {"kind": "orgUnit", "dhis2_id": "OjTS752GbZE", "project_id": str(kambia.id)}
    )
    await _map(
        client,
        projects_api_server,
        {"kind": "categoryOptionCombo", "dhis2_id": "Prlt0C1RF0s", "disaggregation": {"sex": "f"}},
    )
    await _map(
        client,
        projects_api_server,
        {"kind": "categoryOptionCombo", "dhis2_id": "V6L425pT3A0", "disaggregation": {"sex": "m"}},
    )
    response = await _post(client, projects_api_server, DOC_CSV_FORMAT, "application/csv")
    assert response.status_code == 200, response.text
    assert await _values(session, bombali.id) == [("2012-02", "sex=f", "7.0000"), ("2012-02", "sex=m", "10.0000")]
    assert await _values(session, kambia.id) == [("2012-02", "sex=m", "9.0000")]


async def test_import_parameters_by_code_dry_run_and_create(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    """`?dataElementIdScheme=code&orgUnitIdScheme=…&dryRun=true&importStrategy=CREATE`, as in DHIS2's import
    parameters section; `name` is not a scheme here (mappings keep UIDs and codes)."""
    ngelehun, _ = await _mortality_world(client, session, projects_api_server)
    by_code = DOC_DATA_VALUE_SET.replace("DiszpKrYNg8", "OU_NGELEHUN").replace("f7n9E0hX8qk", "MEASLES")
    by_code = by_code.replace("Ix2HsbDMLea", "DYSENTERY").replace("eY5ehpbEsB7", "CHOLERA")
    params = {"dataElementIdScheme": "code", "orgUnitIdScheme": "CODE", "dryRun": "true", "importStrategy": "CREATE"}
    response = await _post(client, projects_api_server, by_code, **params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["dry_run"], body["strategy"], body["imported"]) == (True, "create", 3)
    assert body["response"]["description"].startswith("Dry run") and body["response"]["dataSetComplete"] == "false"
    assert await _values(session, ngelehun.id) == []
    named = await _post(client, projects_api_server, by_code, orgUnitIdScheme="name")
    assert named.status_code == 422
    assert named.json()["errors"][0]["field"] == "query.orgUnitIdScheme"
    # The payload's own scheme wins over the query's.
    in_payload = by_code.replace('"dataSet"', '"idScheme": "code", "dataSet"')
    assert (await _post(client, projects_api_server, in_payload, idScheme="uid")).status_code == 200


async def test_a_country_org_unit_reaches_the_one_project_there_with_the_indicator(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    ngelehun, _ = await _mortality_world(
        client, session, projects_api_server
    )  # ngelehun is the one GE project with them
    await _map(client, projects_api_server, {"kind": "orgUnit", "dhis2_id": "ImspTQPwCqd", "country_code": "GE"})
    body = DOC_DATA_VALUE_SET.replace("DiszpKrYNg8", "ImspTQPwCqd").replace('"completeDate": "2014-02-03",', "")
    response = await _post(client, projects_api_server, body)
    assert response.status_code == 200, response.text
    assert len(await _values(session, ngelehun.id)) == 3
    await create_framework(
        session,
        (await create_project(session, projects_api_server, countries=("GE",))).id,
        await _indicator(session, "f7n9E0hX8qk", client, projects_api_server),
    )
    ambiguous = await _post(client, projects_api_server, body.replace("201401", "201402"))
    assert ambiguous.status_code == 409
    assert "map the orgUnit to a project" in ambiguous.json()["response"]["conflicts"][0]["value"]


async def _indicator(session: AsyncSession, uid: str, client: httpx.AsyncClient, fake: ProjectsHarness) -> Any:
    from reporting_api.indicators.models import Indicator

    listed = (await client.get(f"{API}/dhis2/mappings", params={"kind": "dataElement"}, headers=fake.admin())).json()
    code = next(m["indicator_code"] for m in listed["items"] if m["dhis2_id"] == uid)
    return await session.scalar(select(Indicator).where(Indicator.code == code))


async def test_a_body_dhis2_does_not_send_is_415(
    client: httpx.AsyncClient, projects_api_server: ProjectsHarness
) -> None:
    response = await _post(client, projects_api_server, "dataelement\n", "text/plain")
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_body_over_the_limit_is_413(client: httpx.AsyncClient, projects_api_server: ProjectsHarness) -> None:
    settings = client._transport.app.state.settings  # type: ignore[attr-defined]
    original = settings.max_import_bytes
    settings.max_import_bytes = 100
    try:
        response = await _post(client, projects_api_server, '{"dataValues": [' + '{"value": "1"},' * 20 + "{}]}")
    finally:
        settings.max_import_bytes = original
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_mapping_table_is_kept_by_admins(
    client: httpx.AsyncClient, session: AsyncSession, projects_api_server: ProjectsHarness
) -> None:
    indicator = await create_indicator(session)
    body = {"kind": "dataElement", "dhis2_id": "f7n9E0hX8qk", "indicator_code": indicator.code}
    url = f"{API}/dhis2/mappings"
    assert (await client.post(url, json=body)).status_code == 401
    for role in (Role.reporter, Role.manager):
        assert (await client.post(url, json=body, headers=projects_api_server.role(role))).status_code == 403
    created = await client.post(url, json=body, headers=projects_api_server.admin())
    assert created.status_code == 201, created.text
    assert (await client.post(url, json=body, headers=projects_api_server.admin())).status_code == 409  # the same UID
    mapping_url = f"{url}/{created.json()['id']}"
    assert (await client.get(url, headers=projects_api_server.role(Role.viewer))).status_code == 403
    assert (await client.get(url, headers=projects_api_server.role(Role.reporter))).json()["total"] == 1
    change = {"dhis2_code": "MEASLES"}
    assert (await client.patch(mapping_url, json=change, headers=projects_api_server.admin())).status_code == 428
    assert (
        await client.patch(
            mapping_url, json=change, headers={**projects_api_server.role(Role.manager), "If-Match": "*"}
        )
    ).status_code == 403
    changed = await client.patch(
        mapping_url, json=change, headers={**projects_api_server.admin(), "If-Match": created.headers["etag"]}
    )
    assert changed.status_code == 200 and changed.json()["dhis2_code"] == "MEASLES"
    stale = await client.delete(
        mapping_url, headers={**projects_api_server.admin(), "If-Match": created.headers["etag"]}
    )
    assert stale.status_code == 412
    gone = await client.delete(
        mapping_url, headers={**projects_api_server.admin(), "If-Match": changed.headers["etag"]}
    )
    assert gone.status_code == 204


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "dataElement", "dhis2_id": "f7n9E0hX8qk", "project_id": str(uuid.uuid4())}, "body"),
        ({"kind": "orgUnit", "dhis2_id": "not a uid", "country_code": "GE"}, "body.dhis2_id"),
        ({"kind": "orgUnit", "dhis2_id": "DiszpKrYNg8", "project_id": str(uuid.uuid4())}, "body.project_id"),
        ({"kind": "dataElement", "dhis2_id": "f7n9E0hX8qk", "indicator_code": "no-such"}, "body.indicator_code"),
    ],
)
async def test_a_mapping_must_name_one_target_that_exists(
    client: httpx.AsyncClient, projects_api_server: ProjectsHarness, body: dict[str, Any], field: str
) -> None:
    response = await client.post(f"{API}/dhis2/mappings", json=body, headers=projects_api_server.admin())
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
