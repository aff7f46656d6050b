"""/notifications: the caller's own notifications (the bell), marking them read, and what they choose to receive."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from registry_kit.dependencies import CurrentPrincipal, SessionDep
from registry_kit.errors import problem_responses
from registry_kit.pagination import Page, PageDep
from reporting_api.notifications import service
from reporting_api.notifications.schemas import NotificationOut, Preferences, PreferencesIn, UnreadCount

router = APIRouter(prefix="/notifications", tags=["notifications"])


@router.get("", response_model=Page[NotificationOut], responses=problem_responses(401, 422))
async def list_notifications(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    unread: Annotated[bool, Query(description="Only those not read yet")] = False,
) -> Page[NotificationOut]:
    """The caller's notifications, newest first."""
    return await service.page_for(session, principal.subject, unread, page)


@router.get("/unread-count", response_model=UnreadCount, responses=problem_responses(401))
async def unread_count(session: SessionDep, principal: CurrentPrincipal, response: Response) -> UnreadCount:
    """How many of the caller's notifications are unread (the bell's number)."""
    response.headers["Cache-Control"] = "no-store"
    return await service.unread_count(session, principal.subject)


@router.post("/read-all", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401))
async def read_all(session: SessionDep, principal: CurrentPrincipal) -> Response:
    """Mark every notification of the caller read."""
    await service.mark_read(session, principal.subject, None)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{notification_id}/read", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401, 404, 422)
)
async def read_one(notification_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal) -> Response:
    """Mark one of the caller's notifications read (someone else's is not found)."""
    await service.mark_read(session, principal.subject, notification_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _email_available(request: Request) -> bool:
    return bool(request.app.state.settings.smtp_host)


@router.get("/preferences", response_model=Preferences, responses=problem_responses(401))
async def get_preferences(request: Request, session: SessionDep, principal: CurrentPrincipal) -> Preferences:
    """What the caller receives, per kind of notification, in the app and by e-mail."""
    return await service.preferences(session, principal.subject, _email_available(request))


@router.put("/preferences", response_model=Preferences, responses=problem_responses(401, 422))
async def put_preferences(
    data: PreferencesIn, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> Preferences:
    """Choose what to receive; kinds left out keep their setting."""
    return await service.save_preferences(session, principal.subject, data, _email_available(request))
