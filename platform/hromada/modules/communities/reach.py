"""Which communities a staff member reaches, through which organisation, in which roles (for hromada.authz).

Operators reach every community enrolled in their organisation's programmes; mentors,
experts and facilitators the communities they are assigned to, while they hold the role.
"""

from __future__ import annotations

from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.communities.models import Enrolment, StaffAssignment
from hromada.roles import StaffRole


def staff_reach(principal) -> dict[int, dict[int, set[StaffRole]]]:
    """community id -> {organisation id -> roles that reach it}."""
    reach = assigned_reach(principal)
    for organisation_id, roles in principal.staff.items():
        if StaffRole.OPERATOR in roles:
            with tenancy.scope(organisation_id=organisation_id):
                rows = db.session.execute(
                    select(Enrolment.tenant_id).where(Enrolment.organisation_id == organisation_id)
                )
                for (community_id,) in rows:
                    reach.setdefault(community_id, {}).setdefault(organisation_id, set()).add(StaffRole.OPERATOR)
    return reach


def assigned_reach(principal) -> dict[int, dict[int, set[StaffRole]]]:
    """community id -> {organisation id -> the roles it is assigned to the person in}: a short list, without
    the communities an operator reaches by running the organisation."""
    reach: dict[int, dict[int, set[StaffRole]]] = {}
    for organisation_id, roles in principal.staff.items():
        with tenancy.scope(organisation_id=organisation_id):  # the assignments are the organisation's rows
            rows = db.session.execute(
                select(StaffAssignment.tenant_id, StaffAssignment.role).where(
                    StaffAssignment.organisation_id == organisation_id,
                    StaffAssignment.user_id == principal.user_id,
                )
            )
            for community_id, role in rows:
                if role in roles:  # an assignment counts only while the person still holds the role
                    reach.setdefault(community_id, {}).setdefault(organisation_id, set()).add(role)
    return reach
