"""The scholarship forms: an operator's call, and a community's application (the call's questions are added
by the questionnaire engine). The server checks everything; messages are translated."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from hromada.i18n import lazy_gettext as _l
from hromada.money import Money, MoneyError, MoneyField, format_money, parse_money
from hromada.modules.questionnaires.forms import AT_MOST, NOT_A_DATE, Form, answers_form

TITLE_MAX = 200
PURPOSE_MAX = 5000


def _required_date(label):
    return DateField(label, validators=[InputRequired(message=NOT_A_DATE)], invalid_value_message=NOT_A_DATE)


def _optional_date(label, description=None):
    return DateField(label, description=description, validators=[Optional()], invalid_value_message=NOT_A_DATE)


class CallForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter a title.")),
                                                 Length(max=TITLE_MAX, message=AT_MOST)])
    purpose = TextAreaField(
        _l("Purpose"), description=_l("What the scholarship pays for, and what the programme expects in return."),
        validators=[DataRequired(message=_l("Say what the scholarship is for.")),
                    Length(max=PURPOSE_MAX, message=AT_MOST)],
    )
    stage_id = SelectField(_l("Stage"), validators=[InputRequired(message=_l("Choose a stage."))],
                           invalid_choice_message=_l("Choose a stage of this programme."))
    budget = MoneyField(_l("Total budget of the call"),
                        validators=[InputRequired(message=_l("Enter the total budget."))])
    max_per_community = StringField(
        _l("Largest amount for one community"), description=_l("In the currency of the budget."),
        validators=[DataRequired(message=_l("Enter the largest amount for one community.")),
                    Length(max=40, message=AT_MOST)],
    )
    opens_on = _required_date(_l("Opens on"))
    closes_on = _required_date(_l("Last day to apply"))
    progress_report_due = _optional_date(_l("Progress report due (optional)"))
    final_report_due = _optional_date(_l("Final report due (optional)"))

    def __init__(self, *args, stages: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.stage_id.choices = [SelectChoice(str(stage_id), title) for stage_id, title in stages]
        self.maximum: Money | None = None

    def validate_budget(self, field) -> None:
        if isinstance(field.data, Money) and field.data.amount_minor <= 0:
            raise ValidationError(_l("The budget must be more than zero."))

    def validate_max_per_community(self, field) -> None:
        if not isinstance(self.budget.data, Money):
            return
        try:
            maximum = parse_money(field.data, self.budget.data.currency)
        except MoneyError as refusal:
            raise ValidationError(refusal.message) from None
        if maximum.amount_minor <= 0:
            raise ValidationError(_l("The amount must be more than zero."))
        if self.budget.data < maximum:
            raise ValidationError(_l("At most the whole budget, %(amount)s.", amount=format_money(self.budget.data)))
        self.maximum = maximum

    def validate_closes_on(self, field) -> None:
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The call cannot close before it opens."))

    def validate_final_report_due(self, field) -> None:
        if field.data and self.progress_report_due.data and field.data < self.progress_report_due.data:
            raise ValidationError(_l("The final report cannot be due before the progress report."))


class ApplicationForm(Form):
    """The amount asked for (in the call's currency, up to its maximum); the questions come from `answers_form`."""

    maximum: Money

    def validate_requested(self, field) -> None:
        if not isinstance(field.data, Money):
            return
        if field.data.amount_minor <= 0:
            raise ValidationError(_l("The amount must be more than zero."))
        if self.maximum < field.data:
            raise ValidationError(_l("At most %(amount)s for one community.", amount=format_money(self.maximum)))


def application_form_class(maximum: Money, questions, *, community_id: int, draft: bool) -> type[Form]:
    """The application form of a call: the amount, then the questions. A draft may leave answers out."""
    base = type("CallApplicationForm", (ApplicationForm,), {
        "maximum": maximum,
        "requested": MoneyField(_l("Amount requested"), currencies=[maximum.currency], validators=[
            Optional() if draft else InputRequired(message=_l("Enter the amount you ask for."))]),
    })
    return answers_form(questions, base, community_id=community_id, all_optional=draft)


class ConfirmForm(Form):
    """A button that changes something: only its CSRF token."""
