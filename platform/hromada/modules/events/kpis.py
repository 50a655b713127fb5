"""The numbers that attendance gives: events attended, new versus returning people, active members.

Every function answers for many events or communities with one grouped query
(or a fixed few), never one query per row: the cohort overview and the KPI page
call them for a whole programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import and_, case, distinct, func, or_, select, union

from hromada.clock import now
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership
from hromada.modules.events.models import EventRegistration, NetworkingEvent

ACTIVE_WINDOW = timedelta(days=90)


def attended_event_counts(programme_id: int, community_ids, stage=None) -> dict[int, int]:
    """community id -> how many events of the programme its members attended (during `stage`, if given).

    An event counts for a stage when it is tied to that stage, or tied to no stage
    and held within the stage's dates (any time, when the stage has none).
    """
    community_ids = list(community_ids)
    if not community_ids:
        return {}
    query = (
        select(EventRegistration.tenant_id, func.count(distinct(EventRegistration.event_id)))
        .join(NetworkingEvent, NetworkingEvent.id == EventRegistration.event_id)
        .where(
            NetworkingEvent.programme_id == programme_id,
            EventRegistration.attended.is_(True),
            EventRegistration.tenant_id.in_(community_ids),
        )
        .group_by(EventRegistration.tenant_id)
    )
    if stage is not None:
        query = query.where(_held_during(stage))
    return dict(db.session.execute(query).all())


def _held_during(stage):
    untied = [NetworkingEvent.stage_id.is_(None)]
    if stage.starts_on is not None:
        untied.append(NetworkingEvent.starts_at >= datetime.combine(stage.starts_on, time.min, timezone.utc))
    if stage.ends_on is not None:
        untied.append(
            NetworkingEvent.starts_at < datetime.combine(stage.ends_on + timedelta(days=1), time.min, timezone.utc)
        )
    return or_(NetworkingEvent.stage_id == stage.id, and_(*untied))


@dataclass(frozen=True)
class EventParticipation:
    participants: int = 0
    returning: int = 0

    @property
    def new(self) -> int:
        return self.participants - self.returning


def new_and_returning(programme_id: int, event_ids=None) -> dict[int, EventParticipation]:
    """event id -> people who attended it, and how many of them attended an earlier event of the programme.

    A person who came from two communities counts once. Events that nobody attended are absent. With
    `event_ids`, only those events are counted, and only their people's first events looked up (not every
    attendance of the programme's thousands of events).
    """
    attended = (select(EventRegistration.user_id, NetworkingEvent.id.label("event_id"), NetworkingEvent.starts_at)
                .join(NetworkingEvent, NetworkingEvent.id == EventRegistration.event_id)
                .where(NetworkingEvent.programme_id == programme_id, EventRegistration.attended.is_(True)))
    counted = attended
    firsts = attended
    if event_ids is not None:
        event_ids = sorted(set(event_ids))
        if not event_ids:
            return {}
        counted = attended.where(NetworkingEvent.id.in_(event_ids))
        people = (select(EventRegistration.user_id)
                  .where(EventRegistration.event_id.in_(event_ids), EventRegistration.attended.is_(True)))
        firsts = attended.where(EventRegistration.user_id.in_(people))
    attendance = counted.distinct().subquery()
    earliest = firsts.subquery()
    first = (
        select(earliest.c.user_id, func.min(earliest.c.starts_at).label("first_at"))
        .group_by(earliest.c.user_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            attendance.c.event_id,
            func.count(),
            func.sum(case((attendance.c.starts_at > first.c.first_at, 1), else_=0)),
        )
        .join(first, first.c.user_id == attendance.c.user_id)
        .group_by(attendance.c.event_id)
    ).all()
    return {event_id: EventParticipation(participants, int(returning or 0)) for event_id, participants, returning in rows}


@dataclass(frozen=True)
class CommunityActivity:
    members: int = 0
    active: int = 0

    @property
    def share(self) -> float | None:
        return None if not self.members else self.active / self.members


def community_activity(organisation_id: int, community_ids, moment: datetime | None = None) -> dict[int, CommunityActivity]:
    """community id -> its members, and how many of them attended something of the organisation in 90 days.

    Attendance is at the organisation's networking events and, when the courses
    module is installed, at its course sessions. Other organisations' events are
    never counted: what a community does elsewhere is not this organisation's to know.
    The caller has made these communities readable (their memberships).
    """
    community_ids = list(community_ids)
    if not community_ids:
        return {}
    moment = moment or now()
    since = moment - ACTIVE_WINDOW
    members = dict(
        db.session.execute(
            select(CommunityMembership.tenant_id, func.count())
            .where(CommunityMembership.tenant_id.in_(community_ids))
            .group_by(CommunityMembership.tenant_id)
        ).all()
    )
    sources = [
        select(EventRegistration.tenant_id.label("tenant_id"), EventRegistration.user_id.label("user_id"))
        .join(NetworkingEvent, NetworkingEvent.id == EventRegistration.event_id)
        .where(
            NetworkingEvent.organisation_id == organisation_id,
            EventRegistration.organisation_id == organisation_id,
            EventRegistration.attended.is_(True),
            EventRegistration.tenant_id.in_(community_ids),
            NetworkingEvent.starts_at >= since,
            NetworkingEvent.starts_at <= moment,
        )
    ]
    course_attendance = _course_session_attendance(organisation_id, community_ids, since, moment)
    if course_attendance is not None:
        sources.append(course_attendance)
    attendees = union(*sources).subquery() if len(sources) > 1 else sources[0].subquery()
    active = dict(
        db.session.execute(
            select(attendees.c.tenant_id, func.count(distinct(attendees.c.user_id)))
            .join(
                CommunityMembership,
                and_(
                    CommunityMembership.tenant_id == attendees.c.tenant_id,
                    CommunityMembership.user_id == attendees.c.user_id,
                ),
            )
            .group_by(attendees.c.tenant_id)
        ).all()
    )
    return {
        community_id: CommunityActivity(members.get(community_id, 0), active.get(community_id, 0))
        for community_id in community_ids
    }


def _course_session_attendance(organisation_id, community_ids, since, moment):
    """Attendance at the organisation's course sessions, if the courses module is there (else None)."""
    try:
        from hromada.modules.courses.models import CourseSession, SessionAttendance
    except ImportError:
        return None
    return (
        select(SessionAttendance.tenant_id.label("tenant_id"), SessionAttendance.user_id.label("user_id"))
        .join(CourseSession, CourseSession.id == SessionAttendance.session_id)
        .where(
            SessionAttendance.organisation_id == organisation_id,
            SessionAttendance.attended.is_(True),
            SessionAttendance.tenant_id.in_(community_ids),
            CourseSession.starts_at >= since,
            CourseSession.starts_at <= moment,
        )
    )


# --- The chart of new and returning participants --------------------------------


@dataclass(frozen=True)
class Bar:
    event: NetworkingEvent
    participation: EventParticipation
    y: float
    new_width: float
    returning_width: float


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int
    plot_width: int
    scale_max: int


def participation_chart(events, participation: dict[int, EventParticipation], *, width: int = 640,
                        label_width: int = 220, bar_height: int = 22, gap: int = 10) -> Chart:
    """Geometry of a horizontal stacked bar per event (new, then returning); drawn by the template as SVG."""
    plot_width = width - label_width - 60
    scale_max = max((participation.get(e.id, EventParticipation()).participants for e in events), default=0) or 1
    bars = []
    for index, event in enumerate(events):
        counts = participation.get(event.id, EventParticipation())
        y = gap + index * (bar_height + gap)
        bars.append(Bar(event, counts, y, plot_width * counts.new / scale_max, plot_width * counts.returning / scale_max))
    height = gap + len(bars) * (bar_height + gap) + 24
    return Chart(bars, width, height, label_width, bar_height, plot_width, scale_max)
