"""`record(...)`: add an event to the audit log within the current transaction."""

from __future__ import annotations

from functools import lru_cache

from flask_login import current_user
from sqlalchemy import bindparam, insert

from hromada.extensions import db
from hromada.modules.audit.models import AuditEvent


@lru_cache(maxsize=1)
def _insert_statement():
    """Built once (a statement is immutable): staff pages record every read, so this runs on each of them.

    On the table, not the mapped class: an ORM-enabled INSERT goes through the ORM's bulk machinery,
    which took longer than the INSERT itself. Inline: nothing needs the new row's id, which the table
    cannot return (implicit_returning is off), so the sequence is not asked for it first, in a round trip
    of its own, but gives it inside the INSERT.
    """
    columns = ("action", "actor_id", "organisation_id", "community_id", "details")
    return insert(AuditEvent.__table__).values(**{name: bindparam(name) for name in columns}).inline()


def record(action: str, *, actor=None, organisation_id=None, community_id=None, commit=False, **details) -> None:
    """Add an audit event; it is saved with the work it describes (or at once, with `commit`).

    An INSERT in the current transaction rather than an object in the session: staff pages
    record every read, and the log is only ever appended to, so nothing needs the object.
    """
    if actor is None and current_user and current_user.is_authenticated:
        actor = current_user
    db.session.execute(_insert_statement(), {
        "action": action,
        "actor_id": getattr(actor, "id", None),
        "organisation_id": organisation_id,
        "community_id": community_id,
        "details": details,
    })
    if commit:
        db.session.commit()
