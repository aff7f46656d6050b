"""The one-process mode's API client for reporting-api to read projects-api's change feed, made once.

Its secret is shown only when it is created, so it is kept in a file under var/ (mode 0600); the client is made
again when the file is missing or names a client that no longer exists.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from projects_api.identity import repository, service
from projects_api.identity.schemas import ApiClientCreate, GrantIn
from projects_api.settings import Settings as ProjectsSettings
from registry_kit.auth import Grant, Principal, Role
from registry_kit.database import create_engine, create_sessionmaker

CLIENT_FILE = "reporting-feed-client.json"  # beside the embedded server's data folder: the client lives in its database
SYSTEM = Principal(
    subject="system:registry-stack", name="registry-stack", organisation_id=None, grants=(Grant(Role.admin),)
)


async def ensure_feed_client(settings: ProjectsSettings, url: str, path: Path | None = None) -> tuple[str, str]:
    """(client_id, client_secret) of an API client with a global viewer grant, created if missing."""
    path = path or Path(settings.embedded_pg_dir).parent / CLIENT_FILE
    engine = create_engine(url, settings)
    try:
        async with create_sessionmaker(engine)() as session:
            if path.exists():
                saved = json.loads(path.read_text())
                existing = await repository.client_by_client_id(session, saved["client_id"])
                if existing is not None and existing.is_active:
                    return str(saved["client_id"]), str(saved["client_secret"])
            data = ApiClientCreate(name="reporting-api (one-process mode)", grants=[GrantIn(role=Role.viewer)])
            client, secret = await service.create_client(session, SYSTEM, data)
            await session.commit()
    finally:
        await engine.dispose()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"client_id": client.client_id, "client_secret": secret}, handle)
    return client.client_id, secret
