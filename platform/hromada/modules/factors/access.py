"""Who may reset another person's second factors (hromada_access_rules)."""

from hromada.authz import community_rule, organisation_rule
from hromada.contributions import AccessRule
from hromada.roles import CommunityRole, StaffRole

ACCESS_RULES = [
    # An operator, for their organisation's staff; a coordinator, for their community's members.
    AccessRule("factors.reset_staff", organisation_rule({StaffRole.OPERATOR})),
    AccessRule("factors.reset_members", community_rule({CommunityRole.COORDINATOR}, set())),
]
