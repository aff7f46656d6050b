"""The test suites' layout and names, applied by a program so that a branch made before them can be brought in line
by running it again after a merge (it only changes what is still in the old form; a second run changes nothing).

    python tools/test_layout.py names      # the fixtures say what they are (issue 17)
    python tools/test_layout.py packages   # one package name per suite, so one `pytest` runs them all (issue 17)
    python tools/test_layout.py kit        # the kit's test helpers live in registry-testing, not in the runtime kit

`names`: reporting-api's `fake_projects` fixture is the real projects-api (`projects_api_server`); the description of
a project a test creates there is a `ProjectSpec`, not a fake.

`packages`: each suite's folder is a package of its own name (`services/projects-api/projects_api_tests`, …) instead
of five packages all called `tests`; the files move with `git mv`, and `tests.` imports and paths in the repository's
code and documents follow.

`kit`: `registry_kit.testing` is `registry_testing`, `registry_kit.pytest_fixtures` is `registry_testing.fixtures`,
`registry_kit.properties` is `registry_testing.properties` (packages/registry-testing, a dev dependency).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SUITES = {
    "packages/registry-kit/tests": "packages/registry-kit/registry_kit_tests",
    "packages/registry-stack/tests": "packages/registry-stack/registry_stack_tests",
    "services/projects-api/tests": "services/projects-api/projects_api_tests",
    "services/reporting-api/tests": "services/reporting-api/reporting_api_tests",
}

NAMES = [
    (r"\bfake_projects\b", "projects_api_server"),
    (r"\bFakeProject\b", "ProjectSpec"),
]

KIT = [
    (r"\bregistry_kit\.testing\b", "registry_testing"),
    (r"\bregistry_kit/testing\.py\b", "registry_testing/__init__.py"),
    (r"\bregistry_kit\.pytest_fixtures\b", "registry_testing.fixtures"),
    (r"\bregistry_kit/pytest_fixtures\.py\b", "registry_testing/fixtures.py"),
    (r"\bregistry_kit\.properties\b", "registry_testing.properties"),
    (r"\bregistry_kit/properties\.py\b", "registry_testing/properties.py"),
]
KIT_MOVES = {
    "packages/registry-kit/src/registry_kit/testing.py": "packages/registry-testing/src/registry_testing/__init__.py",
    "packages/registry-kit/src/registry_kit/pytest_fixtures.py": "packages/registry-testing/src/registry_testing/fixtures.py",
    "packages/registry-kit/src/registry_kit/properties.py": "packages/registry-testing/src/registry_testing/properties.py",
}

TEXT = (".py", ".md", ".toml", ".cfg", ".ini", ".yaml", ".yml", ".sh", ".txt", "Makefile", ".importlinter")
SKIP = ("uv.lock", "frontend/", "tools/test_layout.py")


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout  # noqa: S603, S607


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def _tracked(under: str = "") -> list[str]:
    return [p for p in _git("ls-files", "--", under or ".").splitlines() if p]


def _rewrite(paths: list[str], rules: list[tuple[str, str]]) -> int:
    """Apply the rules to the text files among `paths`; the Python files changed get their imports sorted and are
    formatted again (names of other lengths move lines), so the result is what `make lint` accepts."""
    changed: list[str] = []
    for rel in paths:
        if rel.startswith(SKIP) or not rel.endswith(TEXT) or not (ROOT / rel).is_file():
            continue
        path = ROOT / rel
        text = path.read_text(encoding="utf-8")
        new = text
        for pattern, replacement in rules:
            new = re.sub(pattern, replacement, new)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(rel)
    python = [p for p in changed if p.endswith(".py")]
    if python:
        ruff = str(ROOT / ".venv" / "bin" / "ruff")
        subprocess.run([ruff, "check", "--fix", "--select", "I", "--quiet", *python], cwd=ROOT, check=False)  # noqa: S603
        subprocess.run([ruff, "format", "--quiet", *python], cwd=ROOT, check=True)  # noqa: S603
    return len(changed)


def _move(old: str, new: str) -> int:
    """Every tracked file below (or at) `old` to the same place below `new`."""
    moved = 0
    for rel in _tracked(old):
        target = new + rel[len(old) :]
        (ROOT / target).parent.mkdir(parents=True, exist_ok=True)
        _git("mv", "-k", rel, target)
        moved += 1
    return moved


def names() -> None:
    suite = [p for p in _tracked() if p.startswith(("services/reporting-api/", "packages/registry-stack/"))]
    _say(f"names: {_rewrite(suite, NAMES)} files")


def packages() -> None:
    for old, new in SUITES.items():
        _say(f"{old} -> {new}: {_move(old, new)} files moved")
    rules = [(re.escape(old) + r"\b", new) for old, new in SUITES.items()]
    _say(f"paths: {_rewrite(_tracked(), rules)} files")
    for new in SUITES.values():
        package = new.rsplit("/", 1)[1]
        # the suite's own imports (`from tests.x import`, `from tests import x`, `import tests.x`) and module names
        own = [
            (r"\bfrom tests\.", f"from {package}."),
            (r"\bfrom tests import\b", f"from {package} import"),
            (r"\bimport tests\.", f"import {package}."),
            (r"(?<=[\"'`])tests\.(?=\w)", f"{package}."),
        ]
        _say(f"{package}: {_rewrite(_tracked(new), own)} files")


def kit() -> None:
    for old, new in KIT_MOVES.items():
        if (ROOT / old).exists():
            (ROOT / new).parent.mkdir(parents=True, exist_ok=True)
            _git("mv", old, new)
            _say(f"{old} -> {new}")
    _say(f"kit: {_rewrite(_tracked(), KIT)} files")


COMMANDS: dict[str, Callable[[], None]] = {"names": names, "packages": packages, "kit": kit}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]]()
