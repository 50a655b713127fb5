"""What the civic course gives scholarship calls: the condition of a call for a civic course stage, and the
milestones of adopted change maps that release a tranche."""

from __future__ import annotations

from sqlalchemy import select

from hromada.plugin_api import Action, ActionStatus, Enrolment, Programme, Stage, db, system_scope
from hromada.testing.builders import funded_scholarship, make_scholarship_call
from hromada.testing.factories import sign_in, signed_in
from hromada.testing.fixtures import csrf_token
from hromada_civic_course.testing import into_the_civic_course, make_map, with_actions


def test_a_community_without_an_adopted_change_map_sees_why_it_cannot_apply_yet(world, client):
    with system_scope():
        stage = Stage(programme_id=world.a.programme.id, position=1, stage_type="civic_course")
        db.session.add(stage)
        db.session.flush()
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id,
                                                               Enrolment.programme_id == world.a.programme.id)).one()
        enrolment.current_stage_id = stage.id
        call_id = make_scholarship_call(db.session.get(Programme, world.a.programme.id), stage_id=stage.id).id
        db.session.commit()
    sign_in(client, "coordinator-a")
    page = client.get(f"/communities/{world.a.communities[0].id}/scholarships/{call_id}").get_data(as_text=True)
    assert "Not met:</strong> A change map adopted with an action plan" in page
    assert "0 of 1 change maps adopted with an action plan" in page


def test_a_tranche_waits_for_a_milestone_of_the_adopted_change_map_and_its_last_action_releases_it(app, world):
    a1, programme_id, organisation_id = world.a.communities[0].id, world.a.programme.id, world.a.organisation.id
    into_the_civic_course(programme_id, a1)
    adopted = make_map(a1, programme_id, marker="adopted", adopted=True)
    milestone_id = with_actions(a1, adopted["map_id"], marker="adopted", done=1, open_=1)
    draft = make_map(a1, programme_id, marker="draft")
    with_actions(a1, draft["map_id"], marker="draft")
    with system_scope():
        call, application, tranches = funded_scholarship(
            db.session.get(Programme, programme_id), a1,
            [{"share": 50, "condition": "on_approval"}, {"share": 50, "condition": "milestone_done"}])
        db.session.commit()
        page = (f"/organisations/{organisation_id}/programmes/{programme_id}/scholarships/{call.id}"
                f"/applications/{application.id}")
        waiting = tranches[1].id
        last = db.session.scalars(select(Action).where(Action.milestone_id == milestone_id,
                                                       Action.status != ActionStatus.DONE)).one()
        last_id, last_title = last.id, last.title

    operator = signed_in(app, "operator-a")
    offered = operator.get(page).get_data(as_text=True)
    # The adopted map's milestone is offered; a draft map's plan is still the members' alone.
    assert "Action plan: The underpass is lit adopted — Lamps adopted" in offered and "Lamps draft" not in offered
    chosen = operator.post(f"{page}/tranches/{waiting}/milestone",
                           data={"csrf_token": csrf_token(operator, page), "milestone_id": str(milestone_id)})
    assert chosen.status_code == 302
    before = operator.get(page).get_data(as_text=True)
    assert "Released when every action of" in before and before.count("Released: payment on its way") == 1

    coordinator = signed_in(app, "coordinator-a")
    action_page = f"/communities/{a1}/plans/{adopted['plan_id']}/actions/{last_id}"
    done = coordinator.post(action_page, data={
        "csrf_token": csrf_token(coordinator, action_page), "title": last_title, "milestone": str(milestone_id),
        "owner": "", "role": "", "starts_on": "", "due_on": "", "status": "done", "result": "Lamps are lit",
        "evidence": ""})
    assert done.status_code == 302
    schedule = operator.get(page).get_data(as_text=True)
    assert schedule.count("Released: payment on its way") == 2
