"""A person signs in, switches the language and signs out, in Debian's Chromium."""

import pytest
from playwright.sync_api import expect

from hromada.extensions import db
from hromada.testing.factories import PASSWORD, build_world

pytestmark = pytest.mark.browser


def test_sign_in_switch_language_and_sign_out(app, page, page_activity):
    world = build_world()
    community_name = world.a.communities[0].name
    db.session.remove()

    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Handle or e-mail").fill("coordinator-a")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as coordinator-a")).to_be_visible()

    page.get_by_role("link", name="My communities").click()
    expect(page.get_by_role("link", name=community_name)).to_be_visible()

    page.get_by_label("Language").select_option("uk")
    page.get_by_role("button", name="Change").click()
    assert page.locator("html").get_attribute("lang") == "uk"
    expect(page.get_by_role("heading", name="Мої спільноти")).to_be_visible()

    page.get_by_role("button", name="Вийти").click()
    expect(page.get_by_role("link", name="Увійти")).to_be_visible()
    page.goto("/communities")
    assert "/sign-in" in page.url

    assert page_activity.requests_elsewhere() == []
    assert page_activity.console_errors == []
