"""The scholarship forms: an operator's call, and a community's application (the call's questions are added
by the questionnaire engine). The server checks everything; messages are translated."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from hromada.fields import SelectField
from hromada.i18n import lazy_gettext as _l
from hromada.money import Money, MoneyError, MoneyField, format_money, parse_money
from hromada.modules.questionnaires.forms import AT_MOST, NOT_A_DATE, Form, answers_form
from hromada.modules.scholarships.labels import REVIEW_LABELS, STATUS_LABELS

TITLE_MAX = 200
PURPOSE_MAX = 5000


def _required_date(label):
    return DateField(label, validators=[InputRequired(message=NOT_A_DATE)], invalid_value_message=NOT_A_DATE)


def _optional_date(label, description=None):
    return DateField(label, description=description, validators=[Optional()], invalid_value_message=NOT_A_DATE)


TRANCHE_CONDITION_LABELS = {
    "on_approval": _l("on approval"),
    "progress_report_approved": _l("when the progress report is approved"),
    "final_report_approved": _l("when the final report is approved"),
    "milestone_done": _l("when a milestone of the community's action plan is done"),
}


def _share_field(label, description=None):
    return IntegerField(label, description=description, validators=[
        Optional(),
        NumberRange(min=1, max=100, message=_l("Between %(min)d and %(max)d."))],
        invalid_value_message=_l("Enter a whole number."))


def _condition_field(label):
    return SelectField(label, choices=[SelectChoice(value, text) for value, text in TRANCHE_CONDITION_LABELS.items()],
                       default="on_approval",
                       validate_choice=True, invalid_choice_message=_l("Choose when the tranche is paid."))


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

    # The payment schedule: up to three tranches, each a share of the amount approved and what releases it.
    tranche_1_share = _share_field(_l("First tranche, percent of the amount"),
                                   description=_l("Left empty, the whole amount is paid on approval."))
    tranche_1_condition = _condition_field(_l("First tranche is paid"))
    tranche_2_share = _share_field(_l("Second tranche, percent (optional)"))
    tranche_2_condition = _condition_field(_l("Second tranche is paid"))
    tranche_3_share = _share_field(_l("Third tranche, percent (optional)"))
    tranche_3_condition = _condition_field(_l("Third tranche is paid"))

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

    def tranche_plan(self) -> list[dict]:
        """The tranches filled in, in order: [{"share": percent, "condition": ...}]."""
        plan = []
        for number in (1, 2, 3):
            share = getattr(self, f"tranche_{number}_share").data
            if share:
                plan.append({"share": share, "condition": getattr(self, f"tranche_{number}_condition").data})
        return plan or [{"share": 100, "condition": "on_approval"}]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not valid:
            return False
        plan = self.tranche_plan()
        if sum(step["share"] for step in plan) != 100:
            self.tranche_1_share.errors.append(_l("The tranches must add up to 100 percent."))
            return False
        reports = {"progress_report_approved": self.progress_report_due, "final_report_approved": self.final_report_due}
        for number in (1, 2, 3):
            share, condition = getattr(self, f"tranche_{number}_share"), getattr(self, f"tranche_{number}_condition")
            if share.data and condition.data in reports and not reports[condition.data].data:
                condition.errors.append(_l("The call asks for no such report: set its due date first."))
                valid = False
        return valid


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


# --- Review and determination ------------------------------------------------------------------------

GUIDANCE_MAX = 300
COMMENT_MAX = 3000


class CriterionForm(Form):
    title = StringField(_l("Criterion"), validators=[DataRequired(message=_l("Name the criterion.")),
                                                    Length(max=TITLE_MAX, message=AT_MOST)])
    weight = IntegerField(_l("Weight"), default=1, description=_l("From 1 to 10: how much it counts in the total."),
                          validators=[InputRequired(message=_l("Enter a whole number.")),
                                      NumberRange(min=1, max=10, message=_l("Between %(min)d and %(max)d."))],
                          invalid_value_message=_l("Enter a whole number."))
    guidance_0 = StringField(_l("What 0 means"), validators=[Optional(), Length(max=GUIDANCE_MAX, message=AT_MOST)])
    guidance_1 = StringField(_l("What 1 means"), validators=[Optional(), Length(max=GUIDANCE_MAX, message=AT_MOST)])
    guidance_2 = StringField(_l("What 2 means"), validators=[Optional(), Length(max=GUIDANCE_MAX, message=AT_MOST)])
    guidance_3 = StringField(_l("What 3 means"), validators=[Optional(), Length(max=GUIDANCE_MAX, message=AT_MOST)])
    guidance_4 = StringField(_l("What 4 means"), validators=[Optional(), Length(max=GUIDANCE_MAX, message=AT_MOST)])
    guidance_5 = StringField(_l("What 5 means"), validators=[Optional(), Length(max=GUIDANCE_MAX, message=AT_MOST)])

    def guidance(self) -> list[str]:
        return [(self[f"guidance_{point}"].data or "").strip() for point in range(6)]


class AssignForm(Form):
    reviewer_id = SelectField(_l("Reviewer"), validators=[InputRequired(message=_l("Choose a reviewer."))],
                              invalid_choice_message=_l("Choose a reviewer from the organisation's staff."))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviewer_id.choices = [SelectChoice(str(user.id), user.name) for user in staff]


class DeclarationForm(Form):
    conflict = RadioField(
        _l("Do you have a conflict of interest with this community?"),
        description=_l("For example: you belong to it, you are related to one of its members, or you would gain from "
                       "its scholarship. With a conflict you are recused and see nothing more of the application."),
        choices=[SelectChoice("no", _l("No conflict of interest")),
                 SelectChoice("yes", _l("I have a conflict of interest"))],
        validators=[InputRequired(message=_l("Answer the question."))],
        invalid_choice_message=_l("Answer the question."))


RECOMMENDATION_LABELS = {"fund": _l("Fund"), "maybe": _l("Maybe"), "do_not_fund": _l("Do not fund")}


class ReviewForm(Form):
    recommendation = RadioField(
        _l("Recommendation"), choices=[SelectChoice(key, label) for key, label in RECOMMENDATION_LABELS.items()],
        validators=[InputRequired(message=_l("Choose a recommendation."))],
        invalid_choice_message=_l("Choose a recommendation."))
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=COMMENT_MAX, message=AT_MOST)])


def review_form_class(criteria) -> type[ReviewForm]:
    """The scoring form: per criterion a score from 0 to 5 (with its guidance) and a comment."""
    fields = {}
    for criterion in criteria:
        guidance = list(criterion.guidance or []) + [""] * 6
        fields[f"score_{criterion.id}"] = RadioField(
            _l("%(criterion)s (weight %(weight)d)", criterion=criterion.title, weight=criterion.weight),
            choices=[SelectChoice(str(point), f"{point}" + (f": {guidance[point]}" if guidance[point] else ""))
                     for point in range(6)],
            validators=[InputRequired(message=_l("Give a score from 0 to 5."))],
            invalid_choice_message=_l("Give a score from 0 to 5."))
        fields[f"comment_{criterion.id}"] = TextAreaField(
            _l("Comment on “%(criterion)s” (optional)", criterion=criterion.title),
            validators=[Optional(), Length(max=COMMENT_MAX, message=AT_MOST)])
    return type("RubricReviewForm", (ReviewForm,), fields)


DECISION_LABELS = {"approve": _l("Approve"), "decline": _l("Decline"), "more": _l("Ask for more information")}


class DeterminationForm(Form):
    decision = RadioField(_l("Determination"), choices=[SelectChoice(k, v) for k, v in DECISION_LABELS.items()],
                          validators=[InputRequired(message=_l("Choose a determination."))],
                          invalid_choice_message=_l("Choose a determination."))
    message = TextAreaField(
        _l("Message to the community"),
        description=_l("Required to decline (say why) or to ask for more information (ask the question)."),
        validators=[Optional(), Length(max=COMMENT_MAX, message=AT_MOST)])

    def validate(self, extra_validators=None) -> bool:
        # What the decision needs besides (the fields themselves are optional: an approval has no message).
        valid = super().validate(extra_validators)
        if self.decision.data == "approve" and not self.amount.errors:
            if not isinstance(self.amount.data, Money):
                self.amount.errors.append(_l("Enter the amount approved."))
            elif self.amount.data.amount_minor <= 0:
                self.amount.errors.append(_l("The amount must be more than zero."))
        if self.decision.data in ("decline", "more") and not (self.message.data or "").strip():
            self.message.errors.append(_l("Write a message to the community."))
        return valid and not self.amount.errors and not self.message.errors


def determination_form_class(currency: str) -> type[DeterminationForm]:
    return type("CallDeterminationForm", (DeterminationForm,), {"amount": MoneyField(
        _l("Amount approved"), description=_l("For an approval: up to the amount requested."),
        currencies=[currency], validators=[Optional()])})


# --- Payments ------------------------------------------------------------------------------------------

REFERENCE_MAX = 100


class PaymentForm(Form):
    """The operator records a transfer made from the organisation's bank: the day and the bank's reference."""

    paid_on = _required_date(_l("Paid on"))
    reference = StringField(_l("Payment reference"), description=_l("As the bank shows it, to find the transfer."),
                            validators=[DataRequired(message=_l("Enter the payment reference.")),
                                        Length(max=REFERENCE_MAX, message=AT_MOST)])


# --- Reports -------------------------------------------------------------------------------------------


class ReportForm(Form):
    """A progress or final report: the call's report questions (added by the questionnaire engine)."""


