"""Invitations: single-use links that expire. Only a hash of the link's token is stored.

A staff invitation's link is /invitations/staff/<token>; a community's is
/invitations/community/<community id>/<token>: the id lets the invitation be
found inside its tenant, and alone it opens nothing.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.modules.accounts.models import (
    CommunityMembership,
    MemberInvitation,
    StaffInvitation,
    StaffMembership,
    User,
)
from hromada.tokens import token_hash


def _lifetime() -> timedelta:
    return timedelta(days=current_app.config["HROMADA_INVITATION_DAYS"])


def invite_staff(*, organisation_id: int, role, invited_by: User, note: str = "") -> tuple[StaffInvitation, str]:
    token = secrets.token_urlsafe(32)
    invitation = StaffInvitation(
        token_hash=token_hash(token), organisation_id=organisation_id, role=role, note=note,
        invited_by_id=invited_by.id, expires_at=now() + _lifetime(),
    )
    db.session.add(invitation)
    return invitation, token


def invite_member(*, role, invited_by: User, note: str = "") -> tuple[MemberInvitation, str]:
    """Invite into the current tenant (the community the coordinator acts in)."""
    token = secrets.token_urlsafe(32)
    invitation = MemberInvitation(
        token_hash=token_hash(token), role=role, note=note, invited_by_id=invited_by.id,
        expires_at=now() + _lifetime(),
    )
    db.session.add(invitation)
    return invitation, token


def open_invitation(model, token: str):
    """The unused, unexpired invitation with this token (in the current tenant), or None."""
    invitation = db.session.scalar(select(model).where(model.token_hash == token_hash(token)))
    if invitation is None or invitation.used_at is not None or as_utc(invitation.expires_at) < now():
        return None
    return invitation


def redeem(invitation, user: User) -> bool:
    """Mark the invitation used by `user` and grant its role; False if someone used it first."""
    model = type(invitation)
    claimed = db.session.execute(
        update(model)
        .where(model.id == invitation.id, model.used_at.is_(None))
        .values(used_at=now(), used_by_id=user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    if isinstance(invitation, StaffInvitation):
        exists = db.session.scalar(
            select(StaffMembership.id).where(
                StaffMembership.organisation_id == invitation.organisation_id,
                StaffMembership.user_id == user.id,
                StaffMembership.role == invitation.role,
            )
        )
        if not exists:
            db.session.add(StaffMembership(organisation_id=invitation.organisation_id, user_id=user.id, role=invitation.role))
    else:
        membership = db.session.scalar(
            select(CommunityMembership).where(
                CommunityMembership.tenant_id == invitation.tenant_id, CommunityMembership.user_id == user.id
            )
        )
        if membership is None:
            db.session.add(CommunityMembership(user_id=user.id, role=invitation.role))
    return True
