"""Test helpers of the consultations module: builders, and the isolation matrix's arguments.

`matrix_arguments(world)` gives the matrix a consultation, a follow-up and a
programme topic of side B, and a consultation and a follow-up in A's second
community; every text in them carries the community's "secret-..." marker, in
the summary, the request, the private notes and the tasks alike, so a page that
shows any of them to the wrong person fails the matrix.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.communities.models import Enrolment
from hromada.modules.consultations.models import (
    Consultation,
    ConsultationStatus,
    FollowUp,
    NoteShare,
    ProgrammeTopic,
)
from hromada.modules.consultations.notes import seal_notes

PSYCHOLOGICAL_SUPPORT = "incubator.psychological_support"
SECURITY = "incubator.security"


def enrolment_of(community_id: int) -> Enrolment:
    with tenancy.system_scope():
        return db.session.scalars(select(Enrolment).where(Enrolment.tenant_id == community_id)).first()


def add_consultation(
    community_id: int,
    *,
    topic_key: str | None = SECURITY,
    programme_topic_id: int | None = None,
    notes_author_only: bool = False,
    status: ConsultationStatus = ConsultationStatus.LOGGED,
    staff_id: int | None = None,
    requested_by_id: int | None = None,
    marker: str = "",
    notes: str | None = None,
    duration_minutes: int | None = 60,
    requested_at: datetime | None = None,
    accepted_at: datetime | None = None,
    rating: int | None = None,
    follow_ups: list[tuple[str, int, date]] = (),
    shared_with: list[int] = (),
) -> Consultation:
    """A consultation of the community's (first) enrolment, in any state; committed."""
    enrolment = enrolment_of(community_id)
    now = datetime.now(timezone.utc)
    held = status in (ConsultationStatus.LOGGED, ConsultationStatus.RATED)
    with tenancy.system_scope():
        consultation = Consultation(
            tenant_id=community_id,
            organisation_id=enrolment.organisation_id,
            enrolment_id=enrolment.id,
            stage_id=enrolment.current_stage_id,
            stage_type=enrolment.current_stage.stage_type if enrolment.current_stage else "",
            topic_key=None if programme_topic_id else topic_key,
            programme_topic_id=programme_topic_id,
            notes_author_only=notes_author_only,
            status=status,
            idempotency_key=str(uuid.uuid4()),
            requested_by_id=requested_by_id,
            requested_at=requested_at if requested_at is not None else (now - timedelta(days=3)
                                                                        if requested_by_id else None),
            accepted_at=accepted_at,
            needs=f"What we need {marker}",
            preferred_times=f"Evenings {marker}",
            starts_at=now - timedelta(days=1) if held else (now + timedelta(days=2)
                                                             if status == ConsultationStatus.SCHEDULED else None),
            online_link="https://meet.example.org/room" if status != ConsultationStatus.REQUESTED else None,
            staff_id=staff_id,
            logged_at=now if held else None,
            duration_minutes=duration_minutes if held else None,
            summary=f"Summary {marker}" if held else "",
            private_notes=seal_notes(community_id, notes) if notes and held else None,
            notes_author_id=staff_id if notes and held else None,
            rating=rating,
            rated_at=now if rating else None,
        )
        db.session.add(consultation)
        db.session.flush()
        for task, owner_id, due_on in follow_ups:
            db.session.add(FollowUp(tenant_id=community_id, organisation_id=enrolment.organisation_id,
                                    consultation_id=consultation.id, task=task, owner_id=owner_id, due_on=due_on))
        for user_id in shared_with:
            db.session.add(NoteShare(tenant_id=community_id, organisation_id=enrolment.organisation_id,
                                     consultation_id=consultation.id, user_id=user_id, shared_by_id=staff_id))
        db.session.commit()
        db.session.refresh(consultation)
    return consultation


def add_programme_topic(programme_id: int, title: str) -> ProgrammeTopic:
    topic = ProgrammeTopic(programme_id=programme_id, title=title)
    db.session.add(topic)
    db.session.commit()
    db.session.refresh(topic)
    return topic


def _secret_consultation(side, community_index: int, marker: str) -> Consultation:
    community = side.communities[community_index]
    coordinator = side.people["coordinator"]
    return add_consultation(
        community.id,
        staff_id=side.people["expert"].id,
        requested_by_id=coordinator.id,
        marker=marker,
        notes=f"Private notes {marker}",
        follow_ups=[(f"Task {marker}", coordinator.id, date.today() + timedelta(days=7))],
        shared_with=[side.people["mentor"].id],
    )


def matrix_arguments(world) -> dict:
    foreign = _secret_consultation(world.b, 0, "secret-b1")
    unreachable = _secret_consultation(world.a, 1, "secret-a2")
    topic = add_programme_topic(world.b.programme.id, "Programme topic secret-b1")
    with tenancy.system_scope():
        foreign_follow_up = db.session.scalar(select(FollowUp.id).where(FollowUp.consultation_id == foreign.id))
        unreachable_follow_up = db.session.scalar(
            select(FollowUp.id).where(FollowUp.consultation_id == unreachable.id)
        )
    return {
        "foreign": {"consultation_id": foreign.id, "follow_up_id": foreign_follow_up,
                    "consultation_topic_id": topic.id},
        "unreachable": {"consultation_id": unreachable.id, "follow_up_id": unreachable_follow_up},
    }
