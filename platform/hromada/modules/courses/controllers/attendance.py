"""Operators and facilitators mark who attended a session: one form, a checkbox per participant of
the communities this person reaches in the programme, fifty communities a page."""

from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import load_only

from hromada import authz
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.modules.courses import participation
from hromada.modules.courses.controllers.common import (
    community_names,
    course_or_404,
    course_url,
    render_read,
    session_or_404,
)
from hromada.modules.courses.forms import EmptyForm
from hromada.modules.courses.models import CourseParticipant
from hromada.modules.courses.util import attendance_of, participants_of, reached_communities_page
from hromada.modules.programmes.util import programme_or_404
from hromada.paging import requested_number


def attendance(organisation_id: int, programme_id: int, course_id: int, course_session_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = course_or_404(organisation_id, programme_id, course_id)
    session = session_or_404(course, course_session_id)
    # Fifty communities a page (those with someone in the course), by name; the form marks the page's people.
    page = reached_communities_page(programme, authz.principal(), requested_number(), joined=course)
    participants = participants_of(course, [e.tenant_id for e in page.rows])
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        shown, present, problem = _attendance_choices(participants)
        if problem:
            return _attendance_page(programme, course, session, participants, page, organisation_id,
                                    form, error=problem, status=400)
        participation.mark_attendance(course, session, [p for p in participants if p.id in shown], present,
                                   current_user)
        flash(_("Attendance was saved."), "info")
        return redirect(course_url(course, "courses.attendance", course_session_id=session.id,
                                   **({"page": page.number} if page.number > 1 else {})))
    return _attendance_page(programme, course, session, participants, page, organisation_id, form)


def _attendance_choices(participants: list[CourseParticipant]) -> tuple[set[int], set[int], str | None]:
    """The participants the form showed and those ticked, checked against who may be marked."""
    known = {p.id for p in participants}
    try:
        shown = {int(value) for value in request.form.getlist("shown")}
        present = {int(value) for value in request.form.getlist("present")}
    except ValueError:
        return set(), set(), _("The form was not understood. Reload the page and mark attendance again.")
    if not present <= shown or not shown <= known:
        return set(), set(), _("The list of participants has changed. Reload the page and mark attendance again.")
    return shown, present, None


def _attendance_page(programme, course, session, participants, page, organisation_id, form, error=None,
                     status=200):
    names = community_names(sorted({p.tenant_id for p in participants}), organisation_id,
                            "courses.read_participants", course_id=course.id, session_id=session.id)
    users = {}
    if participants:
        # Through User.name: a person who deleted their account is "a former member" (the columns it reads).
        users = {user.id: user.name for user in db.session.scalars(
            select(User).options(load_only(User.display_name, User.handle, User.deleted_at))
            .where(User.id.in_({p.user_id for p in participants})))}
    marks = attendance_of(session, [e.tenant_id for e in page.rows])
    groups: dict[int, list] = {}
    for participant in participants:
        groups.setdefault(participant.tenant_id, []).append(
            (participant, users.get(participant.user_id, ""), marks.get((participant.tenant_id, participant.user_id)))
        )
    ordered = [(e.tenant_id, groups[e.tenant_id]) for e in page.rows if e.tenant_id in groups]
    return render_read("courses/attendance.html", status, programme=programme, course=course, session=session,
                       groups=ordered, names=names, form=form, error=error, page=page)
