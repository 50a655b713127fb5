"""Scholarship calls, eligibility and applications, as operators and communities meet them.

An operator opens a call for a stage of a programme; a community of that programme sees whether it may
apply (each condition with its reason), keeps a draft, submits, changes it until the closing day, or
withdraws it. Every community sees its own application only; operators never see a draft.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from hromada import tenancy
from hromada.clock import today
from hromada.extensions import db
from hromada.modules.audit.models import AuditEvent
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.questionnaires import operations as questionnaires
from hromada.modules.questionnaires.models import QuestionKind
from hromada.modules.questionnaires.operations import QuestionFields
from hromada.modules.scholarships.models import ScholarshipApplication, ScholarshipCall, ScholarshipStatus
from hromada.modules.scholarships.testing import make_application, make_call
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token


def errors(response) -> str:
    page = response.get_data(as_text=True)
    return " ".join(re.findall(r'<span class="error"[^>]*>([^<]+)</span>', page) +
                    re.findall(r'<div class="form-errors" role="alert">\s*<p>([^<]+)</p>', page))


def calls_path(side) -> str:
    return f"/organisations/{side.organisation.id}/programmes/{side.programme.id}/scholarships"


def apply_path(world, call_id: int, community: int = 0) -> str:
    return f"/communities/{world.a.communities[community].id}/scholarships/{call_id}"


def audit_actions() -> list[str]:
    with tenancy.system_scope():
        return [event.action for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def stored_applications() -> list[ScholarshipApplication]:
    db.session.remove()
    with tenancy.system_scope():
        return db.session.scalars(select(ScholarshipApplication).order_by(ScholarshipApplication.id)).all()


def call_form(world, **changes) -> dict:
    with tenancy.system_scope():
        stage_id = db.session.scalar(select(Stage.id).where(Stage.programme_id == world.a.programme.id))
    data = {"title": "Seed grants 2027", "purpose": "Small grants for a first project.", "stage_id": str(stage_id),
            "budget": "100000", "budget_currency": "UAH", "max_per_community": "25000",
            "opens_on": today().isoformat(), "closes_on": (today() + timedelta(days=30)).isoformat(),
            "progress_report_due": "", "final_report_due": ""}
    data.update(changes)
    return data


@pytest.mark.parametrize(("change", "message"), [
    ({"max_per_community": "200000"}, "At most the whole budget"),
    ({"budget": "100.005"}, "at most 2 digits after the decimal mark"),
    ({"budget": "-100"}, "The amount cannot be negative."),
    ({"max_per_community": "0"}, "The amount must be more than zero."),
    ({"closes_on": "2000-01-01"}, "The call cannot close before it opens."),
    ({"stage_id": "999999"}, "Choose a stage of this programme."),
])
def test_a_call_with_bad_amounts_or_dates_is_refused_and_nothing_is_saved(app, world, change, message):
    operator = signed_in(app, "operator-a")
    response = operator.post(f"{calls_path(world.a)}/new",
                             data={"csrf_token": csrf_token(operator, calls_path(world.a)), **call_form(world, **change)})
    assert response.status_code == 400 and message in errors(response)
    with tenancy.system_scope():
        assert db.session.scalar(select(ScholarshipCall.id)) is None


def test_an_operator_opens_a_call_and_it_reaches_the_communities_of_the_programme_only(app, world):
    operator = signed_in(app, "operator-a")
    response = operator.post(f"{calls_path(world.a)}/new",
                             data={"csrf_token": csrf_token(operator, calls_path(world.a)), **call_form(world)})
    assert response.status_code == 302
    with tenancy.system_scope():
        call = db.session.scalars(select(ScholarshipCall)).one()
        assert (call.budget_minor, call.budget_currency, call.max_per_community_minor) == (10_000_000, "UAH", 2_500_000)
    assert "scholarships.call_opened" in audit_actions()
    page = operator.get(calls_path(world.a)).get_data(as_text=True)
    assert "Seed grants 2027" in page and "UAH100,000.00" in page
    coordinator = signed_in(app, "coordinator-a")
    listed = coordinator.get(f"/communities/{world.a.communities[0].id}/scholarships").get_data(as_text=True)
    assert "Seed grants 2027" in listed and "Your community has not applied." in listed
    # B's communities do not take part in A's programme: the call is not theirs to find.
    other = signed_in(app, "coordinator-b")
    assert "Seed grants 2027" not in other.get(f"/communities/{world.b.communities[0].id}/scholarships").get_data(
        as_text=True)
    assert other.get(f"/communities/{world.b.communities[0].id}/scholarships/{call.id}").status_code == 404


@pytest.fixture
def call_with_budget(world) -> dict:
    """A's call asks a question and for a budget table in UAH."""
    with tenancy.system_scope():
        call = make_call(db.session.get(Programme, world.a.programme.id))
        budget = questionnaires.add_question(call.questionnaire, QuestionFields(
            label="Budget", help_text="", kind=QuestionKind.BUDGET, required=True, currency="UAH"), expected_count=None)
        db.session.commit()
        return {"id": call.id, "text": f"question_{call.questionnaire.questions[0].id}", "budget": f"question_{budget.id}"}


