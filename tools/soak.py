"""`make soak`: many clients for a while through the real nginx gateway in front of the one-machine stack, on
loopback only, reads and writes mixed; every write's answer goes into a ledger, and at the end the database must
hold exactly what the ledger says (0 lost, 0 doubled, 0 half-written), with 0 errors. Prints the latency
percentiles per kind of request and writes them to var/soak/latest.json.

Each client has its own loopback address (127.0.1.N), so the gateway's per-address write limit applies to it as it
would to a real user; the one sign-in goes through the gateway's token limit. Bounded: `--seconds` of load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from registry_stack.harness import REPO_ROOT, Gateway, System

P = "/api/projects/v1"
R = "/api/reporting/v1"
PROJECTS = 20  # the soak's own projects, written to by every client
STACK_ENV = {"PROJECTS_LOG_LEVEL": "WARNING", "REPORTING_LOG_LEVEL": "WARNING", "REPORTING_SYNC_INTERVAL_SECONDS": "0"}


@dataclass
class Ledger:
    created: set[str] = field(default_factory=set)  # 201: must be stored, once (unless deleted later)
    deleted: set[str] = field(default_factory=set)  # 204: must be gone
    refused: set[str] = field(default_factory=set)  # an error answer: must not be stored
    unknown: set[str] = field(default_factory=set)  # no answer: stored at most once
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)


@dataclass
class Soak:
    gateway: str
    headers: dict[str, str]
    projects: list[str]
    indicator: str
    ledger: Ledger


async def _timed(
    soak: Soak,
    client: httpx.AsyncClient,
    kind: str,
    method: str,
    url: str,
    *,
    extra: dict[str, str] | None = None,
    **kw: Any,
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        answer = await client.request(method, url, headers={**soak.headers, **(extra or {})}, **kw)
    except httpx.HTTPError as exc:
        soak.ledger.errors.append(f"{kind}: {type(exc).__name__} {exc}")
        return None
    soak.ledger.latencies[kind].append(time.perf_counter() - started)
    soak.ledger.statuses[f"{kind} {answer.status_code}"] += 1
    if answer.status_code >= 400:
        soak.ledger.errors.append(f"{kind}: {answer.status_code} {answer.text[:200]}")
    return answer


async def _client(soak: Soak, number: int, deadline: float) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.{1 + number // 250}.{1 + number % 250}")
    mine: list[tuple[str, str, str]] = []  # (project, transaction id, mark) this client created
    rng = random.Random(number)  # noqa: S311 (a workload mix, not a secret)
    async with httpx.AsyncClient(base_url=soak.gateway, transport=transport, timeout=60) as client:
        while time.monotonic() < deadline:
            pick = rng.random()
            project = rng.choice(soak.projects)
            if pick < 0.30:
                await _timed(soak, client, "list projects", "GET", f"{P}/projects", params={"page_size": 20})
            elif pick < 0.45:
                await _timed(soak, client, "get project", "GET", f"{P}/projects/{project}")
            elif pick < 0.55:
                await _timed(
                    soak, client, "funding summary", "GET", f"{P}/funding/summary", params={"group_by": "country"}
                )
            elif pick < 0.65:
                await _timed(
                    soak,
                    client,
                    "indicator series",
                    "GET",
                    f"{R}/aggregations/time-series",
                    params={"indicator": soak.indicator},
                )
            elif pick < 0.70:
                await _timed(soak, client, "project reports", "GET", f"{R}/projects/{project}/reports")
            elif pick < 0.92 or not mine:
                await _create(soak, client, project, number, mine)
            else:
                await _delete(soak, client, mine.pop(rng.randrange(len(mine))))


async def _create(
    soak: Soak, client: httpx.AsyncClient, project: str, number: int, mine: list[tuple[str, str, str]]
) -> None:
    mark = f"soak-{number}-{uuid.uuid4().hex[:12]}"
    body = {
        "transaction_type": "disbursement",
        "transaction_date": "2011-05-01",
        "amount": "1.00",
        "currency": "EUR",
        "description": mark,
    }
    answer = await _timed(soak, client, "create transaction", "POST", f"{P}/projects/{project}/transactions", json=body)
    if answer is None:
        soak.ledger.unknown.add(mark)
    elif answer.status_code == 201:
        soak.ledger.created.add(mark)
        mine.append((project, str(answer.json()["id"]), mark))
    else:
        soak.ledger.refused.add(mark)


async def _delete(soak: Soak, client: httpx.AsyncClient, created: tuple[str, str, str]) -> None:
    project, transaction, mark = created
    url = f"{P}/projects/{project}/transactions/{transaction}"
    answer = await _timed(soak, client, "delete transaction", "DELETE", url, extra={"If-Match": "*"})
    if answer is not None and answer.status_code == 204:
        soak.ledger.deleted.add(mark)
    elif answer is None:
        soak.ledger.unknown.add(mark)  # deleted or not: either is allowed, and it is no longer acknowledged
        soak.ledger.created.discard(mark)


async def _stored(gateway: str, headers: dict[str, str], projects: list[str]) -> Counter[str]:
    stored: Counter[str] = Counter()
    async with httpx.AsyncClient(base_url=gateway, timeout=120) as client:
        for project in projects:
            page = 1
            while True:
                answer = await client.get(
                    f"{P}/projects/{project}/transactions", params={"page": page, "page_size": 200}, headers=headers
                )
                answer.raise_for_status()
                body = answer.json()
                stored.update(t["description"] for t in body["items"] if (t["description"] or "").startswith("soak-"))
                if page * 200 >= body["total"]:
                    break
                page += 1
    return stored


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    return {"count": len(ordered), "p50_ms": at(0.50), "p95_ms": at(0.95), "p99_ms": at(0.99), "max_ms": at(1.0)}


async def _arrange(gateway: str) -> tuple[dict[str, str], list[str], str]:
    async with httpx.AsyncClient(base_url=gateway, timeout=60) as client:
        token = await client.post(
            f"{P}/auth/token",
            data={"grant_type": "password", "username": "admin@demo.mcb", "password": "demo-admin-pass"},
        )
        token.raise_for_status()
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        projects = []
        for i in range(PROJECTS):
            body = {
                "code": f"XM-SOAK-{i}-{uuid.uuid4().hex[:6]}",
                "title": f"Soak {i}",
                "is_public": True,
                "countries": [{"country_code": "GE", "percentage": 100}],
            }
            made = await client.post(f"{P}/projects", json=body, headers=headers)
            made.raise_for_status()
            projects.append(str(made.json()["id"]))
        (await client.post(f"{R}/sync/projects", headers=headers)).raise_for_status()
        indicators = (await client.get(f"{R}/indicators", params={"page_size": 1})).json()["items"]
        return headers, projects, str(indicators[0]["code"])


async def run(clients: int, seconds: float) -> dict[str, Any]:
    system = await asyncio.to_thread(System, STACK_ENV)  # (blocking set-up: off the loop)
    gateway = Gateway(system.workdir, f"127.0.0.1:{system.stack.port}")
    try:
        await asyncio.to_thread(system.stack.start)
        await asyncio.to_thread(gateway.start)
        headers, projects, indicator = await _arrange(gateway.url)
        soak = Soak(gateway.url, headers, projects, indicator, Ledger())
        print(f"soak: {clients} clients for {seconds:.0f} s through {gateway.url}", file=sys.stderr, flush=True)  # noqa: T201
        started = time.monotonic()
        await asyncio.gather(*(_client(soak, n, started + seconds) for n in range(clients)))
        elapsed = time.monotonic() - started
        stored = await _stored(gateway.url, headers, projects)
    finally:
        await asyncio.to_thread(gateway.stop)
        await asyncio.to_thread(system.close)
    ledger = soak.ledger
    kept = ledger.created - ledger.deleted
    report = {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": sum(len(v) for v in ledger.latencies.values()),
        "throughput_rps": round(sum(len(v) for v in ledger.latencies.values()) / elapsed, 1),
        "errors": len(ledger.errors),
        "first_errors": ledger.errors[:10],
        "writes": {
            "created": len(ledger.created),
            "deleted": len(ledger.deleted),
            "refused": len(ledger.refused),
            "unanswered": len(ledger.unknown),
        },
        "lost": sorted(kept - set(stored))[:20],
        "lost_count": len(kept - set(stored)),
        "doubled_count": sum(1 for n in stored.values() if n > 1),
        "not_deleted_count": len(ledger.deleted & set(stored)),
        "half_written_count": len(ledger.refused & set(stored)),
        "unexplained_count": len(set(stored) - ledger.created - ledger.unknown),
        "latency": {kind: _percentiles(samples) for kind, samples in sorted(ledger.latencies.items())},
        "all_requests": _percentiles([s for v in ledger.latencies.values() for s in v]),
    }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    report = asyncio.run(run(args.clients, args.seconds))
    out = REPO_ROOT / "var" / "soak" / "latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    lines = [f"{'request':22} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"]
    for kind, p in [*report["latency"].items(), ("ALL", report["all_requests"])]:
        lines.append(f"{kind:22} {p['count']:>7} {p['p50_ms']:>8} {p['p95_ms']:>8} {p['p99_ms']:>8} {p['max_ms']:>8}")
    print("\n".join(lines))  # noqa: T201
    checks = ("lost_count", "doubled_count", "not_deleted_count", "half_written_count", "unexplained_count")
    verdict = {k: report[k] for k in ("requests", "throughput_rps", "errors", "writes", *checks)}
    print(json.dumps(verdict), f"\nfull report: {Path(out).relative_to(REPO_ROOT)}")  # noqa: T201
    sys.exit(1 if report["errors"] or any(report[k] for k in checks) else 0)


if __name__ == "__main__":
    main()
