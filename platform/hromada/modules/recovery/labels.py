"""How this module's entries are named in the audit log (hromada_audit_labels)."""

from hromada.i18n import lazy_gettext as _l

AUDIT_LABELS = {
    "password_reset_issued": _l("Made a reset link for a person"),
    "password_reset_used": _l("Set a new password with a reset link"),
    "account_deleted": _l("Deleted their own account"),
    "account_deletion_refused": _l("Wrong password when deleting their own account"),
}
