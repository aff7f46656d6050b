"""Helpers for the deploy suite: real service processes, a real nginx, and the repository's deploy files."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY = REPO_ROOT / "deploy"
GATEWAY_DIR = DEPLOY / "gateway"
NGINX = Path(os.environ.get("NGINX_BIN", "/usr/sbin/nginx"))
REPORTING_SERVICE = REPO_ROOT / "services" / "reporting-api"


def reporting_present() -> bool:
    """reporting-api is being built in parallel: the suite covers it once its command line and a migration exist."""
    package = REPORTING_SERVICE / "src" / "reporting_api"
    return (package / "__main__.py").is_file() and any((package / "migrations" / "versions").glob("*.py"))


def pg_program(name: str) -> Path:
    """pg_dump, pg_restore, psql…: from PATH when TEST_DATABASE_URL names a server, else the embedded server's."""
    if os.environ.get("TEST_DATABASE_URL"):
        found = shutil.which(name)
        if found is None:
            raise RuntimeError(f"{name} is not on PATH (needed with TEST_DATABASE_URL)")
        return Path(found)
    from registry_kit.embedded_pg import embedded_bin
    from registry_testing import TEST_PG_DIR

    return embedded_bin(Path(os.environ.get("TEST_PG_DIR", TEST_PG_DIR)), name)


def libpq_url(sqlalchemy_url: str) -> str:
    from registry_kit.embedded_pg import asyncpg_dsn

    return asyncpg_dsn(sqlalchemy_url)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, *, timeout: float = 60.0, process: subprocess.Popen[bytes] | None = None) -> None:
    """Poll `url` until it answers 200 (or the process dies, or time runs out)."""
    deadline = time.monotonic() + timeout
    last: str = "no answer"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} answered")
        try:
            response = httpx.get(url, timeout=2.0)
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text[:200]}"
        except httpx.TransportError as exc:
            last = repr(exc)
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready after {timeout}s: {last}")


def gateway_defaults() -> dict[str, str]:
    """The defaults in deploy/gateway/gateway.env (shell syntax), as the entrypoint applies them."""
    values: dict[str, str] = {}
    for line in (GATEWAY_DIR / "gateway.env").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        (assignment,) = shlex.split(line)
        name, _, value = assignment.partition("=")
        values[name] = value
    return values


def read_json_lines(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        return
    for line in path.read_text(errors="replace").splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


def wait_for_log(path: Path, predicate: Any, *, timeout: float = 5.0) -> dict[str, Any] | None:
    """The first JSON line of the log at `path` that `predicate` accepts, waiting a little for it."""
    deadline = time.monotonic() + timeout
    while True:
        for entry in read_json_lines(path):
            if predicate(entry):
                return entry
        if time.monotonic() > deadline:
            return None
        time.sleep(0.1)


class ServiceProcess:
    """`python -m <module> serve` as a real uvicorn process on loopback, its JSON log in a file."""

    def __init__(self, module: str, env: Mapping[str, str], workdir: Path) -> None:
        self.module = module
        self.port = free_port()
        self.env = {**os.environ, **env}
        self.workdir = workdir
        self.log_path = workdir / f"{module}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def launch(self, *args: str) -> subprocess.Popen[str]:
        """Start a one-shot command of the service (migrate, load-demo); `finish` waits for it."""
        return subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", self.module, *args],
            env=self.env,
            cwd=self.workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def finish(self, command: subprocess.Popen[str]) -> None:
        output, _ = command.communicate(timeout=300)
        if command.returncode != 0:
            raise RuntimeError(f"{self.module} {command.args!r} failed:\n{output[-4000:]}")

    def run(self, *args: str) -> None:
        self.finish(self.launch(*args))

    def spawn(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", self.module, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env,
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self) -> None:
        # Generous: on a shared two-core machine under load a cold start (imports, ECB rates) can take a minute.
        wait_for(f"{self.url}/readyz", process=self.process, timeout=180)

    @property
    def running(self) -> bool:
        return self.process is not None

    def start(self) -> None:
        self.spawn()
        self.wait_ready()

    def stop(self, sig: int = signal.SIGINT) -> None:
        """SIGINT: shut down now (in-flight requests still finish); SIGTERM: drain first, as an orchestrator stops it."""
        if self.process is None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=60 if sig == signal.SIGTERM else 15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None

    def pause(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


def render_gateway(settings: Mapping[str, str], out: Path) -> Path:
    """Render the gateway's templates with the real entrypoint script (render-only mode)."""
    env = {**os.environ, **settings, "GATEWAY_CONF_DIR": str(out), "GATEWAY_RENDER_ONLY": "1"}
    result = subprocess.run(  # noqa: S603
        ["/bin/sh", str(GATEWAY_DIR / "entrypoint.sh")],  # noqa: S607
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return Path(result.stdout.strip())


class Nginx:
    """Debian's nginx with the rendered gateway config, in the foreground, logs in files."""

    def __init__(self, conf: Path, port: int, workdir: Path) -> None:
        self.conf = conf
        self.port = port
        self.access_log = workdir / "gateway-access.log"
        self.error_log = workdir / "gateway-error.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if not NGINX.exists() or shutil.which(str(NGINX)) is None:
            raise RuntimeError(f"{NGINX} is missing: `make test-deploy` installs Debian's nginx")
        test = subprocess.run(  # noqa: S603
            [str(NGINX), "-t", "-c", str(self.conf), "-e", "stderr"], capture_output=True, text=True, timeout=30
        )
        if test.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{test.stderr}")
        with self.access_log.open("ab") as out, self.error_log.open("ab") as err:
            self.process = subprocess.Popen(  # noqa: S603
                [str(NGINX), "-c", str(self.conf), "-e", "stderr", "-g", "daemon off;"], stdout=out, stderr=err
            )
        wait_for(f"{self.url}/gateway/healthz", timeout=15, process=self.process)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process = None
