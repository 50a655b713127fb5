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

# How this module's entries are named in the audit log (hromada_audit_labels).
AUDIT_LABELS = {
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Failed sign-in"),
    "sign_out": _l("Signed out"),
    "password_changed": _l("Changed the password"),
    "invitation_created": _l("Created an invitation"),
    "invitation_accepted": _l("Accepted an invitation"),
    "sessions_ended": _l("Ended other sessions of one's own"),
    "sessions_end_refused": _l("Wrong password when ending other sessions"),
}
