"""The strategy's permissions: members and the facilitator draft; staff read what was adopted."""

from hromada.plugin_api import ALL_STAFF, MEMBER_ROLES, AccessRule, StaffRole, community_rule

ACCESS_RULES = [
    AccessRule("accelerator.strategy_read", community_rule(MEMBER_ROLES, ALL_STAFF)),
    # Deck 002: the community works out its strategy with a facilitator, who drafts and comments;
    # only the community adopts it. Which facilitators reach the draft: visibility.reads_drafts.
    AccessRule("accelerator.strategy_write", community_rule(MEMBER_ROLES, {StaffRole.FACILITATOR})),
    AccessRule("accelerator.strategy_comment",
               community_rule(MEMBER_ROLES, {StaffRole.FACILITATOR, StaffRole.MENTOR})),
    AccessRule("accelerator.strategy_propose", community_rule(MEMBER_ROLES, set())),
]
