"""The security audit's permissions, added to Hromada's one policy (`hromada_access_rules`)."""

from __future__ import annotations

from hromada.plugin_api import AccessRule, CommunityRole, StaffRole, community_rule

COORDINATORS = {CommunityRole.COORDINATOR}

ACCESS_RULES = [
    # Findings are read by the community's coordinators and its assigned mentors and experts, not operators.
    AccessRule("incubator.audit_view", community_rule(COORDINATORS, {StaffRole.MENTOR, StaffRole.EXPERT})),
    AccessRule("incubator.audit_record", community_rule(set(), {StaffRole.EXPERT})),
    AccessRule("incubator.audit_track", community_rule(COORDINATORS, set())),
]
