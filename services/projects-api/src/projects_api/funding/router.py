"""Budgets and transactions of a project, exchange rates, and EUR funding totals."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status
from pydantic import TypeAdapter

from projects_api.funding import service, summary_service
from projects_api.funding.rates_csv import parse_rates
from projects_api.funding.schemas import (
    Budget,
    BudgetCreate,
    BudgetUpdate,
    ExchangeRateIn,
    ExchangeRateOut,
    FundingSummary,
    RateImportResult,
    Transaction,
    TransactionCreate,
    TransactionUpdate,
)
from projects_api.funding.summary_query import SummaryQueryDep
from projects_api.projects.dependencies import VisibleProjectId
from projects_api.reference.data import TransactionType
from registry_kit.dependencies import CurrentPrincipal, EditDep, OptionalPrincipal, ReadDep, ReadsDep, SessionDep
from registry_kit.errors import UnsupportedMediaType, parse_json_body, problem_responses
from registry_kit.etag import tagged
from registry_kit.pagination import Page, PageDep

WRITE_ERRORS = problem_responses(400, 401, 403, 404, 413, 422)
UPDATE_ERRORS = problem_responses(400, 401, 403, 404, 412, 422, 428)
DELETE_ERRORS = problem_responses(401, 403, 404, 412, 428)

transactions = APIRouter(prefix="/projects/{project_id}/transactions", tags=["transactions"])
budgets = APIRouter(prefix="/projects/{project_id}/budgets", tags=["budgets"])
funding = APIRouter(prefix="/funding", tags=["funding"])
rates = APIRouter(prefix="/exchange-rates", tags=["exchange-rates"])


@transactions.get("", response_model=Page[Transaction], responses=problem_responses(404, 422))
async def list_transactions(
    project_id: uuid.UUID, read: ReadDep, page: PageDep, transaction_type: TransactionType | None = None
) -> Page[Transaction]:
    """The project's transactions in date order, each in its own currency and in EUR."""
    return await service.transactions_page(read.session, read.principal, project_id, transaction_type, page)


@transactions.get("/{transaction_id}", response_model=Transaction, responses=problem_responses(404))
async def get_transaction(project_id: VisibleProjectId, transaction_id: uuid.UUID, read: ReadDep) -> Transaction:
    """One transaction."""
    tx = await service.get_transaction_or_404(read.session, project_id, transaction_id)
    return service.present_transaction(read.tagged(tx))


@transactions.post("", response_model=Transaction, status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS)
async def create_transaction(
    project_id: uuid.UUID,
    data: TransactionCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
) -> Transaction:
    """Record a transaction; its EUR value is derived at the value date and stored with the rate used."""
    tx_id = await service.create_transaction(session, principal, project_id, data)
    response.headers["Location"] = f"/api/projects/v1/projects/{project_id}/transactions/{tx_id}"
    return service.present_transaction(
        tagged(response, await service.get_transaction_or_404(session, project_id, tx_id))
    )


@transactions.patch("/{transaction_id}", response_model=Transaction, responses=UPDATE_ERRORS)
async def update_transaction(
    project_id: uuid.UUID, transaction_id: uuid.UUID, data: TransactionUpdate, edit: EditDep
) -> Transaction:
    """Change a transaction (EUR re-derived when amount, currency or value date change). Needs If-Match."""
    await service.update_transaction(edit.session, edit.principal, project_id, transaction_id, data, edit.if_match)
    tx = await service.get_transaction_or_404(edit.session, project_id, transaction_id)
    return service.present_transaction(edit.tagged(tx))


