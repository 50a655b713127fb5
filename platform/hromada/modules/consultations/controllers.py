"""Consultation pages: a community's, a staff member's and an organisation's operators'.

Every state change is a conditional update (or an insert guarded by a unique
key), so a form sent twice, or a form that went stale while someone else acted,
changes nothing the second time. Staff write as their organisation
(`tenancy.set_organisation`), the community's people as the community.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone
from uuid import uuid4

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from hromada import authz, tenancy
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import CommunityMembership, CommunityRole, StaffMembership, StaffRole, User
from hromada.modules.audit.log import record
from hromada.modules.communities.activity import record_activity
from hromada.modules.communities.models import Community, Enrolment, StaffAssignment
from hromada.modules.consultations import kpis
from hromada.modules.consultations.access import LEADS, Viewer, enrolment_staff
from hromada.modules.consultations.forms import (
    ONLINE,
    OFFLINE,
    ConfirmForm,
    DirectLogForm,
    LogForm,
    ProgrammeTopicForm,
    RateForm,
    RequestForm,
    ScheduleForm,
    ShareNotesForm,
    UnshareNotesForm,
    options,
)
from hromada.modules.consultations.labels import as_utc
from hromada.modules.consultations.models import (
    OPEN,
    Consultation,
    ConsultationStatus,
    FollowUp,
    NoteShare,
    ProgrammeTopic,
)
from hromada.modules.consultations.notes import seal_notes, unseal_notes
from hromada.modules.consultations.topics import TopicChoice, choices_for, plugin_topics
from hromada.modules.notifications.service import notify
from hromada.modules.programmes.models import Programme
from hromada.navigation import safe_next

ALREADY_SAVED = _l("This form was sent already; what it said was saved once.")
CHANGED_MEANWHILE = _l("Someone changed this consultation in the meantime; nothing was changed. Please check it now.")
NEW_REQUEST = _l("A community asked for a consultation.")
SCHEDULED = _l("A consultation was scheduled for %(when)s.")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _today() -> date:
    return _now().date()


def _stored(moment: datetime) -> datetime:
    """A time entered in a form, stored as entered, marked UTC."""
    return moment.replace(tzinfo=timezone.utc)


def _community(community_id: int) -> Community:
    return db.get_or_404(Community, community_id)


def _consultation(community_id: int, consultation_id: int, viewer: Viewer) -> Consultation:
    """The community's consultation, if this person may see it at all; 404 otherwise."""
    consultation = db.session.scalar(
        select(Consultation)
        .options(joinedload(Consultation.programme_topic), joinedload(Consultation.staff),
                 joinedload(Consultation.enrolment).joinedload(Enrolment.programme))
        # The id alone is not enough: staff acting for their organisation read its rows in every community.
        .where(Consultation.id == consultation_id, Consultation.tenant_id == community_id)
    )
    if consultation is None or not viewer.can_see(consultation):
        abort(404)
    return consultation


def _enrolments(community_id: int) -> list[Enrolment]:
    return list(
        db.session.scalars(
            select(Enrolment)
            .options(joinedload(Enrolment.programme), joinedload(Enrolment.current_stage))
            .where(Enrolment.tenant_id == community_id)
            .order_by(Enrolment.id)
        )
    )


def _by_key(community_id: int, key: str) -> Consultation | None:
    return db.session.scalar(
        select(Consultation).where(Consultation.tenant_id == community_id, Consultation.idempotency_key == key)
    )


def _choice_label(choice: TopicChoice, several: bool) -> str:
    return f"{choice.enrolment.programme.title}: {choice.title}" if several else str(choice.title)


def _topic_options(choices: list[TopicChoice]):
    several = len({choice.enrolment.id for choice in choices}) > 1
    return options((choice.value, _choice_label(choice, several)) for choice in choices)


def _members(community_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(CommunityMembership, CommunityMembership.user_id == User.id)
            .where(CommunityMembership.tenant_id == community_id)
            .order_by(User.display_name, User.handle)
        )
    )


def _owner_options(community_id: int, lead: User) -> list[tuple[str, str]]:
    """Who can own a follow-up: the community's members and the staff member who led the consultation."""
    options = [(str(user.id), user.name) for user in _members(community_id)]
    options.append((str(lead.id), _("%(name)s (you)", name=lead.name)))
    return options


def _coordinators(community_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(CommunityMembership.user_id).where(
                CommunityMembership.tenant_id == community_id, CommunityMembership.role == CommunityRole.COORDINATOR
            )
        )
    )


