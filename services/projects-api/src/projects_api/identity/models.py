"""People, API clients, their role grants and refresh tokens."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from projects_api.database import Base, Timestamped


class User(Timestamped, Base):
    __tablename__ = "user_account"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # The language the person reads the app in (en, ru, cs): e-mails to them are written in it. None: English.
    language: Mapped[str | None] = mapped_column(String(5))
    version: Mapped[int] = mapped_column(default=1)
    grants: Mapped[list[RoleGrant]] = relationship(
        lazy="raise", cascade="all, delete-orphan", foreign_keys="RoleGrant.user_id"
    )

    __mapper_args__ = {"version_id_col": version, "eager_defaults": True}
    __table_args__ = (Index("uq_user_account_email_lower", func.lower(email), unique=True),)


class ApiClient(Timestamped, Base):
    """A third-party system that calls the API with the client-credentials grant."""

    __tablename__ = "api_client"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    client_id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(Text)
    secret_hash: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # A service of the registry (reporting-api) that may get a user's token to act for them (token exchange).
    acts_for_users: Mapped[bool] = mapped_column(default=False, server_default=false())
    grants: Mapped[list[RoleGrant]] = relationship(
        lazy="raise", cascade="all, delete-orphan", foreign_keys="RoleGrant.api_client_id"
    )


class RoleGrant(Base):
    """A role for a user or client, everywhere or scoped to one organisation (and children) or country."""

    __tablename__ = "role_grant"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    api_client_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("api_client.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    country_code: Mapped[str | None] = mapped_column(String(2))

    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (api_client_id IS NULL)", "one_holder"),
        CheckConstraint("organisation_id IS NULL OR country_code IS NULL", "one_scope"),
        CheckConstraint("role <> 'admin' OR (organisation_id IS NULL AND country_code IS NULL)", "admin_global"),
    )


class RefreshToken(Base):
    __tablename__ = "refresh_token"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LoginThrottle(Base):
    """Failed sign-ins per account, per client address and per API client, shared by every replica: after too many,
    the key is locked for a time that doubles with each further failure (identity/throttle.py). Keys are hashes, so
    nothing a caller typed is kept."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int]
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TokenRevocation(Base):
    """Every access token of `subject` issued up to `revoked_at` is refused (identity/revocation.py): written when a
    user is disabled or deleted, their grants or password change, or an API client is removed."""

    __tablename__ = "token_revocation"

    subject: Mapped[str] = mapped_column(String(200), primary_key=True)
    revoked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
