"""Who may see, ask for, confirm and cancel a community's erase (the operations check the finer rules)."""

from hromada.authz import community_rule
from hromada.contributions import AccessRule
from hromada.roles import CommunityRole, StaffRole

COORDINATORS = {CommunityRole.COORDINATOR}
OPERATORS = {StaffRole.OPERATOR}

ACCESS_RULES = [
    AccessRule("erasure.view", community_rule(COORDINATORS, OPERATORS)),
    AccessRule("erasure.ask", community_rule(COORDINATORS, set())),
    # A second coordinator, or an operator when there is a single coordinator (operations.may_confirm).
    AccessRule("erasure.confirm", community_rule(COORDINATORS, OPERATORS)),
    AccessRule("erasure.cancel", community_rule(COORDINATORS, OPERATORS)),
]
