"""How each cost grows with the data: `python -m bench.growth [--run] [--sizes tiny,quick,full,large]`.

With `--run`, the bench runs at every size whose results (bench/results/<size>.json) are missing or were measured on
another commit (`--rerun`: at every size), one after the other; then, from those results, it writes
bench/results/growth.json and draws docs/bench-growth.png (log–log: reads' p50 latency against the number of
projects; bulk work's seconds against the number of values it moves; one line per operation, the product solid,
its independent floor dashed). `make bench-growth` runs it all; bench/README.md explains what grows and why.

Each operation carries its expectation and whether the full → large step keeps it: reads served by an index stay
flat (p50 at large ≤ 2 × at full), the summary's answer grows with its groups, which stop growing once every funder,
country and year meet (so it stays flat too), exports and imports grow linearly (time per value at large ≤ 2 × at
full).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.report import RESULTS, commit_id
from bench.sizes import GROWTH_ORDER, SIZES
from registry_kit.settings import REPO_ROOT

CHART = REPO_ROOT / "docs" / "bench-growth.png"
GROWTH = RESULTS / "growth.json"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    kind: str  # "read": p50 ms against projects; "bulk": seconds against values moved
    expectation: str


MEASURES = (
    Measure("list", "project list (country, page of 50)", "read", "flat"),
    Measure("detail", "project detail", "read", "flat"),
    Measure("summary", "funding summary (kept answer)", "read", "flat"),
    Measure("summary_first", "funding summary, first answer after a change", "read", "flat"),
    Measure("progress", "indicator progress and time series", "read", "flat"),
    Measure("gateway", "project list through nginx", "read", "flat"),
    Measure("export", "CSV export of every value", "bulk", "linear"),
    Measure("import", "CSV import", "bulk", "linear"),
)


def _floor(op: dict[str, Any], kind: str) -> dict[str, Any] | None:
    return next((f for f in op.get("floors", []) if f["kind"] == kind), None)


def _point(measure: Measure, op: dict[str, Any]) -> tuple[float | None, float | None, float | None]:
    """(product, independent floor) in the chart's unit (p50 ms, or seconds), and the work (values) for bulk rows."""
    details = op.get("details", {})
    if measure.key in ("list", "detail", "progress"):
        independent = _floor(op, "independent")
        return details["product"]["p50_ms"], (independent or {}).get("details", {}).get("p50_ms"), None
    if measure.key == "gateway":
        return details["gateway"]["p50_ms"], details["direct"]["p50_ms"], None
    if measure.key in ("summary", "summary_first"):
        independent = _floor(op, "independent")
        return op["product"], (independent or {}).get("value"), None
    if measure.key == "export":
        copy = _floor(op, "copy")
        return details["seconds"], (copy or {}).get("details", {}).get("seconds"), float(details["values"])
    if measure.key == "import":
        copy = _floor(op, "copy")
        return op["product"], (copy or {}).get("value"), float(details["values"])
    raise KeyError(measure.key)


def _results(sizes: list[str]) -> dict[str, dict[str, Any]]:
    out = {}
    for size in sizes:
        path = RESULTS / f"{size}.json"
        if path.exists():
            out[size] = json.loads(path.read_text())
    return out


def report(sizes: list[str]) -> dict[str, Any]:
    results = _results(sizes)
    table: list[dict[str, Any]] = []
    for measure in MEASURES:
        row: dict[str, Any] = {
            "key": measure.key,
            "label": measure.label,
            "expectation": measure.expectation,
            "unit": "p50 ms" if measure.kind == "read" else "s",
            "product": {},
            "independent": {},
            "work": {},
        }
        for size, body in results.items():
            op = next(
                (o for o in body["operations"] if o.get("key") == measure.key and o.get("product") is not None), None
            )
            if op is None:
                continue
            product, independent, work = _point(measure, op)
            row["product"][size], row["independent"][size] = product, independent
            row["work"][size] = work if work is not None else SIZES[size].projects
        row["full_to_large"] = _step(row)
        table.append(row)
    return {
        "sizes": {
            s: {
                "projects": SIZES[s].projects,
                "transactions": SIZES[s].transactions,
                "indicator_values": SIZES[s].indicator_values,
                "import_values": SIZES[s].import_values,
                "commit": results[s].get("commit"),
                "finished_at": results[s].get("finished_at"),
                "load_average_1m": results[s]["machine"].get("load_average_1m"),
            }
            for s in sizes
            if s in results
        },
        "operations": table,
    }


