"""The job system's own contributions: its tables and the worker commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.hookspecs import hookimpl
from hromada.jobs import runner
from hromada.jobs.models import JobRun, OutboxJob
from hromada.jobs.worker import start_sweeper, worker_class


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run a background worker (needs REDIS_URL); it also sweeps the outbox."""
    app = current_app._get_current_object()
    jobs = app.extensions["hromada.jobs"]
    if not jobs.uses_redis:
        raise click.UsageError("REDIS_URL is not set: jobs run inline in the web process.")
    runner.set_worker_app(app)
    sent = jobs.sweep()
    if sent:
        click.echo(f"Sent again {sent} jobs from the outbox.")
    # Each job runs in a forked process: it must not share the parent's connections.
    db.engine.dispose()
    if not burst:
        # Six sweeps a lease: a job killed mid-run is sent again at most a sixth of a lease after its lease ends.
        start_sweeper(app, jobs.lease.total_seconds() / 6)
    worker = worker_class(app, burst=burst)([jobs.rq_queue()], connection=jobs.connection(), name=jobs.new_id())
    # No RQ scheduler: retries are due in the outbox, and the sweeper sends them.
    worker.work(burst=burst, with_scheduler=False)


@click.group("jobs")
def jobs_group() -> None:
    """Inspect and manage background jobs."""


@jobs_group.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Send again the jobs whose lease ran out (workers do it on their own every few seconds)."""
    jobs = current_app.extensions["hromada.jobs"]
    sent = jobs.sweep()
    where = f"to the {jobs.queue_name!r} queue" if jobs.uses_redis else "inline"
    click.echo(f"Sent {sent} jobs {where}.")


@jobs_group.command("status")
@with_appcontext
def status_command() -> None:
    """How many jobs are pending, running and failed, and how long the oldest pending one has waited."""
    table = OutboxJob.__table__
    open_rows = table.c.done_at.is_(None) & table.c.failed_at.is_(None)
    moment = now()
    running = open_rows & table.c.started_at.isnot(None) & (table.c.lease_until > moment)
    counts = db.session.execute(select(
        func.count().filter(open_rows),
        func.count().filter(running),
        func.count().filter(table.c.failed_at.isnot(None)),
        func.min(table.c.created_at).filter(open_rows),
    )).one()
    pending, running_count, failed, oldest = counts
    click.echo(f"Pending: {pending} (running: {running_count}). Failed: {failed}.")
    if oldest is not None:
        click.echo(f"The oldest pending job was enqueued {int((moment - as_utc(oldest)).total_seconds())} s ago.")


@jobs_group.command("retry")
@click.argument("job_ids", nargs=-1, type=int)
@click.option("--all-failed", is_flag=True, help="Every job that gave up.")
@with_appcontext
def retry_command(job_ids: tuple[int, ...], all_failed: bool) -> None:
    """Give failed jobs (by outbox id) another full set of retries; the next sweep sends them."""
    if not job_ids and not all_failed:
        raise click.UsageError("Name the jobs' ids, or say --all-failed.")
    table = OutboxJob.__table__
    chosen = table.c.failed_at.isnot(None)
    if job_ids:
        chosen &= table.c.id.in_(job_ids)
    retried = db.session.execute(
        table.update().where(chosen).values(failed_at=None, failures=0, started_at=None, lease_until=now())
    ).rowcount
    db.session.commit()
    click.echo(f"{retried} failed jobs will be sent at the next sweep.")


@hookimpl
def hromada_models():
    return [JobRun, OutboxJob]


@hookimpl
def hromada_cli_commands():
    return [worker_command, jobs_group]
