"""How consultation states are named on the pages, in the reader's language."""

from __future__ import annotations

from hromada.i18n import lazy_gettext as _l
from hromada.modules.consultations.models import ConsultationStatus

STATUS_LABELS = {
    ConsultationStatus.REQUESTED: _l("Requested"),
    ConsultationStatus.SCHEDULED: _l("Scheduled"),
    ConsultationStatus.LOGGED: _l("Held"),
    ConsultationStatus.RATED: _l("Held and rated"),
    ConsultationStatus.CANCELLED: _l("Cancelled"),
}


def status_label(status) -> str:
    return STATUS_LABELS.get(status, status)


def format_hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"

# How this module's entries are named in the audit log (hromada_audit_labels).
AUDIT_LABELS = {
    "consultations.scheduled": _l("Scheduled a consultation"),
    "consultations.cancelled": _l("Cancelled a consultation"),
    "consultations.logged": _l("Logged a consultation"),
    "consultations.notes_read": _l("Read the private notes of a consultation"),
    "consultations.notes_shared": _l("Shared the private notes of a consultation"),
    "consultations.notes_unshared": _l("Stopped sharing the private notes of a consultation"),
    "consultations.topic_added": _l("Added a consultation topic to a programme"),
    "consultations.topic_retired": _l("Stopped offering a consultation topic"),
    "consultations.staff_list": _l("Staff listed their consultations"),
    "consultations.staff_follow_ups": _l("Staff listed their follow-ups"),
    "consultations.programme_requests": _l("Staff read which communities wait for a consultation"),
}
