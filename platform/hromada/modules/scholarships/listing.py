"""The two long lists of scholarships, a page at a time: a call's applications for its operators, and the
reviews assigned to one reviewer. Each page is a fixed number of queries whatever the number of applications:
the counts by status in one grouped query, the page's rows in one more (the reviewers' weighted means come from
the totals kept on each submitted review, aggregated by the database), and for the operator the names of the
communities on the page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from flask import url_for
from flask_babel import format_date, get_timezone
from functools import lru_cache

from sqlalchemy import bindparam, func, select

from hromada.extensions import db
from hromada.money import Money, format_money, precision
from hromada.modules.communities.models import Community
from hromada.modules.programmes.models import Programme
from hromada.modules.scholarships.models import (
    Review,
    ReviewStatus,
    ScholarshipApplication,
    ScholarshipCall,
    ScholarshipStatus,
)
from hromada.modules.scholarships.summary import Summary, summarise_range
from hromada.paging import Page, bounds

PAGE_SIZE = 50
# What operators see of a call: everything but the communities' drafts.
LISTED_STATUSES = tuple(status for status in ScholarshipStatus if status != ScholarshipStatus.DRAFT)
# The orders of a call's applications (the first is the default).
SORTS = ("submitted", "mean", "requested")


# The statements are built once (building one costs more than running it) and take their values as parameters.


@lru_cache(maxsize=1)
def _call_statement():
    return (select(ScholarshipCall, Programme).join(Programme, Programme.id == ScholarshipCall.programme_id)
            .where(ScholarshipCall.id == bindparam("call_id"), ScholarshipCall.programme_id == bindparam("programme_id"),
                   ScholarshipCall.organisation_id == bindparam("organisation_id"),
                   Programme.organisation_id == bindparam("organisation_id")))


def call_of(organisation_id: int, programme_id: int, call_id: int):
    """(the organisation's call of the programme, the programme) in one query, or None."""
    return db.session.execute(_call_statement(), {"call_id": call_id, "programme_id": programme_id,
                                                  "organisation_id": organisation_id}).first()


@lru_cache(maxsize=1)
def _application_counts_statement():
    return (select(ScholarshipApplication.status, func.count())
            .where(ScholarshipApplication.call_id == bindparam("call_id"),
                   ScholarshipApplication.organisation_id == bindparam("organisation_id"),
                   ScholarshipApplication.status.in_(LISTED_STATUSES))
            .group_by(ScholarshipApplication.status))


def application_counts(call: ScholarshipCall) -> dict[str, int]:
    """{status value: applications} of the call, drafts left out: the communities' own until submitted."""
    rows = db.session.execute(_application_counts_statement(), {"call_id": call.id,
                                                                "organisation_id": call.organisation_id}).all()
    return {status.value: count for status, count in rows}


@lru_cache(maxsize=1)
def _names_statement():
    return select(Community.id, Community.name).where(Community.id.in_(bindparam("ids", expanding=True)))


def community_names(community_ids: list[int]) -> dict[int, str]:
    """The names of these communities; the caller has allowed reading them (tenancy.allow_reading)."""
    return dict(db.session.execute(_names_statement(), {"ids": community_ids}).all()) if community_ids else {}


@dataclass(frozen=True)
class ApplicationRow:
    id: int
    tenant_id: int
    status: ScholarshipStatus
    requested_minor: int | None
    requested_currency: str | None
    approved_minor: int | None
    submitted_at: object
    summary: Summary


def _scores(*criteria):
    """The submitted reviews' weighted totals per application: how many, mean, lowest and highest."""
    return (select(Review.application_id, func.count(Review.weighted_total).label("reviews"),
                   func.avg(Review.weighted_total).label("mean"), func.min(Review.weighted_total).label("low"),
                   func.max(Review.weighted_total).label("high"))
            .where(*criteria, Review.status == ReviewStatus.SUBMITTED, Review.weighted_total.is_not(None))
            .group_by(Review.application_id).subquery())


@lru_cache(maxsize=2 * len(SORTS))
def _applications_statement(filtered: bool, sort: str):
    application = ScholarshipApplication
    columns = (application.id, application.tenant_id, application.status, application.requested_minor,
               application.requested_currency, application.approved_minor, application.submitted_at)
    matching = (application.call_id == bindparam("call_id"), application.organisation_id == bindparam("organisation_id"),
                application.status == bindparam("status") if filtered else application.status.in_(LISTED_STATUSES))
    if sort == "mean":
        # Ordered by the reviewers' mean: every application's scores are needed to find the page.
        scored = _scores(Review.call_id == bindparam("call_id"))
        return (select(*columns, scored.c.reviews, scored.c.mean, scored.c.low, scored.c.high)
                .outerjoin(scored, scored.c.application_id == application.id).where(*matching)
                .order_by(scored.c.mean.desc().nulls_last(), application.submitted_at, application.id)
                .limit(bindparam("limit")).offset(bindparam("offset")))
    # Ordered by the application's own columns: the page is found first, then only its reviews are read
    # (at 2,000 applications, every review of the call was aggregated for the 50 shown).
    order = {"submitted": (application.submitted_at, application.id),
             "requested": (application.requested_minor.desc().nulls_last(), application.id)}[sort]
    page = (select(*columns).where(*matching).order_by(*order)
            .limit(bindparam("limit")).offset(bindparam("offset")).cte("page"))
    scored = _scores(Review.application_id.in_(select(page.c.id)))
    in_page_order = {"submitted": (page.c.submitted_at, page.c.id),
                     "requested": (page.c.requested_minor.desc().nulls_last(), page.c.id)}[sort]
    return (select(page, scored.c.reviews, scored.c.mean, scored.c.low, scored.c.high)
            .outerjoin(scored, scored.c.application_id == page.c.id).order_by(*in_page_order))


def applications_page(call: ScholarshipCall, *, status: str | None, sort: str, number: int,
                      counts: dict[str, int]) -> Page:
    """One page of the call's applications with `status` (None: every status but drafts), in the order `sort`."""
    matching = counts.get(status, 0) if status else sum(counts.values())
    number, pages = bounds(number, matching, PAGE_SIZE)
    values = {"call_id": call.id, "organisation_id": call.organisation_id, "limit": PAGE_SIZE,
              "offset": (number - 1) * PAGE_SIZE}
    if status:
        values["status"] = ScholarshipStatus(status)
    rows = db.session.execute(_applications_statement(bool(status), sort), values).all()
    return Page(rows=[ApplicationRow(
        id=row.id, tenant_id=row.tenant_id, status=row.status, requested_minor=row.requested_minor,
        requested_currency=row.requested_currency, approved_minor=row.approved_minor, submitted_at=row.submitted_at,
        summary=summarise_range(row.reviews or 0, row.mean, row.low, row.high)) for row in rows],
        number=number, pages=pages, matching=matching)


@lru_cache(maxsize=1)
def _review_counts_statement():
    return (select(Review.status, func.count())
            .where(Review.reviewer_id == bindparam("reviewer_id"), Review.organisation_id == bindparam("organisation_id"))
            .group_by(Review.status))


def review_counts(organisation_id: int, reviewer_id: int) -> dict[str, int]:
    """{review status value: reviews} assigned to the reviewer in the organisation."""
    rows = db.session.execute(_review_counts_statement(), {"reviewer_id": reviewer_id,
                                                           "organisation_id": organisation_id}).all()
    return {status.value: count for status, count in rows}


@lru_cache(maxsize=2)
def _reviews_statement(filtered: bool):
    statement = (
        select(Review.id, Review.status, Review.application_id, Review.created_at, Review.submitted_at,
               ScholarshipCall.title, ScholarshipCall.closes_on)
        .join(ScholarshipCall, ScholarshipCall.id == Review.call_id)
        .where(Review.reviewer_id == bindparam("reviewer_id"), Review.organisation_id == bindparam("organisation_id")))
    if filtered:
        statement = statement.where(Review.status == bindparam("status"))
    return statement.order_by(Review.id).limit(bindparam("limit")).offset(bindparam("offset"))


def reviews_page(organisation_id: int, reviewer_id: int, *, status: str | None, number: int,
                 counts: dict[str, int]) -> Page:
    """One page of the reviews assigned to the reviewer, with `status` (None: all), the oldest assignment first."""
    matching = counts.get(status, 0) if status else sum(counts.values())
    number, pages = bounds(number, matching, PAGE_SIZE)
    values = {"reviewer_id": reviewer_id, "organisation_id": organisation_id, "limit": PAGE_SIZE,
              "offset": (number - 1) * PAGE_SIZE}
    if status:
        values["status"] = ReviewStatus(status)
    rows = db.session.execute(_reviews_statement(bool(status)), values).all()
    return Page(rows=rows, number=number, pages=pages, matching=matching)


# --- What the rows show ------------------------------------------------------------------------------------------
# A page renders 50 rows: formatting each date with Babel, translating each label and building each link with
# url_for were most of its time. Each distinct day is formatted once, each label translated once, and the rows'
# links are the route's link with the row's id at its end.


class Days:
    """Dates as the reader reads them (in their time zone and language), each day formatted once per page."""

    def __init__(self):
        self.known: dict[date, str] = {}
        self.zone = get_timezone()

    def __call__(self, value: date | datetime | None) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):  # as flask_babel.to_user_timezone: a naive moment is in UTC
            value = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(self.zone).date()
        found = self.known.get(value)
        if found is None:
            found = self.known[value] = format_date(value)
        return found


