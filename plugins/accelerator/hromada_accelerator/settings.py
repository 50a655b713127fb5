"""The accelerator's settings form, and what the stage offers (deck 002, stage 2).

The events module reads `networking_events_required` from `Stage.settings`: keep this name.
"""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from hromada.contributions import Activity
from hromada.i18n import lazy_gettext as _l

WHOLE_NUMBER = _l("Enter a whole number.")


class AcceleratorSettingsForm(FlaskForm):
    networking_events_required = IntegerField(
        _l("Networking events each community attends"),
        default=1,
        validators=[InputRequired(message=WHOLE_NUMBER), NumberRange(min=0, max=20, message=_l("Between 0 and 20."))],
        invalid_value_message=WHOLE_NUMBER,
    )
    manifesto_required = BooleanField(
        _l("A community writes its manifesto before it moves on"),
        default=True,
    )


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
