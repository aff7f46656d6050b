"""The multi-host test (`make test-cluster`, root only; not in `make test`): four hosts as network namespaces on one
switch — PostgreSQL (TLS only) on `db`, two replicas of projects-api on `projects`, two of reporting-api on
`reporting`, the real nginx gateway on `gateway` — and a steady mixed workload through the gateway while the test
rolls both services one replica at a time, kills a replica of each, cuts reporting's host off from projects' host,
and restarts PostgreSQL. Every loop is bounded in count and time; the figures are printed for the report.

reporting-api reaches projects-api at one replica's address (there is no service address in this test), so the
workload's writes are projects-api's (organisations), and reporting-api's own writes are tried in the cut."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from netns import Host, Network

from dbservers import PG_BIN, SERVER_USER, TlsPostgres, make_certificates, missing_programs
from support import NGINX, render_gateway, wait_for

ADMIN = ("cluster-admin@registry.test", "the cluster admin's passphrase")
FEED_SECRET = "cluster-feed-secret-" + "c" * 24
PASSWORDS = {"projects": "projects-cluster-pw", "reporting": "reporting-cluster-pw"}
DEMO_PROJECT = "XM-DAC-47066-MD-LMR"
PORTS = (8001, 8002)

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="network namespaces need root: run `make test-cluster`")


class NamespacedPostgres(TlsPostgres):
    """The server on a host: `ip netns exec` needs root, so the privileges are dropped after it, by setpriv."""

    def start(self, *, prefix: Sequence[str] = ()) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    *prefix,
                    "setpriv",
                    f"--reuid={SERVER_USER}",
                    f"--regid={SERVER_USER}",
                    "--clear-groups",
                    str(PG_BIN / "postgres"),
                    "-D",
                    str(self.data),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_ready()


@dataclass
class Replica:
    module: str
    host: Host
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host.address}:{self.port}"

    def run(self, *args: str) -> None:
        result = subprocess.run(  # noqa: S603
            [*self.host.prefix, sys.executable, "-m", self.module, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [
                    *self.host.prefix,
                    sys.executable,
                    "-m",
                    self.module,
                    "serve",
                    "--host",
                    self.host.address,
                    "--port",
                    str(self.port),
                ],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(f"{self.url}/readyz", timeout=180, process=self.process)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@dataclass
class Workload:
    """Two clients, each looping: a projects-api read, a reporting-api read, a projects-api write (an organisation
    with a unique name). Each outcome is kept with the phase it happened in."""

    base: str
    token: str
    phase: str = "start"
    outcomes: list[tuple[str, str, int]] = field(default_factory=list)
    created: set[str] = field(default_factory=set)
    attempted: set[str] = field(default_factory=set)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _loop(self, client_id: int) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        n = 0
        with httpx.Client(base_url=self.base, headers=headers, timeout=30) as http:
            while not self._stop.is_set() and n < 5000:  # bounded: a few minutes at most
                n += 1
                name = f"Cluster {client_id}-{n}"
                for method, path, body in (
                    ("GET", "/api/projects/v1/projects?page_size=5", None),
                    ("GET", "/api/reporting/v1/indicators?page_size=5", None),
                    ("POST", "/api/projects/v1/organisations", {"name": name, "org_type": "10"}),
                ):
                    phase = self.phase
                    try:
                        status = http.request(method, path, json=body).status_code
                    except httpx.HTTPError:
                        status = 0
                    with self._lock:
                        self.outcomes.append((phase, method, status))
                        if body is not None:
                            self.attempted.add(name)
                            if status == 201:
                                self.created.add(name)
                time.sleep(0.05)

    def start(self) -> None:
        for client_id in range(2):
            thread = threading.Thread(target=self._loop, args=(client_id,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def tally(self, phase: str) -> tuple[int, int]:
        with self._lock:
            seen = [status for p, _, status in self.outcomes if p == phase]
        return len(seen), sum(1 for status in seen if not 200 <= status < 300)

    def failures(self, phase: str) -> Counter[tuple[str, int]]:
        with self._lock:
            return Counter((m, s) for p, m, s in self.outcomes if p == phase and not 200 <= s < 300)


def _key_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture(scope="module")
def cluster() -> Iterator[dict[str, object]]:
    missing = missing_programs() + ([] if NGINX.exists() else [str(NGINX)]) + ([] if shutil.which("ip") else ["ip"])
    assert not missing, f"missing: {missing} (`make deploy-tools` installs them)"
    workdir = Path(tempfile.mkdtemp(prefix="mcb-cluster-"))  # readable by the server's user, unlike pytest's
    workdir.chmod(0o755)
    with Network(["db", "projects", "reporting", "gateway"]) as net:
        db, projects_host, reporting_host, gateway_host = (
            net.hosts[n] for n in ("db", "projects", "reporting", "gateway")
        )
        certs = make_certificates(workdir / "certs", hosts=("localhost", db.address))
        postgres = NamespacedPostgres(workdir / "pg", certs, host=db.address, network=f"{net.base}.0/24", port=5432)
        postgres.init()
        postgres.start(prefix=db.prefix)
        for role, password in PASSWORDS.items():
            postgres.create_service_database(role, password)
        tls = {
            "DB_SSLMODE": "verify-full",
            "DB_SSLROOTCERT": str(certs.ca),
            "DB_SSLCERT": str(certs.client_cert),
            "DB_SSLKEY": str(certs.client_key),
        }
        for path in (certs.client_key,):
            path.chmod(0o600)
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("PROJECTS_", "REPORTING_"))}
        # The drain outlasts the gateway's passive health check (max_fails=1 fail_timeout=5s): a replica that just
        # started is tried again, and found, before the one being stopped closes its port.
        common = {
            "SHUTDOWN_DRAIN_SECONDS": "7",
            "GRACEFUL_SHUTDOWN_SECONDS": "10",
            "DB_POOL_SIZE": "4",
            "DB_READY_TIMEOUT_SECONDS": "2",
            "LOG_LEVEL": "WARNING",
            "TRUSTED_PROXIES": gateway_host.address,
            "ENVIRONMENT": "production",
            "AUTH_ISSUER": "https://registry.test/api/projects",
            **tls,
        }
        projects_env = {
            **clean,
            **{f"PROJECTS_{k}": v for k, v in common.items()},
            "PROJECTS_DATABASE_URL": postgres.url("projects", PASSWORDS["projects"], "projects"),
            "PROJECTS_JWT_PRIVATE_KEY": _key_pem(),
            "PROJECTS_PUBLIC_URL": "https://registry.test",
            "PROJECTS_BOOTSTRAP_ADMIN_EMAIL": ADMIN[0],
            "PROJECTS_BOOTSTRAP_ADMIN_PASSWORD": ADMIN[1],
            "PROJECTS_FEED_CLIENT_SECRET": FEED_SECRET,
        }
        first_projects = f"http://{projects_host.address}:{PORTS[0]}"
        reporting_env = {
            **clean,
            **{f"REPORTING_{k}": v for k, v in common.items()},
            "REPORTING_DATABASE_URL": postgres.url("reporting", PASSWORDS["reporting"], "reporting"),
            "REPORTING_AUTH_JWKS_URL": f"{first_projects}/api/projects/v1/auth/jwks",
            "REPORTING_PROJECTS_API_URL": first_projects,
            "REPORTING_PROJECTS_CLIENT_ID": "reporting-api",
            "REPORTING_PROJECTS_CLIENT_SECRET": FEED_SECRET,
            "REPORTING_SYNC_INTERVAL_SECONDS": "0",
            "REPORTING_PROJECTS_BREAKER_RESET_SECONDS": "3",
            "REPORTING_ACCESS_CACHE_SECONDS": "2",
        }
        projects = [
            Replica("projects_api", projects_host, p, projects_env, workdir / f"projects-{p}.log") for p in PORTS
        ]
        reporting = [
            Replica("reporting_api", reporting_host, p, reporting_env, workdir / f"reporting-{p}.log") for p in PORTS
        ]
        gateway: subprocess.Popen[bytes] | None = None
        try:
            projects[0].run("migrate")
            reporting[0].run("migrate")
            projects[0].run("bootstrap")
            projects[0].run("load-demo")
            reporting[0].run("load-demo")
            for replica in [*projects, *reporting]:
                replica.start()
            spa = workdir / "spa"
            spa.mkdir()
            (spa / "index.html").write_text("<!doctype html><title>MCB Registry</title>\n")
            spa.chmod(0o755)
            conf = render_gateway(
                {
                    "GATEWAY_PORT": f"{gateway_host.address}:8080",
                    "GATEWAY_TEMP_DIR": str(workdir / "nginx"),
                    "GATEWAY_SPA_ROOT": str(spa),
                    "GATEWAY_WORKER_PROCESSES": "1",
                    "PROJECTS_UPSTREAM": ",".join(f"{projects_host.address}:{p}" for p in PORTS),
                    "REPORTING_UPSTREAM": ",".join(f"{reporting_host.address}:{p}" for p in PORTS),
                    "GATEWAY_WRITE_RATE": "1000r/s",
                    "GATEWAY_WRITE_BURST": "1000",
                    "GATEWAY_READ_TIMEOUT": "30s",
                },
                workdir / "nginx-conf",
            )
            with (workdir / "gateway.log").open("ab") as log:
                gateway = subprocess.Popen(  # noqa: S603
                    [*gateway_host.prefix, str(NGINX), "-c", str(conf), "-e", "stderr", "-g", "daemon off;"],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            base = f"http://{gateway_host.address}:8080"
            wait_for(f"{base}/gateway/healthz", timeout=30, process=gateway)
            yield {
                "net": net,
                "postgres": postgres,
                "projects": projects,
                "reporting": reporting,
                "base": base,
                "workdir": workdir,
            }
        finally:
            if gateway is not None:
                gateway.send_signal(signal.SIGQUIT)
                gateway.wait(timeout=30)
            for replica in [*projects, *reporting]:
                replica.stop(signal.SIGINT)
            postgres.stop()
    shutil.rmtree(workdir, ignore_errors=True)  # kept when setting up failed, for its logs


def _token(base: str) -> str:
    answer = httpx.post(
        f"{base}/api/projects/v1/auth/token",
        data={"grant_type": "password", "username": ADMIN[0], "password": ADMIN[1]},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def _until(predicate: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(predicate) and predicate():
            return True
        time.sleep(0.5)
    return False


def test_the_registry_across_four_hosts(cluster: dict[str, object]) -> None:
    base = str(cluster["base"])
    postgres: TlsPostgres = cluster["postgres"]  # type: ignore[assignment]
    projects: list[Replica] = cluster["projects"]  # type: ignore[assignment]
    reporting: list[Replica] = cluster["reporting"]  # type: ignore[assignment]
    net: Network = cluster["net"]  # type: ignore[assignment]
    token = _token(base)
    admin = {"Authorization": f"Bearer {token}"}
    listed = httpx.get(f"{base}/api/projects/v1/projects?page_size=100", headers=admin, timeout=30)
    project_id = {p["code"]: p["id"] for p in listed.json()["items"]}[DEMO_PROJECT]
    work = Workload(base, token)
    report: dict[str, tuple[int, int]] = {}
    work.start()
    try:
        # 1. Steady state.
        work.phase = "steady"
        time.sleep(5)
        # 2. Roll both services, one replica at a time: drain (SIGTERM), stop, start again, ready, next.
        work.phase = "roll"
        for replica in [*projects, *reporting]:
            replica.stop(signal.SIGTERM)
            replica.start()
        time.sleep(2)
        # 3. Kill one replica of each outright (SIGKILL), then bring them back.
        work.phase = "kill"
        for replica in (projects[1], reporting[1]):
            assert replica.process is not None
            replica.process.kill()
            replica.process.wait(timeout=30)
            replica.process = None
        time.sleep(5)
        work.phase = "kill-recovery"
        for replica in (projects[1], reporting[1]):
            replica.start()
        time.sleep(2)
        # 4. Cut reporting's host off from projects' host: reporting-api's reads go on, its writes (which ask
        #    projects-api for the caller's rights) answer 503, and succeed again once the cut heals.
        work.phase = "cut"
        net.hosts["reporting"].cut_from(net.hosts["projects"])
        try:
            time.sleep(3)  # the access cache (2 s) runs out
            cut_reads = [
                httpx.get(f"{base}/api/reporting/v1/indicators?page_size=5", headers=admin, timeout=30)
                for _ in range(5)
            ]
            cut_write = httpx.post(
                f"{base}/api/reporting/v1/projects/{project_id}/reports",
                headers=admin,
                json={"period": "2012Q1", "narrative": "Written during the cut."},
                timeout=60,
            )
        finally:
            net.hosts["reporting"].heal_from(net.hosts["projects"])
        assert [r.status_code for r in cut_reads] == [200] * 5
        assert cut_write.status_code == 503, cut_write.text
        assert cut_write.headers["content-type"].startswith("application/problem+json")
        work.phase = "cut-healed"

        def write_after_heal() -> bool:
            answer = httpx.post(
                f"{base}/api/reporting/v1/projects/{project_id}/reports",
                headers=admin,
                json={"period": "2013Q1", "narrative": "Written after the cut."},
                timeout=60,
            )
            return answer.status_code == 201

        assert _until(write_after_heal, 30), "reporting-api's writes came back after the cut healed"
        # 5. Restart PostgreSQL: 503s while it is down, then everything recovers; nothing committed is lost.
        work.phase = "db-down"
        time.sleep(1)  # requests begun in the previous phase end before the server stops
        postgres.stop()
        time.sleep(4)
        down = httpx.get(f"{base}/api/projects/v1/projects?page_size=5", headers=admin, timeout=30)
        postgres.start(prefix=net.hosts["db"].prefix)
        work.phase = "db-recovery"

        def recovered() -> bool:
            return (
                httpx.get(f"{base}/api/projects/v1/projects?page_size=5", headers=admin, timeout=30).status_code == 200
            )

        assert _until(recovered, 60), "projects-api recovered after PostgreSQL came back"
        time.sleep(5)
        work.phase = "after"
        time.sleep(5)
    finally:
        work.stop()
    for phase in ("steady", "roll", "kill", "kill-recovery", "cut", "cut-healed", "db-down", "db-recovery", "after"):
        report[phase] = work.tally(phase)
    # Data: every organisation answered 201 is in the database exactly once; none answered otherwise is.
    rows = postgres.psql("SELECT name FROM organisation WHERE name LIKE 'Cluster %'", database="projects").splitlines()
    assert len(rows) == len(set(rows)), "no organisation written twice"
    assert set(rows) >= work.created, "an organisation answered 201 is missing"
    unanswered = set(rows) - work.created
    print(f"\ncluster: requests (served, failed) by phase: {report}")  # noqa: T201 (the figures for the report)
    print(  # noqa: T201
        f"cluster: organisations answered 201: {len(work.created)}, in the database: {len(rows)}, "  # noqa: T201
        f"written but not answered 201: {len(unanswered)}; failures: "
        f"{ {p: dict(work.failures(p)) for p in report if report[p][1]} }"
    )
    # While PostgreSQL is down the answer is an error, promptly, as problem+json. 503 with Retry-After is the kit's
    # database-unavailable mapping (issue 11's lane); until it is merged the services answer 500 and nginx, after
    # an upstream error, 502.
    print(f"cluster: with PostgreSQL down, a read answered {down.status_code}")  # noqa: T201
    assert down.status_code in {500, 502, 503}, down.text
    assert down.headers["content-type"].startswith("application/problem+json")
    assert report["steady"][1] == 0 and report["roll"][1] == 0, "rolling both services loses no request"
    assert report["after"][1] == 0 and report["after"][0] > 0
    assert report["kill"][1] <= 2, "at most the requests in flight on the killed replicas fail"
    assert report["cut"][1] == 0 and report["cut-healed"][1] == 0
    assert unanswered <= {n for n in work.attempted if n not in work.created}
