"""The events block of a community's progress page: its next events and its attendance so far."""

from __future__ import annotations

from sqlalchemy import case, func, select

from hromada import authz
from hromada.extensions import db
from hromada.modules.events.models import EventRegistration, NetworkingEvent
from hromada.modules.events.services import now


def progress_context(enrolment, viewer, *, limit: int = 5) -> dict:
    """Three queries whatever the number of events: the next ones, the past ones, and the community's counts.

    The tenancy context is the community's, so the counts are of its own registrations.
    """
    moment = now()
    upcoming = db.session.scalars(
        select(NetworkingEvent)
        .where(NetworkingEvent.programme_id == enrolment.programme_id, NetworkingEvent.ends_at > moment)
        .order_by(NetworkingEvent.starts_at)
        .limit(limit)
    ).all()
    counts = {
        event_id: (registered, attended or 0)
        for event_id, registered, attended in db.session.execute(
            select(
                EventRegistration.event_id,
                func.count(),
                func.sum(case((EventRegistration.attended.is_(True), 1), else_=0)),
            )
            .join(NetworkingEvent, NetworkingEvent.id == EventRegistration.event_id)
            .where(EventRegistration.tenant_id == enrolment.tenant_id,
                   NetworkingEvent.programme_id == enrolment.programme_id)
            .group_by(EventRegistration.event_id)
        )
    }
    attended_ids = [event_id for event_id, (_, attended) in counts.items() if attended]
    attended = []
    if attended_ids:
        attended = db.session.scalars(
            select(NetworkingEvent).where(NetworkingEvent.id.in_(attended_ids)).order_by(NetworkingEvent.starts_at.desc())
        ).all()
    return {
        "upcoming": upcoming,
        "attended": attended,
        "counts": counts,
        "community_id": enrolment.tenant_id,
        "can_register": viewer is not None and authz.can("events.register", enrolment.tenant_id),
    }
