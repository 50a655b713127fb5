"""A community's action plans: milestones (or goals) that group actions.

A plan belongs to an object of a plugin (`owner_type`, `owner_id`): the
accelerator's operational plan, a change map of the civic course. It is the
members' own unless it is part of a programme the community takes part in
(`programme_id`): then that programme's staff read it (an audited read), and
the staff of another programme the community also takes part in do not. Whether an
action is overdue is never stored: it is read from its due date against the
clock (`is_overdue`, and `OVERDUE` for queries), so it is right on any day.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.clock import now
from hromada.database import string_enum
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.tenancy import TenantOwned


class ActionStatus(str, enum.Enum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"  # no longer to be done: left out of the share done


# An action still to be done: overdue once its due date has passed.
OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class ActionPlan(TenantOwned, db.Model):
    __tablename__ = "action_plans"
    # One plan per object of a plugin: asking for it twice (a double-submitted form) gives the same plan.
    __table_args__ = (UniqueConstraint("tenant_id", "owner_type", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(80))
    owner_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    # The programme whose staff read the plan; none: the members only.
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Milestone(TenantOwned, db.Model):
    __tablename__ = "action_plan_milestones"
    __table_args__ = (UniqueConstraint("tenant_id", "plan_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    # Milestones are shown by position, then by due date.
    position: Mapped[int] = mapped_column(Integer, default=0)


class Action(TenantOwned, db.Model):
    __tablename__ = "action_plan_actions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "milestone_id", "title"),
        CheckConstraint("starts_on IS NULL OR due_on IS NULL OR starts_on <= due_on", name="starts_before_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("action_plan_milestones.id", ondelete="CASCADE"),
                                              index=True)
    title: Mapped[str] = mapped_column(String(200))
    # Who carries it out: a member of the community (none until someone takes it).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The owner's role in this action, in the community's words ("treasurer", "speaker").
    role: Mapped[str] = mapped_column(String(80), default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[ActionStatus] = mapped_column(string_enum(ActionStatus), default=ActionStatus.PLANNED)
    result: Mapped[str] = mapped_column(Text, default="")
    # What shows it was done: a text, or an https link.
    evidence: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)

    owner: Mapped[User | None] = relationship()


def is_overdue(action: Action, today: date) -> bool:
    return action.due_on is not None and action.due_on < today and action.status in OPEN_STATUSES


def overdue_clause(today: date):
    """`is_overdue` as SQL, for the roll-up queries."""
    return and_(Action.due_on.is_not(None), Action.due_on < today, Action.status.in_(OPEN_STATUSES))
