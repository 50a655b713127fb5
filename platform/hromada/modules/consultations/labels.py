"""How consultation states are named on the pages, in the reader's language."""

from __future__ import annotations

from datetime import datetime

from hromada.clock import as_utc
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


def format_moment(moment: datetime | None) -> str:
    moment = as_utc(moment)
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "—"


def format_hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"
