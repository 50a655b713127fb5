"""The demo's networking events: one held a month ago (attendance marked, its follow-up half done) and two
coming, one online and one in person; Riverside Yard Circle's people registered. Dates relative to today,
times on Kyiv's clock (Warsaw's for the picnic), fictional text."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from hromada.clock import now, today
from hromada.extensions import db
from hromada.modules.communities.models import Enrolment
from hromada.modules.events.jobs import REMINDER
from hromada.modules.events.labels import FOLLOW_UP_KINDS
from hromada.modules.events.models import EventMode, EventRegistration, FollowUpItem, NetworkingEvent
from hromada.modules.notifications.service import notify
from hromada.times import moment_param

# (title, days from today, local start, hours, zone, mode, place or link, description)
EVENTS = (
    ("Neighbours' stories: an evening of the incubator", -30, time(18, 30), 2, "Europe/Kyiv", EventMode.OFFLINE,
     "Community centre on Lypova street, hall 2",
     "Each community tells the story of how it started in five minutes; then tea and questions."),
    ("Motivation to act: an online meet-up", 9, time(19, 0), 2, "Europe/Kyiv", EventMode.ONLINE,
     "https://meet.example.org/motivation-to-act",
     "Communities of the accelerator share what moved them from talk to a first joint project."),
    ("Courtyard picnic of the programme's communities", 24, time(12, 0), 4, "Europe/Warsaw", EventMode.OFFLINE,
     "Riverside park, by the old boathouse",
     "Bring something to share. The communities of every stage meet in person."),
)
REGISTERED = ("sova", "lys")
DONE_FOLLOW_UPS = ("materials_sent", "thanks_said", "feedback_collected")


def _moment(days: int, at: time, zone: str) -> datetime:
    return datetime.combine(today() + timedelta(days=days), at, ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def add_demo_events(communities: dict, people: dict) -> None:
    riverside = communities.get("Riverside Yard Circle")
    enrolment = riverside and db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == riverside.id))
    operator = people.get("olena-operator")
    if enrolment is None or operator is None:
        return
    for title, days, at, hours, zone, mode, where, description in EVENTS:
        if db.session.scalar(select(NetworkingEvent.id).where(NetworkingEvent.programme_id == enrolment.programme_id,
                                                              NetworkingEvent.title == title)):
            continue
        starts = _moment(days, at, zone)
        held = starts < now()
        event = NetworkingEvent(
            organisation_id=enrolment.organisation_id, programme_id=enrolment.programme_id, title=title,
            description=description, mode=mode, place=where if mode is EventMode.OFFLINE else "",
            link=where if mode is EventMode.ONLINE else None, timezone=zone, starts_at=starts,
            ends_at=starts + timedelta(hours=hours), capacity=40 if mode is EventMode.OFFLINE else None,
        )
        event.follow_up = [
            FollowUpItem(kind=kind, owner_id=operator.id,
                         done_at=starts + timedelta(days=2) if held and kind in DONE_FOLLOW_UPS else None,
                         done_by_id=operator.id if held and kind in DONE_FOLLOW_UPS else None)
            for kind in FOLLOW_UP_KINDS
        ]
        db.session.add(event)
        db.session.flush()
        for handle in REGISTERED:
            db.session.add(EventRegistration(
                tenant_id=riverside.id, organisation_id=enrolment.organisation_id, event_id=event.id,
                user_id=people[handle].id, attended=held, attended_marked_by_id=operator.id if held else None,
                attended_marked_at=starts + timedelta(hours=hours) if held else None,
            ))
        db.session.flush()
        if not held and days < 14:
            # What the reminder job sends the registered people the day before.
            notify([people[handle].id for handle in REGISTERED], key=f"event:{event.id}", message=REMINDER,
                   params={"title": event.title, "when": moment_param(event.starts_at, event.timezone)})
