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

    environment: Environment = Environment.development
    database_url: SecretStr | None = Field(
        default=None,
        description="postgresql+asyncpg://… ; when unset the embedded PostgreSQL server is used",
    )
    embedded_pg_dir: Path = Field(default=REPO_ROOT / "var" / "pg")
    database_name: str = "registry"
    db_pool_size: int = 10
    db_max_overflow: int = 10
    log_level: str = "INFO"
    log_json: bool = True
    max_body_bytes: int = 1_048_576
    # Identity: the issuer whose tokens the service accepts.
    auth_issuer: str = "http://localhost:8000/api/projects"
    auth_audience: str = "mcb-registry"
    auth_jwks_url: str = "http://localhost:8000/api/projects/v1/auth/jwks"
    auth_grants_claim: str = "grants"
    auth_jwks_cache_seconds: int = 300
    auth_leeway_seconds: int = 30

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.production

    @model_validator(mode="after")
    def _production_needs_explicit_database(self) -> ServiceSettings:
        if self.is_production and self.database_url is None:
            raise ValueError("production needs an explicit DATABASE_URL, not the embedded server")
        return self
