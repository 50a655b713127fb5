"""An organisation's course pages for operators and facilitators: its programmes' courses, by
stage, with the catalogue's courses still to add, and one course with how far each community
they reach has come."""

from __future__ import annotations

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from hromada import authz
from hromada.extensions import db
from hromada.modules.courses.catalogue import templates_for
from hromada.modules.courses.completion import community_completion, completion_share, course_facts, sessions_needed
from hromada.modules.courses.controllers.common import community_names, render, render_read
from hromada.modules.courses.forms import TemplateForm
from hromada.modules.courses.models import Course, CourseModule
from hromada.modules.courses.util import reached_communities_page, stages_of
from hromada.modules.programmes.models import Programme, Stage
from hromada.modules.programmes.util import programme_or_404
from hromada.paging import requested_number


def organisation_courses(organisation_id: int):
    programmes = db.session.scalars(
        select(Programme).where(Programme.organisation_id == organisation_id).order_by(Programme.title)
    ).all()
    counts = dict(db.session.execute(
        select(Course.programme_id, func.count()).where(Course.organisation_id == organisation_id)
        .group_by(Course.programme_id)
    ).all())
    return render("courses/organisation.html", organisation_id=organisation_id, programmes=programmes,
                  counts=counts)


def programme_courses(organisation_id: int, programme_id: int):
    programme = programme_or_404(organisation_id, programme_id)
    stages = stages_of(programme)
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
            choices = [SelectChoice(t.key, str(t.title)) for t in templates_for(stage.stage_type)
                       if t.key not in taken]
            if choices and stage.closed_at is None:
                form = TemplateForm(formdata=None, prefix=f"stage-{stage.id}")
                form.template_key.choices = choices
                template_forms[stage.id] = form
    return render("courses/programme.html", programme=programme, stages=stages, by_stage=by_stage, facts=facts,
                  can_manage=can_manage, template_forms=template_forms)


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
    page = reached_communities_page(programme, authz.principal(), requested_number())
    enrolments = page.rows
    completion = community_completion([course], enrolments, [stage]) if enrolments else {}
    names = community_names([e.tenant_id for e in enrolments], organisation_id, "courses.read_completion",
                            course_id=course.id)
    rows = [(names.get(e.tenant_id, ""), completion.get((e.tenant_id, course.id))) for e in enrolments]
    share = completion_share(stage)
    needed = sessions_needed(share, len(course.sessions)) if course.sessions else None
    return render_read(
        "courses/course.html", programme=programme, course=course, stage=stage, rows=rows, page=page,
        share=share, needed=needed, can_manage=authz.can("courses.manage", organisation_id),
    )
