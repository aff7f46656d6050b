"""The command line every service offers: `python -m <service> migrate | load-demo | serve`."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.database import create_engine, create_sessionmaker, resolve_database_url
from registry_kit.embedded_pg import ensure_database_sync
from registry_kit.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)
DemoLoader = Callable[[AsyncSession, S], Awaitable[object]]


async def load_demo_data(settings: S, url: str, loader: DemoLoader[S]) -> None:
    """Run a demo loader in one transaction on the service's database."""
    engine = create_engine(url, settings)
    try:
        async with create_sessionmaker(engine)() as session:
            await loader(session, settings)
            await session.commit()
    finally:
        await engine.dispose()


def prepare_database(settings: ServiceSettings) -> str:
    """The service's database URL; on the embedded server the database is created when missing."""
    url = resolve_database_url(settings)
    if settings.database_url is None:
        ensure_database_sync(url)
    return url


def run_service_cli(
    *,
    prog: str,
    app_factory: str,
    settings_factory: Callable[[], S],
    migrate: Callable[[str], None],
    load_demo: DemoLoader[S],
    default_port: int,
) -> None:
    parser = argparse.ArgumentParser(prog=prog)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply the Alembic migrations")
    sub.add_parser("load-demo", help="add the demo dataset where missing")
    serve = sub.add_parser("serve", help="serve the API with uvicorn (uvloop, httptools)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=default_port)
    args = parser.parse_args()
    if args.command == "serve":
        uvicorn.run(
            app_factory, factory=True, host=args.host, port=args.port,
            loop="uvloop", http="httptools", proxy_headers=True, log_config=None,
        )  # fmt: skip
        return
    settings = settings_factory()
    url = prepare_database(settings)
    if args.command == "migrate":
        migrate(url)
    else:
        asyncio.run(load_demo_data(settings, url, load_demo))
