"""The study-visits example plugin, loaded like any third-party plugin, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, text

from hromada.plugin_api import Community, db, system_scope, tenancy_scope
from hromada.testing.builders import create_community_with_coordinator
from hromada.testing.factories import PASSWORD, sign_in
from hromada.testing.fixtures import FIRST_PARTY_PLUGINS
from hromada_study_visits.models import StudyVisit

COUNT_WORDS = "study_visits.count_report_words"
COMMUNITY = "Riverside Yard Circle"
COORDINATOR = "river-coordinator"


@pytest.fixture
def enabled_plugins() -> list[str]:
    return ["study_visits", *FIRST_PARTY_PLUGINS]


@pytest.fixture
def visit(app) -> StudyVisit:
    """A visit of a fictional community, with no report yet; that community is the current tenant."""
    create_community_with_coordinator(community_name=COMMUNITY, handle=COORDINATOR, password=PASSWORD)
    visit = StudyVisit(host_name="Old Town Gardeners", visit_on=date(2027, 3, 5))  # tenant_id from the context
    db.session.add(visit)
    db.session.commit()
    return visit


@pytest.fixture
def other_visit_id(visit) -> int:
    """The id of another community's visit; the first community stays the current tenant."""
    with tenancy_scope():
        Community.create("Hill Street Readers")
        other = StudyVisit(host_name="Lakeside Beekeepers", visit_on=date(2027, 4, 1), report="Bees and rules.")
        db.session.add(other)
        db.session.commit()
        return other.id


def test_the_stage_type_is_offered_on_the_home_page(client):
    page = client.get("/").get_data(as_text=True)
    assert "Study visit" in page
    assert "Communities visit another community to learn from it" in page


def test_a_visit_round_trips(app, visit):
    visit_id, tenant_id = visit.id, visit.tenant_id
    db.session.expunge_all()
    stored = db.session.get(StudyVisit, visit_id)
    assert (stored.tenant_id, stored.host_name, stored.visit_on) == (tenant_id, "Old Town Gardeners", date(2027, 3, 5))
    assert stored.report == ""
    assert stored.report_word_count is None
    assert stored.created_at is not None


@pytest.mark.real_commits  # inspects the schema on a connection of its own
def test_the_migration_created_the_table(app):
    inspector = inspect(db.engine)
    columns = {column["name"]: column["nullable"] for column in inspector.get_columns("study_visits")}
    assert columns == {
        "id": False,
        "tenant_id": False,
        "host_name": False,
        "visit_on": False,
        "report": False,
        "report_word_count": True,
        "created_at": False,
    }
    indexes = {index["name"]: index["column_names"] for index in inspector.get_indexes("study_visits")}
    assert indexes == {"ix_study_visits_tenant_id": ["tenant_id"]}
    (foreign_key,) = inspector.get_foreign_keys("study_visits")
    assert (foreign_key["constrained_columns"], foreign_key["referred_table"]) == (["tenant_id"], "communities")
    assert foreign_key["options"].get("ondelete") == "CASCADE"
    if db.engine.dialect.name == "postgresql":
        forced = db.session.execute(
            text("SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE relname = 'study_visits'")
        ).scalar()
        assert forced is True


def test_a_member_sees_their_communitys_visits_and_no_other(client, visit, other_visit_id):
    visit.report_word_count = 412
    db.session.commit()
    sign_in(client, COORDINATOR)
    response = client.get("/study-visits/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Old Town Gardeners" in page
    assert "Mar 5, 2027" in page
    assert "412" in page
    assert "Lakeside Beekeepers" not in page
    assert COMMUNITY not in page


def test_the_page_asks_a_visitor_to_sign_in(client, visit):
    response = client.get("/study-visits/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_the_page_speaks_ukrainian(client, visit):
    sign_in(client, COORDINATOR)
    page = client.get("/study-visits/", headers={"Accept-Language": "uk"}).get_data(as_text=True)
    assert "Навчальні візити" in page
    assert "ще не пораховано" in page


def test_the_job_counts_the_words_of_the_report_once(app, visit):
    jobs = app.extensions["hromada.jobs"]
    visit.report = "We saw how their working group meets every week."
    db.session.commit()  # the job reads what was committed, in its own session
    arguments = {"tenant_id": visit.tenant_id, "visit_id": visit.id}

    handle = jobs.enqueue(COUNT_WORDS, **arguments)
    assert (handle.status, handle.result) == ("finished", 9)
    db.session.refresh(visit)
    assert visit.report_word_count == 9

    # once=True: the same job delivered again does nothing, even though the report changed.
    visit.report = "Too short now."
    db.session.commit()
    assert jobs.enqueue(COUNT_WORDS, **arguments).status == "skipped"
    db.session.refresh(visit)
    assert visit.report_word_count == 9


def test_the_job_fails_while_the_report_is_not_written(app, visit):
    handle = app.extensions["hromada.jobs"].enqueue(COUNT_WORDS, tenant_id=visit.tenant_id, visit_id=visit.id)
    assert handle.status == "failed"
    db.session.refresh(visit)
    assert visit.report_word_count is None


def test_the_job_cannot_reach_another_communitys_visit(app, visit, other_visit_id):
    handle = app.extensions["hromada.jobs"].enqueue(COUNT_WORDS, tenant_id=visit.tenant_id, visit_id=other_visit_id)
    assert (handle.status, handle.result) == ("finished", None)
    with system_scope():
        assert db.session.get(StudyVisit, other_visit_id).report_word_count is None


def test_the_navigation_leads_members_to_the_page(client, visit):
    link = '<a href="/study-visits/">Study visits</a>'
    assert link not in client.get("/").get_data(as_text=True)
    sign_in(client, COORDINATOR)
    assert link in client.get("/").get_data(as_text=True)
