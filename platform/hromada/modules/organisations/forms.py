from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from hromada.fields import SelectField
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.forms import invitation_note_field
from hromada.modules.accounts.labels import ROLE_LABELS
from hromada.modules.accounts.models import StaffRole


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name of the organisation"),
        validators=[InputRequired(message=_l("Enter a name.")), Length(max=200, message=_l("At most 200 characters."))],
    )


class StaffInvitationForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, ROLE_LABELS[role]) for role in StaffRole],
        validators=[InputRequired(message=_l("Choose a role."))],
    )
    note = invitation_note_field()
