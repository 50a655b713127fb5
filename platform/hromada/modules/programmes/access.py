"""Who builds programmes and who applies to them (hromada_access_rules)."""

from hromada.authz import community_rule, organisation_rule
from hromada.contributions import AccessRule
from hromada.modules.accounts.models import CommunityRole, StaffRole

ACCESS_RULES = [
    AccessRule("organisation.manage_programmes", organisation_rule({StaffRole.OPERATOR})),
    AccessRule("community.apply", community_rule({CommunityRole.COORDINATOR}, set())),
]
