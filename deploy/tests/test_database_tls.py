"""Both services against the database a managed provider gives: a PostgreSQL that accepts TLS connections only (a
client certificate and a password), and PgBouncer in transaction mode in front of it. Each service is installed
from nothing as an operator would (migrate, bootstrap, demo data, serve, in production mode) and then used
through its API: reads on both pools, writes, the change feed, a burst of concurrent requests. The test makes its
certificate authority; Debian's postgresql-15 and pgbouncer are the servers.

Not here: bulk imports, whose SQL needs PostgreSQL 16 (pg_input_is_valid) and Debian 12 ships 15 with TLS (the
embedded 16 is built without it); the import queue is exercised on 16 by the cluster test (deploy/cluster).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from dbservers import Certificates, PgBouncer, TlsPostgres, make_certificates, missing_programs
from registry_kit.db_config import DatabaseConfig
from support import ServiceProcess

PASSWORDS = {"projects": "projects-pw-1", "reporting": "reporting-pw-2"}
ADMIN = ("operator@registry.example", "the operator's passphrase")
FEED_SECRET = "feed-client-secret-" + "z" * 24
DEMO_PROJECT = "XM-DAC-47066-MD-LMR"  # has a results framework in reporting-api's demo data


@dataclass
class Servers:
    certificates: Certificates
    postgres: TlsPostgres
    bouncer: PgBouncer
    workdir: Path


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    missing = missing_programs()
    assert not missing, f"{missing} missing: `make test-deploy` installs postgresql-15 and pgbouncer from Debian"
    workdir = Path(tempfile.mkdtemp(prefix="mcb-tls-"))
    workdir.chmod(0o755)
    certificates = make_certificates(workdir / "certs")
    postgres = TlsPostgres(workdir / "pg", certificates)
    bouncer = PgBouncer(workdir / "bouncer", certificates, postgres, users=PASSWORDS, pool_size=3)
    try:
        postgres.init()
        postgres.start()
        for role, password in PASSWORDS.items():
            postgres.create_service_database(role, password, f"{role}_direct")
            postgres.create_service_database(role, None, f"{role}_pooled")
        bouncer.start()
        yield Servers(certificates, postgres, bouncer, workdir)
    finally:
        bouncer.stop()
        postgres.stop()


def _key_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _services(
    urls: dict[str, str], tls_settings: dict[str, str], workdir: Path
) -> tuple[ServiceProcess, ServiceProcess]:
    """Both services in production mode on the given database URLs; settings as an operator writes them."""
    workdir.mkdir(parents=True, exist_ok=True)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PROJECTS_", "REPORTING_"))}
    projects = ServiceProcess("projects_api", {}, workdir)
    reporting = ServiceProcess("reporting_api", {}, workdir)
    projects.env = {
        **clean,
        **{k: v for k, v in tls_settings.items() if k.startswith("PROJECTS_")},
        "PROJECTS_ENVIRONMENT": "production",
        "PROJECTS_DATABASE_URL": urls["projects"],
        "PROJECTS_JWT_PRIVATE_KEY": _key_pem(),
        "PROJECTS_AUTH_ISSUER": "https://registry.test/api/projects",
        "PROJECTS_PUBLIC_URL": "https://registry.test",
        "PROJECTS_BOOTSTRAP_ADMIN_EMAIL": ADMIN[0],
        "PROJECTS_BOOTSTRAP_ADMIN_PASSWORD": ADMIN[1],
        "PROJECTS_FEED_CLIENT_SECRET": FEED_SECRET,
        "PROJECTS_DB_POOL_SIZE": "5",
        "PROJECTS_LOG_LEVEL": "WARNING",
    }
    reporting.env = {
        **clean,
        **{k: v for k, v in tls_settings.items() if k.startswith("REPORTING_")},
        "REPORTING_ENVIRONMENT": "production",
        "REPORTING_DATABASE_URL": urls["reporting"],
        "REPORTING_AUTH_ISSUER": "https://registry.test/api/projects",
        "REPORTING_AUTH_JWKS_URL": f"{projects.url}/api/projects/v1/auth/jwks",
        "REPORTING_PROJECTS_API_URL": projects.url,
        "REPORTING_PROJECTS_CLIENT_ID": "reporting-api",
        "REPORTING_PROJECTS_CLIENT_SECRET": FEED_SECRET,
        "REPORTING_SYNC_INTERVAL_SECONDS": "0",
        "REPORTING_IMPORT_JOB_BYTES": "1024",
        "REPORTING_IMPORT_POLL_SECONDS": "0.5",
        "REPORTING_DB_POOL_SIZE": "5",
        "REPORTING_LOG_LEVEL": "WARNING",
    }
    return projects, reporting


def _install_and_serve(projects: ServiceProcess, reporting: ServiceProcess) -> None:
    """The operator's first install: migrations (both at once), bootstrap, the demo data, then serve."""
    for service, command in [(s, s.launch("migrate")) for s in (projects, reporting)]:
        service.finish(command)
    projects.run("bootstrap")
    for service, command in [(s, s.launch("load-demo")) for s in (projects, reporting)]:
        service.finish(command)
    for service in (projects, reporting):
        service.spawn()
    for service in (projects, reporting):
        service.wait_ready()


