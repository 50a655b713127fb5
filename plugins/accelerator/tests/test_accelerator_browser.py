"""A community through the accelerator's charter and manifesto, in Debian's Chromium.

Issue #13's browser test: members put forward values and adopt the charter by consent; a
rule without a value is refused; two members edit the manifesto in two tabs and the
conflict is shown; the manifesto is adopted by a vote with quorum; the stage's
requirements turn met; the operator advances the community; the coordinator of another
community reaches none of it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from hromada.plugin_api import Enrolment, Proposal, Stage, db, system_scope
from hromada.testing.browser import sign_in_as
from hromada.testing.factories import build_world
from hromada_accelerator.meeting.models import PlanStatus
from hromada_accelerator.meeting.testing import make_meeting
from hromada_accelerator.strategy.testing import make_strategy

pytestmark = pytest.mark.browser

FIRST = "We are the neighbours of Willow Bank. We look after the river path."


def into_the_accelerator(world) -> None:
    """A1 in an accelerator stage that asks only for the charter and the manifesto; a stage after it."""
    with system_scope():
        programme_id = world.a.programme.id
        accelerator = Stage(programme_id=programme_id, position=1, stage_type="accelerator",
                            settings={"networking_events_required": 0, "course_completion_share": 0})
        after = Stage(programme_id=programme_id, position=2, stage_type="civic_course")
        db.session.add_all([accelerator, after])
        db.session.flush()
        enrolment = db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id,
                                                               Enrolment.programme_id == programme_id)).one()
        enrolment.current_stage_id = accelerator.id
        db.session.commit()
        # Its strategy is adopted already (tests/test_strategy.py walks that part).
        make_strategy(world.a.communities[0].id, world.a.people["coordinator"].id,
                      adopted_for_programme=programme_id)
        # And its operational plan approved (tests/test_meeting.py walks that part).
        make_meeting(world.a.communities[0].id, world.a.programme, status=PlanStatus.APPROVED.value)


def let_the_decisions_close() -> None:
    with system_scope():
        for proposal in db.session.scalars(select(Proposal).where(Proposal.closed_at.is_(None))):
            proposal.opened_at -= timedelta(days=15)
            proposal.closes_at -= timedelta(days=15)
        db.session.commit()


def open_proposal(page, title: str, **choices) -> None:
    page.get_by_label("Title").fill(title)
    for label, value in choices.items():
        field = page.get_by_label(label, exact=True)
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.get_by_role("button", name="Open the proposal").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_a_community_adopts_its_charter_and_manifesto_and_moves_on(app, page, new_tab, page_activity):
    world = build_world()
    community_id, programme_id = world.a.communities[0].id, world.a.programme.id
    into_the_accelerator(world)
    db.session.remove()
    charter = f"/communities/{community_id}/charter"

    # Members put forward values; a rule without a value is refused.
    sign_in_as(page, "coordinator-a")
    page.goto(charter)
    page.get_by_label("A value").fill("Care")
    page.get_by_role("button", name="Add the value").click()
    member = new_tab()
    sign_in_as(member, "member-a")
    member.goto(charter)
    member.get_by_label("A value").fill("Openness")
    member.get_by_role("button", name="Add the value").click()
    member.get_by_label("The rule", exact=True).fill("We answer a call for help within a day.")
    member.get_by_role("button", name="Add the rule").click()
    expect(member.get_by_text("Rules must never stand above values")).to_be_visible()
    member.get_by_label("The rule", exact=True).fill("We answer a call for help within a day.")
    member.get_by_role("checkbox", name="Care").check()
    member.get_by_role("button", name="Add the rule").click()
    expect(member.get_by_text("protects: Care")).to_be_visible()

    # The coordinator proposes the draft; both consent; it is adopted when the time is up.
    page.reload()
    page.get_by_role("button", name="Propose this draft for adoption").click()
    expect(page.get_by_label("Title")).to_have_value("The charter, version 1")
    expect(page.get_by_text("We answer a call for help within a day.")).to_be_visible()
    open_proposal(page, "Adopt our charter")
    proposal_url = page.url
    member.goto(proposal_url)
    member.get_by_role("radio", name="I consent").check()
    member.get_by_role("button", name="Save my position").click()
    expect(member.get_by_text("Your position is saved.")).to_be_visible()
    let_the_decisions_close()
    page.reload()
    expect(page.get_by_role("heading", name="Passed")).to_be_visible()
    page.goto(charter)
    expect(page.get_by_text(re.compile(r"Version 1, adopted on"))).to_be_visible()

    # Two members edit the manifesto at once: the second is shown what changed, and merges.
    manifesto = f"/communities/{community_id}/manifesto"
    page.goto(manifesto)
    page.get_by_label("The manifesto", exact=True).fill(FIRST)
    page.get_by_role("button", name="Save a revision").click()
    expect(page.get_by_text("Saved as revision 1.")).to_be_visible()
    member.goto(manifesto)
    page.get_by_label("The manifesto", exact=True).fill(FIRST.replace("river path", "river path and its trees"))
    page.get_by_role("button", name="Save a revision").click()
    member.get_by_label("The manifesto", exact=True).fill(FIRST + "\n\nAnyone may join us.")
    member.get_by_role("button", name="Save a revision").click()
    expect(member.get_by_text("saved revision 2 while you were editing")).to_be_visible()
    expect(member.locator(".diff ins", has_text="and its trees")).to_be_visible()
    member.get_by_label("The manifesto", exact=True).fill(
        FIRST.replace("river path", "river path and its trees") + "\n\nAnyone may join us.")
    member.get_by_role("button", name="Save a revision").click()
    expect(member.get_by_text("Saved as revision 3.")).to_be_visible()

    # Adopted by a vote with a quorum of every member.
    member.get_by_role("button", name="Propose revision 3 for adoption").click()
    open_proposal(member, "Adopt our manifesto", **{"How we decide": "vote", "Quorum (percentage of members who must vote)": "100"})
    vote_url = member.url
    for tab in (member, page):
        tab.goto(vote_url)
        tab.get_by_role("radio", name="Yes").check()
        tab.get_by_role("button", name="Save my position").click()
        expect(tab.get_by_text("Your position is saved.")).to_be_visible()
    let_the_decisions_close()
    member.reload()
    expect(member.get_by_role("heading", name="Passed")).to_be_visible()

    # The stage's requirements are met: the operator advances the community.
    operator = new_tab()
    sign_in_as(operator, "operator-a")
    operator.goto(f"/communities/{community_id}/programmes/{programme_id}/progress")
    expect(operator.get_by_text("Every requirement of this stage is met.")).to_be_visible()
    operator.get_by_role("button", name="Advance to the next stage").click()
    expect(operator.get_by_text("The community has moved to the next stage.")).to_be_visible()

    # The coordinator of another community reaches none of it.
    stranger = new_tab()
    sign_in_as(stranger, "coordinator-b")
    for path in (charter, manifesto, vote_url, f"/communities/{community_id}/decisions"):
        stranger.goto(path)
        expect(stranger.get_by_role("heading", name="Not found")).to_be_visible()
        assert "Willow Bank" not in stranger.content() and "Care" not in stranger.content()
    assert page_activity.requests_elsewhere() == []
