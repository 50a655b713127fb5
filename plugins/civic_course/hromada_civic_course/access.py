"""The civic course's permissions: members find problems, vote, draw maps and apply for internships; staff read.

Which staff read what (only through their own organisation's civic course programme):
`hromada_civic_course.visibility`.
"""

from hromada.plugin_api import (
    ALL_STAFF,
    MEMBER_ROLES,
    AccessRule,
    CommunityRole,
    StaffRole,
    community_rule,
    organisation_rule,
)

READ, WRITE = "civic_course.read", "civic_course.write"

ACCESS_RULES = [
    AccessRule(READ, community_rule(MEMBER_ROLES, ALL_STAFF)),
    AccessRule(WRITE, community_rule(MEMBER_ROLES, set())),
]

# Comments on a draft change map: its members, and the mentors and facilitators who help build it (the view
# checks they reach it through the map's programme, `maps.comments.readable`).
COMMENT = "civic_course.comment"
ACCESS_RULES.append(AccessRule(COMMENT, community_rule(MEMBER_ROLES, {StaffRole.MENTOR, StaffRole.FACILITATOR})))

# Internships: a community's members see their own applications and placements; the operators of the
# organisation offering the placements keep them and see the applications. Nobody else sees anything.
INTERNSHIPS, PLACEMENTS = "civic_course.internships", "civic_course.placements"
ACCESS_RULES += [
    AccessRule(INTERNSHIPS, community_rule(MEMBER_ROLES, set())),
    AccessRule(PLACEMENTS, organisation_rule({StaffRole.OPERATOR})),
]

# Sharing an adopted map's summary with the cohort is the coordinators' choice; the cohort's members read the
# summaries their programmes' communities share (`maps.sharing`). Staff have neither: they read the maps
# themselves through their programme (`visibility`), and another organisation's staff nothing at all.
SHARE, COHORT = "civic_course.share", "civic_course.cohort"
ACCESS_RULES += [
    AccessRule(SHARE, community_rule({CommunityRole.COORDINATOR}, set())),
    AccessRule(COHORT, community_rule(MEMBER_ROLES, set())),
]
