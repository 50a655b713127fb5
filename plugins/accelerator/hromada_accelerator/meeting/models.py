"""A community's coordination meeting in a programme: its budget, its report, its operational plan's status.

The row is shared with the organisation running the programme: the community
asks for the meeting and writes its report; the operator approves the budget and
the plan, or returns the plan with a comment. The plan itself is a core action plan
(`plan_id`), whose milestones are the community's adopted strategic goals.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy import UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.plugin_api import SharedWithOrganisation, User, db, money_composite


class PlanStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class CoordinationMeeting(SharedWithOrganisation, db.Model):
    __tablename__ = "accelerator_coordination_meetings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "programme_id"),
        CheckConstraint("participants >= 0", name="participants_not_negative"),
        CheckConstraint("requested_minor >= 0 AND (approved_minor IS NULL OR approved_minor >= 0)",
                        name="amounts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    place: Mapped[str] = mapped_column(String(300), default="")
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    participants: Mapped[int] = mapped_column(Integer, default=0)
    requested_minor: Mapped[int] = mapped_column(BigInteger)
    requested_currency: Mapped[str] = mapped_column(String(3))
    approved_minor: Mapped[int | None] = mapped_column(BigInteger)
    approved_currency: Mapped[str | None] = mapped_column(String(3))
    budget_decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    report: Mapped[str] = mapped_column(Text, default="")
    # Who does what in the community after the meeting (deck 002: "the distribution of roles").
    roles: Mapped[str] = mapped_column(Text, default="")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("action_plans.id", ondelete="SET NULL"))
    plan_status: Mapped[str] = mapped_column(String(20), default=PlanStatus.DRAFT.value)
    plan_comment: Mapped[str] = mapped_column(Text, default="")
    plan_decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    requested = money_composite("requested_minor", "requested_currency")
    approved = money_composite("approved_minor", "approved_currency")
    facilitator: Mapped[User | None] = relationship(foreign_keys=[facilitator_id])
