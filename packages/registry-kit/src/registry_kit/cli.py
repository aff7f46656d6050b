"""The command line every service offers: `python -m <service> migrate [--to REVISION] | load-demo | serve`, plus
the service's own commands (projects-api: `bootstrap`)."""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Generic, TypeVar

import uvicorn
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from registry_kit.database import create_engine, create_sessionmaker, resolve_database_url
from registry_kit.embedded_pg import ensure_database_sync
from registry_kit.migrations import LockPolicy, migrate_to
from registry_kit.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)
DemoLoader = Callable[[AsyncSession, S], Awaitable[object]]


@dataclass(frozen=True)
class Command(Generic[S]):
    """A service's own subcommand: how to declare its arguments, and what it does with the settings and database."""

    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[S, str, argparse.Namespace], int]


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
        if self.started and not self.should_exit and self.banner:
            print(self.banner, file=sys.stderr, flush=True)  # noqa: T201 (the line a person starting it must see)


def prepare_database(settings: ServiceSettings) -> str:
    """The service's database URL; on the embedded server the database is created when missing."""
    url = resolve_database_url(settings)
    if settings.database_url is None:
        ensure_database_sync(url)
    return url


def lock_policy(settings: ServiceSettings) -> LockPolicy:
    return LockPolicy(
        wait_seconds=settings.migration_wait_seconds, lock_timeout_seconds=settings.migration_lock_timeout_seconds
    )


def run_service_cli(
    *,
    prog: str,
    create_app: Callable[[S], FastAPI],
    settings_factory: Callable[[], S],
    migrations: Path,
    load_demo: DemoLoader[S],
    default_port: int,
    commands: Mapping[str, Command[S]] | None = None,
) -> None:
    parser = argparse.ArgumentParser(prog=prog)
    sub = parser.add_subparsers(dest="command", required=True)
    migrate = sub.add_parser("migrate", help="apply the Alembic migrations (one run at a time, under a lock)")
    migrate.add_argument(
        "--to",
        default="head",
        metavar="REVISION",
        help="upgrade or downgrade to this revision (an id, `head` or `base`); a downgrade drops what later "
        "revisions added: back up first",
    )
    sub.add_parser("load-demo", help="add the demo dataset where missing")
    serve = sub.add_parser("serve", help="serve the API with uvicorn (uvloop, httptools)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=default_port)
    for name, command in (commands or {}).items():
        command.arguments(sub.add_parser(name, help=command.help))
    args = parser.parse_args()
    settings = settings_factory()
    if args.command == "serve":
        from registry_kit.serve import serve as serve_app

        banner = f"{prog} is serving on http://{args.host}:{args.port}/"
        serve_app(lambda: create_app(settings), settings, args.host, args.port, banner=banner)
        return
    url = prepare_database(settings)
    if args.command == "migrate":
        print(f"{prog}: {migrate_to(migrations, url, args.to, lock_policy(settings))}", file=sys.stderr)  # noqa: T201
    elif args.command == "load-demo":
        asyncio.run(load_demo_data(settings, url, load_demo))
    else:
        sys.exit((commands or {})[args.command].run(settings, url, args))
