"""The accelerator's strategy: worked out with the facilitator, adopted by the community, required by the stage.

On SQLite and PostgreSQL, through the pages.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from hromada.plugin_api import Enrolment, Proposal, Stage, db, system_scope
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token


def body(response) -> str:
    return response.get_data(as_text=True)


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def strategy_path(world) -> str:
    return f"/communities/{world.a.communities[0].id}/strategy"


def progress_path(world) -> str:
    return f"/communities/{world.a.communities[0].id}/programmes/{world.a.programme.id}/progress"


def into_the_accelerator(world, **settings) -> None:
    with system_scope():
        stage = Stage(programme_id=world.a.programme.id, position=1, stage_type="accelerator", settings=settings)
        db.session.add(stage)
        db.session.flush()
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id,
                                                               Enrolment.programme_id == world.a.programme.id)).one()
        enrolment.current_stage_id = stage.id
        db.session.commit()


def test_the_facilitator_drafts_the_mentor_comments_the_operator_sees_no_draft(app, world):
    into_the_accelerator(world)
    facilitator = signed_in(app, "facilitator-a")
    assert post(facilitator, strategy_path(world) + "/texts", {
        "texts-vision": "A quarter where every yard has trees", "texts-mission": "We plant and keep them"}
    ).status_code == 302
    assert post(facilitator, strategy_path(world) + "/goals", {
        "goal-title": "Plant the courtyard", "goal-result": "20 trees planted and watered",
        "goal-target_on": "2027-05-01"}).status_code == 302
    assert post(signed_in(app, "mentor-a"), strategy_path(world) + "/comments",
                {"comment-body": "Who waters them in August?"}).status_code == 302
    page = body(signed_in(app, "member-a").get(strategy_path(world)))
    assert "A quarter where every yard has trees" in page and "20 trees planted" in page
    assert "Who waters them in August?" in page and "Last changed by facilitator-a" in page
    operator = body(signed_in(app, "operator-a").get(strategy_path(world)))
    assert "every yard has trees" not in operator and "August" not in operator
    assert post(signed_in(app, "mentor-a"), strategy_path(world) + "/goals", {
        "goal-title": "X", "goal-result": "Y", "goal-target_on": "2027-05-01"}).status_code in (403, 404)
    # Only members propose it for adoption.
    assert post(facilitator, strategy_path(world) + "/propose", {}).status_code in (403, 404)


def test_a_goal_needs_a_measurable_result_and_a_sensible_date(app, world):
    member = signed_in(app, "member-a")
    for fields, message in (({"goal-result": ""}, "Say how you will know the goal is reached."),
                            ({"goal-target_on": "9999-12-31"}, "Enter a date between 2000 and 2100."),
                            ({"goal-target_on": "soon"}, "Enter a date.")):
        data = {"goal-title": "Plant", "goal-result": "20 trees", "goal-target_on": "2027-05-01", **fields}
        response = post(member, strategy_path(world) + "/goals", data)
        assert response.status_code == 422 and message in body(response), fields


def test_the_adopted_strategy_meets_the_stage_when_it_has_enough_goals(app, world):
    into_the_accelerator(world, strategic_goals_required=2)
    member = signed_in(app, "member-a")
    post(member, strategy_path(world) + "/texts", {"texts-vision": "Trees", "texts-mission": "Planting"})
    post(member, strategy_path(world) + "/goals", {"goal-title": "Plant", "goal-result": "20 trees",
                                                   "goal-target_on": "2027-05-01"})
    proposed = post(member, strategy_path(world) + "/propose", {})
    form = body(member.get(proposed.headers["Location"]))
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]{64})"', form).group(1)
    opened = post(member, proposed.headers["Location"], {
        "title": "Adopt our strategy", "method": "consent", "days": "7", "threshold_percent": "50",
        "shared_with": str(world.a.programme.id), "seen": seen})
    assert opened.status_code == 302
    operator = signed_in(app, "operator-a")
    assert "vision, mission and strategic goals not yet adopted: the decision closes on" in body(
        operator.get(progress_path(world)))
    with system_scope():
        for proposal in db.session.scalars(select(Proposal)):
            proposal.opened_at -= timedelta(days=8)
            proposal.closes_at -= timedelta(days=8)
        db.session.commit()
    assert "Passed" in body(member.get(opened.headers["Location"]))
    assert "the adopted strategy has 1 of 2 strategic goals" in body(operator.get(progress_path(world)))


def test_goals_without_actions_are_pointed_out_gently(app, world):
    into_the_accelerator(world)
    member = signed_in(app, "member-a")
    post(member, strategy_path(world) + "/goals", {"goal-title": "Plant the courtyard", "goal-result": "20 trees",
                                                   "goal-target_on": "2027-05-01"})
    page = body(member.get(strategy_path(world)))
    assert "these have no action in the operational plan yet: Plant the courtyard." in page
