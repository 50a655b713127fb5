"""How the security audit's entries are named in the audit log (hromada_audit_labels)."""

from hromada.plugin_api import lazy_gettext as _l

AUDIT_LABELS = {
    "incubator.audit_started": _l("Started a security audit"),
    "incubator.audit_read": _l("Read the findings of a security audit"),
    "incubator.audit_finding_recorded": _l("Recorded a finding of a security audit"),
    "incubator.audit_completed": _l("Completed a security audit"),
}
