"""Consultations of a community with a mentor or an expert, and what comes out of them.

A consultation belongs to the community (the tenant) and to the organisation
whose programme it is part of (`SharedWithOrganisation`): the community writes
the request and the rating, the organisation's staff write the schedule, the
log and the follow-ups. Who may read what is decided in `access.py`.

Programme topics are the organisation's data (like programmes), not a tenant's.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.clock import as_utc, now
from hromada.database import string_enum
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.modules.communities.models import Enrolment
from hromada.tenancy import SharedWithOrganisation

# The purpose the private notes are sealed under (`hromada.modules.confidential.crypto`).
NOTES_PURPOSE = "consultations.private_notes"
MAX_DURATION_MINUTES = 600


class ConsultationStatus(str, enum.Enum):
    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    LOGGED = "logged"
    RATED = "rated"
    CANCELLED = "cancelled"


# Held, whether or not it is rated yet: what counts for hours and KPIs.
HELD = (ConsultationStatus.LOGGED, ConsultationStatus.RATED)
OPEN = (ConsultationStatus.REQUESTED, ConsultationStatus.SCHEDULED)


class ProgrammeTopic(db.Model):
    """A topic an operator adds to one programme, besides the plugins' topics of each stage type.

    Its private notes are never author-only: that protection is a plugin's topic's promise.
    A retired topic is offered no more; past consultations keep it.
    """

    __tablename__ = "consultation_topics"
    __table_args__ = (UniqueConstraint("programme_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    notes_author_only = False


class Consultation(SharedWithOrganisation, db.Model):
    """One consultation, from the community's request (or a mentor's direct log) to its rating.

    requested -> scheduled -> logged -> rated, or cancelled before it is held.
    `revision` grows with every change of the schedule, so that a stale form changes nothing.
    The topic is a plugin topic's key or a programme topic; `notes_author_only`
    is copied from the topic when the consultation is created, so the promise
    made for its notes holds even if the plugin is later switched off.
    """

    __tablename__ = "consultations"
    __table_args__ = (
        # A form submitted twice finds the consultation its first submission created.
        UniqueConstraint("tenant_id", "idempotency_key"),
        CheckConstraint(f"duration_minutes BETWEEN 1 AND {MAX_DURATION_MINUTES}", name="duration_range"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    # The stage the community was in: KPIs group by it.
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("programme_stages.id"), index=True)
    stage_type: Mapped[str] = mapped_column(String(50))
    topic_key: Mapped[str | None] = mapped_column(String(100))
    programme_topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_topics.id"), index=True
    )
    notes_author_only: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ConsultationStatus] = mapped_column(string_enum(ConsultationStatus), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    idempotency_key: Mapped[str] = mapped_column(String(36))

    # The request (none when a mentor logs a session directly).
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    needs: Mapped[str] = mapped_column(Text, default="")
    preferred_times: Mapped[str] = mapped_column(String(500), default="")
    details: Mapped[str] = mapped_column(Text, default="")

    # The schedule. `accepted_at` is when it was first scheduled: the speed of response.
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    scheduled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    online_link: Mapped[str | None] = mapped_column(String(500))
    place: Mapped[str | None] = mapped_column(String(300))
    # The mentor or expert responsible: the one who logs it and writes its notes.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    # The log, written after it was held.
    logged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    # Sealed with `seal(text, NOTES_PURPOSE)`; readable by the author and whom they share with.
    private_notes: Mapped[bytes | None] = mapped_column(LargeBinary)
    notes_author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # The community's rating, given once.
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    rating_comment: Mapped[str] = mapped_column(Text, default="")
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    enrolment: Mapped[Enrolment] = relationship()
    programme_topic: Mapped[ProgrammeTopic | None] = relationship()
    staff: Mapped[User | None] = relationship(foreign_keys=[staff_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="consultation", order_by="FollowUp.due_on, FollowUp.id", cascade="all, delete-orphan"
    )

    @property
    def is_held(self) -> bool:
        return self.status in HELD

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def has_begun(self) -> bool:
        """Its time has come: only then can it be logged as held (a future one is rescheduled or cancelled)."""
        return self.starts_at is not None and as_utc(self.starts_at) <= now()

    @property
    def has_notes(self) -> bool:
        return self.private_notes is not None


class FollowUp(SharedWithOrganisation, db.Model):
    """A task agreed in a consultation: who does what by when, tracked to done."""

    __tablename__ = "consultation_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    task: Mapped[str] = mapped_column(String(500))
    # A member of the community or the staff member who led the consultation.
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    consultation: Mapped[Consultation] = relationship(back_populates="follow_ups")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id])

    def is_overdue(self, today: date) -> bool:
        return self.done_at is None and self.due_on < today


class NoteShare(SharedWithOrganisation, db.Model):
    """The author of private notes lets one more staff member of the enrolment read them."""

    __tablename__ = "consultation_note_shares"
    __table_args__ = (UniqueConstraint("tenant_id", "consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    shared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