async def _exercise(projects: ServiceProcess, reporting: ServiceProcess) -> dict[str, int]:
    """Use both services as people do; every answer must be a success. Returns what was done, for the report."""
    async with httpx.AsyncClient(timeout=60) as http:
        token = await http.post(
            f"{projects.url}/api/projects/v1/auth/token",
            data={"grant_type": "password", "username": ADMIN[0], "password": ADMIN[1]},
        )
        assert token.status_code == 200, token.text
        admin = {"Authorization": f"Bearer {token.json()['access_token']}"}
        listed = await http.get(f"{projects.url}/api/projects/v1/projects?page_size=50", headers=admin)
        assert listed.status_code == 200 and listed.json()["total"] > 0, listed.text
        by_code = {p["code"]: p["id"] for p in listed.json()["items"]}
        project_id = by_code[DEMO_PROJECT]
        # The change feed into reporting-api's copy, with its own API client (the one bootstrap made).
        synced = await http.post(f"{reporting.url}/api/reporting/v1/sync/projects", headers=admin)
        assert synced.status_code == 200, synced.text
        # A write of reporting-api that asks projects-api for the caller's rights: a draft report for a period.
        report = await http.post(
            f"{reporting.url}/api/reporting/v1/projects/{project_id}/reports",
            headers=admin,
            json={"period": "2011Q1", "narrative": "Written over TLS."},
        )
        assert report.status_code == 201, report.text
        # A burst: hot reads (asyncpg pools) and writes (SQLAlchemy sessions) of both services at once.
        reads = [
            f"{projects.url}/api/projects/v1/projects?page_size=20",
            f"{projects.url}/api/projects/v1/projects/{project_id}",
            f"{projects.url}/api/projects/v1/funding/summary?group_by=country",
            f"{reporting.url}/api/reporting/v1/aggregations/progress/{project_id}",
            f"{reporting.url}/api/reporting/v1/indicators",
        ]
        requests = [http.get(url, headers=admin) for url in reads * 6]
        requests += [
            http.post(
                f"{projects.url}/api/projects/v1/organisations",
                headers=admin,
                json={"name": f"Partner {n}", "org_type": "10"},
            )
            for n in range(8)
        ]
        answers = await asyncio.gather(*requests)
        failures = [
            (a.request.method, str(a.request.url), a.status_code, a.text[:200]) for a in answers if a.status_code >= 400
        ]
        assert failures == []
        for service in (projects, reporting):  # and, the burst over, each is ready (its probe's own connection)
            assert (await http.get(f"{service.url}/readyz")).status_code == 200
        return {"requests": len(answers) + 4}


async def _server_connections(postgres: TlsPostgres) -> list[tuple[str, bool, str]]:
    rows = postgres.psql(
        "SELECT usename, ssl, coalesce(application_name, '') FROM pg_stat_activity JOIN pg_stat_ssl USING (pid) "
        "WHERE usename IN ('projects', 'reporting')"
    )
    out = []
    for line in rows.splitlines():
        user, ssl, app = line.split("|")
        out.append((user, ssl == "t", app))
    return out


def test_both_services_on_a_tls_only_postgresql_with_client_certificates(servers: Servers) -> None:
    """verify-full and a client certificate: projects-api through its settings, reporting-api through its URL."""
    certs, postgres = servers.certificates, servers.postgres
    tls_query = f"sslmode=verify-full&sslrootcert={certs.ca}&sslcert={certs.client_cert}&sslkey={certs.client_key}"
    urls = {
        "projects": postgres.url("projects", PASSWORDS["projects"], "projects_direct"),
        "reporting": postgres.url("reporting", PASSWORDS["reporting"], "reporting_direct") + "?" + tls_query,
    }
    settings = {
        "PROJECTS_DB_SSLMODE": "verify-full",
        "PROJECTS_DB_SSLROOTCERT": str(certs.ca),
        "PROJECTS_DB_SSLCERT": str(certs.client_cert),
        "PROJECTS_DB_SSLKEY": str(certs.client_key),
    }
    projects, reporting = _services(urls, settings, servers.workdir / "direct")
    try:
        _install_and_serve(projects, reporting)
        asyncio.run(_exercise(projects, reporting))
        connections = asyncio.run(_server_connections(postgres))
        assert {user for user, _, _ in connections} == {"projects", "reporting"}
        assert all(ssl for _, ssl, _ in connections)
        assert {app for _, _, app in connections} >= {"projects-api", "reporting-api"}
    finally:
        projects.stop()
        reporting.stop()


