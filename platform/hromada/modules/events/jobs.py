"""Reminders to the people registered for an event that starts within a day.

`flask --app hromada events send-reminders` (run it hourly, from cron or a timer)
enqueues one `events.reminders` job per community with a registration for such
an event. The job acts for that community alone (its `tenant_id`), and each
person gets one reminder per event, however often the command or the job runs.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.jobs import job
from hromada.modules.accounts.models import CommunityMembership
from hromada.modules.events.models import EventRegistration, NetworkingEvent
from hromada.modules.notifications.service import notify
from hromada.times import moment_param

REMINDER_WINDOW = timedelta(hours=24)
REMINDER = _l("Reminder: “%(title)s” starts on %(when)s.")


def window_start(as_of: str) -> datetime:
    return datetime.fromisoformat(as_of).astimezone(timezone.utc)


def _in_window(start: datetime):
    return NetworkingEvent.starts_at > start, NetworkingEvent.starts_at <= start + REMINDER_WINDOW


@job("events.reminders", once=True)
def send_reminders(tenant_id: int, as_of: str) -> int:
    """Notify this community's registered members of events starting within a day of `as_of`; return how many."""
    start = window_start(as_of)
    rows = db.session.execute(
        select(NetworkingEvent, EventRegistration.user_id)
        .join(EventRegistration, EventRegistration.event_id == NetworkingEvent.id)
        # Someone who has left the community since registering is not reminded through it.
        .join(
            CommunityMembership,
            (CommunityMembership.user_id == EventRegistration.user_id)
            & (CommunityMembership.tenant_id == EventRegistration.tenant_id),
        )
        .where(EventRegistration.tenant_id == tenant_id, *_in_window(start))
        .order_by(NetworkingEvent.id)
    ).all()
    people: dict[int, tuple[NetworkingEvent, set[int]]] = {}
    for event, user_id in rows:
        people.setdefault(event.id, (event, set()))[1].add(user_id)
    link = current_app.url_map.bind("").build("events.community_events", {"community_id": tenant_id})
    sent = 0
    for event_id, (event, user_ids) in people.items():
        when = moment_param(event.starts_at, event.timezone)
        sent += notify(user_ids, key=f"event:{event_id}", message=REMINDER,
                       params={"title": event.title, "when": when}, link=link)
    return sent


def communities_to_remind(start: datetime) -> list[int]:
    """Communities with a registration for an event in the window: maintenance across tenants."""
    with tenancy.system_scope():
        return list(
            db.session.scalars(
                select(EventRegistration.tenant_id)
                .join(NetworkingEvent, NetworkingEvent.id == EventRegistration.event_id)
                .where(*_in_window(start))
                .distinct()
                .order_by(EventRegistration.tenant_id)
            )
        )


@click.group("events")
def events_group() -> None:
    """Networking events."""


@events_group.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Remind registered people of events that start within a day (one job per community)."""
    # The hour the window starts at: the command run twice within an hour enqueues jobs that run once.
    as_of = now().replace(minute=0, second=0, microsecond=0).isoformat()
    communities = communities_to_remind(window_start(as_of))
    db.session.commit()
    queue = current_app.extensions["hromada.jobs"]
    statuses: dict[str, int] = {}
    for community_id in communities:
        handle = queue.enqueue("events.reminders", tenant_id=community_id, as_of=as_of)
        statuses[handle.status] = statuses.get(handle.status, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())) or "none"
    click.echo(f"Reminder jobs for {len(communities)} communities: {summary}.")
