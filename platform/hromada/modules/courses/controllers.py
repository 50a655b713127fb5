"""Course pages: operators build courses and mark attendance; communities take them.

Operator pages live under `/organisations/<organisation_id>/programmes/<programme_id>/`:
`@requires(..., organisation=...)` checks the person and sets the organisation's
context, and every object is loaded with its organisation and programme in the
query, so an id of another organisation's object is a 404.

Community pages live under `/communities/<community_id>/courses`: `@requires`
enters the community's tenant (members) or lets staff read it (audited), and a
course is found only through the community's own enrolment.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from hromada import authz, tenancy
from hromada.clock import as_utc, now
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.modules.audit.log import record
from hromada.modules.communities.models import Community
from hromada.modules.courses import services
from hromada.modules.courses.completion import community_completion, completion_share, course_facts, sessions_needed
from hromada.modules.courses.display import local, session_time, stage_name
from hromada.modules.courses.forms import (
    CourseForm,
    EmptyForm,
    LessonForm,
    ModuleForm,
    SessionForm,
    TemplateForm,
)
from hromada.modules.courses.markdown import render_markdown
from hromada.modules.courses.models import (
    CompletionRule,
    Course,
    CourseModule,
    CourseParticipant,
    CourseSession,
    Lesson,
    LessonCompletion,
    SessionAttendance,
    SessionMode,
)
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.programmes.util import programme_or_404

HELPERS = {"session_time": session_time, "stage_name": stage_name}


def _render(template: str, status: int = 200, **context):
    return render_template(template, **HELPERS, **context), status


def _render_read(template: str, status: int = 200, **context):
    """Render a page that read communities' data, then commit the audit entry of that read."""
    page = _render(template, status, **context)
    db.session.commit()
    return page


# --- Loading organisation data, always through the organisation ------------------

def _course(organisation_id: int, programme_id: int, course_id: int) -> Course:
    course = db.session.scalar(
        select(Course).where(Course.id == course_id, Course.organisation_id == organisation_id,
                             Course.programme_id == programme_id)
    )
    if course is None:
        abort(404)
    return course


def _module(course: Course, module_id: int) -> CourseModule:
    module = db.session.scalar(
        select(CourseModule).where(CourseModule.id == module_id, CourseModule.course_id == course.id)
    )
    if module is None:
        abort(404)
    return module


def _lesson(course: Course, lesson_id: int) -> Lesson:
    lesson = db.session.scalar(
        select(Lesson).join(CourseModule, CourseModule.id == Lesson.module_id)
        .where(Lesson.id == lesson_id, CourseModule.course_id == course.id)
    )
    if lesson is None:
        abort(404)
    return lesson


def _session(course: Course, session_id: int) -> CourseSession:
    session = db.session.scalar(
        select(CourseSession).where(CourseSession.id == session_id, CourseSession.course_id == course.id)
    )
    if session is None:
        abort(404)
    return session


def _stages(programme: Programme) -> list[Stage]:
    return db.session.scalars(
        select(Stage).where(Stage.programme_id == programme.id).order_by(Stage.position)
    ).all()


def _course_url(course: Course, endpoint: str = "courses.course", **values) -> str:
    return url_for(endpoint, organisation_id=course.organisation_id, programme_id=course.programme_id,
                   course_id=course.id, **values)


# --- Operators: the courses of a programme ------------------------------------------


def organisation_courses(organisation_id: int):
    programmes = db.session.scalars(
        select(Programme).where(Programme.organisation_id == organisation_id).order_by(Programme.title)
    ).all()
    counts = dict(db.session.execute(
        select(Course.programme_id, func.count()).where(Course.organisation_id == organisation_id)
        .group_by(Course.programme_id)
    ).all())
    return _render("courses/organisation.html", organisation_id=organisation_id, programmes=programmes,
                   counts=counts)


