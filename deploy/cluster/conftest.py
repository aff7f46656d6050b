"""The multi-host test (`make test-cluster`, root only): deploy/tests' helpers are importable from here."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
