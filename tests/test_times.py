"""One way to show time (issue #16): every date and time in the reader's language and time zone, named.

The demo's pages, crawled by every demo role, show no ISO-like "2026-12-06 01:43" and no "12/6/26";
a time says whose clock it is on. The zone is an account setting; the zone lists are Babel's names in
the reader's language with IANA values; a time typed into a form is read in the zone the form names.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from hromada import tenancy
from hromada.clock import as_utc
from hromada.demo import ADMIN_HANDLE, DEMO_PASSWORD, STAFF, seed_demo
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.modules.consultations.models import Consultation
from hromada.modules.events.testing import make_event
from hromada.testing.factories import csrf_token, sign_in, signed_in

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
US_DAY = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")
NAMED_TIME = re.compile(r"\d{1,2}:\d{2}(\u202f?[AP]M)?\)? ?\((Kyiv time|Warsaw time|Vilnius time|Chișinău time|UTC)\)")
ROLES = (ADMIN_HANDLE, *(handle for handle, _role in STAFF), "sova", "lys", "zhuravel", "chapla")
PAGES_PER_ROLE = 120


class VisibleText(HTMLParser):
    """The text a reader sees: no attributes (a date input's value is ISO by HTML's rule), no scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "textarea"):
            self._hidden += 1
        if tag == "a" and dict(attrs).get("href"):
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    return parser


def crawl(client) -> dict[str, str]:
    """Visible text of the pages reached by links from `/` (those that answer with HTML)."""
    seen, texts, queue = {"/"}, {}, deque(["/"])
    while queue and len(texts) < PAGES_PER_ROLE:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = read(response.get_data(as_text=True))
        texts[path] = " ".join(page.parts)
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/static/"):
                continue
            if parts.path in ("/sign-out",) or parts.path in seen:
                continue
            seen.add(parts.path)
            queue.append(parts.path)
    return texts


@pytest.fixture
def demo(app):
    return seed_demo(app.extensions["hromada.stage_types"])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_demo_page_shows_time_another_way_and_times_name_their_zone(app, demo):
    iso, us, named = [], [], set()
    for handle in ROLES:
        client = app.test_client()
        assert sign_in(client, handle, DEMO_PASSWORD).status_code == 302, handle
        for path, text in crawl(client).items():
            iso += [(handle, path, found) for found in ISO_DAY.findall(text)]
            us += [(handle, path, found) for found in US_DAY.findall(text)]
            if NAMED_TIME.search(text):
                named.add(path)
    assert iso == [], sorted({(path, found) for _handle, path, found in iso})[:30]
    assert us == [], sorted({(path, found) for _handle, path, found in us})[:30]
    # Times of events, sessions, consultations, decisions, notifications: each says whose clock.
    assert len(named) >= 5, named


def test_dates_and_times_read_in_the_readers_language_and_zone(app, world):
    from flask_babel import refresh
    from flask_login import login_user, logout_user

    from hromada.times import format_day, format_moment, format_span, zone_choices

    moment = datetime(2026, 12, 6, 12, 30, tzinfo=timezone.utc)
    with app.test_request_context("/", headers={"Accept-Language": "uk"}):
        refresh()
        assert format_moment(moment) == "6 груд. 2026\u202fр., 14:30 (час: Київ)"
        assert format_day(moment.date()) == "6 груд. 2026\u202fр."
        # An event's own zone, for a reader who has chosen none.
        assert format_span(moment, moment + timedelta(hours=2), zone="Europe/Warsaw") == (
            "6 груд. 2026\u202fр., 13:30–15:30 (час: Варшава)")
        user = db.session.scalar(select(User).where(User.handle == "member-a"))
        user.timezone = "Asia/Tbilisi"
        login_user(user)
        assert format_moment(moment) == "6 груд. 2026\u202fр., 16:30 (час: Тбілісі)"
        assert format_span(moment, moment + timedelta(hours=2), zone="Europe/Warsaw").endswith("16:30–18:30 (час: Тбілісі)")
        europe = next(group for label, group in zone_choices().items() if label == "Європа")
        assert ("Europe/Kyiv", "Київ (Україна)") in {(choice.value, choice.label) for choice in europe}
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        logout_user()
        refresh()  # Flask-Babel keeps the locale on `g`, which the app context the test runs in shares
        assert format_moment(moment) == "Dec 6, 2026, 2:30\u202fPM (Kyiv time)"


def account_form(client, **values):
    data = {"csrf_token": csrf_token(client, "/account"), "display_name": "", "language": "en", **values}
    return client.post("/account", data=data)


