"""Members keep their community's action plans; staff who reach the community read them (an audited read)."""

from hromada.authz import ALL_STAFF, MEMBER_ROLES, community_rule
from hromada.contributions import AccessRule

ACCESS_RULES = [
    AccessRule("action_plans.read", community_rule(MEMBER_ROLES, ALL_STAFF)),
    AccessRule("action_plans.edit", community_rule(MEMBER_ROLES, set())),
]
