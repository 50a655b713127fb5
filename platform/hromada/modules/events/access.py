"""Networking events: operators plan them; operators and facilitators mark attendance; members register."""

from hromada.authz import MEMBER_ROLES, community_rule, organisation_rule
from hromada.contributions import AccessRule
from hromada.modules.accounts.models import StaffRole

ACCESS_RULES = [
    AccessRule("events.manage", organisation_rule({StaffRole.OPERATOR})),
    AccessRule("events.mark_attendance", organisation_rule({StaffRole.OPERATOR, StaffRole.FACILITATOR})),
    AccessRule("events.register", community_rule(MEMBER_ROLES, set())),
]
