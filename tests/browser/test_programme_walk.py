"""A community's way through the first stage of a three-stage programme, in Debian's Chromium.

Issue #4's "done when", walked through the pages only: the operator builds the
programme (incubator, accelerator, civic course) and opens its call; a new
community signs up through the call and is admitted; the operator runs a course
session and marks attendance; advancing is refused while the stage's
requirements are open (the incubator also asks for a security audit, which the
assigned expert carries out after a security consultation) and allowed once
they are met; the community sees its progress; a mentor assigned to it sees it
and no other community. Only the people (and the world around them) are made by
the factories.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import StaffMembership, StaffRole
from hromada.testing.browser import sign_in_as, sign_out
from hromada.testing.factories import PASSWORD, build_world, make_user

pytestmark = pytest.mark.browser

PROGRAMME = "Valley communities 2027"
COMMUNITY = "Willow Bank Neighbours"
COURSE = "Soft skills and emotional resilience"
SECURITY_TOPIC = "Security: safe communication inside the community and with partners"
CHECKLIST_POINTS = 7


def a_mentor_without_communities(world) -> None:
    """A mentor of A's organisation whom nobody has assigned to a community yet."""
    with tenancy.system_scope():
        mentor = make_user("mentor-valley", second_factor=True)  # staff sign in with a second factor
        db.session.add(StaffMembership(organisation_id=world.a.organisation.id, user_id=mentor.id,
                                       role=StaffRole.MENTOR))
        db.session.commit()


def build_the_programme(page) -> None:
    """The operator creates the programme and its three stages; the incubator asks for no networking event."""
    page.get_by_role("link", name="Programmes", exact=True).click()
    page.get_by_role("link", name="New programme").click()
    page.get_by_label("Title", exact=True).fill(PROGRAMME)
    page.get_by_label("Description").fill("Three stages, from first steps to a change map.")
    page.get_by_label("Starts on").fill("2027-02-01")
    page.get_by_label("Ends on").fill("2027-12-20")
    page.get_by_role("button", name="Create the programme").click()
    expect(page.get_by_role("heading", name=PROGRAMME)).to_be_visible()
    for key in ("incubator", "accelerator", "civic_course"):
        page.get_by_label("Stage type").select_option(key)
        page.get_by_role("button", name="Add the stage").click()
        expect(page.get_by_role("heading", name=re.compile("Edit the stage"))).to_be_visible()
        if key == "incubator":
            # Keeps the walk to one course; the security audit stays required.
            page.get_by_label("Networking events each community attends").fill("0")
            page.get_by_role("button", name="Save").click()
        else:
            page.get_by_role("link", name=PROGRAMME).click()
    rows = page.locator("table.stages-table tbody tr")
    expect(rows).to_have_count(3)
    assert [re.sub(r"\s+", " ", rows.nth(n).locator("th").inner_text()) for n in range(3)] == [
        "Incubator: creating and preserving communities",
        "Accelerator: strategic development of communities and initiatives",
        "Civic course: becoming a political actor",
    ]
    # A new programme is a draft until the operator publishes it.
    page.get_by_role("button", name="Publish the programme").click()
    expect(page.get_by_text("The programme is published")).to_be_visible()


def open_the_call(page) -> str:
    """The operator adds a question and opens the call; returns the call page's address."""
    page.get_by_role("link", name="Call and application form").click()
    page.get_by_label("Question", exact=True).fill("What unites your community?")
    page.get_by_label("Kind of answer").select_option("long_text")
    page.get_by_label("An answer is required").check()
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text("The question is added.")).to_be_visible()
    page.get_by_label("The call is open: new communities can apply").check()
    page.get_by_label("Text of the call").fill("Communities of the valley: apply before spring.")
    page.get_by_role("button", name="Save the call").click()
    return page.locator("main a[href^='/calls/']").get_attribute("href")


def sign_up_through_the_call(tab, call_url: str) -> None:
    """Somebody nobody knows yet signs up a new community through the public call page."""
    tab.goto(call_url)
    expect(tab.get_by_text("Communities of the valley: apply before spring.")).to_be_visible()
    tab.get_by_label("Name of the community").fill(COMMUNITY)
    tab.get_by_label("Handle").fill("willow")
    tab.get_by_label("Password", exact=True).fill(PASSWORD)
    tab.get_by_label("Password again").fill(PASSWORD)
    tab.get_by_label("What unites your community? (required)").fill("The river bank we clean every spring.")
    tab.get_by_role("button", name="Sign up and apply").click()
    expect(tab.get_by_text("Signed in as willow")).to_be_visible()
    expect(tab.get_by_text("Waiting for a decision")).to_be_visible()


def open_progress(tab, via: str) -> None:
    """The community's progress page, from "My communities" (its members) or "Communities I support" (staff)."""
    tab.get_by_role("link", name=via, exact=True).click()
    tab.get_by_role("link", name=COMMUNITY).click()
    tab.get_by_role("link", name=f"Progress in {PROGRAMME}").click()
    expect(tab.get_by_role("heading", name=f"{PROGRAMME}: progress")).to_be_visible()


