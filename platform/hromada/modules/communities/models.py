"""A community is the tenant; an enrolment places it in a programme and a stage."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.extensions import db
from hromada.modules.programmes.models import Programme, Stage


class Community(db.Model):
    """A participant community. Its name may be a pseudonym."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Enrolment(db.Model):
    """A community's place in a programme: which stage it is in now."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("tenant_id", "programme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    current_stage_id: Mapped[int | None] = mapped_column(ForeignKey("programme_stages.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    community: Mapped[Community] = relationship()
    programme: Mapped[Programme] = relationship()
    current_stage: Mapped[Stage | None] = relationship()
