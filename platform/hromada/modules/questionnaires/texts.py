"""A question's text, or a programme's, in the reader's language: its translation when there is one, else
the main text, marked as shown in another language (so nobody takes an untranslated text for an oversight).

Both keep their main texts in the columns and the language they are written in (`language`), with
`translations` = {language code: {part: text}} for their other languages."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale

from hromada.i18n import LANGUAGE_NAMES


@dataclass(frozen=True)
class Shown:
    text: str
    # The language of `text` when it is not the reader's (a fallback); None when it is theirs.
    fallback: str | None


def _get(question, name: str, default=None):
    return question.get(name, default) if isinstance(question, dict) else getattr(question, name, default)


def reader_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "en"


def shown(question, part: str = "label", language: str | None = None) -> Shown:
    """`part` of a question ("label" or "help_text"; a `Question` or its frozen dict) or of a programme
    ("title", "description" or "call_text") for the reader."""
    language = language or reader_language()
    main = _get(question, part) or ""
    written_in = _get(question, "language") or ""
    if not written_in or written_in == language:
        return Shown(main, None)
    translated = ((_get(question, "translations") or {}).get(language) or {}).get(part) or ""
    if translated:
        return Shown(translated, None)
    if not main:
        return Shown("", None)
    return Shown(main, written_in)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
