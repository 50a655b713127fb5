"""Networking events of a programme, who registered from which community, and the follow-up checklist.

An event and its checklist are the organisation's data (the operator plans them);
a registration is a community's row that the organisation also writes (attendance),
so it is `SharedWithOrganisation`.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.database import string_enum
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.modules.programmes.models import Programme, Stage
from hromada.tenancy import SharedWithOrganisation


class EventMode(str, enum.Enum):
    ONLINE = "online"
    OFFLINE = "offline"


class NetworkingEvent(db.Model):
    """A networking event an organisation holds for the communities of one of its programmes.

    `registered_count` is kept by conditional updates when people register and
    unregister: it is how capacity is enforced without reading other
    communities' registrations (row-level security hides them from a member),
    and the check constraint is the last wall against overbooking.
    """

    __tablename__ = "networking_events"
    __table_args__ = (
        # The same event sent twice (a double-submitted form) is refused by the database.
        UniqueConstraint("programme_id", "starts_at", "title"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "registered_count >= 0 AND (capacity IS NULL OR registered_count <= capacity)", name="within_capacity"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("programme_stages.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[EventMode] = mapped_column(string_enum(EventMode))
    place: Mapped[str] = mapped_column(String(300), default="")
    link: Mapped[str | None] = mapped_column(String(500))
    # The zone the times are entered and shown in (where an offline event takes place).
    timezone: Mapped[str] = mapped_column(String(50), default="UTC")
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    capacity: Mapped[int | None] = mapped_column(Integer)
    registered_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    programme: Mapped[Programme] = relationship()
    stage: Mapped[Stage | None] = relationship()
    follow_up: Mapped[list[FollowUpItem]] = relationship(
        back_populates="event", order_by="FollowUpItem.id", cascade="all, delete-orphan"
    )

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.registered_count, 0)


class EventRegistration(SharedWithOrganisation, db.Model):
    """A person of a community registered for an event; staff mark whether they attended."""

    __tablename__ = "event_registrations"
    __table_args__ = (UniqueConstraint("tenant_id", "event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("networking_events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    attended: Mapped[bool] = mapped_column(Boolean, default=False)
    attended_marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    attended_marked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    event: Mapped[NetworkingEvent] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class FollowUpItem(db.Model):
    """One question of the follow-up after an event (who sends the photos, who says thanks...).

    `kind` is a key of `hromada.modules.events.labels.FOLLOW_UP_KINDS`; every
    kind is created with the event. The owner is a staff member of the
    organisation, or someone named in `owner_note` (a community's volunteer).
    """

    __tablename__ = "event_follow_up_items"
    __table_args__ = (UniqueConstraint("event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("networking_events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    owner_note: Mapped[str] = mapped_column(String(200), default="")
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[NetworkingEvent] = relationship(back_populates="follow_up")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
