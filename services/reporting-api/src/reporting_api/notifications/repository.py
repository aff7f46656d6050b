"""SQL for notifications: events to fan out, each person's notifications and preferences, the e-mail outbox."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.pagination import fetch_page
from reporting_api.notifications.models import EmailOutbox, Notification, NotificationEvent, NotificationPreference


async def add_event(session: AsyncSession, values: dict[str, Any]) -> None:
    """An event in the caller's transaction; one with a dedupe key that was already seen is dropped."""
    await session.execute(insert(NotificationEvent).values(**values).on_conflict_do_nothing())


async def claim_events(session: AsyncSession, limit: int) -> list[NotificationEvent]:
    """Events waiting to be fanned out, locked for this transaction (other replicas skip them)."""
    return list(
        await session.scalars(
            select(NotificationEvent)
            .where(NotificationEvent.processed_at.is_(None), NotificationEvent.next_attempt_at <= func.now())
            .order_by(NotificationEvent.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )


async def preferences(session: AsyncSession, subjects: Iterable[str]) -> dict[tuple[str, str], NotificationPreference]:
    wanted = list(set(subjects))
    if not wanted:
        return {}
    rows = await session.scalars(select(NotificationPreference).where(NotificationPreference.subject.in_(wanted)))
    return {(p.subject, p.kind): p for p in rows}


async def add_notification(session: AsyncSession, event: NotificationEvent, recipient: str) -> None:
    await session.execute(
        insert(Notification)
        .values(event_id=event.id, recipient=recipient, kind=event.kind, data=event.data)
        .on_conflict_do_nothing(index_elements=["event_id", "recipient"])
    )


async def add_email(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(
        insert(EmailOutbox).values(**values).on_conflict_do_nothing(index_elements=["event_id", "recipient"])
    )


async def claim_email(session: AsyncSession, stale_seconds: float) -> EmailOutbox | None:
    """The next e-mail to try (or one whose sender went silent), marked sending, its attempt counted."""
    stale = datetime.now(UTC) - timedelta(seconds=stale_seconds)
    candidate = (
        select(EmailOutbox.id)
        .where(
            or_(
                (EmailOutbox.status == "pending") & (EmailOutbox.next_attempt_at <= func.now()),
                (EmailOutbox.status == "sending") & (EmailOutbox.claimed_at < stale),
            )
        )
        .order_by(EmailOutbox.next_attempt_at)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    return await session.scalar(
        update(EmailOutbox)
        .where(EmailOutbox.id == candidate)
        .values(status="sending", claimed_at=func.now(), attempts=EmailOutbox.attempts + 1)
        .returning(EmailOutbox)
    )


async def email_sent(session: AsyncSession, email_id: uuid.UUID) -> None:
    await session.execute(
        update(EmailOutbox).where(EmailOutbox.id == email_id).values(status="sent", sent_at=func.now(), last_error=None)
    )


async def email_failed(session: AsyncSession, email_id: uuid.UUID, error: str, retry_at: datetime | None) -> None:
    """Back to pending for a later try, or failed for good when `retry_at` is None."""
    await session.execute(
        update(EmailOutbox)
        .where(EmailOutbox.id == email_id)
        .values(
            status="pending" if retry_at else "failed", next_attempt_at=retry_at or func.now(), last_error=error[:2000]
        )
    )


async def page_for(
    session: AsyncSession, recipient: str, unread_only: bool, offset: int, limit: int
) -> tuple[list[Notification], int]:
    conditions = [Notification.recipient == recipient]
    if unread_only:
        conditions.append(Notification.read_at.is_(None))
    return await fetch_page(
        session, Notification, conditions, [Notification.created_at.desc(), Notification.id], offset=offset, limit=limit
    )


async def unread_count(session: AsyncSession, recipient: str) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.recipient == recipient, Notification.read_at.is_(None))
        )
        or 0
    )


async def mark_read(session: AsyncSession, recipient: str, notification_id: uuid.UUID | None) -> int:
    """Mark one (or, without an id, every) unread notification of the recipient read; how many were."""
    conditions = [Notification.recipient == recipient, Notification.read_at.is_(None)]
    if notification_id is not None:
        conditions.append(Notification.id == notification_id)
    result = await session.execute(update(Notification).where(*conditions).values(read_at=func.now()))
    return int(getattr(result, "rowcount", 0) or 0)


async def exists_for(session: AsyncSession, recipient: str, notification_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Notification.id).where(Notification.id == notification_id, Notification.recipient == recipient)
    )
    return found is not None


async def save_preferences(session: AsyncSession, subject: str, items: list[dict[str, Any]]) -> None:
    for item in items:
        await session.execute(
            insert(NotificationPreference)
            .values(subject=subject, **item)
            .on_conflict_do_update(
                index_elements=["subject", "kind"], set_={"in_app": item["in_app"], "email": item["email"]}
            )
        )
