"""The multi-host test (`make test-cluster`, root only; not in `make test`): four hosts as network namespaces on one
switch — PostgreSQL (TLS only) on `db`, two replicas of projects-api on `projects`, two of reporting-api on
`reporting`, the real nginx gateway on `gateway` — and a steady mixed workload through the gateway while the test
rolls both services one replica at a time, kills a replica of each, cuts reporting's host off from projects' host,
and restarts PostgreSQL. Every loop is bounded in count and time; the figures are printed for the report.

reporting-api reaches projects-api at one replica's address (there is no service address in this test), so the
workload's writes are projects-api's (organisations), and reporting-api's own writes are tried in the cut."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from netns import Network
from nodes import (
    ADMIN,
    DEMO_PROJECT,
    DEMO_YEARS,
    Key,
    NamespacedPostgres,
    Replica,
    Workload,
    env_list,
    holder,
    import_csv,
    job_state,
    key_pem,
    token,
    until,
)

from dbservers import TlsPostgres, make_certificates, missing_programs
from support import NGINX, REPO_ROOT, render_gateway, wait_for

FEED_SECRET = "cluster-feed-secret-" + "c" * 24
PASSWORDS = {"projects": "projects-cluster-pw", "reporting": "reporting-cluster-pw"}
PORTS = (8001, 8002)
# MCB_CLUSTER_PHASES: which of the disturbances to run (all by default; a subset to iterate faster), and
# MCB_CLUSTER_ROLLS: how many times both services are rolled.
PHASES = env_list("MCB_CLUSTER_PHASES", "roll,kill,cut,db")
ROLLS = int(os.environ.get("MCB_CLUSTER_ROLLS", "1"))
LOGS = REPO_ROOT / "var" / "cluster-logs"  # the last run's logs, kept for reading after the test

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="network namespaces need root: run `make test-cluster`")


@pytest.fixture(scope="module")
def cluster() -> Iterator[dict[str, object]]:
    missing = missing_programs() + ([] if NGINX.exists() else [str(NGINX)]) + ([] if shutil.which("ip") else ["ip"])
    assert not missing, f"missing: {missing} (`make deploy-tools` installs them)"
    workdir = Path(tempfile.mkdtemp(prefix="mcb-cluster-"))  # readable by the server's user, unlike pytest's
    workdir.chmod(0o755)
    with contextlib.ExitStack() as cleanup:  # the logs are copied to var/cluster-logs before the work dir goes
        cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        net = cleanup.enter_context(Network(["db", "projects", "reporting", "gateway"]))
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
        # The drain outlasts the gateway's idle keep-alive to the services (GATEWAY_UPSTREAM_KEEPALIVE_TIMEOUT, 10 s),
        # as the shipped defaults do (15 s): by its end the gateway holds no idle connection to the replica. It also
        # outlasts the gateway's passive health check (max_fails=1 fail_timeout=5s): a replica that just started is
        # tried again, and found, before the one being stopped closes its port.
        common = {
            "SHUTDOWN_DRAIN_SECONDS": "12",
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
            "PROJECTS_JWT_PRIVATE_KEY": key_pem(),
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
            # Every import a job; a job whose worker went silent for 10 s is run again by another replica.
            "REPORTING_IMPORT_JOB_BYTES": "65536",
            "REPORTING_IMPORT_STALE_SECONDS": "10",
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
            shutil.rmtree(LOGS, ignore_errors=True)
            LOGS.mkdir(parents=True)
            for kept in [*workdir.glob("*.log"), postgres.log]:
                if kept.exists():
                    shutil.copy(kept, LOGS / kept.name)


def _import(base: str, admin: dict[str, str], content: bytes) -> str:
    """A CSV import through the gateway (a job: 202), its id."""
    answer = httpx.post(
        f"{base}/api/reporting/v1/imports",
        headers=admin,
        timeout=120,
        files={"file": ("values.csv", content, "text/csv")},
    )
    assert answer.status_code == 202, answer.text
    return str(answer.json()["id"])


def test_the_registry_across_four_hosts(cluster: dict[str, object]) -> None:
    base = str(cluster["base"])
    postgres: TlsPostgres = cluster["postgres"]  # type: ignore[assignment]
    projects: list[Replica] = cluster["projects"]  # type: ignore[assignment]
    reporting: list[Replica] = cluster["reporting"]  # type: ignore[assignment]
    net: Network = cluster["net"]  # type: ignore[assignment]
    bearer = token(base)
    admin = {"Authorization": f"Bearer {bearer}"}
    listed = httpx.get(f"{base}/api/projects/v1/projects?page_size=100", headers=admin, timeout=30)
    project_ids = {p["code"]: p["id"] for p in listed.json()["items"]}
    project_id = project_ids[DEMO_PROJECT]
    content, import_keys = import_csv(project_ids)
    work = Workload(base, bearer)
    job_id, killed_holder, down = "", "", None
    work.start()
    try:
        # 1. Steady state.
        work.phase = "steady"
        time.sleep(5)
        # 2. Roll both services, one replica at a time: drain (SIGTERM), stop, start again, ready, next.
        if "roll" in PHASES:
            work.phase = "roll"
            for _ in range(ROLLS):
                for replica in [*projects, *reporting]:
                    replica.stop(signal.SIGTERM)
                    replica.start()
            # The rollout settles: the gateway takes the last replica back after its passive check (fail_timeout=5s).
            # A replica killed before then leaves the gateway with no replica it believes alive (502s).
            time.sleep(7)
        # 3. Mid-import, kill (SIGKILL) the reporting-api replica running the job, and one projects-api replica;
        #    the other reporting replica runs the job again once the first went silent; then both come back.
        if "kill" in PHASES:
            work.phase = "kill"
            job_id = _import(base, admin, content)

            def claimed() -> bool:
                return job_state(postgres, job_id)[0] != "queued"

            assert until(claimed, 60, every=0.1), "a replica claimed the import job"
            status, claimed_by, _ = job_state(postgres, job_id)
            victim = holder(reporting, claimed_by)
            assert status == "running" and victim is not None, f"the job is {status} ({claimed_by}) when the kill comes"
            killed_holder = claimed_by
            for replica in (victim, projects[1]):
                replica.kill()
            assert job_state(postgres, job_id)[0] == "running", "the kill landed before the job ended"
            time.sleep(5)
            work.phase = "kill-recovery"

            def finished() -> bool:
                return job_state(postgres, job_id)[0] in {"done", "failed"}

            assert until(finished, 240), "the import job finished on the other replica"
            for replica in (victim, projects[1]):
                replica.start()
            time.sleep(2)
        # 4. Cut reporting's host off from projects' host: reporting-api's reads go on, its writes (which ask
        #    projects-api for the caller's rights) answer 503, and succeed again once the cut heals.
        if "cut" in PHASES:
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

            assert until(write_after_heal, 30), "reporting-api's writes came back after the cut healed"
        # 5. Restart PostgreSQL: 503s while it is down, then everything recovers; nothing committed is lost.
        if "db" in PHASES:
            work.phase = "db-down"
            time.sleep(1)  # requests begun in the previous phase end before the server stops
            postgres.stop()
            time.sleep(4)
            down = httpx.get(f"{base}/api/projects/v1/projects?page_size=5", headers=admin, timeout=30)
            postgres.start(prefix=net.hosts["db"].prefix)
            work.phase = "db-recovery"

            def recovered() -> bool:
                answer = httpx.get(f"{base}/api/projects/v1/projects?page_size=5", headers=admin, timeout=30)
                return answer.status_code == 200

            assert until(recovered, 60), "projects-api recovered after PostgreSQL came back"
            time.sleep(5)
        work.phase = "after"
        time.sleep(5)
    finally:
        work.stop()
    report = {phase: work.tally(phase) for phase in dict.fromkeys(o.phase for o in work.outcomes) if phase != "start"}
    # Data: every organisation answered 201 is in the database exactly once; none answered otherwise is.
    rows = postgres.psql("SELECT name FROM organisation WHERE name LIKE 'Cluster %'", database="projects").splitlines()
    unanswered = set(rows) - work.created
    print(f"\ncluster: requests (served, failed) by phase: {report}")  # noqa: T201 (the figures for the report)
    print(  # noqa: T201
        f"cluster: organisations answered 201: {len(work.created)}, in the database: {len(rows)}, "  # noqa: T201
        f"written but not answered 201: {len(unanswered)}; failures: "
        f"{ {p: dict(work.failures(p)) for p in report if report[p][1]} }"
    )
    for failed in work.failed_requests()[:20]:
        print(f"cluster: failed: {failed}")  # noqa: T201 (their request ids are in var/cluster-logs/gateway.log)
    assert len(rows) == len(set(rows)), "no organisation written twice"
    assert set(rows) >= work.created, "an organisation answered 201 is missing"
    assert unanswered <= {n for n in work.attempted if n not in work.created}
    assert report["steady"][1] == 0 and report["after"][1] == 0 and report["after"][0] > 0
    if "roll" in PHASES:
        assert report["roll"][1] == 0, "rolling both services loses no request"
    if "kill" in PHASES:
        assert report["kill"][1] <= 2, "at most the requests in flight on the killed replicas fail"
        assert report["kill-recovery"][1] == 0
        _check_import(postgres, job_id, killed_holder, import_keys)
    if "cut" in PHASES:
        assert report["cut"][1] == 0 and report["cut-healed"][1] == 0
    if "db" in PHASES:
        # While PostgreSQL is down the service itself answers, promptly: 503 problem+json with Retry-After (the
        # kit's database-unavailable mapping), passed through the gateway untouched (not the gateway's own 502/503).
        assert down is not None
        print(f"cluster: with PostgreSQL down, a read answered {down.status_code}")  # noqa: T201
        assert down.status_code == 503, down.text
        assert down.headers["content-type"].startswith("application/problem+json")
        assert int(down.headers["retry-after"]) > 0
        assert down.json()["type"].endswith("/dependency-unavailable"), down.text
        assert report["db-recovery"][1] == 0 or report["db-recovery"][0] > report["db-recovery"][1]


def _check_import(postgres: TlsPostgres, job_id: str, killed_holder: str, keys: set[Key]) -> None:
    """The job ran to its end once, on another worker than the killed one: every value of the file is in the
    database exactly once, none is missing, nothing else was written, and its end was announced once."""
    status, finished_by, attempts = job_state(postgres, job_id)
    outcome, conflicts = postgres.psql(
        f"SELECT summary->>'status', summary->'conflicts'->0 FROM import_job WHERE id = '{job_id}'",  # noqa: S608
        database="reporting",
    ).split("|")
    outside_demo = (
        f"(extract(year FROM r.period_start) < {DEMO_YEARS.start} "
        f"OR extract(year FROM r.period_start) >= {DEMO_YEARS.stop})"
    )
    stored = postgres.psql(
        "SELECT r.project_id, r.period_code, i.code, v.disaggregation_key, count(*) FROM report_value v "  # noqa: S608
        "JOIN report r ON r.id = v.report_id JOIN project_indicator pi ON pi.id = v.project_indicator_id "
        f"JOIN indicator i ON i.id = pi.indicator_id WHERE {outside_demo} GROUP BY 1, 2, 3, 4",  # noqa: S608
        database="reporting",
    ).splitlines()
    counts = {(p, period, i, k): int(n) for p, period, i, k, n in (line.split("|") for line in stored)}
    reports = int(
        postgres.psql(
            f"SELECT count(*) FROM report r WHERE {outside_demo} AND EXISTS "  # noqa: S608
            "(SELECT 1 FROM report_value v WHERE v.report_id = r.id)",
            database="reporting",
        )
    )
    announced = int(
        postgres.psql(
            "SELECT count(*) FROM notification_event WHERE kind = 'import_finished' AND "  # noqa: S608
            f"data->>'import_id' = '{job_id}'",
            database="reporting",
        )
    )
    missing, extra = keys - counts.keys(), counts.keys() - keys
    twice = {k: n for k, n in counts.items() if n != 1}
    print(  # noqa: T201
        f"cluster: import job {status} ({outcome}) after {attempts} claims, killed on {killed_holder}, finished by "  # noqa: T201
        f"{finished_by}: {len(keys)} values in the file, {sum(counts.values())} in the database "
        f"({len(missing)} missing, {len(extra)} not in the file, {len(twice)} more than once), {reports} reports, "
        f"announced {announced} time(s)"
    )
    assert (status, outcome) == ("done", "success"), f"the import job ended {status} ({outcome}: {conflicts})"
    assert finished_by != killed_holder and attempts >= 2, "the job was run again by another worker"
    assert not missing and not extra and not twice
    assert reports == len({(p, period) for p, period, _, _ in keys})
    assert announced == 1, "the job's end was announced once"
