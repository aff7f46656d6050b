"""reporting-api settings: environment variables prefixed REPORTING_ (a `.env` file is read too)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from registry_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REPORTING_", env_file=".env", extra="ignore")

    database_name: str = "reporting"
    projects_api_url: str = Field(
        default="http://localhost:8000", description="Origin of projects-api (its routes start /api/projects/v1)"
    )
    projects_connect_timeout: float = Field(default=2.0, description="Seconds to connect to projects-api")
    projects_timeout: float = Field(default=5.0, description="Seconds to wait for projects-api's answer")
    projects_retries: int = Field(default=2, description="Retries of idempotent calls to projects-api")
    projects_backoff_seconds: float = Field(default=0.2, description="First retry delay, doubled each retry")
    projects_breaker_threshold: int = Field(default=5, description="Consecutive failures that open the breaker")
    projects_breaker_reset_seconds: float = Field(default=15.0, description="Seconds the breaker stays open")
    access_cache_seconds: float = Field(default=30.0, description="How long a project-access answer is reused")
    projects_client_id: str | None = Field(default=None, description="API client for projects-api's change feed")
    projects_client_secret: SecretStr | None = Field(default=None, description="Its secret")
    sync_interval_seconds: float = Field(
        default=60.0, description="How often the local copy of projects follows the change feed; 0 turns it off"
    )
    max_import_bytes: int = Field(default=200 * 1024 * 1024, description="Largest import file accepted")
    import_job_bytes: int = Field(
        default=1024 * 1024, description="Import files larger than this run as a background job (202)"
    )
    import_poll_seconds: float = Field(
        default=2.0, description="How often each replica's import worker looks for queued jobs; 0 turns the loop off"
    )
    import_heartbeat_seconds: float = Field(default=2.0, description="How often a running import job says it is alive")
    import_stale_seconds: float = Field(
        default=60.0, description="A running import job silent for longer lost its worker and is run again elsewhere"
    )
    import_max_attempts: int = Field(default=3, description="Claims of an import job before it is marked failed")
    bulk_work_mem_mb: int = Field(
        default=256,
        ge=4,
        description="PostgreSQL work_mem (MB) of an import's and a CSV export's statements (sorts, hashes in memory)",
    )
    segregation_of_duties: bool = Field(
        default=True,
        description="Whoever submitted a report may not approve it (another manager must); false allows it",
    )
    max_attachment_bytes: int = Field(default=5 * 1024 * 1024, description="Largest report attachment")
    xlsx_max_uncompressed_bytes: int = Field(
        default=500 * 1024 * 1024, description="An XLSX that unpacks to more is refused (zip bomb)"
    )
    xlsx_max_ratio: int = Field(default=200, description="An XLSX member compressed more than this is refused")
    app_url: str = Field(
        default="http://localhost:8000", description="Where people open the web app (the links in e-mails)"
    )
    smtp_host: str | None = Field(
        default=None, description="SMTP server for e-mail notifications; unset: notifications are in the app only"
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="Its port")
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        default="starttls", description="starttls (port 587), tls (implicit, port 465) or none (a local relay)"
    )
    smtp_username: str | None = Field(default=None, description="SMTP user, when the server wants one")
    smtp_password: SecretStr | None = Field(default=None, description="Its password")
    smtp_from: str = Field(default="MCB Registry <registry@localhost>", description="The From: of notification e-mails")
    smtp_timeout_seconds: float = Field(default=15.0, description="Seconds to wait for the SMTP server")
    notify_poll_seconds: float = Field(
        default=5.0, description="How often notifications are fanned out and e-mails sent; 0 turns the loop off"
    )
    notify_max_attempts: int = Field(
        default=10, ge=1, description="Tries of one e-mail (or of finding whom to notify) before giving up on it"
    )
    notify_backoff_seconds: float = Field(
        default=30.0, description="The first retry of a failed e-mail waits this long, doubled each retry (1 h at most)"
    )
    notify_stale_seconds: float = Field(
        default=300.0, description="An e-mail still 'sending' this long after its claim lost its worker and is retried"
    )
    due_scan_seconds: float = Field(
        default=3600.0, description="How often reports due are looked for (and announced); 0 turns it off"
    )
    due_notify_days: int = Field(
        default=31, ge=0, description="A period that ended longer ago than this is listed as due but not announced"
    )
