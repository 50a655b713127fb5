"""`JobQueue`: one interface to enqueue a job, on RQ or inline."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select

from hromada.extensions import db

if TYPE_CHECKING:
    from flask import Flask

    from hromada.jobs import JobDefinition

QUEUE_NAME = "hromada"
RUNNER = "hromada.jobs.runner.run_job"
log = logging.getLogger(__name__)


class UnknownJobError(LookupError):
    """No plugin registered a job of that name."""


@dataclass(frozen=True)
class JobHandle:
    """What `enqueue` tells its caller.

    `status` is "queued" (in Redis), "deferred" (Redis was unreachable; the job
    is kept in the database and sent when Redis is back), "finished", "skipped"
    (a `once` job that had already run) or "failed" (inline, after every retry).
    """

    name: str
    status: str
    id: str | None = None
    result: Any = None


class JobQueue:
    def __init__(self, app: Flask, definitions: dict[str, JobDefinition]):
        self.app = app
        self.definitions = definitions
        self.redis_url: str | None = app.config.get("REDIS_URL")
        # HROMADA_REDIS_NAMESPACE starts the queue's name, its jobs' ids and so every key RQ makes for them.
        self.namespace: str = app.config.get("HROMADA_REDIS_NAMESPACE") or ""
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
        """A job's or a worker's id in the namespace; None (RQ picks one) without a namespace."""
        return f"{self.namespace}{uuid.uuid4().hex}" if self.namespace else None

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

        Call it after committing what the job needs to read.
        """
        definition = self.definition(name)
        if not self.uses_redis:
            return self._run_inline(definition, arguments)
        from redis.exceptions import RedisError

        try:
            handle = self._send(definition, arguments)
        except RedisError:
            log.warning("Redis is unreachable; job %s is deferred until it is back.", name)
            with db.engine.begin() as connection:
                connection.execute(insert(_deferred_table()).values(name=name, arguments=arguments))
            return JobHandle(name=name, status="deferred")
        self.flush_deferred()
        return handle

    def flush_deferred(self) -> int:
        """Send the jobs that were deferred while Redis was down; return how many."""
        if not self.uses_redis:
            return 0
        table = _deferred_table()
        sent = 0
        with db.engine.begin() as connection:
            query = select(table.c.id, table.c.name, table.c.arguments).order_by(table.c.id)
            if connection.dialect.name == "postgresql":
                # Two processes flushing at once each take different rows.
                query = query.with_for_update(skip_locked=True)
            for row in connection.execute(query).all():
                self._send(self.definition(row.name), row.arguments)
                connection.execute(delete(table).where(table.c.id == row.id))
                sent += 1
        return sent

    def _send(self, definition: JobDefinition, arguments: dict) -> JobHandle:
        from rq import Retry

        retry = None
        if definition.retries:
            retry = Retry(max=definition.retries, interval=list(definition.retry_intervals))
        rq_job = self.rq_queue().enqueue_call(
            RUNNER,
            job_id=self.new_id(),
            kwargs={"name": definition.name, "arguments": arguments},
            retry=retry,
            timeout=definition.timeout,
            # The name only: arguments stay out of the worker's log lines.
            description=definition.name,
            failure_ttl=30 * 24 * 3600,
        )
        return JobHandle(name=definition.name, status="queued", id=rq_job.id)

    def _run_inline(self, definition: JobDefinition, arguments: dict) -> JobHandle:
        from hromada.jobs.runner import execute

        for attempt in range(1, definition.retries + 2):
            try:
                # A fresh app context gives the job its own database session,
                # as it would have in a worker.
                with self.app.app_context():
                    status, result = execute(self.app, definition.name, arguments)
                return JobHandle(name=definition.name, status=status, result=result)
            except Exception:
                log.exception("Job %s failed (attempt %d).", definition.name, attempt)
        return JobHandle(name=definition.name, status="failed")


def _deferred_table():
    from hromada.jobs.models import DeferredJob

    return DeferredJob.__table__
