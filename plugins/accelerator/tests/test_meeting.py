"""The coordination meeting and its operational plan: asked for and reported by the community, funded and
approved by the operator, required by the stage. On SQLite and PostgreSQL, through the pages."""

from __future__ import annotations

import re

from sqlalchemy import select

from hromada.plugin_api import Enrolment, Stage, db, system_scope
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token
from hromada_accelerator.strategy.testing import make_strategy


def body(response) -> str:
    return response.get_data(as_text=True)


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def meeting_path(world) -> str:
    return f"/communities/{world.a.communities[0].id}/coordination-meeting"


def progress_path(world) -> str:
    return f"/communities/{world.a.communities[0].id}/programmes/{world.a.programme.id}/progress"


def into_the_accelerator(world) -> None:
    community_id, programme_id = world.a.communities[0].id, world.a.programme.id
    with system_scope():
        stage = Stage(programme_id=programme_id, position=1, stage_type="accelerator")
        db.session.add(stage)
        db.session.flush()
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == community_id,
                                                               Enrolment.programme_id == programme_id)).one()
        enrolment.current_stage_id = stage.id
        db.session.commit()
        make_strategy(community_id, world.a.people["member"].id, adopted_for_programme=programme_id, goals=2)


MEETING = {"meeting-held_on": "2027-03-14", "meeting-place": "Library hall", "meeting-participants": "12",
           "meeting-requested": "12 500,50", "meeting-requested_currency": "UAH",
           "meeting-roles": "Kalyna keeps the money", "meeting-report": ""}


def test_the_community_plans_the_meeting_and_the_operator_funds_and_approves_its_plan(app, world):
    into_the_accelerator(world)
    member, operator = signed_in(app, "member-a"), signed_in(app, "operator-a")
    assert post(member, meeting_path(world), MEETING).status_code == 302
    page = body(member.get(meeting_path(world)))
    assert "Library hall" in page and "12,500.50" in page and "Being written by the community." in page
    plan = body(member.get(re.search(r'href="(/communities/\d+/plans/\d+)"', page).group(1)))
    assert "Goal 1" in plan and "Goal 2" in plan  # the adopted strategic goals are the plan's milestones
    assert "operational plan not yet sent for approval" in body(operator.get(progress_path(world)))
    assert post(member, meeting_path(world) + "/submit-plan", {}).status_code == 302
    returned = post(operator, meeting_path(world) + "/return-plan", {"return-comment": "Give every action an owner"})
    assert returned.status_code == 302
    assert "Give every action an owner" in body(member.get(meeting_path(world)))
    assert post(member, meeting_path(world) + "/submit-plan", {}).status_code == 302
    assert post(operator, meeting_path(world) + "/approve-plan", {}).status_code == 302
    assert post(operator, meeting_path(world) + "/budget",
                {"budget-approved": "10000", "budget-approved_currency": "UAH"}).status_code == 302
    page = body(member.get(meeting_path(world)))
    assert "Approved by the operator." in page and "10,000.00" in page
    assert re.search(r'<li class="met">\s*<strong>Met:</strong> Operational plan approved',
                     body(operator.get(progress_path(world))))


def test_only_the_operator_decides_the_money_and_the_plan(app, world):
    into_the_accelerator(world)
    member = signed_in(app, "member-a")
    post(member, meeting_path(world), MEETING)
    post(member, meeting_path(world) + "/submit-plan", {})
    for handle in ("member-a", "mentor-a", "facilitator-a"):
        client = signed_in(app, handle)
        assert post(client, meeting_path(world) + "/approve-plan", {}).status_code in (403, 404), handle
        assert post(client, meeting_path(world) + "/budget", {"budget-approved": "99999",
                                                              "budget-approved_currency": "UAH"}).status_code in (403, 404)
    assert "Sent to the operator for approval." in body(member.get(meeting_path(world)))


def test_a_bad_request_is_refused_with_a_message_and_nothing_saved(app, world):
    into_the_accelerator(world)
    member = signed_in(app, "member-a")
    for fields, message in (({"meeting-requested": "-5"}, ""), ({"meeting-requested": "12.345"}, ""),
                            ({"meeting-held_on": "9999-01-01"}, "Enter a date between 2000 and 2100."),
                            ({"meeting-participants": "lots"}, "Enter a whole number."),
                            ({"meeting-requested": ""}, "Enter the amount you ask for.")):
        response = post(member, meeting_path(world), {**MEETING, **fields})
        assert response.status_code == 422, fields
        assert message in body(response)
    assert "No coordination meeting is planned yet." in body(member.get(meeting_path(world)))


def test_the_community_keeps_its_meeting_and_plan_after_moving_on(app, world):
    into_the_accelerator(world)
    member = signed_in(app, "member-a")
    assert post(member, meeting_path(world), MEETING).status_code == 302
    with system_scope():
        civic = Stage(programme_id=world.a.programme.id, position=2, stage_type="civic_course")
        db.session.add(civic)
        db.session.flush()
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id,
                                                               Enrolment.programme_id == world.a.programme.id)).one()
        enrolment.current_stage_id = civic.id
        db.session.commit()
    page = body(member.get(meeting_path(world)))
    assert "Library hall" in page and re.search(r'href="/communities/\d+/plans/\d+"', page)


def test_the_community_names_its_facilitator_from_the_staff_assigned_to_it(app, world):
    into_the_accelerator(world)
    member = signed_in(app, "member-a")
    facilitator, stranger = world.a.people["facilitator"], world.b.people["facilitator"]
    page = body(member.get(meeting_path(world)))
    assert f'<option value="{facilitator.id}">{facilitator.name}</option>' in page
    assert f'value="{stranger.id}"' not in page  # another organisation's staff are never offered
    refused = post(member, meeting_path(world), {**MEETING, "meeting-facilitator": str(stranger.id)})
    assert refused.status_code == 422 and "No coordination meeting is planned yet." in body(refused)
    assert post(member, meeting_path(world), {**MEETING, "meeting-facilitator": str(facilitator.id)}).status_code == 302
    assert re.search(rf"<dt>Facilitator</dt><dd>{re.escape(facilitator.name)}</dd>", body(member.get(meeting_path(world))))