def row_links(endpoint: str, id_argument: str, **values) -> "RowLinks":
    return RowLinks(url_for(endpoint, **values, **{id_argument: 0}))


class RowLinks:
    """The links of a list's rows to one route whose last part is the row's id: built once, then the id is put in."""

    def __init__(self, example: str):
        if not example.endswith("/0"):
            raise ValueError(f"the route's last part is not the id: {example}")
        self.head = example[:-1]

    def __call__(self, row_id: int) -> str:
        return f"{self.head}{row_id}"


def translated(labels: dict) -> dict[str, str]:
    """Lazy labels translated once for the page."""
    return {key: str(label) for key, label in labels.items()}


class Amounts:
    """Amounts as `format_money` writes them for the reader, without Babel's pattern work for each (a row has two).

    Babel writes one sample amount per currency (1,234,567 and a fraction); the reader's group and decimal marks and
    what stands before and after the number are read from it, and each amount is written the same way. A language
    that does not group four-digit numbers (CLDR's minimum grouping digits) is asked about 1,234 too.
    tests/test_scholarship_lists.py checks that it writes what `format_money` does in every language.
    """

    def __init__(self):
        self.formats: dict[str, tuple | None] = {}

    @staticmethod
    def _shape(currency: str) -> tuple | None:
        digits = precision(currency)
        fraction = "89"[:digits].ljust(digits, "0")
        number = r"1(?P<group>\D+)234(?P=group)567" + (rf"(?P<decimal>\D+){fraction}" if digits else "")
        sample = format_money(Money(1_234_567 * 10**digits + (int(fraction) if digits else 0), currency))
        found = re.search(number, sample)
        if found is None:  # a way of writing numbers this does not know: Babel writes every amount
            return None
        small = format_money(Money(1_234 * 10**digits, currency))
        return (sample[:found.start()], found.group("group"), found.group("decimal") if digits else "", digits,
                sample[found.end():], found.group("group") in small)

    def __call__(self, amount_minor: int | None, currency: str | None) -> str:
        if amount_minor is None or currency is None:
            return ""
        if currency not in self.formats:
            self.formats[currency] = self._shape(currency)
        shape = self.formats[currency]
        if shape is None or amount_minor < 0:
            return format_money(Money(amount_minor, currency))
        before, group, decimal, digits, after, groups_thousands = shape
        major, minor = divmod(amount_minor, 10**digits)
        text = f"{major:,}".replace(",", group) if major >= 10_000 or groups_thousands else str(major)
        return f"{before}{text}{decimal}{minor:0{digits}d}{after}" if digits else f"{before}{text}{after}"
