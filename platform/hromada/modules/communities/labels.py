"""How the communities module's entries are named in the audit log (hromada_audit_labels)."""

from hromada.i18n import lazy_gettext as _l

AUDIT_LABELS = {
    "community_created": _l("Created a community"),
    "staff.read_community": _l("Staff opened a community's page"),
}
