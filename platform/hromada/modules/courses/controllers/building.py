"""Operators build a programme's courses: from the catalogue or by hand, with their modules,
lessons and sessions.

A form sent twice changes once: the second sending finds what the first saved and goes
to it, with a message (`operations.Unchanged`). An edit that would repeat a title or a
start time is shown on the form; one that meets another save at the same moment is a 409.
"""

from __future__ import annotations

from datetime import timezone

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from hromada.extensions import db
from hromada.modules.courses import catalogue, operations
from hromada.modules.courses.controllers.common import (
    course_or_404,
    course_url,
    lesson_or_404,
    module_or_404,
    render,
    session_or_404,
)
from hromada.modules.courses.display import local, stage_name
from hromada.modules.courses.forms import CourseForm, LessonForm, ModuleForm, SessionForm, TemplateForm
from hromada.modules.courses.markdown import render_markdown
from hromada.modules.courses.models import CompletionRule, CourseModule, SessionMode
from hromada.modules.courses.operations import Conflict, CourseFields, SessionFields, Unchanged
from hromada.modules.courses.util import stages_of
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.programmes.util import programme_or_404


def _to_what_stands(unchanged: Unchanged, organisation_id: int, programme_id: int):
    """A course form that changed nothing: say why, and show the course that stands (or the programme's courses)."""
    flash(unchanged.message, "info")
    if unchanged.course_id is None:
        return redirect(url_for("courses.programme_courses", organisation_id=organisation_id,
                                programme_id=programme_id))
    return redirect(url_for("courses.course", organisation_id=organisation_id, programme_id=programme_id,
                            course_id=unchanged.course_id))


def _refused_on_form(field, unchanged: Unchanged) -> None:
    """An edit that would repeat a title or a time: shown on the field; a save at the same moment is a 409."""
    if isinstance(unchanged, Conflict):
        abort(409)
    field.errors.append(unchanged.message)


# --- Courses -----------------------------------------------------------------------


