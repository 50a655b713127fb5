"""The job system's own contributions: its tables and the worker commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from hromada.extensions import db
from hromada.hookspecs import hookimpl
from hromada.jobs import runner
from hromada.jobs.models import DeferredJob, JobRun


def _burst_worker_class():
    from rq import Worker

    class BurstWorker(Worker):
        """A worker that stops once the queue is empty, and so listens for no remote command.

        RQ's listener thread waits up to 60 seconds for one; a worker that finished while it
        waited could take that long to exit (rq 3.0 with redis-py 8), and so every burst run.
        """

        def subscribe(self) -> None:
            pass

    return BurstWorker


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run a background worker (needs REDIS_URL)."""
    from rq import Worker

    app = current_app._get_current_object()
    jobs = app.extensions["hromada.jobs"]
    if not jobs.uses_redis:
        raise click.UsageError("REDIS_URL is not set: jobs run inline in the web process.")
    runner.set_worker_app(app)
    sent = jobs.flush_deferred()
    if sent:
        click.echo(f"Sent {sent} jobs deferred while Redis was down.")
    # Each job runs in a forked process: it must not share the parent's connections.
    db.engine.dispose()
    worker_class = _burst_worker_class() if burst else Worker
    worker = worker_class([jobs.rq_queue()], connection=jobs.connection(), name=jobs.new_id())
    worker.work(burst=burst, with_scheduler=not burst)


@click.group("jobs")
def jobs_group() -> None:
    """Inspect and manage background jobs."""


@jobs_group.command("flush")
@with_appcontext
def flush_command() -> None:
    """Send to Redis the jobs deferred while it was unreachable."""
    jobs = current_app.extensions["hromada.jobs"]
    sent = jobs.flush_deferred()
    click.echo(f"Sent {sent} deferred jobs to the {jobs.queue_name!r} queue.")


@hookimpl
def hromada_models():
    return [JobRun, DeferredJob]


@hookimpl
def hromada_cli_commands():
    return [worker_command, jobs_group]
