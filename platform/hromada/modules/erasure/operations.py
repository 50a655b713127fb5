"""Asking, confirming and cancelling an erase, and who may do which.

A coordinator asks; a second coordinator confirms, or, when the community has only one
coordinator, an operator of an organisation running its programme. From the confirmation
the community has `GRACE_DAYS` of grace, in which anyone who may ask or confirm may cancel
(stopping an erase is the safe direction). The job in `erasure.run` does the erase itself.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, StaffMembership
from hromada.modules.communities.models import Community, Enrolment
from hromada.modules.audit.log import record as record_audit
from hromada.modules.erasure.models import GRACE_DAYS, EraseCertificate, EraseRequest
from hromada.roles import StaffRole
from hromada.times import moment_param


class EraseRefused(Exception):
    """Why this person cannot do this now; `message` is translated and shown."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_request(community_id: int) -> EraseRequest | None:
    return db.session.scalars(
        select(EraseRequest).where(EraseRequest.tenant_id == community_id, EraseRequest.cancelled_at.is_(None))
    ).one_or_none()


def coordinators_count(community_id: int) -> int:
    return db.session.scalar(select(func.count(CommunityMembership.id)).where(
        CommunityMembership.tenant_id == community_id, CommunityMembership.role == CommunityRole.COORDINATOR))


def is_coordinator(principal, community_id: int) -> bool:
    return principal.memberships.get(community_id) == CommunityRole.COORDINATOR


def is_operator(principal, community_id: int) -> bool:
    return any(StaffRole.OPERATOR in roles for roles in principal.reaches(community_id).values())


def _coordinators(community_id: int) -> list[int]:
    return list(db.session.scalars(select(CommunityMembership.user_id).where(
        CommunityMembership.tenant_id == community_id, CommunityMembership.role == CommunityRole.COORDINATOR)))


def _members(community_id: int) -> list[int]:
    return list(db.session.scalars(select(CommunityMembership.user_id).where(
        CommunityMembership.tenant_id == community_id)))


def _operators(community_id: int) -> list[int]:
    """The operators of the organisations whose programmes the community is enrolled in."""
    organisations = select(Enrolment.organisation_id).where(Enrolment.tenant_id == community_id)
    return list(db.session.scalars(select(StaffMembership.user_id).where(
        StaffMembership.organisation_id.in_(organisations), StaffMembership.role == StaffRole.OPERATOR)))


def _tell(user_ids, community_id: int, request: EraseRequest, step: str, message, link: str, **params) -> None:
    from hromada.modules.notifications.service import notify

    name = db.session.scalar(select(Community.name).where(Community.id == community_id))
    notify(user_ids, key=f"erasure:{request.id}:{step}", message=message, link=link,
           params={"community": name, **params})


def may_confirm(principal, request: EraseRequest) -> bool:
    """A second coordinator; an operator only when the community has a single coordinator."""
    if request.confirmed_at is not None or principal.user_id == request.requested_by_id:
        return False
    if is_coordinator(principal, request.tenant_id):
        return True
    return is_operator(principal, request.tenant_id) and coordinators_count(request.tenant_id) == 1


def may_cancel(principal, community_id: int) -> bool:
    return is_coordinator(principal, community_id) or is_operator(principal, community_id)


def ask(community_id: int, user, link: str) -> str:
    """Open a request; returns the certificate's link token (shown once, only its hash is kept)."""
    from hromada.i18n import lazy_gettext as _l

    if open_request(community_id) is not None:
        raise EraseRefused(_l("An erase of this community has already been asked for."))
    token = secrets.token_urlsafe(32)
    certificate = EraseCertificate(community_id=community_id, token_hash=token_hash(token), deleted_rows={},
                                   accounts_removed=0, key_destroyed=False)
    db.session.add(certificate)
    db.session.flush()
    db.session.add(EraseRequest(tenant_id=community_id, certificate_id=certificate.id, requested_by_id=user.id,
                                requested_at=now()))
    try:
        db.session.flush()
    except IntegrityError:  # another coordinator asked at the same moment
        db.session.rollback()
        raise EraseRefused(_l("An erase of this community has already been asked for.")) from None
    record_audit("erasure.requested", community_id=community_id)
    from hromada.modules.erasure.labels import ASKED

    request = open_request(community_id)
    coordinators = _coordinators(community_id)
    confirmers = coordinators if len(coordinators) > 1 else _operators(community_id)
    _tell([person for person in confirmers if person != user.id], community_id, request, "asked", ASKED, link)
    return token


def confirm(principal, community_id: int, user, link: str) -> EraseRequest:
    from hromada.i18n import lazy_gettext as _l

    request = open_request(community_id)
    if request is None or not may_confirm(principal, request):
        raise EraseRefused(_l("You cannot confirm this erase: it needs a second coordinator, or an operator "
                              "when the community has a single coordinator."))
    # Staff write the community's row acting for it, once the policy has let them confirm.
    with tenancy.scope(tenant_id=community_id):
        request.confirmed_by_id, request.confirmed_at = user.id, now()
        request.erase_after = request.confirmed_at + timedelta(days=GRACE_DAYS)
        db.session.flush()
        record_audit("erasure.confirmed", community_id=community_id)
        from hromada.modules.erasure.labels import CONFIRMED

        # Every member hears it, with time to take what they want to keep, and the operators.
        _tell(_members(community_id) + _operators(community_id), community_id, request, "confirmed", CONFIRMED,
              link, date=moment_param(request.erase_after))
    return request


def cancel(principal, community_id: int, user, link: str) -> None:
    from hromada.i18n import lazy_gettext as _l

    request = open_request(community_id)
    if request is None or not may_cancel(principal, community_id):
        raise EraseRefused(_l("There is no erase to cancel."))
    with tenancy.scope(tenant_id=community_id):
        request.cancelled_by_id, request.cancelled_at = user.id, now()
        db.session.flush()
        record_audit("erasure.cancelled", community_id=community_id)
        from hromada.modules.erasure.labels import CANCELLED

        told = _members(community_id) if request.confirmed_at else _coordinators(community_id)
        told += _operators(community_id) if request.confirmed_at or len(_coordinators(community_id)) == 1 else []
        _tell([person for person in told if person != user.id], community_id, request, "cancelled", CANCELLED, link)


def certificate_by_token(token: str) -> EraseCertificate | None:
    """The certificate whose link this is, even after its community is gone (and the person with it)."""
    digest = token_hash(token)
    if db.session.get_bind().dialect.name == "postgresql":
        # The policy shows a certificate to whoever names its token's hash, which only its link gives.
        db.session.connection().exec_driver_sql(
            "SELECT set_config('app.certificate_token', %(digest)s, true)", {"digest": digest})
    return db.session.scalars(select(EraseCertificate).where(EraseCertificate.token_hash == digest)).one_or_none()
