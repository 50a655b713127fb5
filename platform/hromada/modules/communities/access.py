"""Who may open a community's pages and invite its members (hromada_access_rules)."""

from hromada.authz import ALL_STAFF, MEMBER_ROLES, community_rule
from hromada.contributions import AccessRule
from hromada.modules.accounts.models import CommunityRole, StaffRole

ACCESS_RULES = [
    AccessRule("community.view", community_rule(MEMBER_ROLES, ALL_STAFF)),
    AccessRule("community.view_members", community_rule(MEMBER_ROLES, {StaffRole.FACILITATOR})),
    AccessRule("community.invite_members", community_rule({CommunityRole.COORDINATOR}, set())),
]
