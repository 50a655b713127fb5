from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from hromada.i18n import lazy_gettext as _l


class AskForm(FlaskForm):
    understood = BooleanField(
        _l("I understand that once the erase is done, everything of the community is deleted for good and "
           "nobody can bring it back."),
        validators=[DataRequired(message=_l("Tick the box to show that you understand what an erase does."))],
    )


class ConfirmForm(FlaskForm):
    understood = BooleanField(
        _l("I confirm: erase this community after seven days of grace."),
        validators=[DataRequired(message=_l("Tick the box to confirm the erase."))],
    )


class CancelForm(FlaskForm):
    """A button: cancelling is always allowed to whoever may, and never harms."""
