"""Pages of the problem-finding meetings: the list, a meeting with its problems ranked by dots.

Members record meetings and problems and spread their dots; staff who reach the
community through its civic course programme read meetings and problems, never
the dots (`visibility`).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hromada.plugin_api import (
    Community,
    can,
    current_principal,
    db,
    record_activity,
    record_audit,
    requires,
    utc_now,
)
from hromada.plugin_api import lazy_gettext as _l
from hromada_civic_course.access import READ, WRITE
from hromada_civic_course.forms import LEVEL_NAMES, DotsForm, MeetingForm, ProblemForm
from hromada_civic_course.meetings import ranking
from hromada_civic_course.maps.models import ChangeMap
from hromada_civic_course.meetings.models import DOTS_PER_MEMBER, Problem, ProblemMeeting
from hromada_civic_course.visibility import civic_programme, staff_programmes, visible

bp = Blueprint("civic_meetings", __name__, template_folder="templates")
MEETINGS = "/communities/<int:community_id>/civic-course/meetings"


def _rule(action: str, view, methods=("GET",)):
    return {"view_func": requires(action, community="community_id")(view), "methods": list(methods)}


def _meeting(community_id: int, meeting_id: int) -> ProblemMeeting:
    meeting = db.session.scalars(select(ProblemMeeting).where(
        ProblemMeeting.id == meeting_id, ProblemMeeting.tenant_id == community_id,
        visible(ProblemMeeting, staff_programmes(community_id)))).first()
    if meeting is None:
        abort(404)
    return meeting


def meetings_page(community_id: int, form: MeetingForm | None = None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    meetings = db.session.scalars(select(ProblemMeeting).where(
        ProblemMeeting.tenant_id == community_id, visible(ProblemMeeting, staff_programmes(community_id)))
        .order_by(ProblemMeeting.held_on.desc(), ProblemMeeting.id.desc())).all()
    can_write = can(WRITE, community_id)
    return render_template("civic_meetings/meetings.html", community=community, meetings=meetings,
                           levels=LEVEL_NAMES, can_write=can_write,
                           form=form or (MeetingForm(prefix="meeting") if can_write else None)), status


def create_meeting(community_id: int):
    form = MeetingForm(prefix="meeting")
    if not form.validate_on_submit():
        return meetings_page(community_id, form, 422)
    meeting = ProblemMeeting(tenant_id=community_id, programme_id=civic_programme(community_id),
                             held_on=form.held_on.data, level=form.level.data,
                             participants=form.participants.data, facilitator=(form.facilitator.data or "").strip())
    db.session.add(meeting)
    db.session.flush()
    record_activity(community_id, utc_now())
    db.session.commit()
    flash(_("The meeting is recorded: now write down the problems it found."))
    return redirect(url_for("civic_meetings.meeting", community_id=community_id, meeting_id=meeting.id))


bp.add_url_rule(MEETINGS, "meetings", **_rule(READ, meetings_page))
bp.add_url_rule(MEETINGS, "create", **_rule(WRITE, create_meeting, ("POST",)))


def meeting_page(community_id: int, meeting_id: int, problem_form: ProblemForm | None = None, status: int = 200,
                 *, meeting_form: MeetingForm | None = None, edited: tuple[int, ProblemForm] | None = None):
    community = db.get_or_404(Community, community_id)
    meeting = _meeting(community_id, meeting_id)
    problems = db.session.scalars(select(Problem).where(Problem.meeting_id == meeting.id)
                                  .order_by(Problem.id)).all()
    # The problems a change map starts from: they stay (`delete_problem`).
    mapped = set(db.session.scalars(select(ChangeMap.problem_id).where(
        ChangeMap.problem_id.in_([problem.id for problem in problems]))))
    is_member = community_id in current_principal().memberships
    counts = ranking.totals(problem.id for problem in problems) if is_member else {}
    mine = ranking.dots_of(current_user.id, meeting.id) if is_member else {}
    can_write = can(WRITE, community_id)
    edit_forms = {}
    if can_write:
        edit_forms = {problem.id: ProblemForm(prefix=f"problem-{problem.id}", obj=problem) for problem in problems}
        if edited is not None:
            edit_forms[edited[0]] = edited[1]
    return render_template(
        "civic_meetings/meeting.html", community=community, meeting=meeting, levels=LEVEL_NAMES, mapped=mapped,
        edit_forms=edit_forms, open_problem=edited[0] if edited else None,
        meeting_form=(meeting_form or MeetingForm(prefix="edit", obj=meeting)) if can_write else None,
        problems=ranking.ranked(problems, counts) if is_member else problems, counts=counts, mine=mine,
        left=DOTS_PER_MEMBER - sum(mine.values()), dots_per_member=DOTS_PER_MEMBER, is_member=is_member,
        can_write=can_write, problem_form=problem_form or (ProblemForm(prefix="problem") if can_write else None),
    ), status


def add_problem(community_id: int, meeting_id: int):
    meeting = _meeting(community_id, meeting_id)
    form = ProblemForm(prefix="problem")
    if not form.validate_on_submit():
        return meeting_page(community_id, meeting_id, form, 422)
    title = form.title.data.strip()
    if not title or db.session.scalar(select(Problem.id).where(Problem.meeting_id == meeting.id,
                                                                Problem.title == title)):
        form.title.errors = [_("This meeting already has a problem with this name.") if title
                             else _("Name the problem.")]
        return meeting_page(community_id, meeting_id, form, 422)
    db.session.add(Problem(tenant_id=community_id, meeting_id=meeting.id, title=title,
                           what_is_wrong=(form.what_is_wrong.data or "").strip(),
                           who_is_affected=(form.who_is_affected.data or "").strip(),
                           evidence=(form.evidence.data or "").strip()))
    try:
        db.session.commit()
    except IntegrityError:  # the same problem submitted twice at once: stored once
        db.session.rollback()
    flash(_("The problem is added."))
    return redirect(url_for("civic_meetings.meeting", community_id=community_id, meeting_id=meeting.id))


def place_dots(community_id: int, problem_id: int):
    problem = db.session.scalars(select(Problem).where(Problem.id == problem_id,
                                                       Problem.tenant_id == community_id)).first()
    if problem is None:
        abort(404)
    back = redirect(url_for("civic_meetings.meeting", community_id=community_id, meeting_id=problem.meeting_id)
                    + "#problems")
    form = DotsForm(prefix=f"dots-{problem.id}")
    if not form.validate_on_submit():
        flash(_("Give between 0 and %(max)d dots.", max=DOTS_PER_MEMBER), "error")
        return back
    try:
        ranking.place_dots(community_id, current_user.id, problem, form.dots.data)
        db.session.commit()
    except ranking.TooManyDots as refused:
        db.session.rollback()
        flash(ngettext("You have %(num)d dot left for this meeting.", "You have %(num)d dots left for this meeting.",
                       refused.args[0]), "error")
        return back
    except IntegrityError:  # a double submit: the first one stands
        db.session.rollback()
    flash(_("Your dots are saved."))
    return back


bp.add_url_rule(MEETINGS + "/<int:meeting_id>", "meeting", **_rule(READ, meeting_page))
bp.add_url_rule(MEETINGS + "/<int:meeting_id>/problems", "add_problem", **_rule(WRITE, add_problem, ("POST",)))
bp.add_url_rule("/communities/<int:community_id>/civic-course/problems/<int:problem_id>/dots", "dots",
                **_rule(WRITE, place_dots, ("POST",)))


# --- Changing and deleting: nothing a change map starts from is lost ------------------------------


def _problem(community_id: int, problem_id: int) -> Problem:
    problem = db.session.scalars(select(Problem).where(Problem.id == problem_id,
                                                       Problem.tenant_id == community_id)).first()
    if problem is None:
        abort(404)
    return problem


def _to_meeting(community_id: int, meeting_id: int, anchor: str = ""):
    return redirect(url_for("civic_meetings.meeting", community_id=community_id, meeting_id=meeting_id) + anchor)


def edit_meeting(community_id: int, meeting_id: int):
    meeting = _meeting(community_id, meeting_id)
    form = MeetingForm(prefix="edit")
    if not form.validate_on_submit():
        return meeting_page(community_id, meeting_id, status=422, meeting_form=form)
    meeting.held_on, meeting.level, meeting.participants = form.held_on.data, form.level.data, form.participants.data
    meeting.facilitator = (form.facilitator.data or "").strip()
    db.session.commit()
    flash(_("The meeting is saved."))
    return _to_meeting(community_id, meeting.id)


def delete_meeting(community_id: int, meeting_id: int):
    meeting = _meeting(community_id, meeting_id)
    if db.session.scalar(select(ChangeMap.id).join(Problem, Problem.id == ChangeMap.problem_id)
                         .where(Problem.meeting_id == meeting.id).limit(1)) is not None:
        flash(_("A change map starts from a problem this meeting found: the meeting cannot be deleted."), "error")
        return _to_meeting(community_id, meeting.id)
    db.session.delete(meeting)  # its problems and their dots with it
    record_audit("civic_course.meeting_deleted", community_id=community_id, meeting_id=meeting_id)
    db.session.commit()
    flash(_("The meeting and its problems are deleted."))
    return redirect(url_for("civic_meetings.meetings", community_id=community_id))


def edit_problem(community_id: int, problem_id: int):
    problem = _problem(community_id, problem_id)
    form = ProblemForm(prefix=f"problem-{problem.id}")
    if not form.validate_on_submit():
        return meeting_page(community_id, problem.meeting_id, status=422, edited=(problem.id, form))
    title = form.title.data.strip()
    if not title or db.session.scalar(select(Problem.id).where(Problem.meeting_id == problem.meeting_id,
                                                                Problem.title == title, Problem.id != problem.id)):
        form.title.errors = [_("This meeting already has a problem with this name.") if title
                             else _("Name the problem.")]
        return meeting_page(community_id, problem.meeting_id, status=422, edited=(problem.id, form))
    problem.title = title
    problem.what_is_wrong = (form.what_is_wrong.data or "").strip()
    problem.who_is_affected = (form.who_is_affected.data or "").strip()
    problem.evidence = (form.evidence.data or "").strip()
    try:
        db.session.commit()
    except IntegrityError:  # renamed at the same moment to the same title: the first one stands
        db.session.rollback()
    flash(_("The problem is saved."))
    return _to_meeting(community_id, problem.meeting_id, f"#problem-{problem.id}")


def delete_problem(community_id: int, problem_id: int):
    problem = _problem(community_id, problem_id)
    if db.session.scalar(select(ChangeMap.id).where(ChangeMap.problem_id == problem.id).limit(1)) is not None:
        flash(_("A change map starts from this problem: it cannot be deleted. Change its text instead."), "error")
        return _to_meeting(community_id, problem.meeting_id, f"#problem-{problem.id}")
    meeting_id = problem.meeting_id
    db.session.delete(problem)  # its dots with it
    record_audit("civic_course.problem_deleted", community_id=community_id, meeting_id=meeting_id,
                 problem_id=problem_id)
    db.session.commit()
    flash(_("The problem is deleted."))
    return _to_meeting(community_id, meeting_id, "#problems")


bp.add_url_rule(MEETINGS + "/<int:meeting_id>/edit", "edit", **_rule(WRITE, edit_meeting, ("POST",)))
bp.add_url_rule(MEETINGS + "/<int:meeting_id>/delete", "delete", **_rule(WRITE, delete_meeting, ("POST",)))
bp.add_url_rule("/communities/<int:community_id>/civic-course/problems/<int:problem_id>/edit", "edit_problem",
                **_rule(WRITE, edit_problem, ("POST",)))
bp.add_url_rule("/communities/<int:community_id>/civic-course/problems/<int:problem_id>/delete", "delete_problem",
                **_rule(WRITE, delete_problem, ("POST",)))

AUDIT_LABELS = {"civic_course.meeting_deleted": _l("Deleted a problem-finding meeting"),
                "civic_course.problem_deleted": _l("Deleted a problem")}
