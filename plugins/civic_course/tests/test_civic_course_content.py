"""The civic course's content: its course template and consultation topics."""

from __future__ import annotations

import pytest

from hromada.testing import stage_plugin
from hromada_civic_course import catalogue, topics

KEY = "civic_course"
PACKAGE = "hromada_civic_course"
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


def test_the_course_template_is_registered_through_the_hook(plugin_app):
    (course,) = contributed(plugin_app, "hromada_course_templates")
    assert course.key == "civic_course.how_groups_change_states"
    assert str(course.title) == "How groups change states"
    assert course.delivery == "mixed"  # online lectures, offline meetings
    assert KEY in plugin_app.extensions["hromada.stage_types"]


def test_the_course_goes_from_the_forms_of_influence_to_a_change_map(plugin_app):
    (course,) = catalogue.COURSE_TEMPLATES
    assert [str(module.title) for module in course.modules] == [
        "Movements",
        "Parties",
        "NGOs",
        "Social business",
        "From a problem to a change map",
    ]
    assert all(module.lessons for module in course.modules)
    assert [str(lesson.title) for lesson in course.modules[-1].lessons] == [
        "Finding problems at the local level",
        "Looking for tools",
        "Policies at several levels",
        "The change map",
        "The action plan",
    ]


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_renders_as_markdown_without_raw_html(plugin_app, lesson):
    stage_plugin.assert_lesson_is_safe_markdown(lesson)


def test_the_consultation_topics_are_registered_and_keyed_uniquely(plugin_app):
    registered = {topic.key: topic for topic in contributed(plugin_app, "hromada_consultation_topics")}
    assert list(registered) == [
        "civic_course.registration_at_home",
        "civic_course.registration_abroad",
        "civic_course.electoral_campaigns",
        "civic_course.change_map",
    ]
    assert len({str(topic.title) for topic in registered.values()}) == 4
    assert not any(topic.notes_author_only for topic in registered.values())


def test_keys_and_titles_fit_what_courses_and_consultations_store(plugin_app):
    stage_plugin.assert_keys_and_titles_fit(catalogue.COURSE_TEMPLATES, topics.CONSULTATION_TOPICS)


def test_every_text_is_a_lazy_string_extracted_for_translation(plugin_app):
    stage_plugin.assert_texts_extracted(all_texts(), PACKAGE)
