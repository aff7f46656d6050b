"""The one-process stack (`python -m registry_stack`, what `make run` serves) on a free loopback port with a fresh
embedded PostgreSQL in a temporary folder, shared by the suite: real HTTP, migrations and demo data as `make run`
has them (`stack`); and the system the authorization matrix and the fault suite use (`system`, see support.py: the
same stack on a PostgreSQL of its own that the fault tests stop and start; the tests that stop parts of it bring
them back)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from registry_stack_tests.support import System

REPO = Path(__file__).resolve().parents[3]
DEMO_PASSWORDS = {
    "admin": "demo-admin-pass",
    "manager": "demo-manager-pass",
    "reporter": "demo-reporter-pass",
    "viewer": "demo-viewer-pass",
    "donor": "demo-donor-pass",
}
BANNER = "Ctrl-C stops it."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def accepts(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Running:
    """A server process started by a test, its log and the folder it keeps its database in."""

    process: subprocess.Popen[bytes]
    port: int
    work: Path
    log: Path
    accepting_at_banner: bool = False
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def json_lines(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log_text().splitlines():
            if line.startswith("{"):
                out.append(json.loads(line))
        return out

    def token(self, role: str) -> str:
        """An access token of the demo user with this role (password grant)."""
        if role not in self.tokens:
            response = httpx.post(
                f"{self.base}/api/projects/v1/auth/token",
                data={"grant_type": "password", "username": f"{role}@demo.mcb", "password": DEMO_PASSWORDS[role]},
                timeout=30,
            )
            response.raise_for_status()
            self.tokens[role] = response.json()["access_token"]
        return self.tokens[role]

    def postgres_pid(self) -> int | None:
        pid_file = self.work / "pg" / "postmaster.pid"
        return int(pid_file.read_text().split()[0]) if pid_file.exists() else None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int | None:
        """Signal the process, wait for it, and make sure nothing it started is left (the database included)."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        code = self.process.returncode
        pid = self.postgres_pid()
        if pid is not None:
            try:
                os.kill(pid, signal.SIGINT)  # a fast shutdown of a server its parent left behind
            except ProcessLookupError:
                pass
        return code


def start(args: list[str], work: Path, env: dict[str, str], *, port: int, banner: str, timeout: float = 300) -> Running:
    """Start `python <args>` in its own session with its output in work/out.log; return once `banner` is printed,
    recording whether the port accepted connections at that moment."""
    log = work / "out.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, *args], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    running = Running(process, port, work, log)
    deadline = time.monotonic() + timeout
    while banner not in running.log_text():
        if process.poll() is not None or time.monotonic() > deadline:
            running.stop(signal.SIGKILL)
            pytest.fail(f"{' '.join(args)} did not start; its log ends with:\n{running.log_text()[-4000:]}")
        time.sleep(0.2)
    running.accepting_at_banner = accepts(port)
    return running


def stack_env(work: Path, port: int, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "MCB_HOST": "127.0.0.1",
        "MCB_PORT": str(port),
        "PROJECTS_EMBEDDED_PG_DIR": str(work / "pg"),
        "REPORTING_EMBEDDED_PG_DIR": str(work / "pg"),
        "PROJECTS_DEV_KEY_PATH": str(work / "dev-jwt-key.pem"),
        **extra,
    }


@contextmanager
def work_dir(name: str) -> Iterator[Path]:
    """A folder for a server's database, under the repository's var/: as root the embedded PostgreSQL runs as its own
    user, which must reach the folder, and pytest makes its own temporary root private again on every run (any
    other session's run too), which would cut a running server off its data."""
    base = REPO / "var" / "stack-tests"
    base.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=base))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def stack() -> Iterator[Running]:
    with work_dir("stack") as work:
        port = free_port()
        running = start(["-m", "registry_stack"], work, stack_env(work, port), port=port, banner=BANNER)
        try:
            yield running
        finally:
            running.stop()


SYSTEM_ENV = {
    # Failed sign-ins from 127.0.0.1 add up over the whole suite; the per-address limit is tested in projects-api.
    "PROJECTS_LOGIN_MAX_FAILURES_PER_ADDRESS": "10000",
    # A first lock long enough that no busy machine sees it end within the parallel-guessing test.
    "PROJECTS_LOGIN_LOCKOUT_BASE_SECONDS": "60",
    # A killed import worker's job is taken over after 5 s of silence (60 s by default).
    "REPORTING_IMPORT_STALE_SECONDS": "5",
    "REPORTING_IMPORT_HEARTBEAT_SECONDS": "1",
    "REPORTING_IMPORT_POLL_SECONDS": "1",
    # Imports over 200 KB run as jobs (the matrix makes one; the fault suite's kill test uploads megabytes).
    "REPORTING_IMPORT_JOB_BYTES": "200000",
    # IATI files over 200 KB are imported by jobs too (the matrix makes one).
    "PROJECTS_IATI_IMPORT_JOB_BYTES": "200000",
    # The matrix syncs explicitly; no background sync racing it.
    "REPORTING_SYNC_INTERVAL_SECONDS": "0",
}


@pytest.fixture(scope="session")
def system() -> Iterator[System]:
    running = System(SYSTEM_ENV)
    try:
        running.stack.start()
        yield running
    finally:
        running.close()
