"""Forms of the security audit: every rule on the server, every message translatable."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from hromada.plugin_api import SelectField
from hromada.plugin_api import lazy_gettext as _l
from hromada_incubator.audit_checklist import CHECKLIST, RISK_LEVEL_CHOICES

ITEM_KEYS = {item.key for item in CHECKLIST}
TEXT_MAX = 4000


def _item_key(form, field):
    if field.data not in ITEM_KEYS:
        raise ValidationError(_l("This point is not on the checklist."))


class FindingForm(FlaskForm):
    """One checklist item, assessed. The item's key comes with the form: one form per item."""

    item_key = HiddenField(validators=[InputRequired(message=_l("This point is not on the checklist.")), _item_key])
    finding = TextAreaField(
        _l("What you found"),
        validators=[InputRequired(message=_l("Describe what you found.")),
                    Length(max=TEXT_MAX, message=_l("At most %(max)d characters.", max=TEXT_MAX))],
    )
    risk_level = SelectField(
        _l("Risk"),
        choices=[SelectChoice("", _l("Choose…")), *(SelectChoice(value, label) for value, label in RISK_LEVEL_CHOICES)],
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a risk level."))],
    )
    recommendation = TextAreaField(
        _l("What the community should do"),
        validators=[InputRequired(message=_l("Write a recommendation.")),
                    Length(max=TEXT_MAX, message=_l("At most %(max)d characters.", max=TEXT_MAX))],
    )

    def validate_risk_level(self, field):
        if field.data not in {value for value, _label in RISK_LEVEL_CHOICES}:
            raise ValidationError(_l("Choose a risk level."))


class ItemForm(FlaskForm):
    """A button about one item (marking its recommendation done)."""

    item_key = HiddenField(validators=[InputRequired(message=_l("This point is not on the checklist.")), _item_key])


class ConfirmForm(FlaskForm):
    """A button that changes something: the CSRF token is all it carries."""
