"""A community's consultation pages: requests, scheduling, logs, ratings, private notes, follow-ups.

Its coordinators and members see them, and the staff who support the community
through its enrolments; `access.Viewer` says who sees what on each.
"""

from __future__ import annotations

from collections import Counter
from uuid import uuid4

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from hromada import authz, tenancy
from hromada.clock import now, today
from hromada.extensions import db
from hromada.i18n import lazy_gettext as _l
from hromada.modules.accounts.models import CommunityRole, StaffRole, User
from hromada.modules.communities.models import Community
from hromada.modules.confidential.errors import ConfidentialError
from hromada.modules.consultations import operations
from hromada.modules.communities.staff import enrolment_staff
from hromada.modules.consultations.access import LEADS, Viewer
from hromada.modules.consultations.controllers.common import community_or_404, consultation_or_404
from hromada.modules.consultations.forms import (
    ONLINE,
    OFFLINE,
    ConfirmForm,
    DirectLogForm,
    LogForm,
    RateForm,
    RequestForm,
    ScheduleForm,
    ShareNotesForm,
    UnshareNotesForm,
    options,
)
from hromada.modules.consultations.models import Consultation, ConsultationStatus, FollowUp, NoteShare
from hromada.modules.consultations.notes import unseal_notes
from hromada.modules.consultations.operations import ALREADY_SAVED, FollowUpDraft, Unchanged, stored
from hromada.modules.consultations.topics import TopicChoice, choices_for
from hromada.modules.consultations.util import (
    audit,
    community_follow_ups,
    consultation_link,
    enrolments,
    members,
)
from hromada.modules.programmes.models import Programme
from hromada.navigation import safe_next
from hromada.times import to_local_input


def _choice_label(choice: TopicChoice, several: bool) -> str:
    return f"{choice.enrolment.programme.title}: {choice.title}" if several else str(choice.title)


def _topic_options(choices: list[TopicChoice]):
    several = len({choice.enrolment.id for choice in choices}) > 1
    return options((choice.value, _choice_label(choice, several)) for choice in choices)


def _owner_options(community_id: int, lead: User) -> list[tuple[str, str]]:
    """Who can own a follow-up: the community's members and the staff member who led the consultation."""
    owners = [(str(user.id), user.name) for user in members(community_id)]
    owners.append((str(lead.id), _("%(name)s (you)", name=lead.name)))
    return owners


def _back_to(community_id: int, unchanged: Unchanged):
    """After a change that did not happen: its reason, and the consultation that stands instead (or the list)."""
    flash(unchanged.message)
    if unchanged.consultation is not None:
        return redirect(consultation_link(community_id, unchanged.consultation.id))
    return redirect(url_for(".index", community_id=community_id))


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
    community = community_or_404(community_id)
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
    community_enrolments = enrolments(community_id)
    return render_template(
        "consultations/index.html",
        community=community,
        viewer=viewer,
        consultations=consultations,
        counts=Counter(consultation.status for consultation in consultations),
        can_request=viewer.is_coordinator and bool(choices_for(community_enrolments)),
        can_log_directly=any(viewer.leads_in(enrolment.id) for enrolment in community_enrolments),
        statuses=list(ConsultationStatus),
    )


def request_consultation(community_id: int):
    community = community_or_404(community_id)
    choices = choices_for(enrolments(community_id))
    form = RequestForm()
    form.topic.choices = _topic_options(choices)
    if request.method == "GET":
        form.form_key.data = str(uuid4())
        return render_template("consultations/request.html", community=community, form=form, choices=choices)
    valid = form.validate_on_submit()
    valid = form.check_topic({choice.value for choice in choices}) and valid
    if not valid:
        return render_template("consultations/request.html", community=community, form=form, choices=choices), 400
    choice = next(choice for choice in choices if choice.value == form.topic.data)
    try:
        consultation = operations.request_consultation(
            community_id, choice, current_user, form_key=form.form_key.data, needs=form.needs.data.strip(),
            preferred_times=form.preferred_times.data.strip(), details=(form.details.data or "").strip(),
        )
    except Unchanged as unchanged:
        return _back_to(community_id, unchanged)
    flash(_("Your request was sent. You will see here when it is scheduled."))
    return redirect(consultation_link(community_id, consultation.id))


