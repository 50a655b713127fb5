"""The security audit's permissions, added to Hromada's one policy (`hromada_access_rules`)."""

from __future__ import annotations

from hromada.contributions import AccessRule
from hromada.modules.accounts.models import CommunityRole, StaffRole


def _rule(coordinators: bool, staff_roles: set[StaffRole]):
    def check(principal, community_id) -> bool:
        if community_id is None:
            return False
        if coordinators and principal.memberships.get(community_id) == CommunityRole.COORDINATOR:
            return True
        return any(roles & staff_roles for roles in principal.reaches(community_id).values())

    return check


RULES = [
    # Findings are read by the community's coordinators and its assigned mentors and experts, not operators.
    AccessRule("incubator.audit_view", _rule(True, {StaffRole.MENTOR, StaffRole.EXPERT})),
    AccessRule("incubator.audit_record", _rule(False, {StaffRole.EXPERT})),
    AccessRule("incubator.audit_track", _rule(True, set())),
]
