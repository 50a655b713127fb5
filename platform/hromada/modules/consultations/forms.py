"""Forms of the consultations module: every rule checked on the server, every message translatable.

Choices that depend on the community (topics, staff, owners) are filled by the
view and checked by it (`validate_choice=False`): the message is ours and says
what to do, in the reader's language.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields import DateField, DateTimeLocalField, FieldList, FormField, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import UUID, InputRequired, Length, NumberRange, Optional, ValidationError

from hromada.fields import SelectField
from hromada.clock import now
from hromada.i18n import lazy_gettext as _l
from hromada.modules.consultations.models import MAX_DURATION_MINUTES
from hromada.times import from_local_input, zone_hint
from hromada.validators import database_id, within_years

TEXT_MAX = 4000
SUMMARY_MAX = 10000
NOTES_MAX = 20000
FOLLOW_UP_ROWS = 3
FOLLOW_UP_MAX_ROWS = 10


def _in_utc(entered: datetime) -> datetime:
    """A time entered in a form (read in the viewer's zone, as the field says) as a UTC moment."""
    return from_local_input(entered)


CHOOSE = _l("Choose…")


def options(pairs, *, placeholder: bool = True) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices, after an empty "Choose…" entry."""
    return [*([SelectChoice("", CHOOSE)] if placeholder else []), *(SelectChoice(v, label) for v, label in pairs)]


def at_most(length: int):
    return Length(max=length, message=_l("At most %(max)d characters.", max=length))


class WholeNumberField(IntegerField):
    """An integer field whose parse error is our own translatable message."""

    def __init__(self, *args, invalid_message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a whole number.")

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None


class DayField(DateField):
    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = datetime.strptime(valuelist[0].strip(), "%Y-%m-%d").date()
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a date such as 2027-03-05.")) from None


class MomentField(DateTimeLocalField):
    """A date and time as the browser's datetime-local input sends it (minutes precision), in the viewer's zone."""

    FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("description", zone_hint())
        super().__init__(*args, format=self.FORMATS[0], **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        for format in self.FORMATS:
            try:
                self.data = datetime.strptime(valuelist[0].strip(), format)
                return
            except ValueError:
                continue
        self.data = None
        raise ValueError(_l("Enter a date and time such as 2027-03-05 18:30."))


class FormKeyMixin:
    """A key made when the form is shown: the same form sent twice finds what it saved first."""

    form_key = HiddenField(
        validators=[
            InputRequired(message=_l("The form is incomplete. Please open it again.")),
            UUID(message=_l("The form is incomplete. Please open it again.")),
        ]
    )


class RequestForm(FormKeyMixin, FlaskForm):
    topic = SelectField(
        _l("Topic"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a topic."))],
    )
    needs = TextAreaField(
        _l("What does the community need from this consultation?"),
        validators=[InputRequired(message=_l("Say what the community needs.")), at_most(TEXT_MAX)],
    )
    preferred_times = StringField(
        _l("Preferred times"),
        description=_l("For example: weekday evenings after 18:00, or Saturday mornings."),
        validators=[InputRequired(message=_l("Suggest some times that suit the community.")), at_most(500)],
    )
    details = TextAreaField(_l("Anything else the consultant should know (optional)"),
                            validators=[Optional(), at_most(TEXT_MAX)])

    def check_topic(self, allowed: set[str]) -> bool:
        if self.topic.data not in allowed:
            self.topic.errors = [*self.topic.errors, _l("Choose one of the topics offered to the community now.")]
            return False
        return True


ONLINE, OFFLINE = "online", "offline"


class ScheduleForm(FlaskForm):
    revision = HiddenField(validators=[InputRequired(message=_l("The form is incomplete. Please open it again.")),
                                       database_id])
    starts_at = MomentField(
        _l("Date and time"),
        validators=[InputRequired(message=_l("Enter the date and time.")), within_years],
    )
    mode = RadioField(
        _l("Where"),
        choices=options([(ONLINE, _l("Online")), (OFFLINE, _l("In person"))], placeholder=False),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose online or in person."))],
    )
    online_link = StringField(
        _l("Link to the online meeting"),
        description=_l("An https:// link to a service the community trusts."),
        validators=[at_most(500)],
    )
    place = StringField(
        _l("Place"),
        description=_l("Only what the participants need to find it; avoid names and addresses of people."),
        validators=[at_most(300)],
    )
    staff_id = SelectField(
        _l("Mentor or expert responsible"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose who leads the consultation."))],
    )

    def validate_mode(self, field):
        if field.data not in (ONLINE, OFFLINE):
            raise ValidationError(_l("Choose online or in person."))

    def validate_starts_at(self, field):
        if field.data is not None and _in_utc(field.data) < now():
            raise ValidationError(_l("Choose a time in the future."))

    def validate_online_link(self, field):
        value = (field.data or "").strip()
        field.data = value
        if self.mode.data != ONLINE:
            return
        if not value:
            raise ValidationError(_l("Enter the link to the online meeting."))
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname or any(ch.isspace() for ch in value):
            raise ValidationError(_l("Enter a link that starts with https://."))

    def validate_place(self, field):
        field.data = (field.data or "").strip()
        if self.mode.data == OFFLINE and not field.data:
            raise ValidationError(_l("Say where the consultation takes place."))

    def check_staff(self, allowed: set[str]) -> bool:
        if self.staff_id.data not in allowed:
            self.staff_id.errors = [*self.staff_id.errors, _l("Choose a mentor or expert assigned to the community.")]
            return False
        return True


class FollowUpRow(Form):
    """One agreed task; a row left empty is ignored."""

    task = StringField(_l("Task"), validators=[Optional(), at_most(500)])
    owner = SelectField(_l("Who does it"), validate_choice=False)
    due_on = DayField(_l("Due date"), validators=[Optional(), within_years])

    def is_blank(self) -> bool:
        return not (self.task.data or "").strip() and not self.due_on.data and not self.owner.data

    def check(self, owners: set[str], today: date) -> bool:
        if self.is_blank():
            return True
        ok = True
        if not (self.task.data or "").strip():
            self.task.errors = [*self.task.errors, _l("Describe the task, or leave the whole row empty.")]
            ok = False
        if self.owner.data not in owners:
            self.owner.errors = [*self.owner.errors, _l("Choose who does it.")]
            ok = False
        if self.due_on.data is None:
            if not self.due_on.errors:
                self.due_on.errors = [*self.due_on.errors, _l("Enter the due date.")]
            ok = False
        elif self.due_on.data < today:
            self.due_on.errors = [*self.due_on.errors, _l("The due date cannot be in the past.")]
            ok = False
        return ok


class LogForm(FormKeyMixin, FlaskForm):
    """What a mentor or expert writes after a consultation."""

    duration_minutes = WholeNumberField(
        _l("Duration in minutes"),
        invalid_message=_l("Enter the duration as a number of minutes."),
        validators=[
            InputRequired(message=_l("Enter the duration in minutes.")),
            NumberRange(min=1, max=MAX_DURATION_MINUTES,
                        message=_l("Enter between %(min)d and %(max)d minutes.", min=1, max=MAX_DURATION_MINUTES)),
        ],
    )
    summary = TextAreaField(
        _l("Summary shared with the community"),
        description=_l("The community's coordinators and the staff assigned to it read this."),
        validators=[InputRequired(message=_l("Write a short summary for the community.")), at_most(SUMMARY_MAX)],
    )
    private_notes = TextAreaField(
        _l("Private notes (optional)"),
        description=_l("Encrypted. Only you can read them, and the staff you choose to share them with."),
        validators=[Optional(), at_most(NOTES_MAX)],
    )
    follow_ups = FieldList(FormField(FollowUpRow), min_entries=FOLLOW_UP_ROWS, max_entries=FOLLOW_UP_MAX_ROWS)

    def set_owners(self, choices: list[tuple[str, str]]) -> None:
        for row in self.follow_ups:
            row.form.owner.choices = options(choices)

    def check_follow_ups(self, owners: set[str], today: date) -> bool:
        return all([row.form.check(owners, today) for row in self.follow_ups])

    def filled_follow_ups(self) -> list[FollowUpRow]:
        return [row.form for row in self.follow_ups if not row.form.is_blank()]


class DirectLogForm(LogForm):
    """A mentor or expert logs a session that took place but was never requested through the platform."""

    topic = SelectField(_l("Topic"), validate_choice=False, validators=[InputRequired(message=_l("Choose a topic."))])
    held_at = MomentField(_l("When it took place"),
                          validators=[InputRequired(message=_l("Enter the date and time.")), within_years])

    def validate_held_at(self, field):
        if field.data is not None and _in_utc(field.data) > now():
            raise ValidationError(_l("A session can be logged only after it took place."))

    check_topic = RequestForm.check_topic


class RateForm(FlaskForm):
    rating = RadioField(
        _l("How useful was the consultation?"),
        choices=options([(str(n), str(n)) for n in range(1, 6)], placeholder=False),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose from 1 (not useful) to 5 (very useful)."))],
    )
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), at_most(2000)])

    def validate_rating(self, field):
        if field.data not in {str(n) for n in range(1, 6)}:
            raise ValidationError(_l("Choose from 1 (not useful) to 5 (very useful)."))


class ShareNotesForm(FlaskForm):
    user_id = SelectField(
        _l("Share the private notes with"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a staff member."))],
    )


class UnshareNotesForm(FlaskForm):
    user_id = HiddenField(validators=[InputRequired(), database_id])


class ProgrammeTopicForm(FlaskForm):
    title = StringField(
        _l("New topic"),
        validators=[InputRequired(message=_l("Enter the topic.")), at_most(200)],
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: the CSRF token is all it carries."""
