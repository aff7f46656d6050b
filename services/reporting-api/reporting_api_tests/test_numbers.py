"""The figures an auditor found wrong across projects (issue 10), each through the public HTTP API: averages that
are averages, values that cannot be split counted whole per country (and said so), no double counting of
overlapping periods, periods outside the project or not ended, semesters and every DHIS2 period type in a series."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from reporting_api_tests.numbers_world import API, NumbersWorld
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")
FIVE = {c: Decimal(20) for c in ("GE", "AM", "AZ", "KZ", "KG")}


@pytest.fixture
def numbers(client: httpx.AsyncClient, projects_api_server: ProjectsHarness) -> NumbersWorld:
    return NumbersWorld(client, projects_api_server)


async def _one(numbers: NumbersWorld, code: str, countries: dict[str, Decimal], frequency: str = "quarter") -> str:
    project = await numbers.project(countries, ["visa-policy"])
    await numbers.sync()
    await numbers.framework(project, code, frequency)
    return project


def _values(code: str, value: str) -> list[dict[str, Any]]:
    return [{"indicator_code": code, "value": value}]


async def test_an_average_across_projects_is_an_average(numbers: NumbersWorld) -> None:
    code = await numbers.indicator("number", "average")
    for value in ("50", "10"):
        project = await _one(numbers, code, {"BA": Decimal(100)})
        await numbers.approved(project, "2010Q1", _values(code, value))
    quarters = await numbers.get("time-series", indicator=code, period_type="quarter")
    assert [(p["period"], p["value"], p["projects"]) for p in quarters["points"]] == [("2010Q1", "30.0000", 2)]
    years = await numbers.get("time-series", indicator=code)
    assert [(p["period"], p["value"]) for p in years["points"]] == [("2010", "30.0000")]  # not 60, not 75
    assert years["rule"]["name"] == "average"


@pytest.mark.parametrize(("aggregation", "value"), [("average", "54"), ("latest", "1"), ("maximum", "9")])
async def test_values_that_cannot_be_split_count_whole_in_each_country(
    numbers: NumbersWorld, aggregation: str, value: str
) -> None:
    code = await numbers.indicator("number", aggregation)
    project = await _one(numbers, code, FIVE)
    await numbers.approved(project, "2010Q1", _values(code, value))
    rollup = await numbers.get("rollup", indicator=code, by="country")
    assert {g["key"]: g["value"] for g in rollup["groups"]} == dict.fromkeys(
        FIVE, f"{value}.0000"
    )  # not 10.8, 0.2, 1.8
    assert all(g["attributed_whole"] for g in rollup["groups"])
    assert rollup["additive"] is False
    assert rollup["rule"]["name"] == aggregation
    assert rollup["total"]["value"] == f"{value}.0000"


async def test_sums_are_split_by_country_and_add_up(numbers: NumbersWorld) -> None:
    code = await numbers.indicator("number", "sum")
    project = await _one(numbers, code, {"GE": Decimal("33.33"), "AM": Decimal("33.33"), "AZ": Decimal("33.34")})
    await numbers.approved(project, "2010Q1", _values(code, "0.0100"))
    rollup = await numbers.get("rollup", indicator=code, by="country")
    shown = [Decimal(g["value"]) for g in rollup["groups"]]
    assert sum(shown) == Decimal("0.0100") == Decimal(rollup["total"]["value"])  # rounded so they still add up
    assert rollup["additive"] is True
    regions = await numbers.get("rollup", indicator=code, by="region")
    assert [(g["key"], g["value"]) for g in regions["groups"]] == [("south-caucasus", "0.0100")]


async def test_percentages_combine_from_numerators_and_denominators(numbers: NumbersWorld) -> None:
    code = await numbers.indicator("percent", "sum")
    for n, d in (("1", "10"), ("45", "50")):  # 10 % and 90 %: together 46 of 60, not the mean 50 %
        project = await _one(numbers, code, {"BA": Decimal(100)})
        await numbers.approved(project, "2010Q1", [{"indicator_code": code, "numerator": n, "denominator": d}])
    series = await numbers.get("time-series", indicator=code)
    point = series["points"][0]
    assert (point["value"], point["numerator"], point["denominator"]) == ("76.6667", "46.0000", "60.0000")


async def test_overlapping_periods_are_refused_with_the_periods_named(numbers: NumbersWorld) -> None:
    code = await numbers.indicator("number", "sum")
    project = await _one(numbers, code, {"BA": Decimal(100)}, frequency="once")  # any period: only overlaps stop it
    for quarter, value in (("2010Q1", "10"), ("2010Q2", "20"), ("2010Q3", "30"), ("2010Q4", "40")):
        await numbers.approved(project, quarter, _values(code, value))
    semester = await numbers.draft(project, "2010S1")
    refused = await numbers.put(semester, _values(code, "30"))
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert "2010Q1" in problem["detail"] and "2010Q2" in problem["detail"]
    assert problem["errors"][0]["code"] == "overlap"
    year = await numbers.get("time-series", indicator=code)
    assert [(p["period"], p["value"]) for p in year["points"]] == [("2010", "100.0000")]  # not 130


async def test_a_value_only_in_a_period_of_its_frequency(numbers: NumbersWorld) -> None:
    code = await numbers.indicator("number", "sum")
    project = await _one(numbers, code, {"BA": Decimal(100)})  # quarterly
    semester = await numbers.draft(project, "2010S1")
    refused = await numbers.put(semester, _values(code, "30"))
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["code"] == "frequency"


async def test_overlaps_and_frequencies_are_conflicts_in_an_import(numbers: NumbersWorld) -> None:
    code = await numbers.indicator("number", "sum")
    project = await _one(numbers, code, {"BA": Decimal(100)}, frequency="once")
    await numbers.approved(project, "2010Q1", _values(code, "10"))
    content = (
        f"project,indicator,period,value\n{project},{code},2010S1,5\n{project},{code},2011Q1,1\n"
        f"{project},{code},2011,4\n"
    )
    response = await numbers.client.post(
        f"{API}/imports", files={"file": ("v.csv", content.encode())}, headers=numbers.admin, params={"dry_run": True}
    )
    assert response.status_code == 422, response.text
    messages = [e["message"] for e in response.json()["errors"]]
    assert any("overlaps 2010Q1" in m for m in messages), messages
    assert any("2011 overlaps 2011Q1" in m or "2011Q1 overlaps 2011" in m for m in messages), messages


async def test_periods_outside_the_project_or_not_ended_are_warned_then_refused(numbers: NumbersWorld) -> None:
    code = await numbers.indicator("number", "sum")
    context = await numbers.indicator("number", "latest", level="context")
    project = await numbers.project({"BA": Decimal(100)}, [], start="2008-01-01", end="2010-12-31")
    await numbers.sync()
    await numbers.framework(project, code, "year")
    await numbers.framework(project, context, "year")
    late = await numbers.draft(project, "2011")
    assert late.status_code == 201
    assert [w["code"] for w in late.json()["warnings"]] == ["after_project"]
    future = await numbers.draft(project, "2101")
    assert {w["code"] for w in future.json()["warnings"]} == {"after_project", "future"}
    filled = await numbers.put(late, _values(code, "5"))
    refused = await numbers.step(filled, "submit")
    assert refused.status_code == 422, refused.text
    assert {e["code"] for e in refused.json()["errors"]} == {"after_project"}
    only_context = await numbers.put(future, _values(context, "7"))
    submitted = await numbers.step(only_context, "submit")
    assert submitted.status_code == 200, submitted.text  # a context series may be reported for any period
    dry = await numbers.client.post(
        f"{API}/imports",
        files={"file": ("v.csv", f"project,indicator,period,value\n{project},{code},2012,3\n".encode())},
        headers=numbers.admin,
        params={"dry_run": True},
    )
    assert dry.status_code == 200, dry.text
    assert "starts after the project ended" in dry.json()["warnings"][0]["message"]


async def test_semesters_and_every_period_type_group_a_series(numbers: NumbersWorld) -> None:
    code = await numbers.indicator("number", "sum")
    project = await _one(numbers, code, {"GE": Decimal(100)}, frequency="semester")
    for semester, value in (("2009S2", "14"), ("2010S1", "15")):
        await numbers.approved(project, semester, _values(code, value))
    semesters = await numbers.get("time-series", indicator=code, period_type="semester")
    assert [(p["period"], p["value"]) for p in semesters["points"]] == [("2009S2", "14.0000"), ("2010S1", "15.0000")]
    quarters = await numbers.get("time-series", indicator=code, period_type="quarter")
    assert (quarters["points"], quarters["unplaced_values"]) == ([], 2)  # said, not silently empty
    financial = await numbers.get("time-series", indicator=code, period_type="financial_july")
    assert [(p["period"], p["value"]) for p in financial["points"]] == [("2009July", "29.0000")]
    april = await numbers.get("time-series", indicator=code, period_type="six_month_april")
    assert april["unplaced_values"] == 2


async def test_qualitative_indicators_have_no_aggregate(numbers: NumbersWorld) -> None:
    code = await numbers.indicator("qualitative", "latest")
    response = await numbers.client.get(f"{API}/aggregations/time-series", params={"indicator": code})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "not_aggregable"
