"""What the accelerator gives scholarship calls and other questionnaires: a link to the community's
operational plan (its own only), and the conditions of a call for an accelerator stage."""

from __future__ import annotations

import re

from flask_babel import force_locale
from sqlalchemy import select

from hromada.plugin_api import Enrolment, Programme, Stage, db, system_scope
from hromada.testing.builders import (
    QuestionKind,
    add_call_question,
    make_scholarship_call,
    programme_applications,
    scholarship_applications,
)
from hromada.testing.factories import sign_in
from hromada.testing.fixtures import csrf_token
from hromada_accelerator.meeting.testing import make_meeting


def test_an_answer_links_to_one_of_the_communitys_own_operational_plans(app, world, client):
    with force_locale("en"):  # the plan's first milestone is named in a language
        own = make_meeting(world.a.communities[0].id, world.a.programme)
        other = make_meeting(world.a.communities[1].id, world.a.programme)
    with system_scope():
        programme = db.session.get(Programme, world.b.programme.id)
        programme.call_open = True
        question_id = add_call_question(programme.id, "Which plan does it carry out?", kind=QuestionKind.ARTEFACT,
                                   artefact_kind="accelerator.operational_plan", required=True).id
        db.session.commit()
    path = f"/communities/{world.a.communities[0].id}/calls/{world.b.programme.id}"
    sign_in(client, "coordinator-a")
    page = client.get(path).get_data(as_text=True)
    assert f'value="{own["plan_id"]}"' in page and "Operational plan of the meeting on Mar 14, 2027 (draft)" in page
    assert f'value="{other["plan_id"]}"' not in page
    refused = client.post(path, data={"csrf_token": csrf_token(client, path),
                                      f"question_{question_id}": str(other["plan_id"])})
    assert refused.status_code == 400
    assert "Choose one of the artefacts offered." in " ".join(re.findall(r'class="error"[^>]*>([^<]+)<',
                                                                          refused.get_data(as_text=True)))
    assert client.post(path, data={"csrf_token": csrf_token(client, path),
                                   f"question_{question_id}": str(own["plan_id"])}).status_code == 302
    (application,) = programme_applications()
    assert application.answers[str(question_id)] == {
        "kind": "accelerator.operational_plan", "id": own["plan_id"],
        "title": "Operational plan of the meeting on Mar 14, 2027 (draft)"}


def accelerator_call(world) -> tuple[int, int]:
    """A call of an accelerator stage of A's programme, which A1 has entered: its id and its question's."""
    with system_scope():
        stage = Stage(programme_id=world.a.programme.id, position=1, stage_type="accelerator")
        db.session.add(stage)
        db.session.flush()
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id,
                                                               Enrolment.programme_id == world.a.programme.id)).one()
        enrolment.current_stage_id = stage.id
        call = make_scholarship_call(db.session.get(Programme, world.a.programme.id), stage_id=stage.id)
        db.session.commit()
        return call.id, call.questionnaire.questions[0].id


def test_a_community_without_an_approved_plan_sees_why_and_cannot_submit(app, world, client):
    from hromada_accelerator.meeting.models import PlanStatus
    from hromada_accelerator.strategy.testing import make_strategy

    call_id, question_id = accelerator_call(world)
    path = f"/communities/{world.a.communities[0].id}/scholarships/{call_id}"
    sign_in(client, "coordinator-a")
    page = client.get(path).get_data(as_text=True)
    assert "Not met:</strong> Strategic goals adopted" in page
    assert "vision, mission and strategic goals not yet adopted" in page
    assert "Not met:</strong> Operational plan approved" in page and "no coordination meeting yet" in page
    assert re.search(r'<button type="submit" name="action" value="submit" disabled>', page)
    data = {"action": "submit", "requested": "1000", "requested_currency": "UAH",
            f"question_{question_id}": "Trees for the yard"}
    refused = client.post(path, data={"csrf_token": csrf_token(client, path), **data})
    assert refused.status_code == 400 and "does not meet every condition of the call yet" in refused.get_data(as_text=True)
    # Once the strategy is adopted and the plan approved, the same application goes through.
    make_strategy(world.a.communities[0].id, world.a.people["coordinator"].id, adopted_for_programme=world.a.programme.id)
    with force_locale("en"):
        make_meeting(world.a.communities[0].id, world.a.programme, status=PlanStatus.APPROVED.value)
    page = client.get(path).get_data(as_text=True)
    assert "Not met" not in page and "Approved by the programme." in page
    assert client.post(path, data={"csrf_token": csrf_token(client, path), **data}).status_code == 302
    (application,) = scholarship_applications()
    assert application.status.value == "submitted"
