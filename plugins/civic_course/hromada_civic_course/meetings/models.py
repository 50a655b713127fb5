"""A problem-finding meeting, the problems it found, and the members' dots that rank them (deck 002, stage 3).

The meeting and its problems are the community's rows, shown to the staff of the
programme they were found in (`programme_id`). Each member spreads a few dots
(`DOTS_PER_MEMBER`) across a meeting's problems: one row per member and problem
with a count, `MembersOnly` like a position in a decision, so staff never read who
put their dots where.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from hromada.plugin_api import MembersOnly, TenantOwned, db

DOTS_PER_MEMBER = 3


class Level(str, enum.Enum):
    TOWN = "town"
    REGION = "region"
    COUNTRY = "country"


class ProblemMeeting(TenantOwned, db.Model):
    __tablename__ = "civic_problem_meetings"
    __table_args__ = (CheckConstraint("participants >= 0", name="participants_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The programme whose civic course stage the community was in; none: the members' own.
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(20))
    participants: Mapped[int] = mapped_column(Integer, default=0)
    # A name or pseudonym as the community writes it, or a member of the programme's staff.
    facilitator: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Problem(TenantOwned, db.Model):
    __tablename__ = "civic_problems"
    __table_args__ = (UniqueConstraint("tenant_id", "meeting_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("civic_problem_meetings.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    what_is_wrong: Mapped[str] = mapped_column(Text, default="")
    who_is_affected: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")


class ProblemDots(MembersOnly, db.Model):
    __tablename__ = "civic_problem_dots"
    __table_args__ = (UniqueConstraint("tenant_id", "problem_id", "user_id"),
                      CheckConstraint("dots >= 1", name="dots_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("civic_problems.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    dots: Mapped[int] = mapped_column(Integer)
