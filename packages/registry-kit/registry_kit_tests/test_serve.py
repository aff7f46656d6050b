"""The production server loop (registry_kit.serve) in a process of its own: SIGTERM drains, then the shutdown waits
for requests in flight no longer than its bound."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

APP = """
import asyncio, sys
from fastapi import FastAPI
from registry_kit.lifecycle import DrainMiddleware, drain
from registry_kit.serve import serve
from registry_kit.settings import ServiceSettings

def create():
    app = FastAPI()
    app.add_middleware(DrainMiddleware)

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(600)  # a request that would hold a shutdown for ten minutes
        return {"done": "late"}

    @app.post("/write")
    async def write() -> dict[str, bool]:
        return {"written": True}

    @app.get("/ready")
    async def ready() -> dict[str, bool]:
        return {"draining": drain.active}

    return app

settings = ServiceSettings(shutdown_drain_seconds=1.0, graceful_shutdown_seconds=2, keep_alive_seconds=75)
serve(create, settings, "127.0.0.1", int(sys.argv[1]))
"""


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(tmp_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    script = tmp_path / "app.py"
    script.write_text(APP)
    port = _port()
    process = subprocess.Popen(  # noqa: S603 (our interpreter, a test app)
        [sys.executable, str(script), str(port)],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):  # bounded wait for it to listen
        try:
            if httpx.get(f"{base}/ready", timeout=1).json() == {"draining": False}:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    return process, base


def test_sigterm_drains_then_shuts_down_within_its_bound(tmp_path: Path) -> None:
    process, base = _start(tmp_path)
    try:
        slow: list[object] = []

        def call_slow() -> None:
            try:
                slow.append(httpx.get(f"{base}/slow", timeout=120).status_code)
            except httpx.HTTPError as exc:
                slow.append(type(exc).__name__)

        caller = threading.Thread(target=call_slow)
        caller.start()
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        during = httpx.get(f"{base}/ready", timeout=5)
        assert during.json() == {"draining": True}  # still answering, telling proxies to go elsewhere
        assert during.headers["connection"] == "close"
        assert process.wait(timeout=60) == 0  # ended by the bound, not by the ten-minute request
        caller.join(timeout=30)
        assert slow and slow[0] != 200
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_end_of_the_drain_resets_no_connection_that_may_carry_a_request(tmp_path: Path) -> None:
    """Clients opening a new connection per POST, through the drain and the shutdown, as a proxy does once the
    draining service says `Connection: close`. Each POST is answered, or its connection is refused before anything
    was sent (a proxy then tries another replica). None may be cut after it was sent: a proxy cannot retry a POST
    then, and answers 502. (Closing the listening socket resets the connections queued on it; uvicorn's own
    shutdown closes accepted connections whose request it has not read yet.)"""
    process, base = _start(tmp_path)
    outcomes: list[str] = []
    done = threading.Event()

    def post_until_gone() -> None:
        for _ in range(5000):  # bounded; the server is gone long before
            if done.is_set():
                return
            try:
                answer = httpx.post(f"{base}/write", headers={"Connection": "close"}, timeout=10)
                outcomes.append(f"answered {answer.status_code}")
            except httpx.ConnectError:
                outcomes.append("refused")
                if process.poll() is not None:
                    return
            except httpx.TransportError as exc:
                outcomes.append(f"cut after sending: {type(exc).__name__}")

    clients = [threading.Thread(target=post_until_gone) for _ in range(4)]
    try:
        for client in clients:
            client.start()
        for _ in range(300):  # until the clients are well under way (bounded: 30 s)
            if outcomes.count("answered 200") >= 8:
                break
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        done.set()
        for client in clients:
            client.join(timeout=60)
        if process.poll() is None:
            process.kill()
            process.wait()
    assert outcomes.count("answered 200") >= 8, Counter(outcomes)
    assert [o for o in outcomes if o not in ("answered 200", "refused")] == [], Counter(outcomes)
