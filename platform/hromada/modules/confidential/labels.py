"""How the confidential module's entries are named in the audit log (hromada_audit_labels)."""

from hromada.i18n import lazy_gettext as _l

AUDIT_LABELS = {
    "community_key_destroyed": _l("Destroyed a community's key: its confidential notes can no longer be read"),
    "master_key_rotated": _l("Re-wrapped the communities' keys under a new master key"),
}