def test_the_zone_is_an_account_setting_that_moves_every_time_shown(app, world):
    with tenancy.system_scope():
        event = make_event(world.a.programme, starts_at=datetime(2030, 5, 1, 15, 0, tzinfo=timezone.utc), timezone="Europe/Kyiv")
        db.session.commit()
        event_path = f"/organisations/{event.organisation_id}/programmes/{event.programme_id}/events/{event.id}"
    operator = signed_in(app, "operator-a")
    page = operator.get(event_path).get_data(as_text=True)
    assert "6:00\u202fPM" in page and "(Kyiv time)" in page  # the event's own zone while none is chosen

    account = operator.get("/account").get_data(as_text=True)
    assert '<option value="Europe/Warsaw">Warsaw (Poland)</option>' in account
    assert '<optgroup label="Europe">' in account and "Europe/Warsaw</option>" not in account

    refused = account_form(operator, timezone="Mars/Olympus")
    assert refused.status_code == 200 and "Choose a time zone from the list." in refused.get_data(as_text=True)
    assert db.session.scalar(select(User.timezone).where(User.handle == "operator-a")) is None

    assert account_form(operator, timezone="Europe/Warsaw").status_code == 302
    assert db.session.scalar(select(User.timezone).where(User.handle == "operator-a")) == "Europe/Warsaw"
    page = operator.get(event_path).get_data(as_text=True)
    assert "5:00\u202fPM" in page and "(Warsaw time)" in page and "(Kyiv time)" not in page

    # Another person keeps their own.
    member_view = signed_in(app, "member-a").get("/account").get_data(as_text=True)
    assert '<option selected value="">' in member_view or '<option value="" selected>' in member_view


def test_the_zone_lists_are_named_in_the_readers_language(app, world):
    operator = signed_in(app, "operator-a")
    operator.post("/language", data={"csrf_token": csrf_token(operator, "/"), "language": "uk"})
    programme = world.a.programme
    path = f"/organisations/{programme.organisation_id}/programmes/{programme.id}/events/new"
    page = operator.get(path).get_data(as_text=True)
    assert '<option value="Europe/Kyiv">Київ (Україна)</option>' in page or \
        '<option selected value="Europe/Kyiv">Київ (Україна)</option>' in page
    assert ">Europe/Kyiv<" not in page


def test_a_consultation_time_is_read_in_the_zone_the_form_names(app, world):
    from hromada.modules.consultations.models import ConsultationStatus
    from hromada.modules.consultations.testing import add_consultation

    community_id = world.a.communities[0].id
    consultation = add_consultation(community_id, status=ConsultationStatus.REQUESTED,
                                    requested_by_id=world.a.people["coordinator"].id)
    consultation_id, revision = consultation.id, consultation.revision
    mentor = signed_in(app, "mentor-a")
    assert account_form(mentor, timezone="Europe/Kyiv").status_code == 302
    path = f"/communities/{community_id}/consultations/{consultation_id}/schedule"
    form = mentor.get(path).get_data(as_text=True)
    assert "Time zone: Kyiv (set on your account page)." in form
    staff_id = re.search(r'<option (?:selected )?value="(\d+)"', form.split('name="staff_id"')[1]).group(1)
    response = mentor.post(path, data={
        "csrf_token": csrf_token(mentor, path), "revision": str(revision), "starts_at": "2030-05-01T18:00",
        "mode": "online", "online_link": "https://meet.example.org/x", "place": "", "staff_id": staff_id,
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    with tenancy.system_scope():
        starts = db.session.scalar(select(Consultation.starts_at).where(Consultation.id == consultation_id))
    assert as_utc(starts) == datetime(2030, 5, 1, 15, 0, tzinfo=timezone.utc)  # 18:00 in Kyiv (UTC+3 in May)
    detail = mentor.get(f"/communities/{community_id}/consultations/{consultation_id}").get_data(as_text=True)
    assert "6:00\u202fPM (Kyiv time)" in detail


def test_no_template_shows_time_another_way():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    other_way = re.compile(r"\|\s*(dateformat|datetimeformat|timeformat)\b|strftime\(")
    found = [
        str(path.relative_to(root))
        for folder in ("platform", "plugins", "examples")
        for path in (root / folder).rglob("templates/**/*")
        if path.is_file() and ".venv" not in path.parts and other_way.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_a_notification_tells_its_time_when_it_is_read_in_the_readers_language_and_zone(app, world):
    from flask_babel import refresh

    from hromada.modules.consultations.operations import SCHEDULED
    from hromada.modules.notifications.models import Notification
    from hromada.modules.notifications.service import notify, render
    from hromada.times import moment_param

    member = world.a.people["member"]
    with tenancy.system_scope():
        notify([member.id], key="times-test", message=SCHEDULED,
               params={"when": moment_param(datetime(2030, 5, 1, 15, 0, tzinfo=timezone.utc))})
        db.session.commit()
        notification = db.session.scalar(select(Notification).where(Notification.user_id == member.id))
    assert notification.params["when"] == {"moment": "2030-05-01T15:00:00+00:00"}  # the moment, not a text
    with app.test_request_context("/", headers={"Accept-Language": "uk"}):
        refresh()
        shown = render(notification)
    assert "1 трав. 2030\u202fр., 18:00 (час: Київ)" in shown, shown
