"""Problem-finding meetings, the members' dots and change maps with their action plans, through the pages,
on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from sqlalchemy import event, select

from hromada.plugin_api import Stage, db, system_scope
from hromada.testing.factories import signed_in
from hromada.testing.fixtures import csrf_token
from hromada_civic_course.testing import make_map
from hromada_civic_course import testing as civic_testing


def body(response) -> str:
    return response.get_data(as_text=True)


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def base(world, number: int = 0) -> str:
    return f"/communities/{world.a.communities[number].id}/civic-course"


def into_the_civic_course(world) -> None:
    civic_testing.into_the_civic_course(world.a.programme.id, world.a.communities[0].id)


MEETING = {"meeting-held_on": "2027-04-02", "meeting-level": "region", "meeting-participants": "23",
           "meeting-facilitator": "Tamara"}


def record_meeting_with_problems(client, world) -> str:
    response = post(client, base(world) + "/meetings", MEETING)
    assert response.status_code == 302
    meeting = response.headers["Location"]
    for title in ("Dark courtyards", "No bus at night"):
        assert post(client, meeting + "/problems", {"problem-title": title, "problem-what_is_wrong": "Unsafe",
                                                    "problem-who_is_affected": "Bakers", "problem-evidence": "Photos"}
                    ).status_code == 302
    return meeting


def problem_ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r"/problems/(\d+)/dots", page)]


def test_members_find_problems_and_rank_them_with_their_dots(app, world):
    into_the_civic_course(world)
    member, coordinator = signed_in(app, "member-a"), signed_in(app, "coordinator-a")
    meeting = record_meeting_with_problems(member, world)
    page = body(member.get(meeting))
    assert "Region" in page and "23" in page and "Tamara" in page
    dark, bus = problem_ids(page)
    assert page.index("Dark courtyards") < page.index("No bus at night")
    assert post(member, f"{base(world)}/problems/{bus}/dots", {f"dots-{bus}-dots": "2"}).status_code == 302
    assert post(coordinator, f"{base(world)}/problems/{bus}/dots", {f"dots-{bus}-dots": "1"}).status_code == 302
    assert post(coordinator, f"{base(world)}/problems/{dark}/dots", {f"dots-{dark}-dots": "2"}).status_code == 302
    page = body(member.get(meeting))
    assert page.index("No bus at night") < page.index("Dark courtyards")  # 3 dots before 2
    assert "3 dots" in page and "You have 1 dot left." in page


def test_a_member_cannot_spend_more_dots_than_they_have(app, world):
    into_the_civic_course(world)
    member = signed_in(app, "member-a")
    meeting = record_meeting_with_problems(member, world)
    dark, bus = problem_ids(body(member.get(meeting)))
    post(member, f"{base(world)}/problems/{dark}/dots", {f"dots-{dark}-dots": "2"})
    refused = member.get(post(member, f"{base(world)}/problems/{bus}/dots",
                              {f"dots-{bus}-dots": "2"}).headers["Location"])
    assert "You have 1 dot left for this meeting." in body(refused)
    assert post(member, f"{base(world)}/problems/{bus}/dots", {f"dots-{bus}-dots": "9"}).status_code == 302
    page = body(member.get(meeting))
    assert "You have 1 dot left." in page and "0 dots" in page


def test_staff_read_problems_but_never_the_members_dots(app, world):
    into_the_civic_course(world)
    member = signed_in(app, "member-a")
    meeting = record_meeting_with_problems(member, world)
    dark, _bus = problem_ids(body(member.get(meeting)))
    post(member, f"{base(world)}/problems/{dark}/dots", {f"dots-{dark}-dots": "3"})
    for handle in ("mentor-a", "operator-a"):
        page = body(signed_in(app, handle).get(meeting))
        assert "Dark courtyards" in page and "3 dots" not in page and "Your dots" not in page, handle
        assert post(signed_in(app, handle), meeting + "/problems", {"problem-title": "Staff"}).status_code in (403, 404)


def test_a_bad_meeting_is_refused_with_a_message_and_nothing_saved(app, world):
    member = signed_in(app, "member-a")
    for fields, message in (({"meeting-held_on": "9999-01-01"}, "Enter a date between 2000 and 2100."),
                            ({"meeting-participants": "many"}, "Enter a whole number."),
                            ({"meeting-level": "planet"}, "")):
        response = post(member, base(world) + "/meetings", {**MEETING, **fields})
        assert response.status_code == 422 and message in body(response), fields
    assert "No meeting is recorded yet." in body(member.get(base(world) + "/meetings"))


def test_a_change_map_from_a_problem_with_stakeholders_tools_and_its_plans_progress(app, world):
    into_the_civic_course(world)
    member, operator = signed_in(app, "member-a"), signed_in(app, "operator-a")
    meeting = record_meeting_with_problems(member, world)
    dark, _bus = problem_ids(body(member.get(meeting)))
    created = post(member, base(world) + "/maps", {"map-problem": str(dark), "map-goal": "Every courtyard is lit"})
    assert created.status_code == 302
    map_path = created.headers["Location"]
    assert post(member, map_path, {"edit-goal": "Every courtyard is lit by winter", "edit-levels": ["local", "regional"],
                                   "edit-tools": ["petition", "media"],
                                   "edit-assumptions": "The council listens\nNeighbours sign"}).status_code == 302
    for name, kind, influence in (("Mayor Hrab", "decision_maker", "5"), ("Night Shift Union", "ally", "2")):
        assert post(member, map_path + "/stakeholders", {"stakeholder-name": name, "stakeholder-kind": kind,
                                                          "stakeholder-influence": influence,
                                                          "stakeholder-interest": "4"}).status_code == 302
    page = body(member.get(map_path))
    assert "Every courtyard is lit by winter" in page and "Local, Regional" in page and "Petition, Media" in page
    assert "<li>Neighbours sign</li>" in page and "<svg" in page and "style=" not in page.split("<svg")[1]
    assert re.search(r"<td>1</td><td>Mayor Hrab</td><td>Decision-maker</td><td>5</td><td>4</td>", page)
    assert "no action yet" in page
    plan = re.search(r'href="(/communities/\d+/plans/\d+)"', page).group(1)
    mentor = signed_in(app, "mentor-a")
    assert "Every courtyard is lit by winter" in body(mentor.get(map_path))  # the programme's mentor reads the draft
    assert operator.get(map_path).status_code == 404  # the operator, once the community adopts it
    assert "Problems and change maps" in body(operator.get(
        f"/communities/{world.a.communities[0].id}/programmes/{world.a.programme.id}/progress"))
    assert member.get(plan).status_code == 200
    assert operator.get(plan).status_code == 404  # a draft map's plan is the members' too, until adoption


def test_the_map_shows_the_plans_progress_and_overdue_actions(app, world):
    from datetime import date, timedelta

    from hromada.plugin_api import ActionPlan, ActionStatus, add_action, add_milestone, tenancy_scope

    community_id = world.a.communities[0].id
    into_the_civic_course(world)
    ids = make_map(community_id, world.a.programme.id, marker="here")
    with system_scope(), tenancy_scope(tenant_id=community_id):
        plan = db.session.get(ActionPlan, ids["plan_id"])
        milestone = add_milestone(plan, title="Lamps")
        add_action(milestone, title="Petition", status=ActionStatus.DONE)
        add_action(milestone, title="Meet the council", due_on=date.today() - timedelta(days=3))
        db.session.commit()
    member = signed_in(app, "member-a")
    page = body(member.get(f"{base(world)}/maps/{ids['map_id']}"))
    assert "1 of 2 actions done" in page and "1 overdue" in page
    assert '<progress max="2" value="1">' in page
    progress = body(member.get(f"/communities/{community_id}/programmes/{world.a.programme.id}/progress"))
    assert "1 of 2 actions done" in progress


def test_staff_of_another_programme_or_outside_the_civic_stage_see_no_map(app, world):
    community_id = world.a.communities[0].id
    ids = make_map(community_id, world.a.programme.id, marker="quiet")
    mentor = signed_in(app, "mentor-a")
    assert mentor.get(f"{base(world)}/maps/{ids['map_id']}").status_code == 404  # not in the civic course stage
    into_the_civic_course(world)
    assert "The underpass is lit quiet" in body(mentor.get(f"{base(world)}/maps/{ids['map_id']}"))
    assert signed_in(app, "mentor-b").get(f"{base(world)}/maps/{ids['map_id']}").status_code in (403, 404)


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


def test_the_pages_make_as_many_statements_for_many_maps_as_for_few(app, world):
    from hromada.plugin_api import ActionPlan, add_action, add_milestone, tenancy_scope

    community_id = world.a.communities[0].id
    into_the_civic_course(world)
    member = signed_in(app, "member-a")
    counts = []
    made = []
    for number in (2, 12):
        while len(made) < number:
            ids = make_map(community_id, world.a.programme.id, marker=f"n{len(made)}",
                           voter_id=world.a.people["member"].id)
            with system_scope(), tenancy_scope(tenant_id=community_id):
                milestone = add_milestone(db.session.get(ActionPlan, ids["plan_id"]), title="Step")
                add_action(milestone, title="Act")
                db.session.commit()
            made.append(ids)
        last = made[-1]
        counts.append(tuple(_statements(member, path) for path in (
            f"{base(world)}/meetings", f"{base(world)}/meetings/{last['meeting_id']}", f"{base(world)}/maps",
            f"{base(world)}/maps/{last['map_id']}",
            f"/communities/{community_id}/programmes/{world.a.programme.id}/progress")))
    assert counts[0] == counts[1], counts


def progress_path(world) -> str:
    return f"/communities/{world.a.communities[0].id}/programmes/{world.a.programme.id}/progress"


def test_a_map_adopted_by_decision_with_an_action_meets_the_stage_and_shows_in_the_cohort(app, world):
    from datetime import timedelta

    from hromada.plugin_api import ActionPlan, Proposal, add_action, add_milestone, tenancy_scope

    community_id = world.a.communities[0].id
    into_the_civic_course(world)
    member, operator = signed_in(app, "member-a"), signed_in(app, "operator-a")
    ids = make_map(community_id, world.a.programme.id, marker="ours")
    assert re.search(r"<strong>Open:</strong> Change maps adopted with an action plan",
                     body(operator.get(progress_path(world))))
    assert "0 of 1 change maps adopted with an action plan" in body(operator.get(progress_path(world)))
    map_path = f"{base(world)}/maps/{ids['map_id']}"
    assert "Draft: not adopted by the community yet." in body(member.get(map_path))
    proposed = post(member, map_path + "/propose", {})
    form = body(member.get(proposed.headers["Location"]))
    assert "The underpass is lit ours" in form and "District council ours" in form  # the frozen text is read
    seen = re.search(r'name="seen" type="hidden" value="([0-9a-f]{64})"', form).group(1)
    opened = post(member, proposed.headers["Location"], {
        "title": "Adopt our map", "method": "consent", "days": "7", "threshold_percent": "50",
        "shared_with": str(world.a.programme.id), "seen": seen})
    assert opened.status_code == 302
    with system_scope():
        for proposal in db.session.scalars(select(Proposal)):
            proposal.opened_at -= timedelta(days=8)
            proposal.closes_at -= timedelta(days=8)
        db.session.commit()
    assert "Passed" in body(member.get(opened.headers["Location"]))
    assert "Version 1 adopted on" in body(member.get(map_path))
    assert "Version 1 adopted on" in body(operator.get(map_path))  # shared with the programme
    # Adopted, but a map without a single action does not count yet.
    assert "0 of 1 change maps adopted with an action plan" in body(operator.get(progress_path(world)))
    with system_scope(), tenancy_scope(tenant_id=community_id):
        add_action(add_milestone(db.session.get(ActionPlan, ids["plan_id"]), title="Lamps"), title="Petition")
        db.session.commit()
    assert re.search(r'<li class="met">\s*<strong>Met:</strong> Change maps adopted with an action plan',
                     body(operator.get(progress_path(world))))
    cohort = body(operator.get(f"/organisations/{world.a.organisation.id}/programmes/{world.a.programme.id}/cohort"))
    assert "Change maps made / required" in cohort and "1 / 1" in cohort


def test_the_stage_setting_says_how_many_maps_each_community_makes(app, world):
    community_id = world.a.communities[0].id
    into_the_civic_course(world)
    with system_scope():
        stage = db.session.scalars(select(Stage).where(Stage.stage_type == "civic_course")).one()
        stage.settings = {"change_maps_required": 2}
        db.session.commit()
    make_map(community_id, world.a.programme.id, marker="one", adopted=True)
    from hromada.plugin_api import ActionPlan, add_action, add_milestone, tenancy_scope

    with system_scope(), tenancy_scope(tenant_id=community_id):
        plan_ids = list(db.session.scalars(select(ActionPlan.id)))
        for plan_id in plan_ids:
            add_action(add_milestone(db.session.get(ActionPlan, plan_id), title="Step"), title="Act")
        db.session.commit()
    assert "1 of 2 change maps adopted with an action plan" in body(signed_in(app, "operator-a").get(
        progress_path(world)))
