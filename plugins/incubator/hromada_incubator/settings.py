"""The incubator's settings form, and what the stage offers (deck 002, stage 1).

The events and courses modules read `networking_events_required` and
`course_completion_share` from `Stage.settings`: keep these names.
"""

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from hromada.contributions import Activity
from hromada.i18n import lazy_gettext as _l

WHOLE_NUMBER = _l("Enter a whole number.")


class IncubatorSettingsForm(FlaskForm):
    networking_events_required = IntegerField(
        _l("Networking events each community attends"),
        default=1,
        validators=[InputRequired(message=WHOLE_NUMBER), NumberRange(min=0, max=20, message=_l("Between 0 and 20."))],
        invalid_value_message=WHOLE_NUMBER,
    )
    course_completion_share = IntegerField(
        _l("Share of members who complete the courses (percent)"),
        description=_l("The stage's courses count as completed when this share of the community's members has finished them."),
        default=70,
        validators=[InputRequired(message=WHOLE_NUMBER), NumberRange(min=0, max=100, message=_l("Between 0 and 100."))],
        invalid_value_message=WHOLE_NUMBER,
    )


ACTIVITIES = (
    Activity("course", _l("Online course “Soft skills and emotional resilience”")),
    Activity("course", _l("Course “PRO community”, online and offline: what a community is and how to revive or create one")),
    Activity("networking", _l("Networking between the participants of both courses")),
    Activity("consultation", _l("Psychological-support consultations with partners")),
    Activity("consultation", _l("Security consultations and training")),
    Activity("audit", _l("A security audit of the community, and help setting up secure communication")),
)
