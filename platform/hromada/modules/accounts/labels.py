"""How roles are named on the pages, in the reader's language."""

from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import CommunityRole, StaffRole

ROLE_LABELS = {
    StaffRole.OPERATOR: _l("Operator"),
    StaffRole.MENTOR: _l("Mentor"),
    StaffRole.EXPERT: _l("Expert"),
    StaffRole.FACILITATOR: _l("Facilitator"),
    CommunityRole.COORDINATOR: _l("Coordinator"),
    CommunityRole.MEMBER: _l("Member"),
}


def role_label(role) -> str:
    return ROLE_LABELS.get(role, role)
