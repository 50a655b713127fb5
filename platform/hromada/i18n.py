"""Language choice (the user's own setting, else the browser's Accept-Language) and lazy translations."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

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