def test_a_plain_or_unverified_connection_is_refused(servers: Servers) -> None:
    """What the server enforces (so the test above could not have passed without TLS and a certificate)."""
    base = servers.postgres.url("projects", PASSWORDS["projects"], "projects_direct")

    async def attempt(query: str) -> str:
        try:
            conn = await DatabaseConfig.from_url(f"{base}?{query}").connect()
        except (asyncpg.PostgresError, OSError) as exc:
            return type(exc).__name__
        await conn.close()
        return "connected"

    assert asyncio.run(attempt("sslmode=disable")) == "InvalidAuthorizationSpecificationError"
    assert asyncio.run(attempt(f"sslmode=verify-full&sslrootcert={servers.certificates.ca}")) != "connected"
    assert asyncio.run(attempt(f"sslmode=verify-full&sslrootcert={servers.certificates.client_cert}")) != "connected"


def test_both_services_through_pgbouncer_in_transaction_mode(servers: Servers) -> None:
    """PgBouncer 1.18 in transaction mode, TLS to it (verify-full) and from it to PostgreSQL; no prepared statements."""
    certs, bouncer = servers.certificates, servers.bouncer
    query = f"sslmode=verify-full&sslrootcert={certs.ca}"
    urls = {
        "projects": bouncer.url("projects", PASSWORDS["projects"], "projects_pooled")
        + f"?{query}&prepared_statements=false",
        "reporting": bouncer.url("reporting", PASSWORDS["reporting"], "reporting_pooled") + f"?{query}",
    }
    projects, reporting = _services(urls, {"REPORTING_DB_PREPARED_STATEMENTS": "false"}, servers.workdir / "bouncer")
    try:
        _install_and_serve(projects, reporting)
        asyncio.run(_exercise(projects, reporting))
        # Each service asked for more connections than PgBouncer gives each database: requests shared them.
        connections = asyncio.run(_server_connections(servers.postgres))
        for user in ("projects", "reporting"):
            assert 0 < sum(1 for u, _, _ in connections if u == user) <= bouncer.pool_size
        assert all(ssl for _, ssl, _ in connections)
    finally:
        projects.stop()
        reporting.stop()


async def _statement_moves_between_server_connections(url: str, *, prepared: bool) -> str:
    """Client A runs a statement; client B then holds that server connection in a transaction; A runs the statement
    again, so PgBouncer gives it another server connection. Returns what A's second run met."""
    config = DatabaseConfig.from_url(url, prepared_statements=prepared)
    a, b = await config.connect(), await config.connect()
    try:
        await a.fetchval("SELECT $1::int + 1", 1)
        async with b.transaction():
            await b.fetchval("SELECT 1")
            try:
                await a.fetchval("SELECT $1::int + 1", 2)
            except asyncpg.PostgresError as exc:
                return type(exc).__name__
        return "ok"
    finally:
        await a.close()
        await b.close()


def test_prepared_statements_break_through_pgbouncer_unless_disabled(servers: Servers) -> None:
    """The reason for `prepared_statements=false`, shown on the same PgBouncer: a statement asyncpg prepared (and
    cached by name) on one server connection does not exist on the next one PgBouncer hands the client."""
    url = servers.bouncer.url("projects", PASSWORDS["projects"], "projects_pooled") + (
        f"?sslmode=verify-full&sslrootcert={servers.certificates.ca}"
    )
    met = asyncio.run(_statement_moves_between_server_connections(url, prepared=True))
    assert met == "InvalidSQLStatementNameError"
    assert asyncio.run(_statement_moves_between_server_connections(url, prepared=False)) == "ok"


def test_migrations_through_pgbouncer_hold_their_lock(servers: Servers, tmp_path: Path) -> None:
    """Three migration runs at once through PgBouncer on a fresh database: the transaction-level advisory lock
    serialises them (a session-level one would be released by PgBouncer between transactions)."""
    servers.postgres.psql("CREATE DATABASE reporting_lock OWNER reporting")
    url = servers.bouncer.url("reporting", PASSWORDS["reporting"], "reporting_lock") + (
        f"?sslmode=verify-full&sslrootcert={servers.certificates.ca}&prepared_statements=false"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTING_")}
    env |= {"REPORTING_ENVIRONMENT": "production", "REPORTING_DATABASE_URL": url, "REPORTING_LOG_JSON": "false"}
    runs = [
        subprocess.Popen(  # noqa: S603 (our interpreter and module)
            [sys.executable, "-m", "reporting_api", "migrate"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], "\n".join(outputs)
    assert servers.postgres.psql("SELECT count(*) FROM alembic_version", database="reporting_lock") == "1"
