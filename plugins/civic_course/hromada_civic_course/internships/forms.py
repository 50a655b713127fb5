"""Forms of the internships: host organisations, placements, applications, the operator's record, the logbook."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from hromada.plugin_api import SelectField
from hromada.plugin_api import format_day
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.forms import CHOOSE, WHOLE_NUMBER, a_sensible_date
from hromada_civic_course.internships.models import HOST_KINDS


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _line(label, length, required=None, description=None):
    first = DataRequired(message=required) if required else Optional()
    return StringField(label, description=description, filters=[_stripped], validators=[
        first, Length(max=length, message=_l("At most %(max)d characters.", max=length))])


def _text(label, length, required=None, description=None):
    first = DataRequired(message=required) if required else Optional()
    return TextAreaField(label, description=description, filters=[_stripped], validators=[
        first, Length(max=length, message=_l("At most %(max)d characters.", max=length))])


def _date(label, required=True):
    first = InputRequired(message=_l("Enter a date.")) if required else Optional()
    return DateField(label, validators=[first, a_sensible_date], invalid_value_message=_l("Enter a date."))


class HostForm(FlaskForm):
    name = _line(_l("Name"), 200, required=_l("Name the host organisation."))
    kind = RadioField(_l("Kind"), choices=[SelectChoice(key, label) for key, label in HOST_KINDS.items()],
                      default="association", invalid_choice_message=CHOOSE,
                      validators=[InputRequired(message=_l("Choose a kind."))])
    country = _line(_l("Country"), 100, required=_l("Name the country."))
    languages = _line(_l("Languages"), 200, description=_l("The languages spoken there, separated by commas."))


class PlacementForm(FlaskForm):
    host = SelectField(_l("Host organisation"), coerce=int, choices=[], invalid_choice_message=CHOOSE,
                       validators=[InputRequired(message=_l("Choose a host organisation."))])
    starts_on = _date(_l("From"))
    ends_on = _date(_l("Until"))
    places = IntegerField(_l("Places"), default=1, validators=[
        InputRequired(message=WHOLE_NUMBER), NumberRange(min=1, max=100, message=_l("Between 1 and 100."))],
        invalid_value_message=WHOLE_NUMBER)
    tasks = _text(_l("What the intern will do"), 3000, required=_l("Say what the intern will do."))
    language = _line(_l("Working language"), 100, required=_l("Name the working language."))

    def __init__(self, *args, hosts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.host.choices = [SelectChoice(host.id, f"{host.name} ({host.country})") for host in hosts]

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The placement cannot end before it starts."))


class ApplyForm(FlaskForm):
    placement = SelectField(_l("Placement"), coerce=int, choices=[], invalid_choice_message=CHOOSE,
                            validators=[InputRequired(message=_l("Choose a placement."))])
    intern = SelectField(_l("Who goes"), coerce=int, choices=[], invalid_choice_message=CHOOSE,
                         description=_l("A member applies; a coordinator may nominate any member."),
                         validators=[InputRequired(message=_l("Choose a member."))])
    motivation = _text(_l("Motivation"), 3000, required=_l("Say why this placement."))
    languages = _line(_l("Languages"), 200, description=_l("The languages the intern speaks, separated by commas."))

    def __init__(self, *args, placements=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.placement.choices = [SelectChoice(placement.id, f"{placement.host.name}, {placement.host.country}: "
                                               f"{format_day(placement.starts_on)} – {format_day(placement.ends_on)}")
                                  for placement in placements]
        self.intern.choices = [SelectChoice(user.id, user.name) for user in members]


class RecordForm(FlaskForm):
    agreement_on = _date(_l("Agreement signed on"), required=False)
    travel = _text(_l("Travel details"), 3000, description=_l(
        "Dates and arrangements; read only by you and the intern's community. No addresses or phone numbers."))
    host_evaluation = _text(_l("The host's evaluation"), 5000)


class LogbookForm(FlaskForm):
    written_on = _date(_l("Day"))
    text = _text(_l("What I did and learnt"), 5000, required=_l("Write the entry."))


class ReportForm(FlaskForm):
    intern_evaluation = _text(_l("My evaluation of the placement"), 5000, required=_l("Write your evaluation."))
