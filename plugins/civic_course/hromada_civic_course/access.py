"""The civic course's permissions: members find problems, vote and draw change maps; the programme's staff read.

Which staff read what (only through their own organisation's civic course programme):
`hromada_civic_course.visibility`.
"""

from hromada.plugin_api import ALL_STAFF, MEMBER_ROLES, AccessRule, community_rule

READ, WRITE = "civic_course.read", "civic_course.write"

ACCESS_RULES = [
    AccessRule(READ, community_rule(MEMBER_ROLES, ALL_STAFF)),
    AccessRule(WRITE, community_rule(MEMBER_ROLES, set())),
]
