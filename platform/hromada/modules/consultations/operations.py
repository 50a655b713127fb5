"""Every change to a consultation, its follow-ups, its notes' shares and a programme's topics.

Plain functions of the objects and the person acting (`actor`), callable without a
request: the pages check the forms and permissions, then call one of these. Each one
saves its work (commits), or raises `Unchanged` having saved nothing.

Every change is a conditional update (or an insert guarded by a unique key), so a
form sent twice, or a form that went stale while someone else acted, changes
nothing the second time. Staff write as their organisation
(`tenancy.set_organisation`), the community's people as the community.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from hromada import tenancy
from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import User
from hromada.modules.audit.log import record
from hromada.modules.communities.activity import record_activity
from hromada.modules.communities.staff import enrolment_staff
from hromada.modules.consultations.access import LEADS, Viewer
from hromada.modules.consultations.models import (
    OPEN,
    Consultation,
    ConsultationStatus,
    FollowUp,
    NoteShare,
    ProgrammeTopic,
)
from hromada.modules.consultations.notes import seal_notes
from hromada.modules.consultations.topics import TopicChoice
from hromada.modules.consultations.util import (
    audit,
    by_form_key,
    consultation_link,
    coordinators,
    operators,
    write_as_staff,
)
from hromada.modules.notifications.service import notify
from hromada.modules.programmes.models import Programme
from hromada.times import from_local_input, moment_param

ALREADY_SAVED = _l("This form was sent already; what it said was saved once.")
CHANGED_MEANWHILE = _l("Someone changed this consultation in the meantime; nothing was changed. Please check it now.")
NOT_YET_HELD = _l("This consultation has not taken place yet; it can be logged once its time has come.")
NOT_RATEABLE = _l("This consultation was rated already, or has not taken place yet; nothing was changed.")
TOPIC_TAKEN = _l("This programme has a topic with this title already.")
NEW_REQUEST = _l("A community asked for a consultation.")
SCHEDULED = _l("A consultation was scheduled for %(when)s.")


class Unchanged(Exception):
    """Nothing was changed or saved; `message` tells the person why.

    `consultation`: the one that stands instead, when a form sent twice finds what its first sending saved.
    """

    def __init__(self, message, consultation: Consultation | None = None):
        super().__init__(str(message))
        self.message = message
        self.consultation = consultation


@dataclass(frozen=True)
class FollowUpDraft:
    """A follow-up agreed in a consultation, as the log form gives it."""

    task: str
    owner_id: int
    due_on: date


def stored(moment: datetime) -> datetime:
    """A time entered in a form, read in the zone the form names (the viewer's), as UTC."""
    return from_local_input(moment)


def _new_consultation(community_id: int, choice: TopicChoice, form_key: str, **values) -> Consultation:
    """A consultation saved once per form: a form sent twice at once finds what the other sending saved."""
    enrolment = choice.enrolment
    consultation = Consultation(
        tenant_id=community_id,
        organisation_id=enrolment.organisation_id,
        enrolment_id=enrolment.id,
        stage_id=enrolment.current_stage_id,
        stage_type=enrolment.current_stage.stage_type if enrolment.current_stage else "",
        topic_key=choice.topic_key,
        programme_topic_id=choice.programme_topic_id,
        notes_author_only=choice.notes_author_only,
        idempotency_key=form_key,
        **values,
    )
    db.session.add(consultation)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Unchanged(ALREADY_SAVED, by_form_key(community_id, form_key)) from None
    return consultation


def request_consultation(community_id: int, choice: TopicChoice, actor: User, *, form_key: str, needs: str,
                         preferred_times: str, details: str) -> Consultation:
    """A community asks for a consultation; the enrolment's leads and the operators are told."""
    existing = by_form_key(community_id, form_key)
    if existing is not None:
        raise Unchanged(ALREADY_SAVED, existing)
    consultation = _new_consultation(
        community_id, choice, form_key, status=ConsultationStatus.REQUESTED, requested_by_id=actor.id,
        requested_at=now(), needs=needs, preferred_times=preferred_times, details=details,
    )
    enrolment = choice.enrolment
    staff = {user.id for user in enrolment_staff(enrolment.id, LEADS)} | set(operators(enrolment.organisation_id))
    # The notification names no community and no topic: it is a platform row, not the community's.
    notify(staff, key=f"consultations.request:{consultation.id}", message=NEW_REQUEST,
           link=consultation_link(community_id, consultation.id))
    record_activity()
    db.session.commit()
    return consultation


def schedule(consultation: Consultation, viewer: Viewer, actor: User, *, revision: int, starts_at: datetime,
             online_link: str | None, place: str | None, staff_id: int) -> None:
    """Schedule (or reschedule) an open consultation, if nobody changed it since `revision`."""
    community_id = consultation.tenant_id
    values = dict(starts_at=starts_at, online_link=online_link, place=place, staff_id=staff_id)
    write_as_staff(viewer, consultation.organisation_id)
    changed = db.session.execute(
        update(Consultation)
        .where(
            Consultation.id == consultation.id,
            Consultation.tenant_id == community_id,
            Consultation.revision == revision,
            Consultation.status.in_(OPEN),
        )
        .values(
            status=ConsultationStatus.SCHEDULED,
            scheduled_by_id=actor.id,
            accepted_at=db.func.coalesce(Consultation.accepted_at, now()),
            revision=Consultation.revision + 1,
            **values,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.rollback()
        db.session.refresh(consultation)
        same = consultation.status == ConsultationStatus.SCHEDULED and all(
            (as_utc(getattr(consultation, name)) if name == "starts_at" else getattr(consultation, name)) == value
            for name, value in values.items()
        )
        raise Unchanged(ALREADY_SAVED if same else CHANGED_MEANWHILE)
    audit("consultations.scheduled", consultation, actor=actor, staff_id=staff_id)
    notify(
        {*coordinators(community_id), staff_id},
        key=f"consultations.scheduled:{consultation.id}:{consultation.revision + 1}",
        message=SCHEDULED, params={"when": moment_param(starts_at)},
        link=consultation_link(community_id, consultation.id),
    )
    db.session.commit()


def cancel(consultation: Consultation, viewer: Viewer, actor: User) -> bool:
    """Cancel an open consultation; False: it was no longer open (nothing changed)."""
    write_as_staff(viewer, consultation.organisation_id)
    changed = db.session.execute(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.tenant_id == consultation.tenant_id,
               Consultation.status.in_(OPEN))
        .values(status=ConsultationStatus.CANCELLED, cancelled_at=now(), cancelled_by_id=actor.id,
                revision=Consultation.revision + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.rollback()
        return False
    audit("consultations.cancelled", consultation, actor=actor)
    db.session.commit()
    return True


def _add_follow_ups(consultation: Consultation, drafts: list[FollowUpDraft]) -> list[FollowUp]:
    follow_ups = [
        FollowUp(tenant_id=consultation.tenant_id, organisation_id=consultation.organisation_id,
                 consultation_id=consultation.id, task=draft.task, owner_id=draft.owner_id, due_on=draft.due_on)
        for draft in drafts
    ]
    db.session.add_all(follow_ups)
    db.session.flush()
    return follow_ups


def _logged(consultation: Consultation, actor: User, drafts: list[FollowUpDraft]) -> None:
    follow_ups = _add_follow_ups(consultation, drafts)
    with tenancy.scope(tenant_id=consultation.tenant_id):
        record_activity()
    audit("consultations.logged", consultation, actor=actor, duration_minutes=consultation.duration_minutes,
          follow_ups=len(follow_ups), has_notes=consultation.has_notes)
    # Nothing is enqueued here: `consultations send-reminders` (cron) reminds the owners shortly
    # before the due date, so logging does not depend on Redis at all.
    db.session.commit()


def _sealed(community_id: int, notes: str) -> bytes | None:
    """The private notes, sealed under the community's key (`ConfidentialError` if that cannot be done)."""
    return seal_notes(community_id, notes) if notes else None


def log(consultation: Consultation, viewer: Viewer, actor: User, *, duration_minutes: int, summary: str,
        notes: str, follow_ups: list[FollowUpDraft]) -> None:
    """The staff member who held a scheduled consultation logs it, with its follow-ups and private notes.

    Raises `ConfidentialError` (nothing saved) when the notes cannot be sealed.
    """
    sealed = _sealed(consultation.tenant_id, notes)
    write_as_staff(viewer, consultation.organisation_id)
    changed = db.session.execute(
        update(Consultation)
        .where(
            Consultation.id == consultation.id,
            Consultation.tenant_id == consultation.tenant_id,
            Consultation.status == ConsultationStatus.SCHEDULED,
            Consultation.staff_id == actor.id,
            Consultation.starts_at <= now(),
        )
        .values(
            status=ConsultationStatus.LOGGED,
            logged_at=now(),
            duration_minutes=duration_minutes,
            summary=summary,
            private_notes=sealed,
            notes_author_id=actor.id if sealed is not None else None,
            revision=Consultation.revision + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        # The first of two submissions logged it (nothing more is stored), or it was moved to a later time.
        db.session.rollback()
        db.session.refresh(consultation)
        raise Unchanged(NOT_YET_HELD if consultation.status == ConsultationStatus.SCHEDULED else ALREADY_SAVED)
    db.session.refresh(consultation)
    _logged(consultation, actor, follow_ups)


def log_directly(community_id: int, choice: TopicChoice, viewer: Viewer, actor: User, *, form_key: str,
                 held_at: datetime, duration_minutes: int, summary: str, notes: str,
                 follow_ups: list[FollowUpDraft]) -> Consultation:
    """A mentor or expert logs a consultation that was never requested through the platform.

    Raises `ConfidentialError` (nothing saved) when the notes cannot be sealed.
    """
    existing = by_form_key(community_id, form_key)
    if existing is not None:
        raise Unchanged(ALREADY_SAVED, existing)
    sealed = _sealed(community_id, notes)
    write_as_staff(viewer, choice.enrolment.organisation_id)
    consultation = _new_consultation(
        community_id, choice, form_key, status=ConsultationStatus.LOGGED, starts_at=held_at, staff_id=actor.id,
        logged_at=now(), duration_minutes=duration_minutes, summary=summary, private_notes=sealed,
        notes_author_id=actor.id if sealed is not None else None,
    )
    _logged(consultation, actor, follow_ups)
    return consultation


def rate(consultation: Consultation, actor: User, *, rating: int, comment: str) -> None:
    """A coordinator rates a consultation that took place, once."""
    changed = db.session.execute(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.tenant_id == consultation.tenant_id,
               Consultation.status == ConsultationStatus.LOGGED, Consultation.rating.is_(None))
        .values(status=ConsultationStatus.RATED, rating=rating, rating_comment=comment, rated_by_id=actor.id,
                rated_at=now())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.rollback()
        raise Unchanged(NOT_RATEABLE)
    record_activity()
    db.session.commit()


def share_notes(consultation: Consultation, viewer: Viewer, actor: User, user_id: int) -> bool:
    """The notes' author lets a staff member of the enrolment read them; False: shared already."""
    write_as_staff(viewer, consultation.organisation_id)
    db.session.add(NoteShare(tenant_id=consultation.tenant_id, organisation_id=consultation.organisation_id,
                             consultation_id=consultation.id, user_id=user_id, shared_by_id=actor.id))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # shared already: a second click changes nothing
        return False
    audit("consultations.notes_shared", consultation, actor=actor, user_id=user_id)
    db.session.commit()
    return True


def unshare_notes(consultation: Consultation, viewer: Viewer, actor: User, user_id: int) -> bool:
    """Take a share back; False: there was none."""
    write_as_staff(viewer, consultation.organisation_id)
    removed = db.session.execute(
        delete(NoteShare)
        .where(NoteShare.consultation_id == consultation.id, NoteShare.tenant_id == consultation.tenant_id,
               NoteShare.user_id == user_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed:
        audit("consultations.notes_unshared", consultation, actor=actor, user_id=user_id)
    db.session.commit()
    return bool(removed)


def mark_done(follow_up: FollowUp, viewer: Viewer, actor: User) -> bool:
    """Mark a follow-up done; False: someone did already."""
    write_as_staff(viewer, follow_up.organisation_id)
    changed = db.session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up.id, FollowUp.tenant_id == follow_up.tenant_id, FollowUp.done_at.is_(None))
        .values(done_at=now(), done_by_id=actor.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.rollback()
        return False
    if viewer.is_member:
        record_activity()
    db.session.commit()
    return True


def add_topic(programme: Programme, title: str, actor: User) -> ProgrammeTopic:
    """An operator adds a consultation topic to the programme; titles are unique in it."""
    topic = ProgrammeTopic(programme_id=programme.id, title=title)
    db.session.add(topic)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Unchanged(TOPIC_TAKEN) from None
    record("consultations.topic_added", actor=actor, organisation_id=programme.organisation_id,
           programme_id=programme.id, topic_id=topic.id)
    db.session.commit()
    return topic


def retire_topic(programme: Programme, topic: ProgrammeTopic, actor: User) -> bool:
    """The topic is no longer offered for new consultations; False: it was retired already."""
    changed = db.session.execute(
        update(ProgrammeTopic)
        .where(ProgrammeTopic.id == topic.id, ProgrammeTopic.retired_at.is_(None))
        .values(retired_at=now())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        record("consultations.topic_retired", actor=actor, organisation_id=programme.organisation_id,
               programme_id=programme.id, topic_id=topic.id)
    db.session.commit()
    return bool(changed)
