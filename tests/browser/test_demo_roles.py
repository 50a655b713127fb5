"""A new operator's first day (issue #16), in Debian's Chromium on the `make run` demo data.

Each demo role signs in as README says (staff and the admin with the code of the published demo
authenticator secret) and opens every page of its navigation: none answers with an error, and
none is an empty state where the demo should show what the page is for.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from hromada import tenancy
from hromada.demo import ADMIN_HANDLE, DEMO_PASSWORD, seed_demo
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.testing.browser import sign_in_as, sign_out

pytestmark = pytest.mark.browser

# One demo account per role (README's table). The admin is renamed as in test_layouts: "admin" is also
# a word of the admin pages' paths, which the logs' check for handles would take for a leak.
ROLES = ("demo-admin", "olena-operator", "mykola-mentor", "iryna-expert", "taras-facilitator", "sova", "lys")
# What a page says when it has nothing to show: "No events are planned for now.", "Nothing new.", …
EMPTY_STATE = re.compile(
    r"\b(No|Nothing|None)\b[^.]{0,80}\b(yet|for now|planned|so far)\b|^Nothing new\.$|\bnone yet\b",
    re.IGNORECASE | re.MULTILINE,
)


@pytest.fixture
def demo(app):
    seed_demo(app.extensions["hromada.stage_types"])
    with tenancy.system_scope():
        db.session.scalar(select(User).where(User.handle == ADMIN_HANDLE)).handle = "demo-admin"
        db.session.commit()


def navigation_paths(page) -> list[str]:
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    paths = [urlsplit(href).path for href in links.evaluate_all("links => links.map(link => link.href)")]
    return list(dict.fromkeys(paths))


def test_every_demo_role_finds_every_page_of_its_navigation_filled(page, demo):
    errors, empty, opened = [], [], {}
    for handle in ROLES:
        sign_in_as(page, handle, DEMO_PASSWORD)
        paths = navigation_paths(page)
        assert len(paths) >= 2, (handle, paths)
        for path in paths:
            response = page.goto(path)
            if response.status != 200:
                errors.append((handle, path, response.status))
                continue
            main = page.locator("main").inner_text().strip()
            heading = page.locator("main h1").first.inner_text().strip()
            if len(main) <= len(heading) + 20 or EMPTY_STATE.search(main):
                found = EMPTY_STATE.search(main)
                empty.append((handle, path, found.group(0) if found else main[:80]))
        opened[handle] = paths
        sign_out(page)
    assert errors == [], "\n".join(map(str, errors))
    assert empty == [], "\n".join(map(str, empty))
    # Staff, coordinators and members each reach more than their home and account.
    assert all(len(paths) >= 3 for handle, paths in opened.items() if handle != "demo-admin"), opened
