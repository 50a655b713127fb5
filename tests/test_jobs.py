"""Background jobs on the real Redis, drained by the real worker (`flask worker --burst`).

The job is the example plugin's `study_visits.count_report_words`, so these tests
also show that a third-party plugin's job runs in a worker process. The worker is
a subprocess with its own environment, as in production; the database is the
test's (SQLite file or PostgreSQL, as the application role that row-level
security applies to), so the test sees what the worker committed.
"""

from __future__ import annotations

from datetime import date

import pytest
from rq.job import Job, JobStatus
from sqlalchemy import func, select

from hromada import create_app
from hromada.extensions import db
from hromada.jobs.models import DeferredJob, JobRun
from hromada.modules.communities.models import Community
from hromada.testing.fixtures import FIRST_PARTY_PLUGINS
from hromada.testing.worker import run_worker
from hromada_study_visits.models import StudyVisit

# The worker is another process: it sees only what the test committed.
pytestmark = pytest.mark.real_commits

COUNT_WORDS = "study_visits.count_report_words"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # a closed port: nothing listens there


@pytest.fixture
def enabled_plugins() -> list[str]:
    return ["study_visits", *FIRST_PARTY_PLUGINS]


@pytest.fixture
def app_config(app_config, request):
    # A test that asks for `redis_url` gets an app that enqueues on Redis; the others run jobs inline.
    if "redis_url" in request.fixturenames:
        return {**app_config, "REDIS_URL": request.getfixturevalue("redis_url")}
    return app_config


@pytest.fixture
def visit(app) -> StudyVisit:
    """A visit with a report of 9 words; its community is the test's current tenant."""
    Community.create("Riverside Yard Circle")
    visit = StudyVisit(
        host_name="Old Town Gardeners",
        visit_on=date(2027, 3, 5),
        report="Their working group meets every Tuesday in the library.",
    )
    db.session.add(visit)
    db.session.commit()  # the worker reads only what was committed
    return visit


def count_words(visit: StudyVisit) -> dict:
    """The job's arguments: ids only, since they are stored in Redis."""
    return {"tenant_id": visit.tenant_id, "visit_id": visit.id}


def word_count(visit: StudyVisit) -> int | None:
    db.session.refresh(visit)  # read what the worker committed, not the session's copy
    return visit.report_word_count


def rq_job(app, job_id: str) -> Job:
    return Job.fetch(job_id, connection=app.extensions["hromada.jobs"].connection())


@pytest.mark.redis
def test_the_worker_runs_a_queued_job(app, visit, database_url, redis_url, tmp_path):
    handle = app.extensions["hromada.jobs"].enqueue(COUNT_WORDS, **count_words(visit))
    assert handle.status == "queued"
    assert word_count(visit) is None  # nothing runs until a worker takes the job

    run_worker(app, database_url, redis_url, tmp_path)

    assert word_count(visit) == 9
    assert rq_job(app, handle.id).return_value() == {"status": "finished", "result": 9}


@pytest.mark.redis
def test_a_job_delivered_twice_applies_once(app, visit, database_url, redis_url, tmp_path):
    jobs = app.extensions["hromada.jobs"]
    first = jobs.enqueue(COUNT_WORDS, **count_words(visit))
    second = jobs.enqueue(COUNT_WORDS, **count_words(visit))

    run_worker(app, database_url, redis_url, tmp_path)

    assert rq_job(app, first.id).return_value() == {"status": "finished", "result": 9}
    assert rq_job(app, second.id).return_value() == {"status": "skipped", "result": None}
    assert db.session.scalar(select(func.count()).select_from(JobRun).where(JobRun.name == COUNT_WORDS)) == 1
    assert word_count(visit) == 9


@pytest.mark.redis
def test_a_failing_job_is_retried_later(app, visit, database_url, redis_url, tmp_path):
    # The job raises while the visit has no report; RQ schedules another attempt.
    visit.report = ""
    db.session.commit()
    jobs = app.extensions["hromada.jobs"]
    handle = jobs.enqueue(COUNT_WORDS, **count_words(visit))

    run_worker(app, database_url, redis_url, tmp_path)

    job = rq_job(app, handle.id)
    assert job.get_status() == JobStatus.SCHEDULED
    assert job.retries_left == jobs.definition(COUNT_WORDS).retries - 1
    assert word_count(visit) is None

    visit.report = "We learnt how they share the keys to the garden."
    db.session.commit()
    # The retry is due in 10 seconds; move it to the queue now instead of waiting.
    jobs.rq_queue().scheduled_job_registry.requeue(job)
    run_worker(app, database_url, redis_url, tmp_path)

    assert rq_job(app, handle.id).get_status() == JobStatus.FINISHED
    assert word_count(visit) == 10


def enqueue_while_redis_is_down(app_config, arguments: dict):
    down = create_app({**app_config, "REDIS_URL": UNREACHABLE_REDIS})
    with down.app_context():
        handle = down.extensions["hromada.jobs"].enqueue(COUNT_WORDS, **arguments)
        db.engine.dispose()
    return handle


@pytest.mark.redis
def test_a_job_waits_in_the_database_while_redis_is_down(app, app_config, visit, database_url, redis_url, tmp_path):
    jobs = app.extensions["hromada.jobs"]
    handle = enqueue_while_redis_is_down(app_config, count_words(visit))

    assert handle.status == "deferred"
    (deferred,) = db.session.scalars(select(DeferredJob)).all()
    assert (deferred.name, deferred.arguments) == (COUNT_WORDS, count_words(visit))
    assert jobs.rq_queue().count == 0

    # Redis is back.
    assert jobs.flush_deferred() == 1
    assert db.session.scalars(select(DeferredJob)).all() == []
    assert jobs.rq_queue().count == 1
    run_worker(app, database_url, redis_url, tmp_path)

    assert word_count(visit) == 9


@pytest.mark.redis
def test_the_worker_sends_deferred_jobs_when_it_starts(app, app_config, visit, database_url, redis_url, tmp_path):
    enqueue_while_redis_is_down(app_config, count_words(visit))

    output = run_worker(app, database_url, redis_url, tmp_path)

    assert "Sent 1 jobs deferred while Redis was down." in output
    assert db.session.scalars(select(DeferredJob)).all() == []
    assert word_count(visit) == 9


def test_without_redis_a_job_runs_at_once(app, visit):
    assert app.extensions["hromada.jobs"].uses_redis is False
    handle = app.extensions["hromada.jobs"].enqueue(COUNT_WORDS, **count_words(visit))
    assert (handle.status, handle.result) == ("finished", 9)
    assert word_count(visit) == 9
