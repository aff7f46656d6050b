"""Rewrite the settings tables in README.md from the settings classes (`make docs`); `--check` only compares."""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys

from registry_kit.settings import REPO_ROOT
from registry_kit.settings_doc import settings_table

SERVICES = {"projects-api": "projects_api.settings"}
for optional in ("reporting-api",):
    module = optional.replace("-", "_") + ".settings"
    if importlib.util.find_spec(optional.replace("-", "_")) is not None:
        SERVICES[optional] = module


def render(readme: str) -> str:
    for service, module in SERVICES.items():
        table = settings_table(importlib.import_module(module).Settings)
        pattern = re.compile(rf"(<!-- settings:{service} -->\n).*?(<!-- /settings:{service} -->)", re.S)
        readme = pattern.sub(lambda m: str(m.group(1)) + table + "\n" + str(m.group(2)), readme)  # noqa: B023
    return readme


def main() -> int:
    path = REPO_ROOT / "README.md"
    current = path.read_text()
    wanted = render(current)
    if "--check" in sys.argv:
        if wanted != current:
            print("README.md settings tables are stale: run `make docs`", file=sys.stderr)  # noqa: T201
            return 1
        return 0
    path.write_text(wanted)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
