"""Who may issue a reset link (hromada_access_rules)."""

from hromada.authz import community_rule, organisation_rule
from hromada.contributions import AccessRule
from hromada.roles import CommunityRole, StaffRole

ACCESS_RULES = [
    # An operator, for their organisation's staff; a coordinator, for their community's members.
    AccessRule("recovery.issue_staff", organisation_rule({StaffRole.OPERATOR})),
    AccessRule("recovery.issue_members", community_rule({CommunityRole.COORDINATOR}, set())),
]
