"""The payment schedule of an approved scholarship: tranches cut from the approved amount by the call's plan,
released when their condition is met, and paid as an operator records it (not executed here).

Amounts are integer minor units: every tranche but the last is its share rounded down, the last takes the
remainder, so the tranches always add up to the amount approved exactly.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from hromada import tenancy
from hromada.clock import now, today
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import User
from hromada.modules.audit.log import record
from hromada.modules.action_plans.models import ActionPlan, Milestone
from hromada.modules.action_plans.operations import milestone_done
from hromada.modules.scholarships.models import (
    KeptPayment,
    ScholarshipApplication,
    ScholarshipCall,
    Tranche,
    TrancheCondition,
)
from hromada.modules.scholarships.operations import Refused

NOT_RELEASED = _l("This tranche is not released yet: its condition is not met.")
PAID_ALREADY = _l("This tranche's payment is recorded already: nothing was changed.")
PAID_IN_FUTURE = _l("A payment cannot be recorded for a day still to come.")
MILESTONE_NOT_OFFERED = _l("Choose one of the milestones of the community's action plans in this programme.")
RELEASED_ALREADY = _l("This tranche is released already: its milestone stays.")


def split(amount_minor: int, shares: list[int]) -> list[int]:
    """`amount_minor` cut by `shares` (percent, adding up to 100): rounded down, the last takes the remainder."""
    amounts = [amount_minor * share // 100 for share in shares[:-1]]
    return [*amounts, amount_minor - sum(amounts)]


def create_schedule(application: ScholarshipApplication, approved_minor: int, plan: list[dict],
                    currency: str) -> list[Tranche]:
    """The tranches of a just-approved application (in the approval's transaction); those due on approval are
    released at once."""
    amounts = split(approved_minor, [int(step["share"]) for step in plan])
    tranches = []
    for position, (step, amount) in enumerate(zip(plan, amounts, strict=True)):
        condition = TrancheCondition(step["condition"])
        tranches.append(Tranche(
            tenant_id=application.tenant_id, organisation_id=application.organisation_id,
            call_id=application.call_id, application_id=application.id, position=position, share=int(step["share"]),
            amount_minor=amount, currency=currency, condition=condition,
            released_at=now() if condition == TrancheCondition.ON_APPROVAL else None))
    db.session.add_all(tranches)
    return tranches


def release(application_id: int, condition: TrancheCondition) -> int:
    """Release the application's tranches waiting for `condition` (in the caller's transaction); how many."""
    return db.session.execute(
        update(Tranche).where(Tranche.application_id == application_id, Tranche.condition == condition,
                              Tranche.released_at.is_(None))
        .values(released_at=now()).execution_options(synchronize_session=False)).rowcount


def release_for_milestone(tenant_id: int, milestone_id: int) -> int:
    """The milestone's last action is done: release the tranches waiting for it (in the caller's transaction)."""
    waiting = list(db.session.scalars(select(Tranche).where(
        Tranche.tenant_id == tenant_id, Tranche.milestone_id == milestone_id,
        Tranche.condition == TrancheCondition.MILESTONE_DONE, Tranche.released_at.is_(None))))
    released = 0
    for tranche in waiting:
        released += db.session.execute(
            update(Tranche).where(Tranche.id == tranche.id, Tranche.released_at.is_(None))
            .values(released_at=now()).execution_options(synchronize_session=False)).rowcount
        record("scholarships.tranche_released", organisation_id=tranche.organisation_id, community_id=tenant_id,
               call_id=tranche.call_id, application_id=tranche.application_id, tranche_id=tranche.id,
               condition=TrancheCondition.MILESTONE_DONE.value, milestone_id=milestone_id)
    return released


def milestones_of(application: ScholarshipApplication) -> list[tuple[int, str]]:
    """(id, "plan — milestone") of the milestones of the community's action plans in the call's programme: the ones
    its operators read."""
    programme_id = db.session.scalar(select(ScholarshipCall.programme_id)
                                     .where(ScholarshipCall.id == application.call_id))
    with tenancy.scope(reader_tenants=frozenset({application.tenant_id})):
        rows = db.session.execute(
            select(Milestone.id, ActionPlan.title, Milestone.title).join(ActionPlan, ActionPlan.id == Milestone.plan_id)
            .where(ActionPlan.tenant_id == application.tenant_id, ActionPlan.programme_id == programme_id)
            .order_by(ActionPlan.id, Milestone.position, Milestone.id)).all()
    return [(milestone_id, f"{plan} — {title}") for milestone_id, plan, title in rows]


def choose_milestone(tranche: Tranche, milestone_id: int, actor: User) -> int:
    """The operator picks the milestone that releases a "milestone done" tranche; a milestone done already releases
    it at once. Returns how many tranches were released (0 or 1)."""
    application = db.session.get(ScholarshipApplication, tranche.application_id)
    if milestone_id not in {found for found, _title in milestones_of(application)}:
        raise Refused(MILESTONE_NOT_OFFERED)
    changed = db.session.execute(
        update(Tranche).where(Tranche.id == tranche.id, Tranche.released_at.is_(None))
        .values(milestone_id=milestone_id).execution_options(synchronize_session=False)).rowcount
    db.session.expire(tranche)
    if changed != 1:
        db.session.rollback()
        raise Refused(RELEASED_ALREADY)
    record("scholarships.milestone_chosen", actor=actor, organisation_id=tranche.organisation_id,
           community_id=tranche.tenant_id, call_id=tranche.call_id, application_id=tranche.application_id,
           tranche_id=tranche.id, milestone_id=milestone_id)
    with tenancy.scope(reader_tenants=frozenset({tranche.tenant_id})):
        done = milestone_done(milestone_id)
    released = release_for_milestone(tranche.tenant_id, milestone_id) if done else 0
    db.session.commit()
    return released


def schedule_of(application_id: int) -> list[Tranche]:
    return list(db.session.scalars(select(Tranche).where(Tranche.application_id == application_id)
                                   .order_by(Tranche.position)))


def record_payment(tranche: Tranche, *, paid_on: date, reference: str, actor: User) -> None:
    """Record that a released tranche was paid, once: a second submit of the same form changes nothing."""
    if paid_on > today():
        raise Refused(PAID_IN_FUTURE)
    changed = db.session.execute(
        update(Tranche).where(Tranche.id == tranche.id, Tranche.released_at.is_not(None),
                              Tranche.paid_on.is_(None))
        .values(paid_on=paid_on, payment_reference=reference, recorded_at=now(), recorded_by_id=actor.id)
        .execution_options(synchronize_session=False)).rowcount
    db.session.expire(tranche)
    if changed != 1:
        db.session.rollback()
        raise Refused(PAID_ALREADY if tranche.paid_on is not None else NOT_RELEASED)
    # The reference stays out of the audit details: it may name a bank account.
    record("scholarships.tranche_paid", actor=actor, organisation_id=tranche.organisation_id,
           community_id=tranche.tenant_id, call_id=tranche.call_id, application_id=tranche.application_id,
           tranche_id=tranche.id, amount_minor=tranche.amount_minor)
    db.session.commit()


def keep_payments(tenant_id: int) -> int:
    """Before the community's erase: its paid tranches stay with the operator as `KeptPayment` rows (amount,
    currency, day, reference, call), without its name, application or people. Not committed; how many."""
    paid = db.session.execute(select(
        Tranche.organisation_id, Tranche.call_id, Tranche.amount_minor, Tranche.currency, Tranche.paid_on,
        Tranche.payment_reference).where(Tranche.tenant_id == tenant_id, Tranche.paid_on.is_not(None))
        .order_by(Tranche.id)).all()
    db.session.add_all([KeptPayment(organisation_id=row.organisation_id, call_id=row.call_id,
                                    amount_minor=row.amount_minor, currency=row.currency, paid_on=row.paid_on,
                                    payment_reference=row.payment_reference) for row in paid])
    db.session.flush()
    return len(paid)
