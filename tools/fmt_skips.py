"""Drop the `# fmt: skip` comments that fight the formatter, keeping them only in the files whose layout is a table.

    python tools/fmt_skips.py && .venv/bin/ruff format . && .venv/bin/ruff check --fix . && .venv/bin/ruff check --add-noqa .

(`--fix` first, so that what it can mend is mended; then `--add-noqa` puts a `# noqa` that guarded a line the
formatter has split back on the line that needs it)

The comments kept hand layouts (parameters packed two or three to a line, calls squeezed into one) that `ruff format`
would have written otherwise; 716 of them had grown, 18 changing nothing at all. The formatter decides the layout now
(line length 120, pyproject.toml); a `# fmt: skip` stays only in TABLES, where one row per line is the point. Run it
again after merging a branch that still has them: it changes only what is still in the old form.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Files whose rows are data, laid out one per line on purpose (authorization expectations, demo records).
TABLES = {
    "packages/registry-stack/registry_stack_tests/test_authorization_matrix.py",
    "services/projects-api/src/projects_api/demo/data.py",
}

TRAILING = re.compile(r"[ \t]*# fmt: skip[ \t]*$", re.MULTILINE)  # also when it follows another comment


def main() -> None:
    listed = subprocess.run(  # noqa: S603
        ["git", "grep", "-l", "fmt: skip", "--", "*.py"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    dropped = 0
    for rel in listed:
        if rel in TABLES or rel == "tools/fmt_skips.py":
            continue
        path = ROOT / rel
        text = path.read_text(encoding="utf-8")
        new = TRAILING.sub("", text)
        dropped += text.count("# fmt: skip") - new.count("# fmt: skip")
        if new != text:
            path.write_text(new, encoding="utf-8")
    sys.stdout.write(f"fmt_skips: {dropped} dropped\n")


if __name__ == "__main__":
    main()
