"""The database-settings model: libpq's parameters read from the URL or the settings, refused when they cannot
work, and the same connection arguments for every pool. (That the connections really work over TLS and through
PgBouncer is deploy/tests/test_database_tls.py's, against real servers.)"""

from __future__ import annotations

import ssl

import pytest
from pydantic import SecretStr, ValidationError

from registry_kit.database import database_config, resolve_database_url
from registry_kit.db_config import DatabaseConfig, DatabaseConfigError
from registry_kit.settings import Environment, ServiceSettings

BASE = "postgresql+asyncpg://app:secret@db.example.org:5432/projects"


def test_the_documented_managed_database_url_is_understood() -> None:
    """`?ssl=require` (the form the operations guide used to give) no longer reaches asyncpg.connect() as text."""
    config = DatabaseConfig.from_url(f"{BASE}?ssl=require")
    assert config.sslmode == "require"
    assert "ssl" not in config.url.query
    context = config.connect_args()["ssl"]
    assert isinstance(context, ssl.SSLContext) and context.verify_mode == ssl.CERT_NONE


def test_libpq_parameters_and_their_rules(tmp_path: pytest.TempPathFactory) -> None:
    config = DatabaseConfig.from_url(f"{BASE}?sslmode=require&sslrootcert=system")
    context = config.ssl_argument()
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname  # rootcert=system: verify-full
    with pytest.raises(DatabaseConfigError, match="sslrootcert"):
        DatabaseConfig.from_url(f"{BASE}?sslmode=verify-full")
    with pytest.raises(DatabaseConfigError, match="needs sslmode=require"):
        DatabaseConfig.from_url(f"{BASE}?sslcert=/c.crt&sslkey=/c.key")
    with pytest.raises(DatabaseConfigError, match="sslmode must be one of"):
        DatabaseConfig.from_url(f"{BASE}?sslmode=always")
    assert DatabaseConfig.from_url(f"{BASE}?sslmode=prefer").ssl_argument() == "prefer"
    assert DatabaseConfig.from_url(f"{BASE}?sslmode=disable").ssl_argument() is False


def test_unknown_parameters_are_refused_by_name() -> None:
    with pytest.raises(DatabaseConfigError, match="pool_mode"):
        DatabaseConfig.from_url(f"{BASE}?pool_mode=transaction")


def test_no_prepared_statements_for_both_pools_from_either_spelling() -> None:
    for query in ("prepared_statements=false", "prepared_statement_cache_size=0", "statement_cache_size=0"):
        config = DatabaseConfig.from_url(f"{BASE}?{query}")
        assert config.prepared_statements is False
        assert config.connect_args()["statement_cache_size"] == 0  # asyncpg, both pools
        assert config.engine_connect_args()["prepared_statement_cache_size"] == 0  # SQLAlchemy's dialect
    assert "statement_cache_size" not in DatabaseConfig.from_url(BASE).connect_args()


def test_settings_override_the_url_and_render_round_trips() -> None:
    settings = ServiceSettings(
        environment=Environment.production,
        database_url=SecretStr(f"{BASE}?sslmode=require&application_name=x"),
        db_sslmode="verify-full",
        db_sslrootcert="/etc/ssl/db-ca.pem",
        db_prepared_statements=False,
        db_pool_size=3,
        db_max_overflow=2,
        db_reads_pool_size=4,
    )
    url = resolve_database_url(settings)
    config = database_config(url, settings)
    assert (config.sslmode, config.sslrootcert, config.prepared_statements) == (
        "verify-full",
        "/etc/ssl/db-ca.pem",
        False,
    )
    assert config.application_name == "x"
    assert config.pool_budget() == {"requests": 5, "reads": 4, "readiness": 1}
    assert DatabaseConfig.from_url(config.render()).render() == config.render()
    assert config.libpq_url().startswith("postgresql://app:secret@db.example.org:5432/projects?")
    assert "sslmode=verify-full" in config.libpq_url()


def test_a_bad_database_url_stops_the_settings_with_its_reason() -> None:
    with pytest.raises(ValidationError, match="sslrootcert"):
        ServiceSettings(environment=Environment.production, database_url=SecretStr(f"{BASE}?sslmode=verify-ca"))


def test_both_pools_reach_the_same_address() -> None:
    socket_url = "postgresql+asyncpg://postgres:@/registry?host=/run/pg"
    address = DatabaseConfig.from_url(socket_url).address()
    assert address["host"] == "/run/pg" and address["database"] == "registry"
