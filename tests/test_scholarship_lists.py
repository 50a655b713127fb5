"""Issue 15: the operator's list of a call's applications and a reviewer's list, a page at a time, filtered by
status and sorted (by date, amount or the reviewers' weighted mean); junk in the query string is refused clearly."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.programmes.models import Programme
from hromada.modules.scholarships import listing
from hromada.modules.scholarships.models import Criterion, Review, ReviewStatus, ScholarshipStatus
from hromada.modules.scholarships.testing import make_application, make_call
from hromada.testing.factories import signed_in


@pytest.fixture
def listed(world, monkeypatch) -> dict:
    """A's call: A1 asked 10,000 first (one review: 2.0), A2 asked 20,000 later and was declined (4.0 and 3.0);
    A's expert reviews both. One row a page."""
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    with tenancy.system_scope():
        call = make_call(db.session.get(Programme, world.a.programme.id))
        db.session.add(Criterion(call_id=call.id, position=0, title="Impact", weight=1, guidance=[]))
        first = make_application(call, world.a.communities[0].id, requested_minor=1_000_000)
        first.submitted_at = now() - timedelta(days=2)
        second = make_application(call, world.a.communities[1].id, requested_minor=2_000_000,
                                  status=ScholarshipStatus.DECLINED)
        for application, reviewer, total in ((first, "expert", 2.0), (second, "expert", 4.0),
                                             (second, "mentor", 3.0)):
            db.session.add(Review(organisation_id=call.organisation_id, call_id=call.id,
                                  application_id=application.id, reviewer_id=world.a.people[reviewer].id,
                                  status=ReviewStatus.SUBMITTED, weighted_total=total, submitted_at=now()))
        db.session.commit()
        return {"path": f"/organisations/{call.organisation_id}/programmes/{call.programme_id}/scholarships/"
                        f"{call.id}/applications", "reviews": f"/organisations/{call.organisation_id}/reviews",
                "first": world.a.communities[0].name, "second": world.a.communities[1].name}


def shown(client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, path
    return response.get_data(as_text=True).split("<table")[-1] if status == 200 else response.get_data(as_text=True)


def test_the_operator_pages_filters_and_sorts_the_applications(app, listed):
    operator = signed_in(app, "operator-a")
    path = listed["path"]
    page = shown(operator, path)
    assert listed["first"] in page and listed["second"] not in page and "Page 1 of 2" in page
    assert f'href="{path}?page=2"' in page.replace("&amp;", "&")
    later = shown(operator, f"{path}?page=2")
    assert listed["second"] in later and "3.5 (2)" in later and "Reviewers agree (spread 1.0)" in later
    assert listed["second"] in shown(operator, f"{path}?sort=mean").split("Page 1 of 2")[0]
    assert listed["second"] in shown(operator, f"{path}?sort=requested").split("Page 1 of 2")[0]
    # Sorted by mean, the next page keeps the order.
    assert "sort=mean" in shown(operator, f"{path}?sort=mean").split('rel="next"')[1].split(">")[0]
    declined = shown(operator, f"{path}?status=declined")
    assert listed["second"] in declined and listed["first"] not in declined and "Page 1" not in declined
    assert listed["second"] in shown(operator, f"{path}?page=9")  # past the last page: the last page


@pytest.mark.parametrize("query, message", [
    ("status=zzz", "Choose a status from the list."), ("status=draft", "Choose a status from the list."),
    ("sort=name%00", "Choose an order from the list."), ("page=99999999999999999999", "There is no such page."),
    ("page=-1", "There is no such page."),
])
def test_junk_in_the_query_is_refused_with_a_reason(app, listed, query, message):
    operator = signed_in(app, "operator-a")
    page = shown(operator, f"{listed['path']}?{query}", status=400)
    assert message in page and listed["first"] in page  # the list is still shown, unfiltered


def test_a_reviewer_pages_and_filters_their_own_reviews(app, listed):
    expert = signed_in(app, "expert-a")
    page = shown(expert, listed["reviews"])
    assert "Page 1 of 2" in page and page.count("Scored") == 1
    assert "Page 2 of 2" in shown(expert, f"{listed['reviews']}?page=2")
    assert "None of your reviews has this status." in shown(expert, f"{listed['reviews']}?status=reviewing").split(
        "</form>")[-1]
    assert "Choose a status from the list." in shown(expert, f"{listed['reviews']}?status=%FF", status=400)
    # Another reviewer's list holds only their own review; someone with none sees none.
    assert "Page 1" not in shown(signed_in(app, "mentor-a"), listed["reviews"])
    assert "No application is assigned to you." in shown(signed_in(app, "facilitator-a"), listed["reviews"])


@pytest.mark.parametrize("language", ["en", "uk", "ru", "be"])
def test_the_lists_write_amounts_as_babel_does(app, language):
    from flask_babel import force_locale

    from hromada.money import Money, format_money

    with app.test_request_context(), force_locale(language):
        amounts = listing.Amounts()
        for currency in ("UAH", "EUR", "USD", "PLN", "BYN", "JPY", "KWD"):
            for minor in (1, 99, 100, 123_456, 999_999, 1_000_000, 6_500_000, 123_456_789, 10**15 + 7):
                assert amounts(minor, currency) == format_money(Money(minor, currency)), (currency, minor)
