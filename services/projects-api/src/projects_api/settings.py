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
    iati_export_batch: int = Field(default=200, ge=1, le=500, description="Activities read and sent per batch")
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

    @model_validator(mode="after")
    def _production_needs_real_key(self) -> Settings:
        if self.is_production and self.use_builtin_issuer:
            key = self.jwt_private_key.get_secret_value() if self.jwt_private_key else ""
            if not key or "DEVELOPMENT KEY" in key:
                raise ValueError(
                    "production refuses to start without PROJECTS_JWT_PRIVATE_KEY or with a development key"
                )
        return self
