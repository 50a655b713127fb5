"""Forms of the second factors. Every message is translatable; the server validates everything."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, Optional

from hromada.i18n import lazy_gettext as _l


class CodeForm(FlaskForm):
    """A code of the person's authenticator app, or one of their recovery codes."""

    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[InputRequired(message=_l("Enter the code.")),
                    Length(max=40, message=_l("A code has at most %(max)d characters.", max=40))],
    )


class SetupForm(FlaskForm):
    code = StringField(
        _l("The six-digit code your app shows now"),
        validators=[InputRequired(message=_l("Enter the code.")),
                    Length(max=20, message=_l("A code has at most %(max)d characters.", max=20))],
    )
    label = StringField(_l("A name for this app (optional)"),
                        validators=[Optional(), Length(max=60, message=_l("At most %(max)d characters.", max=60))])


class ButtonForm(FlaskForm):
    """A button that changes something: only its CSRF token."""
