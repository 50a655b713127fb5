"""Forms of the strategic sessions: a session, an outcome linked to the plan, a new action made at the session."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hromada.plugin_api import SelectField
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.forms import CHOOSE, WHOLE_NUMBER, _text, a_sensible_date

AT_MOST_200 = _l("At most %(max)d characters.", max=200)
NOTHING = ""


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


class SessionForm(FlaskForm):
    change_map = SelectField(_l("Change map"), coerce=int, choices=[], invalid_choice_message=CHOOSE,
                             validators=[InputRequired(message=_l("Choose a change map."))])
    held_on = DateField(_l("Date of the session"), validators=[InputRequired(message=_l("Enter a date.")),
                                                               a_sensible_date],
                        invalid_value_message=_l("Enter a date."))
    facilitator = StringField(_l("Facilitator"), description=_l("A name or pseudonym, or the programme's staff."),
                              validators=[Optional(), Length(max=200, message=AT_MOST_200)])
    participants = IntegerField(_l("How many took part"), default=0, validators=[
        InputRequired(message=WHOLE_NUMBER), NumberRange(min=0, max=10000, message=_l("Between 0 and 10000."))],
        invalid_value_message=WHOLE_NUMBER)
    summary = _text(_l("Summary"), 5000)

    def __init__(self, *args, maps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.change_map.choices = [SelectChoice(map_id, title) for map_id, title in maps]


class OutcomeForm(FlaskForm):
    # Spaces alone say nothing: stripped before the check.
    text = TextAreaField(_l("What the session agreed"), filters=[_stripped], validators=[
        DataRequired(message=_l("Say what the session agreed.")),
        Length(max=3000, message=_l("At most %(max)d characters.", max=3000))])
    link = SelectField(_l("About"), choices=[], default=NOTHING, invalid_choice_message=CHOOSE,
                       description=_l("A milestone or an action of the map's action plan, or the map as a whole."))

    def __init__(self, *args, milestones=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.link.choices = [SelectChoice(NOTHING, _l("The map as a whole"))]
        self.link.choices += [SelectChoice(f"m{milestone_id}", _l("Milestone: %(title)s", title=title))
                              for milestone_id, title in milestones]
        self.link.choices += [SelectChoice(f"a{action_id}", _l("Action: %(title)s", title=title))
                              for action_id, title in actions]


class SessionActionForm(FlaskForm):
    milestone = SelectField(_l("Milestone"), coerce=int, choices=[], invalid_choice_message=CHOOSE,
                            validators=[InputRequired(message=_l("Choose a milestone."))])
    title = StringField(_l("New action"), filters=[_stripped], validators=[DataRequired(message=_l("Name the action.")),
                                                      Length(max=200, message=AT_MOST_200)])
    owner = SelectField(_l("Owner"), coerce=int, choices=[], default=0, invalid_choice_message=CHOOSE)
    due_on = DateField(_l("Due"), validators=[Optional(), a_sensible_date], invalid_value_message=_l("Enter a date."))

    def __init__(self, *args, milestones=(), owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.milestone.choices = [SelectChoice(milestone_id, title) for milestone_id, title in milestones]
        self.owner.choices = [SelectChoice(0, _l("Nobody yet"))] + [
            SelectChoice(user.id, user.display_name or user.handle) for user in owners]
