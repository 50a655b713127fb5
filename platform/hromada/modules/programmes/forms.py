"""Forms of the programmes module. Every message is translatable; the server validates everything.

The application form of a call is a questionnaire (`hromada.modules.questionnaires`): its
`answers_form` builds a WTForms class from the questions for each request.
"""

from __future__ import annotations

from datetime import date

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from hromada.i18n import LANGUAGE_NAMES
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.forms import NewAccountForm
from hromada.modules.questionnaires.forms import Form, answers_form, collected_answers, field_name  # noqa: F401 (the call's form)
from hromada.validators import within_years

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
CALL_TEXT_MAX = 10000
DECISION_MESSAGE_MAX = 2000

AT_MOST = _l("At most %(max)d characters.")
WHOLE_NUMBER = _l("Enter a whole number.")
NOT_A_DATE = _l("Enter a date as YYYY-MM-DD.")
INCOMPLETE = _l("The form was incomplete. Please reload the page and try again.")



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


def texts_form_class(languages: list[str]) -> type[Form]:
    """The programme's title, description and call text in each of `languages` (its declared ones but the main)."""
    fields = {}
    for code in languages:
        lang = {"lang": code}
        fields[f"title_{code}"] = StringField(
            _l("Title"), validators=[Optional(), Length(max=TITLE_MAX, message=AT_MOST)], render_kw=lang)
        fields[f"description_{code}"] = TextAreaField(
            _l("Description"), validators=[Optional(), Length(max=DESCRIPTION_MAX, message=AT_MOST)], render_kw=lang)
        fields[f"call_text_{code}"] = TextAreaField(
            _l("Text of the call"), validators=[Optional(), Length(max=CALL_TEXT_MAX, message=AT_MOST)], render_kw=lang)
    return type("ProgrammeTextsForm", (Form,), fields)


def texts_form_data(translations: dict, languages: list[str]) -> dict:
    return {f"{part}_{code}": (translations.get(code) or {}).get(part, "")
            for code in languages for part in ("title", "description", "call_text")}


def texts_of(form, languages: list[str]) -> dict:
    return {code: {part: (form[f"{part}_{code}"].data or "").strip() for part in ("title", "description", "call_text")}
            for code in languages}


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
