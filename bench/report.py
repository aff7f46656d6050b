"""One table printed, bench/results/latest.json written, BENCHMARKS.md's latest section rewritten."""

from __future__ import annotations

import json
import math
import os
import platform
import re
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from bench.load import LoadResult
from registry_kit.settings import REPO_ROOT

RESULTS = REPO_ROOT / "bench" / "results"
BENCHMARKS_MD = REPO_ROOT / "BENCHMARKS.md"
START, END = "<!-- bench:latest:start -->", "<!-- bench:latest:end -->"


FLOOR_KINDS = ("independent", "replay", "copy", "limit")


@dataclass
class Floor:
    """What the product is compared with. `independent`: the fastest honest way the harness knows to give the same
    answer without the product's SQL (bench/independent_floor.py); `replay`: the product's own SQL replayed by a bare
    server (framework overhead); `copy`: PostgreSQL's COPY of the same rows; `limit`: an absolute target."""

    kind: str
    value: float | None
    ratio: float | None
    what: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Operation:
    """One row of the issue's table. `product` and `floor` are None when the row was not measured (see `note`).
    `floor` and `ratio` are those of the floor the target is judged against (the independent one where there is
    one); `floors` holds every floor measured for the row."""

    name: str
    unit: str
    target: str
    product: float | None = None
    floor: float | None = None
    ratio: float | None = None
    met: bool | None = None
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    floors: list[Floor] = field(default_factory=list)
    key: str = ""  # the same at every size (names carry the size's counts): the growth report joins rows by it

    def not_measured(self, reason: str) -> Operation:
        self.product = self.floor = self.ratio = None
        self.met = None
        self.note = f"not measured: {reason}"
        return self

    def add_floor(self, kind: str, value: float | None, what: str, *, judged: bool = False, **details: Any) -> Floor:
        """A floor with the product's ratio to it; `judged`: the one the target is measured against."""
        if kind not in FLOOR_KINDS:
            raise ValueError(f"unknown floor kind {kind!r}")
        ratio = self.product / value if self.product is not None and value else None
        floor = Floor(kind, value, ratio, what, details)
        self.floors.append(floor)
        if judged:
            self.floor, self.ratio = value, ratio
        return floor

    def throughput_against_floors(
        self, product: LoadResult, replay: LoadResult, independent: LoadResult, independent_what: str
    ) -> dict[str, Any]:
        """A read's row: the product's requests/s beside its replay floor (framework overhead) and its independent
        floor (the one judged); returns the three runs' latencies for the row's details."""
        self.product = product.rps
        self.add_floor(
            "replay",
            replay.rps,
            "the product's own SQL replayed by Starlette + asyncpg (framework overhead)",
            p50_ms=replay.p50_ms,
            p99_ms=replay.p99_ms,
        )
        self.add_floor(
            "independent",
            independent.rps,
            independent_what,
            judged=True,
            p50_ms=independent.p50_ms,
            p99_ms=independent.p99_ms,
        )
        return {
            name: {"p50_ms": run.p50_ms, "p99_ms": run.p99_ms, "requests": run.requests}
            for name, run in (("product", product), ("replay", replay), ("independent", independent))
        }

    def floor_of(self, kind: str) -> Floor | None:
        return next((f for f in self.floors if f.kind == kind), None)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(postgres: str, load_start: float) -> dict[str, Any]:
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)  # noqa: S607
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgres": postgres,
        "wrk": " ".join((wrk.stdout or wrk.stderr or "wrk unknown").split()[:2]),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "load_average_1m_start": round(load_start, 1),
    }


def commit_id() -> str:
    """The commit measured (with `+changes` when the work tree differs from it; the files the bench itself writes,
    BENCHMARKS.md and the growth chart, do not count)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=False, cwd=REPO_ROOT)  # noqa: S603, S607
        return done.stdout.strip()

    head, dirty = (
        git("rev-parse", "HEAD"),
        git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!BENCHMARKS.md", ":!docs/bench-growth.png"),
    )
    return head + ("+changes" if dirty else "")


def _fmt(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def _floors(op: Operation) -> str:
    return "; ".join(f"{f.kind} {_fmt(f.value)} ({_fmt(f.ratio)})" for f in op.floors) or "–"


def table(operations: list[Operation]) -> str:
    """`floor` and `ratio`: the floor the target is judged against; `floors`: every floor, value (product's ratio)."""
    head = ["operation", "unit", "product", "floor", "ratio", "target", "met", "floors"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for op in operations:
        met = {True: "yes", False: "**no**", None: "–"}[op.met]
        cells = [op.name, op.unit, _fmt(op.product), _fmt(op.floor), _fmt(op.ratio), op.target, met, _floors(op)]
        lines.append("| " + " | ".join(cells) + " |")
    notes = [f"- {op.name}: {op.note}" for op in operations if op.note]
    return "\n".join(lines + ([""] + notes if notes else []))


def write(
    size: str, mach: dict[str, Any], operations: list[Operation], command: str, *, latest: bool, complete: bool = True
) -> Path:
    body = {
        "machine": mach,
        "size": size,
        "command": command,
        "commit": commit_id(),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "operations": [
            {
                k: v
                for k, v in asdict(op).items()
                if k in ("key", "name", "unit", "product", "floor", "ratio", "target", "met")
            }
            | {"floors": [asdict(f) for f in op.floors], "note": op.note, "details": op.details}
            for op in operations
        ],
    }
    # A run judged against the targets is the record (latest.json, BENCHMARKS.md); every complete run also leaves
    # <size>.json beside it, which the growth report reads (bench/growth.py); a partial run (BENCH_ONLY) goes to var/.
    text = json.dumps(body, indent=2, default=str) + "\n"
    path = RESULTS / f"{size}.json" if complete else REPO_ROOT / "var" / "bench" / f"{size}-partial.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    if latest:
        path = RESULTS / "latest.json"
        path.write_text(text)
        _update_markdown(size, mach, operations, command, str(body["finished_at"]))
    return path


def _update_markdown(size: str, mach: dict[str, Any], operations: list[Operation], command: str, when: str) -> None:
    section = "\n".join(
        [
            START,
            f"Measured {when} with `{command}` (dataset size `{size}`).",
            "",
            f"Machine: {mach['cpu']}, {mach['cores']} cores, {mach['memory_gb']} GiB; {mach['os']}; "
            f"Python {mach['python']}; PostgreSQL {mach['postgres']}; {mach['wrk']}; load average "
            f"{mach['load_average_1m_start']} when the run started and {mach['load_average_1m']} when it ended (each row's "
            "`load_1m` in latest.json: when it was measured).",
            "",
            table(operations),
            END,
        ]
    )
    text = BENCHMARKS_MD.read_text() if BENCHMARKS_MD.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text + "\n" + section + "\n"
    BENCHMARKS_MD.write_text(text)
