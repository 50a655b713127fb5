"""An operator organisation: the NGO that runs programmes and employs their staff."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.extensions import db

if TYPE_CHECKING:
    # Named, not imported: the programmes module builds on this one (SQLAlchemy finds
    # the class by its name once every module's models are loaded).
    from hromada.modules.programmes.models import Programme


class Organisation(db.Model):
    """An operator: the NGO that runs programmes."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    programmes: Mapped[list[Programme]] = relationship(back_populates="organisation")
