"""Forms of the progress module: moving a community on, assigning staff, filtering the cohort."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp, ValidationError

from hromada.fields import SelectField
from hromada.i18n import lazy_gettext as _l

REASON_HINT = _l("The community sees this reason in its history.")
AN_ID = Regexp(r"^\d{1,18}$", message=_l("The form was incomplete. Please reload the page and try again."))


class _MoveForm(FlaskForm):
    # The stage the operator saw: the move happens only if the community is still there.
    stage_id = HiddenField(validators=[
        InputRequired(message=_l("The form was incomplete. Please reload the page and try again.")), AN_ID])
    next = HiddenField(validators=[Optional(), Length(max=500)])


class AdvanceForm(_MoveForm):
    override = BooleanField(_l("Advance although requirements are open (override)"))
    reason = TextAreaField(
        _l("Reason"), description=REASON_HINT,
        validators=[Optional(), Length(max=2000, message=_l("At most 2000 characters."))],
    )

    def validate_reason(self, field):
        if self.override.data and not (field.data or "").strip():
            raise ValidationError(_l("Write why the community advances although requirements are open."))


class WithdrawForm(_MoveForm):
    reason = TextAreaField(
        _l("Reason for withdrawing"), description=REASON_HINT,
        validators=[InputRequired(message=_l("Write why the community leaves the programme.")),
                    Length(max=2000, message=_l("At most 2000 characters."))],
    )


class AssignStaffForm(FlaskForm):
    """`membership` is the id of a staff membership (a person in one role) of the organisation."""

    membership = SelectField(_l("Person and role"), validate_choice=False,
                             validators=[InputRequired(message=_l("Choose a person."))])

    def validate_membership(self, field):
        if field.data not in {value for value, _label in self.membership.choices}:
            raise ValidationError(_l("Choose a person from the list."))


class UnassignStaffForm(FlaskForm):
    assignment = HiddenField(validators=[
        InputRequired(message=_l("The form was incomplete. Please reload the page and try again.")), AN_ID])


STATUS_CHOICES = ("admitted", "active", "completed", "withdrawn")
SORT_ORDERS = ("asc", "desc")


class CohortFilterForm(FlaskForm):
    """The cohort's filters and sort order, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    stage = SelectField(_l("Stage"), validate_choice=False, validators=[Optional()])
    status = SelectField(_l("Status"), validate_choice=False, validators=[
        Optional(), AnyOf(STATUS_CHOICES, message=_l("Choose a status from the list."))])
    stalled = BooleanField(_l("Only stalled communities"))
    q = StringField(_l("Name contains"), validators=[
        Optional(), Length(max=100, message=_l("At most 100 characters."))])
    sort = SelectField(_l("Sort by"), validate_choice=False, validators=[Optional()])
    order = SelectField(_l("Order"), validate_choice=False, validators=[
        Optional(), AnyOf(SORT_ORDERS, message=_l("Choose an order from the list."))])
    # Not shown in the form: the page links set it, and changing a filter starts again at page 1.
    page = StringField(validators=[Optional(), Regexp(r"^[1-9][0-9]{0,6}$", message=_l("There is no such page."))])

    @property
    def page_number(self) -> int:
        return int(self.page.data) if self.page.data else 1

    def validate_stage(self, field):
        if field.data and field.data not in {value for value, _label in self.stage.choices}:
            raise ValidationError(_l("Choose a stage from the list."))

    def validate_sort(self, field):
        if field.data and field.data not in {value for value, _label in self.sort.choices}:
            raise ValidationError(_l("Choose a column from the list."))
