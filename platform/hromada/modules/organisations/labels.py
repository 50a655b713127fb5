"""How the organisations module's entries are named in the audit log (hromada_audit_labels)."""

from hromada.i18n import lazy_gettext as _l

AUDIT_LABELS = {
    "organisation_created": _l("Created an organisation"),
    "staff.list_communities": _l("Staff listed their communities"),
}
