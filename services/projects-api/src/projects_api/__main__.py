"""Command line: `python -m projects_api migrate [--to REVISION] | load-demo | serve`."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.demo.loader import load_demo
from projects_api.main import create_app
from projects_api.migrate import MIGRATIONS
from projects_api.settings import Settings
from registry_kit.cli import run_service_cli


async def load_demo_for(session: AsyncSession, settings: Settings) -> None:
    """Demo users only outside production."""
    await load_demo(session, with_users=not settings.is_production)


def main() -> None:
    run_service_cli(
        prog="projects_api",
        create_app=create_app,
        settings_factory=Settings,
        migrations=MIGRATIONS,
        load_demo=load_demo_for,
        default_port=8001,
    )


if __name__ == "__main__":
    main()
