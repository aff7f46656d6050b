"""`make dev`: the one-process stack (`python -m registry_stack`) started again on every change to the Python code.

The embedded PostgreSQL is started once, here, and outlives the restarts: this process keeps a handle on it, so the
stack's own shutdown at each restart does not stop it, and a restart costs the stack's start-up (migrations already
at head, demo data already there) rather than a database start. The SPA runs under Vite's dev server, with hot
reload, which proxies /api to this stack: the browser sees one origin (the Makefile's `dev` target starts both).
"""

from __future__ import annotations

import logging
import os

import watchfiles

from projects_api.settings import Settings as ProjectsSettings
from registry_kit.embedded_pg import start_embedded_server, stop_embedded_server
from registry_kit.logs import configure_logging
from registry_kit.settings import REPO_ROOT

logger = logging.getLogger("registry_stack.dev")


def watched() -> list[str]:
    """The code of the kit, the stack and the services: a change to a test or a doc restarts nothing."""
    return sorted(str(src) for pattern in ("packages/*/src", "services/*/src") for src in REPO_ROOT.glob(pattern))


def serve() -> None:
    """The stack, in a session of its own: Ctrl-C at the terminal reaches only the watcher, which stops the stack
    with one SIGINT (a second one, straight from the terminal, would make uvicorn cut its shutdown short)."""
    os.setsid()
    from registry_stack.__main__ import main as run_stack

    run_stack()


def _restarting(changes: set[tuple[watchfiles.Change, str]]) -> None:
    names = sorted({path.rpartition("/")[2] for _, path in changes})
    logger.info("code changed, restarting the stack", extra={"files": ", ".join(names[:5])})


def main() -> None:
    settings = ProjectsSettings()
    configure_logging("registry-stack", settings.log_level, json=settings.log_json)
    embedded = settings.database_url is None
    if embedded:
        start_embedded_server(settings.embedded_pg_dir)
    try:
        watchfiles.run_process(
            *watched(),
            target=serve,
            target_type="function",
            watch_filter=watchfiles.PythonFilter(),
            callback=_restarting,
        )
    finally:
        if embedded:
            stop_embedded_server(settings.embedded_pg_dir)


if __name__ == "__main__":
    main()
