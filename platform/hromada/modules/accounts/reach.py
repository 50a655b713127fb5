"""Whether a person belongs somewhere an operator's or a coordinator's action on their account would open.

A reset link takes the whole account, and a reset of second factors hands the next sign-in to whoever
has the password: a coordinator may do either only for a person who is in no other community and on no
organisation's staff, an operator only for a person on their staff alone. The platform admin's account
is recovered from the command line.
"""

from __future__ import annotations

from sqlalchemy import func, select

from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, StaffMembership, User


def belongs_elsewhere(person: User, *, organisation_id: int | None = None, community_id: int | None = None) -> bool:
    """True when `person` is also in a community or organisation other than the issuer's one."""
    if person.is_platform_admin:
        return True
    staff = set(db.session.scalars(select(StaffMembership.organisation_id).where(StaffMembership.user_id == person.id)))
    communities = communities_of(person.id)
    if organisation_id is not None:
        return bool(staff - {organisation_id} or communities)
    return bool(staff or communities > 1)


def communities_of(person_id: int) -> int:
    """How many communities the person belongs to, most of which the issuer may not read."""
    if db.session.get_bind().dialect.name == "postgresql":
        # The owner's function counts them, once it has checked that the issuer is the person's (core0012).
        return db.session.scalar(select(func.hromada_communities_of(person_id)))
    # SQLite has only the ORM wall: the table itself, which its criteria do not scope.
    memberships = CommunityMembership.__table__
    return len(set(db.session.scalars(select(memberships.c.tenant_id).where(memberships.c.user_id == person_id))))
