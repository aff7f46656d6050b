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


def test_sigterm_drains_then_shuts_down_within_its_bound(tmp_path: Path) -> None:
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
    try:
        for _ in range(600):  # bounded wait for it to listen
            try:
                if httpx.get(f"{base}/ready", timeout=1).json() == {"draining": False}:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
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
