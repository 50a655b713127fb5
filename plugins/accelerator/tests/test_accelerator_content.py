"""The accelerator's content: its course templates and consultation topics."""

from __future__ import annotations

import pytest

from hromada.testing import stage_plugin
from hromada_accelerator import catalogue, topics

KEY = "accelerator"
PACKAGE = "hromada_accelerator"
LESSONS = stage_plugin.lesson_params(catalogue.COURSE_TEMPLATES)


@pytest.fixture
def plugin_app(monkeypatch, tmp_path):
    app = stage_plugin.plugin_app(monkeypatch, tmp_path, KEY)
    with app.test_request_context():
        yield app


def contributed(app, hook):
    return stage_plugin.contributed(app, hook, KEY)


def all_texts():
    return stage_plugin.content_texts(catalogue.COURSE_TEMPLATES, topics.CONSULTATION_TOPICS)


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
    stage_plugin.assert_lesson_is_safe_markdown(lesson)


def test_the_consultation_topics_are_registered_and_keyed_uniquely(plugin_app):
    registered = {topic.key: topic for topic in contributed(plugin_app, "hromada_consultation_topics")}
    assert list(registered) == ["accelerator.institutional_development", "accelerator.strategy"]
    assert len({str(topic.title) for topic in registered.values()}) == 2
    assert not any(topic.notes_author_only for topic in registered.values())


def test_keys_and_titles_fit_what_courses_and_consultations_store(plugin_app):
    stage_plugin.assert_keys_and_titles_fit(catalogue.COURSE_TEMPLATES, topics.CONSULTATION_TOPICS)


def test_every_text_is_a_lazy_string_extracted_for_translation(plugin_app):
    stage_plugin.assert_texts_extracted(all_texts(), PACKAGE)
