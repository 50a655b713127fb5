"""How the states of applications are named on the pages, in the reader's language."""

from hromada.i18n import lazy_gettext as _l
from hromada.modules.programmes.models import ApplicationStatus

STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: _l("Waiting for a decision"),
    ApplicationStatus.ADMITTED: _l("Admitted"),
    ApplicationStatus.DECLINED: _l("Declined"),
}

# How this module's entries are named in the audit log (hromada_audit_labels).
AUDIT_LABELS = {
    "programme_created": _l("Created a programme"),
    "programme_changed": _l("Changed a programme"),
    "programme_texts_changed": _l("Changed a programme's texts in its other languages"),
    "programme_published": _l("Published a programme"),
    "programme_returned_to_draft": _l("Returned a programme to draft"),
    "stage_added": _l("Added a stage to a programme"),
    "stage_changed": _l("Changed a stage"),
    "stage_moved": _l("Moved a stage"),
    "stage_closed": _l("Closed a stage"),
    "call_changed": _l("Changed a programme's call"),
    "application_form_changed": _l("Changed a call's questions"),
    "application_submitted": _l("Applied to a programme"),
    "application_admitted": _l("Admitted a community to a programme"),
    "application_declined": _l("Declined an application"),
    "staff.read_applications": _l("Staff read a programme's applications"),
}
