"""The coordination meeting's permissions: the community asks and reports; the operator decides the money and the plan."""

from hromada.plugin_api import ALL_STAFF, MEMBER_ROLES, AccessRule, StaffRole, community_rule

ACCESS_RULES = [
    AccessRule("accelerator.meeting_read", community_rule(MEMBER_ROLES, ALL_STAFF)),
    AccessRule("accelerator.meeting_write", community_rule(MEMBER_ROLES, set())),
    AccessRule("accelerator.meeting_decide", community_rule(set(), {StaffRole.OPERATOR})),
]
