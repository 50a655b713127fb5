"""`notify(...)`: send a notification once; `for_user(...)`: what a person may read."""

from __future__ import annotations

from typing import Any, Iterable

from flask_babel import gettext
from sqlalchemy import select

from hromada.extensions import db
from hromada.modules.notifications.models import Notification


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
    keys = {user_id: f"{key}:user:{user_id}" for user_id in user_ids}
    existing = set(db.session.scalars(select(Notification.key).where(Notification.key.in_(keys.values()))))
    added = 0
    for user_id, unique_key in keys.items():
        if unique_key in existing:
            continue
        db.session.add(Notification(user_id=user_id, key=unique_key, message=msgid(message),
                                    params=params or {}, link=link))
        added += 1
    return added


def for_user(user_id: int, limit: int = 100) -> list[Notification]:
    return db.session.scalars(
        select(Notification).where(Notification.user_id == user_id).order_by(Notification.id.desc()).limit(limit)
    ).all()


def render(notification: Notification) -> str:
    return gettext(notification.message, **notification.params)
