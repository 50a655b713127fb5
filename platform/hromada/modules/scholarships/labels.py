"""How the audit log names what happens to scholarship calls and applications."""

from hromada.i18n import lazy_gettext as _l

AUDIT_LABELS = {
    "scholarships.call_opened": _l("Opened a scholarship call"),
    "scholarships.call_changed": _l("Changed a scholarship call"),
    "scholarships.questions_changed": _l("Changed the questions of a scholarship call"),
    "scholarships.application_drafted": _l("Kept a draft scholarship application"),
    "scholarships.application_submitted": _l("Submitted a scholarship application"),
    "scholarships.application_changed": _l("Changed a submitted scholarship application"),
    "scholarships.application_withdrawn": _l("Withdrew a scholarship application"),
    "scholarships.read_application": _l("Read a scholarship application"),
}

STATUS_LABELS = {
    "draft": _l("Draft: not sent yet"),
    "submitted": _l("Submitted"),
    "withdrawn": _l("Withdrawn"),
}
