"""Every page a role may use is reachable by following links from the home page.

For each role, the test follows every link of every page it reaches from `/` (the test
client, not a browser), then opens every page it may open by URL: the GET routes
whose arguments are its own community, organisation and programme (routes that take
an object's id are reached through the pages listing those objects, which this
finds). A page the role opens with 200 that no link leads to is a page nobody finds.
The routes are read from `app.url_map`, so a module's or a plugin's new page is
checked without touching this file.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import update
from werkzeug.exceptions import HTTPException

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.communities.models import Enrolment
from hromada.modules.programmes.models import Stage
from hromada.testing.factories import ROLES, sign_in

ALL_ROLES = ("admin", *ROLES)

# Pages reached by other means than a link, with the reason. Keep it short.
NOT_LINKED = {
    "health.health": "for load balancers and monitoring, not people",
    "home.index": "the start of the crawl",
    "factors.confirm": "where a page that needs a recent second factor sends the person, and back",
}
# Links the crawl does not follow: they end the session, or answer with a file rather than a page.
NOT_FOLLOWED = {"accounts.sign_out"}
LIMIT = 600  # pages per role: far more than the test world has; a loop of links fails instead of hanging


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def endpoint_of(adapter, path: str) -> str | None:
    try:
        endpoint, _arguments = adapter.match(path, method="GET")
    except HTTPException:
        return None
    return endpoint


def crawl(app, client) -> set[str]:
    """The endpoints reached by following links from `/`."""
    adapter = app.url_map.bind("localhost")
    seen, reached, queue = {"/"}, set(), deque(["/"])
    while queue:
        assert len(seen) <= LIMIT, "the crawl found more pages than the test world can have"
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        reached.add(endpoint_of(adapter, path))
        for href in links_of(response.get_data(as_text=True)):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/static/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            endpoint = endpoint_of(adapter, parts.path)
            if endpoint is None or endpoint in NOT_FOLLOWED or target in seen:
                continue
            reached.add(endpoint)  # linked: found, even where this role's page answers otherwise
            seen.add(target)
            queue.append(target)
    return reached


def through_every_stage(world) -> None:
    """A's programme gets the accelerator and the civic course after its incubator, and A's first
    community is in the last: every stage's pages now belong to it and must be found."""
    with tenancy.system_scope():
        stages = [Stage(programme_id=world.a.programme.id, position=position, stage_type=stage_type)
                  for position, stage_type in ((1, "accelerator"), (2, "civic_course"))]
        db.session.add_all(stages)
        db.session.flush()
        db.session.execute(update(Enrolment).where(Enrolment.tenant_id == world.a.communities[0].id)
                           .values(current_stage_id=stages[-1].id))
        db.session.commit()
    db.session.remove()


def own_arguments(world) -> dict:
    return {"community_id": world.a.communities[0].id, "organisation_id": world.a.organisation.id,
            "programme_id": world.a.programme.id}


def pages_the_role_opens(app, client, world) -> set[str]:
    """GET routes that take no argument but the role's own community, organisation or programme, and answer 200."""
    own = own_arguments(world)
    opened = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_LINKED or rule.endpoint == "static":
            continue
        if not set(rule.arguments) <= set(own):
            continue
        path = rule.build({name: own[name] for name in rule.arguments}, append_unknown=False)[1]
        response = client.get(path)
        if response.status_code == 200 and response.mimetype == "text/html":
            opened.add(rule.endpoint)
    return opened


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_page_a_role_may_open_is_linked_from_its_pages(app, world, role):
    through_every_stage(world)
    client = app.test_client()
    assert sign_in(client, "platform-admin" if role == "admin" else f"{role}-a").status_code == 302
    reached = crawl(app, client)
    unlinked = sorted(pages_the_role_opens(app, client, world) - reached)
    assert not unlinked, f"{role} may open these pages, but no link leads there: {unlinked}"
    assert len(reached) >= 4, reached  # the crawl went somewhere: not a broken home page
