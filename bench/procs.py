"""Service processes started the production way (uvicorn, uvloop, httptools, one worker, logs to a file)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from registry_kit.settings import REPO_ROOT


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Service:
    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    log: Path
    ready_path: str = "/readyz"
    stop_signal: int = signal.SIGTERM
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90.0) -> None:
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        out = self.log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
            self.argv, env=self.env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        out.close()

    def wait_ready(self, timeout: float = 90.0) -> None:
        assert self.process is not None, "launch() first"  # noqa: S101
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log}")
            try:
                if httpx.get(self.base_url + self.ready_path, timeout=2.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} was not ready after {timeout:.0f} s; see {self.log}")

    def rss_mb(self) -> float:
        """Resident memory of the server process and its children, in MB."""
        if self.process is None or self.process.poll() is not None:
            return float("nan")
        proc = psutil.Process(self.process.pid)
        total = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
        return float(total) / 1_000_000

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, self.stop_signal)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def floor_service(
    name: str, factory: str, env: dict[str, str], dsn: str, captured_sql: Path | None, logs: Path
) -> Service:
    """A floor (`factory`: module:function of a Starlette app), served like the product; `captured_sql`: the product's
    statements for a replay floor (None for an independent one)."""
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        factory,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--workers",
        "1",
        "--no-access-log",
    ]
    floor_env = env | {"BENCH_FLOOR_DSN": dsn} | ({"BENCH_FLOOR_SQL": str(captured_sql)} if captured_sql else {})
    return Service(name, argv, floor_env, port, logs / f"{name}.log")
