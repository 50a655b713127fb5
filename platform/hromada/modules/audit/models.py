"""One row per audited event. Rows are never changed or deleted (a trigger refuses it on PostgreSQL)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.extensions import db

if TYPE_CHECKING:
    # Named, not imported: every module records to the audit log, accounts included
    # (SQLAlchemy finds the class by its name once every module's models are loaded).
    from hromada.modules.accounts.models import User


class AuditEvent(db.Model):
    """Who did what, concerning which organisation or community.

    It holds ids and a few non-confidential details, never a password, a note
    or an address: the log itself must not become a list of people to find.
    A platform table, not a tenant's: staff read it by organisation.
    """

    __tablename__ = "audit_events"
    # On PostgreSQL an entry is out of sight of most contexts that write it (migration core0009), and
    # an INSERT ... RETURNING must show the row it returns: entries are written without RETURNING.
    __table_args__ = {"implicit_returning": False}
    __data_version__ = False  # no cached page shows these rows (hromada.caching.versions)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    action: Mapped[str] = mapped_column(String(60))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()
