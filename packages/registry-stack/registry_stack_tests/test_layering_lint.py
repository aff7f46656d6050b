"""The layering rule's ruff half (decision 0006, `pyproject.toml`: TID251) refuses what it says it refuses: a service
module that builds SQL fails `make lint`; the same lines in a repository, a read module or a router's neighbours
pass. The check runs the repository's own ruff and configuration on code handed over stdin under a path in the tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from registry_stack_tests.conftest import REPO

RUFF = Path(sys.executable).with_name("ruff")
BUILDS_SQL = "from sqlalchemy import select, text\n\nSTATEMENT = (select, text)\n"


def _ruff(path: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (the venv's ruff on our own configuration)
        [str(RUFF), "check", "--no-cache", "--select", "TID251", "--stdin-filename", path, "-"],
        input=BUILDS_SQL,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


# (a module of the tree, whether building SQL there fails lint)
WHERE = [
    ("services/reporting-api/src/reporting_api/imports/service.py", True),
    ("services/projects-api/src/projects_api/funding/summary_service.py", True),
    ("services/projects-api/src/projects_api/iati/import_service.py", True),
    ("services/reporting-api/src/reporting_api/imports/repository.py", False),
    ("services/reporting-api/src/reporting_api/imports/staging.py", False),
    ("services/projects-api/src/projects_api/projects/read_model.py", False),
    ("packages/registry-kit/src/registry_kit/raw_reads.py", False),
]


@pytest.mark.parametrize(("path", "refused"), WHERE)
def test_only_service_modules_may_not_build_sql(path: str, refused: bool) -> None:
    checked = _ruff(path)
    assert checked.returncode == (1 if refused else 0), checked.stdout + checked.stderr
    if refused:
        assert checked.stdout.count("TID251") == 2
        assert "put the statement in the domain's repository (decision 0006)" in checked.stdout
