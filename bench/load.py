"""wrk from Debian, on loopback, every run bounded in time; installed with apt-get when missing."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).parent / "lua" / "paths.lua"


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: apt-get install -y wrk", flush=True)  # noqa: T201
    subprocess.run(["apt-get", "update", "-qq"], check=True, timeout=300)  # noqa: S607
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, timeout=300)  # noqa: S607
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed")
    return found


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    errors: int
    status_errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(
    base_url: str,
    paths_file: Path,
    *,
    seconds: int,
    connections: int,
    token: str | None,
    threads: int = 1,
    timeout: int = 10,
) -> LoadResult:
    """One bounded wrk run against base_url (a loopback address) cycling through the paths in paths_file."""
    if not base_url.startswith(("http://127.", "http://localhost")):
        raise ValueError(f"load runs only on loopback, not {base_url}")
    argv = [ensure_wrk(), f"-t{threads}", f"-c{max(connections, threads)}", f"-d{seconds}s", "--timeout", f"{timeout}s"]
    if token:
        argv += ["-H", f"Authorization: Bearer {token}"]
    argv += ["-s", str(LUA), base_url, "--", str(paths_file)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + timeout + 60, check=True)  # noqa: S603
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line.removeprefix("BENCH_RESULT "))
    return LoadResult(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        errors=raw["errors"],
        status_errors=raw["status_errors"],
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
    )
