"""The two long lists of scholarships, a page at a time: a call's applications for its operators, and the
reviews assigned to one reviewer. Each page is a fixed number of queries whatever the number of applications:
the counts by status in one grouped query, the page's rows in one more (the reviewers' weighted means come from
the totals kept on each submitted review, aggregated by the database), and for the operator the names of the
communities on the page."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import func, select

from hromada.extensions import db
from hromada.modules.scholarships.models import (
    Review,
    ReviewStatus,
    ScholarshipApplication,
    ScholarshipCall,
    ScholarshipStatus,
)
from hromada.modules.scholarships.summary import Summary, summarise_range

PAGE_SIZE = 50
# What operators see of a call: everything but the communities' drafts.
LISTED_STATUSES = tuple(status for status in ScholarshipStatus if status != ScholarshipStatus.DRAFT)
# The orders of a call's applications (the first is the default).
SORTS = ("submitted", "mean", "requested")


@dataclass(frozen=True)
class Page:
    rows: list
    number: int
    pages: int
    matching: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def _page(number: int, matching: int) -> tuple[int, int]:
    """(page number within the pages there are, number of pages): past the last page reads as the last."""
    pages = max(1, math.ceil(matching / PAGE_SIZE))
    return min(max(number, 1), pages), pages


def application_counts(call: ScholarshipCall) -> dict[str, int]:
    """{status value: applications} of the call, drafts left out: the communities' own until submitted."""
    rows = db.session.execute(
        select(ScholarshipApplication.status, func.count())
        .where(ScholarshipApplication.call_id == call.id,
               ScholarshipApplication.organisation_id == call.organisation_id,
               ScholarshipApplication.status.in_(LISTED_STATUSES))
        .group_by(ScholarshipApplication.status)).all()
    return {status.value: count for status, count in rows}


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


def applications_page(call: ScholarshipCall, *, status: str | None, sort: str, number: int,
                      counts: dict[str, int]) -> Page:
    """One page of the call's applications with `status` (None: every status but drafts), in the order `sort`."""
    matching = counts.get(status, 0) if status else sum(counts.values())
    number, pages = _page(number, matching)
    application = ScholarshipApplication
    scored = (select(Review.application_id, func.count(Review.weighted_total).label("reviews"),
                     func.avg(Review.weighted_total).label("mean"), func.min(Review.weighted_total).label("low"),
                     func.max(Review.weighted_total).label("high"))
              .where(Review.call_id == call.id, Review.status == ReviewStatus.SUBMITTED,
                     Review.weighted_total.is_not(None))
              .group_by(Review.application_id).subquery())
    statement = (
        select(application.id, application.tenant_id, application.status, application.requested_minor,
               application.requested_currency, application.approved_minor, application.submitted_at,
               scored.c.reviews, scored.c.mean, scored.c.low, scored.c.high)
        .outerjoin(scored, scored.c.application_id == application.id)
        .where(application.call_id == call.id, application.organisation_id == call.organisation_id,
               application.status.in_([ScholarshipStatus(status)] if status else LISTED_STATUSES)))
    order = {
        "submitted": (application.submitted_at, application.id),
        "mean": (scored.c.mean.desc().nulls_last(), application.submitted_at, application.id),
        "requested": (application.requested_minor.desc().nulls_last(), application.id),
    }[sort]
    rows = db.session.execute(statement.order_by(*order).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()
    return Page(rows=[ApplicationRow(
        id=row.id, tenant_id=row.tenant_id, status=row.status, requested_minor=row.requested_minor,
        requested_currency=row.requested_currency, approved_minor=row.approved_minor, submitted_at=row.submitted_at,
        summary=summarise_range(row.reviews or 0, row.mean, row.low, row.high)) for row in rows],
        number=number, pages=pages, matching=matching)


def review_counts(organisation_id: int, reviewer_id: int) -> dict[str, int]:
    """{review status value: reviews} assigned to the reviewer in the organisation."""
    rows = db.session.execute(
        select(Review.status, func.count())
        .where(Review.reviewer_id == reviewer_id, Review.organisation_id == organisation_id)
        .group_by(Review.status)).all()
    return {status.value: count for status, count in rows}


def reviews_page(organisation_id: int, reviewer_id: int, *, status: str | None, number: int,
                 counts: dict[str, int]) -> Page:
    """One page of the reviews assigned to the reviewer, with `status` (None: all), the oldest assignment first."""
    matching = counts.get(status, 0) if status else sum(counts.values())
    number, pages = _page(number, matching)
    statement = (
        select(Review.id, Review.status, Review.application_id, Review.created_at, Review.submitted_at,
               ScholarshipCall.title, ScholarshipCall.closes_on)
        .join(ScholarshipCall, ScholarshipCall.id == Review.call_id)
        .where(Review.reviewer_id == reviewer_id, Review.organisation_id == organisation_id))
    if status:
        statement = statement.where(Review.status == ReviewStatus(status))
    rows = db.session.execute(statement.order_by(Review.id).limit(PAGE_SIZE)
                              .offset((number - 1) * PAGE_SIZE)).all()
    return Page(rows=rows, number=number, pages=pages, matching=matching)
