"""The demo's consultations: requested by the communities, scheduled by the mentor and the expert, held
(logged with a duration, a summary and follow-ups, some done and some overdue, and rated by the
community), one with confidential notes sealed under the community's key, one cancelled, and some
still to come. Spread over the last weeks and the next ones; times on Kyiv's clock, stored as UTC.

Each one carries a fixed `idempotency_key`, so running the demo again finds it and adds nothing.
A consultation whose topic no installed plugin offers, or whose community is not in that topic's
stage, is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from hromada.clock import as_utc, now, today
from hromada.extensions import db
from hromada.modules.communities.activity import record_activity
from hromada.modules.communities.models import Enrolment
from hromada.modules.communities.staff import enrolment_staff
from hromada.modules.consultations.access import LEADS
from hromada.modules.consultations.models import Consultation, ConsultationStatus, FollowUp
from hromada.modules.consultations.notes import seal_notes
from hromada.modules.consultations.operations import NEW_REQUEST, SCHEDULED
from hromada.modules.consultations.topics import plugin_topics
from hromada.modules.consultations.util import coordinators, operators
from hromada.modules.notifications.service import notify
from hromada.times import moment_param

ZONE = "Europe/Kyiv"
MENTOR, EXPERT = "mykola-mentor", "iryna-expert"


@dataclass(frozen=True)
class DemoFollowUp:
    task: str
    owner: str  # a handle
    due: int  # days after the consultation
    done: int | None = None  # days after the consultation it was done; None: still open


@dataclass(frozen=True)
class DemoConsultation:
    key: str  # its idempotency key (at most 36 characters)
    community: str
    topic: str
    staff: str | None  # who leads it (None: nobody has taken the request yet)
    days: int  # from today to its start (or, for a request not yet scheduled, to the request)
    at: time = time(18, 0)  # on Kyiv's clock
    status: ConsultationStatus = ConsultationStatus.RATED
    requested_by: str | None = None  # None: the mentor or the expert logged it directly
    requested_days_before: int = 7
    needs: str = ""
    preferred_times: str = ""
    online_link: str | None = None
    place: str | None = None
    minutes: int | None = None
    summary: str = ""
    notes: str = ""  # confidential: sealed under the community's key, readable by the author
    rating: int | None = None
    rating_comment: str = ""
    rated_by: str | None = None  # the coordinator who rated it, when someone else asked for it
    follow_ups: tuple[DemoFollowUp, ...] = field(default_factory=tuple)


RATED, LOGGED = ConsultationStatus.RATED, ConsultationStatus.LOGGED

CONSULTATIONS = (
    # --- Riverside Yard Circle, in the incubator: the expert's security consultation (its audit follows) ...
    DemoConsultation(
        key="demo-riverside-security-1", community="Riverside Yard Circle", topic="incubator.security",
        staff=EXPERT, days=-28, at=time(17, 0), status=RATED, requested_by="sova", requested_days_before=6,
        needs="Our chat has grown to forty people and we no longer know who reads it.",
        preferred_times="Weekday evenings after five", online_link="https://meet.example.org/riverside-security",
        minutes=90,
        summary=("We went through the accounts the circle relies on and the group chat. The shared mailbox has no "
                 "second factor yet; the big chat mixes neighbours the circle has never met with the core group. "
                 "Agreed: a small closed chat for organising, the big one for announcements only, and a security "
                 "audit of the circle over the next weeks."),
        notes=("Two members worry that a relative working for the district administration reads the big chat. "
               "Not to be raised in the group: talk to the coordinator alone first."),
        rating=5, rating_comment="Calm and practical; we changed the chat settings that same evening.",
        follow_ups=(
            DemoFollowUp("Turn on two-factor sign-in for the circle's shared mailbox", "sova", due=7, done=5),
            DemoFollowUp("Send the circle a one-page guide to the messenger's privacy settings", EXPERT,
                         due=3, done=2),
            DemoFollowUp("Draft who erases what if a phone is taken, for the audit", "lys", due=21),
        ),
    ),
    # ... the mentor's talk on the circle's tensions (psychological support: its notes stay with their author) ...
    DemoConsultation(
        key="demo-riverside-support-1", community="Riverside Yard Circle", topic="incubator.psychological_support",
        staff=MENTOR, days=-14, at=time(19, 0), status=RATED, requested_by="sova", requested_days_before=5,
        needs="After the courtyard clean-up two members stopped talking to each other.",
        preferred_times="Sunday afternoon or any evening", place="Community centre on Lypova street, room 4",
        minutes=60,
        summary=("A conversation about the quarrel after the clean-up and about how the circle decides who does "
                 "what. Agreed to open each meeting with a short round in which everyone says how they are."),
        rating=4, rating_comment="It helped to say things aloud. We would like a second session.",
        follow_ups=(
            DemoFollowUp("Open the next two meetings with a round of how everyone is", "sova", due=17),
        ),
    ),
    # ... a request the coordinator withdrew, a security follow-up coming, and a new request waiting.
    DemoConsultation(
        key="demo-riverside-security-0", community="Riverside Yard Circle", topic="incubator.security",
        staff=EXPERT, days=-35, at=time(18, 30), status=ConsultationStatus.CANCELLED, requested_by="sova",
        requested_days_before=4, needs="Advice before our first open meeting in the yard.",
        preferred_times="Before the weekend", online_link="https://meet.example.org/riverside-open-meeting",
    ),
    DemoConsultation(
        key="demo-riverside-security-2", community="Riverside Yard Circle", topic="incubator.security",
        staff=EXPERT, days=4, at=time(18, 0), status=ConsultationStatus.SCHEDULED, requested_by="sova",
        requested_days_before=7, needs="We want to go through the audit's first findings together.",
        preferred_times="Thursday or Friday evening", online_link="https://meet.example.org/riverside-audit",
    ),
    DemoConsultation(
        key="demo-riverside-support-2", community="Riverside Yard Circle", topic="incubator.psychological_support",
        staff=None, days=-2, status=ConsultationStatus.REQUESTED, requested_by="sova",
        needs="A second session, as agreed: the round at meetings works, but one member still keeps away.",
        preferred_times="Any evening next week",
    ),
    # --- Green Quarter Initiative, in the accelerator: strategy with the mentor, the organisation with the expert.
    DemoConsultation(
        key="demo-green-strategy-0", community="Green Quarter Initiative", topic="accelerator.strategy",
        staff=MENTOR, days=-42, at=time(16, 0), status=RATED, minutes=45,
        summary=("A first talk after the stage began, logged afterwards: what the initiative has done in its first "
                 "year and what it wants the quarter to look like in three years."),
        rating=5, rated_by="zhuravel",
    ),
    DemoConsultation(
        key="demo-green-strategy-1", community="Green Quarter Initiative", topic="accelerator.strategy",
        staff=MENTOR, days=-21, at=time(18, 0), status=RATED, requested_by="zhuravel", requested_days_before=8,
        needs="Help to turn our list of wishes into a vision and a few goals.",
        preferred_times="Tuesday or Wednesday evening", place="Green Quarter library, reading room",
        minutes=120,
        summary=("Values, vision and mission in one long evening: the initiative agreed on three values and a "
                 "first wording of its vision. The goals wait until every member has voted on the values."),
        rating=4, rating_comment="Long but worth it. Next time a break halfway, please.",
        follow_ups=(
            DemoFollowUp("Write a first draft of the mission in two sentences", "zhuravel", due=10, done=11),
            DemoFollowUp("Collect every member's vote on the three values", "chapla", due=14),
            DemoFollowUp("Send examples of operational plans from other communities", MENTOR, due=7, done=3),
        ),
    ),
    DemoConsultation(
        key="demo-green-institutional-1", community="Green Quarter Initiative",
        topic="accelerator.institutional_development", staff=EXPERT, days=-7, at=time(17, 30), status=LOGGED,
        requested_by="zhuravel", requested_days_before=9,
        needs="Should we register as an association, and who would keep the accounts?",
        preferred_times="Late afternoon", online_link="https://meet.example.org/green-quarter-structure",
        minutes=75,
        summary=("What registering would change for the initiative, which roles it needs first (a treasurer and a "
                 "secretary), and how to share the work so that it does not rest on the coordinator alone."),
        follow_ups=(
            DemoFollowUp("Send a sample of an association's statutes with comments", EXPERT, due=12),
            DemoFollowUp("Ask at the next meeting who would keep the accounts", "kalyna", due=10),
        ),
    ),
    DemoConsultation(
        key="demo-green-strategy-2", community="Green Quarter Initiative", topic="accelerator.strategy",
        staff=MENTOR, days=10, at=time(18, 30), status=ConsultationStatus.SCHEDULED, requested_by="zhuravel",
        requested_days_before=8, needs="From the voted values to three strategic goals and a first plan.",
        preferred_times="Evenings, not Fridays", place="Green Quarter library, reading room",
    ),
    # --- Night Bakers Collective, in the civic course: a request the operators see waiting.
    DemoConsultation(
        key="demo-bakers-abroad-1", community="Night Bakers Collective", topic="civic_course.registration_abroad",
        staff=None, days=-1, status=ConsultationStatus.REQUESTED, requested_by="khlibna",
        needs="Half of us have moved to Vilnius; can we register the collective there and keep working at home?",
        preferred_times="Weekends",
    ),
)


def _moment(days: int, at: time) -> datetime:
    return datetime.combine(today() + timedelta(days=days), at, ZoneInfo(ZONE)).astimezone(ZoneInfo("UTC"))


def _values(item: DemoConsultation, people: dict) -> dict:
    """The columns of one demo consultation, with the moments each step happened."""
    person = lambda handle: people[handle].id if handle else None  # noqa: E731
    scheduled = item.status is not ConsultationStatus.REQUESTED
    starts = _moment(item.days, item.at)
    requested_at = (starts - timedelta(days=item.requested_days_before, hours=3) if scheduled
                    else _moment(item.days, time(9, 40)))
    values = dict(
        status=item.status, needs=item.needs, preferred_times=item.preferred_times,
        requested_by_id=person(item.requested_by), requested_at=requested_at if item.requested_by else None,
        created_at=requested_at if item.requested_by else starts + timedelta(days=1),
    )
    if scheduled:
        staff_id = person(item.staff)
        values.update(starts_at=starts, staff_id=staff_id, online_link=item.online_link, place=item.place,
                      scheduled_by_id=staff_id, revision=2)
        if item.requested_by:
            values["accepted_at"] = requested_at + timedelta(hours=20)
    if item.status is ConsultationStatus.CANCELLED:
        values.update(cancelled_at=starts - timedelta(days=2), cancelled_by_id=person(item.requested_by), revision=3)
    if item.status in (ConsultationStatus.LOGGED, ConsultationStatus.RATED):
        values.update(logged_at=starts + timedelta(minutes=item.minutes, hours=2), duration_minutes=item.minutes,
                      summary=item.summary, revision=3)
    if item.status is ConsultationStatus.RATED:
        values.update(rating=item.rating, rating_comment=item.rating_comment,
                      rated_by_id=person(item.rated_by or item.requested_by), rated_at=starts + timedelta(days=2))
    return values


def add_demo_consultations(communities: dict, people: dict) -> None:
    topics = plugin_topics()
    for item in CONSULTATIONS:
        community = communities.get(item.community)
        topic = topics.get(item.topic)
        if community is None or topic is None:
            continue
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.tenant_id == community.id))
        stage = enrolment.current_stage if enrolment else None
        if stage is None or stage.stage_type != topic.stage_type:
            continue
        if db.session.scalar(select(Consultation.id).where(Consultation.tenant_id == community.id,
                                                            Consultation.idempotency_key == item.key)):
            continue
        values = _values(item, people)
        if item.notes:
            # Confidential: sealed under the community's data key, like the log form's notes, never plain text.
            values.update(private_notes=seal_notes(community.id, item.notes), notes_author_id=values["staff_id"])
        consultation = Consultation(
            tenant_id=community.id, organisation_id=enrolment.organisation_id, enrolment_id=enrolment.id,
            stage_id=stage.id, stage_type=stage.stage_type, topic_key=topic.key,
            notes_author_only=topic.notes_author_only, idempotency_key=item.key, **values,
        )
        db.session.add(consultation)
        db.session.flush()
        _notify(consultation, enrolment)
        _record_activity(enrolment, values)
        starts = values.get("starts_at")
        for follow_up in item.follow_ups:
            db.session.add(FollowUp(
                tenant_id=community.id, organisation_id=enrolment.organisation_id, consultation_id=consultation.id,
                task=follow_up.task, owner_id=people[follow_up.owner].id,
                due_on=starts.date() + timedelta(days=follow_up.due),
                done_at=starts + timedelta(days=follow_up.done) if follow_up.done is not None else None,
                done_by_id=people[follow_up.owner].id if follow_up.done is not None else None,
                created_at=values["logged_at"],
            ))
        db.session.flush()


def _link(consultation: Consultation) -> str:
    # The demo runs from the command line, outside any request: the path is built from the URL map.
    return current_app.url_map.bind("localhost").build(
        "consultations.detail", {"community_id": consultation.tenant_id, "consultation_id": consultation.id})


def _notify(consultation: Consultation, enrolment: Enrolment) -> None:
    """What the request and schedule operations tell people, with the same keys (so sent once)."""
    if consultation.status is ConsultationStatus.REQUESTED:
        staff = {user.id for user in enrolment_staff(enrolment.id, LEADS)} | set(operators(enrolment.organisation_id))
        notify(staff, key=f"consultations.request:{consultation.id}", message=NEW_REQUEST, link=_link(consultation))
    elif consultation.status is ConsultationStatus.SCHEDULED:
        notify({*coordinators(consultation.tenant_id), consultation.staff_id},
               key=f"consultations.scheduled:{consultation.id}:{consultation.revision}", message=SCHEDULED,
               params={"when": moment_param(consultation.starts_at)}, link=_link(consultation))


def _record_activity(enrolment: Enrolment, values: dict) -> None:
    """The community's last activity: its latest request or rating here, unless something later is known."""
    moments = [values.get(name) for name in ("requested_at", "rated_at")]
    latest = max((moment for moment in moments if moment is not None and moment <= now()), default=None)
    if latest is not None and (enrolment.last_activity_at is None or as_utc(enrolment.last_activity_at) < latest):
        record_activity(enrolment.tenant_id, when=latest)
        db.session.refresh(enrolment)
