"""The rubric, reviewers, their declarations and scores, and the operator's determination.

Plain functions, as in `operations`: each saves its work with its audit entry (commits) or raises
`Refused` having saved nothing. Every change that a repeated form could make twice is a conditional
update (a declaration from "assigned" only, a review submitted once, a determination of an application
not yet determined). An approval locks the call's row (SELECT ... FOR UPDATE on PostgreSQL), so two
approvals at once are counted one after the other and never exceed the call's budget.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from hromada.clock import now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import StaffMembership, User
from hromada.modules.audit.log import record
from hromada.money import Money, format_money
from hromada.modules.scholarships import tranches
from hromada.modules.scholarships.models import (
    Criterion,
    KeptPayment,
    Recommendation,
    Review,
    ReviewStatus,
    ScholarshipApplication,
    ScholarshipCall,
    ScholarshipStatus,
)
from hromada.modules.scholarships.operations import DETERMINED_ALREADY, Refused
from hromada.modules.scholarships.summary import weighted_total

CRITERIA_MAX = 12
NOT_REVIEWABLE = _l("This review can no longer be changed.")


def add_criterion(call: ScholarshipCall, *, title: str, weight: int, guidance: list[str], actor: User) -> Criterion:
    present = db.session.scalar(select(func.count(Criterion.id)).where(Criterion.call_id == call.id))
    if present >= CRITERIA_MAX:
        raise Refused(_l("A rubric has at most %(count)d criteria.", count=CRITERIA_MAX))
    criterion = Criterion(call_id=call.id, position=present, title=title, weight=weight, guidance=guidance)
    db.session.add(criterion)
    db.session.flush()
    record("scholarships.rubric_changed", actor=actor, organisation_id=call.organisation_id, call_id=call.id,
           criterion_id=criterion.id, change="added")
    db.session.commit()
    return criterion


def remove_criterion(call: ScholarshipCall, criterion: Criterion, actor: User) -> None:
    if db.session.scalar(select(Review.id).where(Review.call_id == call.id, Review.status == ReviewStatus.SUBMITTED)
                         .limit(1)) is not None:
        raise Refused(_l("Reviewers have scored with this rubric: its criteria stay."))
    db.session.delete(criterion)
    record("scholarships.rubric_changed", actor=actor, organisation_id=call.organisation_id, call_id=call.id,
           criterion_id=criterion.id, change="removed")
    db.session.commit()


def staff_of(organisation_id: int) -> list[User]:
    """Who may review: the organisation's staff, each once."""
    return db.session.scalars(
        select(User).where(User.id.in_(select(StaffMembership.user_id)
                                       .where(StaffMembership.organisation_id == organisation_id)))
        .order_by(User.handle)).all()


def assign(application: ScholarshipApplication, reviewer_id: int, actor: User) -> Review:
    if reviewer_id not in {user.id for user in staff_of(application.organisation_id)}:
        raise Refused(_l("Choose a reviewer from the organisation's staff."))
    if application.status in (ScholarshipStatus.APPROVED, ScholarshipStatus.DECLINED, ScholarshipStatus.WITHDRAWN):
        raise Refused(DETERMINED_ALREADY)
    review = Review(organisation_id=application.organisation_id, call_id=application.call_id,
                    application_id=application.id, reviewer_id=reviewer_id, status=ReviewStatus.ASSIGNED)
    try:
        with db.session.begin_nested():
            db.session.add(review)
            db.session.flush()
    except IntegrityError:
        raise Refused(_l("This person reviews this application already.")) from None
    record("scholarships.reviewer_assigned", actor=actor, organisation_id=application.organisation_id,
           call_id=application.call_id, application_id=application.id, reviewer_id=reviewer_id)
    db.session.commit()
    return review


