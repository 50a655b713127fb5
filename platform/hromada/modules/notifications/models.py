"""A notification to one person. It stores the message's msgid and parameters, so it is
shown in the language the person reads in, not the one of the job that sent it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from hromada.extensions import db


class Notification(db.Model):
    """Read only by its recipient: every query filters on `user_id` (see `for_user`)."""

    __tablename__ = "notifications"
    __data_version__ = False  # no cached page shows these rows (hromada.caching.versions)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # What makes the notification unique, e.g. "course-session:17:user:4": sent once however often a job runs.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    message: Mapped[str] = mapped_column(String(500))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
