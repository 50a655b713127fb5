"""An operator builds a three-stage programme and opens its call; a new community signs up and is admitted.

Two browser contexts (no shared cookies): the operator's and the new community's.
Everything goes through the pages, in Debian's Chromium, without JavaScript of ours.
"""

import re

import pytest
from playwright.sync_api import expect

from hromada.extensions import db
from hromada.modules.factors.testing import forget_used_codes, totp_code
from hromada.testing.factories import PASSWORD, build_world

pytestmark = pytest.mark.browser


def test_operator_builds_a_programme_opens_a_call_and_admits_a_new_community(app, page, page_activity, new_tab):
    build_world()
    db.session.remove()

    # The operator signs in and creates the programme.
    page.goto("/sign-in")
    page.get_by_label("Handle or e-mail").fill("operator-a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Staff sign in with a second factor: the code their authenticator app shows, computed here.
    expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
    forget_used_codes("operator-a")
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(totp_code())
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Programmes", exact=True).click()
    page.get_by_role("link", name="New programme").click()
    page.get_by_label("Title", exact=True).fill("Valley communities 2027")
    page.get_by_label("Description").fill("Three stages, from first steps to a change map.")
    assert page.get_by_label("English").is_checked()  # the operator's language, to start with
    page.get_by_label("Українська").check()
    page.get_by_label("Starts on").fill("2027-02-01")
    page.get_by_label("Ends on").fill("2027-12-20")
    page.get_by_role("button", name="Create the programme").click()
    expect(page.get_by_role("heading", name="Valley communities 2027")).to_be_visible()

    # Three stages, one of each first-party type; the incubator asks for two networking events.
    for key in ("incubator", "accelerator", "civic_course"):
        page.get_by_label("Stage type").select_option(key)
        page.get_by_role("button", name="Add the stage").click()
        expect(page.get_by_role("heading", name=re.compile("Edit the stage"))).to_be_visible()
        if key == "incubator":
            page.get_by_label("Networking events each community attends").fill("2")
            page.get_by_role("button", name="Save").click()
        else:
            page.get_by_role("link", name="Valley communities 2027").click()
    rows = page.locator("table.stages-table tbody tr")
    assert rows.count() == 3
    assert "Incubator" in rows.nth(0).inner_text() and "Civic course" in rows.nth(2).inner_text()
    # A new programme is a draft: the operator publishes it once it has its stages.
    expect(page.locator("h1 .draft-badge")).to_be_visible()
    page.get_by_role("button", name="Publish the programme").click()
    expect(page.get_by_text("The programme is published")).to_be_visible()

    # The call opens with one question.
    page.get_by_role("link", name="Call and application form").click()
    page.get_by_label("Question", exact=True).fill("What unites your community?")
    page.get_by_label("Kind of answer").select_option("long_text")
    page.get_by_label("An answer is required").check()
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text("The question is added.")).to_be_visible()
    page.get_by_label("The call is open: new communities can apply").check()
    page.get_by_label("Text of the call").fill("Communities of the valley: apply before spring.")
    page.get_by_role("button", name="Save the call").click()
    call_url = page.locator("main a[href^='/calls/']").get_attribute("href")

    # A new community signs up through the call page, in a browser of its own.
    newcomer = new_tab()
    newcomer.goto(call_url)
    expect(newcomer.get_by_text("Communities of the valley: apply before spring.")).to_be_visible()
    expect(newcomer.get_by_role("heading", name="Incubator: creating and preserving communities")).to_be_visible()
    newcomer.get_by_label("Name of the community").fill("Willow Bank Neighbours")
    newcomer.get_by_label("Handle").fill("willow")
    newcomer.get_by_label("Password", exact=True).fill(PASSWORD)
    newcomer.get_by_label("Password again").fill(PASSWORD)
    newcomer.get_by_label("What unites your community? (required)").fill("The river bank we clean every spring.")
    newcomer.get_by_role("button", name="Sign up and apply").click()
    expect(newcomer.get_by_text("Signed in as willow")).to_be_visible()
    expect(newcomer.get_by_text("Waiting for a decision")).to_be_visible()

    # The operator reads the application and admits the community.
    page.get_by_role("link", name="Valley communities 2027").click()
    page.get_by_role("link", name="Applications", exact=True).click()
    expect(page.get_by_role("heading", name="Willow Bank Neighbours")).to_be_visible()
    expect(page.get_by_text("The river bank we clean every spring.")).to_be_visible()
    page.get_by_label("Message to the community").first.fill("Welcome to the valley programme!")
    page.get_by_role("button", name=re.compile(r"^Admit\W+Willow Bank Neighbours$")).click()
    expect(page.get_by_text("The community is admitted")).to_be_visible()

    # The coordinator sees the enrolment on the community's page.
    newcomer.get_by_role("link", name="My communities").click()
    newcomer.get_by_role("link", name="Willow Bank Neighbours").click()
    article = newcomer.locator("article", has_text="Valley communities 2027")
    expect(article).to_contain_text("Incubator")
    newcomer.get_by_role("link", name="Applications", exact=True).click()
    expect(newcomer.get_by_text("Welcome to the valley programme!")).to_be_visible()

    assert page_activity.requests_elsewhere() == []
    assert page_activity.console_errors == []
