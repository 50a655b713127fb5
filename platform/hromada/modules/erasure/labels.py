"""How the audit log names the steps of an erase."""

from hromada.i18n import lazy_gettext as _l

AUDIT_LABELS = {
    "erasure.requested": _l("Erase of the community asked for"),
    "erasure.confirmed": _l("Erase of the community confirmed"),
    "erasure.cancelled": _l("Erase of the community cancelled"),
    "erasure.completed": _l("Community erased"),
}

ASKED = _l("%(community)s: a coordinator asks to erase the community, and it needs your confirmation.")
CONFIRMED = _l("%(community)s will be erased after %(date)s (UTC) unless a coordinator cancels it. Save what you "
               "want to keep before then.")
CANCELLED = _l("The erase of %(community)s was cancelled. Nothing was deleted.")
