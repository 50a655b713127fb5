"""How the states of applications are named on the pages, in the reader's language."""

from hromada.i18n import lazy_gettext as _l
from hromada.modules.programmes.models import ApplicationStatus

STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: _l("Waiting for a decision"),
    ApplicationStatus.ADMITTED: _l("Admitted"),
    ApplicationStatus.DECLINED: _l("Declined"),
}