def report_form_class(questions, *, community_id: int, draft: bool) -> type[Form]:
    return answers_form(questions, ReportForm, community_id=community_id, all_optional=draft)


REPORT_DECISION_LABELS = {"approve": _l("Approve the report"), "return": _l("Return it with a comment")}


class ReportDecisionForm(Form):
    decision = RadioField(_l("Decision"), choices=[SelectChoice(k, v) for k, v in REPORT_DECISION_LABELS.items()],
                          validators=[InputRequired(message=_l("Choose a decision."))],
                          invalid_choice_message=_l("Choose a decision."))
    comment = TextAreaField(
        _l("Comment to the community"), description=_l("Required to return the report: say what to change."),
        validators=[Optional(), Length(max=COMMENT_MAX, message=AT_MOST)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.decision.data == "return" and not (self.comment.data or "").strip():
            self.comment.errors.append(_l("Write what the community should change."))
            return False
        return valid


class MilestoneForm(Form):
    """The operator picks the milestone of the community's action plan that releases a tranche."""

    milestone_id = SelectField(_l("Milestone"), validators=[InputRequired(message=_l("Choose a milestone."))],
                               invalid_choice_message=_l("Choose one of the community's milestones."))

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.milestone_id.choices = [SelectChoice(str(milestone_id), title) for milestone_id, title in milestones]


class _ListForm(FlaskForm):
    """Filters of a long list, read from the query string (no CSRF: they change nothing)."""

    class Meta:
        csrf = False

    # Not shown in the form: the page links set it, and changing a filter starts again at page 1.
    page = StringField(validators=[Optional(), Regexp(r"^[1-9][0-9]{0,6}$", message=_l("There is no such page."))])

    @property
    def page_number(self) -> int:
        return int(self.page.data) if self.page.data and not self.page.errors else 1

    def query(self) -> dict:
        """The filters in force, for the page links (those with an error are left out)."""
        return {name: field.data for name, field in self._fields.items()
                if name != "page" and field.data and not field.errors}


APPLICATION_SORT_LABELS = {
    "submitted": _l("Submitted, oldest first"),
    "mean": _l("Weighted mean of the reviews, highest first"),
    "requested": _l("Amount requested, largest first"),
}


class ApplicationListForm(_ListForm):
    # Choices made once: the form is built for every view of a long list.
    status = SelectField(_l("Status"), validate_choice=False, validators=[Optional()], choices=[
        SelectChoice("", _l("Every status"))] + [
        SelectChoice(value, label) for value, label in STATUS_LABELS.items() if value != "draft"])
    sort = SelectField(_l("Sort by"), choices=[SelectChoice(value, label) for value, label
                                               in APPLICATION_SORT_LABELS.items()], validate_choice=False,
                       validators=[Optional()])

    def validate_status(self, field):
        if field.data and (field.data not in STATUS_LABELS or field.data == "draft"):
            raise ValidationError(_l("Choose a status from the list."))

    def validate_sort(self, field):
        if field.data and field.data not in APPLICATION_SORT_LABELS:
            raise ValidationError(_l("Choose an order from the list."))


class ReviewListForm(_ListForm):
    status = SelectField(_l("Status"), validate_choice=False, validators=[Optional()], choices=[
        SelectChoice("", _l("Every status"))] + [SelectChoice(value, label) for value, label in REVIEW_LABELS.items()])

    def validate_status(self, field):
        if field.data and field.data not in REVIEW_LABELS:
            raise ValidationError(_l("Choose a status from the list."))
