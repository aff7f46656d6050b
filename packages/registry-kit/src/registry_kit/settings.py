"""The settings every service shares; each service subclasses with its own env prefix."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from registry_kit.db_config import DatabaseConfig, SslMode

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
        description=(
            "postgresql+asyncpg://user:pass@host:5432/db, optionally with libpq's ?sslmode=…&sslrootcert=…&sslcert=…"
            "&sslkey=…; when unset the embedded PostgreSQL server is used"
        ),
    )
    # TLS to the database, as libpq names it; each overrides the URL's parameter of the same name.
    db_sslmode: SslMode | None = Field(
        default=None, description="disable, allow, prefer (the default), require, verify-ca or verify-full"
    )
    db_sslrootcert: str | None = Field(
        default=None, description="CA file that signed the server's certificate (`system`: the system's CAs)"
    )
    db_sslcert: str | None = Field(default=None, description="Client certificate file (certificate authentication)")
    db_sslkey: str | None = Field(default=None, description="Its private key file")
    db_sslpassword: SecretStr | None = Field(default=None, description="Passphrase of that key, if it has one")
    db_prepared_statements: bool | None = Field(
        default=None,
        description="false behind PgBouncer in transaction mode before 1.21 (no prepared statements); default true",
    )
    embedded_pg_dir: Path = Field(default=REPO_ROOT / "var" / "pg", description="Data folder of the embedded server")
    database_name: str = Field(default="registry", description="Database on the embedded server")
    db_pool_size: int = Field(
        default=10, description="Connections kept open per process (and the most in each service's pool of hot reads)"
    )
    db_max_overflow: int = Field(default=10, description="Extra connections allowed under load")
    db_reads_pool_size: int | None = Field(
        default=None,
        description="Connections of the hot reads' pool (projects-api, reporting-api); default DB_POOL_SIZE",
    )
    db_pool_timeout_seconds: float = Field(default=10.0, description="How long a request waits for a free connection")
    db_pool_recycle_seconds: int = Field(
        default=1800, description="Connections older than this are replaced (proxies and firewalls cut idle ones)"
    )
    db_connect_timeout_seconds: float | None = Field(
        default=None, description="Seconds to open a database connection (default 10, or the URL's connect_timeout)"
    )
    db_ready_timeout_seconds: float = Field(
        default=2.0, description="/readyz answers 503 when its own connection does not answer within this"
    )
    log_level: str = Field(default="INFO", description="DEBUG, INFO, WARNING or ERROR")
    log_json: bool | None = Field(
        default=None,
        description="One JSON object per log line (true) or plain text (false); unset: plain text on a terminal, "
        "JSON otherwise",
    )
    max_body_bytes: int = Field(default=1_048_576, description="Largest request body accepted (413 above)")
    # Migrations (python -m <service> migrate): one run at a time, under an advisory lock.
    migration_wait_seconds: float = Field(
        default=600.0, description="How long a migration run waits for another run of the same service to finish"
    )
    migration_lock_timeout_seconds: float = Field(
        default=5.0, description="How long a migration statement waits for a table lock before the run is retried"
    )
    # Serving (python -m <service> serve).
    keep_alive_seconds: int = Field(
        default=75,
        description="Idle keep-alive of client connections; longer than every proxy's in front (nginx, LBs: 60 s)",
    )
    shutdown_drain_seconds: float = Field(
        default=15.0,
        description="After SIGTERM: keep serving, /readyz 503 and Connection: close, this long before shutting down",
    )
    graceful_shutdown_seconds: int = Field(
        default=20, description="Then: the longest wait for requests in flight before they are cancelled"
    )
    trusted_proxies: str = Field(
        default="127.0.0.1,::1",
        description="Addresses or networks (CIDR) whose X-Forwarded-For/-Proto are believed: the gateway's, comma-separated",
    )
    otlp_endpoint: str | None = Field(
        default=None,
        description="OTLP/HTTP collector base URL (http://collector:4318); set, traces are exported there; unset, off",
    )
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
    auth_revocations_url: str | None = Field(
        default=None,
        description="The issuer's list of revoked subjects; unset: beside the JWKS of the built-in issuer "
        "(…/auth/jwks → …/auth/revocations); empty: no revocation check (an external OIDC issuer)",
    )
    auth_revocation_cache_seconds: float = Field(
        default=10.0, description="How long the list of revoked subjects is reused: the longest a revocation waits"
    )

    @property
    def revocations_url(self) -> str | None:
        """Where revoked subjects are published, if anywhere (see `auth_revocations_url`)."""
        if self.auth_revocations_url is not None:
            return self.auth_revocations_url or None
        if self.auth_jwks_url.endswith("/auth/jwks"):
            return self.auth_jwks_url.removesuffix("/jwks") + "/revocations"
        return None

    @property
    def token_url(self) -> str:
        return self.auth_token_url or f"{self.auth_issuer.rstrip('/')}/v1/auth/token"

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.production

    def database_overrides(self) -> dict[str, object]:
        """The settings that override the database URL's own parameters (unset ones leave the URL's)."""
        values: dict[str, object] = {
            "sslmode": self.db_sslmode,
            "sslrootcert": self.db_sslrootcert,
            "sslcert": self.db_sslcert,
            "sslkey": self.db_sslkey,
            "sslpassword": self.db_sslpassword.get_secret_value() if self.db_sslpassword else None,
            "prepared_statements": self.db_prepared_statements,
            "connect_timeout": self.db_connect_timeout_seconds,
        }
        return {k: v for k, v in values.items() if v is not None}

    def pool_options(self) -> dict[str, object]:
        return {
            "pool_size": self.db_pool_size,
            "max_overflow": self.db_max_overflow,
            "pool_timeout": self.db_pool_timeout_seconds,
            "pool_recycle": self.db_pool_recycle_seconds,
            "reads_pool_size": self.db_reads_pool_size or self.db_pool_size,
        }

    @model_validator(mode="after")
    def _production_needs_explicit_database(self) -> ServiceSettings:
        if self.is_production and self.database_url is None:
            raise ValueError("production needs an explicit DATABASE_URL, not the embedded server")
        if self.database_url is not None:
            # A URL or TLS setting that cannot work fails here, naming the parameter, not at the first connection.
            DatabaseConfig.from_url(self.database_url.get_secret_value(), **self.database_overrides())
        return self
