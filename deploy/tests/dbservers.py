"""Database servers a production install meets, started by the tests themselves: a PostgreSQL that accepts only TLS
connections with a client certificate (Debian's postgresql-15 server, since the embedded one is built without
OpenSSL), and PgBouncer in transaction mode in front of it (Debian's pgbouncer), with a certificate authority the
test makes. Both refuse to run as root: when the tests are root, they run as Debian's `postgres` user."""

from __future__ import annotations

import datetime
import ipaddress
import os
import pwd
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PGBOUNCER = Path(os.environ.get("PGBOUNCER_BIN", "/usr/sbin/pgbouncer"))
SERVER_USER = "postgres"


def missing_programs() -> list[str]:
    """What `make test-deploy` installs from Debian when it is missing (postgresql-15, pgbouncer)."""
    wanted = [PG_BIN / "postgres", PG_BIN / "initdb", PGBOUNCER]
    return [str(p) for p in wanted if not p.exists()]


# Certificates ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificates:
    """A CA, a server certificate for localhost / 127.0.0.1 (and any other names asked for), a client certificate."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    path.chmod(0o600)


def make_certificates(directory: Path, *, hosts: Sequence[str] = ("localhost", "127.0.0.1")) -> Certificates:
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("mcb-registry test CA"))
        .issuer_name(_name("mcb-registry test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )  # key_cert_sign, crl_sign
        .sign(ca_key, hashes.SHA256())
    )

    def leaf(
        common_name: str, usage: x509.ObjectIdentifier, names: Sequence[str]
    ) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        )
        if names:
            alt: list[x509.GeneralName] = []
            for name in names:
                try:
                    alt.append(x509.IPAddress(ipaddress.ip_address(name)))
                except ValueError:
                    alt.append(x509.DNSName(name))
            builder = builder.add_extension(x509.SubjectAlternativeName(alt), critical=False)
        return builder.sign(ca_key, hashes.SHA256()), key

    server, server_key = leaf(hosts[0], ExtendedKeyUsageOID.SERVER_AUTH, hosts)
    client, client_key = leaf("registry-service", ExtendedKeyUsageOID.CLIENT_AUTH, ())
    paths = Certificates(
        ca=directory / "ca.pem",
        server_cert=directory / "server.crt",
        server_key=directory / "server.key",
        client_cert=directory / "client.crt",
        client_key=directory / "client.key",
    )
    paths.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths.server_cert.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths.client_cert.write_bytes(client.public_bytes(serialization.Encoding.PEM))
    _write_key(server_key, paths.server_key)
    _write_key(client_key, paths.client_key)
    return paths


# Running as the server user --------------------------------------------------------------------------------


def _demote() -> Callable[[], None] | None:
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam(SERVER_USER)

    def demote() -> None:
        os.setgroups([])
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)

    return demote


def own(*paths: Path) -> None:
    """Hand files to the server user (when the tests are root), readable by it alone."""
    if os.geteuid() != 0:
        return
    entry = pwd.getpwnam(SERVER_USER)
    for path in paths:
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _free_port(host: str = "127.0.0.1") -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _wait_port(host: str, port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 60.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s:\n{log.read_text()[-3000:]}")


def _stop(process: subprocess.Popen[bytes] | None, sig: int = signal.SIGINT) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# PostgreSQL that requires TLS -----------------------------------------------------------------------------


HBA = """\
# Unix socket: the test's own administration (creating roles and databases).
local   all   all                  trust
# TCP: TLS only (no host / hostnossl line), a password, and a client certificate signed by the test's CA.
hostssl all   all   {network}      scram-sha-256 clientcert=verify-ca
"""


class TlsPostgres:
    """A throw-away cluster: TLS-only TCP on `host`, trust on its Unix socket for setting up roles and databases."""

    def __init__(
        self,
        directory: Path,
        certificates: Certificates,
        *,
        host: str = "127.0.0.1",
        network: str = "127.0.0.1/32",
        port: int | None = None,
    ) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.socket_dir = directory / "socket"
        self.log = directory / "postgres.log"
        self.certificates = certificates
        self.host = host
        self.network = network
        self.port = port or _free_port(host)
        self.process: subprocess.Popen[bytes] | None = None

    def init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o755)
        self.socket_dir.mkdir(exist_ok=True)
        tls = self.directory / "tls"
        tls.mkdir(exist_ok=True)
        for source in (self.certificates.ca, self.certificates.server_cert, self.certificates.server_key):
            shutil.copy(source, tls / source.name)
        (tls / "server.key").chmod(0o600)
        own(self.directory, self.socket_dir, tls, *tls.iterdir())
        result = subprocess.run(  # noqa: S603 (Debian's initdb)
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ],
            preexec_fn=_demote(),
            capture_output=True,
            text=True,
            timeout=180,  # noqa: PLW1509
        )
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
        settings = {
            "listen_addresses": f"'{self.host}'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.socket_dir}'",
            "ssl": "on",
            "ssl_cert_file": f"'{tls / 'server.crt'}'",
            "ssl_key_file": f"'{tls / 'server.key'}'",
            "ssl_ca_file": f"'{tls / 'ca.pem'}'",
            "password_encryption": "'scram-sha-256'",
            "max_connections": "200",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "shared_buffers": "64MB",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n# deploy/tests\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))
        (self.data / "pg_hba.conf").write_text(HBA.format(network=self.network))
        own(self.data / "pg_hba.conf")

    def start(self, *, prefix: Sequence[str] = ()) -> None:
        """`prefix`: a command to run the server under (`ip netns exec <ns>` in the cluster test)."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [*prefix, str(PG_BIN / "postgres"), "-D", str(self.data)],
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_demote(),  # noqa: PLW1509
            )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60.0) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited:\n{self.log.read_text()[-3000:]}")
            if (self.socket_dir / f".s.PGSQL.{self.port}").exists() and self.psql("SELECT 1", check=False) == "1":
                return
            time.sleep(0.2)
        raise TimeoutError(f"postgres not ready:\n{self.log.read_text()[-3000:]}")

    def psql(self, sql: str, *, database: str = "postgres", check: bool = True) -> str:
        """Run SQL as the superuser over the Unix socket (the only way in without TLS)."""
        result = subprocess.run(  # noqa: S603
            [
                str(PG_BIN / "psql"),
                "-h",
                str(self.socket_dir),
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-XAtq",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=_demote(),  # noqa: PLW1509
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"psql failed: {sql}\n{result.stderr}")
        return result.stdout.strip()

    def create_service_database(self, role: str, password: str | None, database: str | None = None) -> None:
        """A role (unless `password` is None: it exists) and a database it owns, as init-databases.sh makes them."""
        if password is not None:
            self.psql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
        name = database or role
        self.psql(f"CREATE DATABASE {name} OWNER {role}")
        self.psql(f"REVOKE ALL ON DATABASE {name} FROM PUBLIC")

    def url(self, user: str, password: str, database: str, *, host: str | None = None) -> str:
        return f"postgresql+asyncpg://{user}:{password}@{host or self.host}:{self.port}/{database}"

    def stop(self, sig: int = signal.SIGINT) -> None:
        _stop(self.process, sig)
        self.process = None


# PgBouncer in transaction mode ----------------------------------------------------------------------------


class PgBouncer:
    """Debian's pgbouncer, transaction pooling, TLS on both sides: clients must use TLS to it, and it connects to the
    server with TLS (verify-full) and its own client certificate."""

    def __init__(
        self,
        directory: Path,
        certificates: Certificates,
        server: TlsPostgres,
        *,
        users: dict[str, str],
        pool_size: int = 4,
    ) -> None:
        self.directory = directory
        self.certificates = certificates
        self.server = server
        self.users = users
        self.pool_size = pool_size
        self.host = "127.0.0.1"
        self.port = _free_port()
        self.log = directory / "pgbouncer.log"
        self.process: subprocess.Popen[bytes] | None = None

    def write_config(self) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o755)
        tls = self.directory / "tls"
        tls.mkdir(exist_ok=True)
        for source in (
            self.certificates.ca,
            self.certificates.server_cert,
            self.certificates.server_key,
            self.certificates.client_cert,
            self.certificates.client_key,
        ):
            shutil.copy(source, tls / source.name)
        userlist = self.directory / "userlist.txt"
        userlist.write_text("".join(f'"{u}" "{p}"\n' for u, p in self.users.items()))
        userlist.chmod(0o600)
        config = self.directory / "pgbouncer.ini"
        config.write_text(
            f"""[databases]
* = host={self.server.host} port={self.server.port}

[pgbouncer]
listen_addr = {self.host}
listen_port = {self.port}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = {userlist}
pool_mode = transaction
default_pool_size = {self.pool_size}
max_client_conn = 500
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile =
pidfile =
client_tls_sslmode = require
client_tls_cert_file = {tls / "server.crt"}
client_tls_key_file = {tls / "server.key"}
client_tls_ca_file = {tls / "ca.pem"}
server_tls_sslmode = verify-full
server_tls_ca_file = {tls / "ca.pem"}
server_tls_cert_file = {tls / "client.crt"}
server_tls_key_file = {tls / "client.key"}
"""
        )
        own(self.directory, tls, *tls.iterdir(), userlist, config)
        return config

    def start(self) -> None:
        config = self.write_config()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [str(PGBOUNCER), str(config)],
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_demote(),  # noqa: PLW1509
            )
        _wait_port(self.host, self.port, self.process, self.log)

    def url(self, user: str, password: str, database: str) -> str:
        return f"postgresql+asyncpg://{user}:{password}@{self.host}:{self.port}/{database}"

    def stop(self) -> None:
        _stop(self.process)
        self.process = None
