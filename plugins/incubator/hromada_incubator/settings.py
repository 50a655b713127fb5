"""What the incubator stage offers (deck 002, stage 1).

Its settings come from the modules that read them: the events module asks how many
networking events a community attends, the courses module what share of members
completes the courses (both added to stage types whose activities include them).
"""

from hromada.plugin_api import Activity
from hromada.plugin_api import lazy_gettext as _l

ACTIVITIES = (
    Activity("course", _l("Online course “Soft skills and emotional resilience”")),
    Activity("course", _l("Course “PRO community”, online and offline: what a community is and how to revive or create one")),
    Activity("networking", _l("Networking between the participants of both courses")),
    Activity("consultation", _l("Psychological-support consultations with partners")),
    Activity("consultation", _l("Security consultations and training")),
    Activity("audit", _l("A security audit of the community, and help setting up secure communication")),
)
