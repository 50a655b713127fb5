"""Language choice: the user's own setting, else the browser's Accept-Language."""

from __future__ import annotations

from flask import current_app, request, session

# Each language named in itself, as a person looking for their language reads it.
LANGUAGE_NAMES = {
    "en": "English",
    "uk": "Українська",
    "ru": "Русский",
    "be": "Беларуская",
}


def select_locale() -> str:
    from flask_login import current_user

    if current_user and current_user.is_authenticated and current_user.language in LANGUAGE_NAMES:
        return current_user.language
    chosen = session.get("language")
    if chosen in LANGUAGE_NAMES:
        return chosen
    return request.accept_languages.best_match(current_app.config["HROMADA_LANGUAGES"]) or "en"
