from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from hromada.fields import SelectField
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.forms import invitation_note_field
from hromada.modules.accounts.labels import ROLE_LABELS
from hromada.modules.accounts.models import CommunityRole


class MemberInvitationForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, ROLE_LABELS[role]) for role in CommunityRole],
        default=CommunityRole.MEMBER.value,
        validators=[InputRequired(message=_l("Choose a role."))],
    )
    note = invitation_note_field()
