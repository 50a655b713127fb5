"""Forms of the coordination meeting: the community's request and report, the operator's budget and plan decisions."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from hromada.plugin_api import SelectField
from hromada.plugin_api import MoneyField
from hromada.plugin_api import lazy_gettext as _l

WHOLE_NUMBER = _l("Enter a whole number.")


def a_sensible_date(form, field) -> None:
    if field.data is not None and not (date(2000, 1, 1) <= field.data <= date(2100, 12, 31)):
        raise ValidationError(_l("Enter a date between 2000 and 2100."))


class MeetingForm(FlaskForm):
    held_on = DateField(_l("Date of the meeting"), validators=[InputRequired(message=_l("Enter a date.")),
                                                               a_sensible_date],
                        invalid_value_message=_l("Enter a date."))
    online = BooleanField(_l("Online"))
    # Choices are the staff assigned to the community in this programme (set by the page), and nobody.
    facilitator = SelectField(_l("Facilitator"), default="", choices=[SelectChoice("", _l("Nobody from the programme"))],
                              description=_l("Staff assigned to your community in this programme."))
    place = StringField(_l("Place"), description=_l("Shown to the community and to the programme's staff only."),
                        validators=[Optional(), Length(max=300, message=_l("At most 300 characters."))])
    participants = IntegerField(_l("Participants"), default=0, validators=[
        InputRequired(message=WHOLE_NUMBER), NumberRange(min=0, max=1000, message=_l("Between 0 and 1000."))],
        invalid_value_message=WHOLE_NUMBER)
    requested = MoneyField(_l("Budget the community asks for"),
                           validators=[InputRequired(message=_l("Enter the amount you ask for."))])
    report = TextAreaField(_l("Short report"), description=_l("After the meeting: what was decided, what comes next."),
                           validators=[Optional(), Length(max=5000, message=_l("At most 5000 characters."))])
    roles = TextAreaField(_l("Who does what"), description=_l("The distribution of roles agreed at the meeting."),
                          validators=[Optional(), Length(max=3000, message=_l("At most 3000 characters."))])


class BudgetForm(FlaskForm):
    approved = MoneyField(_l("Approved budget"), validators=[InputRequired(message=_l("Enter the approved amount."))])


class ReturnForm(FlaskForm):
    comment = TextAreaField(_l("What to change"), validators=[
        InputRequired(message=_l("Say what the community should change.")),
        Length(max=3000, message=_l("At most 3000 characters."))])
