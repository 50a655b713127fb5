"""Test helpers of the events module: events with registrations, and the isolation matrix's ids."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.events.labels import FOLLOW_UP_KINDS
from hromada.modules.events.models import EventMode, EventRegistration, FollowUpItem, NetworkingEvent


def make_event(programme, *, title: str = "Networking evening", starts_at: datetime | None = None,
               hours: int = 2, capacity: int | None = None, stage_id: int | None = None, **values) -> NetworkingEvent:
    """An offline event of `programme` (a week from now unless `starts_at`) with its follow-up checklist; flushed."""
    starts_at = starts_at or datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=7)
    event = NetworkingEvent(
        organisation_id=programme.organisation_id, programme_id=programme.id, stage_id=stage_id, title=title,
        description=values.pop("description", ""), mode=values.pop("mode", EventMode.OFFLINE),
        place=values.pop("place", "Library hall"), timezone=values.pop("timezone", "Europe/Kyiv"),
        starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), capacity=capacity, **values,
    )
    event.follow_up = [FollowUpItem(kind=kind) for kind in FOLLOW_UP_KINDS]
    db.session.add(event)
    db.session.flush()
    return event


def add_registration(event: NetworkingEvent, community_id: int, user_id: int, *, attended: bool = False) -> EventRegistration:
    """A registration from `community_id`, written as the system would (tests and the demo only); flushed."""
    with tenancy.system_scope():
        registration = EventRegistration(tenant_id=community_id, organisation_id=event.organisation_id,
                                         event_id=event.id, user_id=user_id, attended=attended)
        db.session.add(registration)
        event.registered_count += 1
        db.session.flush()
    return registration


def matrix_arguments(world) -> dict:
    """Side B's event (with registrations of B's first community) and one of its follow-up items;
    side A's event, to ask about it through A's second community, which the roles of A1 do not reach."""
    with tenancy.system_scope():
        event_b = make_event(world.b.programme, title="Evening of side B")
        b1 = world.b.communities[0].id
        for role in ("coordinator", "member"):
            add_registration(event_b, b1, world.b.people[role].id)
        event_a = make_event(world.a.programme, title="Evening of side A")
        add_registration(event_a, world.a.communities[0].id, world.a.people["member"].id)
        item_b = event_b.follow_up[0].id
        arguments = {
            "foreign": {"programme_id": world.b.programme.id, "event_id": event_b.id, "follow_up_id": item_b},
            "unreachable": {"event_id": event_a.id},
        }
        db.session.commit()
    return arguments
