"""Sign-in throttling: per account, per client address and per API client, kept in PostgreSQL so every replica
applies the same limits (no other server needed).

Each failed sign-in counts against its keys. Once a key has `max` failures, it is locked for
`base × 2^(failures − max)` seconds (at most `max_seconds`): the 5th wrong password of an account locks it for 2 s,
the 6th for 4 s, …, the 14th and later for 15 min. While a key is locked, the token endpoint answers 429 with
Retry-After without looking at the password, so guessing gains nothing by hurrying. Failures are forgotten after
`window` seconds without another; a successful sign-in forgets the account's (not the address's: one valid account
must not reset the count of an address that guesses others).

Attempts on one account wait for each other (an advisory lock held to the end of the request's transaction), so
parallel guesses cannot all pass the check before the first failure is counted.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from projects_api.settings import Settings
from registry_kit.errors import TooManyRequests


@dataclass(frozen=True)
class Key:
    hash: str
    limit: int


def _hash(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def keys_for(settings: Settings, *, account: str | None, address: str | None) -> list[Key]:
    """The keys a sign-in counts against: the account (an email, lower-cased, or `client:<id>`) and the address."""
    keys = []
    if account:
        keys.append(Key(_hash("account", account.strip().lower()), settings.login_max_failures_per_account))
    if address:
        keys.append(Key(_hash("address", address), settings.login_max_failures_per_address))
    return keys


_LOCKED = text(
    "SELECT extract(epoch FROM max(locked_until) - now()) FROM login_throttle "
    "WHERE key = ANY(:keys) AND locked_until > now()"
)
_FAIL = text(
    """
    INSERT INTO login_throttle AS t (key, failures, last_failure_at) VALUES (:key, 1, now())
    ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN t.last_failure_at < now() - make_interval(secs => :window) THEN 1 ELSE t.failures + 1 END,
        last_failure_at = now()
    RETURNING failures
    """
)
_LOCK = text("UPDATE login_throttle SET locked_until = now() + make_interval(secs => :seconds) WHERE key = :key")
_FORGET_OLD = text(
    "DELETE FROM login_throttle WHERE last_failure_at < now() - make_interval(secs => :window) "
    "AND (locked_until IS NULL OR locked_until < now())"
)


async def guard(session: AsyncSession, keys: list[Key]) -> None:
    """Wait for other attempts on the same account, then refuse with 429 while any key is locked."""
    if keys:
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 11))"), {"key": keys[0].hash})
    remaining = await session.scalar(_LOCKED, {"keys": [k.hash for k in keys]})
    if remaining is not None:
        seconds = max(1, math.ceil(float(remaining)))
        raise TooManyRequests(
            f"Too many failed sign-ins; try again in {seconds} s.", headers={"Retry-After": str(seconds)}
        )


async def failed(session: AsyncSession, settings: Settings, keys: list[Key]) -> None:
    """Count a failure against every key, locking those over their limit (the caller commits)."""
    window = settings.login_failure_window_seconds
    for key in keys:
        failures = int(await session.scalar(_FAIL, {"key": key.hash, "window": window}) or 0)
        if failures >= key.limit:
            seconds = min(
                settings.login_lockout_max_seconds, settings.login_lockout_base_seconds * 2.0 ** (failures - key.limit)
            )
            await session.execute(_LOCK, {"key": key.hash, "seconds": seconds})
    await session.execute(_FORGET_OLD, {"window": window})


async def succeeded(session: AsyncSession, account: Key) -> None:
    await session.execute(text("DELETE FROM login_throttle WHERE key = :key"), {"key": account.hash})
