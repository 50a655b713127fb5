"""Review and determination of scholarship applications: a rubric with weights, reviewers who declare their
interests first and score blind, a summary that shows where they disagree, and the operator's determination
within the call's budget, once."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.audit.models import AuditEvent
from hromada.modules.programmes.models import Programme
from hromada.modules.scholarships import review as reviewing
from hromada.modules.scholarships.models import (
    Criterion,
    Review,
    ScholarshipApplication,
    ScholarshipStatus,
)
from hromada.modules.scholarships.testing import make_application, make_call
from hromada.money import Money
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token


def errors(response) -> str:
    page = response.get_data(as_text=True)
    return " ".join(re.findall(r'<span class="error"[^>]*>([^<]+)</span>', page))


def post(client, path, back, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, back), **data})


@pytest.fixture
def applied(world) -> dict:
    """A's call (budget UAH 100,000) with a rubric of two criteria, and A1's submitted application for 10,000."""
    with tenancy.system_scope():
        call = make_call(db.session.get(Programme, world.a.programme.id))
        impact = Criterion(call_id=call.id, position=0, title="Impact", weight=2,
                           guidance=["none", "little", "some", "clear", "strong", "transformative"])
        plan = Criterion(call_id=call.id, position=1, title="Feasibility", weight=1, guidance=[])
        db.session.add_all([impact, plan])
        application = make_application(call, world.a.communities[0].id, answer="secret-a1 plan for the yard")
        db.session.commit()
        base = f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/scholarships/{call.id}"
        return {"call": call.id, "application": application.id, "impact": impact.id, "plan": plan.id, "base": base,
                "page": f"{base}/applications/{application.id}"}


def assign(app, world, applied, handle: str) -> int:
    operator = signed_in(app, "operator-a")
    user_id = world.a.people[handle].id
    assert post(operator, f"{applied['page']}/reviewers", applied["page"], reviewer_id=str(user_id)).status_code == 302
    with tenancy.system_scope():
        return db.session.scalar(select(Review.id).where(Review.reviewer_id == user_id))


def review_path(world, review_id) -> str:
    return f"/organisations/{world.a.organisation.id}/reviews/{review_id}"


def scores(applied, impact: int, plan: int, recommendation: str = "fund") -> dict:
    return {f"score_{applied['impact']}": str(impact), f"score_{applied['plan']}": str(plan),
            f"comment_{applied['impact']}": "Clear benefit", "recommendation": recommendation}


def test_reviewers_declare_first_score_blind_and_the_operator_sees_where_they_disagree(app, world, applied):
    recused_id = assign(app, world, applied, "mentor")
    first_id = assign(app, world, applied, "expert")
    second_id = assign(app, world, applied, "facilitator")
    mentor = signed_in(app, "mentor-a")
    page = mentor.get(review_path(world, recused_id)).get_data(as_text=True)
    assert "Do you have a conflict of interest" in page and "secret-a1" not in page
    assert post(mentor, f"{review_path(world, recused_id)}/declaration", review_path(world, recused_id),
                conflict="yes").status_code == 302
    page = mentor.get(review_path(world, recused_id)).get_data(as_text=True)
    assert "you are recused" in page and "secret-a1" not in page
    refused = post(mentor, f"{review_path(world, recused_id)}/scores", review_path(world, recused_id),
                   **scores(applied, 5, 5))
    assert refused.status_code == 302
    # Another reviewer's review is not found.
    assert mentor.get(review_path(world, first_id)).status_code == 404

    expert, facilitator = signed_in(app, "expert-a"), signed_in(app, "facilitator-a")
    for client, review_id in ((expert, first_id), (facilitator, second_id)):
        assert post(client, f"{review_path(world, review_id)}/declaration", review_path(world, review_id),
                    conflict="no").status_code == 302
    assert "secret-a1" in expert.get(review_path(world, first_id)).get_data(as_text=True)
    incomplete = post(facilitator, f"{review_path(world, second_id)}/scores", review_path(world, second_id),
                      **{**scores(applied, 1, 1, "do_not_fund"), f"score_{applied['plan']}": "6"})
    assert incomplete.status_code == 400 and "Give a score from 0 to 5." in errors(incomplete)
    assert post(facilitator, f"{review_path(world, second_id)}/scores", review_path(world, second_id),
                **scores(applied, 1, 1, "do_not_fund")).status_code == 302
    # Blind: the expert does not see the facilitator's scores before submitting.
    page = expert.get(review_path(world, first_id)).get_data(as_text=True)
    assert "Do not fund" not in page.split("Your scores")[0] and "facilitator-a" not in page
    assert post(expert, f"{review_path(world, first_id)}/scores", review_path(world, first_id),
                **scores(applied, 5, 2)).status_code == 302
    page = expert.get(review_path(world, first_id)).get_data(as_text=True)
    assert "facilitator-a" in page and "Do not fund" in page
    # The operator: each reviewer's weighted score (5*2+2*1)/3 = 4.0 and 1.0; their mean, spread and agreement.
    operator = signed_in(app, "operator-a")
    page = operator.get(applied["page"]).get_data(as_text=True)
    assert "Weighted mean: 2.5 of 5" in page and "spread 3.0" in page and "Reviewers disagree" in page
    assert "Recused (conflict of interest)" in page
    listed = operator.get(applied["base"] + "/applications").get_data(as_text=True)
    assert "2.5 (2)" in listed and "Reviewers disagree" in listed
    # The community never sees who reviewed it, nor the scores.
    community = signed_in(app, "coordinator-a").get(
        f"/communities/{world.a.communities[0].id}/scholarships/{applied['call']}").get_data(as_text=True)
    assert "expert-a" not in community and "Weighted" not in community


def test_the_operator_approves_part_of_the_amount_once_and_reviews_close(app, world, applied):
    review_id = assign(app, world, applied, "expert")
    operator = signed_in(app, "operator-a")
    determination = f"{applied['page']}/determination"
    too_much = post(operator, determination, applied["page"], decision="approve", amount="10000.01",
                    amount_currency="UAH")
    assert too_much.status_code == 400 and "At most the amount requested, UAH10,000.00." in errors(too_much)
    no_reason = post(operator, determination, applied["page"], decision="decline", message="")
    assert no_reason.status_code == 400 and "Write a message to the community." in errors(no_reason)
    no_amount = post(operator, determination, applied["page"], decision="approve", amount="", amount_currency="UAH")
    assert no_amount.status_code == 400 and "Enter the amount approved." in errors(no_amount)
    assert post(operator, determination, applied["page"], decision="approve", amount="8000",
                amount_currency="UAH", message="Start in spring.").status_code == 302
    twice = post(operator, determination, applied["page"], decision="approve", amount="8000", amount_currency="UAH")
    assert twice.status_code in (302, 400)
    with tenancy.system_scope():
        application = db.session.get(ScholarshipApplication, applied["application"])
        assert (application.status, application.approved_minor) == (ScholarshipStatus.APPROVED, 800_000)
        actions = [event.action for event in db.session.scalars(select(AuditEvent))]
    assert actions.count("scholarships.application_approved") == 1
    community = signed_in(app, "coordinator-a").get(
        f"/communities/{world.a.communities[0].id}/scholarships/{applied['call']}").get_data(as_text=True)
    assert "Approved: UAH8,000.00." in community and "Start in spring." in community
    expert = signed_in(app, "expert-a")
    assert post(expert, f"{review_path(world, review_id)}/declaration", review_path(world, review_id),
                conflict="no").status_code == 302
    late = expert.post(f"{review_path(world, review_id)}/scores", follow_redirects=True, data={
        "csrf_token": csrf_token(expert, review_path(world, review_id)), **scores(applied, 3, 3)})
    assert "reviews are closed" in late.get_data(as_text=True)


def test_asked_for_more_information_the_community_answers_and_sends_again(app, world, applied):
    operator = signed_in(app, "operator-a")
    assert post(operator, f"{applied['page']}/determination", applied["page"], decision="more",
                message="Which yard exactly?").status_code == 302
    coordinator = signed_in(app, "coordinator-a")
    path = f"/communities/{world.a.communities[0].id}/scholarships/{applied['call']}"
    page = coordinator.get(path).get_data(as_text=True)
    assert "Which yard exactly?" in page and "Send the application again" in page
    with tenancy.system_scope():
        call = db.session.get(ScholarshipApplication, applied["application"]).call
        question = f"question_{call.questionnaire.questions[0].id}"
    response = post(coordinator, path, path, action="submit", requested="10000", requested_currency="UAH",
                    **{question: "The yard at 5 Linden Street."})
    assert response.status_code == 302
    with tenancy.system_scope():
        assert db.session.get(ScholarshipApplication, applied["application"]).status == ScholarshipStatus.SUBMITTED


@pytest.mark.real_commits  # two threads, each with a transaction of its own
@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_approvals_at_once_never_exceed_the_budget(app, world, monkeypatch):
    """Budget 100,000; two applications of 60,000 approved at the same moment: the second waits for the first's
    lock on the call, then finds 40,000 left and is refused."""
    with tenancy.system_scope():
        call = make_call(db.session.get(Programme, world.a.programme.id), budget_minor=10_000_000,
                         max_minor=6_000_000)
        ids = [make_application(call, community.id, requested_minor=6_000_000).id for community in world.a.communities]
        db.session.commit()
    operator = world.a.people["operator"]
    counted, release = threading.Event(), threading.Event()
    real_committed = reviewing.committed

    def holding(call_id):
        found = real_committed(call_id)
        if threading.current_thread().name == "first":
            counted.set()
            release.wait(10)
        return found

    monkeypatch.setattr(reviewing, "committed", holding)
    results: dict[str, object] = {}

    def attempt(name: str, application_id: int) -> None:
        with app.test_request_context():
            try:
                tenancy.set_organisation(world.a.organisation.id)
                application = db.session.get(ScholarshipApplication, application_id)
                reviewing.approve(application, Money(6_000_000, "UAH"), operator)
                results[name] = "approved"
            except reviewing.Refused as refused:
                results[name] = str(refused.message)
            except Exception as exc:  # reported by the assertion below, not lost in the thread
                results[name] = exc
            finally:
                db.session.remove()

    first = threading.Thread(target=attempt, args=("first", ids[0]), name="first")
    first.start()
    assert counted.wait(10)
    second = threading.Thread(target=attempt, args=("second", ids[1]), name="second")
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second approval did not wait for the first one's lock"
    release.set()
    first.join(10)
    second.join(10)
    assert results["first"] == "approved"
    assert results["second"] == "At most what is left of the budget, UAH40,000.00."
    with tenancy.system_scope():
        assert reviewing.committed(call.id) == 6_000_000
