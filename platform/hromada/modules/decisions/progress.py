"""The decisions block of a community's progress page: what is open now and what was decided last."""

from __future__ import annotations

from sqlalchemy import select

from hromada import authz
from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.modules.decisions.models import Proposal

RECENT = 3


def progress_context(enrolment, *, limit: int = 5) -> dict:
    """Two queries whatever the number of proposals. Closing on read is left to the decisions pages.

    Members see all their community's proposals; staff those shared with this programme.
    """
    shown = Proposal.tenant_id == enrolment.tenant_id
    if enrolment.tenant_id not in authz.principal().memberships:
        shown &= Proposal.programme_id == enrolment.programme_id
    open_ = db.session.scalars(
        select(Proposal).where(shown, Proposal.closed_at.is_(None))
        .order_by(Proposal.closes_at).limit(limit)
    ).all()
    decided = db.session.scalars(
        select(Proposal).where(shown, Proposal.closed_at.is_not(None))
        .order_by(Proposal.closed_at.desc()).limit(RECENT)
    ).all()
    moment = now()
    due = {proposal.id for proposal in open_ if as_utc(proposal.closes_at) <= moment}
    return {"open_proposals": open_, "decided": decided, "due": due, "community_id": enrolment.tenant_id}