def answers(call: dict, **changes) -> dict:
    data = {"requested": "10000", "requested_currency": "UAH", call["text"]: "A playground for the yard.",
            f"{call['budget']}-0-item": "Sand", f"{call['budget']}-0-amount": "4000",
            f"{call['budget']}-1-item": "Swings", f"{call['budget']}-1-amount": "6000"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def post(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def test_a_community_keeps_a_draft_then_submits_changes_and_withdraws(app, world, call_with_budget):
    call = call_with_budget
    coordinator = signed_in(app, "coordinator-a")
    path = apply_path(world, call["id"])
    page = coordinator.get(path).get_data(as_text=True)
    assert "Met:" in page and "Takes part in the programme" in page
    # A draft keeps what is answered so far.
    assert post(coordinator, path, action="save", **answers(call, requested="", **{call["text"]: ""})).status_code == 302
    (draft,) = stored_applications()
    assert draft.status == ScholarshipStatus.DRAFT and draft.requested is None
    operator = signed_in(app, "operator-a")
    assert "No community has submitted" in operator.get(f"{calls_path(world.a)}/{call['id']}").get_data(as_text=True)
    # Sending needs every required answer, and a budget that adds up to the amount requested.
    refused = post(coordinator, path, action="submit", **answers(call, **{call["text"]: ""}))
    assert refused.status_code == 400 and "Answer this question." in errors(refused)
    refused = post(coordinator, path, action="submit", **answers(call, requested="12000"))
    assert refused.status_code == 400
    assert "adds up to UAH10,000.00, not to the UAH12,000.00 requested" in errors(refused)
    refused = post(coordinator, path, action="submit", **answers(call, requested="30000"))
    assert refused.status_code == 400 and "At most UAH25,000.00 for one community." in errors(refused)
    assert stored_applications()[0].status == ScholarshipStatus.DRAFT
    assert post(coordinator, path, action="submit", **answers(call)).status_code == 302
    (sent,) = stored_applications()
    assert sent.status == ScholarshipStatus.SUBMITTED and sent.requested_minor == 1_000_000
    # Changed until the closing day; the operator reads the latest.
    changed = answers(call, **{call["text"]: "A playground and benches."})
    assert post(coordinator, path, action="submit", **changed).status_code == 302
    listed = operator.get(f"{calls_path(world.a)}/{call['id']}/applications").get_data(as_text=True)
    assert "UAH10,000.00" in listed
    read = operator.get(f"{calls_path(world.a)}/{call['id']}/applications/{sent.id}").get_data(as_text=True)
    assert "A playground and benches." in read and "Swings" in read
    assert post(coordinator, f"{path}/withdraw").status_code == 302
    assert post(coordinator, f"{path}/withdraw").status_code == 302  # twice: withdrawn once
    assert stored_applications()[0].status == ScholarshipStatus.WITHDRAWN
    again = post(coordinator, path, action="submit", **answers(call))
    assert again.status_code == 400 and "withdrawn" in errors(again)
    assert audit_actions().count("scholarships.application_withdrawn") == 1
    assert [a for a in audit_actions() if a.startswith("scholarships.application")] == [
        "scholarships.application_drafted", "scholarships.application_submitted",
        "scholarships.application_changed", "scholarships.application_withdrawn"]


def test_after_the_closing_day_an_application_is_no_longer_changed(app, world, call_with_budget):
    call = call_with_budget
    coordinator = signed_in(app, "coordinator-a")
    path = apply_path(world, call["id"])
    assert post(coordinator, path, action="submit", **answers(call)).status_code == 302
    with tenancy.system_scope():
        found = db.session.get(ScholarshipCall, call["id"])
        found.opens_on, found.closes_on = today() - timedelta(days=10), today() - timedelta(days=1)
        db.session.commit()
    page = coordinator.get(path).get_data(as_text=True)
    assert "The call is not open" in page and "Save the changes" not in page
    refused = post(coordinator, path, action="submit", **answers(call, **{call["text"]: "Too late"}))
    assert refused.status_code == 400 and "The call is closed" in errors(refused)
    assert stored_applications()[0].answers[call["text"].removeprefix("question_")] == "A playground for the yard."


def test_each_community_sees_its_own_application_only(app, world):
    with tenancy.system_scope():
        call = make_call(db.session.get(Programme, world.a.programme.id))
        make_application(call, world.a.communities[1].id, answer="secret-a2 plan")
        db.session.commit()
        call_id = call.id
    coordinator = signed_in(app, "coordinator-a")
    page = coordinator.get(apply_path(world, call_id)).get_data(as_text=True)
    assert "secret-a2" not in page and "Status:" not in page
    assert coordinator.get(apply_path(world, call_id, community=1)).status_code in (403, 404)
    for handle in ("member-a", "mentor-a", "expert-a", "facilitator-a"):
        assert signed_in(app, handle).get(apply_path(world, call_id)).status_code in (403, 404), handle
