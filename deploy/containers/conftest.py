"""`make test-containers` (root only): deploy/tests' and deploy/cluster's helpers are importable from here."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[:0] = [
    str(Path(__file__).resolve().parents[1] / "tests"),
    str(Path(__file__).resolve().parents[1] / "cluster"),
]
