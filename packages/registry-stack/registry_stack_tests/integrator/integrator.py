"""A third party's integration, written only against the Python clients that openapi-python-client generates from the
published OpenAPI documents (`mcb_projects_client`, `mcb_reporting_client`): nothing of this repository is imported.

    python integrator.py BASE_URL

It uses the demo accounts of `make run` (an admin who registers the integrator's API client, the Georgian
reporter). Each step prints one line; any surprise ends it with a non-zero exit.
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from mcb_projects_client import AuthenticatedClient as ProjectsClient
from mcb_projects_client import Client as AnonymousProjectsClient
from mcb_projects_client.api.api_clients import api_clients_create_api_client
from mcb_projects_client.api.auth import auth_issue_token
from mcb_projects_client.api.funding import funding_funding_summary
from mcb_projects_client.api.projects import projects_get_project, projects_list_projects
from mcb_projects_client.api.transactions import transactions_list_transactions
from mcb_projects_client.models import (
    ApiClientCreate,
    ApiClientCreated,
    BodyAuthIssueToken,
    BodyAuthIssueTokenGrantType,
    FundingSummary,
    GrantIn,
    OAuthError,
    PageProjectSummary,
    Project,
    Role,
    TokenResponse,
)
from mcb_reporting_client import AuthenticatedClient as ReportingClient
from mcb_reporting_client.api.exports import exports_export_values
from mcb_reporting_client.api.frameworks import frameworks_get_framework
from mcb_reporting_client.api.reports import (
    reports_create_report,
    reports_get_report,
    reports_list_reports,
    reports_put_values,
    reports_submit_report,
)
from mcb_reporting_client.models import (
    ExportsExportValuesFormat,
    Framework,
    PageReportSummary,
    Problem,
    Report,
    ReportCreate,
    ReportStatus,
    ValueIn,
    ValueInDisaggregation,
    ValuesIn,
)

T = TypeVar("T")
COUNTRY = "GE"


def step(text: str) -> None:
    print(f"integrator: {text}", flush=True)  # noqa: T201


def expect(value: object, kind: type[T], what: str) -> T:
    """The parsed answer of a generated call, of the type the document promises for success."""
    if not isinstance(value, kind):
        raise SystemExit(f"integrator: {what}: expected {kind.__name__}, got {value!r}")
    return value


def password_token(base: str, email: str, password: str) -> str:
    anonymous = AnonymousProjectsClient(base_url=base, raise_on_unexpected_status=True)
    body = BodyAuthIssueToken(grant_type=BodyAuthIssueTokenGrantType.PASSWORD, username=email, password=password)
    token = expect(auth_issue_token.sync(client=anonymous, body=body), TokenResponse, "password grant")
    return token.access_token


def register_api_client(base: str) -> tuple[str, str]:
    """What an admin does once for an integrator: an API client that may read everything."""
    admin = ProjectsClient(base_url=base, token=password_token(base, "admin@demo.mcb", "demo-admin-pass"))
    body = ApiClientCreate(name="Statistics office (integrator)", grants=[GrantIn(role=Role.VIEWER)])
    created = expect(api_clients_create_api_client.sync(client=admin, body=body), ApiClientCreated, "create client")
    return created.client_id, created.client_secret


def client_credentials_token(base: str, client_id: str, secret: str) -> str:
    anonymous = AnonymousProjectsClient(base_url=base, raise_on_unexpected_status=True)
    wrong = BodyAuthIssueToken(
        grant_type=BodyAuthIssueTokenGrantType.CLIENT_CREDENTIALS, client_id=client_id, client_secret="not it"
    )
    refused = expect(auth_issue_token.sync(client=anonymous, body=wrong), OAuthError, "a wrong secret")
    assert refused.error == "invalid_client", refused
    body = BodyAuthIssueToken(
        grant_type=BodyAuthIssueTokenGrantType.CLIENT_CREDENTIALS, client_id=client_id, client_secret=secret
    )
    token = expect(auth_issue_token.sync(client=anonymous, body=body), TokenResponse, "client credentials")
    step(f"client-credentials token for {client_id} (a wrong secret is RFC 6749's {refused.error})")
    return token.access_token


def projects_in_country(projects: ProjectsClient) -> list[UUID]:
    """Every project in the country, two per page, following `total`."""
    ids: list[UUID] = []
    page, total = 1, None
    while total is None or len(ids) < total:
        answer = projects_list_projects.sync(client=projects, country=[COUNTRY], page=page, page_size=2)
        listed = expect(answer, PageProjectSummary, f"projects page {page}")
        total = listed.total
        if not listed.items:
            break
        for project in listed.items:
            assert COUNTRY in {c.country_code for c in project.countries}, project
            ids.append(project.id)
        page += 1
    assert total is not None and len(ids) == total and len(set(ids)) == total, (ids, total)
    step(f"{total} projects in {COUNTRY}, read {page - 1} pages of 2")
    return ids


def framework_with_indicators(reporting: ReportingClient, ids: list[UUID]) -> tuple[UUID, Framework]:
    for project_id in ids:
        answer = frameworks_get_framework.sync(project_id, client=reporting)
        if isinstance(answer, Framework) and any(result.indicators for result in answer.results):
            return project_id, answer
    raise SystemExit(f"integrator: no project in {COUNTRY} has a results framework with indicators")


def project_with_funding(projects: ProjectsClient, project_id: UUID) -> None:
    project = expect(projects_get_project.sync(project_id, client=projects), Project, "project")
    summary = expect(
        funding_funding_summary.sync(client=projects, project=[project_id]), FundingSummary, "funding summary"
    )
    transactions = transactions_list_transactions.sync(project_id, client=projects)
    assert transactions is not None and not isinstance(transactions, Problem), transactions
    rows = sum(row.transactions for row in summary.rows)
    assert rows == summary.total.transactions, summary
    step(f"{project.code}: EUR {summary.total.eur_amount} over {summary.total.transactions} transactions")


def approved_values(reporting: ReportingClient, project_id: UUID, framework: Framework) -> None:
    listed = expect(
        reports_list_reports.sync(project_id, client=reporting, status=ReportStatus.APPROVED),
        PageReportSummary,
        "approved reports",
    )
    values = 0
    for summary in listed.items:
        report = expect(reports_get_report.sync(summary.id, client=reporting), Report, "report")
        assert report.status == ReportStatus.APPROVED
        values += len(report.values)
    indicators = sum(len(result.indicators) for result in framework.results)
    step(f"framework: {len(framework.results)} results, {indicators} indicators; {values} approved values")


def open_semester(projects: ProjectsClient, reporting: ReportingClient, project_id: UUID) -> str:
    """The first semester inside the project's dates (actual, else planned) that has no report yet: reporting-api
    refuses to submit a period outside the project's dates and a period overlapping another report."""
    project = expect(projects_get_project.sync(project_id, client=projects), Project, "project")
    start = project.actual_start or project.planned_start
    end = project.actual_end or project.planned_end
    assert isinstance(start, date) and isinstance(end, date), project
    listed = expect(
        reports_list_reports.sync(project_id, client=reporting, page_size=100), PageReportSummary, "reports"
    )
    taken = {summary.period for summary in listed.items}
    for year in range(start.year, end.year + 1):
        for half, first_month in ((1, 1), (2, 7)):
            code = f"{year}S{half}"
            if code not in taken and date(year, first_month, 1) <= end and date(year, first_month + 5, 28) >= start:
                return code
    raise SystemExit(f"integrator: every semester of {project.code} ({start} to {end}) has a report already")


