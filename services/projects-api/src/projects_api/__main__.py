"""Command line: `python -m projects_api migrate | load-demo | serve`."""

from __future__ import annotations

import argparse
import asyncio

import uvicorn

from projects_api.demo.loader import load_demo
from projects_api.migrate import migrate
from projects_api.settings import Settings
from registry_kit.database import create_engine, create_sessionmaker, resolve_database_url
from registry_kit.embedded_pg import ensure_database_sync


async def _load_demo(settings: Settings, url: str) -> None:
    engine = create_engine(url, settings)
    try:
        async with create_sessionmaker(engine)() as session:
            await load_demo(session, with_users=not settings.is_production)
            await session.commit()
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(prog="projects_api")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply the Alembic migrations")
    sub.add_parser("load-demo", help="add the demo dataset where missing (demo users outside production)")
    serve = sub.add_parser("serve", help="serve the API with uvicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    settings = Settings()
    if args.command == "serve":
        uvicorn.run(
            "projects_api.main:create_app", factory=True, host=args.host, port=args.port,
            loop="uvloop", http="httptools", proxy_headers=True, log_config=None,
        )  # fmt: skip
        return
    url = resolve_database_url(settings)
    if settings.database_url is None:
        ensure_database_sync(url)
    if args.command == "migrate":
        migrate(url)
    else:
        asyncio.run(_load_demo(settings, url))


if __name__ == "__main__":
    main()