def programme_courses(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    stages = _stages(programme)
    courses = db.session.scalars(
        select(Course).where(Course.programme_id == programme.id, Course.organisation_id == organisation_id)
        .order_by(Course.position, Course.id)
    ).all()
    by_stage = {stage.id: [] for stage in stages}
    for course in courses:
        by_stage.setdefault(course.stage_id, []).append(course)
    facts = course_facts(course.id for course in courses)
    can_manage = authz.can("courses.manage", organisation_id)
    template_forms = {}
    if can_manage:
        for stage in stages:
            taken = {course.template_key for course in by_stage.get(stage.id, [])}
            choices = [SelectChoice(t.key, str(t.title)) for t in services.templates_for(stage.stage_type)
                       if t.key not in taken]
            if choices and stage.closed_at is None:
                form = TemplateForm(formdata=None, prefix=f"stage-{stage.id}")
                form.template_key.choices = choices
                template_forms[stage.id] = form
    return _render("courses/programme.html", programme=programme, stages=stages, by_stage=by_stage, facts=facts,
                   can_manage=can_manage, template_forms=template_forms)


def from_template(organisation_id: int, programme_id: int, stage_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    stage = db.session.scalar(select(Stage).where(Stage.id == stage_id, Stage.programme_id == programme.id))
    if stage is None:
        abort(404)
    templates = {t.key: t for t in services.templates_for(stage.stage_type)}
    form = TemplateForm(prefix=f"stage-{stage.id}")
    form.template_key.choices = [SelectChoice(key, str(t.title)) for key, t in templates.items()]
    if not form.validate_on_submit():
        return _render("courses/message.html", 400, programme=programme,
                       message=_("Choose a course of the catalogue for this stage."),
                       errors=[str(error) for errors in form.errors.values() for error in errors])
    try:
        course = services.instantiate(templates[form.template_key.data], programme, stage)
    except services.AlreadyInstantiated as already:
        flash(_("This course is in the stage already."), "info")
        if already.course_id is None:
            return redirect(url_for("courses.programme_courses", organisation_id=organisation_id,
                                    programme_id=programme.id))
        return redirect(url_for("courses.course", organisation_id=organisation_id, programme_id=programme.id,
                                course_id=already.course_id))
    record("courses.course_from_template", organisation_id=organisation_id, programme_id=programme.id,
           stage_id=stage.id, course_id=course.id, template=course.template_key)
    db.session.commit()
    flash(_("The course was added from the catalogue. Check its texts and add its sessions."), "info")
    return redirect(_course_url(course))


def _fill_stage_choices(form: CourseForm, programme: Programme) -> list[Stage]:
    stages = _stages(programme)
    form.stage_id.choices = [SelectChoice(stage.id, stage_name(stage)) for stage in stages]
    return stages


def _save_course(form: CourseForm, course: Course) -> None:
    course.title = form.title.data.strip()
    course.description = (form.description.data or "").strip()
    course.stage_id = form.stage_id.data
    course.required = bool(form.required.data)
    course.completion_rule = CompletionRule(form.completion_rule.data)
    course.completion_threshold = form.completion_threshold.data


def _title_taken(model, parent_column, parent_id: int, title: str, exclude_id: int | None = None) -> int | None:
    query = select(model.id).where(parent_column == parent_id, model.title == title)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query)


def new_course(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    form = CourseForm()
    _fill_stage_choices(form, programme)
    if request.method == "GET":
        return _render("courses/course_form.html", programme=programme, form=form, course=None)
    if not form.validate_on_submit():
        return _render("courses/course_form.html", 400, programme=programme, form=form, course=None)
    existing = _title_taken(Course, Course.stage_id, form.stage_id.data, form.title.data.strip())
    if existing is not None:
        # A second submit of the same form (or the same title again): show the course there is.
        flash(_("A course with this title is in the stage already."), "info")
        return redirect(url_for("courses.course", organisation_id=organisation_id, programme_id=programme.id,
                                course_id=existing))
    course = Course(organisation_id=organisation_id, programme_id=programme.id)
    _save_course(form, course)
    course.position = services.next_position(course.stage_id)
    db.session.add(course)
    if not _flush_or_rollback():
        flash(_("A course with this title is in the stage already."), "info")
        return redirect(url_for("courses.programme_courses", organisation_id=organisation_id,
                                programme_id=programme.id))
    record("courses.course_created", organisation_id=organisation_id, programme_id=programme.id, course_id=course.id)
    db.session.commit()
    return redirect(_course_url(course))


def _flush_or_rollback() -> bool:
    """Flush; on a unique-key conflict (the same thing saved at the same moment), undo and say so."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def edit_course(organisation_id: int, programme_id: int, course_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = _course(organisation_id, programme_id, course_id)
    form = CourseForm(obj=course) if request.method == "GET" else CourseForm()
    if request.method == "GET":
        form.completion_rule.data = course.completion_rule.value
    _fill_stage_choices(form, programme)
    if request.method == "GET":
        return _render("courses/course_form.html", programme=programme, form=form, course=course)
    if not form.validate_on_submit():
        return _render("courses/course_form.html", 400, programme=programme, form=form, course=course)
    if _title_taken(Course, Course.stage_id, form.stage_id.data, form.title.data.strip(), exclude_id=course.id):
        form.title.errors.append(_("Another course of this stage has this title."))
        return _render("courses/course_form.html", 400, programme=programme, form=form, course=course)
    _save_course(form, course)
    if not _flush_or_rollback():
        abort(409)
    record("courses.course_changed", organisation_id=organisation_id, programme_id=programme.id, course_id=course.id)
    db.session.commit()
    flash(_("The course was saved."), "info")
    return redirect(_course_url(course))


def course(organisation_id: int, programme_id: int, course_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = db.session.scalar(
        select(Course)
        .options(selectinload(Course.modules).selectinload(CourseModule.lessons), selectinload(Course.sessions))
        .where(Course.id == course_id, Course.organisation_id == organisation_id, Course.programme_id == programme_id)
    )
    if course is None:
        abort(404)
    stage = db.session.get(Stage, course.stage_id)
    enrolments = services.staff_enrolments(programme, authz.principal().staff_reach())
    completion = community_completion([course], enrolments, [stage]) if enrolments else {}
    names = _community_names([e.tenant_id for e in enrolments], organisation_id, "courses.read_completion",
                             course_id=course.id)
    rows = [
        (names.get(e.tenant_id, ""), completion.get((e.tenant_id, course.id)))
        for e in enrolments
    ]
    rows.sort(key=lambda row: row[0])
    share = completion_share(stage)
    needed = sessions_needed(share, len(course.sessions)) if course.sessions else None
    return _render_read(
        "courses/course.html", programme=programme, course=course, stage=stage, rows=rows, share=share,
        needed=needed, can_manage=authz.can("courses.manage", organisation_id),
    )


def _community_names(tenant_ids: list[int], organisation_id: int, action: str, **details) -> dict[int, str]:
    """Names of communities this staff member reaches, read as the organisation: audited.

    The audit entry is committed by `_render_read` once the page is rendered: a
    commit here would expire every loaded object, and reloading them one by one
    would cost a query per community.
    """
    if not tenant_ids:
        return {}
    tenancy.allow_reading(set(tenancy.current().reader_tenants) | set(tenant_ids))
    record(action, organisation_id=organisation_id, communities=sorted(tenant_ids), **details)
    return dict(db.session.execute(select(Community.id, Community.name).where(Community.id.in_(tenant_ids))).all())


# --- Operators: modules, lessons, sessions ---------------------------------------------


def new_module(organisation_id: int, programme_id: int, course_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = _course(organisation_id, programme_id, course_id)
    form = ModuleForm()
    if request.method == "GET":
        return _render("courses/module_form.html", programme=programme, course=course, form=form, module=None)
    if not form.validate_on_submit():
        return _render("courses/module_form.html", 400, programme=programme, course=course, form=form, module=None)
    title = form.title.data.strip()
    if _title_taken(CourseModule, CourseModule.course_id, course.id, title) is None:
        last = db.session.scalar(select(func.max(CourseModule.position)).where(CourseModule.course_id == course.id))
        db.session.add(CourseModule(course_id=course.id, title=title, position=0 if last is None else last + 1))
        if _flush_or_rollback():
            record("courses.content_changed", organisation_id=organisation_id, course_id=course.id)
            db.session.commit()
            flash(_("The module was added."), "info")
            return redirect(_course_url(course))
    flash(_("The course has a module with this title already."), "info")
    return redirect(_course_url(course))


def edit_module(organisation_id: int, programme_id: int, course_id: int, course_module_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = _course(organisation_id, programme_id, course_id)
    module = _module(course, course_module_id)
    form = ModuleForm(obj=module) if request.method == "GET" else ModuleForm()
    if request.method == "GET":
        return _render("courses/module_form.html", programme=programme, course=course, form=form, module=module)
    if not form.validate_on_submit():
        return _render("courses/module_form.html", 400, programme=programme, course=course, form=form, module=module)
    title = form.title.data.strip()
    if _title_taken(CourseModule, CourseModule.course_id, course.id, title, exclude_id=module.id):
        form.title.errors.append(_("Another module of this course has this title."))
        return _render("courses/module_form.html", 400, programme=programme, course=course, form=form, module=module)
    module.title = title
    if not _flush_or_rollback():
        abort(409)
    record("courses.content_changed", organisation_id=organisation_id, course_id=course.id)
    db.session.commit()
    flash(_("The module was saved."), "info")
    return redirect(_course_url(course))


def new_lesson(organisation_id: int, programme_id: int, course_id: int, course_module_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = _course(organisation_id, programme_id, course_id)
    module = _module(course, course_module_id)
    form = LessonForm()
    context = dict(programme=programme, course=course, module=module, form=form, lesson=None, preview=None)
    if request.method == "GET":
        return _render("courses/lesson_form.html", **context)
    if not form.validate_on_submit():
        return _render("courses/lesson_form.html", 400, **context)
    title = form.title.data.strip()
    existing = _title_taken(Lesson, Lesson.module_id, module.id, title)
    if existing is None:
        last = db.session.scalar(select(func.max(Lesson.position)).where(Lesson.module_id == module.id))
        lesson = Lesson(module_id=module.id, title=title, content=form.content.data or "",
                        position=0 if last is None else last + 1)
        db.session.add(lesson)
        if _flush_or_rollback():
            record("courses.content_changed", organisation_id=organisation_id, course_id=course.id)
            db.session.commit()
            flash(_("The lesson was added."), "info")
            return redirect(_course_url(course))
    flash(_("The module has a lesson with this title already."), "info")
    return redirect(_course_url(course))


def edit_lesson(organisation_id: int, programme_id: int, course_id: int, lesson_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = _course(organisation_id, programme_id, course_id)
    lesson = _lesson(course, lesson_id)
    module = db.session.get(CourseModule, lesson.module_id)
    form = LessonForm(obj=lesson) if request.method == "GET" else LessonForm()
    context = dict(programme=programme, course=course, module=module, form=form, lesson=lesson,
                   preview=render_markdown(lesson.content))
    if request.method == "GET":
        return _render("courses/lesson_form.html", **context)
    if not form.validate_on_submit():
        return _render("courses/lesson_form.html", 400, **context)
    title = form.title.data.strip()
    if _title_taken(Lesson, Lesson.module_id, module.id, title, exclude_id=lesson.id):
        form.title.errors.append(_("Another lesson of this module has this title."))
        return _render("courses/lesson_form.html", 400, **context)
    lesson.title, lesson.content = title, form.content.data or ""
    if not _flush_or_rollback():
        abort(409)
    record("courses.content_changed", organisation_id=organisation_id, course_id=course.id)
    db.session.commit()
    flash(_("The lesson was saved."), "info")
    return redirect(_course_url(course, "courses.edit_lesson", lesson_id=lesson.id))


def _session_times(form: SessionForm) -> tuple[datetime, datetime]:
    """The wall-clock times entered, in the chosen zone, as UTC (SQLite keeps no offset)."""
    zone = form.zone()
    return (form.starts_at.data.replace(tzinfo=zone).astimezone(timezone.utc),
            form.ends_at.data.replace(tzinfo=zone).astimezone(timezone.utc))


def _save_session(form: SessionForm, session: CourseSession) -> None:
    session.starts_at, session.ends_at = _session_times(form)
    session.timezone = form.timezone.data
    session.mode = SessionMode(form.mode.data)
    online = session.mode == SessionMode.ONLINE
    session.link = (form.link.data or "").strip() if online else None
    session.place = None if online else (form.place.data or "").strip()
    session.capacity = form.capacity.data


def _starts_taken(course: Course, starts_at: datetime, exclude_id: int | None = None) -> int | None:
    query = select(CourseSession.id).where(CourseSession.course_id == course.id, CourseSession.starts_at == starts_at)
    if exclude_id is not None:
        query = query.where(CourseSession.id != exclude_id)
    return db.session.scalar(query)


def new_session(organisation_id: int, programme_id: int, course_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = _course(organisation_id, programme_id, course_id)
    form = SessionForm()
    context = dict(programme=programme, course=course, form=form, session=None)
    if request.method == "GET":
        return _render("courses/session_form.html", **context)
    if not form.validate_on_submit():
        return _render("courses/session_form.html", 400, **context)
    starts_at, _ends_at = _session_times(form)
    if _starts_taken(course, starts_at) is None:
        session = CourseSession(course_id=course.id)
        _save_session(form, session)
        db.session.add(session)
        if _flush_or_rollback():
            record("courses.session_saved", organisation_id=organisation_id, course_id=course.id,
                   session_id=session.id)
            db.session.commit()
            flash(_("The session was added."), "info")
            return redirect(_course_url(course))
    flash(_("The course has a session at this time already."), "info")
    return redirect(_course_url(course))


def edit_session(organisation_id: int, programme_id: int, course_id: int, course_session_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = _course(organisation_id, programme_id, course_id)
    session = _session(course, course_session_id)
    if request.method == "GET":
        form = SessionForm(obj=session)
        form.starts_at.data = local(session.starts_at, session.timezone).replace(tzinfo=None)
        form.ends_at.data = local(session.ends_at, session.timezone).replace(tzinfo=None)
        form.mode.data = session.mode.value
        return _render("courses/session_form.html", programme=programme, course=course, form=form, session=session)
    form = SessionForm()
    context = dict(programme=programme, course=course, form=form, session=session)
    if not form.validate_on_submit():
        return _render("courses/session_form.html", 400, **context)
    if _starts_taken(course, _session_times(form)[0], exclude_id=session.id):
        form.starts_at.errors.append(_("The course has another session at this time."))
        return _render("courses/session_form.html", 400, **context)
    _save_session(form, session)
    if not _flush_or_rollback():
        abort(409)
    record("courses.session_saved", organisation_id=organisation_id, course_id=course.id, session_id=session.id)
    db.session.commit()
    flash(_("The session was saved."), "info")
    return redirect(_course_url(course))


# --- Operators and facilitators: attendance ----------------------------------------------


def attendance(organisation_id: int, programme_id: int, course_id: int, course_session_id: int):
    """One form, a checkbox per participant of every community this person reaches in the programme."""
    programme = programme_or_404(organisation_id, programme_id)
    course = _course(organisation_id, programme_id, course_id)
    session = _session(course, course_session_id)
    enrolments = services.staff_enrolments(programme, authz.principal().staff_reach())
    tenant_ids = [e.tenant_id for e in enrolments]
    participants = services.participants_of(course, tenant_ids)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        shown, present, problem = _attendance_choices(participants)
        if problem:
            return _attendance_page(programme, course, session, participants, tenant_ids, organisation_id,
                                    form, error=problem, status=400)
        marked = [p for p in participants if p.id in shown]
        present_by_community = services.mark_attendance(session, marked, present, current_user.id)
        record("courses.attendance_marked", organisation_id=organisation_id, course_id=course.id,
               session_id=session.id, marked=len(marked), present=sum(present_by_community.values()))
        db.session.commit()
        flash(_("Attendance was saved."), "info")
        return redirect(_course_url(course, "courses.attendance", course_session_id=session.id))
    return _attendance_page(programme, course, session, participants, tenant_ids, organisation_id, form)


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


def _attendance_page(programme, course, session, participants, tenant_ids, organisation_id, form, error=None,
                     status=200):
    names = _community_names(sorted({p.tenant_id for p in participants}), organisation_id,
                             "courses.read_participants", course_id=course.id, session_id=session.id)
    users = {}
    if participants:
        users = dict(db.session.execute(
            select(User.id, func.coalesce(func.nullif(User.display_name, ""), User.handle))
            .where(User.id.in_({p.user_id for p in participants}))
        ).all())
    marks = services.attendance_of(session)
    groups: dict[int, list] = {}
    for participant in participants:
        groups.setdefault(participant.tenant_id, []).append(
            (participant, users.get(participant.user_id, ""), marks.get((participant.tenant_id, participant.user_id)))
        )
    ordered = sorted(groups.items(), key=lambda item: names.get(item[0], ""))
    return _render_read("courses/attendance.html", status, programme=programme, course=course, session=session,
                   groups=ordered, names=names, form=form, error=error, communities=len(tenant_ids))


# --- Communities --------------------------------------------------------------------------


def community_courses(community_id: int):
    community = db.get_or_404(Community, community_id)
    enrolments = services.community_enrolments(community.id)
    courses = services.current_courses(enrolments)
    stages = [e.current_stage for e in enrolments if e.current_stage is not None]
    completion = community_completion(courses, enrolments, stages) if courses else {}
    mine = _my_progress(community.id, courses)
    upcoming = services.upcoming_sessions(course.id for course in courses)
    return _render(
        "courses/community_courses.html", community=community, enrolments=enrolments, courses=courses,
        completion=completion, mine=mine, upcoming=upcoming,
        can_participate=authz.can("courses.participate", community.id), form=EmptyForm(),
    )


def _my_progress(tenant_id: int, courses: list[Course]) -> dict[int, dict]:
    """The signed-in member's own standing in each course: joined, sessions attended, lessons done."""
    ids = [course.id for course in courses]
    result = {course_id: {"joined": False, "attended": 0, "done": set()} for course_id in ids}
    if not ids or tenant_id not in authz.principal().memberships:
        return result
    user_id = current_user.id
    for (course_id,) in db.session.execute(
        select(CourseParticipant.course_id).where(CourseParticipant.tenant_id == tenant_id,
                                                 CourseParticipant.user_id == user_id,
                                                 CourseParticipant.course_id.in_(ids))
    ):
        result[course_id]["joined"] = True
    for course_id, count in db.session.execute(
        select(CourseSession.course_id, func.count())
        .join(SessionAttendance, SessionAttendance.session_id == CourseSession.id)
        .where(SessionAttendance.tenant_id == tenant_id, SessionAttendance.user_id == user_id,
               SessionAttendance.attended.is_(True), CourseSession.course_id.in_(ids))
        .group_by(CourseSession.course_id)
    ):
        result[course_id]["attended"] = count
    for course_id, lesson_id in db.session.execute(
        select(CourseModule.course_id, LessonCompletion.lesson_id)
        .join(Lesson, Lesson.id == LessonCompletion.lesson_id)
        .join(CourseModule, CourseModule.id == Lesson.module_id)
        .where(LessonCompletion.tenant_id == tenant_id, LessonCompletion.user_id == user_id,
               CourseModule.course_id.in_(ids))
    ):
        result[course_id]["done"].add(lesson_id)
    return result


def _reachable(community_id: int, course_id: int):
    found = services.reachable_course(community_id, course_id)
    if found is None:
        abort(404)
    return found


def community_course(community_id: int, course_id: int):
    community = db.get_or_404(Community, community_id)
    course, enrolment = _reachable(community.id, course_id)
    modules = db.session.scalars(
        select(CourseModule).options(selectinload(CourseModule.lessons))
        .where(CourseModule.course_id == course.id).order_by(CourseModule.position, CourseModule.id)
    ).all()
    stage = db.session.get(Stage, course.stage_id)
    completion = community_completion([course], [enrolment], [stage]).get((community.id, course.id))
    mine = _my_progress(community.id, [course])[course.id]
    sessions = db.session.scalars(
        select(CourseSession).where(CourseSession.course_id == course.id).order_by(CourseSession.starts_at)
    ).all()
    share = completion_share(stage)
    moment = now()
    return _render(
        "courses/community_course.html", community=community, course=course, stage=stage, modules=modules,
        completion=completion, mine=mine, sessions=[(s, as_utc(s.ends_at) < moment) for s in sessions],
        needed=sessions_needed(share, len(sessions)) if sessions else None,
        current=services.is_current(course, enrolment),
        can_participate=authz.can("courses.participate", community.id), form=EmptyForm(),
    )


def join_course(community_id: int, course_id: int):
    course, enrolment = _reachable(community_id, course_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    if not services.is_current(course, enrolment):
        flash(_("This course belongs to an earlier stage; it can no longer be joined."), "error")
    elif services.join(course, current_user.id):
        db.session.commit()
        flash(_("You joined the course."), "info")
    else:
        flash(_("You are a participant of this course already."), "info")
    return redirect(url_for("courses.community_course", community_id=community_id, course_id=course.id))


def lesson(community_id: int, course_id: int, lesson_id: int):
    community = db.get_or_404(Community, community_id)
    course, enrolment = _reachable(community.id, course_id)
    lesson = _lesson(course, lesson_id)
    module = db.session.get(CourseModule, lesson.module_id)
    done = False
    if community.id in authz.principal().memberships:
        done = db.session.scalar(
            select(LessonCompletion.id).where(LessonCompletion.tenant_id == community.id,
                                              LessonCompletion.lesson_id == lesson.id,
                                              LessonCompletion.user_id == current_user.id)
        ) is not None
    return _render(
        "courses/lesson.html", community=community, course=course, module=module, lesson=lesson,
        content=render_markdown(lesson.content), done=done, current=services.is_current(course, enrolment),
        can_participate=authz.can("courses.participate", community.id), form=EmptyForm(),
    )


def lesson_done(community_id: int, course_id: int, lesson_id: int):
    course, enrolment = _reachable(community_id, course_id)
    lesson = _lesson(course, lesson_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    if not services.is_current(course, enrolment):
        flash(_("This course belongs to an earlier stage; its lessons can no longer be marked."), "error")
    else:
        services.mark_lesson_done(course, lesson, current_user.id)
        db.session.commit()
        flash(_("Lesson marked as done."), "info")
    return redirect(url_for("courses.lesson", community_id=community_id, course_id=course.id, lesson_id=lesson.id))