def declare(review: Review, *, conflict: bool, actor: User) -> bool:
    """The reviewer's declaration of interests, once: a conflict recuses them. False: declared already."""
    changed = db.session.execute(
        update(Review).where(Review.id == review.id, Review.status == ReviewStatus.ASSIGNED)
        .values(status=ReviewStatus.RECUSED if conflict else ReviewStatus.REVIEWING, declared_at=now())
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(review)
    if changed != 1:
        return False
    record("scholarships.reviewer_recused" if conflict else "scholarships.reviewer_declared_no_conflict",
           actor=actor, organisation_id=review.organisation_id, call_id=review.call_id,
           application_id=review.application_id)
    db.session.commit()
    return True


def submit(review: Review, application: ScholarshipApplication, *, scores: dict, recommendation: Recommendation,
           comment: str, actor: User) -> None:
    """The reviewer's scores, comments and recommendation, once, before the determination."""
    if application.status in (ScholarshipStatus.APPROVED, ScholarshipStatus.DECLINED):
        raise Refused(_l("The application was determined already: reviews are closed."))
    criteria = db.session.scalars(select(Criterion).where(Criterion.call_id == review.call_id)).all()
    changed = db.session.execute(
        update(Review).where(Review.id == review.id, Review.status == ReviewStatus.REVIEWING)
        .values(status=ReviewStatus.SUBMITTED, scores=scores, recommendation=recommendation, comment=comment,
                weighted_total=weighted_total(scores, criteria), submitted_at=now())
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(review)
    if changed != 1:
        db.session.rollback()
        raise Refused(NOT_REVIEWABLE)
    record("scholarships.review_submitted", actor=actor, organisation_id=review.organisation_id,
           call_id=review.call_id, application_id=review.application_id)
    db.session.commit()


def committed(call_id: int) -> int:
    """What the call has approved so far, in minor units."""
    total = db.session.scalar(select(func.coalesce(func.sum(ScholarshipApplication.approved_minor), 0)).where(
        ScholarshipApplication.call_id == call_id, ScholarshipApplication.status == ScholarshipStatus.APPROVED))
    # Money paid to communities erased since stays spent (their approvals are gone).
    kept = db.session.scalar(select(func.coalesce(func.sum(KeptPayment.amount_minor), 0))
                             .where(KeptPayment.call_id == call_id))
    return int(total) + int(kept)  # PostgreSQL sums a bigint as a numeric


def _determined(application: ScholarshipApplication, status: ScholarshipStatus, actor: User, *, message: str,
                approved_minor: int | None = None) -> None:
    changed = db.session.execute(
        update(ScholarshipApplication)
        .where(ScholarshipApplication.id == application.id,
               ScholarshipApplication.status == ScholarshipStatus.SUBMITTED)
        .values(status=status, approved_minor=approved_minor, determination_message=message,
                determined_at=now(), determined_by_id=actor.id)
        .execution_options(synchronize_session=False)).rowcount
    if changed != 1:  # decided meanwhile, withdrawn, or the same form sent twice
        db.session.rollback()
        raise Refused(DETERMINED_ALREADY)
    record(f"scholarships.application_{status.value}", actor=actor, organisation_id=application.organisation_id,
           community_id=application.tenant_id, call_id=application.call_id, application_id=application.id,
           **({"approved_minor": approved_minor} if approved_minor is not None else {}))
    if status == ScholarshipStatus.APPROVED:  # the payment schedule comes with the approval, or neither does
        call = db.session.get(ScholarshipCall, application.call_id)
        tranches.create_schedule(application, approved_minor, call.tranche_plan, call.budget_currency)
    db.session.commit()
    db.session.expire(application)


def approve(application: ScholarshipApplication, amount: Money, actor: User, *, message: str = "") -> None:
    """Approve `amount`: at most what was asked and what is left of the call's budget, counted under the call's lock."""
    call = db.session.scalar(select(ScholarshipCall).where(ScholarshipCall.id == application.call_id)
                             .with_for_update())
    if amount.currency != call.budget_currency:
        db.session.rollback()
        raise Refused(_l("Amounts of this call are in %(currency)s.", currency=call.budget_currency))
    if application.requested_minor is not None and amount.amount_minor > application.requested_minor:
        db.session.rollback()
        raise Refused(_l("At most the amount requested, %(amount)s.",
                         amount=format_money(Money(application.requested_minor, call.budget_currency))))
    left = call.budget_minor - committed(call.id)
    if amount.amount_minor > left:
        db.session.rollback()
        raise Refused(_l("At most what is left of the budget, %(amount)s.",
                         amount=format_money(Money(max(left, 0), call.budget_currency))))
    _determined(application, ScholarshipStatus.APPROVED, actor, message=message, approved_minor=amount.amount_minor)


def decline(application: ScholarshipApplication, actor: User, *, message: str) -> None:
    _determined(application, ScholarshipStatus.DECLINED, actor, message=message)


def ask_for_more(application: ScholarshipApplication, actor: User, *, question: str) -> None:
    """Send the application back to the community with the question; it answers and sends it again."""
    _determined(application, ScholarshipStatus.MORE_INFORMATION, actor, message=question)
