"""How the progress module's entries are named in the audit log (hromada_audit_labels)."""

from hromada.i18n import lazy_gettext as _l

AUDIT_LABELS = {
    "staff.read_cohort": _l("Staff opened a programme's cohort overview"),
    "enrolment_advanced": _l("Moved a community to the next stage"),
    "enrolment_completed": _l("Marked a community's programme completed"),
    "enrolment_overridden": _l("Moved a community on although requirements were open"),
    "enrolment_withdrawn": _l("Withdrew a community from a programme"),
    "staff_assigned": _l("Assigned staff to a community"),
    "staff_unassigned": _l("Removed staff from a community"),
}
