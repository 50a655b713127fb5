"""Strategic sessions on an adopted change map: outcomes linked to its plan, new actions, the progress page,
the stage's requirement and the cohort's column."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import event, select

from hromada.plugin_api import ActionPlan, add_milestone, db, system_scope, tenancy_scope
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token
from hromada_civic_course.sessions.models import SessionOutcome, StrategicSession
from hromada_civic_course.testing import make_map, make_session
from hromada_civic_course import testing as civic_testing


def body(response) -> str:
    return response.get_data(as_text=True)


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def into_the_civic_course(world, settings=None) -> None:
    civic_testing.into_the_civic_course(world.a.programme.id, world.a.communities[0].id, settings)


def sessions_path(world) -> str:
    return f"/communities/{world.a.communities[0].id}/civic-course/sessions"


def progress_path(world) -> str:
    return f"/communities/{world.a.communities[0].id}/programmes/{world.a.programme.id}/progress"


def with_a_milestone(community_id: int, plan_id: int, title: str = "Lamps") -> int:
    with system_scope(), tenancy_scope(tenant_id=community_id):
        milestone = add_milestone(db.session.get(ActionPlan, plan_id), title=title)
        db.session.commit()
        return milestone.id


SESSION = {"session-held_on": (date.today() - timedelta(days=3)).isoformat(), "session-facilitator": "Tamara", "session-participants": "9",
           "session-summary": "We went through the plan"}


def test_a_session_on_an_adopted_map_agrees_outcomes_and_adds_an_action_to_the_plan(app, world):
    community_id = world.a.communities[0].id
    into_the_civic_course(world)
    ids = make_map(community_id, world.a.programme.id, marker="ours", adopted=True)
    milestone_id = with_a_milestone(community_id, ids["plan_id"])
    member = signed_in(app, "member-a")
    assert "No strategic session is recorded yet." in body(member.get(sessions_path(world)))
    created = post(member, sessions_path(world), {**SESSION, "session-change_map": str(ids["map_id"])})
    assert created.status_code == 302
    session_path = created.headers["Location"]
    page = body(member.get(session_path))
    assert "Unlit underpass ours" in page and "Tamara" in page and "We went through the plan" in page
    assert post(member, session_path + "/outcomes", {"outcome-text": "We light the first lamp ourselves",
                                                     "outcome-link": f"m{milestone_id}"}).status_code == 302
    member_id = world.a.people["member"].id
    assert post(member, session_path + "/actions", {"action-milestone": str(milestone_id),
                                                    "action-title": "Buy a solar lamp", "action-owner": str(member_id),
                                                    "action-due_on": "2027-06-01"}).status_code == 302
    page = body(member.get(session_path))
    assert "We light the first lamp ourselves" in page and "Milestone: Lamps" in page
    assert "Action: Buy a solar lamp" in page
    plan = body(member.get(f"/communities/{community_id}/plans/{ids['plan_id']}"))
    assert "Buy a solar lamp" in plan  # the action is in the map's plan, with its owner
    assert "0 of 1 actions done" in body(member.get(f"/communities/{community_id}/civic-course/maps/{ids['map_id']}"))
    progress = body(member.get(progress_path(world)))
    assert "1 strategic session held." in progress and "1 outcome" not in progress and "2 outcomes" in progress
    # The programme's staff read the session of a map the community adopted and shared with them.
    for handle in ("mentor-a", "operator-a"):
        assert "We light the first lamp ourselves" in body(signed_in(app, handle).get(session_path)), handle
    assert signed_in(app, "mentor-b").get(session_path).status_code in (403, 404)
    assert post(signed_in(app, "mentor-a"), session_path + "/outcomes",
                {"outcome-text": "Staff write"}).status_code in (403, 404)


def test_a_draft_map_has_no_session_yet(app, world):
    community_id = world.a.communities[0].id
    into_the_civic_course(world)
    ids = make_map(community_id, world.a.programme.id, marker="draft")
    member = signed_in(app, "member-a")
    assert "adopt a map first" in body(member.get(sessions_path(world)))
    refused = post(member, sessions_path(world), {**SESSION, "session-change_map": str(ids["map_id"])})
    assert refused.status_code == 422
    with system_scope():
        assert db.session.scalar(select(StrategicSession.id)) is None


def test_bad_input_is_refused_with_a_message_and_a_double_submit_is_stored_once(app, world):
    community_id = world.a.communities[0].id
    into_the_civic_course(world)
    ids = make_map(community_id, world.a.programme.id, marker="ours", adopted=True)
    milestone_id = with_a_milestone(community_id, ids["plan_id"])
    member = signed_in(app, "member-a")
    chosen = {**SESSION, "session-change_map": str(ids["map_id"])}
    for fields, message in (({"session-held_on": "9999-01-01"}, "Enter a date between 2000 and 2100."),
                            ({"session-participants": "-3"}, "Between 0 and 10000."),
                            ({"session-held_on": "soon"}, "Enter a date.")):
        response = post(member, sessions_path(world), {**chosen, **fields})
        assert response.status_code == 422 and message in body(response), fields
    first = post(member, sessions_path(world), chosen)
    second = post(member, sessions_path(world), chosen)
    assert first.headers["Location"] == second.headers["Location"]
    assert "already recorded" in body(member.get(second.headers["Location"]))
    session_path = first.headers["Location"]
    stranger = world.b.people["member"].id  # not a member of this community: cannot own its action
    refused = post(member, session_path + "/actions", {"action-milestone": str(milestone_id), "action-title": "X",
                                                       "action-owner": str(stranger)})
    assert refused.status_code == 422 and "Choose one of the options offered." in body(refused)
    refused = post(member, session_path + "/actions", {"action-milestone": str(milestone_id), "action-title": "Y",
                                                       "action-due_on": "20270-01-01"})
    assert refused.status_code == 422
    empty = post(member, session_path + "/outcomes", {"outcome-text": "  "})
    assert empty.status_code == 422 and "Say what the session agreed." in body(empty)
    with system_scope():
        assert db.session.scalar(select(SessionOutcome.id)) is None
        assert len(db.session.scalars(select(StrategicSession)).all()) == 1


def test_the_stage_may_ask_for_a_session_held_and_the_cohort_counts_them(app, world):
    community_id = world.a.communities[0].id
    into_the_civic_course(world, {"strategic_session_required": True})
    operator = signed_in(app, "operator-a")
    assert re.search(r"<strong>Open:</strong> A strategic session held", body(operator.get(progress_path(world))))
    ids = make_map(community_id, world.a.programme.id, marker="ours", adopted=True)
    make_session(community_id, world.a.programme.id, ids["map_id"])
    with system_scope():
        session = db.session.scalars(select(StrategicSession)).one()
        session.held_on = date.today() + timedelta(days=5)  # planned, not held yet
        db.session.commit()
    assert re.search(r"<strong>Open:</strong> A strategic session held", body(operator.get(progress_path(world))))
    with system_scope():
        db.session.scalars(select(StrategicSession)).one().held_on = date.today() - timedelta(days=1)
        db.session.commit()
    assert re.search(r'<li class="met">\s*<strong>Met:</strong> A strategic session held',
                     body(operator.get(progress_path(world))))
    cohort = body(operator.get(f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/cohort"))
    assert "Strategic sessions held" in cohort


def test_without_the_setting_no_session_is_asked_for(app, world):
    into_the_civic_course(world)
    assert "A strategic session held" not in body(signed_in(app, "operator-a").get(progress_path(world)))


def _statements(client, path) -> int:
    client.get(path)
    count = 0

    def counted(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return count


def test_the_session_pages_make_as_many_statements_for_many_sessions_as_for_few(app, world):
    community_id = world.a.communities[0].id
    into_the_civic_course(world)
    member = signed_in(app, "member-a")
    counts, made = [], []
    for number in (2, 10):
        while len(made) < number:
            ids = make_map(community_id, world.a.programme.id, marker=f"n{len(made)}", adopted=True)
            made.append(make_session(community_id, world.a.programme.id, ids["map_id"], marker=f"n{len(made)}"))
        counts.append(tuple(_statements(member, path) for path in (
            sessions_path(world), f"{sessions_path(world)}/{made[-1]['session_id']}", progress_path(world))))
    assert counts[0] == counts[1], counts