def report_and_submit(base: str, projects: ProjectsClient, project_id: UUID, framework: Framework) -> None:
    """The reporter's period: a draft, a refused value read as a typed problem, the values, the submission."""
    reporter = ReportingClient(base_url=base, token=password_token(base, "reporter@demo.mcb", "demo-reporter-pass"))
    period = open_semester(projects, reporter, project_id)  # the reporter also sees drafts and submitted reports
    indicator = next(pi.indicator for result in framework.results for pi in result.indicators)
    created = reports_create_report.sync_detailed(project_id, client=reporter, body=ReportCreate(period=period))
    report = expect(created.parsed, Report, f"new report ({created.status_code} {created.content[:300]!r})")
    etag = created.headers["etag"]

    bad = ValuesIn(values=[ValueIn(indicator_code=indicator.code, value="-5")])
    refused = reports_put_values.sync_detailed(report.id, client=reporter, body=bad, if_match=etag)
    problem = expect(refused.parsed, Problem, "a negative count")
    assert refused.status_code == 422 and problem.errors, problem
    step(f"a negative count is a typed problem: {problem.errors[0].field}: {problem.errors[0].message}")

    values = [ValueIn(indicator_code=indicator.code, value="9")]
    if indicator.code == "officials-trained":  # its sex breakdown must add up
        for sex, value in (("f", "4"), ("m", "5")):
            disaggregation = ValueInDisaggregation.from_dict({"sex": sex})
            values.append(ValueIn(indicator_code=indicator.code, disaggregation=disaggregation, value=value))
    saved = reports_put_values.sync_detailed(report.id, client=reporter, body=ValuesIn(values=values), if_match=etag)
    expect(saved.parsed, Report, f"values ({saved.status_code} {saved.content[:300]!r})")
    submitted = reports_submit_report.sync_detailed(report.id, client=reporter, if_match=saved.headers["etag"])
    final = expect(submitted.parsed, Report, f"submission ({submitted.status_code} {submitted.content[:300]!r})")
    assert final.status == ReportStatus.SUBMITTED, final
    step(f"report {final.period} created with {len(final.values)} values and submitted as the reporter")


def csv_export(reporting: ReportingClient, project_id: UUID) -> None:
    answer = exports_export_values.sync_detailed(
        client=reporting, format_=ExportsExportValuesFormat.CSV, project_id=project_id
    )
    assert answer.status_code == 200, answer
    assert answer.headers["content-type"].startswith("text/csv")
    rows: list[dict[str, Any]] = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8"))))
    assert rows and all(row["project_id"] == str(project_id) and row["status"] == "approved" for row in rows), rows
    step(f"CSV export: {len(rows)} approved values of the project")


def main(base: str) -> None:
    client_id, secret = register_api_client(base)
    token = client_credentials_token(base, client_id, secret)
    projects = ProjectsClient(base_url=base, token=token)
    reporting = ReportingClient(base_url=base, token=token)
    ids = projects_in_country(projects)
    project_id, framework = framework_with_indicators(reporting, ids)
    project_with_funding(projects, project_id)
    approved_values(reporting, project_id, framework)
    report_and_submit(base, projects, project_id, framework)
    csv_export(reporting, project_id)
    step("done")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
