"""Keep-alive and shutdown between the real nginx gateway and a real service process.

A proxy that reuses an idle upstream connection at the moment the service closes it loses the request (a 502 for a
POST, which nginx does not retry). The rule that prevents it: the proxy's idle timeout is shorter than the
service's, so the proxy is always the one that closes. The test keeps that relation with short timeouts (the
gateway 1 s, the service 2 s) and sends POSTs after idle gaps on both sides of both boundaries; then it stops the
service the way an orchestrator does (SIGTERM) under a steady stream of POSTs: none may fail while it drains.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support import GATEWAY_DIR, Nginx, ServiceProcess, free_port, gateway_defaults, render_gateway

GAPS = (0.9, 0.95, 1.0, 1.05, 1.1, 1.9, 1.95, 2.0, 2.05, 2.1)


@pytest.fixture
def pair(projects_database_url: str, workdir: Path, tmp_path: Path) -> Iterator[tuple[Nginx, ServiceProcess]]:
    tmp_path.chmod(0o755)
    service = ServiceProcess("projects_api", {}, tmp_path)
    service.env.update(
        PROJECTS_ENVIRONMENT="test",
        PROJECTS_DATABASE_URL=projects_database_url,
        PROJECTS_DEV_KEY_PATH=str(workdir / "dev-jwt-key.pem"),
        PROJECTS_KEEP_ALIVE_SECONDS="2",
        PROJECTS_SHUTDOWN_DRAIN_SECONDS="3",
        PROJECTS_GRACEFUL_SHUTDOWN_SECONDS="5",
        PROJECTS_LOG_LEVEL="WARNING",
    )
    service.start()
    port = free_port()
    conf = render_gateway(
        {
            "GATEWAY_PORT": f"127.0.0.1:{port}",
            "GATEWAY_TEMP_DIR": str(tmp_path / "nginx"),
            "GATEWAY_SPA_ROOT": str(tmp_path),
            "PROJECTS_UPSTREAM": f"127.0.0.1:{service.port}",
            "REPORTING_UPSTREAM": "127.0.0.1:9",
            "GATEWAY_UPSTREAM_KEEPALIVE_TIMEOUT": "1s",
            "GATEWAY_WRITE_RATE": "1000r/s",
            "GATEWAY_WRITE_BURST": "1000",
            "GATEWAY_WORKER_PROCESSES": "1",
        },
        tmp_path / "nginx-conf",
    )
    gateway = Nginx(conf, port, tmp_path)
    gateway.start()
    try:
        yield gateway, service
    finally:
        gateway.stop()
        service.stop()


def _post(client: httpx.Client) -> int:
    # A POST the service answers without writing anything: logout without a refresh token (204).
    return client.post("/api/projects/v1/auth/logout").status_code


def test_the_shipped_timeouts_keep_the_gateway_closing_first() -> None:
    """The defaults: the gateway lets idle connections go before the service would, and a draining service keeps
    serving longer than the gateway keeps any idle connection (so it never closes one under the gateway)."""
    from projects_api.settings import Settings

    gateway = int(gateway_defaults()["GATEWAY_UPSTREAM_KEEPALIVE_TIMEOUT"].removesuffix("s"))
    service = Settings()
    assert gateway < service.keep_alive_seconds
    assert gateway < service.shutdown_drain_seconds
    assert service.keep_alive_seconds > 60  # longer than common load balancers' and ingress controllers' 60 s
    assert "keepalive_timeout %s" in (GATEWAY_DIR / "entrypoint.sh").read_text()  # the upstream blocks use it


def test_no_502_after_idle_gaps_around_either_timeout(pair: tuple[Nginx, ServiceProcess]) -> None:
    gateway, _ = pair
    statuses: list[tuple[float, int]] = []
    with httpx.Client(base_url=gateway.url, timeout=10) as client:
        assert _post(client) == 204
        for gap in GAPS:
            time.sleep(gap)
            statuses.append((gap, _post(client)))
    assert [s for s in statuses if s[1] != 204] == []


def test_a_service_stopped_like_an_orchestrator_does_loses_nothing_while_it_drains(
    pair: tuple[Nginx, ServiceProcess],
) -> None:
    gateway, service = pair
    assert service.process is not None
    answers: list[int] = []
    stop = threading.Event()

    def steady() -> None:
        with httpx.Client(base_url=gateway.url, timeout=10) as client:
            for _ in range(2000):  # bounded: ends with the drain, long before this
                if stop.is_set():
                    return
                response = client.post("/api/projects/v1/auth/logout")
                answers.append(response.status_code)
                time.sleep(0.02)

    ready_during_drain: list[int] = []
    worker = threading.Thread(target=steady)
    worker.start()
    try:
        time.sleep(0.5)
        service.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        ready_during_drain.append(httpx.get(f"{service.url}/readyz", timeout=5).status_code)
        direct = httpx.post(f"{service.url}/api/projects/v1/auth/logout", timeout=5)
        time.sleep(1.0)  # still inside the 3 s drain
    finally:
        stop.set()
        worker.join(timeout=30)
    assert ready_during_drain == [503]  # out of rotation ...
    assert direct.status_code == 204 and direct.headers["connection"] == "close"  # ... yet serving, closing
    assert len(answers) > 20
    assert set(answers) == {204}
    exit_code = service.process.wait(timeout=30)  # the drain (3 s) and a bounded shutdown (5 s at most)
    assert exit_code == 0
    service.process = None
