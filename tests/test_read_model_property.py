"""A property check of the cohort's read model (issue 17) over the scale generator's data, every plugin on."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.accounts.models import StaffMembership, StaffRole, User
from hromada.modules.communities.activity import record_activity
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.progress import services
from hromada.modules.progress.standings.testing import disagreements


def test_the_read_model_follows_random_writes_over_generated_communities(app):
    """A property check: 60 generated communities, then 40 writes of every kind the product makes to where a
    community stands, each committed; after each, the read model agrees with the full computation."""
    from hromada.demo import scale

    scale.generate(60, seed=17)
    db.session.remove()
    assert disagreements() == []
    rng = random.Random(5)
    with tenancy.system_scope():
        enrolments = [enrolment.id for enrolment in db.session.scalars(select(Enrolment))]
        operators = {membership.organisation_id: membership.user_id for membership in db.session.scalars(
            select(StaffMembership).where(StaffMembership.role == StaffRole.OPERATOR))}
    kinds = ("activity", "advance", "override", "withdraw", "rename")
    done = {kind: 0 for kind in kinds}
    for step in range(40):
        kind = kinds[step % len(kinds)] if step < len(kinds) else rng.choice(kinds)
        with tenancy.system_scope():
            enrolment = db.session.get(Enrolment, rng.choice(enrolments))
            actor = db.session.get(User, operators[enrolment.organisation_id])
            try:
                if kind == "activity":
                    record_activity(enrolment.tenant_id, now() - timedelta(minutes=rng.randint(0, 600)))
                elif kind in ("advance", "override"):
                    services.advance(enrolment, actor, "test", override=kind == "override")
                elif kind == "withdraw":
                    services.withdraw(enrolment, actor, "moved away")
                else:
                    db.session.get(Community, enrolment.tenant_id).name = f"Renamed {step}"
                db.session.commit()
                done[kind] += 1
            except services.TransitionRefused:
                db.session.rollback()
        db.session.remove()
        assert disagreements() == [], f"after step {step} ({kind})"
    # Every kind of write happened (a plain advance is refused while requirements are open: nothing is written).
    assert all(count for kind, count in done.items() if kind != "advance"), done
