"""Courses: operators build them; operators and facilitators mark attendance; members take part."""

from hromada.authz import MEMBER_ROLES, community_rule, organisation_rule
from hromada.contributions import AccessRule
from hromada.modules.accounts.models import StaffRole

ACCESS_RULES = [
    AccessRule("courses.manage", organisation_rule({StaffRole.OPERATOR})),
    AccessRule("courses.mark_attendance", organisation_rule({StaffRole.OPERATOR, StaffRole.FACILITATOR})),
    AccessRule("courses.participate", community_rule(MEMBER_ROLES, set())),
]
