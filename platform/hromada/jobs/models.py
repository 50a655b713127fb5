"""What the job system keeps in the database: finished runs and deferred jobs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, String, func
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


class DeferredJob(db.Model):
    """A job that could not reach Redis; sent again when Redis is back."""

    __tablename__ = "deferred_jobs"
    __data_version__ = False  # no cached page shows these rows (hromada.caching.versions)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    arguments: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
