"""The manifesto's permissions. Which staff read the draft is decided per community (visibility.reads_drafts)."""

from hromada.plugin_api import ALL_STAFF, MEMBER_ROLES, AccessRule, CommunityRole, StaffRole, community_rule

ACCESS_RULES = [
    AccessRule("accelerator.manifesto_read", community_rule(MEMBER_ROLES, ALL_STAFF)),
    AccessRule("accelerator.manifesto_write", community_rule(MEMBER_ROLES, set())),
    AccessRule("accelerator.manifesto_comment",
               community_rule(MEMBER_ROLES, {StaffRole.MENTOR, StaffRole.FACILITATOR})),
    # Publishing puts the community's words on the open web: its coordinators decide.
    AccessRule("accelerator.manifesto_publish", community_rule({CommunityRole.COORDINATOR}, set())),
]
