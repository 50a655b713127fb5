"""How the audit log names a community's export."""

from hromada.i18n import lazy_gettext as _l

AUDIT_LABELS = {
    "export.downloaded": _l("Community data downloaded"),
}
