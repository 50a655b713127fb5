"""Forms of the civic course: meetings, problems, dots, change maps and stakeholders. Every message translated."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from hromada.plugin_api import SelectField
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.maps.models import KINDS, LEVELS, TOOLS
from hromada_civic_course.meetings.models import DOTS_PER_MEMBER, Level

WHOLE_NUMBER = _l("Enter a whole number.")
LEVEL_NAMES = {Level.TOWN.value: _l("Town"), Level.REGION.value: _l("Region"), Level.COUNTRY.value: _l("Country")}
CHOOSE = _l("Choose one of the options offered.")


def _choices(names: dict) -> list[SelectChoice]:
    return [SelectChoice(key, label) for key, label in names.items()]


def a_sensible_date(form, field) -> None:
    if field.data is not None and not (date(2000, 1, 1) <= field.data <= date(2100, 12, 31)):
        raise ValidationError(_l("Enter a date between 2000 and 2100."))


def _text(label, length, required=None, description=None):
    first = InputRequired(message=required) if required else Optional()
    return TextAreaField(label, description=description, validators=[
        first, Length(max=length, message=_l("At most %(max)d characters.", max=length))])


def _score(label):
    return IntegerField(label, default=3, validators=[
        InputRequired(message=WHOLE_NUMBER), NumberRange(min=1, max=5, message=_l("Between 1 and 5."))],
        invalid_value_message=WHOLE_NUMBER)


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes, drawn in a fieldset with its legend."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MeetingForm(FlaskForm):
    held_on = DateField(_l("Date of the meeting"), validators=[InputRequired(message=_l("Enter a date.")),
                                                               a_sensible_date],
                        invalid_value_message=_l("Enter a date."))
    level = RadioField(_l("Level"), choices=_choices(LEVEL_NAMES), default=Level.TOWN.value, invalid_choice_message=CHOOSE,
                       validators=[InputRequired(message=_l("Choose a level."))])
    participants = IntegerField(_l("How many took part"), default=0, validators=[
        InputRequired(message=WHOLE_NUMBER), NumberRange(min=0, max=10000, message=_l("Between 0 and 10000."))],
        invalid_value_message=WHOLE_NUMBER)
    facilitator = StringField(_l("Facilitator"), description=_l("A name or pseudonym, or the programme's staff."),
                              validators=[Optional(), Length(max=200, message=_l("At most %(max)d characters.",
                                                                                   max=200))])


class ProblemForm(FlaskForm):
    title = StringField(_l("Problem"), validators=[InputRequired(message=_l("Name the problem.")),
                                                   Length(max=200, message=_l("At most %(max)d characters.", max=200))])
    what_is_wrong = _text(_l("What is wrong"), 3000)
    who_is_affected = _text(_l("Who is affected"), 3000)
    evidence = _text(_l("Evidence"), 3000)


class DotsForm(FlaskForm):
    dots = IntegerField(_l("Your dots"), default=0, validators=[
        InputRequired(message=WHOLE_NUMBER),
        NumberRange(min=0, max=DOTS_PER_MEMBER, message=_l("Between 0 and %(max)d.", max=DOTS_PER_MEMBER))],
        invalid_value_message=WHOLE_NUMBER)


class NewMapForm(FlaskForm):
    problem = SelectField(_l("Problem"), coerce=int, choices=[], invalid_choice_message=CHOOSE,
                          validators=[InputRequired(message=_l("Choose a problem."))])
    goal = _text(_l("The change we want"), 3000, required=_l("Say what change you want."))

    def __init__(self, *args, problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.problem.choices = [SelectChoice(problem.id, problem.title) for problem in problems]


class MapForm(FlaskForm):
    goal = _text(_l("The change we want"), 3000, required=_l("Say what change you want."))
    levels = CheckboxesField(_l("Levels of policy"), choices=_choices(LEVELS), invalid_choice_message=CHOOSE)
    tools = CheckboxesField(_l("Tools of influence"), choices=_choices(TOOLS), invalid_choice_message=CHOOSE)
    assumptions = _text(_l("Assumptions"), 5000, description=_l("One per line."))


class StakeholderForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(message=_l("Name the stakeholder.")),
                                               Length(max=200, message=_l("At most %(max)d characters.", max=200))])
    kind = RadioField(_l("Kind"), choices=_choices(KINDS), default="decision_maker", invalid_choice_message=CHOOSE,
                      validators=[InputRequired(message=_l("Choose a kind."))])
    influence = _score(_l("Influence (1–5)"))
    interest = _score(_l("Interest (1–5)"))


SHOWN_AS = {"named": _l("Under our community's name"), "anonymous": _l("Anonymously: our name is not shown")}


class ShareForm(FlaskForm):
    """Share an adopted version's summary with the cohort; the version is the one the coordinator was shown."""

    version = IntegerField(validators=[InputRequired(message=_l("Reload the page and choose again."))],
                           invalid_value_message=_l("Reload the page and choose again."))
    shown_as = RadioField(_l("Shown to the cohort"), choices=_choices(SHOWN_AS), default="named",
                          invalid_choice_message=CHOOSE, validators=[InputRequired(message=CHOOSE)])
