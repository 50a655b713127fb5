"""A one-time reset link: only the SHA-256 of its token is kept, with its person and its expiry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hromada.extensions import db
from hromada.modules.accounts.models import User


class PasswordReset(db.Model):
    """A link that lets `user` set a new password once, before `expires_at`.

    On PostgreSQL (migration core0012) only an operator of the person's organisation or a coordinator of
    their community issues one, in that signed context; anyone may look one up by its hash and mark it
    used, and nothing else of it ever changes.
    """

    __tablename__ = "password_resets"
    __data_version__ = False  # no cached page shows these rows (hromada.caching.versions)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
