"""What happens to networking events: planning, registering, attendance and the follow-up.

Functions here never commit: the view (or the job runner) commits what they did
as one unit, or rolls it back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from hromada import tenancy
from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.modules.audit.log import record
from hromada.modules.communities.activity import record_activity
from hromada.modules.events.labels import FOLLOW_UP_KINDS
from hromada.modules.events.models import EventRegistration, FollowUpItem, NetworkingEvent


class RegistrationRefused(Exception):
    """A registration (or its cancellation) that the event's state does not allow; `reason` says why."""

    def __init__(self, reason):
        super().__init__(str(reason))
        self.reason = reason


class EventFull(RegistrationRefused):
    pass


class RegistrationClosed(RegistrationRefused):
    pass


class AttendanceNotOpen(Exception):
    """Attendance is marked once an event has started."""


def has_started(event: NetworkingEvent, moment: datetime | None = None) -> bool:
    return as_utc(event.starts_at) <= (moment or now())


def has_ended(event: NetworkingEvent, moment: datetime | None = None) -> bool:
    return as_utc(event.ends_at) <= (moment or now())


# --- Planning -----------------------------------------------------------------


def new_event(*, programme, creator_id: int | None, **values) -> NetworkingEvent:
    """An event of `programme` with its whole follow-up checklist; flushed, not committed.

    Raises IntegrityError when the same event (title and start) exists already.
    """
    event = NetworkingEvent(organisation_id=programme.organisation_id, programme_id=programme.id,
                            created_by_id=creator_id, **values)
    event.follow_up = [FollowUpItem(kind=kind) for kind in FOLLOW_UP_KINDS]
    db.session.add(event)
    db.session.flush()
    return event


# --- Registering (as a member of a community: the current tenant) -------------


def register(event: NetworkingEvent, user_id: int) -> bool:
    """Register `user_id` from the current community; True if registered now, False if they were already.

    The seat is taken first, by a conditional update of the event's counter: two
    people asking for the last seat at once are serialised by the database's
    row lock, and the second finds no seat left. Call it at the start of a
    transaction (commit the reads before), so that SQLite takes its write lock
    at once rather than upgrading a read lock.
    """
    if has_started(event):
        raise RegistrationClosed("started")
    already = db.session.scalar(
        select(EventRegistration.id).where(EventRegistration.event_id == event.id, EventRegistration.user_id == user_id)
    )
    if already:
        return False
    seat = db.session.execute(
        update(NetworkingEvent)
        .where(
            NetworkingEvent.id == event.id,
            (NetworkingEvent.capacity.is_(None)) | (NetworkingEvent.registered_count < NetworkingEvent.capacity),
        )
        .values(registered_count=NetworkingEvent.registered_count + 1)
        .execution_options(synchronize_session=False)
    )
    if seat.rowcount != 1:
        raise EventFull("full")
    db.session.add(EventRegistration(event_id=event.id, user_id=user_id, organisation_id=event.organisation_id))
    try:
        db.session.flush()
    except IntegrityError:
        # The same person's second request won the race for the row: give the seat back.
        db.session.rollback()
        return False
    return True


def unregister(event: NetworkingEvent, user_id: int) -> bool:
    """Cancel the person's registration from the current community; True if there was one to cancel."""
    if has_started(event):
        raise RegistrationClosed("started")
    removed = db.session.execute(
        delete(EventRegistration)
        .where(
            EventRegistration.event_id == event.id,
            EventRegistration.user_id == user_id,
            EventRegistration.tenant_id == tenancy.current().tenant_id,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed:
        db.session.execute(
            update(NetworkingEvent)
            .where(NetworkingEvent.id == event.id, NetworkingEvent.registered_count >= removed)
            .values(registered_count=NetworkingEvent.registered_count - removed)
            .execution_options(synchronize_session=False)
        )
    return bool(removed)


# --- Attendance (as staff of the organisation) --------------------------------


def mark_attendance(
    event: NetworkingEvent, *, attended: list[int], absent: list[int], communities: set[int] | None, marker_id: int
) -> tuple[int, int]:
    """Mark registrations as attended or not; return how many of each actually changed.

    Only registrations of `event` from `communities` (those the marker reaches; None: every community of the
    event's organisation, for its operators)
    change, and only those not already in the asked state: a form sent twice
    changes nothing the second time. Each community that attended is marked
    active, in its own tenant context.
    """
    if attended and not has_started(event):
        raise AttendanceNotOpen()
    moment = now()
    scope = (EventRegistration.event_id == event.id,
             EventRegistration.organisation_id == event.organisation_id if communities is None
             else EventRegistration.tenant_id.in_(communities or [0]))
    marked = []
    if attended:
        marked = db.session.execute(
            update(EventRegistration)
            .where(*scope, EventRegistration.id.in_(attended), EventRegistration.attended.is_(False))
            .values(attended=True, attended_marked_by_id=marker_id, attended_marked_at=moment)
            .returning(EventRegistration.tenant_id)
            .execution_options(synchronize_session=False)
        ).scalars().all()
    unmarked = []
    if absent:
        unmarked = db.session.execute(
            update(EventRegistration)
            .where(*scope, EventRegistration.id.in_(absent), EventRegistration.attended.is_(True))
            .values(attended=False, attended_marked_by_id=marker_id, attended_marked_at=moment)
            .returning(EventRegistration.tenant_id)
            .execution_options(synchronize_session=False)
        ).scalars().all()
    for community_id in sorted(set(marked)):
        with tenancy.scope(tenant_id=community_id):
            record_activity()
        record("events.attendance_marked", organisation_id=event.organisation_id, community_id=community_id,
               event_id=event.id, people=marked.count(community_id))
    for community_id in sorted(set(unmarked)):
        record("events.attendance_unmarked", organisation_id=event.organisation_id, community_id=community_id,
               event_id=event.id, people=unmarked.count(community_id))
    return len(marked), len(unmarked)


# --- The follow-up checklist --------------------------------------------------


def update_follow_up(item: FollowUpItem, *, owner_id: int | None, owner_note: str, done: bool, by_id: int) -> bool:
    """Set who does an item and whether it is done; True if anything changed.

    The time an item was done is kept when the same "done" is sent again.
    """
    changed = item.owner_id != owner_id or item.owner_note != owner_note or (item.done_at is not None) != done
    item.owner_id = owner_id
    item.owner_note = owner_note
    if done and item.done_at is None:
        item.done_at, item.done_by_id = now(), by_id
    elif not done:
        item.done_at, item.done_by_id = None, None
    return changed
