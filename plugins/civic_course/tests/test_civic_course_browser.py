"""The civic course's stage walked by its members, in Debian's Chromium.

A member records a problem-finding meeting and its two problems; the members spread
their dots; a change map is drawn from the problem they ranked first, with a stakeholder,
a tool and an action in its plan; the members adopt it by decision, and the stage's
requirement turns met for the operator. The coordinator shares the map's summary with the
programme's cohort: the coordinator of the programme's other community reads the summary and nothing
else of the map. Then a strategic session on the adopted map adds
an action, and a member applies for an internship placement that the operator selects
them for. The coordinator of a community of another organisation (whose programme has a civic course too)
reaches none of it, and reads no summary of it on its own cohort's page.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from hromada.plugin_api import Enrolment, Proposal, Stage, db, system_scope
from hromada.testing.browser import sign_in_as
from hromada.testing.factories import build_world, make_member
from hromada_civic_course.internships.testing import make_placement

pytestmark = pytest.mark.browser


def into_the_civic_course(world) -> None:
    # A coordinator of the programme's second community, which reads what the first one shares.
    make_member(world.a.communities[1].id, "kestrel")
    with system_scope():
        # Programme B has a civic course too: its communities read their own cohort's maps, never A's.
        db.session.add(Stage(programme_id=world.b.programme.id, position=1, stage_type="civic_course"))
        programme_id = world.a.programme.id
        stage = Stage(programme_id=programme_id, position=1, stage_type="civic_course",
                      settings={"change_maps_required": 1})
        db.session.add(stage)
        db.session.flush()
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id,
                                                               Enrolment.programme_id == programme_id)).one()
        enrolment.current_stage_id = stage.id
        db.session.commit()


def let_the_decisions_close() -> None:
    with system_scope():
        for proposal in db.session.scalars(select(Proposal).where(Proposal.closed_at.is_(None))):
            proposal.opened_at -= timedelta(days=15)
            proposal.closes_at -= timedelta(days=15)
        db.session.commit()


def problem_card(page, title: str):
    return page.locator("li.plan-action", has=page.get_by_role("heading", name=title, exact=True))


def test_members_find_problems_rank_them_and_adopt_a_change_map(app, page, new_tab, page_activity):
    world = build_world()
    community_id, programme_id = world.a.communities[0].id, world.a.programme.id
    organisation_id = world.a.organisation.id
    neighbour_id, other_programme_community = world.a.communities[1].id, world.b.communities[0].id
    into_the_civic_course(world)
    placement_id = make_placement(world.a.organisation.id, programme_id, marker="Velmora")
    db.session.remove()
    civic = f"/communities/{community_id}/civic-course"
    last_week = (date.today() - timedelta(days=7)).isoformat()

    # A member records the meeting and the two problems it found.
    sign_in_as(page, "member-a")
    page.goto(civic + "/meetings")
    page.get_by_label("Date of the meeting").fill(last_week)
    page.get_by_role("radio", name="Region").check()
    page.get_by_label("How many took part").fill("17")
    page.get_by_label("Facilitator").fill("Tamara")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("The meeting is recorded")).to_be_visible()
    meeting_url = page.url
    for title, wrong in (("Dark courtyards", "Nobody walks there at night"),
                         ("No bus at night", "Night-shift workers walk an hour home")):
        page.locator("#problem-title").fill(title)
        page.locator("#problem-what_is_wrong").fill(wrong)
        page.get_by_role("button", name="Add the problem").click()
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()

    # The members spread their dots: the night bus comes first.
    problem_card(page, "No bus at night").get_by_label("Your dots").fill("2")
    problem_card(page, "No bus at night").get_by_role("button", name="Save my dots").click()
    expect(page.get_by_text("Your dots are saved.")).to_be_visible()
    coordinator = new_tab()
    sign_in_as(coordinator, "coordinator-a")
    coordinator.goto(meeting_url)
    problem_card(coordinator, "No bus at night").get_by_label("Your dots").fill("1")
    problem_card(coordinator, "No bus at night").get_by_role("button", name="Save my dots").click()
    problem_card(coordinator, "Dark courtyards").get_by_label("Your dots").fill("2")
    problem_card(coordinator, "Dark courtyards").get_by_role("button", name="Save my dots").click()
    expect(coordinator.get_by_text("You have 0 dots left.")).to_be_visible()
    page.reload()
    headings = page.locator("#problems ~ ol h3").all_inner_texts()
    assert headings == ["No bus at night", "Dark courtyards"]
    expect(problem_card(page, "No bus at night").get_by_text("3 dots")).to_be_visible()

    # A change map from the first problem: a tool, a stakeholder, an action in its plan.
    page.goto(civic + "/maps")
    page.get_by_label("Problem").select_option(label="No bus at night")
    page.get_by_label("The change we want").fill("A night bus runs through the district from midnight to five.")
    page.get_by_role("button", name="Start the map").click()
    expect(page.get_by_text("The change map is started")).to_be_visible()
    map_url = page.url
    page.get_by_role("checkbox", name="Petition").check()
    page.get_by_role("button", name="Save the map").click()
    expect(page.get_by_role("definition").filter(has_text="Petition")).to_be_visible()
    page.get_by_label("Name", exact=True).fill("Transport department")
    page.get_by_role("radio", name="Decision-maker").check()
    page.get_by_label("Influence (1–5)").fill("5")
    page.get_by_label("Interest (1–5)").fill("2")
    page.get_by_role("button", name="Add the stakeholder").click()
    expect(page.locator("figure svg circle")).to_have_count(1)
    page.get_by_role("link", name=re.compile("Open the action plan")).click()
    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_label("Milestone", exact=True).fill("The route is agreed")
    page.get_by_role("button", name="Save the milestone").click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action", exact=True).fill("Collect 300 signatures")
    page.get_by_role("button", name="Save the action").click()
    page.goto(map_url)
    expect(page.get_by_text("0 of 1 actions done", exact=True)).to_be_visible()

    # Adopted by the members' decision, shared with the programme.
    page.get_by_role("button", name="Propose to adopt the map").click()
    expect(page.get_by_text("A night bus runs through the district")).to_be_visible()
    page.get_by_label("Title").fill("Adopt the night bus map")
    page.get_by_role("button", name="Open the proposal").click()
    expect(page.get_by_role("heading", name="Adopt the night bus map")).to_be_visible()
    let_the_decisions_close()
    page.reload()
    expect(page.get_by_role("heading", name="Passed")).to_be_visible()
    page.goto(map_url)
    expect(page.get_by_text(re.compile(r"Version 1 adopted on"))).to_be_visible()

    operator = new_tab()
    sign_in_as(operator, "operator-a")
    operator.goto(f"/communities/{community_id}/programmes/{programme_id}/progress")
    expect(operator.locator("li.met", has_text="Change maps adopted with an action plan")).to_be_visible()

    # The coordinator shares the adopted map's summary with the programme's other communities, under its name.
    coordinator.goto(map_url)
    expect(coordinator.get_by_text("Not shared: no other community sees anything of this map.")).to_be_visible()
    coordinator.get_by_role("radio", name="Under our community's name").check()
    coordinator.get_by_role("button", name="Share the summary with the cohort").click()
    expect(coordinator.get_by_text("The map's summary is shared with the other communities")).to_be_visible()
    # The coordinator of another community of the programme reads the summary, and nothing else of the map.
    neighbour = new_tab()
    sign_in_as(neighbour, "kestrel")
    neighbour.goto(f"/communities/{neighbour_id}")
    neighbour.get_by_role("link", name="Change maps shared in the cohort").click()
    shared = neighbour.locator("ul.shared-maps > li")
    expect(shared).to_have_count(1)
    expect(shared.get_by_role("heading", name=re.compile("Community A1"))).to_be_visible()
    expect(shared.get_by_text("A night bus runs through the district from midnight to five.")).to_be_visible()
    expect(shared.get_by_text("0 of 1 actions done").first).to_be_visible()
    expect(shared.get_by_text(re.compile("The route is agreed"))).to_be_visible()
    for private in ("No bus at night", "Transport department", "Collect 300 signatures", "Petition", "member-a"):
        assert private not in neighbour.content(), private
    neighbour.goto(map_url)
    expect(neighbour.get_by_role("heading", name="Not found")).to_be_visible()

    # A strategic session on the adopted map adds an action to its plan.
    page.goto(civic + "/sessions")
    page.get_by_label("Change map").select_option(label="No bus at night")
    page.get_by_label("Date of the session").fill(last_week)
    page.get_by_label("How many took part").fill("9")
    page.get_by_role("button", name="Record the session").click()
    expect(page.get_by_text("The strategic session is recorded")).to_be_visible()
    page.get_by_label("New action").fill("Ask the depot for a spare bus")
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator("section[aria-labelledby=outcomes] li", has_text="Action: Ask the depot for a spare bus")).to_be_visible()
    page.goto(map_url)
    expect(page.get_by_text("0 of 2 actions done", exact=True)).to_be_visible()

    # The member applies for a placement abroad; the operator selects them.
    page.goto(civic + "/internships")
    page.get_by_label("Motivation").fill("I want to see how a transport office listens to a petition.")
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_text("The application is sent")).to_be_visible()
    operator.goto(f"/organisations/{organisation_id}/programmes/{programme_id}/internships/placements/"
                  f"{placement_id}")
    operator.get_by_role("button", name="Select").click()
    expect(operator.get_by_text("The intern is selected.")).to_be_visible()
    page.reload()
    expect(page.get_by_text("selected", exact=True)).to_be_visible()

    # The coordinator of a community of another organisation reaches none of it.
    stranger = new_tab()
    sign_in_as(stranger, "coordinator-b")
    for path in (meeting_url, map_url, civic + "/sessions", civic + "/internships", civic + "/cohort-maps"):
        stranger.goto(path)
        expect(stranger.get_by_role("heading", name="Not found")).to_be_visible()
        assert "night bus" not in stranger.content().lower()
    # Its own community, in another programme with a civic course, reads no summary of programme A's.
    stranger.goto(f"/communities/{other_programme_community}/civic-course/cohort-maps")
    expect(stranger.get_by_text("No community of this programme shares a change map yet.")).to_be_visible()
    assert "night bus" not in stranger.content().lower()
    assert page_activity.requests_elsewhere() == []
