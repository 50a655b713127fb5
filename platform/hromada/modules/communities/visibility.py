"""Which of a community's enrolments the person looking may see.

A community's members see all of them. Staff see a community only through their own
organisation's enrolment (README, "How isolation works"): that the community also
takes part in another organisation's programme, and what it does there, is not theirs
to see, even when both organisations reach it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from hromada import authz
from hromada.modules.communities.models import Enrolment


def organisations_in_view(community_id: int) -> frozenset[int] | None:
    """The organisations through which the person sees the community; None for its members (all)."""
    principal = authz.principal()
    if community_id in principal.memberships:
        return None
    return frozenset(principal.reaches(community_id))


def enrolments_in_view(community_id: int) -> ColumnElement[bool]:
    """A filter on `Enrolment`: the community's enrolments the person may see."""
    clause = Enrolment.tenant_id == community_id
    organisations = organisations_in_view(community_id)
    if organisations is not None:
        clause &= Enrolment.organisation_id.in_(sorted(organisations))
    return clause
