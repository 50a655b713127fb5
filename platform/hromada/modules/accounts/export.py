"""The community's memberships in its export: handles for everyone, an e-mail address only for the reader's own row."""

from sqlalchemy import case, select

from hromada.contributions import ExportTable
from hromada.modules.accounts.models import CommunityMembership, MemberInvitation, User


def _own_email(scope):
    own = select(User.email).where(User.id == CommunityMembership.user_id).scalar_subquery()
    return {"email": ("string", case((CommunityMembership.user_id == scope.reader_id, own), else_=None))}


EXPORT_TABLES = [
    ExportTable(CommunityMembership, extra_columns=_own_email),
    # An invitation's link is a secret: only whether it was made, by whom and whether it was used.
    ExportTable(MemberInvitation, leave_out=("token_hash",)),
]