def stage_row(tab, number: int):
    """The row of the progress page's stage table for the stage at this position (from 1)."""
    return tab.locator("table.stage-progress tbody tr").nth(number - 1)


def expect_stage(tab, number: int, *cells: str) -> None:
    """The stage's row reads these cells, in order, after its name (status, admitted, started, completed)."""
    expect(stage_row(tab, number).locator("td")).to_have_text(list(cells))


def assign(page, person: str) -> None:
    """On the community's progress page, the operator assigns a member of the organisation's staff."""
    page.get_by_role("link", name="Assign staff").click()
    page.get_by_label("Person and role").select_option(label=person)
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text(f"{person.split(' — ')[0]} is assigned.")).to_be_visible()
    page.get_by_role("link", name="The community's progress page").click()


def request_consultation(tab, topic: str, needs: str) -> None:
    tab.get_by_role("link", name="Consultations", exact=True).click()
    tab.get_by_role("link", name="consultations", exact=True).click()
    tab.get_by_role("link", name="Request a consultation").click()
    tab.get_by_label("Topic").select_option(value=tab.locator("#topic option", has_text=topic).get_attribute("value"))
    tab.get_by_label("What does the community need from this consultation?").fill(needs)
    tab.get_by_label("Preferred times").fill("Weekday evenings after 19:00")
    tab.get_by_role("button", name="Send the request").click()
    expect(tab.get_by_text("Your request was sent.")).to_be_visible()


def the_consultation_takes_place() -> None:
    """Its time passes: only then can it be logged as held."""
    from sqlalchemy import update

    from hromada.modules.consultations.models import Consultation, ConsultationStatus

    with tenancy.system_scope():
        db.session.execute(update(Consultation).where(Consultation.status == ConsultationStatus.SCHEDULED)
                           .values(starts_at=datetime.now(timezone.utc) - timedelta(hours=1)))
        db.session.commit()


