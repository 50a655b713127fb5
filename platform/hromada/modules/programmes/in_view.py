"""Through which programmes a person sees a community, and which programme it is in a given stage of.

Stage plugins show a community's work to staff only through their own organisation's
programme (README, "How isolation works"), and drafts only to the mentors and
facilitators of the programme whose stage the work belongs to. These are the queries
they share; `hromada.plugin_api` offers them.
"""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import aliased

from hromada import authz
from hromada.extensions import db
from hromada.modules.communities.models import Enrolment
from hromada.modules.programmes.models import Stage
from hromada.roles import StaffRole


def programme_in_stage(community_id: int, stage_type: str) -> int | None:
    """The programme in which the community is now in a stage of `stage_type`, or None."""
    return db.session.scalar(
        select(Enrolment.programme_id).join(Stage, Stage.id == Enrolment.current_stage_id)
        .where(Enrolment.tenant_id == community_id, Stage.stage_type == stage_type)
        .order_by(Enrolment.id).limit(1)
    )


def programmes_in_view(community_id: int, stage_type: str | None = None) -> list[int] | None:
    """The programmes through which the person sees the community (those now in a stage of
    `stage_type`, if given); None for its members, who see all of it."""
    principal = authz.principal()
    if community_id in principal.memberships:
        return None
    organisations = sorted(principal.reaches(community_id))
    if not organisations:
        return []
    query = select(Enrolment.programme_id).where(Enrolment.tenant_id == community_id,
                                                 Enrolment.organisation_id.in_(organisations))
    if stage_type is not None:
        query = query.join(Stage, Stage.id == Enrolment.current_stage_id).where(Stage.stage_type == stage_type)
    return list(db.session.scalars(query))


def reaches_in_stage(community_id: int, stage_type: str, roles: Iterable[StaffRole]) -> bool:
    """Members; and staff holding one of `roles` for an organisation whose programme the community
    is now in a stage of `stage_type` (who reads a stage's drafts)."""
    principal = authz.principal()
    if community_id in principal.memberships:
        return True
    roles = set(roles)
    organisations = [organisation for organisation, held in principal.reaches(community_id).items() if held & roles]
    return bool(organisations) and db.session.scalar(
        select(Enrolment.id).join(Stage, Stage.id == Enrolment.current_stage_id)
        .where(Enrolment.tenant_id == community_id, Enrolment.organisation_id.in_(organisations),
               Stage.stage_type == stage_type).limit(1)
    ) is not None


def stage_reached(community_id: int, stage_type: str) -> bool:
    """The community is in a stage of `stage_type`, or has moved past one, in a programme the person
    sees it through (any of its programmes, for its members): where that stage's pages belong."""
    programmes = programmes_in_view(community_id)
    if programmes == []:
        return False
    current = aliased(Stage)
    query = (
        select(Stage.id)
        .join(Enrolment, Enrolment.programme_id == Stage.programme_id)
        .join(current, current.id == Enrolment.current_stage_id)
        .where(Enrolment.tenant_id == community_id, Stage.stage_type == stage_type,
               Stage.position <= current.position)
    )
    if programmes is not None:
        query = query.where(Enrolment.programme_id.in_(programmes))
    return db.session.scalar(query.limit(1)) is not None
