"""A psychological-support consultation from request to follow-up, in Debian's Chromium.

The coordinator asks for it, the assigned expert schedules and logs it with
private notes and a follow-up; the coordinator reads the summary but not the
notes; another expert assigned to the same community and the operator cannot
read the notes; the follow-up is on the community's progress page.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import StaffMembership, StaffRole
from hromada.modules.communities.models import Enrolment, StaffAssignment
from hromada.modules.consultations.models import Consultation
from hromada.testing.browser import sign_in_as, sign_out
from hromada.testing.factories import build_world, make_user

pytestmark = pytest.mark.browser

NOTES = "Two members are close to burning out; watch the tension around the chat. note-7f3"
SUMMARY = "We practised a round of check-ins and agreed to hold one at every meeting."
TASK = "Hold a check-in round at the next meeting"


def second_expert_on(world) -> None:
    """Another expert of A's organisation, also assigned to A's first community."""
    with tenancy.system_scope():
        expert = make_user("expert-a-two", second_factor=True)  # staff sign in with a second factor
        organisation = world.a.organisation.id
        db.session.add(StaffMembership(organisation_id=organisation, user_id=expert.id, role=StaffRole.EXPERT))
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id))
        db.session.add(StaffAssignment(tenant_id=enrolment.tenant_id, organisation_id=organisation,
                                       enrolment_id=enrolment.id, user_id=expert.id, role=StaffRole.EXPERT))
        db.session.commit()


def test_a_psychological_support_consultation_from_request_to_follow_up(app, page, page_activity):
    world = build_world()
    community_id, programme_id = world.a.communities[0].id, world.a.programme.id
    second_expert_on(world)
    db.session.remove()

    # The coordinator asks for psychological support.
    sign_in_as(page, "coordinator-a")
    page.get_by_role("link", name="Consultations", exact=True).click()
    page.get_by_role("link", name="consultations", exact=True).click()
    page.get_by_role("link", name="Request a consultation").click()
    psychological_support = page.locator("#topic option", has_text="Psychological support").get_attribute("value")
    page.get_by_label("Topic").select_option(value=psychological_support)
    page.get_by_label("What does the community need from this consultation?").fill(
        "After the searches people are scared and quarrel in the chat.")
    page.get_by_label("Preferred times").fill("Weekday evenings after 19:00")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request was sent.")).to_be_visible()
    consultation_url = page.url
    sign_out(page)

    # The assigned expert finds the request, schedules it and logs it.
    sign_in_as(page, "expert-a")
    page.get_by_role("link", name="Consultations", exact=True).click()
    page.get_by_role("link", name="Your consultations and KPIs").click()
    page.get_by_role("link", name=re.compile("^Psychological support")).click()
    page.get_by_role("link", name="Schedule").click()
    starts = (datetime.now(timezone.utc) + timedelta(days=2)).strftime("%Y-%m-%dT19:00")
    page.get_by_label("Date and time").fill(starts)
    page.get_by_role("radio", name="Online").check()
    page.get_by_label("Link to the online meeting").fill("https://meet.example.org/quiet-room")
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.get_by_text("The consultation is scheduled.")).to_be_visible()
    expect(page.get_by_role("link", name="Log the consultation")).to_have_count(0)  # not before it takes place

    # The consultation takes place: once its time has passed, the expert logs it.
    with tenancy.system_scope():
        db.session.execute(update(Consultation).values(starts_at=datetime.now(timezone.utc) - timedelta(hours=1)))
        db.session.commit()
    page.reload()
    page.get_by_role("link", name="Log the consultation").click()
    page.get_by_label("Duration in minutes").fill("75")
    page.get_by_label("Summary shared with the community").fill(SUMMARY)
    page.get_by_label("Private notes (optional)").fill(NOTES)
    first_row = page.get_by_role("group", name="Follow-up 1")
    first_row.get_by_label("Task").fill(TASK)
    first_row.get_by_label("Who does it").select_option(label="coordinator-a")
    first_row.get_by_label("Due date").fill((date.today() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Save the log").click()
    expect(page.get_by_text("The consultation is logged.")).to_be_visible()
    page.get_by_role("link", name="Read the private notes").click()
    expect(page.get_by_text(NOTES)).to_be_visible()
    expect(page.get_by_text("Notes on this topic are readable by their author only; they cannot be shared.")).to_be_visible()
    notes_url = page.url
    sign_out(page)

    # The coordinator reads the summary and the follow-up, never the notes.
    sign_in_as(page, "coordinator-a")
    page.goto(consultation_url)
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    expect(page.get_by_role("cell", name=TASK)).to_be_visible()
    expect(page.get_by_text("Private notes on this topic are readable by their author only.")).to_be_visible()
    assert NOTES not in page.content()
    page.goto(notes_url)
    assert NOTES not in page.content()

    # The follow-up is on the community's progress page.
    page.goto(f"/communities/{community_id}/programmes/{programme_id}/progress")
    section = page.locator("section", has=page.get_by_role("heading", name="Follow-ups from consultations"))
    expect(section.get_by_role("cell", name=TASK)).to_be_visible()
    # And on the community's own list of follow-ups.
    page.goto(f"/communities/{community_id}/follow-ups")
    expect(page.get_by_role("cell", name=TASK)).to_be_visible()
    sign_out(page)

    # Another expert assigned to the community sees the summary, not the notes.
    sign_in_as(page, "expert-a-two")
    page.goto(consultation_url)
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    assert page.get_by_role("link", name="Read the private notes").count() == 0
    page.goto(notes_url)
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    assert NOTES not in page.content()
    sign_out(page)

    # The operator sees the topic and the duration, neither the summary nor the notes.
    sign_in_as(page, "operator-a")
    page.goto(consultation_url)
    expect(page.get_by_text("75 minutes")).to_be_visible()
    assert SUMMARY not in page.content() and NOTES not in page.content() and TASK not in page.content()
    page.goto(notes_url)
    assert NOTES not in page.content()

    assert page_activity.requests_elsewhere() == []
    # The only errors are the three refusals asked for above (the notes page, as three people).
    refused = "Failed to load resource: the server responded with a status of 403 (FORBIDDEN)"
    assert page_activity.console_errors == [refused] * 3
