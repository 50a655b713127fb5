"""Checks every stage plugin's tests run: its stage type, translations, migration branch and content.

A plugin's test module names its key and package and calls these; what differs
between plugins (which courses, which topics) stays in the plugin's own tests.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import nh3
import pytest
from alembic.script import ScriptDirectory
from alembic.util import to_tuple
from flask_babel import force_locale
from flask_babel.speaklater import LazyString
from markdown_it import MarkdownIt

from hromada import create_app, i18n_tools
from hromada.plugins import collect

# CommonMark as it allows raw HTML, to find any; and as pages show it, without.
COMMONMARK = MarkdownIt("commonmark")
SAFE_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def plugin_app(monkeypatch, tmp_path, key: str):
    """An app with this plugin alone, on an in-memory database: no data is needed."""
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path))
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "HROMADA_PLUGINS": [key]})


def assert_stage_type(app, key: str, title: str) -> None:
    stage_type = app.extensions["hromada.stage_types"][key]
    with app.test_request_context():
        assert str(stage_type.title) == title
        assert len(str(stage_type.description)) > 40


def assert_stage_type_translated(app, key: str, locale: str) -> None:
    # Needs the compiled catalogs: `make translations`.
    stage_type = app.extensions["hromada.stage_types"][key]
    with app.test_request_context():
        english = str(stage_type.title), str(stage_type.description)
        with force_locale(locale):
            translated = str(stage_type.title), str(stage_type.description)
    assert translated[0] != english[0] and translated[1] != english[1]


def assert_migration_branch(app, key: str, package) -> None:
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    # The branch's first revision: later ones inherit its label.
    (first,) = [r for r in script.walk_revisions() if key in r.branch_labels and r.down_revision is None]
    assert "core0001" in to_tuple(first.dependencies)
    assert Path(first.path).is_relative_to(Path(package.__file__).parent / "migrations" / "versions")


def contributed(app, hook: str, key: str) -> list:
    return [item for item in collect(app.extensions["hromada.plugins"], hook) if item.stage_type == key]


def lesson_params(course_templates) -> list:
    return [
        pytest.param(lesson, id=f"{course.key}-{m}-{n}")
        for course in course_templates
        for m, module in enumerate(course.modules, 1)
        for n, lesson in enumerate(module.lessons, 1)
    ]


def assert_lesson_is_safe_markdown(lesson) -> None:
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


def assert_keys_and_titles_fit(course_templates, consultation_topics) -> None:
    # A course keeps its template's key and a consultation its topic's key in 100 characters,
    # and titles in 200: English titles stay well under, so translations fit too.
    for course in course_templates:
        assert len(course.key) <= 100
        titles = [course.title, *(module.title for module in course.modules)]
        titles += [lesson.title for module in course.modules for lesson in module.lessons]
        assert all(len(str(title)) <= 120 for title in titles)
    for topic in consultation_topics:
        assert len(topic.key) <= 100 and len(str(topic.title)) <= 120


def content_texts(course_templates, consultation_topics):
    """Every text of a plugin's courses and topics, each of which people read in their language."""
    for course in course_templates:
        yield course.title
        yield course.description
        for module in course.modules:
            yield module.title
            for lesson in module.lessons:
                yield lesson.title
                yield lesson.content
    for topic in consultation_topics:
        yield topic.title


def assert_texts_extracted(texts, package_name: str) -> None:
    texts = list(texts)
    assert all(isinstance(text, LazyString) for text in texts)
    (project,) = [project for project in i18n_tools.find_projects() if project.name == package_name]
    extracted = i18n_tools.extract(project)
    # English shows the msgid itself, so each text as shown must be a message of the catalog.
    missing = [str(text) for text in texts if str(text) not in extracted]
    assert not missing
