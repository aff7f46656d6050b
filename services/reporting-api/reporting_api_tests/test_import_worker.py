"""The import queue across replicas: jobs survive their worker, two workers never run the same job, and a worker
that dies mid-way leaves nothing applied. These tests commit (workers are separate connections, as replicas are),
so each cleans up what it wrote."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_kit.auth import Grant, Role
from reporting_api.frameworks.models import ProjectIndicator, Result
from reporting_api.imports import repository, staging
from reporting_api.imports.models import ImportJob, ImportUpload
from reporting_api.imports.worker import ImportWorker
from reporting_api.indicators.models import Indicator
from reporting_api.notifications.models import NotificationEvent
from reporting_api.projects.models import ProjectCopy, SyncState
from reporting_api.reports.models import Report, ReportValue
from reporting_api.reports.repository import value_changes
from reporting_api.settings import Settings
from reporting_api_tests.factories import create_framework, create_indicator, create_project
from reporting_api_tests.projects_harness import ProjectsHarness

pytestmark = pytest.mark.asyncio(loop_scope="session")


@dataclass
class World:
    """Committed rows: a project with one framework indicator, a reporter in projects-api, the jobs made here."""

    maker: async_sessionmaker[AsyncSession]
    project_id: uuid.UUID
    project_code: str
    indicator: str
    uploader: str
    jobs: list[uuid.UUID] = field(default_factory=list)

    def csv(self, periods: range, value: str = "1") -> bytes:
        rows = [f"{self.project_code},{self.indicator},{year},,{value}" for year in periods]
        return ("project,indicator,period,disaggregation,value\n" + "\n".join(rows) + "\n").encode()

    async def job(self, content: bytes, **state: Any) -> uuid.UUID:
        """A job as the upload request leaves it (queued, its file stored), then in `state`."""
        async with self.maker() as session:
            job = ImportJob(
                status="queued",
                file_format="csv",
                created_by=self.uploader,
                options={
                    "file_format": "csv",
                    "dry_run": False,
                    "strategy": "create_and_update",
                    "replace": False,
                    "job": True,
                },
            )
            session.add(job)
            await session.flush()
            path = Path(f"/tmp/worker-test-{job.id}.csv")  # noqa: S108 (a test's own file)
            path.write_bytes(content)
            await repository.store_upload(session, job.id, path)
            path.unlink()
            if state:
                await session.execute(update(ImportJob).where(ImportJob.id == job.id).values(**state))
            await session.commit()
            self.jobs.append(job.id)
            return job.id

    async def get(self, job_id: uuid.UUID) -> ImportJob:
        async with self.maker() as session:
            job = await session.get(ImportJob, job_id)
            assert job is not None
            return job

    async def values(self) -> int:
        async with self.maker() as session:
            count = await session.scalar(
                select(func.count()).select_from(ReportValue).join(Report).where(Report.project_id == self.project_id)
            )
            return int(count or 0)

    async def uploads(self, job_id: uuid.UUID) -> int:
        async with self.maker() as session:
            return int(await session.scalar(select(func.count()).where(ImportUpload.job_id == job_id)) or 0)


@pytest_asyncio.fixture
async def world(app: FastAPI, projects_api_server: ProjectsHarness) -> AsyncIterator[World]:
    projects_api_server.reset()
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker  # the engine's: these rows are committed
    async with maker() as session:
        indicator = await create_indicator(session)
        project = await create_project(session, projects_api_server)
        pi = await create_framework(session, project.id, indicator, frequency="year")
        await session.commit()
    world = World(maker, project.id, project.code, indicator.code, projects_api_server.person(Grant(Role.reporter)))
    try:
        yield world
    finally:
        async with maker() as session:
            await session.execute(
                delete(NotificationEvent).where(
                    NotificationEvent.data["import_id"].astext.in_([str(j) for j in world.jobs])
                )
            )
            await session.execute(delete(ImportJob).where(ImportJob.id.in_(world.jobs)))
            await session.execute(delete(Report).where(Report.project_id == project.id))
            await session.execute(delete(ProjectIndicator).where(ProjectIndicator.id == pi.id))
            await session.execute(delete(Result).where(Result.project_id == project.id))
            await session.execute(delete(Indicator).where(Indicator.id == indicator.id))
            await session.execute(delete(ProjectCopy).where(ProjectCopy.id == project.id))
            await session.commit()


def _worker(app: FastAPI, settings: Settings, name: str, **changes: Any) -> ImportWorker:
    return ImportWorker(app, settings.model_copy(update=changes), heartbeats=app.state.sessionmaker, name=name)


async def test_a_running_job_with_a_stale_heartbeat_is_picked_up_and_completes(
    app: FastAPI, settings: Settings, world: World
) -> None:
    stale = datetime.now(UTC) - timedelta(minutes=10)
    job_id = await world.job(
        world.csv(range(2000, 2010)), status="running", claimed_by="gone", heartbeat_at=stale, attempts=1
    )
    fresh = await world.job(
        world.csv(range(1990, 1992)), status="running", claimed_by="alive", heartbeat_at=datetime.now(UTC), attempts=1
    )
    worker = _worker(app, settings, "replica-b")
    assert await worker.run_next() is True
    assert await worker.run_next() is False  # the other running job's worker is alive: left alone
    job = await world.get(job_id)
    assert (job.status, job.claimed_by, job.attempts) == ("done", "replica-b", 2)
    assert job.summary is not None and job.summary["imported"] == 10
    assert (job.rows_total, job.rows_done) == (10, 10)
    assert await world.values() == 10
    assert await world.uploads(job_id) == 0  # the stored file goes with the job's end
    assert (await world.get(fresh)).status == "running"


async def test_two_workers_never_run_the_same_job(app: FastAPI, settings: Settings, world: World) -> None:
    jobs = [await world.job(world.csv(range(2000 + 10 * k, 2010 + 10 * k))) for k in range(4)]
    runs: list[uuid.UUID] = []
    original = repository.claim

    async def counted(*args: Any) -> repository.Claim | None:
        claim = await original(*args)
        if claim is not None:
            runs.append(claim.job_id)
        return claim

    workers = [_worker(app, settings, f"replica-{n}") for n in range(2)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(repository, "claim", counted)
        await asyncio.gather(*(w.kick() for w in workers))
    assert sorted(runs) == sorted(jobs)  # each job claimed exactly once
    assert {(await world.get(j)).status for j in jobs} == {"done"}
    assert [(await world.get(j)).attempts for j in jobs] == [1] * len(jobs)
    assert await world.values() == 40


async def test_skip_locked_claims_hand_out_different_jobs(settings: Settings, world: World) -> None:
    first, second = await world.job(world.csv(range(2000, 2001))), await world.job(world.csv(range(2001, 2002)))
    async with world.maker() as a, world.maker() as b:
        claim_a = await repository.claim(a, "a", settings.import_stale_seconds)  # held, not yet committed
        claim_b = await repository.claim(b, "b", settings.import_stale_seconds)
        assert claim_a is not None and claim_b is not None
        assert {claim_a.job_id, claim_b.job_id} == {first, second}
        assert await repository.claim(b, "b", settings.import_stale_seconds) is None
        await a.rollback()
        await b.rollback()


async def test_a_worker_that_dies_mid_way_leaves_nothing_applied_and_the_job_runs_again(
    app: FastAPI, settings: Settings, world: World
) -> None:
    job_id = await world.job(world.csv(range(2000, 2025)))
    applied, hold = asyncio.Event(), asyncio.Event()
    original = staging.apply

    async def apply_then_hang(*args: Any) -> dict[str, int]:
        counts = await original(*args)
        applied.set()
        await hold.wait()  # the process "dies" here: values written, not committed
        return counts

    doomed = _worker(app, settings, "replica-dies", import_heartbeat_seconds=0.05)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(staging, "apply", apply_then_hang)
        patch.setattr(doomed, "_release", _no_cleanup)  # a killed process does not hand the job back
        task = asyncio.create_task(doomed.kick())
        await asyncio.wait_for(applied.wait(), timeout=30)
        assert await world.values() == 0  # others see nothing of the half-done import
        await asyncio.sleep(0.2)
        beating = await world.get(job_id)
        assert beating.status == "running" and beating.claimed_by == "replica-dies"
        assert beating.rows_total == 25  # progress came with the heartbeats
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert await world.values() == 0
    rescuer = _worker(app, settings, "replica-rescues", import_stale_seconds=0.5)
    assert await rescuer.run_next() is False  # its heartbeat is still fresh
    await asyncio.sleep(0.6)
    assert await rescuer.run_next() is True
    job = await world.get(job_id)
    assert (job.status, job.claimed_by, job.attempts) == ("done", "replica-rescues", 2)
    assert await world.values() == 25


async def _no_cleanup(*_: Any) -> None:
    return None


async def test_a_worker_that_lost_its_job_does_not_apply_it_a_second_time(
    app: FastAPI, settings: Settings, world: World
) -> None:
    job_id = await world.job(world.csv(range(2000, 2005)))
    slow = _worker(app, settings, "replica-slow")
    async with world.maker() as session:
        claim = await repository.claim(session, slow.name, settings.import_stale_seconds)
        await session.commit()
    assert claim is not None and claim.job_id == job_id
    async with world.maker() as session:  # it went silent long enough to be presumed dead ...
        await session.execute(
            update(ImportJob).where(ImportJob.id == job_id).values(heartbeat_at=datetime.now(UTC) - timedelta(hours=1))
        )
        await session.commit()
    assert await _worker(app, settings, "replica-fast").run_next() is True  # ... so another replica ran it
    await slow.run(claim)  # then the slow one wakes up and finishes its run: it must roll back
    job = await world.get(job_id)
    assert (job.status, job.claimed_by) == ("done", "replica-fast")
    assert await world.values() == 5
    async with world.maker() as session:
        reports = (await session.scalars(select(Report.id).where(Report.project_id == world.project_id))).all()
        changes = [c for r in reports for c in await value_changes(session, r)]
        assert len(changes) == 5  # one import's history, not two


async def test_a_job_that_keeps_losing_its_worker_fails_after_the_last_attempt(
    app: FastAPI, settings: Settings, world: World
) -> None:
    stale = datetime.now(UTC) - timedelta(minutes=10)
    job_id = await world.job(
        world.csv(range(2000, 2002)),
        status="running",
        claimed_by="gone",
        heartbeat_at=stale,
        attempts=settings.import_max_attempts,
    )
    assert await _worker(app, settings, "replica-c").run_next() is True
    job = await world.get(job_id)
    assert job.status == "failed"
    assert job.summary is not None and "stopped 3 times" in job.summary["error"]
    assert await world.values() == 0
    assert await world.uploads(job_id) == 0


async def test_a_job_runs_long_after_the_uploaders_token_would_have_expired(
    app: FastAPI, settings: Settings, world: World
) -> None:
    """Nothing of the upload's token is kept: queued for an hour, the job still runs with the uploader's rights."""
    job_id = await world.job(world.csv(range(2000, 2004)), created_at=datetime.now(UTC) - timedelta(hours=1))
    columns = {c.name for c in ImportJob.__table__.columns}
    assert not columns & {"token", "bearer", "access_token"}
    assert await _worker(app, settings, "replica-e").run_next() is True
    job = await world.get(job_id)
    assert (job.status, job.summary and job.summary["imported"]) == ("done", 4)


async def test_a_job_whose_uploader_was_disabled_fails_clearly(
    app: FastAPI, settings: Settings, world: World, projects_api_server: ProjectsHarness
) -> None:
    job_id = await world.job(world.csv(range(2000, 2002)))
    projects_api_server.disable(world.uploader)
    assert await _worker(app, settings, "replica-d").run_next() is True
    job = await world.get(job_id)
    assert job.status == "failed"
    assert job.summary is not None and f"would not act for {world.uploader}" in job.summary["error"]
    assert await world.values() == 0


async def test_the_uploader_is_told_when_a_job_ends(
    app: FastAPI, settings: Settings, world: World, projects_api_server: ProjectsHarness
) -> None:
    """An event for the uploader, written in the transaction that ends the job (done, or failed)."""
    done = await world.job(world.csv(range(2000, 2003)))
    worker = _worker(app, settings, "replica-e")
    while await worker.run_next():
        pass
    failed = await world.job(world.csv(range(2000, 2002)))
    projects_api_server.disable(world.uploader)  # the job may no longer act for them: it fails
    while await worker.run_next():
        pass
    async with world.maker() as session:
        events = (
            await session.scalars(select(NotificationEvent).where(NotificationEvent.kind == "import_finished"))
        ).all()
    told = {e.data["import_id"]: (e.audience, e.data["status"], e.data["rows"]) for e in events}
    assert told[str(done)] == ({"subjects": [world.uploader]}, "done", 3)
    assert told[str(failed)][:2] == ({"subjects": [world.uploader]}, "failed")


async def test_a_job_waits_while_projects_api_cannot_check_rights(
    app: FastAPI, settings: Settings, world: World, projects_api_server: ProjectsHarness
) -> None:
    job_id = await world.job(world.csv(range(2000, 2003)))
    worker = _worker(app, settings, "replica-f")
    app.state.projects.upstream.breaker.success()
    projects_api_server.down = True
    try:
        assert await worker.run_next() is True  # claimed, then handed back: projects-api did not answer
        assert await worker.run_next() is False  # and the worker waits for its next poll
    finally:
        projects_api_server.down = False
        app.state.projects.upstream.breaker.success()
    waiting = await world.get(job_id)
    assert (waiting.status, waiting.attempts, waiting.claimed_by) == ("queued", 0, None)
    assert await worker.run_next() is True
    assert (await world.get(job_id)).status == "done"


def _sample(body: str, name: str) -> float:
    for line in body.splitlines():
        if line.split(" ")[0] == name:
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in the metrics")


async def test_the_queue_and_the_feed_lag_are_in_the_metrics(app: FastAPI, world: World) -> None:
    now = datetime.now(UTC)
    await world.job(world.csv(range(2000, 2001)), created_at=now - timedelta(minutes=5))
    await world.job(
        world.csv(range(2001, 2002)),
        status="running",
        claimed_by="gone",
        attempts=1,
        heartbeat_at=now - timedelta(minutes=10),
    )
    async with world.maker() as session:
        session.add(
            SyncState(
                name="metrics-test",
                last_success_at=now - timedelta(minutes=2),
                last_error_at=now - timedelta(seconds=5),
                last_error="projects-api is down",
                projects_seen=7,
            )
        )
        await session.commit()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            body = (await client.get("/metrics")).text
    finally:
        async with world.maker() as session:
            await session.execute(delete(SyncState).where(SyncState.name == "metrics-test"))
            await session.commit()
    assert _sample(body, 'import_jobs{state="queued"}') == 1
    assert _sample(body, 'import_jobs{state="running"}') == 1
    assert _sample(body, 'import_jobs{state="stale"}') == 1
    assert _sample(body, "import_queue_oldest_age_seconds") >= 299
    assert _sample(body, "import_heartbeat_oldest_age_seconds") >= 599
    assert _sample(body, 'feed_last_success_age_seconds{feed="metrics-test"}') >= 119
    assert _sample(body, 'feed_failing{feed="metrics-test"}') == 1
    assert _sample(body, 'feed_changes_applied{feed="metrics-test"}') == 7
    assert "process_resident_memory_bytes" in body
