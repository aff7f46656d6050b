"""What every operation needs: the size, the token, the running services, where to write files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench import profile
from bench.dataset import Dataset
from bench.load import LoadResult, run_wrk
from bench.procs import Service
from bench.sizes import Size


class CheckFailed(Exception):
    """The product and its floor disagree, or a load run saw errors: the harness is wrong or the product is."""


@dataclass
class Context:
    size: Size
    work: Path
    token: str
    dataset: Dataset
    services: dict[str, Service] = field(default_factory=dict)
    captured: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    reporter_token: str = ""  # a reporter grant everywhere, for writes (the import)
    extra: dict[str, Any] = field(default_factory=dict)  # what one group of rows prepares for its rows

    @property
    def judged(self) -> bool:
        return self.size.thresholds

    def paths_file(self, name: str, paths: list[str]) -> Path:
        path = self.work / f"{name}.paths"
        path.write_text("\n".join(paths) + "\n")
        return path

    def get(self, service: str, path: str) -> Any:
        response = httpx.get(
            self.services[service].base_url + path, headers={"Authorization": f"Bearer {self.token}"}, timeout=60.0
        )
        if response.status_code != 200:
            raise CheckFailed(f"{service} answered {response.status_code} to {path}: {response.text[:300]}")
        return response.json()

    def load(self, service: str, paths: Path, *, connections: int | None = None, timeout: int = 10) -> LoadResult:
        """A short warm-up, then the measured run; any error or non-2xx answer fails the run."""
        base = self.services[service].base_url
        conns = connections or self.size.connections
        run_wrk(base, paths, seconds=1, connections=conns, token=self.token, timeout=timeout)
        seconds = self.size.load_seconds
        spy = None
        process = self.services[service].process
        if profile.enabled() and not service.endswith("floor") and process is not None:
            spy = profile.start(process.pid, seconds, self.work / "profiles" / f"{service}-{paths.stem}.raw")
        result = run_wrk(base, paths, seconds=seconds, connections=conns, token=self.token, timeout=timeout)
        if spy is not None:
            spy.wait(timeout=60)
            raw = self.work / "profiles" / f"{service}-{paths.stem}.raw"
            if raw.exists():
                profile.summarise(raw)
        if result.errors or result.status_errors or result.requests == 0:
            raise CheckFailed(
                f"{service}: {result.requests} requests, {result.errors} socket errors, "
                f"{result.status_errors} non-2xx answers; see {self.services[service].log}"
            )
        return result
