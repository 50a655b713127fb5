"""Forms of the course pages. Every message is ours and translatable, parse errors included."""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from hromada.fields import SelectField
from hromada.i18n import lazy_gettext as _l
from hromada.times import TimezoneField, is_known_zone, viewer_zone
from hromada.validators import within_years
from hromada.modules.courses.models import CompletionRule, SessionMode

RULE_LABELS = {
    CompletionRule.SHARE: _l("A share of the community's members (percent)"),
    CompletionRule.COUNT: _l("A number of the community's members"),
}
MODE_LABELS = {SessionMode.ONLINE: _l("Online"), SessionMode.OFFLINE: _l("In person")}

TITLE_REQUIRED = _l("Enter a title.")
AT_MOST_200 = _l("At most 200 characters.")
CHOOSE = _l("Choose one of the options.")


class ChoiceField(SelectField):
    """A select whose wrong or garbled value gets our message, not WTForms' own."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(CHOOSE) from None

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(CHOOSE) from None


class WholeNumber(IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a whole number.")) from None


class LocalDateTime(DateTimeLocalField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a date and time, such as 2027-03-05 18:00.")) from None


class EmptyForm(FlaskForm):
    """A button that changes something: the CSRF token is all it carries."""


class CourseForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(message=TITLE_REQUIRED), Length(max=200, message=AT_MOST_200)])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000, message=_l("At most 5000 characters."))]
    )
    stage_id = ChoiceField(_l("Stage"), coerce=int, validators=[InputRequired(message=CHOOSE)])
    required = BooleanField(
        _l("Required to complete the stage"), default=True,
        description=_l("A community moves on from the stage once it has completed every required course."),
    )
    completion_rule = ChoiceField(
        _l("The community completes the course when it is completed by"),
        choices=[SelectChoice(rule.value, label) for rule, label in RULE_LABELS.items()],
        default=CompletionRule.SHARE.value, validators=[InputRequired(message=CHOOSE)],
    )
    completion_threshold = WholeNumber(
        _l("Share or number of members"), default=70,
        description=_l(
            "A member completes the course by attending the stage's share of its sessions (70 percent unless "
            "the stage says otherwise) or, when it has no sessions, by marking every lesson done."
        ),
        validators=[InputRequired(message=_l("Enter a whole number.")),
                    NumberRange(min=1, max=1000, message=_l("Enter a number from 1 to 1000."))],
    )

    def validate_completion_threshold(self, field):
        if self.completion_rule.data == CompletionRule.SHARE.value and field.data is not None and field.data > 100:
            raise ValidationError(_l("A share is at most 100 percent."))


class ModuleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(message=TITLE_REQUIRED), Length(max=200, message=AT_MOST_200)])


class LessonForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired(message=TITLE_REQUIRED), Length(max=200, message=AT_MOST_200)])
    content = TextAreaField(
        _l("Content"),
        description=_l("Markdown: **bold**, *italic*, lists, [links](https://example.org). No HTML; "
                       "images only from this site."),
        validators=[Optional(), Length(max=20000, message=_l("At most 20000 characters."))],
    )


class TemplateForm(FlaskForm):
    """One per stage on the same page, each with its own prefix (so that ids stay unique).

    Its own CSRF field is off: it would take the prefix too. The app-wide
    `CSRFProtect` checks the page's `csrf_token` on every POST all the same.
    """

    class Meta:
        csrf = False

    template_key = ChoiceField(_l("Course from the catalogue"), validators=[InputRequired(message=CHOOSE)])


def https_link(form, field):
    value = (field.data or "").strip()
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or any(character.isspace() for character in value):
        raise ValidationError(_l("Enter an address that starts with https://."))


class SessionForm(FlaskForm):
    starts_at = LocalDateTime(_l("Starts"), validators=[InputRequired(message=_l("Enter when the session starts."))])
    ends_at = LocalDateTime(_l("Ends"), validators=[InputRequired(message=_l("Enter when the session ends."))])
    timezone = TimezoneField(
        _l("Time zone"), default=viewer_zone,
        description=_l("The start and the end are read in this zone; participants see them in their own."),
    )
    mode = ChoiceField(
        _l("Format"), choices=[SelectChoice(mode.value, label) for mode, label in MODE_LABELS.items()],
        default=SessionMode.ONLINE.value, validators=[InputRequired(message=CHOOSE)],
    )
    link = StringField(
        _l("Link to the online meeting"), description=_l("Shown only to the course's participants."),
        validators=[Optional(), Length(max=500, message=_l("At most 500 characters.")), https_link],
    )
    place = StringField(
        _l("Place"), description=_l("For a meeting in person. Shown only to the course's participants."),
        validators=[Optional(), Length(max=300, message=_l("At most 300 characters."))],
    )
    capacity = WholeNumber(
        _l("Places"), description=_l("Leave empty for no limit."),
        validators=[Optional(), NumberRange(min=1, max=10000, message=_l("Enter a number from 1 to 10000."))],
    )

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone.data if is_known_zone(self.timezone.data) else "UTC")

    validate_starts_at = within_years

    def validate_ends_at(self, field):
        within_years(self, field)
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The session must end after it starts."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Here, not in validate_link/validate_place: Optional() stops those when the field is empty.
        if self.mode.data == SessionMode.ONLINE.value and not (self.link.data or "").strip():
            self.link.errors.append(_l("An online session needs a link."))
            valid = False
        if self.mode.data == SessionMode.OFFLINE.value and not (self.place.data or "").strip():
            self.place.errors.append(_l("A session in person needs a place."))
            valid = False
        return valid
