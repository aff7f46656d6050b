"""The settings every service shares; each service subclasses with its own env prefix."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The repository root (…/packages/registry-kit/src/registry_kit/settings.py → four levels up).
REPO_ROOT = Path(__file__).resolve().parents[4]


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class ServiceSettings(BaseSettings):
    """Base settings. Subclasses set `model_config` with their own `env_prefix`."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Environment = Field(
        default=Environment.development, description="development, test or production (production refuses dev secrets)"
    )
    database_url: SecretStr | None = Field(
        default=None,
        description="postgresql+asyncpg://… ; when unset the embedded PostgreSQL server is used",
    )
    embedded_pg_dir: Path = Field(default=REPO_ROOT / "var" / "pg", description="Data folder of the embedded server")
    database_name: str = Field(default="registry", description="Database on the embedded server")
    db_pool_size: int = Field(
        default=10, description="Connections kept open per process (and the most in each service's pool of hot reads)"
    )
    db_max_overflow: int = Field(default=10, description="Extra connections allowed under load")
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR")
    log_json: bool | None = Field(
        default=None,
        description="One JSON object per log line (true) or plain text (false); unset: plain text on a terminal, "
        "JSON otherwise",
    )
    max_body_bytes: int = Field(default=1_048_576, description="Largest request body accepted (413 above)")
    # Identity: the issuer whose tokens the service accepts.
    auth_issuer: str = Field(default="http://localhost:8000/api/projects", description="`iss` the tokens must carry")
    auth_audience: str = Field(default="mcb-registry", description="`aud` the tokens must carry")
    auth_jwks_url: str = Field(
        default="http://localhost:8000/api/projects/v1/auth/jwks", description="Where the issuer publishes its keys"
    )
    auth_grants_claim: str = Field(default="grants", description="Claim holding the role grants (for external OIDC)")
    auth_jwks_cache_seconds: int = Field(default=300, description="How long fetched keys are trusted")
    auth_leeway_seconds: int = Field(default=30, description="Clock skew tolerated on exp/nbf")
    auth_token_url: str | None = Field(
        default=None,
        description="Token endpoint the OpenAPI document names (unset: the built-in issuer's, `<issuer>/v1/auth/token`)",
    )

    @property
    def token_url(self) -> str:
        return self.auth_token_url or f"{self.auth_issuer.rstrip('/')}/v1/auth/token"

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.production

    @model_validator(mode="after")
    def _production_needs_explicit_database(self) -> ServiceSettings:
        if self.is_production and self.database_url is None:
            raise ValueError("production needs an explicit DATABASE_URL, not the embedded server")
        return self
