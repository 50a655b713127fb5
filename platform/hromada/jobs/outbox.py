"""The outbox: every job's row in the database, from enqueueing to done.

The row is written in the transaction of the work that asked for the job, so a job exists exactly
when that work was saved. Redis only carries it to a worker: whatever Redis loses (a restart
without persistence, a FLUSHALL, a worker killed mid-run) the sweeper finds here, as a pending
row whose lease has run out, and sends again. A run commits `done_at` in the transaction of its
own work, so a second delivery of a job that finished changes nothing.

Claiming a job, recording its failure and sweeping commit at once, in a transaction of their
own on the job's session (a fresh one: a worker's, or the app context an inline job runs in), so
other processes see them and the job's rollback does not undo them. The heartbeat, a thread,
has a connection of its own.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Iterator

from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from hromada.clock import now
from hromada.extensions import db
from hromada.jobs.models import OutboxJob

if TYPE_CHECKING:
    from hromada.jobs import JobDefinition

log = logging.getLogger(__name__)
TABLE = OutboxJob.__table__
PENDING = (TABLE.c.done_at.is_(None), TABLE.c.failed_at.is_(None))
# Done rows are kept this long, for `flask jobs status`, then removed by the sweeper.
KEEP_DONE = timedelta(days=7)
SWEEP_BATCH = 500
DIED = "WorkerDied"


@dataclass(frozen=True)
class Due:
    """A pending job the sweeper looks at: its lease ran out."""

    id: int
    name: str
    arguments: dict
    deliveries: int
    started: bool
    failures: int


def claim(outbox_id: int, lease: timedelta) -> bool:
    """Mark the job running under a fresh lease; False if it is done, failed or gone (nothing to run)."""
    moment = now()
    claimed = db.session.execute(
        update(TABLE).where(TABLE.c.id == outbox_id, *PENDING).values(started_at=moment, lease_until=moment + lease)
    ).rowcount
    db.session.commit()
    return claimed == 1


def mark_done(outbox_id: int) -> bool:
    """In the job's own transaction (the session's): True if this run is the one that finished the job."""
    return db.session.execute(
        update(TABLE).where(TABLE.c.id == outbox_id, TABLE.c.done_at.is_(None)).values(done_at=now())
    ).rowcount == 1


def record_failure(outbox_id: int, definition: JobDefinition, error: BaseException) -> None:
    """After a run raised: due again after the definition's next retry interval, or failed for good."""
    moment = now()
    failures = db.session.scalar(select(TABLE.c.failures).where(TABLE.c.id == outbox_id)) or 0
    values = failure_values(failures + 1, definition, type(error).__name__, moment)
    # started_at back to None: the sweeper reads a failed run as waiting for its retry, not as killed.
    db.session.execute(update(TABLE).where(TABLE.c.id == outbox_id, *PENDING).values(started_at=None, **values))
    db.session.commit()


def failure_values(failures: int, definition: JobDefinition, error: str, moment: datetime) -> dict:
    values = {"failures": failures, "error": error[:200]}
    if failures > definition.retries:
        values["failed_at"] = moment
    else:
        intervals = definition.retry_intervals or (0,)
        values["lease_until"] = moment + timedelta(seconds=intervals[min(failures, len(intervals)) - 1])
    return values


@contextmanager
def heartbeat(outbox_id: int, lease: timedelta) -> Iterator[None]:
    """Renew the job's lease while it runs, three times a lease: a run that dies stops renewing it.

    A thread of the process that runs the job, so it dies with it: after `kill -9` the lease runs
    out within one lease and the sweeper sends the job again.
    """
    engine = db.engine
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(lease.total_seconds() / 3):
            try:
                with engine.begin() as connection:
                    connection.execute(
                        update(TABLE).where(TABLE.c.id == outbox_id, *PENDING).values(lease_until=now() + lease)
                    )
            except SQLAlchemyError:
                # The database is away: the lease may run out and the job be sent again, which
                # its done mark makes harmless. Say so without the job's arguments.
                log.warning("Could not renew the lease of job %d.", outbox_id)

    thread = threading.Thread(target=beat, name=f"job-{outbox_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@contextmanager
def due_jobs(lease: timedelta, still_queued) -> Iterator[tuple[list[Due], list[dict]]]:
    """The pending jobs whose lease ran out: yield (those to send again, changes); write the changes and commit.

    The caller appends to `changes` what it writes on each row it looks at: {"id": …, column: value}.

    `still_queued(rows)` answers which of the rows that never started are still waiting in Redis:
    those keep waiting (under a new lease) instead of being sent twice. A row that started and
    whose lease ran out died with its worker: that counts as a failure. The rows stay locked (on
    PostgreSQL, skipped by other sweepers) until the caller has sent them and the block ends.
    """
    moment = now()
    session = db.session
    try:
        query = (
            select(TABLE.c.id, TABLE.c.name, TABLE.c.arguments, TABLE.c.deliveries, TABLE.c.started_at,
                   TABLE.c.failures)
            .where(*PENDING, TABLE.c.lease_until <= moment)
            .order_by(TABLE.c.id)
            .limit(SWEEP_BATCH)
        )
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = [
            Due(row.id, row.name, row.arguments, row.deliveries, row.started_at is not None, row.failures)
            for row in session.execute(query)
        ]
        waiting = still_queued([row for row in rows if not row.started])
        changes = [{"id": row.id, "lease_until": moment + lease} for row in rows if row.id in waiting]
        yield [row for row in rows if row.id not in waiting], changes
        # One statement for all the rows with the same columns changed, however many they are.
        for columns in {tuple(sorted(change)) for change in changes}:
            session.execute(update(OutboxJob), [change for change in changes if tuple(sorted(change)) == columns])
        session.execute(delete(TABLE).where(TABLE.c.done_at < moment - KEEP_DONE))
        session.commit()
    except BaseException:
        session.rollback()
        raise


def resend_values(row: Due, definition: JobDefinition, lease: timedelta, moment: datetime) -> dict:
    """What the sweeper writes on a row it sends again (or gives up on)."""
    if row.started:
        values = failure_values(row.failures + 1, definition, DIED, moment)
        if "failed_at" in values:
            return values
        values.pop("lease_until")  # it waited a lease already: send it now
    else:
        values = {}
    return {**values, "deliveries": row.deliveries + 1, "started_at": None, "lease_until": moment + lease}


def update_row(outbox_id: int, values: dict) -> None:
    db.session.execute(update(TABLE).where(TABLE.c.id == outbox_id).values(**values))
