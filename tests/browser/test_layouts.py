"""Layouts that fit (issue #16), in Debian's Chromium on the demo's data.

At a phone's 390 px no page of a role's navigation, and none of the community,
programme, progress and cohort pages the role may open, is wider than the
screen: wide tables scroll inside their own box. At 1280 px the cohort table
uses the screen's width, with short stage labels and a funnel whose labels are
whole and whose bars of 0 can be seen.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from hromada import tenancy
from hromada.demo import ADMIN_HANDLE, COMMUNITIES, DEMO_PASSWORD, seed_demo
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.testing.browser import sign_in_as, sign_out

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# A demo account per role, and which of the community, programme, progress and cohort pages it opens.
ROLES = {
    "olena-operator": ("community", "programme", "progress", "cohort", "public programme", "programme texts"),
    "mykola-mentor": ("community", "progress"),
    "iryna-expert": ("community", "progress"),
    "taras-facilitator": ("community", "progress"),
    "sova": ("community", "progress", "public programme"),  # a coordinator
    "lys": ("community", "progress"),  # a member
    # The demo's platform admin, renamed: its handle "admin" is also a word of the admin pages' paths,
    # which the browser tests' check for handles in the logs would take for a leak.
    "demo-admin": (),
}
FULL_TITLES = {
    "Incubator": "Incubator: creating and preserving communities",
    "Accelerator": "Accelerator: strategic development of communities and initiatives",
    "Civic course": "Civic course: becoming a political actor",
}


@pytest.fixture
def demo(app):
    data = seed_demo(app.extensions["hromada.stage_types"])
    with tenancy.system_scope():
        programme = data["programme"]
        community = next(c for c in data["communities"] if c.name == "Riverside Yard Circle")
        organisation_path = f"/organisations/{programme.organisation_id}/programmes/{programme.id}"
        paths = {
            "community": f"/communities/{community.id}",
            "programme": organisation_path,
            "progress": f"/communities/{community.id}/programmes/{programme.id}/progress",
            "cohort": f"{organisation_path}/cohort",
            "public programme": f"/programmes/{programme.id}",
            "programme texts": f"{organisation_path}/texts",
        }
        db.session.scalar(select(User).where(User.handle == ADMIN_HANDLE)).handle = "demo-admin"
        db.session.commit()
    return paths


def navigation_paths(page) -> list[str]:
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    return [urlsplit(href).path for href in links.evaluate_all("links => links.map(link => link.href)")]


def page_width(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def test_no_page_of_any_role_is_wider_than_a_phone(page, demo):
    page.set_viewport_size(PHONE)
    too_wide, seen = [], {}
    for handle, extra_pages in ROLES.items():
        sign_in_as(page, handle, DEMO_PASSWORD)
        paths = navigation_paths(page) + [demo[name] for name in extra_pages]
        assert len(paths) >= 3, (handle, paths)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, (handle, path, response.status)
            scroll_width, viewport = page_width(page)
            if scroll_width > viewport:
                too_wide.append((handle, path, scroll_width))
        seen[handle] = paths
        # The header is one compact block whoever is signed in: brand and tools, then one row of links.
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 200, (handle, header["height"])
        sign_out(page)
    assert too_wide == [], f"pages wider than {PHONE['width']} px: {too_wide}"
    assert {demo["cohort"], demo["progress"], demo["programme"]} <= set(seen["olena-operator"])


def test_the_cohort_uses_a_wide_screen_with_short_stage_labels_and_a_readable_funnel(page, demo):
    page.set_viewport_size(DESKTOP)
    sign_in_as(page, "olena-operator", DEMO_PASSWORD)
    page.goto(demo["cohort"])

    scroll_width, viewport = page_width(page)
    assert scroll_width <= viewport
    table_box = page.locator("table.cohort").locator("xpath=..").bounding_box()
    assert table_box["width"] >= 0.8 * viewport, table_box

    # Short stage labels, each on one line, with the full title on hover.
    stage_cells = page.locator("table.cohort tbody td .stage-name")
    expect(stage_cells).to_have_count(len(COMMUNITIES))  # a row per demo community
    line_height = page.evaluate("parseFloat(getComputedStyle(document.querySelector('table.cohort td')).lineHeight)")
    for index in range(len(COMMUNITIES)):
        cell = stage_cells.nth(index)
        short = cell.inner_text()
        assert cell.get_attribute("title") == FULL_TITLES[short]
        assert cell.bounding_box()["height"] < 1.5 * line_height, short

    # The funnel: whole labels, a legend, a bar of 0 drawn as a visible mark.
    labels = page.locator(".funnel-rows dt")
    expect(labels).to_have_text(["1. Incubator", "2. Accelerator", "3. Civic course"])
    for index in range(3):
        label = labels.nth(index)
        assert label.evaluate("element => element.scrollWidth <= element.clientWidth")
    legend = page.locator(".funnel .chart-legend")
    expect(legend).to_contain_text("Entered the stage")
    expect(legend).to_contain_text("Completed it")
    zero_marks = page.locator(".funnel .funnel-zero")
    expect(zero_marks).to_have_count(3)  # nobody has completed a stage yet
    assert all(zero_marks.nth(n).bounding_box()["width"] >= 1 for n in range(3))
    # The full titles stay on the page, in the table of the same numbers.
    for title in FULL_TITLES.values():
        expect(page.locator("table.funnel-table").get_by_role("rowheader", name=title, exact=False)).to_be_visible()
