"""`notify(...)`: send a notification once; `for_user(...)`: what a person may read."""

from __future__ import annotations

from typing import Any, Iterable

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from hromada.extensions import db
from hromada.modules.notifications.models import Notification
from hromada.times import format_param


def msgid(message: Any) -> str:
    """The untranslated message of a lazy gettext string (or a plain string)."""
    args = getattr(message, "_args", None)
    return args[0] if args else str(message)


def notify(user_ids: Iterable[int], *, key: str, message: Any, params: dict | None = None, link: str | None = None) -> int:
    """Add one notification per person unless one with the same key exists; return how many were added.

    `message` is a lazy gettext string (`_l("... %(title)s ...")`) so that it is
    extracted for translation; `params` fill its placeholders. Not committed.
    """
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return 0
    rows = [{"user_id": user_id, "key": f"{key}:user:{user_id}", "message": msgid(message), "params": params or {},
             "link": link} for user_id in user_ids]
    # Sent by one person to others, a notification is out of its sender's sight (on PostgreSQL only its
    # recipient reads it): so no RETURNING, and a key sent before is skipped by the database, not looked up.
    dialect = db.session.get_bind().dialect.name
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Notification.__table__)
    # One statement with every row (not executemany): its row count is exact on both databases. No conflict
    # target: naming the column would need the right to read it, and PostgreSQL would then ask that the
    # sender may read the new row.
    statement = statement.values(rows).on_conflict_do_nothing().execution_options(preserve_rowcount=True)
    return db.session.execute(statement).rowcount


def for_user(user_id: int, limit: int = 100) -> list[Notification]:
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user_id).order_by(Notification.id.desc()).limit(limit)
    ).all()


def render(notification: Notification) -> str:
    """The message in the reader's language, its moments and days in their zone and formats (hromada.times)."""
    params = {name: format_param(value) for name, value in (notification.params or {}).items()}
    return gettext(notification.message, **params)
