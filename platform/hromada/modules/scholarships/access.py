"""Who runs scholarship calls (the organisation's operators) and who applies (the community's coordinators)."""

from hromada.authz import ALL_STAFF, community_rule, organisation_rule
from hromada.contributions import AccessRule
from hromada.modules.accounts.models import CommunityRole, StaffRole

ACCESS_RULES = [
    AccessRule("scholarships.manage", organisation_rule({StaffRole.OPERATOR})),
    # Any of the organisation's staff may be assigned; each page then shows only their own reviews.
    AccessRule("scholarships.review", organisation_rule(ALL_STAFF)),
    # Never staff: a community's applications and its eligibility are its own until it submits.
    AccessRule("scholarships.apply", community_rule({CommunityRole.COORDINATOR}, set())),
]
