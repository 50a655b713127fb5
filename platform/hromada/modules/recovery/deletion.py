"""A person deletes their own account.

What they wrote in their communities stays (decisions, comments, notes, plans are the community's),
attributed to "a former member": the `users` row stays as a tombstone, emptied of everything that
identifies the person (handle replaced by a random placeholder that no sign-in form accepts, e-mail,
display name, language, password hash gone) and closed. A tombstone rather than deleting the row and
setting its references to NULL: many references cannot be NULL (a position in a decision, an
attendance, a review), and every page that names an author goes through `User.name`, which then says
"a former member", so no page has to learn about it. Their memberships, sessions, second factors,
recovery codes, notifications and unused reset links go.

Refused while they are the only coordinator of a community that has other members (the community would
be left without anyone to run it), the only operator of an organisation, or the platform admin.

On PostgreSQL the whole deletion runs in the person's own signed context with their password just
checked (`credential_user`): row-level security lets it delete their own rows only, and only that
context may mark their row deleted, which also deletes their password hash (migration core0012).
"""

from __future__ import annotations

import secrets

from sqlalchemy import delete, func, select, update

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import (
    CommunityMembership,
    CommunityRole,
    StaffMembership,
    StaffRole,
    User,
    UserSession,
)
from hromada.modules.factors.models import RecoveryCode, SecondFactor
from hromada.modules.notifications.models import Notification
from hromada.modules.recovery.models import PasswordReset


def refusals(user: User) -> list:
    """Why the person may not delete their account now; empty when they may."""
    reasons = []
    if user.is_platform_admin:
        reasons.append(_l("You are the platform admin: your account is removed from the command line."))
    coordinated = list(db.session.scalars(select(CommunityMembership.tenant_id).where(
        CommunityMembership.user_id == user.id, CommunityMembership.role == CommunityRole.COORDINATOR)))
    if coordinated:
        # One statement for every community they coordinate, read as theirs to read.
        with tenancy.scope(reader_tenants=frozenset(coordinated)):
            counts = db.session.execute(
                select(CommunityMembership.tenant_id, CommunityMembership.role, func.count())
                .where(CommunityMembership.tenant_id.in_(coordinated))
                .group_by(CommunityMembership.tenant_id, CommunityMembership.role)).all()
        roles: dict[int, dict] = {}
        for community_id, role, count in counts:
            roles.setdefault(community_id, {})[role] = count
        if any(found.get(CommunityRole.COORDINATOR, 0) == 1 and found.get(CommunityRole.MEMBER, 0) > 0
               for found in roles.values()):
            reasons.append(_l("You are the only coordinator of a community that has other members: make one of "
                              "them a coordinator first, or ask to erase the community."))
    operated = select(StaffMembership.organisation_id).where(
        StaffMembership.user_id == user.id, StaffMembership.role == StaffRole.OPERATOR)
    alone = db.session.scalar(
        select(func.count()).select_from(StaffMembership).where(
            StaffMembership.organisation_id.in_(operated), StaffMembership.role == StaffRole.OPERATOR)
        .group_by(StaffMembership.organisation_id).having(func.count() == 1).limit(1))
    if alone:
        reasons.append(_l("You are the only operator of your organisation: invite another operator first."))
    return reasons


def delete_account(user: User) -> None:
    """Delete the person's account (the caller checked their password, a recent factor and `refusals`).
    Not committed: the caller commits it with its audit entry."""
    moment = now()
    with tenancy.scope(credential_user=user.id):
        for model in (CommunityMembership, StaffMembership, UserSession, RecoveryCode, SecondFactor, Notification):
            db.session.execute(delete(model).where(model.user_id == user.id)
                               .execution_options(synchronize_session=False))
        db.session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id,
                                                       PasswordReset.used_at.is_(None))
                           .values(used_at=moment).execution_options(synchronize_session=False))
        user.handle = "~" + secrets.token_hex(8)  # never a handle anyone signs in with (forms.HANDLE_PATTERN)
        user.email = None
        user.display_name = ""
        user.language = None
        user.is_active = False
        user.deleted_at = moment
        if db.session.get_bind().dialect.name != "postgresql":
            user.password_hash = ""  # on PostgreSQL the trigger deletes the private hash
        db.session.flush()
