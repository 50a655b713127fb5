"""A strategic session of a community ready to carry out its change map, and what it agreed (deck 002, stage 3).

A session works on one adopted map (`map_id`): its date, who facilitated it, how many
took part and a summary. Each outcome is a sentence the session agreed, linked to a
milestone or an action of the map's action plan (the core's); a new action can be
made from the session, and its outcome then names it. The community's rows, shown
to the staff of the programme they were held in (`programme_id`), as the map is.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from hromada.plugin_api import TenantOwned, db


class StrategicSession(TenantOwned, db.Model):
    __tablename__ = "civic_strategic_sessions"
    # One session a day on a map: a form sent twice records it once.
    __table_args__ = (UniqueConstraint("tenant_id", "map_id", "held_on"),
                      CheckConstraint("participants >= 0", name="participants_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("civic_change_maps.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    # A name or pseudonym as the community writes it, or a member of the programme's staff.
    facilitator: Mapped[str] = mapped_column(String(200), default="")
    participants: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SessionOutcome(TenantOwned, db.Model):
    __tablename__ = "civic_session_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("civic_strategic_sessions.id", ondelete="CASCADE"),
                                            index=True)
    text: Mapped[str] = mapped_column(Text)
    # What of the map's plan it concerns: a milestone, or an action (then its milestone is the action's).
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("action_plan_milestones.id", ondelete="SET NULL"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action_plan_actions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
