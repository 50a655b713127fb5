"""The repository's shape and the rules every page keeps.

The installed plugins are found by entry point; `platform/` (the core's source
folder) must not shadow Python's `platform` module; every page declares its
language, starts with a skip link, and protects every form that posts with a
CSRF token.
"""

from __future__ import annotations

import platform
import re
import subprocess
import sys
from html.parser import HTMLParser
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from hromada import create_app
from hromada.extensions import db
from hromada.plugins import ENTRY_POINT_GROUP

ROOT = Path(__file__).resolve().parents[1]
EXTENDS = re.compile(r"""{%-?\s*extends\s+["']([^"']+)["']""")


def test_the_first_party_plugins_are_installed_by_entry_point():
    names = {entry_point.name for entry_point in entry_points(group=ENTRY_POINT_GROUP)}
    assert {"incubator", "accelerator", "civic_course"} <= names


def test_the_platform_folder_does_not_shadow_the_standard_library():
    # `python` run from the repository root puts it first on sys.path; a `platform/__init__.py`
    # would make `import platform` find our folder instead of the standard library's module.
    assert not (ROOT / "platform" / "__init__.py").exists()
    result = subprocess.run(
        [sys.executable, "-c", "import platform; print(platform.system())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == platform.system()


class PageStructure(HTMLParser):
    """The parts of an HTML page (or of a template's source) that these rules look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.has_html = False
        self.ids: set[str] = set()
        self.body_links: list[str] = []
        self.forms: list[dict] = []  # {"method": ..., "action": ..., "fields": [...]}
        self._in_body = False
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "html":
            self.has_html = True
            self.html_lang = attributes.get("lang")
        elif tag == "body":
            self._in_body = True
        elif tag == "a" and self._in_body:
            self.body_links.append(attributes.get("href") or "")
        elif tag == "form":
            self._form = {
                "method": (attributes.get("method") or "get").lower(),
                "action": attributes.get("action"),
                "fields": [],
            }
            self.forms.append(self._form)
        elif tag in {"input", "select", "textarea", "button"} and self._form is not None:
            self._form["fields"].append(attributes.get("name"))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None

    def skip_link_target(self) -> str | None:
        """The element the page's first link jumps to, when it is a skip link to this page."""
        if self.body_links and self.body_links[0].startswith("#"):
            target = self.body_links[0][1:]
            return target if target in self.ids else None
        return None


def parse(source: str) -> PageStructure:
    structure = PageStructure()
    structure.feed(source)
    structure.close()
    return structure


@pytest.fixture
def every_plugin_app(monkeypatch, tmp_path):
    """The app with every installed plugin, so that every template can be found."""
    monkeypatch.setenv("HROMADA_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "HROMADA_PLUGINS": None})
    yield app
    with app.app_context():
        db.engine.dispose()


def test_every_page_template_declares_its_language_and_starts_with_a_skip_link(every_plugin_app):
    env = every_plugin_app.jinja_env
    templates = [name for name in env.list_templates() if name.endswith(".html")]
    assert "layout.html" in templates

    def source(name: str) -> str:
        return env.loader.get_source(env, name)[0]

    checked = 0
    for name in templates:
        # A page template is a whole document or extends one; the rest are partials and macros.
        chain = [name]
        while (parent := EXTENDS.search(source(chain[-1]))) is not None:
            assert parent.group(1) not in chain, f"{name}: templates extend each other in a loop: {chain}"
            chain.append(parent.group(1))
        document = parse(source(chain[-1]))
        if len(chain) == 1 and not document.has_html:
            continue
        checked += 1
        where = f"{name} (through {' -> '.join(chain)})"
        assert document.has_html, f"{where}: the template it extends is not a whole page"
        assert document.html_lang, f"{where}: <html> has no lang attribute"
        assert document.skip_link_target(), (
            f"{where}: the first link in <body> is not a skip link to an element of the page "
            f"(first link: {document.body_links[:1]})"
        )
    assert checked >= 2  # at least the home page and the error page


def pages_without_arguments(app) -> list[str]:
    """Every page of the core and the plugins a plain GET reaches, and a page that does not exist."""
    paths = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )
    return [*paths, "/no-such-page"]


def test_every_rendered_page_has_its_language_a_skip_link_and_csrf_on_every_posting_form(app, client, runner):
    runner.invoke(args=["demo"])  # pages with content show their forms
    paths = pages_without_arguments(app)
    assert "/" in paths
    html_pages = forms_seen = 0
    for path in paths:
        response = client.get(path, follow_redirects=True)
        if response.mimetype != "text/html":
            continue  # a feed or a health check is not a page
        html_pages += 1
        page = parse(response.get_data(as_text=True))
        assert page.html_lang == "en", f"{path}: <html lang> is {page.html_lang!r}"
        assert page.skip_link_target() == "main", f"{path}: no skip link to <main id='main'> first"
        for form in page.forms:
            if form["method"] == "post":
                forms_seen += 1
                assert "csrf_token" in form["fields"], f"{path}: the form to {form['action']} has no csrf_token"
    assert forms_seen >= html_pages  # the language switch is on every page


def test_a_name_inside_a_translated_label_is_shown_as_text(app, world):
    # Flask-Babel's lazy strings pass for HTML; hromada.i18n.lazy_gettext escapes what goes into them.
    from hromada import tenancy
    from hromada.modules.accounts.models import CommunityMembership, CommunityRole
    from hromada.modules.communities.models import Community
    from hromada.testing.factories import signed_in

    b1 = world.b.communities[0]
    with tenancy.scope(tenant_id=b1.id):  # A's coordinator coordinates B1 as well: the navigation names both
        db.session.add(CommunityMembership(user_id=world.a.people["coordinator"].id, role=CommunityRole.COORDINATOR))
        db.session.get(Community, b1.id).name = '<b>Bold</b> & "quoted"'
        db.session.commit()
    page = signed_in(app, "coordinator-a").get("/").get_data(as_text=True)
    header = page[page.index("<header"):page.index("</header>")]
    assert "Applications: &lt;b&gt;Bold&lt;/b&gt; &amp; &#34;quoted&#34;" in header
    assert "<b>" not in header


def test_every_lazy_translation_is_the_escaping_one():
    # One import of Flask-Babel's own lazy_gettext would bring unescaped values back to some page.
    sources = [path for folder in ("platform", "plugins", "examples") for path in (ROOT / folder).rglob("*.py")
               if ".venv" not in path.parts]
    offenders = [str(path.relative_to(ROOT)) for path in sources
                 if re.search(r"from flask_babel import .*\blazy_(n|p|np)?gettext\b", path.read_text())]
    assert offenders == []
