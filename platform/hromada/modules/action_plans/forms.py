"""Forms of the action-plans module: a milestone, and an action with its owner, dates, status and evidence."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from hromada.fields import SelectField
from hromada.i18n import lazy_gettext as _l
from hromada.modules.action_plans.labels import STATUS_LABELS
from hromada.modules.action_plans.models import ActionStatus
from hromada.validators import within_years

NOT_A_DATE = _l("Enter a date such as 2027-03-05.")
TITLE = [InputRequired(message=_l("Enter a title.")), Length(max=200, message=_l("At most 200 characters."))]


def plan_date(label, description=None) -> DateField:
    return DateField(label, description=description, validators=[Optional(), within_years],
                     invalid_value_message=NOT_A_DATE)


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"), description=_l("A result on the way, such as “Venue found”."),
                        validators=TITLE)
    due_on = plan_date(_l("Due on"))
    position = IntegerField(
        _l("Position"), description=_l("Milestones are shown in this order (1 first)."),
        validators=[Optional(), NumberRange(min=0, max=1000, message=_l("Between 0 and 1000."))],
        invalid_value_message=_l("Enter a whole number."),
    )


class ActionForm(FlaskForm):
    title = StringField(_l("Action"), validators=TITLE)
    milestone = SelectField(_l("Milestone"), choices=[],
                            invalid_choice_message=_l("Choose one of the milestones of this plan."))
    owner = SelectField(_l("Who does it"), choices=[],
                        invalid_choice_message=_l("Choose one of the community's members, or nobody yet."))
    role = StringField(_l("Their role"), description=_l("In your words, such as “treasurer” or “speaker”."),
                       validators=[Optional(), Length(max=80, message=_l("At most 80 characters."))])
    starts_on = plan_date(_l("Starts on"))
    due_on = plan_date(_l("Due on"))
    status = SelectField(
        _l("Status"), choices=[SelectChoice(status.value, STATUS_LABELS[status]) for status in ActionStatus],
        default=ActionStatus.PLANNED.value, invalid_choice_message=_l("Choose one of the statuses offered."),
    )
    result = TextAreaField(_l("Result"), description=_l("What came of it."),
                           validators=[Optional(), Length(max=5000, message=_l("At most 5000 characters."))])
    evidence = TextAreaField(
        _l("Evidence"), description=_l("What shows it was done: a short text or an https:// link."),
        validators=[Optional(), Length(max=2000, message=_l("At most 2000 characters."))],
    )

    def offer(self, milestones, members) -> ActionForm:
        self.milestone.choices = [(str(milestone.id), milestone.title) for milestone in milestones]
        self.owner.choices = [("", _l("Nobody yet"))] + [(str(member.id), member.name) for member in members]
        return self

    def validate_due_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The due date cannot be before the start."))
