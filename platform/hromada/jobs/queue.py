"""`JobQueue`: one interface to enqueue a job, on RQ or inline, recorded in the outbox either way."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from hromada.clock import now
from hromada.extensions import db
from hromada.jobs import outbox
from hromada.jobs.models import OutboxJob

if TYPE_CHECKING:
    from flask import Flask

    from hromada.jobs import JobDefinition

QUEUE_NAME = "hromada"
RUNNER = "hromada.jobs.runner.run_job"
DEFAULT_LEASE_SECONDS = 60
log = logging.getLogger(__name__)


class UnknownJobError(LookupError):
    """No plugin registered a job of that name."""


@dataclass(frozen=True)
class JobHandle:
    """What `enqueue` tells its caller.

    `status` is "queued" (in Redis), "deferred" (Redis was unreachable; the job waits in the
    outbox and the sweeper sends it when Redis is back), "finished", "skipped" (a `once` job that
    had already run) or "failed" (inline, after every retry). `outbox_id` is the job's row.
    """

    name: str
    status: str
    id: str | None = None
    result: Any = None
    outbox_id: int | None = None


class JobQueue:
    def __init__(self, app: Flask, definitions: dict[str, JobDefinition]):
        self.app = app
        self.definitions = definitions
        self.redis_url: str | None = app.config.get("REDIS_URL")
        # HROMADA_REDIS_NAMESPACE starts the queue's name, its jobs' ids and so every key RQ makes for them.
        self.namespace: str = app.config.get("HROMADA_REDIS_NAMESPACE") or ""
        # A pending job nobody renewed for this long is sent again: sent but lost, or killed mid-run.
        self.lease = timedelta(seconds=app.config.get("HROMADA_JOB_LEASE_SECONDS") or DEFAULT_LEASE_SECONDS)
        self._redis = None

    @property
    def uses_redis(self) -> bool:
        return bool(self.redis_url)

    def connection(self):
        if self._redis is None:
            from redis import Redis

            self._redis = Redis.from_url(self.redis_url)
        return self._redis

    @property
    def queue_name(self) -> str:
        return f"{self.namespace}{QUEUE_NAME}"

    def new_id(self) -> str | None:
        """A worker's id in the namespace; None (RQ picks one) without a namespace."""
        return f"{self.namespace}{uuid.uuid4().hex}" if self.namespace else None

    def rq_id(self, outbox_id: int, delivery: int) -> str:
        """The RQ job of one delivery of an outbox row: known without asking Redis, so nothing is written back."""
        return f"{self.namespace}job-{outbox_id}-{delivery}"

    def rq_queue(self):
        from rq import Queue

        return Queue(self.queue_name, connection=self.connection())

    def definition(self, name: str) -> JobDefinition:
        try:
            return self.definitions[name]
        except KeyError:
            raise UnknownJobError(f"No plugin registers a job named {name!r}.") from None

    def enqueue(self, name: str, **arguments: Any) -> JobHandle:
        """Run job `name` with `arguments` in the background (or now, inline).

        The job's row is added to the session and the session is committed: the job is saved in
        the same transaction as the work the session holds (the work that asked for it), or not at
        all. Then it is sent to Redis (or run, inline). Whatever happens to Redis from then on, the
        job runs once it is saved.
        """
        definition = self.definition(name)
        row = OutboxJob(name=name, arguments=arguments, deliveries=1, lease_until=now() + self.lease)
        db.session.add(row)
        db.session.commit()
        outbox_id = row.id
        if not self.uses_redis:
            return self._run_inline(definition, arguments, outbox_id)
        from redis.exceptions import RedisError

        try:
            return self._send(definition, arguments, outbox_id, 1)
        except RedisError:
            log.warning("Redis is unreachable; job %s waits in the outbox until it is back.", name)
            # Due at once: the next sweep after Redis is back sends it, without waiting for a lease.
            outbox.update_row(outbox_id, {"lease_until": now()})
            db.session.commit()
            return JobHandle(name=name, status="deferred", outbox_id=outbox_id)

    def sweep(self) -> int:
        """Send again the pending jobs whose lease ran out; return how many were sent (or run, inline).

        A job still waiting in Redis keeps waiting; one lost from Redis, never sent, killed
        mid-run or due for a retry is sent again. Safe to run in any number of processes at once.
        """
        from redis.exceptions import RedisError

        to_run = []
        sent = 0
        try:
            with outbox.due_jobs(self.lease, self._still_queued) as (rows, changes):
                for row in rows:
                    definition = self.definitions.get(row.name)
                    if definition is None:  # its plugin was removed: nothing can run it
                        changes.append({"id": row.id, "failed_at": now(), "error": UnknownJobError.__name__})
                        continue
                    values = outbox.resend_values(row, definition, self.lease, now())
                    if "failed_at" in values:
                        log.error("Job %s (%d) gave up after %d failures.", row.name, row.id, values["failures"])
                    elif self.uses_redis:
                        try:
                            self._send(definition, row.arguments, row.id, values["deliveries"])
                        except RedisError:  # gone meanwhile: what was sent is recorded, the rest waits
                            log.warning("Redis is unreachable; pending jobs are sent when it is back.")
                            break
                        sent += 1
                    else:
                        to_run.append((definition, row))
                    changes.append({"id": row.id, **values})
        except RedisError:  # before anything was sent: asking which jobs Redis still holds
            log.warning("Redis is unreachable; pending jobs are sent when it is back.")
            return 0
        for definition, row in to_run:  # inline: after the sweep's transaction, as a worker would
            self._run_inline(definition, row.arguments, row.id)
        return sent + len(to_run)

    def _still_queued(self, rows) -> set[int]:
        """Which of these rows' last deliveries Redis still holds, waiting for a worker."""
        if not self.uses_redis or not rows:
            return set()
        from rq.job import Job, JobStatus

        waiting = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
        ids = [self.rq_id(row.id, row.deliveries) for row in rows]
        jobs = Job.fetch_many(ids, connection=self.connection())
        return {
            row.id for row, rq_job in zip(rows, jobs)
            if rq_job is not None and rq_job.get_status(refresh=False) in waiting
        }

    def _send(self, definition: JobDefinition, arguments: dict, outbox_id: int, delivery: int) -> JobHandle:
        # No RQ retry: a failed run is due again in the outbox, which the sweeper sends.
        rq_job = self.rq_queue().enqueue_call(
            RUNNER,
            job_id=self.rq_id(outbox_id, delivery),
            kwargs={"name": definition.name, "arguments": arguments, "outbox_id": outbox_id},
            timeout=definition.timeout,
            # The name only: arguments stay out of the worker's log lines.
            description=definition.name,
            failure_ttl=30 * 24 * 3600,
        )
        return JobHandle(name=definition.name, status="queued", id=rq_job.id, outbox_id=outbox_id)

    def _run_inline(self, definition: JobDefinition, arguments: dict, outbox_id: int) -> JobHandle:
        from hromada.jobs.runner import run_delivery

        for attempt in range(1, definition.retries + 2):
            try:
                # A fresh app context gives the job its own database session,
                # as it would have in a worker.
                with self.app.app_context():
                    status, result = run_delivery(self.app, definition.name, arguments, outbox_id)
                return JobHandle(name=definition.name, status=status, result=result, outbox_id=outbox_id)
            except Exception:
                log.exception("Job %s failed (attempt %d).", definition.name, attempt)
        return JobHandle(name=definition.name, status="failed", outbox_id=outbox_id)