def detail(community_id: int, consultation_id: int, rate_form: RateForm | None = None):
    community = community_or_404(community_id)
    viewer = Viewer.load(community_id)
    consultation = consultation_or_404(community_id, consultation_id, viewer)
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
        today=today(),
    ), (400 if rate_form is not None else 200)


def schedule(community_id: int, consultation_id: int):
    community = community_or_404(community_id)
    viewer = Viewer.load(community_id)
    consultation = consultation_or_404(community_id, consultation_id, viewer)
    if not viewer.can_schedule(consultation):
        if not consultation.is_open:
            flash(_("This consultation can no longer be scheduled."))
            return redirect(consultation_link(community_id, consultation.id))
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
            form.starts_at.data = to_local_input(consultation.starts_at)
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
    online = form.mode.data == ONLINE
    try:
        operations.schedule(
            consultation, viewer, current_user, revision=int(form.revision.data),
            starts_at=stored(form.starts_at.data), online_link=form.online_link.data if online else None,
            place=None if online else form.place.data, staff_id=int(form.staff_id.data),
        )
    except Unchanged as unchanged:
        flash(unchanged.message)
    else:
        flash(_("The consultation is scheduled."))
    return redirect(consultation_link(community_id, consultation.id))


def cancel(community_id: int, consultation_id: int):
    viewer = Viewer.load(community_id)
    consultation = consultation_or_404(community_id, consultation_id, viewer)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if not viewer.can_cancel(consultation):
        if not consultation.is_open:
            flash(_("This consultation can no longer be cancelled."))
            return redirect(consultation_link(community_id, consultation.id))
        abort(403)
    if operations.cancel(consultation, viewer, current_user):
        flash(_("The consultation is cancelled."))
    return redirect(consultation_link(community_id, consultation.id))


def _log_page(template_context: dict, status: int = 200):
    return render_template("consultations/log.html", **template_context), status


def _follow_up_drafts(form: LogForm) -> list[FollowUpDraft]:
    return [FollowUpDraft(task=row.task.data.strip(), owner_id=int(row.owner.data), due_on=row.due_on.data)
            for row in form.filled_follow_ups()]


def _cannot_seal(form: LogForm, error: ConfidentialError, context: dict):
    """A key problem: say why on the form; nothing was saved."""
    form.private_notes.errors = [*form.private_notes.errors, error.message]
    return _log_page(context, 503)


def log(community_id: int, consultation_id: int):
    community = community_or_404(community_id)
    viewer = Viewer.load(community_id)
    consultation = consultation_or_404(community_id, consultation_id, viewer)
    if not viewer.can_log(consultation):
        if consultation.is_held and consultation.staff_id == current_user.id:
            flash(ALREADY_SAVED)
            return redirect(consultation_link(community_id, consultation.id))
        if viewer.can_schedule(consultation) and not consultation.has_begun:
            # Not yet scheduled, or not yet its time: say what comes next rather than "Not allowed".
            return render_template("consultations/log_not_yet.html", community=community,
                                   consultation=consultation), (200 if request.method == "GET" else 409)
        abort(403)
    form = LogForm()
    form.set_owners(_owner_options(community_id, current_user))
    context = dict(community=community, consultation=consultation, form=form, direct=False)
    if request.method == "GET":
        form.form_key.data = str(uuid4())
        return _log_page(context)
    owners = {value for value, _label in _owner_options(community_id, current_user)}
    valid = form.validate_on_submit()
    valid = form.check_follow_ups(owners, today()) and valid
    if not valid:
        return _log_page(context, 400)
    try:
        operations.log(
            consultation, viewer, current_user, duration_minutes=form.duration_minutes.data,
            summary=form.summary.data.strip(), notes=(form.private_notes.data or "").strip(),
            follow_ups=_follow_up_drafts(form),
        )
    except ConfidentialError as error:
        return _cannot_seal(form, error, context)
    except Unchanged as unchanged:
        flash(unchanged.message)
    else:
        flash(_("The consultation is logged."))
    return redirect(consultation_link(community_id, consultation.id))


