"""Runs one job inside an app context; RQ workers call `run_job`."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hromada.extensions import db
from hromada.jobs import outbox
from hromada.jobs.models import JobRun

if TYPE_CHECKING:
    from flask import Flask

_worker_app: Flask | None = None


def set_worker_app(app: Flask) -> None:
    """Let a worker started by `flask worker` hand its app to the jobs it runs."""
    global _worker_app
    _worker_app = app


def _app() -> Flask:
    global _worker_app
    if _worker_app is None:
        # Started by a plain `rq worker`: build the app from the environment.
        from hromada import create_app

        _worker_app = create_app()
    return _worker_app


def run_job(name: str, arguments: dict, outbox_id: int | None = None) -> Any:
    """The function RQ calls for every Hromada job.

    `outbox_id` is the job's row; a job enqueued before the outbox existed has none.
    """
    app = _app()
    with app.app_context():
        status, result = run_delivery(app, name, arguments, outbox_id)
    return {"status": status, "result": result}


def run_delivery(app: Flask, name: str, arguments: dict, outbox_id: int | None) -> tuple[str, Any]:
    """Run one delivery of an outbox job: claim it, renew its lease while it runs, record a failure."""
    if outbox_id is None:
        return execute(app, name, arguments)
    jobs = app.extensions["hromada.jobs"]
    if not outbox.claim(outbox_id, jobs.lease):
        return "skipped", None  # done by an earlier delivery (or given up): nothing to do
    try:
        with outbox.heartbeat(outbox_id, jobs.lease):
            return execute(app, name, arguments, outbox_id=outbox_id)
    except Exception as error:
        outbox.record_failure(outbox_id, jobs.definition(name), error)
        raise


def run_key(name: str, arguments: dict) -> str:
    digest = hashlib.sha256(json.dumps(arguments, sort_keys=True, default=str).encode()).hexdigest()
    return f"{name}:{digest[:48]}"


def execute(app: Flask, name: str, arguments: dict, outbox_id: int | None = None) -> tuple[str, Any]:
    """Run job `name`; commit its work with its run record and its done mark; return (status, result)."""
    definition = app.extensions["hromada.jobs"].definition(name)
    from hromada import tenancy

    if "tenant_id" in arguments:
        # A job acts for the community its arguments name, and sees nothing else.
        tenancy.set_tenant(arguments["tenant_id"])
    if "organisation_id" in arguments:
        # And for the organisation they name: what it writes about it (its audit entries) is its own.
        tenancy.set_organisation(arguments["organisation_id"])
    key = run_key(name, arguments) if definition.once else None
    if key and db.session.scalar(select(JobRun.id).where(JobRun.key == key)):
        if outbox_id is not None:
            outbox.mark_done(outbox_id)
            db.session.commit()
        return "skipped", None
    try:
        result = definition.function(**arguments)
        db.session.flush()
        if outbox_id is not None and not outbox.mark_done(outbox_id):
            # Another delivery of this very job finished first (this one was sent again while
            # that one ran): keep its effects only.
            db.session.rollback()
            return "skipped", None
        if key:
            db.session.add(JobRun(key=key, name=name))
            try:
                db.session.flush()
            except IntegrityError:
                # Another job with the same name and arguments finished first: keep its effects only.
                db.session.rollback()
                if outbox_id is not None:
                    outbox.mark_done(outbox_id)
                    db.session.commit()
                return "skipped", None
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return "finished", result
