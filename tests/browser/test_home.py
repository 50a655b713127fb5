"""The home page in a real browser: the programme, the language switch, nothing from elsewhere."""

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from hromada.demo import PROGRAMME, seed_demo

pytestmark = pytest.mark.browser


def test_home_page_shows_the_programme_and_switches_to_ukrainian(app, page, page_activity):
    seed_demo(app.extensions["hromada.stage_types"])
    with force_locale("uk"):
        ukrainian_heading = gettext("Support programmes for communities")

    page.goto("/")
    expect(page).to_have_title("Support programmes for communities · Hromada")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name=PROGRAMME["title"])).to_be_visible()

    # A plain HTML form post, which needs no JavaScript.
    page.get_by_label("Language").select_option(label="Українська")
    page.get_by_role("button", name="Change").click()

    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.locator("select[name=language]")).to_have_value("uk")
    expect(page.get_by_role("heading", level=1)).to_have_text(ukrainian_heading)
    # The programme is run in Ukrainian too: its card shows its Ukrainian title.
    expect(page.get_by_role("heading", name=PROGRAMME["translations"]["uk"]["title"])).to_be_visible()

    assert any(url.endswith("/static/hromada.css") for url in page_activity.requests)
    assert page_activity.requests_elsewhere() == []
    assert page_activity.console_errors == []
