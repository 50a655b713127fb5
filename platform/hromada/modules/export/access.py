"""Only a coordinator takes the community's data with them; staff never do."""

from hromada.authz import community_rule
from hromada.contributions import AccessRule
from hromada.roles import CommunityRole

ACCESS_RULES = [
    AccessRule("export.download", community_rule({CommunityRole.COORDINATOR}, set())),
]
