"""Forms of the charter: a value, a principle, a rule, and the rule "how we decide"."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from hromada.plugin_api import SelectField
from hromada.plugin_api import lazy_gettext as _l

WHOLE_NUMBER = _l("Enter a whole number.")
# Deck 002: "rules must never stand above values: they protect and strengthen them".
RULE_WITHOUT_VALUE = _l("Rules must never stand above values: they protect and strengthen them. "
                        "Choose at least one value this rule protects.")


def at_least_one_value(form, field) -> None:
    # Not InputRequired: it would mark every checkbox required, and a browser would ask for all of them.
    if not field.data:
        raise StopValidation(str(RULE_WITHOUT_VALUE))


class ValueForm(FlaskForm):
    name = StringField(_l("A value"), validators=[InputRequired(message=_l("Name the value.")),
                                                  Length(max=120, message=_l("At most 120 characters."))])
    meaning = TextAreaField(_l("What it means to you"),
                            validators=[Optional(), Length(max=2000, message=_l("At most 2000 characters."))])


class PrincipleForm(FlaskForm):
    value_id = SelectField(_l("The value it follows from"), choices=[], coerce=int,
                           invalid_choice_message=_l("Choose one of the community's values."))
    statement = TextAreaField(_l("The principle"), validators=[
        InputRequired(message=_l("Write the principle.")), Length(max=2000, message=_l("At most 2000 characters."))])


class RuleForm(FlaskForm):
    text = TextAreaField(_l("The rule"), validators=[
        InputRequired(message=_l("Write the rule.")), Length(max=2000, message=_l("At most 2000 characters."))])
    protects = SelectMultipleField(_l("The values it protects"), choices=[], coerce=int,
                                   widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                   validators=[at_least_one_value],
                                   invalid_choice_message=_l("Choose among the community's values."))


class DecidingForm(FlaskForm):
    method = SelectField(_l("How we decide"), choices=[
        SelectChoice("consent", _l("Consent")), SelectChoice("consensus", _l("Consensus")),
        SelectChoice("vote", _l("Majority vote"))],
        invalid_choice_message=_l("Choose consent, consensus or a majority vote."))
    days = IntegerField(_l("A proposal stays open for (days)"), validators=[
        InputRequired(message=WHOLE_NUMBER), NumberRange(min=1, max=90, message=_l("Between 1 and 90 days."))],
        invalid_value_message=WHOLE_NUMBER)
    quorum_percent = IntegerField(_l("Quorum (percentage of members who must vote)"), validators=[
        InputRequired(message=WHOLE_NUMBER), NumberRange(min=0, max=100, message=_l("Between 0 and 100."))],
        invalid_value_message=WHOLE_NUMBER)
    threshold_percent = SelectField(_l("Share of yes needed"), coerce=int, choices=[
        SelectChoice(50, _l("More than half")), SelectChoice(67, _l("Two thirds")),
        SelectChoice(75, _l("Three quarters")), SelectChoice(100, _l("Everyone who votes yes or no"))], invalid_choice_message=_l("Choose one of the shares offered."))
