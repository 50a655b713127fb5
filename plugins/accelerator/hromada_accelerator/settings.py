"""What the accelerator stage offers (deck 002, stage 2).

Its settings come from the modules that read them (the events and courses modules add theirs to
stage types whose activities include networking or courses). A setting that the manifesto's
requirement reads comes with that requirement.
"""

from hromada.plugin_api import Activity
from hromada.plugin_api import lazy_gettext as _l

ACTIVITIES = (
    Activity("course", _l("School of community-development facilitators")),
    Activity("strategic_session", _l("Work with a community manager and facilitators: values, vision, mission and strategic goals")),
    Activity("coordination_meeting", _l("A funded coordination meeting: the operational plan and the distribution of roles")),
    Activity("networking", _l("Networking “Motivation to act”")),
    Activity("course", _l("Course “Politics for communities”")),
    Activity("consultation", _l("Expert consultations on activities and institutional development")),
    Activity("scholarship", _l("Scholarships for communities with strategic goals and an operational plan")),
    Activity("deliverable", _l("The community's manifesto: its first statement of itself as an actor")),
)
