"""Who runs scholarship calls (the organisation's operators) and who applies (the community's coordinators)."""

from hromada.authz import community_rule, organisation_rule
from hromada.contributions import AccessRule
from hromada.modules.accounts.models import CommunityRole, StaffRole

ACCESS_RULES = [
    AccessRule("scholarships.manage", organisation_rule({StaffRole.OPERATOR})),
    # Never staff: a community's applications and its eligibility are its own until it submits.
    AccessRule("scholarships.apply", community_rule({CommunityRole.COORDINATOR}, set())),
]
