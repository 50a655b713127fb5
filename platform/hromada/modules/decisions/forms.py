"""Forms of the decisions module: a proposal, and a member's position on it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from hromada.fields import SelectField
from hromada.i18n import lazy_gettext as _l
from hromada.modules.decisions.labels import METHOD_LABELS, STANCE_LABELS, THRESHOLD_LABELS
from hromada.modules.decisions.models import STANCES, DecisionMethod

WHOLE_NUMBER = _l("Enter a whole number.")
MAX_DAYS = 90


class ProposalForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(message=_l("Enter a title.")), Length(max=200, message=_l("At most 200 characters."))],
    )
    text = TextAreaField(
        _l("What you propose"),
        description=_l("The text is frozen when the proposal opens: what passes is exactly what the members read."),
        validators=[InputRequired(message=_l("Write what you propose.")),
                    Length(max=20000, message=_l("At most 20000 characters."))],
    )
    method = SelectField(
        _l("How we decide"),
        choices=[SelectChoice(method.value, METHOD_LABELS[method]) for method in DecisionMethod],
        invalid_choice_message=_l("Choose consent, consensus or a majority vote."),
    )
    days = IntegerField(
        _l("Open for (days)"),
        validators=[InputRequired(message=WHOLE_NUMBER),
                    NumberRange(min=1, max=MAX_DAYS, message=_l("Between 1 and 90 days."))],
        invalid_value_message=WHOLE_NUMBER,
    )
    quorum_percent = IntegerField(
        _l("Quorum (percentage of members who must vote)"),
        description=_l("For a majority vote only. Counted on the members when the proposal opens."),
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("Between 0 and 100."))],
        invalid_value_message=WHOLE_NUMBER,
    )
    threshold_percent = SelectField(
        _l("Share of yes needed"),
        description=_l("For a majority vote only: the share of yes among yes and no."),
        choices=[SelectChoice(str(value), label) for value, label in THRESHOLD_LABELS.items()],
        invalid_choice_message=_l("Choose one of the shares offered."),
    )
    shared_with = SelectField(
        _l("Who else sees it"),
        description=_l("The staff of a programme read the proposal and, once it closes, its result; "
                       "never who took which position."),
        choices=[], invalid_choice_message=_l("Choose one of the programmes offered."),
    )
    # For a proposal about an object: the fingerprint of the text the person read.
    seen = HiddenField()

    def method_value(self) -> DecisionMethod:
        return DecisionMethod(self.method.data)


class PositionForm(FlaskForm):
    stance = RadioField(_l("Your position"), choices=[], validate_choice=False)
    reason = TextAreaField(
        _l("Why (needed for an objection or a block)"),
        validators=[Optional(), Length(max=5000, message=_l("At most 5000 characters."))],
    )

    def offer(self, method: DecisionMethod) -> PositionForm:
        self.stance.choices = [SelectChoice(stance.value, STANCE_LABELS[stance]) for stance in STANCES[method]]
        return self
