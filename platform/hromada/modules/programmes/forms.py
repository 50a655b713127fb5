"""Forms of the programmes module. Every message is translatable; the server validates everything.

The application form of a call is data (`ApplicationQuestion` rows): `answers_form`
builds a WTForms class from them for each request.
"""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from hromada.i18n import LANGUAGE_NAMES
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.forms import NewAccountForm
from hromada.modules.programmes.models import QuestionKind
from hromada.validators import within_years

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
CALL_TEXT_MAX = 10000
QUESTION_LABEL_MAX = 300
QUESTION_HELP_MAX = 1000
CHOICE_MAX = 200
CHOICES_MAX = 20
QUESTIONS_MAX = 30
SHORT_ANSWER_MAX = 300
LONG_ANSWER_MAX = 5000
DECISION_MESSAGE_MAX = 2000

AT_MOST = _l("At most %(max)d characters.")
WHOLE_NUMBER = _l("Enter a whole number.")
NOT_A_DATE = _l("Enter a date as YYYY-MM-DD.")
INCOMPLETE = _l("The form was incomplete. Please reload the page and try again.")

QUESTION_KIND_LABELS = {
    QuestionKind.TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.CHOICE: _l("One answer from a list"),
    QuestionKind.YES_NO: _l("Yes or no"),
}
YES_NO_LABELS = {"yes": _l("Yes"), "no": _l("No")}


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class Form(FlaskForm):
    """The forms of this module: what a browser sends loses its NUL characters, which
    PostgreSQL cannot store in text (they would fail the request instead of the field)."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            data = super().wrap_formdata(form, formdata)
            if data is None:
                return None
            return MultiDict([(key, _without_nul(value)) for key, value in data.items(multi=True)])


class CheckboxListField(SelectMultipleField):
    """Several choices shown as checkboxes (rendered in a fieldset by the template)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def end_not_before_start(form, field) -> None:
    if field.data and form.starts_on.data and field.data < form.starts_on.data:
        raise ValidationError(_l("The end cannot be before the start."))


def optional_date(label):
    return DateField(label, validators=[Optional(), within_years], invalid_value_message=NOT_A_DATE)


class ProgrammeForm(Form):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Enter a title.")), Length(max=TITLE_MAX, message=AT_MOST)],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What the programme offers and to whom. Communities read it on the call page."),
        validators=[Optional(), Length(max=DESCRIPTION_MAX, message=AT_MOST)],
    )
    languages = CheckboxListField(
        _l("Languages of the programme"),
        choices=[SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()],
        validators=[InputRequired(message=_l("Choose at least one language."))],
        invalid_choice_message=_l("Choose languages from the list."),
    )
    starts_on = optional_date(_l("Starts on"))
    ends_on = DateField(
        _l("Ends on"), validators=[Optional(), within_years, end_not_before_start], invalid_value_message=NOT_A_DATE
    )
    stall_days = IntegerField(
        _l("Days without activity before a community counts as stalled"),
        default=14,
        validators=[
            InputRequired(message=WHOLE_NUMBER),
            NumberRange(min=1, max=365, message=_l("Between %(min)d and %(max)d.")),
        ],
        invalid_value_message=WHOLE_NUMBER,
    )


