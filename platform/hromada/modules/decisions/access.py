"""Members take part in their community's decisions; staff who reach the community read what they may."""

from hromada.authz import ALL_STAFF, MEMBER_ROLES, community_rule
from hromada.contributions import AccessRule

ACCESS_RULES = [
    # Staff reach a community through their organisation's programme (an audited read): they see
    # that a proposal exists and its result; never positions (MembersOnly rows).
    AccessRule("decisions.read", community_rule(MEMBER_ROLES, ALL_STAFF)),
    AccessRule("decisions.take_part", community_rule(MEMBER_ROLES, set())),
]
