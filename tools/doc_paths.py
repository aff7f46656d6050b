"""Check that the files and functions the developer docs name still exist (`make lint`).

A doc that points at a moved file sends a newcomer nowhere. Every `code span` in the checked docs that looks like a
path (it has a `/` or a known file extension) must match a tracked file or folder, by its full path or by its
trailing part (`identity/tokens.py` is found under services/projects-api/src/projects_api/); `path.py: name` must
also define or assign `name` in one of the files it matches. Placeholders (`<service>`, `{id}`, `…`), URLs (`/api/…`), media types
and run-time folders (`var/…`) are not paths of the repository and are skipped.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ["CONTRIBUTING.md", "docs/architecture.md", "docs/decisions/*.md"]
EXTENSIONS = (".py", ".md", ".conf", ".js", ".mjs", ".ts", ".tsx", ".toml", ".json", ".yml", ".yaml", ".sh", ".cfg")
DOTFILES = (".importlinter", ".editorconfig", ".pre-commit-config.yaml")
SPAN = re.compile(r"`([^`\n]+)`")


def tracked() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S607
    return out.stdout.split()


def is_path(span: str) -> bool:
    if any(c in span for c in "<>{}…* $=+") or span.startswith(("/", "var/", "http")):
        return False
    return "/" in span or span.endswith(EXTENSIONS) or span in DOTFILES


def matches(path: str, files: list[str]) -> list[str]:
    folder = path.rstrip("/") + "/"
    return [f for f in files if f == path or f.endswith(f"/{path}") or f.startswith(folder) or f"/{folder}" in f]


def defines(name: str, files: list[str]) -> bool:
    pattern = re.compile(rf"^\s*(?:async def|def|class)\s+{re.escape(name)}\b|^\s*{re.escape(name)}\s*[:=]", re.M)
    return any(pattern.search((ROOT / f).read_text(errors="replace")) for f in files)


def problems(doc: Path, files: list[str]) -> list[str]:
    found = []
    for number, line in enumerate(doc.read_text().splitlines(), start=1):
        for span in SPAN.findall(line):
            path, _, name = span.partition(": ")
            if not is_path(path):
                continue
            hits = matches(path, files)
            where = f"{doc.relative_to(ROOT)}:{number}"
            if not hits:
                found.append(f"{where}: `{path}` is not a file or folder of the repository")
            elif name and name.isidentifier() and not defines(name, hits):
                found.append(f"{where}: `{path}` defines no `{name}`")
    return found


def main() -> int:
    files = tracked()
    docs = sorted({p for pattern in DOCS for p in ROOT.glob(pattern)})
    found = [problem for doc in docs for problem in problems(doc, files)]
    for problem in found:
        print(problem, file=sys.stderr)  # noqa: T201
    print(f"doc paths: {len(docs)} docs checked, {len(found)} stale references")  # noqa: T201
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