def _operators(organisation_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(StaffMembership.user_id).where(
                StaffMembership.organisation_id == organisation_id, StaffMembership.role == StaffRole.OPERATOR
            )
        )
    )


def _link(community_id: int, consultation_id: int) -> str:
    return url_for("consultations.detail", community_id=community_id, consultation_id=consultation_id)


def _audit(action: str, consultation: Consultation, **details) -> None:
    # Ids and numbers only: never a summary, a note, a task or a place.
    record(action, organisation_id=consultation.organisation_id, community_id=consultation.tenant_id,
           consultation_id=consultation.id, **details)


def _write_as_staff(viewer: Viewer, organisation_id: int) -> None:
    """Staff write the community's consultation rows as the organisation running its programme."""
    if not viewer.is_member:
        tenancy.set_organisation(organisation_id)


# --- A community's consultations ------------------------------------------------


def hub():
    """Where each person finds the consultation pages that concern them."""
    p = authz.principal()
    communities = []
    if p.memberships:
        with tenancy.scope(reader_tenants=frozenset(p.memberships)):
            communities = list(
                db.session.scalars(select(Community).where(Community.id.in_(p.memberships)).order_by(Community.name))
            )
    operated = [org for org, roles in p.staff.items() if StaffRole.OPERATOR in roles]
    programmes = []
    if operated:
        programmes = list(
            db.session.scalars(
                select(Programme).where(Programme.organisation_id.in_(operated)).order_by(Programme.title)
            )
        )
    return render_template(
        "consultations/hub.html", communities=communities, memberships=p.memberships,
        is_staff=bool(p.staff), programmes=programmes, coordinator=CommunityRole.COORDINATOR,
    )


def index(community_id: int):
    community = _community(community_id)
    viewer = Viewer.load(community_id)
    consultations = [
        consultation
        for consultation in db.session.scalars(
            select(Consultation)
            .options(joinedload(Consultation.programme_topic), joinedload(Consultation.staff))
            .where(Consultation.tenant_id == community_id)
            .order_by(Consultation.id.desc())
        )
        if viewer.can_see(consultation)
    ]
    enrolments = _enrolments(community_id)
    return render_template(
        "consultations/index.html",
        community=community,
        viewer=viewer,
        consultations=consultations,
        counts=Counter(consultation.status for consultation in consultations),
        can_request=viewer.is_coordinator and bool(choices_for(enrolments)),
        can_log_directly=any(viewer.mentors_in(enrolment.id) for enrolment in enrolments),
        statuses=list(ConsultationStatus),
    )


def request_consultation(community_id: int):
    community = _community(community_id)
    choices = choices_for(_enrolments(community_id))
    form = RequestForm()
    form.topic.choices = _topic_options(choices)
    if request.method == "GET":
        form.form_key.data = str(uuid4())
        return render_template("consultations/request.html", community=community, form=form, choices=choices)
    valid = form.validate_on_submit()
    valid = form.check_topic({choice.value for choice in choices}) and valid
    if not valid:
        return render_template("consultations/request.html", community=community, form=form, choices=choices), 400
    existing = _by_key(community_id, form.form_key.data)
    if existing is not None:
        flash(ALREADY_SAVED)
        return redirect(_link(community_id, existing.id))
    choice = next(choice for choice in choices if choice.value == form.topic.data)
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
        status=ConsultationStatus.REQUESTED,
        idempotency_key=form.form_key.data,
        requested_by_id=current_user.id,
        requested_at=_now(),
        needs=form.needs.data.strip(),
        preferred_times=form.preferred_times.data.strip(),
        details=(form.details.data or "").strip(),
    )
    db.session.add(consultation)
    try:
        db.session.flush()
    except IntegrityError:
        # The same form, sent twice at once: the other request saved it.
        db.session.rollback()
        existing = _by_key(community_id, form.form_key.data)
        flash(ALREADY_SAVED)
        return redirect(_link(community_id, existing.id) if existing else url_for(".index", community_id=community_id))
    staff = {user.id for user in enrolment_staff(enrolment.id, LEADS)} | set(_operators(enrolment.organisation_id))
    # The notification names no community and no topic: it is a platform row, not the community's.
    notify(staff, key=f"consultations.request:{consultation.id}", message=NEW_REQUEST,
           link=_link(community_id, consultation.id))
    record_activity()
    db.session.commit()
    flash(_("Your request was sent. You will see here when it is scheduled."))
    return redirect(_link(community_id, consultation.id))


