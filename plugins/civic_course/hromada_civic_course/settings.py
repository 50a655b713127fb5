"""The civic course's settings form, and what the stage offers (deck 002, stage 3).

The events module reads `networking_events_required` from `Stage.settings`: keep this name.
"""

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from hromada.contributions import Activity
from hromada.i18n import lazy_gettext as _l

WHOLE_NUMBER = _l("Enter a whole number.")


class CivicCourseSettingsForm(FlaskForm):
    networking_events_required = IntegerField(
        _l("Networking events each community attends"),
        default=0,
        validators=[InputRequired(message=WHOLE_NUMBER), NumberRange(min=0, max=20, message=_l("Between 0 and 20."))],
        invalid_value_message=WHOLE_NUMBER,
    )
    change_maps_required = IntegerField(
        _l("Change maps each community makes"),
        default=1,
        validators=[InputRequired(message=WHOLE_NUMBER), NumberRange(min=0, max=10, message=_l("Between 0 and 10."))],
        invalid_value_message=WHOLE_NUMBER,
    )


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
