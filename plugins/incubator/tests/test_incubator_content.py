"""The incubator's content: its course templates, consultation topics and security-audit checklist."""

from __future__ import annotations

import re

import pytest

from hromada.testing import stage_plugin
from hromada_incubator import audit_checklist, catalogue, topics

KEY = "incubator"
PACKAGE = "hromada_incubator"
LESSONS = stage_plugin.lesson_params(catalogue.COURSE_TEMPLATES)


@pytest.fixture
def plugin_app(monkeypatch, tmp_path):
    app = stage_plugin.plugin_app(monkeypatch, tmp_path, KEY)
    with app.test_request_context():
        yield app


def contributed(app, hook):
    return stage_plugin.contributed(app, hook, KEY)


def all_texts():
    """Every text of this plugin's content, each of which people read in their language."""
    yield from stage_plugin.content_texts(catalogue.COURSE_TEMPLATES, topics.CONSULTATION_TOPICS)
    for item in audit_checklist.CHECKLIST:
        yield item.title
        yield item.question
    yield from audit_checklist.RISK_LEVEL_LABELS.values()


def test_the_course_templates_are_registered_through_the_hook(plugin_app):
    courses = {course.key: course for course in contributed(plugin_app, "hromada_course_templates")}
    assert list(courses) == ["incubator.soft_skills", "incubator.pro_community"]
    assert str(courses["incubator.soft_skills"].title) == "Soft skills and emotional resilience"
    assert courses["incubator.soft_skills"].delivery == "online"
    assert str(courses["incubator.pro_community"].title) == "PRO community"
    assert courses["incubator.pro_community"].delivery == "mixed"  # online and offline
    assert KEY in plugin_app.extensions["hromada.stage_types"]


def test_the_courses_hold_the_modules_the_programme_describes(plugin_app):
    soft_skills, pro_community = catalogue.COURSE_TEMPLATES
    assert [str(module.title) for module in soft_skills.modules] == [
        "Communication",
        "Emotional intelligence",
        "Self-awareness",
        "Responsible leadership",
        "Relationship management",
    ]
    assert [len(module.lessons) for module in soft_skills.modules] == [2] * 5
    assert [str(module.title) for module in pro_community.modules] == [
        "What a community is",
        "Sense of community",
        "Culture",
        "Organising",
        "Reviving or creating a community",
    ]
    assert all(module.lessons for module in pro_community.modules)
    # The seeds' key ideas are there, not only the headings.
    text = " ".join(str(lesson.content) for module in pro_community.modules for lesson in module.lessons)
    for idea in ("McMillan and Chavis", "from 1 to 10", "values, then principles, then rules",
                 "never to replace them", "**of self**", "**of us**", "**of now**", "It's mine, I'm in charge"):
        assert idea in text


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lesson_renders_as_markdown_without_raw_html(plugin_app, lesson):
    stage_plugin.assert_lesson_is_safe_markdown(lesson)


def test_the_consultation_topics_are_registered_and_keyed_uniquely(plugin_app):
    registered = {topic.key: topic for topic in contributed(plugin_app, "hromada_consultation_topics")}
    assert list(registered) == ["incubator.psychological_support", "incubator.security"]
    assert len({str(topic.title) for topic in registered.values()}) == 2
    # Psychological-support notes stay with their author, whoever asks; security notes do not need to.
    assert registered["incubator.psychological_support"].notes_author_only is True
    assert registered["incubator.security"].notes_author_only is False


def test_the_security_audit_checklist_covers_every_point_once(plugin_app):
    keys = [item.key for item in audit_checklist.CHECKLIST]
    assert keys == ["two_factor", "devices", "messengers", "vetting", "personal_data", "backup_and_erase", "meetings"]
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[a-z][a-z_]{1,39}", key) for key in keys)
    for item in audit_checklist.CHECKLIST:
        assert str(item.title).strip()
        assert str(item.question).endswith("?")
    titles = " ".join(str(item.title).lower() for item in audit_checklist.CHECKLIST)
    for subject in ("two-factor", "encryption", "disappearing messages", "new members",
                    "personal data", "emergency-erase", "meeting"):
        assert subject in titles


def test_the_risk_levels_run_from_low_to_critical_with_labels(plugin_app):
    assert audit_checklist.RISK_LEVELS == ("low", "medium", "high", "critical")
    assert set(audit_checklist.RISK_LEVEL_LABELS) == set(audit_checklist.RISK_LEVELS)
    assert [str(label) for _, label in audit_checklist.RISK_LEVEL_CHOICES] == [
        "Low risk", "Medium risk", "High risk", "Critical risk",
    ]


def test_keys_and_titles_fit_what_courses_and_consultations_store(plugin_app):
    stage_plugin.assert_keys_and_titles_fit(catalogue.COURSE_TEMPLATES, topics.CONSULTATION_TOPICS)


def test_every_text_is_a_lazy_string_extracted_for_translation(plugin_app):
    stage_plugin.assert_texts_extracted(all_texts(), PACKAGE)