def detail(community_id: int, consultation_id: int, rate_form: RateForm | None = None):
    community = _community(community_id)
    viewer = Viewer.load(community_id)
    consultation = _consultation(community_id, consultation_id, viewer)
    shared_with = set(
        db.session.scalars(select(NoteShare.user_id).where(NoteShare.consultation_id == consultation.id,
                                                           NoteShare.tenant_id == community_id))
    )
    follow_ups = []
    if viewer.can_read_summary(consultation):
        follow_ups = list(
            db.session.scalars(
                select(FollowUp).options(joinedload(FollowUp.owner))
                .where(FollowUp.consultation_id == consultation.id, FollowUp.tenant_id == community_id)
                .order_by(FollowUp.due_on, FollowUp.id)
            )
        )
    return render_template(
        "consultations/detail.html",
        community=community,
        consultation=consultation,
        viewer=viewer,
        follow_ups=follow_ups,
        follow_up_count=len(consultation.follow_ups),
        can_read_notes=viewer.can_read_notes(consultation, shared_with),
        rate_form=rate_form or (RateForm(formdata=None) if viewer.can_rate(consultation) else None),
        confirm=ConfirmForm(formdata=None),
        today=_today(),
    ), (400 if rate_form is not None else 200)


def schedule(community_id: int, consultation_id: int):
    community = _community(community_id)
    viewer = Viewer.load(community_id)
    consultation = _consultation(community_id, consultation_id, viewer)
    if not viewer.can_schedule(consultation):
        if not consultation.is_open:
            flash(_("This consultation can no longer be scheduled."))
            return redirect(_link(community_id, consultation.id))
        abort(403)
    leads = enrolment_staff(consultation.enrolment_id, LEADS)
    form = ScheduleForm()
    form.staff_id.choices = options((str(user.id), user.name) for user in leads)

    def page(status=200):
        return render_template("consultations/schedule.html", community=community, consultation=consultation,
                               form=form), status

    if request.method == "GET":
        form.revision.data = str(consultation.revision)
        if consultation.starts_at:
            form.starts_at.data = as_utc(consultation.starts_at).replace(tzinfo=None)
            form.mode.data = ONLINE if consultation.online_link else OFFLINE
            form.online_link.data = consultation.online_link or ""
            form.place.data = consultation.place or ""
            form.staff_id.data = str(consultation.staff_id or "")
        elif viewer.leads_in(consultation.enrolment_id):
            form.staff_id.data = str(current_user.id)
        return page()
    valid = form.validate_on_submit()
    valid = form.check_staff({str(user.id) for user in leads}) and valid
    if not valid or not form.revision.data.isdigit():
        return page(400)
    starts_at = _stored(form.starts_at.data)
    online = form.mode.data == ONLINE
    values = dict(
        starts_at=starts_at,
        online_link=form.online_link.data if online else None,
        place=None if online else form.place.data,
        staff_id=int(form.staff_id.data),
    )
    _write_as_staff(viewer, consultation.organisation_id)
    changed = db.session.execute(
        update(Consultation)
        .where(
            Consultation.id == consultation.id,
            Consultation.tenant_id == community_id,
            Consultation.revision == int(form.revision.data),
            Consultation.status.in_(OPEN),
        )
        .values(
            status=ConsultationStatus.SCHEDULED,
            scheduled_by_id=current_user.id,
            accepted_at=db.func.coalesce(Consultation.accepted_at, _now()),
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
        flash(ALREADY_SAVED if same else CHANGED_MEANWHILE)
        return redirect(_link(community_id, consultation.id))
    _audit("consultations.scheduled", consultation, staff_id=values["staff_id"])
    when = starts_at.strftime("%Y-%m-%d %H:%M")
    notify(
        {*_coordinators(community_id), values["staff_id"]},
        key=f"consultations.scheduled:{consultation.id}:{consultation.revision + 1}",
        message=SCHEDULED, params={"when": when}, link=_link(community_id, consultation.id),
    )
    db.session.commit()
    flash(_("The consultation is scheduled."))
    return redirect(_link(community_id, consultation.id))


def cancel(community_id: int, consultation_id: int):
    viewer = Viewer.load(community_id)
    consultation = _consultation(community_id, consultation_id, viewer)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if not viewer.can_cancel(consultation):
        if not consultation.is_open:
            flash(_("This consultation can no longer be cancelled."))
            return redirect(_link(community_id, consultation.id))
        abort(403)
    _write_as_staff(viewer, consultation.organisation_id)
    changed = db.session.execute(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.tenant_id == community_id,
               Consultation.status.in_(OPEN))
        .values(status=ConsultationStatus.CANCELLED, cancelled_at=_now(), cancelled_by_id=current_user.id,
                revision=Consultation.revision + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        _audit("consultations.cancelled", consultation)
        db.session.commit()
        flash(_("The consultation is cancelled."))
    else:
        db.session.rollback()
    return redirect(_link(community_id, consultation.id))


def _log_page(template_context: dict, status: int = 200):
    return render_template("consultations/log.html", **template_context), status


def _seal_or_explain(form: LogForm, community_id: int) -> tuple[bool, bytes | None]:
    """Seal the private notes; on a key problem, say why on the form and save nothing."""
    from hromada.modules.confidential.errors import ConfidentialError

    text = (form.private_notes.data or "").strip()
    if not text:
        return True, None
    try:
        return True, seal_notes(community_id, text)
    except ConfidentialError as error:
        form.private_notes.errors = [*form.private_notes.errors, error.message]
        return False, None


def _add_follow_ups(form: LogForm, consultation: Consultation) -> list[FollowUp]:
    follow_ups = [
        FollowUp(
            tenant_id=consultation.tenant_id,
            organisation_id=consultation.organisation_id,
            consultation_id=consultation.id,
            task=row.task.data.strip(),
            owner_id=int(row.owner.data),
            due_on=row.due_on.data,
        )
        for row in form.filled_follow_ups()
    ]
    db.session.add_all(follow_ups)
    db.session.flush()
    return follow_ups


def _after_log(community_id: int, consultation: Consultation, follow_ups: list[FollowUp]):
    with tenancy.scope(tenant_id=community_id):
        record_activity()
    _audit("consultations.logged", consultation, duration_minutes=consultation.duration_minutes,
           follow_ups=len(follow_ups), has_notes=consultation.has_notes)
    # Nothing is enqueued here: `consultations send-reminders` (cron) reminds the owners shortly
    # before the due date, so logging does not depend on Redis at all.
    db.session.commit()
    flash(_("The consultation is logged."))
    return redirect(_link(community_id, consultation.id))


def log(community_id: int, consultation_id: int):
    community = _community(community_id)
    viewer = Viewer.load(community_id)
    consultation = _consultation(community_id, consultation_id, viewer)
    if not viewer.can_log(consultation):
        if consultation.is_held and consultation.staff_id == current_user.id:
            flash(ALREADY_SAVED)
            return redirect(_link(community_id, consultation.id))
        abort(403)
    form = LogForm()
    form.set_owners(_owner_options(community_id, current_user))
    context = dict(community=community, consultation=consultation, form=form, direct=False)
    if request.method == "GET":
        form.form_key.data = str(uuid4())
        return _log_page(context)
    owners = {value for value, _label in _owner_options(community_id, current_user)}
    valid = form.validate_on_submit()
    valid = form.check_follow_ups(owners, _today()) and valid
    if not valid:
        return _log_page(context, 400)
    sealed_ok, notes = _seal_or_explain(form, community_id)
    if not sealed_ok:
        return _log_page(context, 503)
    _write_as_staff(viewer, consultation.organisation_id)
    changed = db.session.execute(
        update(Consultation)
        .where(
            Consultation.id == consultation.id,
            Consultation.tenant_id == community_id,
            Consultation.status == ConsultationStatus.SCHEDULED,
            Consultation.staff_id == current_user.id,
        )
        .values(
            status=ConsultationStatus.LOGGED,
            logged_at=_now(),
            duration_minutes=form.duration_minutes.data,
            summary=form.summary.data.strip(),
            private_notes=notes,
            notes_author_id=current_user.id if notes is not None else None,
            revision=Consultation.revision + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        # The first of two submissions logged it: nothing more is stored.
        db.session.rollback()
        flash(ALREADY_SAVED)
        return redirect(_link(community_id, consultation.id))
    db.session.refresh(consultation)
    follow_ups = _add_follow_ups(form, consultation)
    return _after_log(community_id, consultation, follow_ups)


def log_directly(community_id: int):
    community = _community(community_id)
    viewer = Viewer.load(community_id)
    enrolments = [enrolment for enrolment in _enrolments(community_id) if viewer.mentors_in(enrolment.id)]
    if not enrolments:
        abort(403)
    choices = choices_for(enrolments)
    form = DirectLogForm()
    form.topic.choices = _topic_options(choices)
    form.set_owners(_owner_options(community_id, current_user))
    context = dict(community=community, consultation=None, form=form, direct=True)
    if request.method == "GET":
        form.form_key.data = str(uuid4())
        form.held_at.data = _now().replace(tzinfo=None, second=0, microsecond=0)
        return _log_page(context)
    owners = {value for value, _label in _owner_options(community_id, current_user)}
    valid = form.validate_on_submit()
    valid = form.check_topic({choice.value for choice in choices}) and valid
    valid = form.check_follow_ups(owners, _today()) and valid
    if not valid:
        return _log_page(context, 400)
    existing = _by_key(community_id, form.form_key.data)
    if existing is not None:
        flash(ALREADY_SAVED)
        return redirect(_link(community_id, existing.id))
    sealed_ok, notes = _seal_or_explain(form, community_id)
    if not sealed_ok:
        return _log_page(context, 503)
    choice = next(choice for choice in choices if choice.value == form.topic.data)
    enrolment = choice.enrolment
    _write_as_staff(viewer, enrolment.organisation_id)
    consultation = Consultation(
        tenant_id=community_id,
        organisation_id=enrolment.organisation_id,
        enrolment_id=enrolment.id,
        stage_id=enrolment.current_stage_id,
        stage_type=enrolment.current_stage.stage_type if enrolment.current_stage else "",
        topic_key=choice.topic_key,
        programme_topic_id=choice.programme_topic_id,
        notes_author_only=choice.notes_author_only,
        status=ConsultationStatus.LOGGED,
        idempotency_key=form.form_key.data,
        starts_at=_stored(form.held_at.data),
        staff_id=current_user.id,
        logged_at=_now(),
        duration_minutes=form.duration_minutes.data,
        summary=form.summary.data.strip(),
        private_notes=notes,
        notes_author_id=current_user.id if notes is not None else None,
    )
    db.session.add(consultation)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = _by_key(community_id, form.form_key.data)
        flash(ALREADY_SAVED)
        return redirect(_link(community_id, existing.id) if existing else url_for(".index", community_id=community_id))
    follow_ups = _add_follow_ups(form, consultation)
    return _after_log(community_id, consultation, follow_ups)


def rate(community_id: int, consultation_id: int):
    viewer = Viewer.load(community_id)
    consultation = _consultation(community_id, consultation_id, viewer)
    if not viewer.is_coordinator:
        abort(403)
    form = RateForm()
    if not viewer.can_rate(consultation):
        flash(_("This consultation was rated already, or has not taken place yet; nothing was changed."))
        return redirect(_link(community_id, consultation.id))
    if not form.validate_on_submit():
        return detail(community_id, consultation_id, rate_form=form)
    changed = db.session.execute(
        update(Consultation)
        .where(Consultation.id == consultation.id, Consultation.tenant_id == community_id,
               Consultation.status == ConsultationStatus.LOGGED, Consultation.rating.is_(None))
        .values(status=ConsultationStatus.RATED, rating=int(form.rating.data),
                rating_comment=(form.comment.data or "").strip(), rated_by_id=current_user.id, rated_at=_now())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.rollback()
        flash(_("This consultation was rated already, or has not taken place yet; nothing was changed."))
        return redirect(_link(community_id, consultation.id))
    record_activity()
    db.session.commit()
    flash(_("Thank you for your rating."))
    return redirect(_link(community_id, consultation.id))


# --- Private notes ----------------------------------------------------------------


def _shares(community_id: int, consultation: Consultation) -> list[NoteShare]:
    return list(
        db.session.scalars(
            select(NoteShare).options(joinedload(NoteShare.user))
            .where(NoteShare.consultation_id == consultation.id, NoteShare.tenant_id == community_id)
            .order_by(NoteShare.id)
        )
    )


def notes(community_id: int, consultation_id: int, share_form: ShareNotesForm | None = None,
          refusal=None, status: int = 200):
    from hromada.modules.confidential.errors import ConfidentialError

    community = _community(community_id)
    viewer = Viewer.load(community_id)
    consultation = _consultation(community_id, consultation_id, viewer)
    shares = _shares(community_id, consultation)
    if not viewer.can_read_notes(consultation, {share.user_id for share in shares}):
        abort(403)
    text, problem = None, None
    try:
        text = unseal_notes(community_id, consultation.private_notes)
    except ConfidentialError as error:
        problem = error.message
    _audit("consultations.notes_read", consultation)
    db.session.commit()
    candidates = []
    if viewer.can_share_notes(consultation):
        taken = {share.user_id for share in shares} | {current_user.id}
        candidates = [user for user in enrolment_staff(consultation.enrolment_id) if user.id not in taken]
        if share_form is None:
            share_form = ShareNotesForm(formdata=None)
        share_form.user_id.choices = options((str(user.id), user.name) for user in candidates)
    return render_template(
        "consultations/notes.html", community=community, consultation=consultation, text=text, problem=problem,
        shares=shares if consultation.notes_author_id == current_user.id else [], share_form=share_form,
        candidates=candidates, unshare=UnshareNotesForm(formdata=None), refusal=refusal,
        is_author=consultation.notes_author_id == current_user.id,
    ), status


def share_notes(community_id: int, consultation_id: int):
    viewer = Viewer.load(community_id)
    consultation = _consultation(community_id, consultation_id, viewer)
    if not (consultation.has_notes and consultation.notes_author_id == current_user.id):
        abort(403)
    form = ShareNotesForm()
    if consultation.notes_author_only:
        return notes(community_id, consultation_id, refusal=_l(
            "Notes on this topic are readable by their author only; they cannot be shared."), status=403)
    eligible = {
        str(user.id) for user in enrolment_staff(consultation.enrolment_id) if user.id != current_user.id
    }
    form.user_id.choices = options(())
    if not form.validate_on_submit() or form.user_id.data not in eligible:
        if form.user_id.data and form.user_id.data not in eligible:
            form.user_id.errors = [*form.user_id.errors,
                                   _l("Choose a staff member assigned to this community by your organisation.")]
        return notes(community_id, consultation_id, share_form=form, status=400)
    user_id = int(form.user_id.data)
    _write_as_staff(viewer, consultation.organisation_id)
    db.session.add(NoteShare(tenant_id=community_id, organisation_id=consultation.organisation_id,
                             consultation_id=consultation.id, user_id=user_id, shared_by_id=current_user.id))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # shared already: a second click changes nothing
        return redirect(url_for(".notes", community_id=community_id, consultation_id=consultation.id))
    _audit("consultations.notes_shared", consultation, user_id=user_id)
    db.session.commit()
    flash(_("The private notes are shared."))
    return redirect(url_for(".notes", community_id=community_id, consultation_id=consultation.id))


def unshare_notes(community_id: int, consultation_id: int):
    viewer = Viewer.load(community_id)
    consultation = _consultation(community_id, consultation_id, viewer)
    if not (consultation.has_notes and consultation.notes_author_id == current_user.id):
        abort(403)
    form = UnshareNotesForm()
    if not form.validate_on_submit() or not form.user_id.data.isdigit():
        abort(400)
    _write_as_staff(viewer, consultation.organisation_id)
    removed = db.session.execute(
        delete(NoteShare)
        .where(NoteShare.consultation_id == consultation.id, NoteShare.tenant_id == community_id,
               NoteShare.user_id == int(form.user_id.data))
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed:
        _audit("consultations.notes_unshared", consultation, user_id=int(form.user_id.data))
        flash(_("The private notes are no longer shared with that person."))
    db.session.commit()
    return redirect(url_for(".notes", community_id=community_id, consultation_id=consultation.id))


# --- Follow-ups -------------------------------------------------------------------


def community_follow_ups(community_id: int, viewer: Viewer, *, enrolment_id: int | None = None):
    """(follow-ups this person may read, counts by state for the operator's eyes)."""
    query = (
        select(FollowUp)
        .options(joinedload(FollowUp.owner), joinedload(FollowUp.consultation).joinedload(Consultation.programme_topic))
        .join(FollowUp.consultation)
        .where(FollowUp.tenant_id == community_id)
        .order_by(FollowUp.done_at.is_not(None), FollowUp.due_on, FollowUp.id)
    )
    if enrolment_id is not None:
        query = query.where(Consultation.enrolment_id == enrolment_id)
    everything = list(db.session.scalars(query).unique())
    today = _today()
    readable = [follow_up for follow_up in everything if viewer.can_see_follow_up(follow_up)]
    counts = Counter()
    for follow_up in everything:
        if viewer.operates(follow_up.consultation):
            counts["done" if follow_up.done_at else ("overdue" if follow_up.is_overdue(today) else "open")] += 1
    return readable, counts


def follow_ups(community_id: int):
    community = _community(community_id)
    viewer = Viewer.load(community_id)
    readable, counts = community_follow_ups(community_id, viewer)
    return render_template(
        "consultations/follow_ups.html", community=community, follow_ups=readable, counts=counts, viewer=viewer,
        today=_today(), confirm=ConfirmForm(formdata=None),
    )


def follow_up_done(community_id: int, follow_up_id: int):
    viewer = Viewer.load(community_id)
    follow_up = db.session.scalar(
        select(FollowUp).options(joinedload(FollowUp.consultation))
        .where(FollowUp.id == follow_up_id, FollowUp.tenant_id == community_id)
    )
    if follow_up is None or not viewer.can_see_follow_up(follow_up):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    back = safe_next(request.form.get("next")) or url_for(".follow_ups", community_id=community_id)
    if follow_up.done_at is not None:
        flash(ALREADY_SAVED)
        return redirect(back)
    if not viewer.can_mark_done(follow_up):
        abort(403)
    _write_as_staff(viewer, follow_up.organisation_id)
    changed = db.session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up.id, FollowUp.tenant_id == community_id, FollowUp.done_at.is_(None))
        .values(done_at=_now(), done_by_id=current_user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        if viewer.is_member:
            record_activity()
        db.session.commit()
        flash(_("Marked as done."))
    else:
        db.session.rollback()
    return redirect(back)


# --- A staff member's own pages -------------------------------------------------------


def _read_reached_communities(community_ids: set[int], action: str) -> dict[int, Community]:
    """Open the communities a staff member reaches for reading, audited per organisation."""
    if not community_ids:
        return {}
    p = authz.principal()
    tenancy.allow_reading(community_ids)
    for organisation_id in sorted({org for cid in community_ids for org in p.reaches(cid)}):
        record(action, organisation_id=organisation_id,
               communities=sorted(cid for cid in community_ids if organisation_id in p.reaches(cid)))
    db.session.commit()
    return {c.id: c for c in db.session.scalars(select(Community).where(Community.id.in_(community_ids)))}


def _lead_enrolments(user_id: int) -> set[int]:
    """Enrolments this person is assigned to as mentor or expert, in a role they still hold."""
    p = authz.principal()
    return {
        enrolment_id
        for enrolment_id, organisation_id, role in db.session.execute(
            select(StaffAssignment.enrolment_id, StaffAssignment.organisation_id, StaffAssignment.role).where(
                StaffAssignment.user_id == user_id, StaffAssignment.role.in_(LEADS)
            )
        )
        if role in p.staff_roles(organisation_id)
    }


def own_kpis(user_id: int) -> list[kpis.KpiRow]:
    """A staff member's own consultations, in every organisation they work for: aggregates only."""
    rows: list[kpis.KpiRow] = []
    for organisation_id in sorted(authz.principal().staff):
        with tenancy.scope(organisation_id=organisation_id):
            rows += kpis.kpi_rows(Consultation.staff_id == user_id, Consultation.organisation_id == organisation_id)
    return kpis.label(kpis.merge(rows), _programme_topic_titles(rows))


def _programme_topic_titles(rows: list[kpis.KpiRow]) -> dict[int, str]:
    ids = {int(row.topic[1:]) for row in rows if row.topic.startswith("p") and row.topic[1:].isdigit()}
    if not ids:
        return {}
    return dict(db.session.execute(select(ProgrammeTopic.id, ProgrammeTopic.title).where(ProgrammeTopic.id.in_(ids))))


def _chart(title, rows: list[kpis.KpiRow]) -> kpis.BarChart:
    return kpis.bar_chart(str(title), [(str(row.title), row.held, str(row.held)) for row in rows])


def staff_consultations():
    p = authz.principal()
    rows = own_kpis(p.user_id)
    reach = p.staff_reach()
    communities = _read_reached_communities(set(reach), "consultations.staff_list")
    waiting, upcoming = [], []
    if communities:
        lead_enrolments = _lead_enrolments(p.user_id)
        for consultation in db.session.scalars(
            select(Consultation)
            .options(joinedload(Consultation.programme_topic))
            .where(Consultation.tenant_id.in_(communities), Consultation.status.in_(OPEN))
            .order_by(Consultation.starts_at, Consultation.requested_at, Consultation.id)
        ):
            if consultation.status == ConsultationStatus.REQUESTED and consultation.enrolment_id in lead_enrolments:
                waiting.append(consultation)
            elif consultation.status == ConsultationStatus.SCHEDULED and consultation.staff_id == p.user_id:
                upcoming.append(consultation)
    return render_template(
        "consultations/staff.html", rows=rows, total=kpis.total(rows), communities=communities,
        waiting=waiting, upcoming=upcoming, chart=_chart(_("Consultations you held, by topic"), rows),
        stage_types=current_app.extensions["hromada.stage_types"],
    )


def staff_follow_ups():
    p = authz.principal()
    communities = _read_reached_communities(set(p.staff_reach()), "consultations.staff_follow_ups")
    mine, agreed = [], []
    if communities:
        for follow_up in db.session.scalars(
            select(FollowUp)
            .options(joinedload(FollowUp.owner), joinedload(FollowUp.consultation))
            .join(FollowUp.consultation)
            .where(FollowUp.tenant_id.in_(communities))
            .where((FollowUp.owner_id == p.user_id) | (Consultation.staff_id == p.user_id))
            .order_by(FollowUp.done_at.is_not(None), FollowUp.due_on, FollowUp.id)
        ).unique():
            (mine if follow_up.owner_id == p.user_id else agreed).append(follow_up)
    return render_template(
        "consultations/staff_follow_ups.html", mine=mine, agreed=agreed, communities=communities, today=_today(),
        confirm=ConfirmForm(formdata=None),
    )


# --- An organisation's programme -------------------------------------------------------


def _programme(organisation_id: int, programme_id: int) -> Programme:
    programme = db.session.scalar(
        select(Programme)
        .options(selectinload(Programme.stages))
        .where(Programme.id == programme_id, Programme.organisation_id == organisation_id)
    )
    if programme is None:
        abort(404)
    return programme


def programme_topics(organisation_id: int, programme_id: int):
    programme = _programme(organisation_id, programme_id)
    form = ProgrammeTopicForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            title = form.title.data.strip()
            topic = ProgrammeTopic(programme_id=programme.id, title=title)
            db.session.add(topic)
            try:
                db.session.flush()
            except IntegrityError:
                db.session.rollback()
                form.title.errors = [*form.title.errors, _l("This programme has a topic with this title already.")]
                status = 400
            else:
                record("consultations.topic_added", organisation_id=organisation_id, programme_id=programme.id,
                       topic_id=topic.id)
                db.session.commit()
                flash(_("The topic is added."))
                return redirect(url_for(".programme_topics", organisation_id=organisation_id,
                                        programme_id=programme.id))
        else:
            status = 400
    topics = list(
        db.session.scalars(
            select(ProgrammeTopic).where(ProgrammeTopic.programme_id == programme.id)
            .order_by(ProgrammeTopic.retired_at.is_not(None), ProgrammeTopic.title)
        )
    )
    stage_types = {stage.stage_type for stage in programme.stages}
    offered = [topic for topic in plugin_topics().values() if topic.stage_type in stage_types]
    return render_template(
        "consultations/programme_topics.html", programme=programme, form=form, topics=topics, offered=offered,
        stage_types=current_app.extensions["hromada.stage_types"], confirm=ConfirmForm(formdata=None),
    ), status


def retire_topic(organisation_id: int, programme_id: int, consultation_topic_id: int):
    programme = _programme(organisation_id, programme_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    topic = db.session.scalar(
        select(ProgrammeTopic).where(ProgrammeTopic.id == consultation_topic_id,
                                    ProgrammeTopic.programme_id == programme.id)
    )
    if topic is None:
        abort(404)
    changed = db.session.execute(
        update(ProgrammeTopic)
        .where(ProgrammeTopic.id == topic.id, ProgrammeTopic.retired_at.is_(None))
        .values(retired_at=_now())
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed:
        record("consultations.topic_retired", organisation_id=organisation_id, programme_id=programme.id,
               topic_id=topic.id)
        flash(_("The topic is no longer offered."))
    db.session.commit()
    return redirect(url_for(".programme_topics", organisation_id=organisation_id, programme_id=programme.id))


def programme_kpis(organisation_id: int, programme_id: int):
    programme = _programme(organisation_id, programme_id)
    in_programme = Consultation.enrolment_id.in_(select(Enrolment.id).where(Enrolment.programme_id == programme.id))
    raw = kpis.kpi_rows(Consultation.organisation_id == organisation_id, in_programme)
    rows = kpis.label(raw, _programme_topic_titles(raw))
    waiting = list(
        db.session.scalars(
            select(Consultation)
            .options(joinedload(Consultation.programme_topic))
            .where(Consultation.organisation_id == organisation_id, in_programme,
                   Consultation.status == ConsultationStatus.REQUESTED)
            .order_by(Consultation.requested_at, Consultation.id)
        )
    )
    communities = {}
    if waiting:
        # Which communities wait is community data: read openly, and audited.
        community_ids = {consultation.tenant_id for consultation in waiting}
        tenancy.allow_reading(community_ids)
        record("consultations.programme_requests", organisation_id=organisation_id, programme_id=programme.id,
               communities=sorted(community_ids))
        db.session.commit()
        communities = {c.id: c for c in db.session.scalars(select(Community).where(Community.id.in_(community_ids)))}
    return render_template(
        "consultations/programme_kpis.html", programme=programme, rows=rows, total=kpis.total(rows),
        waiting=waiting, communities=communities,
        waited={c.id: (_now() - as_utc(c.requested_at)).total_seconds() / 3600 for c in waiting if c.requested_at},
        chart=_chart(_("Consultations held, by topic"), rows),
        stage_types=current_app.extensions["hromada.stage_types"],
    )
