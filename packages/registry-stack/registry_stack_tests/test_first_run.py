"""What a newcomer meets with `make run`: no root, apt or browser in its recipe, a banner only once the server answers,
log lines that name the service that wrote them (plain on a terminal, JSON otherwise), and a stop that takes the
embedded PostgreSQL with it."""

from __future__ import annotations

import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from registry_stack_tests.conftest import REPO, Running, free_port, work_dir


def test_make_run_needs_no_root_apt_or_browser(tmp_path: Path) -> None:
    """Every command `make run` would run, from scratch (`-B`), printed by make itself (`-n`): none installs a system
    package, asks for root or names a browser. (tools/first_run_check.sh runs it for real as an unprivileged user.)"""
    make = shutil.which("make")
    assert make is not None
    dry = subprocess.run(  # noqa: S603
        [make, "-n", "-B", "run"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    commands = dry.stdout.lower()
    assert "run" in commands and "registry_stack" in commands
    for word in ("apt-get", "apt ", "dpkg", "sudo", "chromium", "chrome", "playwright install"):
        assert word not in commands, word


def test_the_banner_comes_once_the_server_accepts_connections(stack: Running) -> None:
    assert stack.accepting_at_banner
    text = stack.log_text()
    assert text.index("Application startup complete") < text.index("is running at")


def test_each_log_line_names_the_service_that_wrote_it(stack: Running) -> None:
    """One process serves both APIs; each request's line (and what was logged while serving it) names its service."""
    ids = {}
    for path in ("/api/projects/v1/projects?page_size=1", "/api/reporting/v1/indicators", "/api/projects/v1/nowhere"):
        response = httpx.get(stack.base + path, timeout=30)
        ids[path] = response.headers["x-request-id"]
    deadline = time.monotonic() + 10
    while True:
        by_id = {line.get("request_id"): line for line in stack.json_lines() if line.get("logger") == "registry.access"}
        if all(i in by_id for i in ids.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    services = {path: by_id[i]["service"] for path, i in ids.items()}
    assert services == {
        "/api/projects/v1/projects?page_size=1": "projects-api",
        "/api/reporting/v1/indicators": "reporting-api",
        "/api/projects/v1/nowhere": "projects-api",
    }
    lines = stack.json_lines()
    assert {"projects-api", "reporting-api", "registry-stack"} <= {line["service"] for line in lines}
    migrated = [line for line in lines if "Running upgrade" in line["msg"]]
    assert {line["service"] for line in migrated} == {"projects-api", "reporting-api"}
    assert all(line["service"] == "registry-stack" for line in lines if line["logger"].startswith("uvicorn"))


def test_serve_logs_plain_text_on_a_terminal_and_sigterm_stops_its_database() -> None:
    """`python -m projects_api serve` with a terminal for stdout: readable lines naming the service; SIGTERM (what
    a container runtime or systemd sends) ends it and the embedded PostgreSQL it started."""
    with work_dir("serve") as work:
        _serve_and_stop(work)


def _serve_and_stop(tmp_path: Path) -> None:
    port = free_port()
    main, terminal = pty.openpty()
    env = {
        **os.environ,
        "PROJECTS_EMBEDDED_PG_DIR": str(tmp_path / "pg"),
        "PROJECTS_DEV_KEY_PATH": str(tmp_path / "key.pem"),
    }
    env.pop("PROJECTS_LOG_JSON", None)
    log = tmp_path / "out.log"
    migrate = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "projects_api", "migrate"], cwd=REPO, env=env, capture_output=True, check=False
    )
    assert migrate.returncode == 0, migrate.stderr[-2000:]
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "projects_api", "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=terminal,
        stderr=log.open("wb"),
        start_new_session=True,
    )
    os.close(terminal)
    server = Running(process, port, tmp_path, log)
    try:
        output = b""
        deadline = time.monotonic() + 180
        while b"is serving on" not in log.read_bytes() and time.monotonic() < deadline and process.poll() is None:
            output += _drain(main)  # a terminal's buffer is small: read it as it fills
            time.sleep(0.2)
        assert httpx.get(f"{server.base}/api/projects/v1/projects?page_size=1", timeout=30).status_code == 200
        postgres = server.postgres_pid()
        assert postgres is not None
        time.sleep(0.5)
        output += _drain(main)
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(60) == 0  # drained and stopped in order: a clean exit, as uvicorn's
        output += _drain(main)
        assert not _alive(postgres), "the embedded PostgreSQL outlived serve"
    finally:
        server.stop(signal.SIGKILL)
        os.close(main)
    text = output.decode(errors="replace")
    access = [line for line in text.splitlines() if "GET /api/projects/v1/projects" in line]
    assert access, text[-2000:]
    assert re.match(r"^\d\d:\d\d:\d\d\.\d{3} INFO +projects-api +GET /api/projects/v1/projects 200 ", access[0])
    assert not any(line.lstrip().startswith("{") for line in text.splitlines())


def _drain(fd: int) -> bytes:
    out = b""
    os.set_blocking(fd, False)
    while True:
        try:
            chunk = os.read(fd, 65536)
        except (BlockingIOError, OSError):
            return out
        if not chunk:
            return out
        out += chunk


def _alive(pid: int) -> bool:
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    return True
