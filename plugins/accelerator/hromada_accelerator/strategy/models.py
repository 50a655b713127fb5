"""A community's strategy: the draft (vision, mission, goals, comments) and the versions it adopts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.plugin_api import TenantOwned, User, db
from hromada_accelerator.versions import FrozenVersion


class StrategyDraft(TenantOwned, db.Model):
    __tablename__ = "accelerator_strategy_drafts"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vision: Mapped[str] = mapped_column(Text, default="")
    mission: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    updated_by: Mapped[User | None] = relationship()


class StrategicGoal(TenantOwned, db.Model):
    """A change the community commits to, with the result that shows it is reached, by a date."""

    __tablename__ = "accelerator_strategic_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    result: Mapped[str] = mapped_column(Text)
    target_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class StrategyComment(TenantOwned, db.Model):
    __tablename__ = "accelerator_strategy_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    author: Mapped[User | None] = relationship()


class StrategyVersion(FrozenVersion, TenantOwned, db.Model):
    __tablename__ = "accelerator_strategy_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "number"), UniqueConstraint("tenant_id", "fingerprint"))