def _step(row: dict[str, Any]) -> dict[str, Any] | None:
    """The full → large step: the product's growth against the data's (or the work's), and whether it is as
    expected (flat: p50 at most doubles; linear: time per unit of work at most doubles)."""
    full, large = row["product"].get("full"), row["product"].get("large")
    if not full or not large:
        return None
    growth = large / full
    work = row["work"]["large"] / row["work"]["full"]
    per_unit = growth / work
    met = growth <= 2.0 if row["expectation"] == "flat" else per_unit <= 2.0
    return {
        "growth": round(growth, 2),
        "work_growth": round(work, 2),
        "per_unit_growth": round(per_unit, 2),
        "met": met,
    }


def chart(growth: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (reads, bulk) = plt.subplots(1, 2, figsize=(13, 5.5))
    colours = plt.get_cmap("tab10")
    for i, row in enumerate(growth["operations"]):
        axis = reads if row["unit"] == "p50 ms" else bulk
        sizes = [s for s in GROWTH_ORDER if s in row["product"] and row["product"][s]]
        if not sizes:
            continue
        xs = [row["work"][s] for s in sizes]
        axis.plot(xs, [row["product"][s] for s in sizes], "o-", color=colours(i), label=row["label"])
        floor = [(row["work"][s], row["independent"][s]) for s in sizes if row["independent"].get(s)]
        if floor:
            axis.plot(*zip(*floor, strict=True), "x--", color=colours(i), alpha=0.6)
    reads.set(
        xscale="log",
        yscale="log",
        xlabel="projects in the dataset",
        ylabel="p50 latency (ms)",
        title="Reads: p50 under load (dashed: independent floor)",
    )
    bulk.set(
        xscale="log",
        yscale="log",
        xlabel="values moved",
        ylabel="seconds",
        title="Bulk: total time (dashed: PostgreSQL's COPY)",
    )
    for axis in (reads, bulk):
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=8)
    shown = ", ".join(f"{s} {growth['sizes'][s]['projects']:,}" for s in GROWTH_ORDER if s in growth["sizes"])
    fig.suptitle(f"make bench at each size (projects: {shown})", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _stale(size: str) -> bool:
    path = RESULTS / f"{size}.json"
    return not path.exists() or json.loads(path.read_text()).get("commit") != commit_id()


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.growth")
    parser.add_argument("--run", action="store_true", help="run the bench at the sizes whose results are stale")
    parser.add_argument("--rerun", action="store_true", help="run the bench at every size")
    parser.add_argument("--sizes", default=",".join(GROWTH_ORDER))
    args = parser.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    for size in sizes:
        if args.rerun or (args.run and _stale(size)):
            print(f"[growth] make bench SIZE={size}", flush=True)  # noqa: T201
            done = subprocess.run([sys.executable, "-m", "bench", "--size", size], cwd=REPO_ROOT, check=False)  # noqa: S603
            if done.returncode != 0:
                print(f"[growth] the {size} run failed", flush=True)  # noqa: T201
                return done.returncode
    growth = report(sizes)
    GROWTH.parent.mkdir(parents=True, exist_ok=True)
    GROWTH.write_text(json.dumps(growth, indent=2) + "\n")
    chart(growth, CHART)
    for row in growth["operations"]:
        cells = ", ".join(f"{s} {row['product'][s]:.1f}" for s in GROWTH_ORDER if row["product"].get(s))
        print(f"[growth] {row['label']} ({row['unit']}): {cells}; full → large {row['full_to_large']}")  # noqa: T201
    print(f"[growth] wrote {GROWTH.relative_to(REPO_ROOT)} and {CHART.relative_to(REPO_ROOT)}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
