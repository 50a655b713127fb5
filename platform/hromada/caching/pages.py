"""Whole pages rendered once and served again while nothing they show has changed.

A page is kept under its view's name and a key the view gives, which must hold
the data versions (`hromada.caching.versions`) of everything its body shows and
every request argument it reads. What the layout around the body shows is added
here: the language, the time zone, the path (the language switch returns to it),
the person's name, the navigation's entries and the sign-in session. A page is
only ever served to the session it was rendered for, so the CSRF tokens and the
person's own links inside it stay theirs. A page is kept at most
`HROMADA_PAGE_CACHE_SECONDS` (60 by default), which bounds how old its sense of
"now" gets: upcoming sessions, overdue tasks and stalled communities are
recomputed at least that often.

While a message waits to be shown (`flash`), the page is rendered afresh and not
kept: the layout shows the message once, and the next view must not show it again.

Each web process keeps its own pages, in memory only (never in Redis: that
would put communities' data where row-level security does not reach), the most
recently used `HROMADA_PAGE_CACHE_SIZE` (256 by default; 0 turns caching off).
Debug mode keeps nothing, because templates are reloaded as they change. A page
that is not a 200 (a form with errors) is never kept.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from cachetools import TTLCache
from flask import current_app, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from hromada.navigation import navigation_for
from hromada.tokens import token_hash
from hromada.times import zone_key

_lock = threading.Lock()


def clock() -> float:
    """The cache's clock (a test moves it forward to expire bodies)."""
    return time.monotonic()


@dataclass(frozen=True)
class Rendered:
    """A view's body, before the layout goes around it."""

    body: Markup
    facts: Any = None  # what the view needs even when the page is served again (the audit's list of communities)
    status: int = 200


@dataclass(frozen=True)
class Page:
    """A whole page, layout included, as it is sent."""

    html: str
    facts: Any = None
    status: int = 200


def _cache(app) -> TTLCache | None:
    size = app.config["HROMADA_PAGE_CACHE_SIZE"]
    if not size or app.debug:
        return None
    cache = app.extensions.get("hromada.pages")
    if cache is None:
        cache = app.extensions["hromada.pages"] = TTLCache(
            maxsize=size, ttl=app.config["HROMADA_PAGE_CACHE_SECONDS"], timer=lambda: clock())
    return cache


def _layout() -> tuple:
    """What the layout shows around the body, besides the path and the language.

    The sign-in session (as `user_sessions` stores it: the token's hash, never the
    token), the name shown and the navigation as it is now: its entries are built
    afresh for every request (the layout reuses them), so a change of roles, or of
    anything a plugin's entry shows, is never served from a kept page.
    """
    entries = tuple((str(item.label), item.endpoint, tuple(sorted(item.values.items())))
                    for item in navigation_for(current_user))
    if not current_user.is_authenticated:
        return None, None, entries
    return token_hash(current_user.get_id()), current_user.name, entries


def _message_waiting() -> bool:
    return bool(session.get("_flashes"))


def page(view: str, key: tuple, render: Callable[[], Rendered], title: Callable[[], str]) -> Page:
    """The page `render()` and `title()` make inside the layout, or the same page kept from before.

    Kept for the same view and key, session, name, navigation, path, language and time zone.
    """
    cache = _cache(current_app._get_current_object())
    if cache is None or _message_waiting():
        return _whole(render(), title())
    full_key = (view, key, _layout(), request.full_path, str(get_locale()), zone_key())
    with _lock:
        found = cache.get(full_key)
    if found is not None:
        return found
    result = _whole(render(), title())
    if result.status == 200:
        with _lock:
            cache[full_key] = result
    return result


def _whole(rendered: Rendered, title: str) -> Page:
    html = render_template("kept_page.html", title=title, body=rendered.body)
    return Page(html, rendered.facts, rendered.status)
