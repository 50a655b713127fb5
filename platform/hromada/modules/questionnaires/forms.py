"""The questionnaire's forms: the one operators write a question with, and the one built from the
questions for each request that people answer. The server checks every answer; messages are translated."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms import Form as PlainForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from hromada.i18n import lazy_gettext as _l
from hromada.money import (
    Money,
    MoneyError,
    MoneyField,
    amount_for_input,
    configured_currencies,
    format_money,
    parse_money,
)
from hromada.modules.questionnaires.artefacts import artefact_kinds, options
from hromada.modules.questionnaires.models import QuestionKind
from hromada.modules.questionnaires.texts import language_name, shown

QUESTION_LABEL_MAX = 300
QUESTION_HELP_MAX = 1000
CHOICE_MAX = 200
CHOICES_MAX = 20
QUESTIONS_MAX = 30
SHORT_ANSWER_MAX = 300
LONG_ANSWER_MAX = 5000
BUDGET_ROWS = 8
BUDGET_ITEM_MAX = 200
# A number question's bounds are kept well inside what every database stores.
NUMBER_LIMIT = 10**12

AT_MOST = _l("At most %(max)d characters.")
WHOLE_NUMBER = _l("Enter a whole number.")
NOT_A_DATE = _l("Enter a date as YYYY-MM-DD.")
INCOMPLETE = _l("The form was incomplete. Please reload the page and try again.")

QUESTION_KIND_LABELS = {
    QuestionKind.TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.CHOICE: _l("One answer from a list"),
    QuestionKind.YES_NO: _l("Yes or no"),
    QuestionKind.NUMBER: _l("Whole number"),
    QuestionKind.MONEY: _l("Amount of money"),
    QuestionKind.DATE: _l("Date"),
    QuestionKind.BUDGET: _l("Budget table (items and amounts)"),
    QuestionKind.ARTEFACT: _l("Link to one of the community's artefacts"),
}
YES_NO_LABELS = {"yes": _l("Yes"), "no": _l("No")}


def _without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class Form(FlaskForm):
    """Forms that people fill in: what a browser sends loses its NUL characters, which PostgreSQL
    cannot store in text (they would fail the request instead of the field)."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            data = super().wrap_formdata(form, formdata)
            if data is None:
                return None
            return MultiDict([(key, _without_nul(value)) for key, value in data.items(multi=True)])


