"""Notifications: what happened (events, written in the same transaction as the change), who was told in the app,
what each person wants to receive, and the e-mails to send (an outbox: a failed send is retried, never lost).

An event is fanned out once (its `processed_at`): whom it concerns comes from projects-api (people reached by a role
on the project, or named people), one `notification` per person and, where they want e-mail and an SMTP server is
configured, one `email_outbox` row rendered in their language. Both are unique per (event, recipient), so a fan-out
that runs twice (a crash between its writes and its commit) adds nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from reporting_api.database import Base

# report_submitted, report_returned, report_approved, report_due, import_finished
KINDS = ("report_submitted", "report_returned", "report_approved", "report_due", "import_finished")


class NotificationEvent(Base):
    __tablename__ = "notification_event"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    # Events that must happen once (a period falling due) carry a key; a second one with the same key is dropped.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    project_id: Mapped[uuid.UUID | None]
    actor: Mapped[str | None] = mapped_column(String(200))
    # {"role": "manager"} (on project_id) or {"subjects": ["user:…"]}
    audience: Mapped[dict[str, Any]] = mapped_column(JSONB)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_notification_event_pending", "next_attempt_at", postgresql_where=text("processed_at IS NULL")),
    )


class Notification(Base):
    """One person's in-app notification."""

    __tablename__ = "notification"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    event_id: Mapped[int] = mapped_column(ForeignKey("notification_event.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("event_id", "recipient"),
        Index("ix_notification_recipient_created", "recipient", "created_at"),
        Index("ix_notification_unread", "recipient", postgresql_where=text("read_at IS NULL")),
    )


class NotificationPreference(Base):
    """What one person wants to hear about, and how (no row: in the app and by e-mail)."""

    __tablename__ = "notification_preference"

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    in_app: Mapped[bool] = mapped_column(default=True)
    email: Mapped[bool] = mapped_column(default=True)


class EmailOutbox(Base):
    """An e-mail to send: pending → sending (claimed by a worker) → sent, or back to pending with a later attempt
    after a failure, or failed after the last attempt."""

    __tablename__ = "email_outbox"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    event_id: Mapped[int] = mapped_column(ForeignKey("notification_event.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(200))
    to_address: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    # The same Message-ID on every try: a receiving server or client can drop a repeat (see worker.py).
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        UniqueConstraint("event_id", "recipient"),
        Index("ix_email_outbox_status_next", "status", "next_attempt_at"),
    )
