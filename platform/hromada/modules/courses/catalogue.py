"""The course catalogue: the templates plugins offer for each stage type, and a template
copied into a stage as a course, its texts in the programme's first language.

`instantiate` adds the course and flushes, but does not commit: the operators' page
commits it with its audit entry (`operations.add_course_from_template`), and the demo
data (`hromada.demo.scale`) loads dozens of courses in one transaction.
"""

from __future__ import annotations

from typing import Iterable

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from hromada.extensions import db
from hromada.i18n import LANGUAGE_NAMES
from hromada.modules.courses.models import Course, CourseModule, Lesson
from hromada.modules.courses.util import next_course_position
from hromada.modules.programmes.models import Programme, Stage
from hromada.plugins import collect


class AlreadyInstantiated(Exception):
    """The template is already a course of this stage (`course_id`: that course, when known)."""

    def __init__(self, course_id: int | None):
        super().__init__(course_id)
        self.course_id = course_id


def templates_for(stage_type: str) -> list:
    """The course templates that plugins offer for a stage type, in the order they come."""
    return [
        template
        for template in collect(current_app.extensions["hromada.plugins"], "hromada_course_templates")
        if template.stage_type == stage_type
    ]


def programme_language(programme: Programme) -> str:
    """The programme's first language (colleagues add `Programme.languages`), else English."""
    languages = getattr(programme, "languages", None) or []
    return languages[0] if languages and languages[0] in LANGUAGE_NAMES else "en"


def distinct_titles(titles: Iterable[str]) -> list[str]:
    """Titles cut to 200 characters, a repeated one numbered: titles are unique within their parent."""
    seen: set[str] = set()
    result = []
    for title in titles:
        candidate, number = title[:200], 2
        while candidate in seen:
            candidate, number = f"{title[:190]} ({number})", number + 1
        seen.add(candidate)
        result.append(candidate)
    return result


def instantiate(template, programme: Programme, stage: Stage) -> Course:
    """Copy a template into `stage` as a course, its texts in the programme's first language.

    Raises `AlreadyInstantiated` when the stage has the course already (the
    unique key stage + template decides, so two submits at once make one course).
    """
    with force_locale(programme_language(programme)):
        title = str(template.title)[:200]
        existing = db.session.scalar(
            select(Course.id).where(Course.stage_id == stage.id,
                                    or_(Course.template_key == template.key, Course.title == title))
        )
        if existing is not None:
            raise AlreadyInstantiated(existing)
        course = Course(
            organisation_id=programme.organisation_id, programme_id=programme.id, stage_id=stage.id,
            template_key=template.key, title=title, description=str(template.description),
            position=next_course_position(stage.id),
        )
        module_titles = distinct_titles(str(module.title) for module in template.modules)
        for position, (module_template, module_title) in enumerate(zip(template.modules, module_titles)):
            module = CourseModule(title=module_title, position=position)
            lesson_titles = distinct_titles(str(lesson.title) for lesson in module_template.lessons)
            module.lessons = [
                Lesson(title=lesson_title, content=str(lesson.content), position=number)
                for number, (lesson, lesson_title) in enumerate(zip(module_template.lessons, lesson_titles))
            ]
            course.modules.append(module)
    db.session.add(course)
    try:
        db.session.flush()
    except IntegrityError:
        # The same template, instantiated at the same moment by another request.
        db.session.rollback()
        raise AlreadyInstantiated(None) from None
    return course
