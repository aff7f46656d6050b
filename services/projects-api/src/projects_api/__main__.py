"""Command line: `python -m projects_api migrate [--to REVISION] | load-demo | serve | bootstrap`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.demo.loader import load_demo
from projects_api.identity.bootstrap import BootstrapError, bootstrap
from projects_api.main import create_app
from projects_api.migrate import MIGRATIONS
from projects_api.settings import Settings
from registry_kit.cli import Command, run_service_cli
from registry_kit.database import create_engine, create_sessionmaker


async def load_demo_for(session: AsyncSession, settings: Settings) -> None:
    """Demo users only outside production."""
    await load_demo(session, with_users=not settings.is_production)


def _bootstrap_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--admin-email", help="overrides PROJECTS_BOOTSTRAP_ADMIN_EMAIL")
    parser.add_argument("--admin-name", help="overrides PROJECTS_BOOTSTRAP_ADMIN_NAME")
    parser.add_argument(
        "--admin-password-stdin",
        action="store_true",
        help="read the first admin's password from the first line of standard input (it stays out of the environment)",
    )


def _run_bootstrap(settings: Settings, url: str, args: argparse.Namespace) -> int:
    password = settings.bootstrap_admin_password.get_secret_value() if settings.bootstrap_admin_password else None
    if args.admin_password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    secret = settings.feed_client_secret.get_secret_value() if settings.feed_client_secret else None

    async def run() -> list[str]:
        engine = create_engine(url, settings)
        try:
            async with create_sessionmaker(engine)() as session:
                outcome = await bootstrap(
                    session,
                    admin_email=args.admin_email or settings.bootstrap_admin_email,
                    admin_name=args.admin_name or settings.bootstrap_admin_name,
                    admin_password=password,
                    feed_client_id=settings.feed_client_id,
                    feed_client_secret=secret,
                )
                await session.commit()
                return [outcome.admin, outcome.feed_client]
        finally:
            await engine.dispose()

    try:
        lines = asyncio.run(run())
    except BootstrapError as exc:
        print(f"projects_api bootstrap: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    for line in lines:
        print(f"projects_api bootstrap: {line}")  # noqa: T201
    return 0


BOOTSTRAP = Command[Settings](
    help="make the first admin and reporting-api's API client (idempotent)",
    arguments=_bootstrap_arguments,
    run=_run_bootstrap,
)


def main() -> None:
    run_service_cli(
        prog="projects_api",
        create_app=create_app,
        settings_factory=Settings,
        migrations=MIGRATIONS,
        load_demo=load_demo_for,
        default_port=8001,
        commands={"bootstrap": BOOTSTRAP},
    )


if __name__ == "__main__":
    main()
