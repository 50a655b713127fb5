"""The payment schedule of an approved scholarship: tranches cut from the approved amount by the call's plan,
released when their condition is met, and paid as an operator records it (not executed here).

Amounts are integer minor units: every tranche but the last is its share rounded down, the last takes the
remainder, so the tranches always add up to the amount approved exactly.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from hromada.clock import now, today
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import User
from hromada.modules.audit.log import record
from hromada.modules.scholarships.models import ScholarshipApplication, Tranche, TrancheCondition
from hromada.modules.scholarships.operations import Refused

NOT_RELEASED = _l("This tranche is not released yet: its condition is not met.")
PAID_ALREADY = _l("This tranche's payment is recorded already: nothing was changed.")
PAID_IN_FUTURE = _l("A payment cannot be recorded for a day still to come.")


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


def release_by_hand(tranche: Tranche, actor: User) -> bool:
    """The operator says the tranche's condition is met (a report read, approved outside the platform while
    reports are not kept here): the next tranche waiting in order is released, once; False: nothing to do."""
    waiting = db.session.scalar(select(Tranche.id).where(Tranche.application_id == tranche.application_id,
                                                        Tranche.released_at.is_(None))
                                .order_by(Tranche.position).limit(1))
    changed = waiting == tranche.id and db.session.execute(
        update(Tranche).where(Tranche.id == tranche.id, Tranche.released_at.is_(None))
        .values(released_at=now()).execution_options(synchronize_session=False)).rowcount == 1
    if not changed:
        db.session.rollback()
        return False
    record("scholarships.tranche_released", actor=actor, organisation_id=tranche.organisation_id,
           community_id=tranche.tenant_id, call_id=tranche.call_id, application_id=tranche.application_id,
           tranche_id=tranche.id)
    db.session.commit()
    return True


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
