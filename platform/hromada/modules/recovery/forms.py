"""Forms of reset links. Every message is translatable; the server validates everything."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.forms import password_field
from hromada.modules.accounts.passwords import MAX_LENGTH


class IssueForm(FlaskForm):
    reset_factors = BooleanField(
        _l("Also reset their second factors (they lost their phone or security key)"),
        description=_l("They then set up a new one when they next sign in."),
    )


class NewPasswordForm(FlaskForm):
    password = password_field(_l("New password"))
    confirm = PasswordField(
        _l("New password again"), validators=[EqualTo("password", message=_l("The two passwords differ."))]
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(message=_l("Enter your password.")), Length(max=MAX_LENGTH)],
    )
