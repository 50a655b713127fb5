"""Action plans: members keep milestones and actions; progress, overdue flags and the chart read from them.

Run on SQLite and on PostgreSQL (as the app's role, under row-level security).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hromada import tenancy
from hromada.clock import today
from hromada.extensions import db
from hromada.modules.action_plans.models import Action, ActionPlan, ActionStatus, Milestone
from hromada.modules.action_plans.testing import add_action, add_milestone, make_plan
from hromada.modules.audit.models import AuditEvent
from hromada.plugin_api import ACTION_PLAN_PAGE, TenantViolation, create_plan, plans_progress
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token
from sqlalchemy import event, func, select, text


def body(response) -> str:
    return response.get_data(as_text=True)


def community_id(world) -> int:
    return world.a.communities[0].id


def plan_path(world, plan_id: int) -> str:
    return f"/communities/{community_id(world)}/plans/{plan_id}"


def seeded_plan(world) -> int:
    """A plan of community A1 with one milestone, committed; returns (plan id, milestone id)."""
    plan = make_plan(community_id(world), programme_id=world.a.programme.id)
    milestone = add_milestone(plan, "Venue found", position=1)
    with tenancy.system_scope():
        db.session.commit()
        return plan.id, milestone.id


def count(model) -> int:
    with tenancy.system_scope():
        return db.session.scalar(select(func.count()).select_from(model))


def post(client, path: str, **fields):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **fields})


def action_fields(**fields) -> dict:
    return {"title": "Book the library hall", "owner": "", "role": "", "starts_on": "", "due_on": "",
            "status": "planned", "result": "", "evidence": "", **fields}


# --- Members fill the plan in ------------------------------------------------------------------


def test_a_member_adds_a_milestone_and_an_action_and_sees_them_on_the_plan(app, world):
    plan_id, _ = seeded_plan(world)
    member = signed_in(app, "member-a")
    added = post(member, plan_path(world, plan_id) + "/milestones/new", title="Budget agreed", due_on="2030-05-01",
                 position="")
    assert added.status_code == 302
    with tenancy.system_scope():
        milestone = db.session.scalars(select(Milestone).where(Milestone.title == "Budget agreed")).one()
        milestone_id = milestone.id
        assert milestone.position == 2  # after the one there was
    path = f"{plan_path(world, plan_id)}/milestones/{milestone_id}/actions/new"
    form = body(member.get(path))
    assert re.search(r'<option value="\d+">member-a</option>', form) and "coordinator-a" in form
    coordinator_id = world.a.people["coordinator"].id
    saved = post(member, path, **action_fields(owner=str(coordinator_id), role="treasurer", starts_on="2030-04-01",
                                               due_on="2030-04-20", milestone=str(milestone_id)))
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/plans/{plan_id}#action-"
                                                                             f"{_only_action_id()}")
    page = body(member.get(plan_path(world, plan_id)))
    assert "Budget agreed" in page and "Book the library hall" in page
    assert "coordinator-a (treasurer)" in page and "Planned" in page
    assert "0 actions of 1 done (0%)." in page


def _only_action_id() -> int:
    with tenancy.system_scope():
        return db.session.scalars(select(Action.id)).one()


def test_a_member_records_the_result_and_an_https_link_as_evidence(app, world):
    plan_id, milestone_id = seeded_plan(world)
    with tenancy.system_scope():
        milestone = db.session.get(Milestone, milestone_id)
        action_id = add_action(milestone, "Book the library hall").id
        other_id = add_action(milestone, "Ask the school").id
        db.session.commit()
    member = signed_in(app, "member-a")
    path = f"{plan_path(world, plan_id)}/actions/{action_id}"
    assert post(member, path, **action_fields(status="done", milestone=str(milestone_id),
                                              result="Hall booked for 12 people",
                                              evidence="https://example.org/booking/42")).status_code == 302
    assert post(member, f"{plan_path(world, plan_id)}/actions/{other_id}",
                **action_fields(title="Ask the school", milestone=str(milestone_id),
                                evidence="javascript:alert(1)")).status_code == 302
    page = body(member.get(plan_path(world, plan_id)))
    assert "Hall booked for 12 people" in page
    assert '<a href="https://example.org/booking/42" rel="nofollow noopener noreferrer">' in page
    assert "javascript:alert(1)" in page and 'href="javascript:' not in page
    assert "1 action of 2 done (50%)." in page
    with tenancy.system_scope():
        actions = [event.action for event in db.session.scalars(select(AuditEvent))]
    assert actions.count("action_plans.action_changed") == 2


def test_dropped_actions_do_not_count_and_each_milestone_shows_its_share(app, world):
    plan = make_plan(community_id(world))
    venue, budget = add_milestone(plan, "Venue found", position=1), add_milestone(plan, "Budget agreed", position=2)
    add_action(venue, "Book the hall", status=ActionStatus.DONE)
    add_action(venue, "Ask the school", status=ActionStatus.DROPPED)
    add_action(venue, "Visit the café", status=ActionStatus.IN_PROGRESS)
    for n in range(4):
        add_action(budget, f"Estimate {n}", status=ActionStatus.DONE if n < 3 else ActionStatus.PLANNED)
    with tenancy.system_scope():
        db.session.commit()
        plan_id = plan.id
    page = body(signed_in(app, "member-a").get(plan_path(world, plan_id)))
    assert "4 actions of 6 done (67%)." in page
    assert "Venue found</a>:\n      1 of 2 done (50%)" in page
    assert "Budget agreed</a>:\n      3 of 4 done (75%)" in page
    # The chart: a bar per milestone as long as its share (the full bar is 320 wide).
    widths = re.findall(r'<rect class="bar-done" x="0" y="\d+" width="([\d.]+)"', page)
    assert widths == ["160.0", "240.0"]
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page and "style=" not in page.split("<svg")[1]


# --- Overdue, from the clock --------------------------------------------------------------------


def test_an_action_past_its_due_date_and_not_done_is_flagged_overdue(app, world):
    plan = make_plan(community_id(world))
    milestone = add_milestone(plan, "Venue found")
    add_action(milestone, "Late one", due_on=today() - timedelta(days=1))
    add_action(milestone, "Late but done", due_on=today() - timedelta(days=3), status=ActionStatus.DONE)
    add_action(milestone, "Late but dropped", due_on=today() - timedelta(days=3), status=ActionStatus.DROPPED)
    add_action(milestone, "Due today", due_on=today())
    with tenancy.system_scope():
        db.session.commit()
        plan_id = plan.id
    page = body(signed_in(app, "member-a").get(plan_path(world, plan_id)))
    assert page.count("Overdue since") == 1
    assert re.search(r'class="plan-action status-planned overdue">\s*<h3><a [^>]*>Late one</a>', page)
    assert "1 action is overdue." in page
    with tenancy.scope(tenant_id=community_id(world)):
        # Read against the clock, never stored: tomorrow the action due today is late too.
        assert plans_progress([plan_id])[plan_id].overdue == 1
        assert plans_progress([plan_id], on=today() + timedelta(days=1))[plan_id].overdue == 2
        assert plans_progress([plan_id], on=today() - timedelta(days=2))[plan_id].overdue == 0


# --- Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fields, message", [
    ({"title": ""}, "Enter a title."),
    ({"title": "x" * 201}, "At most 200 characters."),
    ({"due_on": "1999-12-31"}, "Enter a date between the years 2000 and 2100."),
    ({"starts_on": "2101-01-01"}, "Enter a date between the years 2000 and 2100."),
    ({"due_on": "next week"}, "Enter a date such as 2027-03-05."),
    ({"starts_on": "2030-05-02", "due_on": "2030-05-01"}, "The due date cannot be before the start."),
    ({"status": "abandoned"}, "Choose one of the statuses offered."),
    ({"owner": "99999"}, "Choose one of the community&#39;s members, or nobody yet."),
    ({"milestone": "99999"}, "Choose one of the milestones of this plan."),
])
def test_a_bad_action_is_refused_with_a_message_and_nothing_saved(app, world, fields, message):
    plan_id, milestone_id = seeded_plan(world)
    path = f"{plan_path(world, plan_id)}/milestones/{milestone_id}/actions/new"
    response = post(signed_in(app, "member-a"), path, **action_fields(**{"milestone": str(milestone_id), **fields}))
    assert response.status_code == 422
    assert message in body(response)
    assert count(Action) == 0


def test_a_member_of_another_community_cannot_own_an_action(app, world):
    plan_id, milestone_id = seeded_plan(world)
    path = f"{plan_path(world, plan_id)}/milestones/{milestone_id}/actions/new"
    response = post(signed_in(app, "member-a"), path,
                    **action_fields(milestone=str(milestone_id), owner=str(world.b.people["member"].id)))
    assert response.status_code == 422 and "members, or nobody yet" in body(response)
    assert count(Action) == 0


@pytest.mark.parametrize("fields, message", [
    ({"title": ""}, "Enter a title."),
    ({"due_on": "2200-01-01"}, "Enter a date between the years 2000 and 2100."),
    ({"position": "-1"}, "Between 0 and 1000."),
    ({"position": str(2**63)}, "Between 0 and 1000."),
    ({"position": "first"}, "Enter a whole number."),
])
def test_a_bad_milestone_is_refused_with_a_message(app, world, fields, message):
    plan_id, _ = seeded_plan(world)
    response = post(signed_in(app, "member-a"), plan_path(world, plan_id) + "/milestones/new",
                    **{"title": "Budget agreed", "due_on": "", "position": "", **fields})
    assert response.status_code == 422 and message in body(response)
    assert count(Milestone) == 1


def test_a_double_submitted_milestone_or_action_is_saved_once(app, world):
    plan_id, milestone_id = seeded_plan(world)
    member = signed_in(app, "member-a")
    path = plan_path(world, plan_id) + "/milestones/new"
    assert post(member, path, title="Budget agreed", due_on="", position="").status_code == 302
    again = post(member, path, title="budget agreed", due_on="", position="")
    assert again.status_code == 422 and "This plan already has a milestone with this title." in body(again)
    path = f"{plan_path(world, plan_id)}/milestones/{milestone_id}/actions/new"
    assert post(member, path, **action_fields(milestone=str(milestone_id))).status_code == 302
    again = post(member, path, **action_fields(milestone=str(milestone_id)))
    assert again.status_code == 422 and "This milestone already has an action with this title." in body(again)
    assert (count(Milestone), count(Action)) == (2, 1)


def test_the_plan_is_shown_in_the_readers_language(app, world):
    plan = make_plan(community_id(world))
    add_action(add_milestone(plan, "Venue found"), "Book the hall", status=ActionStatus.DONE)
    with tenancy.system_scope():
        db.session.commit()
        plan_id = plan.id
    member = signed_in(app, "member-a")
    page = body(member.get(plan_path(world, plan_id), headers={"Accept-Language": "uk"}))
    assert "Виконано 1 дію з 1 (100%)." in page and "Хто виконує" in page


# --- Who reaches it ---------------------------------------------------------------------------------


def test_staff_who_reach_the_community_read_the_plan_audited_and_change_nothing(app, world):
    plan_id, milestone_id = seeded_plan(world)
    with tenancy.system_scope():
        add_action(db.session.get(Milestone, milestone_id), "Book the hall", result="Booked")
        db.session.commit()
    mentor = signed_in(app, "mentor-a")
    page = mentor.get(plan_path(world, plan_id))
    assert page.status_code == 200 and "Book the hall" in body(page) and "Booked" in body(page)
    assert "Add an action" not in body(page) and "/milestones/new" not in body(page)
    assert "The members and the staff of Programme A read this plan." in body(page)
    with tenancy.system_scope():
        reads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.read_community")).all()
    assert any(read.details.get("action_needed") == "action_plans.read" for read in reads)
    refused = mentor.post(plan_path(world, plan_id) + "/milestones/new",
                          data={"csrf_token": csrf_token(mentor), "title": "Mine"})
    assert refused.status_code in (403, 404)
    assert count(Milestone) == 1


def test_a_plan_outside_any_programme_is_the_members_alone(app, world):
    plan = make_plan(community_id(world), title="Our own plan")
    with tenancy.system_scope():
        db.session.commit()
        plan_id = plan.id
    assert "Only the members of the community read this plan." in body(
        signed_in(app, "member-a").get(plan_path(world, plan_id)))
    for staff in ("mentor-a", "operator-a"):
        assert signed_in(app, staff).get(plan_path(world, plan_id)).status_code == 404, staff


def test_another_communitys_plan_is_not_found_even_under_ones_own_community(app, world):
    plan = make_plan(world.b.communities[0].id, title="Plan of B")
    milestone = add_milestone(plan, "Milestone of B")
    action = add_action(milestone, "Action of B")
    with tenancy.system_scope():
        db.session.commit()
        ids = (plan.id, milestone.id, action.id)
    member = signed_in(app, "member-a")
    own = f"/communities/{community_id(world)}/plans/{ids[0]}"
    for path in (own, own + "/milestones/new", f"{own}/milestones/{ids[1]}", f"{own}/milestones/{ids[1]}/actions/new",
                 f"{own}/actions/{ids[2]}"):
        assert member.get(path).status_code == 404, path


def test_actions_are_out_of_another_communitys_reach_in_the_database_too(app, world):
    plan_id, milestone_id = seeded_plan(world)
    with tenancy.system_scope():
        add_action(db.session.get(Milestone, milestone_id), "Book the hall")
        db.session.commit()
    with tenancy.scope(tenant_id=world.b.communities[0].id):
        assert db.session.scalars(select(Action)).all() == []
        if db.engine.dialect.name == "postgresql":
            assert db.session.execute(text("SELECT count(*) FROM action_plan_actions")).scalar() == 0
    with tenancy.scope(tenant_id=community_id(world)):
        assert len(db.session.scalars(select(Action)).all()) == 1


# --- The API for plugins ---------------------------------------------------------------------------


def test_a_plugin_creates_its_objects_plan_once_and_links_to_its_page(app, world):
    with tenancy.scope(tenant_id=community_id(world)):
        plan = create_plan(community_id(world), "accelerator.operational_plan", 7, "Operational plan")
        again = create_plan(community_id(world), "accelerator.operational_plan", 7, "Operational plan")
        db.session.commit()
        assert again.id == plan.id
        with app.test_request_context():
            from flask import url_for

            path = url_for(ACTION_PLAN_PAGE, community_id=community_id(world), plan_id=plan.id)
        assert plans_progress([plan.id])[plan.id].total == 0
    assert count(ActionPlan) == 1
    assert "Operational plan" in body(signed_in(app, "coordinator-a").get(path))
    with tenancy.scope(tenant_id=community_id(world)), pytest.raises(TenantViolation):
        create_plan(world.b.communities[0].id, "accelerator.operational_plan", 8, "Not ours")
    db.session.rollback()


# --- Speed ----------------------------------------------------------------------------------------------


def _statements(client, path) -> int:
    client.get(path)
    statements = 0

    def counted(*_args):
        nonlocal statements
        statements += 1

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return statements


def test_the_plan_page_makes_as_many_statements_for_sixty_actions_as_for_three(app, world):
    member, mentor = signed_in(app, "member-a"), signed_in(app, "mentor-a")
    people = [world.a.people["coordinator"], world.a.people["member"], None]
    counts = []
    for milestones, per_milestone in ((1, 3), (6, 10)):
        with tenancy.system_scope():
            db.session.execute(ActionPlan.__table__.delete())
            db.session.commit()
        db.session.expunge_all()
        plan = make_plan(community_id(world), programme_id=world.a.programme.id)
        for m in range(milestones):
            milestone = add_milestone(plan, f"Milestone {m}", position=m)
            for n in range(per_milestone):
                add_action(milestone, f"Action {n}", owner=people[n % 3], status=list(ActionStatus)[n % 4],
                           due_on=today() - timedelta(days=n - 5), evidence="https://example.org/")
        with tenancy.system_scope():
            db.session.commit()
            plan_id = plan.id
        counts.append((_statements(member, plan_path(world, plan_id)), _statements(mentor, plan_path(world, plan_id))))
    assert counts[0] == counts[1], counts
    print("statements of the plan page (member, staff) for 3 and 60 actions:", counts)
