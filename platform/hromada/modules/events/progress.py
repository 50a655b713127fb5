"""The events block of a community's progress page: its next events and its attendance so far."""

from __future__ import annotations

from sqlalchemy import case, func, select

from hromada import authz
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.events.models import EventRegistration, NetworkingEvent


def progress_context(enrolment, viewer, *, limit: int = 5) -> dict:
    """Two queries whatever the number of events: the next ones, and the community's own with its counts.

    The tenancy context is the community's, so the counts are of its own registrations.
    """
    moment = now()
    upcoming = db.session.scalars(
        select(NetworkingEvent)
        .where(NetworkingEvent.programme_id == enrolment.programme_id, NetworkingEvent.ends_at > moment)
        .order_by(NetworkingEvent.starts_at)
        .limit(limit)
    ).all()
    registered_to = db.session.execute(
        select(
            NetworkingEvent,
            func.count(),
            func.sum(case((EventRegistration.attended.is_(True), 1), else_=0)),
        )
        .join(EventRegistration, EventRegistration.event_id == NetworkingEvent.id)
        .where(EventRegistration.tenant_id == enrolment.tenant_id,
               NetworkingEvent.programme_id == enrolment.programme_id)
        .group_by(NetworkingEvent.id)
    ).all()
    counts = {event.id: (registered, attended or 0) for event, registered, attended in registered_to}
    attended = sorted((event for event, _, attended in registered_to if attended),
                      key=lambda event: event.starts_at, reverse=True)
    return {
        "upcoming": upcoming,
        "attended": attended,
        "counts": counts,
        "community_id": enrolment.tenant_id,
        "can_register": viewer is not None and authz.can("events.register", enrolment.tenant_id),
    }
