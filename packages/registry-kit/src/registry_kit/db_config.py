"""One description of a database connection, used by every pool: SQLAlchemy's engine, the asyncpg pool of the hot
reads, the readiness probe's pool, migrations, and the commands that create or drop databases.

A service's database URL (`postgresql+asyncpg://user:pass@host:5432/db`) may carry libpq's connection parameters,
the ones operators already know from `psql` and their provider's documentation:

    ?sslmode=verify-full&sslrootcert=/etc/ssl/db-ca.pem&sslcert=/etc/db/client.crt&sslkey=/etc/db/client.key

Neither SQLAlchemy nor asyncpg accepts all of them the same way (asyncpg.connect() has no `sslmode` keyword, so a URL
that reaches it through SQLAlchemy crashes at the first connection), so they never reach a driver as text: they are
parsed here into one model, the TLS context is built once following libpq's rules, and each pool gets the same
connection arguments. Settings (`*_DB_SSLMODE`, `*_DB_SSLROOTCERT`, …) override the URL's parameters.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast, get_args

import asyncpg
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

SslMode = Literal["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]
SSL_MODES: tuple[str, ...] = get_args(SslMode)
DRIVER = "postgresql+asyncpg"

# Query parameters this model takes out of the URL. `ssl` is the spelling asyncpg and SQLAlchemy use for sslmode
# (earlier documentation told operators to write `?ssl=require`); the two cache sizes are SQLAlchemy's and
# asyncpg's own ways of saying "no prepared statements" (PgBouncer in transaction mode), accepted here only as 0.
_MANAGED = {
    "sslmode",
    "ssl",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslpassword",
    "application_name",
    "connect_timeout",
    "prepared_statements",
    "prepared_statement_cache_size",
    "statement_cache_size",
}
# Left in the URL for SQLAlchemy's asyncpg dialect, which turns them into asyncpg.connect() arguments: a Unix socket
# directory or several hosts, and which of several hosts to use.
_PASSED_THROUGH = {"host", "port", "target_session_attrs"}


class DatabaseConfigError(ValueError):
    """The URL or the settings describe a connection that cannot be made as asked."""


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise DatabaseConfigError(f"database URL parameter {name}={value!r} is not a boolean")


@dataclass(frozen=True)
class DatabaseConfig:
    """Where the database is, how to reach it (TLS as libpq does it), and how the pools over it behave."""

    url: URL
    sslmode: SslMode = "prefer"
    sslrootcert: str | None = None
    sslcert: str | None = None
    sslkey: str | None = None
    sslpassword: str | None = field(default=None, repr=False)
    prepared_statements: bool = True
    application_name: str | None = None
    connect_timeout: float = 10.0
    # The pools. The request pool is SQLAlchemy's (size + overflow); the hot reads have their own asyncpg pool.
    pool_size: int = 10
    max_overflow: int = 10
    pool_timeout: float = 10.0
    pool_recycle: int = 1800
    reads_pool_size: int = 10

    # --- building -------------------------------------------------------------------------------------------------

    @classmethod
    def from_url(cls, url: str | URL, **overrides: Any) -> DatabaseConfig:
        """Parse a URL (any `postgresql://` or `postgresql+driver://` form); keyword overrides win over its query."""
        parsed = make_url(url) if isinstance(url, str) else url
        if not parsed.drivername.startswith("postgresql"):
            raise DatabaseConfigError(f"not a PostgreSQL URL: {parsed.drivername}://…")
        query = {k: (v if isinstance(v, str) else v[-1]) for k, v in parsed.query.items()}
        unknown = sorted(set(query) - _MANAGED - _PASSED_THROUGH)
        if unknown:
            raise DatabaseConfigError(
                f"unknown database URL parameter(s) {', '.join(unknown)}; accepted: "
                f"{', '.join(sorted(_MANAGED | _PASSED_THROUGH))}"
            )
        values: dict[str, Any] = {}
        mode = query.get("sslmode") or _ssl_alias(query.get("ssl"))
        if mode:
            values["sslmode"] = mode
            if mode == "verify-full" and "sslmode" not in query and not query.get("sslrootcert"):
                values["sslrootcert"] = "system"  # ssl=true: asyncpg's default context, the system's CAs
        for name in ("sslrootcert", "sslcert", "sslkey", "sslpassword", "application_name"):
            if query.get(name):
                values[name] = query[name]
        if query.get("connect_timeout"):
            values["connect_timeout"] = float(query["connect_timeout"])
        if "prepared_statements" in query:
            values["prepared_statements"] = _flag("prepared_statements", query["prepared_statements"])
        for name in ("prepared_statement_cache_size", "statement_cache_size"):
            if name in query:
                if query[name] != "0":
                    raise DatabaseConfigError(f"{name} may only be 0 (no prepared statements) in a database URL")
                values["prepared_statements"] = False
        values.update({k: v for k, v in overrides.items() if v is not None})
        kept = {k: v for k, v in parsed.query.items() if k in _PASSED_THROUGH}
        address = parsed.set(drivername=DRIVER, query=kept)
        config = cls(url=address, **values)
        config.validate()
        return config

    def validate(self) -> None:
        if self.sslmode not in SSL_MODES:
            raise DatabaseConfigError(f"sslmode must be one of {', '.join(SSL_MODES)}, not {self.sslmode!r}")
        if self.sslkey and not self.sslcert:
            raise DatabaseConfigError("sslkey needs sslcert (the client certificate it belongs to)")
        if self.sslcert and self.sslmode in ("disable", "allow", "prefer"):
            raise DatabaseConfigError("a client certificate (sslcert) needs sslmode=require, verify-ca or verify-full")
        if self.sslmode in ("verify-ca", "verify-full") and not self.sslrootcert:
            raise DatabaseConfigError(
                f"sslmode={self.sslmode} needs sslrootcert: the CA file that signed the server's certificate "
                "(or sslrootcert=system for the system's trusted CAs)"
            )

    def with_database(self, name: str) -> DatabaseConfig:
        return replace(self, url=self.url.set(database=name))

    def with_application_name(self, name: str) -> DatabaseConfig:
        return self if self.application_name else replace(self, application_name=name)

    @property
    def database(self) -> str:
        return self.url.database or ""

    # --- TLS, as libpq does it ------------------------------------------------------------------------------------

    def ssl_argument(self) -> ssl.SSLContext | str | bool:
        """asyncpg's `ssl` argument. `allow` and `prefer` stay advisory (asyncpg falls back to or from plain text,
        as libpq does, and verifies nothing); the other modes get a context built from the given files only."""
        if self.sslmode == "disable":
            return False
        if self.sslmode in ("allow", "prefer"):
            return self.sslmode
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        # libpq: with sslrootcert given, require behaves like verify-ca; sslrootcert=system implies verify-full.
        mode = self.sslmode
        if self.sslrootcert == "system":
            mode = "verify-full"
        elif mode == "require" and self.sslrootcert:
            mode = "verify-ca"
        if mode == "require":
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        else:
            if self.sslrootcert == "system":
                context.load_default_certs(ssl.Purpose.SERVER_AUTH)
            else:
                context.load_verify_locations(cafile=self.sslrootcert)
            context.verify_mode = ssl.CERT_REQUIRED
            context.check_hostname = mode == "verify-full"
        if self.sslcert:
            password = self.sslpassword
            context.load_cert_chain(self.sslcert, keyfile=self.sslkey, password=(lambda: password or ""))
        return context

    # --- what each pool gets --------------------------------------------------------------------------------------

    def connect_args(self) -> dict[str, Any]:
        """asyncpg.connect() arguments besides the address: the same for every pool."""
        args: dict[str, Any] = {"ssl": self.ssl_argument(), "timeout": self.connect_timeout}
        if self.application_name:
            args["server_settings"] = {"application_name": self.application_name}
        if not self.prepared_statements:
            # Behind a pooler in transaction mode (PgBouncer before 1.21), consecutive statements of a client may
            # run on different server connections, where a named prepared statement does not exist. With no
            # statement cache asyncpg uses the unnamed statement and sends Parse again with every Bind.
            args["statement_cache_size"] = 0
        return args

    def engine_connect_args(self) -> dict[str, Any]:
        """`connect_args` for SQLAlchemy: asyncpg's, plus its dialect's own prepared-statement cache switched off
        with them (its statements then get asyncpg's unnamed statement too)."""
        args = self.connect_args()
        if not self.prepared_statements:
            args["prepared_statement_cache_size"] = 0
        return args

    def address(self) -> dict[str, Any]:
        """host, port, user, password and database as asyncpg.connect() takes them (SQLAlchemy's own reading of
        the URL, so both pools reach the same server: Unix sockets and several hosts included)."""
        from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg

        _, opts = PGDialect_asyncpg().create_connect_args(self.url)  # type: ignore[no-untyped-call]
        return cast(dict[str, Any], opts)

    async def connect(self) -> asyncpg.Connection:
        """One plain connection (administration: creating a database, advisory locks, tests)."""
        return await asyncpg.connect(**self.address(), **self.connect_args())

    async def create_pool(self, *, min_size: int, max_size: int, **kwargs: Any) -> asyncpg.Pool:
        options = {**self.address(), **self.connect_args(), **kwargs}
        return await asyncpg.create_pool(min_size=min_size, max_size=max_size, **options)

    def create_engine(self, **kwargs: Any) -> AsyncEngine:
        """SQLAlchemy's engine with this model's pool; `poolclass=NullPool` (migrations) drops the pool options."""
        options: dict[str, Any] = {"pool_pre_ping": True, "connect_args": self.engine_connect_args()}
        if "poolclass" not in kwargs:
            options |= {
                "pool_size": self.pool_size,
                "max_overflow": self.max_overflow,
                "pool_timeout": self.pool_timeout,
                "pool_recycle": self.pool_recycle,
            }
        return create_async_engine(self.url, **(options | kwargs))

    # --- as text --------------------------------------------------------------------------------------------------

    def _libpq_query(self) -> dict[str, str]:
        query: dict[str, str] = {"sslmode": self.sslmode} if self.sslmode != "prefer" else {}
        for name in ("sslrootcert", "sslcert", "sslkey", "sslpassword", "application_name"):
            value = getattr(self, name)
            if value:
                query[name] = str(value)
        return query

    def render(self) -> str:
        """The whole connection (not the pool sizes) as a URL string that `from_url` reads back the same."""
        query: dict[str, str | tuple[str, ...]] = {**self.url.query, **self._libpq_query()}
        if not self.prepared_statements:
            query["prepared_statements"] = "false"
        if self.connect_timeout != DatabaseConfig.connect_timeout:
            query["connect_timeout"] = f"{self.connect_timeout:g}"
        return self.url.set(query=query).render_as_string(hide_password=False)

    def libpq_url(self) -> str:
        """A `postgresql://` URL for libpq programs (psql, pg_dump), TLS parameters included."""
        query: dict[str, str | tuple[str, ...]] = {**self.url.query, **self._libpq_query()}
        return self.url.set(drivername="postgresql", query=query).render_as_string(hide_password=False)

    def pool_budget(self) -> dict[str, int]:
        """The most connections one process opens, by pool (the readiness pool holds one)."""
        return {"requests": self.pool_size + self.max_overflow, "reads": self.reads_pool_size, "readiness": 1}


def _ssl_alias(value: str | None) -> str | None:
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in SSL_MODES:
        return lowered
    if lowered in {"true", "1", "on"}:
        return "verify-full"  # asyncpg's ssl=True: a default context, verified against the system's CAs
    if lowered in {"false", "0", "off"}:
        return "disable"
    raise DatabaseConfigError(f"database URL parameter ssl={value!r}: use sslmode=disable|…|verify-full")
