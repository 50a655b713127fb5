"""What the job system keeps in the database: the outbox of every job, and finished `once` runs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, Integer, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from hromada.extensions import db


class JobRun(db.Model):
    """A finished run of a `once` job; its key makes a second run a no-op."""

    __tablename__ = "job_runs"
    __data_version__ = False  # no cached page shows these rows (hromada.caching.versions)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class OutboxJob(db.Model):
    """One enqueued job: written in the transaction of the work that asked for it, kept until it is done.

    Redis only carries the job to a worker; this row is the record. A job is *pending* until its
    run commits `done_at` together with its work; *running* while its runner renews `lease_until`
    (a heartbeat); and *failed* (`failed_at`) once its retries are spent. A pending job whose lease
    has run out (never sent because Redis was down, lost from Redis, killed mid-run, or due for a
    retry) is sent again by the sweeper (hromada.jobs.outbox.sweep).
    """

    __tablename__ = "job_outbox"
    __data_version__ = False  # no cached page shows these rows (hromada.caching.versions)
    __table_args__ = (
        # The sweeper's one question: which pending jobs are due. Done and failed rows are not in it.
        Index(
            "ix_job_outbox_pending", "lease_until",
            postgresql_where=text("done_at IS NULL AND failed_at IS NULL"),
            sqlite_where=text("done_at IS NULL AND failed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # Plain values only (ids, dates): they travel through Redis too.
    arguments: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Until then nobody sends the job again: it is on its way, running, or waiting for its retry.
    lease_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # How many times it was handed to Redis; names the RQ job of each delivery.
    deliveries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When the current delivery's run began; None while it waits in the queue.
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The last failure's exception class (never its message, which may quote personal data).
    error: Mapped[str | None] = mapped_column(String(200))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
