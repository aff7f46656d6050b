"""Dataset sizes: `full` is the issue's scale, `quick` fits the whole run in a few minutes, `tiny` is for CI, `large`
(ten times `full`) shows how each cost grows with the data (bench/growth.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    name: str
    organisations: int
    funders: int  # organisations that fund projects: a donor pool much smaller than all organisations
    projects: int
    transactions: int
    indicators: int
    indicator_values: int
    import_values: int  # values in the import file (one upload: at most REPORTING_MAX_IMPORT_BYTES, 200 MB)
    load_seconds: int  # how long each wrk run lasts
    connections: int  # concurrent connections of each throughput run
    thresholds: bool  # false: correctness only (CI), targets are not judged


SIZES: dict[str, Size] = {
    "large": Size("large", 20_000, 30, 200_000, 2_000_000, 5_000, 10_000_000, 2_000_000, 15, 16, True),
    "full": Size("full", 2_000, 30, 20_000, 200_000, 500, 1_000_000, 1_000_000, 15, 16, True),
    "quick": Size("quick", 400, 15, 4_000, 40_000, 100, 100_000, 100_000, 5, 16, True),
    "tiny": Size("tiny", 40, 5, 120, 1_200, 10, 2_000, 2_000, 1, 4, False),
}
GROWTH_ORDER = ("tiny", "quick", "full", "large")


def size_named(name: str) -> Size:
    try:
        return SIZES[name]
    except KeyError:
        raise SystemExit(f"unknown SIZE {name!r}; use one of {', '.join(SIZES)}") from None
