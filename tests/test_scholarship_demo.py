"""Issue 15's demo: `flask demo` shows an accelerator scholarship call with applications in every state, as the
operator, a reviewer and the communities' coordinators see it; loading the demo twice changes nothing."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from hromada import tenancy
from hromada.clock import today
from hromada.extensions import db
from hromada.modules.communities.models import Community
from hromada.modules.scholarships.demo import CIVIC_TITLE, TITLE
from hromada.modules.scholarships.models import Review, ScholarshipApplication, ScholarshipCall, Tranche
from hromada.testing.factories import signed_in

PASSWORD = "demo-password-2027"


def page_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def loaded(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with tenancy.system_scope():
        call = db.session.scalar(select(ScholarshipCall).where(ScholarshipCall.title == TITLE))
        names = dict(db.session.execute(select(Community.name, Community.id)).all())
        states = {name: status.value for name, status in db.session.execute(
            select(Community.name, ScholarshipApplication.status)
            .join(ScholarshipApplication, ScholarshipApplication.tenant_id == Community.id)
            .where(ScholarshipApplication.call_id == call.id))}
        counts = [db.session.scalar(select(func.count()).select_from(model)) for model in
                  (ScholarshipApplication, Review, Tranche)]
    return call, names, states, counts


def test_the_demo_call_has_an_application_in_every_state_once(app, runner):
    call, _names, states, counts = loaded(runner)
    assert states == {"Green Quarter Initiative": "approved", "Linden Court Neighbours": "submitted",
                      "Amber Hill Allotments": "declined", "Stone Bridge Youth Hub": "draft"}
    # Green Quarter's progress report is due soon.
    assert today() < call.progress_report_due <= today() + timedelta(days=14)
    again = loaded(runner)
    assert again[2] == states and again[3] == counts  # idempotent


def test_the_operator_sees_the_states_the_reviews_and_the_decline(app, runner):
    call, _names, _states, _counts = loaded(runner)
    operator = signed_in(app, "olena-operator", PASSWORD)
    base = f"/organisations/{call.organisation_id}/programmes/{call.programme_id}/scholarships/{call.id}"
    listed = page_of(operator, base + "/applications")
    for name in ("Green Quarter Initiative", "Linden Court Neighbours", "Amber Hill Allotments"):
        assert name in listed
    assert "Stone Bridge Youth Hub" not in listed  # a draft stays the community's own
    # Green Quarter: two scores (5,4,4 -> 4.5; 4,3,4 -> 3.67), mean 4.08; Linden Court: one so far (3.83).
    assert "4.08 (2)" in listed and "3.83 (1)" in listed
    assert "Approved: UAH60,000.00" in listed
    by_mean = page_of(operator, base + "/applications?sort=mean")
    assert by_mean.index("Green Quarter Initiative") < by_mean.index("Linden Court Neighbours") < by_mean.index(
        "Amber Hill Allotments")
    declined = page_of(operator, base + "/applications?status=declined")
    assert "Amber Hill Allotments" in declined and "Linden Court Neighbours" not in declined
    budget = page_of(operator, base + "/budget")
    assert "GQI-2027-001" in budget


def test_a_reviewer_has_scored_and_the_other_is_reading(app, runner):
    call, _names, _states, _counts = loaded(runner)
    mentor = page_of(signed_in(app, "mykola-mentor", PASSWORD), f"/organisations/{call.organisation_id}/reviews")
    expert = page_of(signed_in(app, "iryna-expert", PASSWORD), f"/organisations/{call.organisation_id}/reviews")
    assert mentor.count("Scored") >= 3 and "Reviewing" not in mentor.split("<table")[1]
    assert "Reviewing" in expert and "Recused (conflict of interest)" in expert


def test_the_coordinators_see_their_decision_and_their_draft(app, runner):
    call, names, _states, _counts = loaded(runner)
    declined = page_of(signed_in(app, "burshtyn", PASSWORD),
                       f"/communities/{names['Amber Hill Allotments']}/scholarships/{call.id}")
    assert "building works this call cannot fund" in declined
    draft = page_of(signed_in(app, "kamin", PASSWORD),
                    f"/communities/{names['Stone Bridge Youth Hub']}/scholarships/{call.id}")
    # Not eligible yet, and told why: the operational plan waits for the programme's approval.
    assert "Operational plan approved" in draft and "Not met" in draft
    assert re.search(r"youth space open every weekday", draft)
    eligible = page_of(signed_in(app, "lypa", PASSWORD),
                       f"/communities/{names['Linden Court Neighbours']}/scholarships/{call.id}")
    assert "Not met" not in eligible and "Submitted" in eligible


def test_green_quarter_writes_its_progress_report_to_the_calls_questions(app, runner):
    call, names, _states, _counts = loaded(runner)
    report = page_of(signed_in(app, "zhuravel", PASSWORD),
                     f"/communities/{names['Green Quarter Initiative']}/scholarships/{call.id}/reports/progress")
    assert "What has the community done with the scholarship so far?" in report
    assert "How much of the scholarship has been spent?" in report
    again = loaded(runner)
    with tenancy.system_scope():
        assert len(db.session.get(ScholarshipCall, again[0].id).report_questionnaire.questions) == 2


def test_the_civic_course_call_funds_an_adopted_change_map_in_two_halves(app, runner):
    """Night Bakers Collective: approved for its adopted change map, half paid, the other half waiting for every
    action of the map's first milestone; the operator's page says which milestone, the coordinator sees it too."""
    loaded(runner)
    with tenancy.system_scope():
        call = db.session.scalar(select(ScholarshipCall).where(ScholarshipCall.title == CIVIC_TITLE))
        application = db.session.scalar(select(ScholarshipApplication).where(ScholarshipApplication.call_id == call.id))
        names = dict(db.session.execute(select(Community.id, Community.name)).all())
    assert names[application.tenant_id] == "Night Bakers Collective" and application.status.value == "approved"
    linked = [answer for answer in application.answers.values() if isinstance(answer, dict)]
    assert [answer["kind"] for answer in linked] == ["civic_course.change_map"]
    operator = signed_in(app, "olena-operator", PASSWORD)
    page = page_of(operator, f"/organisations/{call.organisation_id}/programmes/{call.programme_id}/scholarships/"
                             f"{call.id}/applications/{application.id}")
    assert "NBC-2027-001" in page
    assert ("Released when every action of “Action plan: A night counter at the tram depot sells our bread from four "
            "in the morning. — Signatures and a meeting” is done.") in page
    assert loaded(runner)[3] == loaded(runner)[3]  # a second load adds nothing