class NewStageForm(Form):
    stage_type = SelectField(
        _l("Stage type"),
        validators=[InputRequired(message=_l("Choose a stage type."))],
        invalid_choice_message=_l("Choose a stage type from the list."),
    )
    # How many stages the page showed: a stale or repeated form adds nothing.
    stage_count = IntegerField(widget=widgets.HiddenInput(), validators=[InputRequired(message=INCOMPLETE)],
                               invalid_value_message=INCOMPLETE)

    def __init__(self, *args, stage_types: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage_type.choices = [SelectChoice(key, str(kind.title)) for key, kind in stage_types.items()]


class StageForm(Form):
    title = StringField(
        _l("Title (optional)"),
        description=_l("Leave it empty to use the name of the stage type."),
        validators=[Optional(), Length(max=TITLE_MAX, message=AT_MOST)],
    )
    starts_on = optional_date(_l("Starts on"))
    ends_on = DateField(
        _l("Ends on"), validators=[Optional(), within_years, end_not_before_start], invalid_value_message=NOT_A_DATE
    )
    capacity = IntegerField(
        _l("Capacity (optional)"),
        description=_l("How many communities the stage takes at most. Leave it empty for no limit."),
        validators=[Optional(), NumberRange(min=1, max=10000, message=_l("Between %(min)d and %(max)d."))],
        invalid_value_message=WHOLE_NUMBER,
    )


class PositionForm(Form):
    """Move a stage or a question one place; `position` is where the page showed it."""

    direction = SelectField(
        choices=[SelectChoice("up", "up"), SelectChoice("down", "down")],
        validators=[InputRequired(message=INCOMPLETE)],
        invalid_choice_message=INCOMPLETE,
    )
    position = IntegerField(widget=widgets.HiddenInput(),
                            validators=[InputRequired(message=INCOMPLETE), NumberRange(min=0, max=10000, message=INCOMPLETE)],
                            invalid_value_message=INCOMPLETE)


class ConfirmForm(Form):
    """A button that changes something: only its CSRF token."""


class CallForm(Form):
    call_open = BooleanField(_l("The call is open: new communities can apply"))
    call_text = TextAreaField(
        _l("Text of the call"),
        description=_l("Who can apply, what the programme asks of them, and what happens after applying."),
        validators=[Optional(), Length(max=CALL_TEXT_MAX, message=AT_MOST)],
    )
    call_closes_on = DateField(
        _l("Last day to apply (optional)"), validators=[Optional(), within_years], invalid_value_message=NOT_A_DATE
    )

    def validate_call_closes_on(self, field) -> None:
        if self.call_open.data and field.data and field.data < date.today():
            raise ValidationError(_l("This day has passed: choose a later one, or leave it empty."))


class QuestionForm(Form):
    label = StringField(
        _l("Question"),
        validators=[DataRequired(message=_l("Enter the question.")), Length(max=QUESTION_LABEL_MAX, message=AT_MOST)],
    )
    help_text = StringField(
        _l("Hint (optional)"), validators=[Optional(), Length(max=QUESTION_HELP_MAX, message=AT_MOST)]
    )
    kind = SelectField(
        _l("Kind of answer"),
        choices=[SelectChoice(kind.value, label) for kind, label in QUESTION_KIND_LABELS.items()],
        default=QuestionKind.TEXT.value,
        validators=[InputRequired(message=_l("Choose the kind of answer."))],
        invalid_choice_message=_l("Choose a kind of answer from the list."),
    )
    required = BooleanField(_l("An answer is required"))
    choices = TextAreaField(
        _l("Answers to choose from"),
        description=_l("For “one answer from a list”: one answer per line, 2 to 20 answers."),
        validators=[Optional(), Length(max=CHOICES_MAX * (CHOICE_MAX + 2), message=AT_MOST)],
    )
    # For a new question: how many questions the page showed (a repeated form adds nothing).
    question_count = IntegerField(widget=widgets.HiddenInput(), validators=[Optional()],
                                  invalid_value_message=INCOMPLETE)

    def validate_choices(self, field) -> None:
        if self.kind.data != QuestionKind.CHOICE.value:
            return
        choices = self.choice_list()
        if len(choices) < 2 or len(choices) > CHOICES_MAX:
            raise ValidationError(_l("Give 2 to 20 answers, one per line."))
        if len(set(choices)) != len(choices):
            raise ValidationError(_l("Each answer may appear only once."))
        if any(len(choice) > CHOICE_MAX for choice in choices):
            raise ValidationError(_l("Each answer may have at most %(max)d characters.", max=CHOICE_MAX))

    def choice_list(self) -> list[str]:
        if self.kind.data != QuestionKind.CHOICE.value:
            return []
        return [line.strip() for line in (self.choices.data or "").splitlines() if line.strip()]


class DecisionForm(Form):
    message = TextAreaField(
        _l("Message to the community"),
        validators=[Optional(), Length(max=DECISION_MESSAGE_MAX, message=AT_MOST)],
    )


class DeclineForm(DecisionForm):
    message = TextAreaField(
        _l("Message to the community"),
        description=_l("Required: say why, and what the community could do next."),
        validators=[
            DataRequired(message=_l("Write a message to the community.")),
            Length(max=DECISION_MESSAGE_MAX, message=AT_MOST),
        ],
    )


class CallSignUpForm(Form, NewAccountForm):
    """A new community signs up from a call: its name and its first coordinator's account."""

    community_name = StringField(
        _l("Name of the community"),
        description=_l("A pseudonym is fine: only your community and the programme's organisers see it."),
        validators=[
            DataRequired(message=_l("Enter the name of the community.")),
            Length(max=200, message=_l("At most 200 characters.")),
        ],
    )


class ApplyForm(Form):
    """An existing community applies: only the answers (added by `answers_form`)."""


def field_name(question) -> str:
    return f"question_{question.id}"


def _question_field(question):
    presence = (
        DataRequired(message=_l("Answer this question.")) if question.required else Optional()
    )
    label = _l("%(question)s (required)", question=question.label) if question.required else question.label
    hint = question.help_text or None
    if question.kind == QuestionKind.TEXT:
        return StringField(label, description=hint,
                           validators=[presence, Length(max=SHORT_ANSWER_MAX, message=AT_MOST)])
    if question.kind == QuestionKind.LONG_TEXT:
        return TextAreaField(label, description=hint,
                             validators=[presence, Length(max=LONG_ANSWER_MAX, message=AT_MOST)])
    if question.kind == QuestionKind.CHOICE:
        choices = list(question.choices or [])
        # AnyOf instead of RadioField's own check, so that the message is ours and translated.
        return RadioField(
            label, description=hint, choices=[SelectChoice(choice, choice) for choice in choices],
            validators=[presence, AnyOf(choices, message=_l("Choose one of the answers offered."))],
            validate_choice=False,
        )
    return RadioField(
        label, description=hint, choices=[SelectChoice(value, text) for value, text in YES_NO_LABELS.items()],
        validators=[presence, AnyOf(list(YES_NO_LABELS), message=_l("Answer yes or no."))],
        validate_choice=False,
    )


def answers_form(questions, base: type[Form] = ApplyForm) -> type[Form]:
    """A form class with `base`'s fields and one field per question, in the questions' order."""
    fields = {field_name(question): _question_field(question) for question in questions}
    return type("AnswersForm", (base,), fields)


def collected_answers(form, questions) -> dict[str, str]:
    """{question id: answer} of the questions answered (empty optional answers are left out)."""
    answers = {}
    for question in questions:
        value = form[field_name(question)].data
        value = value.strip() if isinstance(value, str) else value
        if value:
            answers[str(question.id)] = value
    return answers
