"""What the civic course offers (deck 002, stage 3).

Its settings come from the modules that read them (the events and courses modules add theirs to
stage types whose activities include networking or courses). A setting for the number of change maps
comes with the change maps that it counts.
"""

from hromada.plugin_api import Activity
from hromada.plugin_api import lazy_gettext as _l

ACTIVITIES = (
    Activity("lecture", _l("Online lectures on how groups change states: movements, parties, NGOs, social business")),
    Activity("course", _l("Offline meetings that find the problems of the town, region or country and form policies")),
    Activity("deliverable", _l("A change map for the local level, with an action plan to carry it out")),
    Activity("consultation", _l("Community-manager support: mentoring, contacts with stakeholders, building change maps")),
    Activity("consultation", _l("Consultations on founding and registering an association, at home and abroad")),
    Activity("strategic_session", _l("Strategic sessions for communities ready to carry out their change map")),
    Activity("scholarship", _l("Scholarships for making and spreading change maps and the projects that carry them out")),
    Activity("consultation", _l("Consultations on taking part in electoral campaigns")),
    Activity("internship", _l("Internships in NGOs, parties and local government abroad")),
)
