"""The command line every service offers: `python -m <service> migrate | load-demo | serve`."""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from types import FrameType
from typing import TypeVar

import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.database import create_engine, create_sessionmaker, resolve_database_url
from registry_kit.embedded_pg import ensure_database_sync, stop_embedded_server
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


def exit_on_sigterm() -> None:
    """uvicorn shuts down gracefully on SIGTERM, then raises the signal again; under the default handler that kills the
    process before `finally` blocks and atexit run, and the embedded PostgreSQL it started stays up. Raising
    SystemExit instead lets them run."""

    def _exit(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)


class Server(uvicorn.Server):
    """uvicorn's server, saying `banner` (on stderr) once it accepts connections, not before."""

    def __init__(self, config: uvicorn.Config, banner: str) -> None:
        super().__init__(config)
        self.banner = banner

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and not self.should_exit:
            print(self.banner, file=sys.stderr, flush=True)  # noqa: T201 (the line a person starting it must see)


def serve(config: uvicorn.Config, banner: str, settings: ServiceSettings) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop the embedded PostgreSQL this process started (the server stops when
    its last user leaves)."""
    exit_on_sigterm()
    try:
        Server(config, banner).run()
    finally:
        if settings.database_url is None:
            stop_embedded_server(settings.embedded_pg_dir)


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
    serve_cmd = sub.add_parser("serve", help="serve the API with uvicorn (uvloop, httptools)")
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=default_port)
    args = parser.parse_args()
    settings = settings_factory()
    if args.command == "serve":
        config = uvicorn.Config(
            app_factory, factory=True, host=args.host, port=args.port,
            loop="uvloop", http="httptools", proxy_headers=True, log_config=None,
        )  # fmt: skip
        serve(config, f"{prog} is serving on http://{args.host}:{args.port}/", settings)
        return
    url = prepare_database(settings)
    if args.command == "migrate":
        migrate(url)
    else:
        asyncio.run(load_demo_data(settings, url, load_demo))
