"""Language choice (the user's own setting, else the browser's Accept-Language) and lazy translations."""

from __future__ import annotations

from functools import cached_property, lru_cache

from babel import support
from flask import Request, current_app, request, session
from flask_babel import get_locale, gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape
from wtforms.i18n import messages_path

# Each language named in itself, as a person looking for their language reads it.
LANGUAGE_NAMES = {
    "en": "English",
    "uk": "Українська",
    "ru": "Русский",
    "be": "Беларуская",
}


def select_locale() -> str:
    """This session's choice; else the account's language (what a new session starts with); else the browser's.

    The choice is the session's own: switching the language on a phone does not switch the laptop.
    """
    from flask_login import current_user

    chosen = session.get("language")
    if chosen in LANGUAGE_NAMES:
        return chosen
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGE_NAMES:
        return current_user.language
    return request.accept_languages.best_match(current_app.config["HROMADA_LANGUAGES"]) or "en"


class LazyText(LazyString):
    """A translation made when it is shown, escaped like any other text when it reaches a page.

    Flask-Babel's lazy strings tell Jinja and WTForms that they are HTML already (their
    `__html__` returns the text as it is; python-babel/flask-babel#121 and #224), so a
    value put into one, such as a community's name in "Applications: %(community)s",
    would reach the page unescaped. This one escapes the translated text with its values.
    """

    def __html__(self) -> Markup:
        return escape(str(self))


def lazy_gettext(string: str, **variables) -> LazyText:
    """`flask_babel.lazy_gettext`, escaped on pages: import it as `_l` from here or from `hromada.plugin_api`."""
    return LazyText(gettext, string, **variables)


class TranslatedRequest(Request):
    """The app's request: WTForms' own messages ("Not a valid choice.") in the reader's language, loaded once.

    Flask-WTF looks for that catalogue on the request (`request.wtforms_translations`) and, not finding
    it, reads and parses WTForms' file from disk again for every request that builds a form (about
    0.4 ms of each page with a form). The catalogue of each language is read once per process here.
    """

    @cached_property
    def wtforms_translations(self) -> support.Translations:
        return _wtforms_catalogue(str(get_locale()))


@lru_cache(maxsize=16)  # one per language the app offers
def _wtforms_catalogue(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")
