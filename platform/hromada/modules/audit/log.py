"""`record(...)`: add an event to the audit log within the current transaction."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import insert

from hromada.extensions import db
from hromada.modules.audit.models import AuditEvent


def record(action: str, *, actor=None, organisation_id=None, community_id=None, commit=False, **details) -> None:
    """Add an audit event; it is saved with the work it describes (or at once, with `commit`).

    An INSERT in the current transaction rather than an object in the session: staff pages
    record every read, and the log is only ever appended to, so nothing needs the object.
    """
    if actor is None and current_user and current_user.is_authenticated:
        actor = current_user
    db.session.execute(insert(AuditEvent).values(
        action=action,
        actor_id=getattr(actor, "id", None),
        organisation_id=organisation_id,
        community_id=community_id,
        details=details,
    ))
    if commit:
        db.session.commit()
