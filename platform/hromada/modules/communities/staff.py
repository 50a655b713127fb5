"""Who of an organisation's staff works with a community: the people assigned to its enrolment."""

from __future__ import annotations

from sqlalchemy import and_, select

from hromada.extensions import db
from hromada.modules.accounts.models import StaffMembership, StaffRole, User
from hromada.modules.communities.models import Enrolment, StaffAssignment


def enrolment_staff(enrolment_id: int, roles: set[StaffRole] | None = None) -> list[User]:
    """Staff assigned to an enrolment who still hold the role they were assigned in."""
    query = (
        select(User)
        .join(StaffAssignment, StaffAssignment.user_id == User.id)
        .join(
            StaffMembership,
            and_(
                StaffMembership.user_id == StaffAssignment.user_id,
                StaffMembership.organisation_id == StaffAssignment.organisation_id,
                StaffMembership.role == StaffAssignment.role,
            ),
        )
        .where(StaffAssignment.enrolment_id == enrolment_id)
        .order_by(User.display_name, User.handle)
        .distinct()
    )
    if roles is not None:
        query = query.where(StaffAssignment.role.in_(roles))
    return list(db.session.scalars(query))


def programme_staff(community_id: int, programme_id: int, roles: set[StaffRole] | None = None) -> list[User]:
    """Staff assigned to the community in one programme (none when it is not enrolled there)."""
    enrolment_id = db.session.scalar(select(Enrolment.id).where(
        Enrolment.tenant_id == community_id, Enrolment.programme_id == programme_id))
    return [] if enrolment_id is None else enrolment_staff(enrolment_id, roles)
