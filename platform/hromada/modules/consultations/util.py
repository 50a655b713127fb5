"""Reads that the consultation pages, the operations and the module's hooks share."""

from __future__ import annotations

from collections import Counter

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hromada import tenancy
from hromada.clock import today
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, StaffMembership, StaffRole, User
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Enrolment
from hromada.modules.consultations.access import Viewer
from hromada.modules.consultations.models import Consultation, FollowUp, ProgrammeTopic


def consultation_link(community_id: int, consultation_id: int) -> str:
    return url_for("consultations.detail", community_id=community_id, consultation_id=consultation_id)


def audit(action: str, consultation: Consultation, *, actor: User | None = None, **details) -> None:
    # Ids and numbers only: never a summary, a note, a task or a place.
    record(action, actor=actor, organisation_id=consultation.organisation_id, community_id=consultation.tenant_id,
           consultation_id=consultation.id, **details)


def write_as_staff(viewer: Viewer, organisation_id: int) -> None:
    """Staff write the community's consultation rows as the organisation running its programme."""
    if not viewer.is_member:
        tenancy.set_organisation(organisation_id)


def enrolments(community_id: int) -> list[Enrolment]:
    return list(
        db.session.scalars(
            select(Enrolment)
            .options(joinedload(Enrolment.programme), joinedload(Enrolment.current_stage))
            .where(Enrolment.tenant_id == community_id)
            .order_by(Enrolment.id)
        )
    )


def by_form_key(community_id: int, key: str) -> Consultation | None:
    """The consultation a form saved, found again by the form's one-time key."""
    return db.session.scalar(
        select(Consultation).where(Consultation.tenant_id == community_id, Consultation.idempotency_key == key)
    )


def members(community_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(CommunityMembership, CommunityMembership.user_id == User.id)
            .where(CommunityMembership.tenant_id == community_id)
            .order_by(User.display_name, User.handle)
        )
    )


def coordinators(community_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(CommunityMembership.user_id).where(
                CommunityMembership.tenant_id == community_id, CommunityMembership.role == CommunityRole.COORDINATOR
            )
        )
    )


def operators(organisation_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(StaffMembership.user_id).where(
                StaffMembership.organisation_id == organisation_id, StaffMembership.role == StaffRole.OPERATOR
            )
        )
    )


def programme_topic_titles(topic_keys) -> dict[int, str]:
    """Titles of the programme topics among KPI rows' topic keys (`p<id>`)."""
    ids = {int(key[1:]) for key in topic_keys if key.startswith("p") and key[1:].isdigit()}
    if not ids:
        return {}
    return dict(db.session.execute(select(ProgrammeTopic.id, ProgrammeTopic.title).where(ProgrammeTopic.id.in_(ids))))


def community_follow_ups(community_id: int, viewer: Viewer, *, enrolment_id: int | None = None):
    """(follow-ups this person may read, counts by state for the operator's eyes)."""
    query = (
        select(FollowUp)
        .options(joinedload(FollowUp.owner), joinedload(FollowUp.consultation).joinedload(Consultation.programme_topic))
        .join(FollowUp.consultation)
        .where(FollowUp.tenant_id == community_id)
        .order_by(FollowUp.done_at.is_not(None), FollowUp.due_on, FollowUp.id)
    )
    if enrolment_id is not None:
        query = query.where(Consultation.enrolment_id == enrolment_id)
    everything = list(db.session.scalars(query).unique())
    on = today()
    readable = [follow_up for follow_up in everything if viewer.can_see_follow_up(follow_up)]
    counts = Counter()
    for follow_up in everything:
        if viewer.operates(follow_up.consultation):
            counts["done" if follow_up.done_at else ("overdue" if follow_up.is_overdue(on) else "open")] += 1
    return readable, counts