# --- Writing a question ---------------------------------------------------------------------------


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
    min_value = IntegerField(
        _l("Smallest number allowed (optional)"), description=_l("For a whole number."),
        validators=[Optional(), NumberRange(min=-NUMBER_LIMIT, max=NUMBER_LIMIT, message=_l("Between %(min)d and %(max)d."))],
        invalid_value_message=WHOLE_NUMBER,
    )
    max_value = IntegerField(
        _l("Largest number allowed (optional)"), description=_l("For a whole number."),
        validators=[Optional(), NumberRange(min=-NUMBER_LIMIT, max=NUMBER_LIMIT, message=_l("Between %(min)d and %(max)d."))],
        invalid_value_message=WHOLE_NUMBER,
    )
    currency = SelectField(
        _l("Currency"), description=_l("For an amount of money or a budget table."),
        validators=[Optional()], invalid_choice_message=_l("Choose one of the currencies offered."),
    )
    max_amount = StringField(
        _l("Largest amount allowed (optional)"), description=_l("For an amount of money, in the currency above."),
        validators=[Optional(), Length(max=40, message=AT_MOST)],
    )
    artefact_kind = SelectField(
        _l("Kind of artefact"), description=_l("For a link to one of the community's artefacts."),
        validators=[Optional()], invalid_choice_message=_l("Choose a kind of artefact from the list."),
    )
    # For a new question: how many questions the page showed (a repeated form adds nothing).
    question_count = IntegerField(widget=widgets.HiddenInput(), validators=[Optional()],
                                  invalid_value_message=INCOMPLETE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency.choices = [SelectChoice(code, code) for code in configured_currencies()]
        self.artefact_kind.choices = [SelectChoice("", "—")] + [
            SelectChoice(key, str(kind.title)) for key, kind in artefact_kinds().items()
        ]
        self.max_money: Money | None = None

    def _kind(self) -> str:
        return self.kind.data or ""

    def validate_choices(self, field) -> None:
        if self._kind() != QuestionKind.CHOICE.value:
            return
        choices = self.choice_list()
        if len(choices) < 2 or len(choices) > CHOICES_MAX:
            raise ValidationError(_l("Give 2 to 20 answers, one per line."))
        if len(set(choices)) != len(choices):
            raise ValidationError(_l("Each answer may appear only once."))
        if any(len(choice) > CHOICE_MAX for choice in choices):
            raise ValidationError(_l("Each answer may have at most %(max)d characters.", max=CHOICE_MAX))

    def validate_max_value(self, field) -> None:
        if (self._kind() == QuestionKind.NUMBER.value and field.data is not None and self.min_value.data is not None
                and field.data < self.min_value.data):
            raise ValidationError(_l("The largest number cannot be below the smallest."))

    def validate_currency(self, field) -> None:
        if self._kind() in (QuestionKind.MONEY.value, QuestionKind.BUDGET.value) and not field.data:
            raise ValidationError(_l("Choose one of the currencies offered."))

    def validate_max_amount(self, field) -> None:
        if self._kind() != QuestionKind.MONEY.value or not (field.data or "").strip():
            return
        try:
            self.max_money = parse_money(field.data, self.currency.data)
        except MoneyError as refusal:
            raise ValidationError(refusal.message) from None

    def validate_artefact_kind(self, field) -> None:
        if self._kind() == QuestionKind.ARTEFACT.value and field.data not in artefact_kinds():
            raise ValidationError(_l("Choose a kind of artefact from the list."))

    def choice_list(self) -> list[str]:
        if self._kind() != QuestionKind.CHOICE.value:
            return []
        return [line.strip() for line in (self.choices.data or "").splitlines() if line.strip()]


def question_form_class(languages: list[str]) -> type[QuestionForm]:
    """The question form with a text and a hint for each language after the first (the main one)."""
    fields = {}
    for code in languages[1:]:
        name = language_name(code)
        fields[f"label_{code}"] = StringField(
            _l("Question in %(language)s (optional)", language=name),
            description=_l("Left empty, readers of this language see the main text, marked as such."),
            validators=[Optional(), Length(max=QUESTION_LABEL_MAX, message=AT_MOST)], render_kw={"lang": code},
        )
        fields[f"help_{code}"] = StringField(
            _l("Hint in %(language)s (optional)", language=name),
            validators=[Optional(), Length(max=QUESTION_HELP_MAX, message=AT_MOST)], render_kw={"lang": code},
        )
    return type("LocalisedQuestionForm", (QuestionForm,), fields)


def translation_fields(form: QuestionForm, languages: list[str]) -> list:
    return [form[f"{part}_{code}"] for code in languages[1:] for part in ("label", "help")]


def translations_of(form: QuestionForm, languages: list[str]) -> dict:
    translations = {}
    for code in languages[1:]:
        label = (form[f"label_{code}"].data or "").strip()
        help_text = (form[f"help_{code}"].data or "").strip()
        if label or help_text:
            translations[code] = {"label": label, "help_text": help_text}
    return translations


def question_form_data(question, languages: list[str]) -> dict:
    data = {
        "label": question.label, "help_text": question.help_text, "kind": question.kind.value,
        "required": question.required, "choices": "\n".join(question.choices or []),
        "min_value": question.min_value if question.kind == QuestionKind.NUMBER else None,
        "max_value": question.max_value if question.kind == QuestionKind.NUMBER else None,
        "currency": question.currency, "artefact_kind": question.artefact_kind or "",
    }
    if question.kind == QuestionKind.MONEY and question.max_value is not None and question.currency:
        data["max_amount"] = amount_for_input(Money(question.max_value, question.currency))
    for code in languages[1:]:
        translated = (question.translations or {}).get(code) or {}
        data[f"label_{code}"] = translated.get("label", "")
        data[f"help_{code}"] = translated.get("help_text", "")
    return data


# --- Answering -----------------------------------------------------------------------------------


class BudgetRow(PlainForm):
    """One line of a budget table (a sub-form: the page's CSRF token covers it)."""

    item = StringField(_l("Item"), validators=[Optional(), Length(max=BUDGET_ITEM_MAX, message=AT_MOST)])
    amount = StringField(_l("Amount"), validators=[Optional(), Length(max=40, message=AT_MOST)])


class BudgetField(FieldList):
    """A budget table: a fixed number of lines (no script needed to add one), each an item and an amount.

    `data` after validation: {"currency", "rows": [{"item", "amount_minor"}], "total_minor"}, or None
    when no line is filled.
    """

    def __init__(self, label=None, validators=None, *, currency: str, required: bool, **kwargs):
        super().__init__(FormField(BudgetRow), label, validators, min_entries=BUDGET_ROWS, max_entries=BUDGET_ROWS,
                         **kwargs)
        self.currency = currency
        self.required = required
        self.budget: dict | None = None

    def validate(self, form, extra_validators=()):
        # The lines' own checks (lengths) first, then the table as a whole; messages name the line.
        self.errors = []
        self.budget = None
        rows = []
        for number, entry in enumerate(self.entries, start=1):
            entry.validate(form)
            for problems in entry.errors.values():
                self.errors.extend(_l("Line %(number)d: %(problem)s", number=number, problem=problem)
                                   for problem in problems)
            item = (entry.form.item.data or "").strip()
            typed = (entry.form.amount.data or "").strip()
            if entry.errors or (not item and not typed):
                continue
            if not item:
                self.errors.append(_l("Line %(number)d: name the item.", number=number))
            elif not typed:
                self.errors.append(_l("Line %(number)d: enter the amount.", number=number))
            else:
                try:
                    amount = parse_money(typed, self.currency)
                except MoneyError as refusal:
                    self.errors.append(_l("Line %(number)d: %(problem)s", number=number, problem=refusal.message))
                else:
                    rows.append({"item": item, "amount_minor": amount.amount_minor})
        if self.errors:
            return False
        if not rows:
            if self.required:
                self.errors.append(_l("Fill in at least one line of the budget."))
            return not self.errors
        self.budget = {"currency": self.currency, "rows": rows,
                       "total_minor": sum(row["amount_minor"] for row in rows)}
        return True


def field_name(question) -> str:
    question_id = question["id"] if isinstance(question, dict) else question.id
    return f"question_{question_id}"


def _label(question):
    text = shown(question, "label")
    label = text.text
    if text.fallback:
        label = _l("%(question)s (in %(language)s: not translated)", question=label,
                   language=language_name(text.fallback))
    return _l("%(question)s (required)", question=label) if question.required else label


def _question_field(question, community_id: int | None, all_optional: bool = False):
    required = question.required and not all_optional
    presence = DataRequired(message=_l("Answer this question.")) if required else Optional()
    # For fields that read what was typed (a number, an amount, a date): their own message for a bad value stays.
    typed = InputRequired(message=_l("Answer this question.")) if required else Optional()
    label = _label(question)
    hint = shown(question, "help_text").text or None
    kind = question.kind
    if kind == QuestionKind.TEXT:
        return StringField(label, description=hint,
                           validators=[presence, Length(max=SHORT_ANSWER_MAX, message=AT_MOST)])
    if kind == QuestionKind.LONG_TEXT:
        return TextAreaField(label, description=hint,
                             validators=[presence, Length(max=LONG_ANSWER_MAX, message=AT_MOST)])
    if kind == QuestionKind.CHOICE:
        choices = list(question.choices or [])
        # AnyOf instead of RadioField's own check, so that the message is ours and translated.
        return RadioField(
            label, description=hint, choices=[SelectChoice(choice, choice) for choice in choices],
            validators=[presence, AnyOf(choices, message=_l("Choose one of the answers offered."))],
            validate_choice=False,
        )
    if kind == QuestionKind.YES_NO:
        return RadioField(
            label, description=hint, choices=[SelectChoice(value, text) for value, text in YES_NO_LABELS.items()],
            validators=[presence, AnyOf(list(YES_NO_LABELS), message=_l("Answer yes or no."))],
            validate_choice=False,
        )
    if kind == QuestionKind.NUMBER:
        low = question.min_value if question.min_value is not None else -NUMBER_LIMIT
        high = question.max_value if question.max_value is not None else NUMBER_LIMIT
        return IntegerField(
            label, description=hint, invalid_value_message=WHOLE_NUMBER,
            validators=[typed, NumberRange(min=low, max=high, message=_l("Between %(min)d and %(max)d."))],
        )
    if kind == QuestionKind.MONEY:
        validators = [typed]
        if question.max_value is not None:
            validators.append(_at_most(Money(question.max_value, question.currency)))
        return MoneyField(label, description=hint, validators=validators, currencies=[question.currency])
    if kind == QuestionKind.DATE:
        return DateField(label, description=hint, validators=[typed], invalid_value_message=NOT_A_DATE)
    if kind == QuestionKind.BUDGET:
        return BudgetField(label, description=hint, currency=question.currency, required=required)
    choices = [SelectChoice("", "—")] + [
        SelectChoice(str(artefact_id), title) for artefact_id, title in options(question.artefact_kind, community_id)
    ]
    return SelectField(
        label, description=hint or _l("Only your community's artefacts of this kind are offered."),
        choices=choices, validators=[presence], invalid_choice_message=_l("Choose one of the artefacts offered."),
    )


def _at_most(maximum: Money):
    def check(form, field):
        if isinstance(field.data, Money) and maximum < field.data:
            raise ValidationError(_l("At most %(amount)s.", amount=format_money(maximum)))

    return check


def answers_form(questions, base: type[Form], *, community_id: int | None = None,
                 all_optional: bool = False) -> type[Form]:
    """A form class with `base`'s fields and one field per question, in the questions' order.

    `community_id`: whose artefacts a link question offers (none for a community not yet created);
    `all_optional`: for a draft, kept with what is answered so far (each answer still checked).
    """
    fields = {field_name(question): _question_field(question, community_id, all_optional) for question in questions}
    return type("AnswersForm", (base,), fields)


def collected_answers(form, questions) -> dict:
    """{question id: answer} of the questions answered (empty optional answers are left out), as JSON values:
    text, a number, {"amount_minor", "currency"}, an ISO date, a budget, {"kind", "id", "title"}."""
    answers = {}
    for question in questions:
        field = form[field_name(question)]
        value = field.data
        if question.kind == QuestionKind.MONEY:
            value = {"amount_minor": value.amount_minor, "currency": value.currency} if value else None
        elif question.kind == QuestionKind.DATE:
            value = value.isoformat() if isinstance(value, date) else None
        elif question.kind == QuestionKind.BUDGET:
            value = field.budget
        elif question.kind == QuestionKind.ARTEFACT:
            titles = {choice.value: choice.label for choice in field.choices}
            value = {"kind": question.artefact_kind, "id": int(value), "title": str(titles[value])} if value else None
        elif isinstance(value, str):
            value = value.strip()
        if value not in (None, ""):
            answers[str(question.id)] = value
    return answers


def answers_data(questions, answers: dict) -> dict:
    """Form data (`data=`) showing answers given before, for editing them."""
    data = {}
    for question in questions:
        value = answers.get(str(question.id))
        if value is None:
            continue
        name = field_name(question)
        if question.kind == QuestionKind.MONEY and isinstance(value, dict):
            data[name] = Money(value["amount_minor"], value["currency"])
        elif question.kind == QuestionKind.DATE:
            data[name] = date.fromisoformat(value)
        elif question.kind == QuestionKind.BUDGET and isinstance(value, dict):
                data[name] = [{"item": row["item"], "amount": amount_for_input(Money(row["amount_minor"], value["currency"]))}
                          for row in value.get("rows", [])]
        elif question.kind == QuestionKind.ARTEFACT and isinstance(value, dict):
            data[name] = str(value["id"])
        else:
            data[name] = value
    return data


def reading(question, value):
    """An answer as a reader sees it (text); None for no answer."""
    if value is None:
        return None
    kind = question["kind"] if isinstance(question, dict) else question.kind.value
    if kind == QuestionKind.YES_NO.value:
        return str(YES_NO_LABELS.get(value, value)) if isinstance(value, str) else str(YES_NO_LABELS["yes" if value else "no"])
    if kind == QuestionKind.MONEY.value and isinstance(value, dict):
        return format_money(Money(value["amount_minor"], value["currency"]))
    if kind == QuestionKind.DATE.value and isinstance(value, str):
        from hromada.times import format_day

        return format_day(date.fromisoformat(value))
    if kind == QuestionKind.ARTEFACT.value and isinstance(value, dict):
        return value.get("title", "")
    return value
