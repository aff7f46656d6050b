"""BENCH_PROFILE=1: a py-spy sampling profile of the product during each of its measured load runs.

Written to var/bench/profiles/<run>.raw (collapsed stacks, for flamegraph tools) and <run>.txt (the functions with
the most samples, self and inclusive), so a missed target comes with the profile that explains it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path


def enabled() -> bool:
    return os.environ.get("BENCH_PROFILE", "") not in ("", "0")


def start(pid: int, seconds: int, out: Path) -> subprocess.Popen[bytes] | None:
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    argv = [
        spy,
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(max(1, seconds - 1)),
        "--rate",
        "200",
        "--format",
        "raw",
        "--nonblocking",
        "-o",
        str(out),
    ]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


def summarise(raw: Path, top: int = 30) -> Path:
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    lines = [f"{total} samples", "", "self:"]
    lines += [f"{n / total:6.1%} {f}" for f, n in own.most_common(top)]
    lines += ["", "inclusive:"] + [f"{n / total:6.1%} {f}" for f, n in inclusive.most_common(top * 2)]
    text = raw.with_suffix(".txt")
    text.write_text("\n".join(lines) + "\n")
    return text
