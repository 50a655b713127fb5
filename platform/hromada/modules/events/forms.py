"""Forms of the events module: an event, and an item of its follow-up checklist."""

from __future__ import annotations

from datetime import timezone
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from hromada.fields import SelectField
from hromada.i18n import lazy_gettext as _l
from hromada.modules.events.labels import MODE_LABELS
from hromada.modules.events.models import EventMode
from hromada.times import TimezoneField, is_known_zone, viewer_zone
from hromada.validators import within_years

# What <input type="datetime-local"> sends, with or without seconds.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
MAX_CAPACITY = 10000


def _datetime_field(label):
    return DateTimeLocalField(
        label,
        format=DATETIME_FORMATS,
        invalid_value_message=_l("Enter a date and a time."),
        validators=[InputRequired(message=_l("Enter a date and a time.")), within_years],
    )


def https_link(form, field) -> None:
    """Only https addresses: a participant's browser must never be sent to an unencrypted page."""
    value = (field.data or "").strip()
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or any(ch.isspace() for ch in value):
        raise ValidationError(_l("Enter an address that starts with https://."))


class EventForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[InputRequired(message=_l("Enter a title.")), Length(max=200, message=_l("At most 200 characters."))],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=5000, message=_l("At most 5000 characters."))],
    )
    stage_id = SelectField(_l("Stage"), choices=[], invalid_choice_message=_l("Choose a stage of this programme."))
    mode = SelectField(
        _l("Format"),
        choices=[SelectChoice(mode.value, MODE_LABELS[mode]) for mode in EventMode],
        default=EventMode.OFFLINE.value,
        invalid_choice_message=_l("Choose online or in person."),
    )
    place = StringField(
        _l("Place"),
        description=_l("Required for an event in person. Shown to the members of the programme's communities."),
        validators=[Optional(), Length(max=300, message=_l("At most 300 characters."))],
    )
    link = StringField(
        _l("Link"),
        description=_l("Required for an online event; an https:// address. Shown only to registered people."),
        validators=[Optional(), Length(max=500, message=_l("At most 500 characters.")), https_link],
    )
    timezone = TimezoneField(
        _l("Time zone"),
        description=_l("The start and the end are read in this zone; participants see them in their own."),
        default=viewer_zone,
    )
    starts_at = _datetime_field(_l("Starts"))
    ends_at = _datetime_field(_l("Ends"))
    capacity = IntegerField(
        _l("Seats"),
        description=_l("Leave empty when anyone may come."),
        invalid_value_message=_l("Enter a whole number of seats, or leave it empty."),
        validators=[
            Optional(),
            NumberRange(min=1, max=MAX_CAPACITY, message=_l("Between 1 and %(max)s seats.", max=MAX_CAPACITY)),
        ],
    )

    def set_stages(self, stages, stage_label) -> None:
        self.stage_id.choices = [SelectChoice("", _l("Any stage of the programme"))] + [
            SelectChoice(str(stage.id), stage_label(stage)) for stage in stages
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.mode.data == EventMode.ONLINE.value and not (self.link.data or "").strip() and not self.link.errors:
            self.link.errors.append(_l("Enter the link of the online event."))
            valid = False
        if self.mode.data == EventMode.OFFLINE.value and not (self.place.data or "").strip() and not self.place.errors:
            self.place.errors.append(_l("Enter where the event takes place."))
            valid = False
        starts, ends = self.starts_at_utc(), self.ends_at_utc()
        if starts and ends and ends <= starts:
            self.ends_at.errors.append(_l("The event must end after it starts."))
            valid = False
        return valid

    def _as_utc(self, field):
        if field.data is None or not is_known_zone(self.timezone.data):
            return None
        return field.data.replace(tzinfo=ZoneInfo(self.timezone.data)).astimezone(timezone.utc)

    def starts_at_utc(self):
        return self._as_utc(self.starts_at)

    def ends_at_utc(self):
        return self._as_utc(self.ends_at)

    def stage(self) -> int | None:
        return int(self.stage_id.data) if self.stage_id.data else None


class FollowUpForm(FlaskForm):
    owner_id = SelectField(_l("Who does it"), choices=[], invalid_choice_message=_l("Choose a member of the staff."))
    owner_note = StringField(
        _l("Or someone else"),
        description=_l("For example a volunteer of a community. Optional."),
        validators=[Optional(), Length(max=200, message=_l("At most 200 characters."))],
    )
    done = BooleanField(_l("Done"))

    @staticmethod
    def staff_choices(people) -> list[SelectChoice]:
        """`people`: (id, name) pairs."""
        return [SelectChoice("", _l("Nobody yet"))] + [SelectChoice(str(person_id), name) for person_id, name in people]

    def set_staff(self, choices: list[SelectChoice]) -> None:
        """Whom the task can go to: `staff_choices`, made once for the forms of a page, which all offer the
        same people (an organisation of 1,910 staff, seven items)."""
        self.owner_id.choices = choices

    def owner(self) -> int | None:
        return int(self.owner_id.data) if self.owner_id.data else None
