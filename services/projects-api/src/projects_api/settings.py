"""projects-api settings: environment variables prefixed PROJECTS_ (a `.env` file is read too)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from registry_kit.settings import REPO_ROOT, ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PROJECTS_", env_file=".env", extra="ignore")

    database_name: str = Field(default="projects", description="Database on the embedded server")
    public_url: str = Field(default="http://localhost:8000", description="Origin this service is reached at")
    jwt_private_key: SecretStr | None = Field(
        default=None, description="PEM of the EC P-256 signing key; generated under var/ in development"
    )
    dev_key_path: Path = Field(
        default=REPO_ROOT / "var" / "dev-jwt-key.pem", description="Where the development signing key is kept"
    )
    access_token_minutes: int = Field(default=15, description="Lifetime of access tokens")
    refresh_token_days: int = Field(default=14, description="Lifetime of refresh tokens (each is used once)")
    refresh_reuse_seconds: int = Field(
        default=10,
        description="A used refresh token still works this long (a reload cut mid-refresh); later reuse signs out",
    )
    reporting_api_url: str = Field(
        default="http://localhost:8000",
        description="Origin of reporting-api (results for IATI; routes /api/reporting/v1)",
    )
    reporting_connect_timeout: float = Field(default=2.0, description="Seconds to connect to reporting-api")
    reporting_timeout: float = Field(default=30.0, description="Seconds to wait for reporting-api's answer")
    reporting_retries: int = Field(default=2, description="Retries of idempotent calls to reporting-api")
    iati_max_import_bytes: int = Field(default=50 * 1024 * 1024, description="Largest IATI file an import accepts")
    iati_import_job_bytes: int = Field(
        default=1024 * 1024, description="IATI files larger than this are imported by a background job (202)"
    )
    iati_import_poll_seconds: float = Field(
        default=2.0, description="How often the IATI import worker looks for queued jobs; 0 turns the loop off"
    )
    iati_export_batch: int = Field(default=100, ge=1, le=500, description="Activities read and sent per batch")
    login_max_failures_per_account: int = Field(
        default=5, ge=1, description="Failed sign-ins of one account (or API client) before it is locked for a while"
    )
    login_max_failures_per_address: int = Field(
        default=20, ge=1, description="Failed sign-ins from one client address before it is locked for a while"
    )
    login_lockout_base_seconds: float = Field(
        default=2.0, gt=0, description="The first lock; each further failure doubles it (exponential back-off)"
    )
    login_lockout_max_seconds: float = Field(default=900.0, gt=0, description="The longest lock")
    login_failure_window_seconds: float = Field(
        default=3600.0, gt=0, description="Failures are forgotten after this long without another one"
    )
    use_builtin_issuer: bool = Field(
        default=True, description="Issue tokens here; false when an external OIDC issuer is configured"
    )
    notification_clients: str = Field(
        default="",
        description="Comma-separated client ids of the API clients that may read whom to notify, with their e-mail "
        "addresses (reporting-api's); admins may too",
    )

    @property
    def notification_client_ids(self) -> frozenset[str]:
        return frozenset(part.strip() for part in self.notification_clients.split(",") if part.strip())

    # `python -m projects_api bootstrap` (a first install; idempotent).
    bootstrap_admin_email: str | None = Field(
        default=None, description="The first admin's email; bootstrap creates the account when no user has it"
    )
    bootstrap_admin_name: str = Field(default="Administrator", description="Its display name")
    bootstrap_admin_password: SecretStr | None = Field(
        default=None, description="Its first password (12+ characters), or give it on bootstrap's standard input"
    )
    feed_client_id: str = Field(
        default="reporting-api", description="reporting-api's API client (its REPORTING_PROJECTS_CLIENT_ID)"
    )
    feed_client_secret: SecretStr | None = Field(
        default=None, description="Its secret, 24+ characters (the same value as REPORTING_PROJECTS_CLIENT_SECRET)"
    )

    @model_validator(mode="after")
    def _production_needs_real_key(self) -> Settings:
        if self.is_production and self.use_builtin_issuer:
            key = self.jwt_private_key.get_secret_value() if self.jwt_private_key else ""
            if not key or "DEVELOPMENT KEY" in key:
                raise ValueError(
                    "production refuses to start without PROJECTS_JWT_PRIVATE_KEY or with a development key"
                )
        return self