@transactions.delete("/{transaction_id}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_ERRORS)
async def delete_transaction(project_id: uuid.UUID, transaction_id: uuid.UUID, edit: EditDep) -> Response:
    """Delete a transaction. Needs If-Match."""
    await service.delete_transaction(edit.session, edit.principal, project_id, transaction_id, edit.if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@budgets.get("", response_model=Page[Budget], responses=problem_responses(404, 422))
async def list_budgets(project_id: uuid.UUID, read: ReadDep, page: PageDep) -> Page[Budget]:
    """The project's budgets by period."""
    return await service.budgets_page(read.session, read.principal, project_id, page)


@budgets.get("/{budget_id}", response_model=Budget, responses=problem_responses(404))
async def get_budget(project_id: VisibleProjectId, budget_id: uuid.UUID, read: ReadDep) -> Budget:
    """One budget."""
    return service.present_budget(read.tagged(await service.get_budget_or_404(read.session, project_id, budget_id)))


@budgets.post("", response_model=Budget, status_code=status.HTTP_201_CREATED, responses=WRITE_ERRORS)
async def create_budget(
    project_id: uuid.UUID,
    data: BudgetCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    response: Response,
) -> Budget:
    """Add a budget for a period."""
    budget_id = await service.create_budget(session, principal, project_id, data)
    response.headers["Location"] = f"/api/projects/v1/projects/{project_id}/budgets/{budget_id}"
    return service.present_budget(tagged(response, await service.get_budget_or_404(session, project_id, budget_id)))


@budgets.patch("/{budget_id}", response_model=Budget, responses=UPDATE_ERRORS)
async def update_budget(project_id: uuid.UUID, budget_id: uuid.UUID, data: BudgetUpdate, edit: EditDep) -> Budget:
    """Change a budget. Needs If-Match."""
    await service.update_budget(edit.session, edit.principal, project_id, budget_id, data, edit.if_match)
    return service.present_budget(edit.tagged(await service.get_budget_or_404(edit.session, project_id, budget_id)))


@budgets.delete("/{budget_id}", status_code=status.HTTP_204_NO_CONTENT, responses=DELETE_ERRORS)
async def delete_budget(project_id: uuid.UUID, budget_id: uuid.UUID, edit: EditDep) -> Response:
    """Delete a budget. Needs If-Match."""
    await service.delete_budget(edit.session, edit.principal, project_id, budget_id, edit.if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@funding.get(
    "/summary",
    response_model=FundingSummary,
    responses={304: {"description": "Not modified since the ETag sent in If-None-Match"}, **problem_responses(422)},
)
async def funding_summary(
    request: Request,
    session: SessionDep,
    reads: ReadsDep,
    principal: OptionalPrincipal,
    query: SummaryQueryDep,
    if_none_match: Annotated[str | None, Header(description="An ETag of an earlier answer")] = None,
) -> Response:
    """EUR totals of the transactions the caller may see, grouped as asked; unconverted amounts counted apart.
    Answers by funder, country, region, year and transaction type for everyone or the public come from the funding
    cube, carry an ETag and are kept until the data changes."""
    cache = request.app.state.summary_cache
    answer = await summary_service.summary(session, reads, cache, principal, query, if_none_match)
    headers = {"ETag": answer.etag} if answer.etag else None
    if answer.body is None:
        return Response(status_code=304, headers=headers)
    return Response(answer.body, media_type="application/json", headers=headers)


@rates.get("", response_model=Page[ExchangeRateOut], responses=problem_responses(422))
async def list_exchange_rates(
    session: SessionDep, page: PageDep, currency: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None
) -> Page[ExchangeRateOut]:
    """Rates entered by admins for currencies the ECB does not publish."""
    return await service.rates_page(session, currency, page)


_RATES_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "array", "items": ExchangeRateIn.model_json_schema()},
                "example": [{"currency": "GEL", "rate_date": "2009-06-30", "units_per_eur": "2.3154", "source": "NBG"}],
            },
            "text/csv": {
                "schema": {"type": "string"},
                "example": "currency,rate_date,units_per_eur,source\nGEL,2009-06-30,2.3154,National Bank of Georgia\n",
            },
        },
    }
}


@rates.post(
    "",
    response_model=RateImportResult,
    responses=problem_responses(400, 401, 403, 413, 415, 422),
    openapi_extra=_RATES_BODY,
)
async def save_exchange_rates(request: Request, session: SessionDep, principal: CurrentPrincipal) -> RateImportResult:
    """Save rates (admins) as a JSON list or a CSV file; amounts they cover get their EUR value, audited."""
    principal.require_admin()
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    body = await request.body()
    if content_type == "text/csv":
        parsed = parse_rates(body)
    elif content_type == "application/json":
        parsed = parse_json_body(TypeAdapter(list[ExchangeRateIn]), body)
    else:
        raise UnsupportedMediaType("Send application/json (a list of rates) or text/csv.")
    converted = await service.save_rates(session, principal, parsed)
    return RateImportResult(rates_saved=len(parsed), amounts_converted=converted)