def hold_the_security_audit(tab) -> None:
    """The assigned expert holds the security consultation, then assesses every point of the checklist."""
    sign_in_as(tab, "expert-a")
    tab.get_by_role("link", name="Consultations", exact=True).click()
    tab.get_by_role("link", name="Your consultations and KPIs").click()
    tab.get_by_role("link", name=SECURITY_TOPIC).click()
    tab.get_by_role("link", name="Schedule").click()
    tab.get_by_label("Date and time").fill((datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%dT19:00"))
    tab.get_by_role("radio", name="Online").check()
    tab.get_by_label("Link to the online meeting").fill("https://meet.example.org/willow-safety")
    tab.get_by_role("button", name="Save the schedule").click()
    expect(tab.get_by_text("The consultation is scheduled.")).to_be_visible()
    the_consultation_takes_place()
    tab.reload()
    tab.get_by_role("link", name="Log the consultation").click()
    tab.get_by_label("Duration in minutes").fill("90")
    tab.get_by_label("Summary shared with the community").fill("We went through the security checklist together.")
    tab.get_by_role("button", name="Save the log").click()
    expect(tab.get_by_text("The consultation is logged.")).to_be_visible()

    open_progress(tab, via="Communities I support")
    tab.get_by_role("link", name="Open the security audit").click()
    tab.get_by_role("button", name="Start the audit").click()
    for number in range(1, CHECKLIST_POINTS + 1):
        point = tab.locator("section.audit-item").nth(number - 1)
        point.get_by_label("What you found").fill(f"Point {number}: mostly in order.")
        point.get_by_label("Risk").select_option(label="Low risk")
        point.get_by_label("What the community should do").fill(f"Point {number}: keep it up.")
        point.get_by_role("button", name="Save").click()
        expect(tab.get_by_text(f"{number} of {CHECKLIST_POINTS} points assessed")).to_be_visible()
    tab.get_by_role("button", name="Complete the audit").click()
    expect(tab.get_by_text("The audit is complete.")).to_be_visible()
    sign_out(tab)


def test_an_operator_runs_a_community_through_the_first_stage(app, page, page_activity, new_tab):
    world = build_world()
    other_community_progress = f"/communities/{world.a.communities[0].id}/programmes/{world.a.programme.id}/progress"
    a_mentor_without_communities(world)
    db.session.remove()
    # As the pages show a date: in UTC, in English (the browser asks for en-GB; the app has "en").
    today = format_date(datetime.now(timezone.utc).date(), "medium", locale="en")

    # The operator builds the programme and opens its call.
    sign_in_as(page, "operator-a")
    build_the_programme(page)
    call_url = open_the_call(page)

    # A new community signs up through the call page, in a browser of its own; the operator admits it.
    community = new_tab()
    sign_up_through_the_call(community, call_url)
    page.get_by_role("link", name=PROGRAMME).click()
    page.get_by_role("link", name="Applications", exact=True).click()
    expect(page.get_by_text("The river bank we clean every spring.")).to_be_visible()
    page.get_by_role("button", name=re.compile(rf"^Admit\W+{COMMUNITY}$")).click()
    expect(page.get_by_text("The community is admitted")).to_be_visible()

    # The operator adds a course of the incubator's catalogue to the first stage, with a session held yesterday.
    page.get_by_role("link", name="Courses", exact=True).click()
    page.get_by_role("link", name=PROGRAMME).click()
    incubator = page.locator("section", has=page.get_by_role("heading", name=re.compile(r"^1\. Incubator")))
    incubator.get_by_label("Course from the catalogue").select_option(label=COURSE)
    incubator.get_by_role("button", name="Add this course").click()
    expect(page.get_by_role("heading", name=COURSE)).to_be_visible()
    page.get_by_role("link", name="Add a session").click()
    yesterday = date.today() - timedelta(days=1)
    page.get_by_label("Starts").fill(f"{yesterday.isoformat()}T18:00")
    page.get_by_label("Ends").fill(f"{yesterday.isoformat()}T20:00")
    page.get_by_label("Link to the online meeting").fill("https://meet.example.org/soft-skills")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The session was added.")).to_be_visible()
    expect(page.get_by_text("A member completes it by attending 1 of its 1 sessions (70% in this stage).")).to_be_visible()
    course_url = page.url

    # The community's coordinator joins the course; the community is admitted to the stage, not yet active.
    community.get_by_role("link", name="Courses", exact=True).click()
    community.get_by_role("link", name=COURSE).click()
    community.get_by_role("button", name="Join the course").click()
    expect(community.get_by_text("You joined the course.")).to_be_visible()
    open_progress(community, via="My communities")
    expect_stage(community, 1, "Admitted", today, "—", "—")

    # The operator marks the participant present.
    page.get_by_role("link", name="Attendance").click()
    page.get_by_role("checkbox", name="willow").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance was saved.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="willow")).to_be_checked()
    page.goto(course_url)
    expect(page.get_by_role("row", name=re.compile(rf"^{COMMUNITY}\s+1 of 1\s+yes$"))).to_be_visible()

    # The community has started the stage: it is active since today.
    community.reload()
    expect_stage(community, 1, "Active", today, today, "—")

    # Advancing is refused while the security audit is not done, and the operator reads why.
    open_progress(page, via="Communities I support")
    requirements = page.locator("ul.requirements").first
    expect(requirements.get_by_text("Required courses completed")).to_be_visible()
    expect(requirements.locator("li.met")).to_have_text([re.compile("Required courses completed")])
    expect(requirements.locator("li.open")).to_have_text(
        [re.compile(r"Open: Security audit completed\s+— security audit not completed")])
    page.get_by_role("button", name="Advance to the next stage").click()
    expect(page.get_by_role("alert")).to_have_text("Some requirements of this stage are still open.")
    expect(page.get_by_text("security audit not completed")).to_be_visible()

    # The operator assigns the organisation's expert; the community asks for a security consultation.
    open_progress(page, via="Communities I support")
    assign(page, "expert-a — Expert")
    request_consultation(community, SECURITY_TOPIC, "We want to know whether our chats are safe.")
    hold_the_security_audit(new_tab())

    # Every requirement is met: the operator advances the community.
    page.reload()
    expect(page.get_by_text("Every requirement of this stage is met.")).to_be_visible()
    page.get_by_role("button", name="Advance to the next stage").click()
    expect(page.get_by_text("The community has moved to the next stage.")).to_be_visible()

    # The community sees the first stage completed and the second as its current stage, active once it acts there.
    open_progress(community, via="My communities")
    expect_stage(community, 1, "Completed", today, today, today)
    expect_stage(community, 2, "Admitted", today, "—", "—")
    expect(stage_row(community, 2)).to_have_attribute("aria-current", "step")
    expect(community.get_by_text(re.compile(r"Stage Accelerator: .*admitted since"))).to_be_visible()
    request_consultation(community, "Strategy: values, vision", "We want to write our strategic goals.")
    open_progress(community, via="My communities")
    expect_stage(community, 2, "Active", today, today, "—")
    expect(community.get_by_text(re.compile(r"Stage Accelerator: .*active since"))).to_be_visible()

    # The operator assigns a mentor, who sees this community and no other.
    assign(page, "mentor-valley — Mentor")
    mentor = new_tab()
    sign_in_as(mentor, "mentor-valley")
    mentor.get_by_role("link", name="Communities I support").click()
    rows = mentor.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td")).to_have_text([COMMUNITY, PROGRAMME, re.compile("^Accelerator"), "Mentor"])
    open_progress(mentor, via="Communities I support")
    expect_stage(mentor, 2, "Active", today, today, "—")
    response = mentor.goto(other_community_progress)
    assert response.status == 404
    expect(mentor.get_by_role("heading", name="Page not found")).to_be_visible()
    assert "secret-a1" not in mentor.content()

    assert page_activity.requests_elsewhere() == []
    # The only errors are the two refusals asked for above: advancing too early, another community's page.
    assert page_activity.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (BAD REQUEST)",
        "Failed to load resource: the server responded with a status of 404 (NOT FOUND)",
    ]
