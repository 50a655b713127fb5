"""`record(...)`: add an event to the audit log within the current transaction."""

from __future__ import annotations

from flask_login import current_user

from hromada.extensions import db
from hromada.modules.audit.models import AuditEvent


def record(action: str, *, actor=None, organisation_id=None, community_id=None, commit=False, **details) -> AuditEvent:
    """Add an audit event; it is saved with the work it describes (or at once, with `commit`)."""
    if actor is None and current_user and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        organisation_id=organisation_id,
        community_id=community_id,
        details=details,
    )
    db.session.add(event)
    if commit:
        db.session.commit()
    return event
