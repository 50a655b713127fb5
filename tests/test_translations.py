"""Every message is translated into uk, ru and be, and the pages speak the chosen language.

The page tests need the compiled catalogs: `make test` runs `make translations` first.
"""

import pytest
from babel.messages.pofile import read_po, write_po

from hromada import i18n_tools
from hromada.testing.fixtures import csrf_token

PROJECTS = i18n_tools.find_projects()
FIRST_PARTY = {"hromada", "hromada_incubator", "hromada_accelerator", "hromada_civic_course"}

# A few words of the home page, from the core's catalog and from a plugin's.
HOME_PAGE_WORDS = {
    "uk": ["Програми", "Інкубатор: створення та збереження спільнот"],
    "ru": ["Программы", "Инкубатор: создание и сохранение сообществ"],
    "be": ["Праграмы", "Інкубатар: стварэнне і захаванне супольнасцей"],
}


@pytest.fixture
def client(app):
    for project in PROJECTS:
        if project.name in FIRST_PARTY and not list(project.catalogs.glob("*/LC_MESSAGES/messages.mo")):
            pytest.fail(f"{project.catalogs} holds no compiled catalog: run `make translations` first")
    return app.test_client()


def page(client, path="/", **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def read_catalog(project, locale):
    with project.po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_every_message_is_translated(project):
    problems = i18n_tools.check(project)
    assert not problems, "Run `make extract-messages`, translate, then `make translations`:\n" + "\n".join(problems)


def test_update_keeps_translations_and_check_finds_what_is_left(tmp_path):
    package = tmp_path / "hromada_sample"
    (package / "templates" / "sample").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text('from flask_babel import lazy_gettext as _l\nTITLE = _l("Study visit")\n')
    (package / "templates" / "sample" / "page.html").write_text(
        '{{ ngettext("%(num)d visit", "%(num)d visits", n) }}'
    )
    project = i18n_tools.Project("hromada_sample", tmp_path, package / "translations")
    i18n_tools.update(project)
    assert len(i18n_tools.check(project)) == 6  # two messages, untranslated in uk, ru and be

    for locale, title, visits in [
        ("uk", "Навчальний візит", ["%(num)d візит", "%(num)d візити", "%(num)d візитів"]),
        ("ru", "Учебный визит", ["%(num)d визит", "%(num)d визита", "%(num)s визитов"]),  # %s: wrong type
        ("be", "Навучальны візіт", ["%(num)d візіт", "%(num)d візіты"]),  # a plural form missing
    ]:
        catalog = read_catalog(project, locale)
        catalog["Study visit"].string = title
        catalog["%(num)d visit"].string = tuple(visits)
        with project.po_path(locale).open("wb") as handle:
            write_po(handle, catalog)
    problems = i18n_tools.check(project)
    assert len(problems) == 2, problems
    assert "/ru/" in problems[0] and "format" in problems[0]
    assert "/be/" in problems[1] and "untranslated" in problems[1]

    (package / "plugin.py").write_text(
        'from flask_babel import lazy_gettext as _l\nTITLE = _l("Study visit")\nMORE = _l("Report")\n'
    )
    assert any("missing from the catalog" in problem and "'Report'" in problem for problem in i18n_tools.check(project))
    i18n_tools.update(project)
    catalog = read_catalog(project, "uk")
    assert catalog["Study visit"].string == "Навчальний візит"
    assert catalog["Report"].string == ""


def test_the_first_party_catalogs_are_found():
    assert FIRST_PARTY <= {p.name for p in PROJECTS}


@pytest.mark.parametrize("language", ["uk", "ru", "be"])
def test_home_page_follows_accept_language(client, language):
    html = page(client, **{"Accept-Language": f"{language},en;q=0.5"})
    assert f'<html lang="{language}">' in html
    for words in HOME_PAGE_WORDS[language]:
        assert words in html
    assert "Programmes" not in html


def test_placeholders_are_filled_in_the_translation(client, runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0 and result.exception is None, result.output
    html = page(client, **{"Accept-Language": "ru"})
    assert "Организатор: " in html
    assert "%(organisation)s" not in html


def test_english_is_the_default(client):
    html = page(client, **{"Accept-Language": "fr"})
    assert '<html lang="en">' in html
    assert "Programmes" in html


def test_chosen_language_wins_over_the_browser_and_is_remembered(client):
    token = csrf_token(client)
    response = client.post("/language", data={"csrf_token": token, "language": "be", "next": "/?page=2"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/?page=2"
    with client.session_transaction() as session:
        assert session["language"] == "be"
    for _ in range(2):  # the following pages too, not just the next one
        html = page(client, **{"Accept-Language": "uk"})
        assert '<html lang="be">' in html
        assert "Праграмы" in html


def test_language_form_never_redirects_to_another_site(client):
    token = csrf_token(client)
    response = client.post("/language", data={"csrf_token": token, "language": "ru", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_unknown_language_is_refused_in_the_current_language(client):
    token = csrf_token(client)
    client.post("/language", data={"csrf_token": token, "language": "uk"})
    response = client.post("/language", data={"csrf_token": token, "language": "xx"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Ця мова недоступна." in html
    assert '<html lang="uk">' in html
    with client.session_transaction() as session:
        assert session["language"] == "uk"


def test_language_form_needs_the_csrf_token(client):
    response = client.post("/language", data={"language": "ru"}, headers={"Accept-Language": "ru"})
    assert response.status_code == 400
    assert "Срок действия формы истёк" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "language" not in session


def test_error_pages_are_translated(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "uk"})
    assert response.status_code == 404
    assert "Сторінку не знайдено" in response.get_data(as_text=True)


def test_wtforms_own_messages_follow_each_readers_language(app):
    """WTForms' catalogue is read once per language (hromada.i18n.TranslatedRequest), never one reader's for another."""
    from flask_wtf import FlaskForm
    from wtforms import IntegerField

    class NumberForm(FlaskForm):
        number = IntegerField()

    for language, message in [("uk", "Недійсне ціле число."), ("ru", "Неверное целое число."),
                              ("uk", "Недійсне ціле число."), ("en", "Not a valid integer value.")]:
        # Each in an app context of its own, as each request of a server is (Flask-Babel keeps the locale in `g`).
        with app.app_context(), app.test_request_context("/", method="POST", data={"number": "many"},
                                                         headers={"Accept-Language": language}):
            form = NumberForm(meta={"csrf": False})
            assert not form.validate()
            assert form.number.errors == [message]
