"""Apply reporting-api's migrations to its database."""

from __future__ import annotations

from pathlib import Path

from registry_kit.migrations import upgrade

MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(url: str, revision: str = "head") -> None:
    upgrade(MIGRATIONS, url, revision)