def log_directly(community_id: int):
    community = community_or_404(community_id)
    viewer = Viewer.load(community_id)
    led = [enrolment for enrolment in enrolments(community_id) if viewer.leads_in(enrolment.id)]
    if not led:
        abort(403)
    choices = choices_for(led)
    form = DirectLogForm()
    form.topic.choices = _topic_options(choices)
    form.set_owners(_owner_options(community_id, current_user))
    context = dict(community=community, consultation=None, form=form, direct=True)
    if request.method == "GET":
        form.form_key.data = str(uuid4())
        form.held_at.data = to_local_input(now()).replace(second=0, microsecond=0)
        return _log_page(context)
    owners = {value for value, _label in _owner_options(community_id, current_user)}
    valid = form.validate_on_submit()
    valid = form.check_topic({choice.value for choice in choices}) and valid
    valid = form.check_follow_ups(owners, today()) and valid
    if not valid:
        return _log_page(context, 400)
    choice = next(choice for choice in choices if choice.value == form.topic.data)
    try:
        consultation = operations.log_directly(
            community_id, choice, viewer, current_user, form_key=form.form_key.data,
            held_at=stored(form.held_at.data), duration_minutes=form.duration_minutes.data,
            summary=form.summary.data.strip(), notes=(form.private_notes.data or "").strip(),
            follow_ups=_follow_up_drafts(form),
        )
    except ConfidentialError as error:
        return _cannot_seal(form, error, context)
    except Unchanged as unchanged:
        return _back_to(community_id, unchanged)
    flash(_("The consultation is logged."))
    return redirect(consultation_link(community_id, consultation.id))


def rate(community_id: int, consultation_id: int):
    viewer = Viewer.load(community_id)
    consultation = consultation_or_404(community_id, consultation_id, viewer)
    if not viewer.is_coordinator:
        abort(403)
    form = RateForm()
    if not viewer.can_rate(consultation):
        flash(operations.NOT_RATEABLE)
        return redirect(consultation_link(community_id, consultation.id))
    if not form.validate_on_submit():
        return detail(community_id, consultation_id, rate_form=form)
    try:
        operations.rate(consultation, current_user, rating=int(form.rating.data),
                        comment=(form.comment.data or "").strip())
    except Unchanged as unchanged:
        flash(unchanged.message)
    else:
        flash(_("Thank you for your rating."))
    return redirect(consultation_link(community_id, consultation.id))


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
    community = community_or_404(community_id)
    viewer = Viewer.load(community_id)
    consultation = consultation_or_404(community_id, consultation_id, viewer)
    shares = _shares(community_id, consultation)
    if not viewer.can_read_notes(consultation, {share.user_id for share in shares}):
        abort(403)
    text, problem = None, None
    try:
        text = unseal_notes(community_id, consultation.private_notes)
    except ConfidentialError as error:
        problem = error.message
    audit("consultations.notes_read", consultation)
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
    consultation = consultation_or_404(community_id, consultation_id, viewer)
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
    if operations.share_notes(consultation, viewer, current_user, int(form.user_id.data)):
        flash(_("The private notes are shared."))
    return redirect(url_for(".notes", community_id=community_id, consultation_id=consultation.id))


def unshare_notes(community_id: int, consultation_id: int):
    viewer = Viewer.load(community_id)
    consultation = consultation_or_404(community_id, consultation_id, viewer)
    if not (consultation.has_notes and consultation.notes_author_id == current_user.id):
        abort(403)
    form = UnshareNotesForm()
    if not form.validate_on_submit() or not form.user_id.data.isdigit():
        abort(400)
    if operations.unshare_notes(consultation, viewer, current_user, int(form.user_id.data)):
        flash(_("The private notes are no longer shared with that person."))
    return redirect(url_for(".notes", community_id=community_id, consultation_id=consultation.id))


# --- Follow-ups -------------------------------------------------------------------


def follow_ups(community_id: int):
    community = community_or_404(community_id)
    viewer = Viewer.load(community_id)
    readable, counts = community_follow_ups(community_id, viewer)
    return render_template(
        "consultations/follow_ups.html", community=community, follow_ups=readable, counts=counts, viewer=viewer,
        today=today(), confirm=ConfirmForm(formdata=None),
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
    if operations.mark_done(follow_up, viewer, current_user):
        flash(_("Marked as done."))
    return redirect(back)