def from_template(organisation_id: int, programme_id: int, stage_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    stage = db.session.scalar(select(Stage).where(Stage.id == stage_id, Stage.programme_id == programme.id))
    if stage is None:
        abort(404)
    templates = {t.key: t for t in catalogue.templates_for(stage.stage_type)}
    form = TemplateForm(prefix=f"stage-{stage.id}")
    form.template_key.choices = [SelectChoice(key, str(t.title)) for key, t in templates.items()]
    if not form.validate_on_submit():
        return render("courses/message.html", 400, programme=programme,
                      message=_("Choose a course of the catalogue for this stage."),
                      errors=[str(error) for errors in form.errors.values() for error in errors])
    try:
        course = operations.add_course_from_template(templates[form.template_key.data], programme, stage,
                                                     current_user)
    except Unchanged as unchanged:
        return _to_what_stands(unchanged, organisation_id, programme_id)
    flash(_("The course was added from the catalogue. Check its texts and add its sessions."), "info")
    return redirect(course_url(course))


def _fill_stage_choices(form: CourseForm, programme: Programme) -> list[Stage]:
    stages = stages_of(programme)
    form.stage_id.choices = [SelectChoice(stage.id, stage_name(stage)) for stage in stages]
    return stages


def _course_fields(form: CourseForm) -> CourseFields:
    return CourseFields(
        title=form.title.data.strip(), description=(form.description.data or "").strip(),
        stage_id=form.stage_id.data, required=bool(form.required.data),
        completion_rule=CompletionRule(form.completion_rule.data),
        completion_threshold=form.completion_threshold.data,
    )


def new_course(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    form = CourseForm()
    _fill_stage_choices(form, programme)
    if request.method == "GET":
        return render("courses/course_form.html", programme=programme, form=form, course=None)
    if not form.validate_on_submit():
        return render("courses/course_form.html", 400, programme=programme, form=form, course=None)
    try:
        course = operations.create_course(programme, _course_fields(form), current_user)
    except Unchanged as unchanged:
        return _to_what_stands(unchanged, organisation_id, programme_id)
    return redirect(course_url(course))


def edit_course(organisation_id: int, programme_id: int, course_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = course_or_404(organisation_id, programme_id, course_id)
    form = CourseForm(obj=course) if request.method == "GET" else CourseForm()
    if request.method == "GET":
        form.completion_rule.data = course.completion_rule.value
    _fill_stage_choices(form, programme)
    if request.method == "GET":
        return render("courses/course_form.html", programme=programme, form=form, course=course)
    if not form.validate_on_submit():
        return render("courses/course_form.html", 400, programme=programme, form=form, course=course)
    try:
        operations.change_course(course, _course_fields(form), current_user)
    except Unchanged as unchanged:
        _refused_on_form(form.title, unchanged)
        return render("courses/course_form.html", 400, programme=programme, form=form, course=course)
    flash(_("The course was saved."), "info")
    return redirect(course_url(course))


# --- Modules and lessons -----------------------------------------------------------


def new_module(organisation_id: int, programme_id: int, course_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = course_or_404(organisation_id, programme_id, course_id)
    form = ModuleForm()
    if request.method == "GET":
        return render("courses/module_form.html", programme=programme, course=course, form=form, module=None)
    if not form.validate_on_submit():
        return render("courses/module_form.html", 400, programme=programme, course=course, form=form, module=None)
    try:
        operations.add_module(course, form.title.data.strip(), current_user)
    except Unchanged as unchanged:
        flash(unchanged.message, "info")
    else:
        flash(_("The module was added."), "info")
    return redirect(course_url(course))


def edit_module(organisation_id: int, programme_id: int, course_id: int, course_module_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = course_or_404(organisation_id, programme_id, course_id)
    module = module_or_404(course, course_module_id)
    form = ModuleForm(obj=module) if request.method == "GET" else ModuleForm()
    context = dict(programme=programme, course=course, form=form, module=module)
    if request.method == "GET":
        return render("courses/module_form.html", **context)
    if not form.validate_on_submit():
        return render("courses/module_form.html", 400, **context)
    try:
        operations.rename_module(course, module, form.title.data.strip(), current_user)
    except Unchanged as unchanged:
        _refused_on_form(form.title, unchanged)
        return render("courses/module_form.html", 400, **context)
    flash(_("The module was saved."), "info")
    return redirect(course_url(course))


def new_lesson(organisation_id: int, programme_id: int, course_id: int, course_module_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = course_or_404(organisation_id, programme_id, course_id)
    module = module_or_404(course, course_module_id)
    form = LessonForm()
    context = dict(programme=programme, course=course, module=module, form=form, lesson=None, preview=None)
    if request.method == "GET":
        return render("courses/lesson_form.html", **context)
    if not form.validate_on_submit():
        return render("courses/lesson_form.html", 400, **context)
    try:
        operations.add_lesson(course, module, current_user, title=form.title.data.strip(),
                              content=form.content.data or "")
    except Unchanged as unchanged:
        flash(unchanged.message, "info")
    else:
        flash(_("The lesson was added."), "info")
    return redirect(course_url(course))


def edit_lesson(organisation_id: int, programme_id: int, course_id: int, lesson_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = course_or_404(organisation_id, programme_id, course_id)
    lesson = lesson_or_404(course, lesson_id)
    module = db.session.get(CourseModule, lesson.module_id)
    form = LessonForm(obj=lesson) if request.method == "GET" else LessonForm()
    context = dict(programme=programme, course=course, module=module, form=form, lesson=lesson,
                   preview=render_markdown(lesson.content))
    if request.method == "GET":
        return render("courses/lesson_form.html", **context)
    if not form.validate_on_submit():
        return render("courses/lesson_form.html", 400, **context)
    try:
        operations.change_lesson(course, lesson, current_user, title=form.title.data.strip(),
                                 content=form.content.data or "")
    except Unchanged as unchanged:
        _refused_on_form(form.title, unchanged)
        return render("courses/lesson_form.html", 400, **context)
    flash(_("The lesson was saved."), "info")
    return redirect(course_url(course, "courses.edit_lesson", lesson_id=lesson.id))


# --- Sessions ----------------------------------------------------------------------


def _session_fields(form: SessionForm) -> SessionFields:
    """The form's values; the wall-clock times entered, in the chosen zone, as UTC."""
    zone = form.zone()
    mode = SessionMode(form.mode.data)
    online = mode == SessionMode.ONLINE
    return SessionFields(
        starts_at=form.starts_at.data.replace(tzinfo=zone).astimezone(timezone.utc),
        ends_at=form.ends_at.data.replace(tzinfo=zone).astimezone(timezone.utc),
        timezone=form.timezone.data, mode=mode,
        link=(form.link.data or "").strip() if online else None,
        place=None if online else (form.place.data or "").strip(),
        capacity=form.capacity.data,
    )


def new_session(organisation_id: int, programme_id: int, course_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = course_or_404(organisation_id, programme_id, course_id)
    form = SessionForm()
    context = dict(programme=programme, course=course, form=form, session=None)
    if request.method == "GET":
        return render("courses/session_form.html", **context)
    if not form.validate_on_submit():
        return render("courses/session_form.html", 400, **context)
    try:
        operations.add_session(course, _session_fields(form), current_user)
    except Unchanged as unchanged:
        flash(unchanged.message, "info")
    else:
        flash(_("The session was added."), "info")
    return redirect(course_url(course))


def edit_session(organisation_id: int, programme_id: int, course_id: int, course_session_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    course = course_or_404(organisation_id, programme_id, course_id)
    session = session_or_404(course, course_session_id)
    if request.method == "GET":
        form = SessionForm(obj=session)
        form.starts_at.data = local(session.starts_at, session.timezone).replace(tzinfo=None)
        form.ends_at.data = local(session.ends_at, session.timezone).replace(tzinfo=None)
        form.mode.data = session.mode.value
        return render("courses/session_form.html", programme=programme, course=course, form=form, session=session)
    form = SessionForm()
    context = dict(programme=programme, course=course, form=form, session=session)
    if not form.validate_on_submit():
        return render("courses/session_form.html", 400, **context)
    try:
        operations.change_session(course, session, _session_fields(form), current_user)
    except Unchanged as unchanged:
        _refused_on_form(form.starts_at, unchanged)
        return render("courses/session_form.html", 400, **context)
    flash(_("The session was saved."), "info")
    return redirect(course_url(course))
