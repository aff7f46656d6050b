"""One running system for the whole suite (see support.py); the tests that stop parts of it bring them back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import System

SYSTEM_ENV = {
    # Failed sign-ins from 127.0.0.1 add up over the whole suite; the per-address limit is tested in projects-api.
    "PROJECTS_LOGIN_MAX_FAILURES_PER_ADDRESS": "10000",
    # A first lock long enough that no busy machine sees it end within the parallel-guessing test.
    "PROJECTS_LOGIN_LOCKOUT_BASE_SECONDS": "60",
    # A killed import worker's job is taken over after 5 s of silence (60 s by default).
    "REPORTING_IMPORT_STALE_SECONDS": "5",
    "REPORTING_IMPORT_HEARTBEAT_SECONDS": "1",
    "REPORTING_IMPORT_POLL_SECONDS": "1",
    # Imports over 200 KB run as jobs (the matrix makes one; the fault suite's kill test uploads megabytes).
    "REPORTING_IMPORT_JOB_BYTES": "200000",
    # The matrix syncs explicitly; no background sync racing it.
    "REPORTING_SYNC_INTERVAL_SECONDS": "0",
}


@pytest.fixture(scope="session")
def system() -> Iterator[System]:
    running = System(SYSTEM_ENV)
    try:
        running.stack.start()
        yield running
    finally:
        running.close()
