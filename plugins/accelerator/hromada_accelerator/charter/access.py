"""The charter's permissions: members write the draft and propose it; staff read the adopted charter."""

from hromada.plugin_api import ALL_STAFF, MEMBER_ROLES, AccessRule, community_rule

ACCESS_RULES = [
    AccessRule("accelerator.charter_read", community_rule(MEMBER_ROLES, ALL_STAFF)),
    AccessRule("accelerator.charter_write", community_rule(MEMBER_ROLES, set())),
]
