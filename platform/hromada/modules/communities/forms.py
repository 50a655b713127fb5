from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.labels import ROLE_LABELS
from hromada.modules.accounts.models import CommunityRole
from hromada.modules.organisations.forms import NOTE_HINT


class MemberInvitationForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, ROLE_LABELS[role]) for role in CommunityRole],
        default=CommunityRole.MEMBER.value,
        validators=[InputRequired(message=_l("Choose a role."))],
    )
    note = StringField(_l("Note"), description=NOTE_HINT, validators=[Optional(), Length(max=200)])
