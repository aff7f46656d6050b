"""The one-process mode's API client for reporting-api (change feed, import jobs acting for their uploader), made the
way `python -m projects_api bootstrap` makes it in production, with a secret generated once.

The secret is kept in a file beside the embedded server's data folder (mode 0600) and the client is brought back to shape on every start.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from projects_api.identity.bootstrap import ensure_service_client
from projects_api.settings import Settings as ProjectsSettings
from registry_kit.database import create_engine, create_sessionmaker

# Beside the embedded server's data folder: the client lives in its database.
CLIENT_FILE = "reporting-feed-client.json"
CLIENT_ID = "reporting-api"


async def ensure_feed_client(settings: ProjectsSettings, url: str, path: Path | None = None) -> tuple[str, str]:
    """(client_id, client_secret) of reporting-api's API client, created or repaired."""
    path = path or Path(settings.embedded_pg_dir).parent / CLIENT_FILE
    saved = json.loads(path.read_text()) if path.exists() else {}
    if saved.get("client_id") != CLIENT_ID or len(str(saved.get("client_secret", ""))) < 24:
        saved = {"client_id": CLIENT_ID, "client_secret": secrets.token_urlsafe(32)}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(saved, handle)
    engine = create_engine(url, settings)
    try:
        async with create_sessionmaker(engine)() as session:
            await ensure_service_client(session, CLIENT_ID, saved["client_secret"], "reporting-api (one-process mode)")
            await session.commit()
    finally:
        await engine.dispose()
    return CLIENT_ID, str(saved["client_secret"])
