"""Command line: `python -m reporting_api migrate [--to REVISION] | load-demo | serve`."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.cli import run_service_cli
from reporting_api.demo.loader import load_demo
from reporting_api.main import create_app
from reporting_api.migrate import MIGRATIONS
from reporting_api.settings import Settings


async def load_demo_for(session: AsyncSession, settings: Settings) -> None:  # noqa: ARG001 (the loader's signature)
    """The demo dataset (figures with sources, an illustrative framework and reports)."""
    await load_demo(session)


def main() -> None:
    run_service_cli(
        prog="reporting_api",
        create_app=create_app,
        settings_factory=Settings,
        migrations=MIGRATIONS,
        load_demo=load_demo_for,
        default_port=8002,
    )


if __name__ == "__main__":
    main()
