"""Forms of the accounts module. Every message is translatable; the server validates everything."""

from __future__ import annotations

from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp, ValidationError

from hromada.fields import SelectField
from hromada.i18n import LANGUAGE_NAMES
from hromada.i18n import lazy_gettext as _l
from hromada.times import TimezoneField
from hromada.modules.accounts.passwords import MAX_LENGTH, MIN_LENGTH, is_guessable

HANDLE_PATTERN = r"^[a-zA-Z0-9][a-zA-Z0-9._-]{2,39}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def not_guessable(form, field) -> None:
    handle = getattr(getattr(form, "handle", None), "data", None) or getattr(current_user, "handle", None)
    if field.data and is_guessable(field.data, known=[handle or ""]):
        raise ValidationError(_l("This password is easy to guess: use a few words that only you would put "
                                 "together, not a common word, a keyboard row or one character repeated."))


def password_field(label):
    return PasswordField(
        label,
        validators=[
            InputRequired(message=_l("Enter a password.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("A password needs %(min)d to %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH),
            ),
            not_guessable,
        ],
    )


def invitation_note_field():
    """The note on an invitation to a staff or a community: for the person who invites only."""
    return StringField(
        _l("Note"),
        description=_l("For you only, to recognise the invitation later (for example, a first name). Optional."),
        validators=[Optional(), Length(max=200)],
    )


class SignInForm(FlaskForm):
    login = StringField(
        _l("Handle or e-mail"),
        validators=[InputRequired(message=_l("Enter your handle or e-mail.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(message=_l("Enter your password.")), Length(max=MAX_LENGTH)]
    )


class NewAccountForm(FlaskForm):
    """Accepting an invitation: a handle and a password are all that is needed."""

    handle = StringField(
        _l("Handle"),
        description=_l("The name others see. It need not be your real name: 3 to 40 letters, digits, dots, dashes."),
        validators=[
            InputRequired(message=_l("Choose a handle.")),
            Regexp(HANDLE_PATTERN, message=_l("Use 3 to 40 latin letters, digits, dots, dashes or underscores.")),
        ],
    )
    email = StringField(
        _l("E-mail (optional)"),
        description=_l("Only to sign in with. Leave it empty if you prefer."),
        validators=[Optional(), Length(max=254), Regexp(EMAIL_PATTERN, message=_l("This does not look like an e-mail address."))],
    )
    password = password_field(_l("Password"))
    confirm = PasswordField(
        _l("Password again"), validators=[EqualTo("password", message=_l("The two passwords differ."))]
    )


class AccountForm(FlaskForm):
    display_name = StringField(
        _l("Display name (optional)"),
        description=_l("A pseudonym is fine."),
        validators=[Optional(), Length(max=80, message=_l("At most 80 characters."))],
    )
    language = SelectField(_l("Language"), choices=[SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()])
    timezone = TimezoneField(
        _l("Time zone"), allow_blank=True,
        description=_l("Dates and times are shown in this zone, and times you enter in forms are read in it."),
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(message=_l("Enter your current password."))]
    )
    password = password_field(_l("New password"))
    confirm = PasswordField(
        _l("New password again"), validators=[EqualTo("password", message=_l("The two passwords differ."))]
    )


class ConfirmForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


class ReauthenticateForm(FlaskForm):
    """Before ending sessions (ASVS 7.5.2): the password, unless a second factor was confirmed lately."""

    password = PasswordField(_l("Your password"), validators=[Optional(), Length(max=MAX_LENGTH)])
