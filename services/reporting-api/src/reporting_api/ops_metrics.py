"""reporting-api's own metrics, read from its database at each scrape: the import queue (depth, the oldest queued
job's age, heartbeats of running jobs) and the lag of the local copy of projects-api's change feed."""

from __future__ import annotations

from fastapi import FastAPI
from prometheus_client import Counter, Gauge

from registry_kit.raw_reads import Reads

_QUEUE = """
SELECT count(*) FILTER (WHERE status = 'queued') AS queued,
       count(*) FILTER (WHERE status = 'running') AS running,
       count(*) FILTER (WHERE status = 'running' AND (heartbeat_at IS NULL
                        OR heartbeat_at < now() - make_interval(secs => $1))) AS stale,
       coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'queued')), 0) AS oldest_queued,
       coalesce(extract(epoch FROM now() - min(heartbeat_at) FILTER (WHERE status = 'running')), 0) AS oldest_beat
FROM import_job
WHERE status IN ('queued', 'running')
"""

_FEED = """
SELECT name, extract(epoch FROM now() - last_success_at) AS age,
       (last_error_at IS NOT NULL AND (last_success_at IS NULL OR last_error_at > last_success_at)) AS failing,
       projects_seen
FROM sync_state
"""


class OpsMetrics:
    def __init__(self, app: FastAPI) -> None:
        self.app = app
        registry = app.state.metrics.registry
        self.jobs = Gauge("import_jobs", "Import jobs waiting or running", ["state"], registry=registry)
        self.oldest = Gauge(
            "import_queue_oldest_age_seconds", "Age of the oldest queued import job (0: none)", registry=registry
        )
        self.heartbeat = Gauge(
            "import_heartbeat_oldest_age_seconds",
            "Seconds since the least recent heartbeat of a running import job (0: none running)",
            registry=registry,
        )
        self.finished = Counter(
            "import_jobs_finished_total", "Import jobs this process ended, by outcome", ["outcome"], registry=registry
        )
        self.feed_age = Gauge(
            "feed_last_success_age_seconds",
            "Seconds since the local copy last followed the change feed to its end (the copy's lag, at most)",
            ["feed"],
            registry=registry,
        )
        self.feed_failing = Gauge(
            "feed_failing", "1 when the last attempt to follow the feed failed", ["feed"], registry=registry
        )
        self.feed_seen = Gauge(
            "feed_changes_applied", "Changes applied from the feed since the copy began", ["feed"], registry=registry
        )
        app.state.metrics.add_refresher(self.refresh)

    async def refresh(self) -> None:
        reads: Reads = self.app.state.reads
        stale = float(self.app.state.settings.import_stale_seconds)
        async with reads.connection() as conn:
            queue = await conn.fetchrow(_QUEUE, stale)
            feeds = await conn.fetch(_FEED)
        if queue is not None:
            self.jobs.labels("queued").set(queue["queued"])
            self.jobs.labels("running").set(queue["running"])
            self.jobs.labels("stale").set(queue["stale"])
            self.oldest.set(float(queue["oldest_queued"]))
            self.heartbeat.set(float(queue["oldest_beat"]))
        for feed in feeds:
            if feed["age"] is not None:
                self.feed_age.labels(feed["name"]).set(float(feed["age"]))
            self.feed_failing.labels(feed["name"]).set(1 if feed["failing"] else 0)
            self.feed_seen.labels(feed["name"]).set(feed["projects_seen"])
