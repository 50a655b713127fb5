"""The translatable names of the events module's fixed lists."""

from hromada.i18n import lazy_gettext as _l
from hromada.modules.events.models import EventMode

MODE_LABELS = {
    EventMode.ONLINE: _l("Online"),
    EventMode.OFFLINE: _l("In person"),
}

# The follow-up questions of deck 004 ("Community is relationships"), in the order they are asked.
FOLLOW_UP_KINDS = {
    "materials_sent": _l("Photos and materials sent to the participants"),
    "thanks_said": _l("Thanks said to participants, hosts and speakers"),
    "participants_connected": _l("Participants connected with each other"),
    "invited_into_community": _l("Participants invited into the communities"),
    "feedback_collected": _l("Feedback collected"),
    "history_written": _l("The event written into the communities' history"),
    "promoted": _l("The event promoted"),
}

def mode_label(mode) -> str:
    return MODE_LABELS.get(EventMode(mode), mode)


def follow_up_label(kind: str) -> str:
    return FOLLOW_UP_KINDS.get(kind, kind)


# How this module's entries are named in the audit log (hromada_audit_labels).
AUDIT_LABELS = {
    "events.created": _l("Planned a networking event"),
    "events.updated": _l("Changed a networking event"),
    "events.attendance_marked": _l("Marked attendance at a networking event"),
    "events.attendance_unmarked": _l("Marked people absent from a networking event"),
    "events.follow_up_updated": _l("Updated the follow-up of a networking event"),
    "events.read_communities": _l("Staff read which communities take part in networking events"),
}
