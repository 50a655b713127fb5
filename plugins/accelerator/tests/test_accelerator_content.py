"""The accelerator's content: its course templates and consultation topics."""

from __future__ import annotations

import re
from html import unescape

import nh3
import pytest
from flask_babel.speaklater import LazyString
from markdown_it import MarkdownIt

from hromada import create_app, i18n_tools
from hromada.plugins import collect
from hromada_accelerator import catalogue, topics

KEY = "accelerator"
PACKAGE = "hromada_accelerator"
LESSONS = [
    pytest.param(lesson, id=f"{course.key}-{m}-{n}")
    for course in catalogue.COURSE_TEMPLATES
    for m, module in enumerate(course.modules, 1)
    for n, lesson in enumerate(module.lessons, 1)
]
# Markdown as CommonMark allows it (raw HTML included), to find any raw HTML in a lesson.
COMMONMARK = MarkdownIt("commonmark")
# What a page shows: CommonMark without raw HTML.
SAFE_MARKDOWN = MarkdownIt("commonmark", {"html": False})


@pytest.fixture
def plugin_app(monkeypatch, tmp_path):
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "HROMADA_PLUGINS": [KEY]})
    with app.test_request_context():
        yield app


def contributed(app, hook):
    return [item for item in collect(app.extensions["hromada.plugins"], hook) if item.stage_type == KEY]


def all_texts():
    """Every text of this plugin's content, each of which people read in their language."""
    for course in catalogue.COURSE_TEMPLATES:
        yield course.title
        yield course.description
        for module in course.modules:
            yield module.title
            for lesson in module.lessons:
                yield lesson.title
                yield lesson.content
    for topic in topics.CONSULTATION_TOPICS:
        yield topic.title


def test_the_course_templates_are_registered_through_the_hook(plugin_app):
    courses = {course.key: course for course in contributed(plugin_app, "hromada_course_templates")}
    assert list(courses) == ["accelerator.facilitators_school", "accelerator.politics_for_communities"]
    assert str(courses["accelerator.facilitators_school"].title) == "School of community-development facilitators"
    assert str(courses["accelerator.politics_for_communities"].title) == "Politics for communities"
    assert {course.delivery for course in courses.values()} <= {"online", "offline", "mixed"}
    assert KEY in plugin_app.extensions["hromada.stage_types"]


def test_the_courses_hold_the_modules_the_programme_describes(plugin_app):
    school, politics = catalogue.COURSE_TEMPLATES
    assert [str(module.title) for module in school.modules] == [
        "The facilitator's role",
        "Values, vision and mission",
        "Strategic goals and the operational plan",
        "Running a coordination meeting",
        "Roles in a community",
    ]
    assert [str(module.title) for module in politics.modules] == [
        "Human rights",
        "The state",
        "Civic activity",
        "Gender equality",
        "Political ideologies",
        "Forms of association",
        "Tools of influence",
    ]
    assert all(module.lessons for course in catalogue.COURSE_TEMPLATES for module in course.modules)
    roles = " ".join(str(lesson.content) for lesson in school.modules[-1].lessons)
    for role in ("ideologist", "communicator", "organiser", "mentor", "partner", "storyteller", "historian",
                 "hero", "celebrity", "provider", "greeter", "guide", "catalyst", "ambassador", "scout"):
        assert role in roles


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_renders_as_markdown_without_raw_html(plugin_app, lesson):
    content = str(lesson.content)
    assert str(lesson.title).strip()
    assert 150 <= len(content) <= 800, "a lesson is a few sentences or a short list"
    tokens = COMMONMARK.parse(content)
    inline = [child for token in tokens for child in token.children or ()]
    assert not [t for t in tokens + inline if t.type in ("html_block", "html_inline")]
    # No links or images: a lesson loads nothing from elsewhere and sends nobody away.
    assert not [t for t in inline if t.type in ("link_open", "image")]
    html = SAFE_MARKDOWN.render(content)
    assert re.match(r"<(p|ul|ol)>", html)
    # Nothing a sanitiser would remove (it only writes some characters as entities).
    assert unescape(nh3.clean(html)) == unescape(html)


def test_the_consultation_topics_are_registered_and_keyed_uniquely(plugin_app):
    registered = {topic.key: topic for topic in contributed(plugin_app, "hromada_consultation_topics")}
    assert list(registered) == ["accelerator.institutional_development", "accelerator.strategy"]
    assert len({str(topic.title) for topic in registered.values()}) == 2
    assert not any(topic.notes_author_only for topic in registered.values())


def test_keys_and_titles_fit_what_courses_and_consultations_store(plugin_app):
    # A course keeps its template's key and a consultation its topic's key in 100 characters,
    # and titles in 200: English titles stay well under, so translations fit too.
    for course in catalogue.COURSE_TEMPLATES:
        assert len(course.key) <= 100
        titles = [course.title, *(module.title for module in course.modules)]
        titles += [lesson.title for module in course.modules for lesson in module.lessons]
        assert all(len(str(title)) <= 120 for title in titles)
    for topic in topics.CONSULTATION_TOPICS:
        assert len(topic.key) <= 100 and len(str(topic.title)) <= 120


def test_every_text_is_a_lazy_string_extracted_for_translation(plugin_app):
    texts = list(all_texts())
    assert all(isinstance(text, LazyString) for text in texts)
    (project,) = [project for project in i18n_tools.find_projects() if project.name == PACKAGE]
    extracted = i18n_tools.extract(project)
    # English shows the msgid itself, so each text as shown must be a message of the catalog.
    missing = [str(text) for text in texts if str(text) not in extracted]
    assert not missing
