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

from registry_kit.settings import REPO_ROOT

RESULTS = REPO_ROOT / "bench" / "results"
BENCHMARKS_MD = REPO_ROOT / "BENCHMARKS.md"
START, END = "<!-- bench:latest:start -->", "<!-- bench:latest:end -->"


@dataclass
class Operation:
    """One row of the issue's table. `product` and `floor` are None when the row was not measured (see `note`)."""

    name: str
    unit: str
    target: str
    product: float | None = None
    floor: float | None = None
    ratio: float | None = None
    met: bool | None = None
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def not_measured(self, reason: str) -> Operation:
        self.product = self.floor = self.ratio = None
        self.met = None
        self.note = f"not measured: {reason}"
        return self


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(postgres: str) -> dict[str, Any]:
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
    }


def _fmt(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def table(operations: list[Operation]) -> str:
    head = ["operation", "unit", "product", "floor", "ratio", "target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for op in operations:
        met = {True: "yes", False: "**no**", None: "–"}[op.met]
        cells = [op.name, op.unit, _fmt(op.product), _fmt(op.floor), _fmt(op.ratio), op.target, met]
        lines.append("| " + " | ".join(cells) + " |")
    notes = [f"- {op.name}: {op.note}" for op in operations if op.note]
    return "\n".join(lines + ([""] + notes if notes else []))


def write(size: str, mach: dict[str, Any], operations: list[Operation], command: str, *, latest: bool) -> Path:
    body = {
        "machine": mach,
        "size": size,
        "command": command,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "operations": [
            {k: v for k, v in asdict(op).items() if k in ("name", "unit", "product", "floor", "ratio", "target", "met")}
            | {"note": op.note, "details": op.details}
            for op in operations
        ],
    }
    # Sizes judged against the targets are the record; the CI size stays out of the tree (var/ is ignored).
    path = RESULTS / "latest.json" if latest else REPO_ROOT / "var" / "bench" / f"{size}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, indent=2, default=str) + "\n")
    if latest:
        _update_markdown(size, mach, operations, command, str(body["finished_at"]))
    return path


def _update_markdown(size: str, mach: dict[str, Any], operations: list[Operation], command: str, when: str) -> None:
    section = "\n".join([
        START,
        f"Measured {when} with `{command}` (dataset size `{size}`).",
        "",
        f"Machine: {mach['cpu']}, {mach['cores']} cores, {mach['memory_gb']} GiB; {mach['os']}; "
        f"Python {mach['python']}; PostgreSQL {mach['postgres']}; {mach['wrk']}; load average "
        f"{mach['load_average_1m']} when the run ended (other engineers' suites share the machine).",
        "",
        table(operations),
        END,
    ])  # fmt: skip
    text = BENCHMARKS_MD.read_text() if BENCHMARKS_MD.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text + "\n" + section + "\n"
    BENCHMARKS_MD.write_text(text)
