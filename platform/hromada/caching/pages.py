"""Page bodies rendered once and served again while nothing they show has changed.

A body is kept under its view's name and a key the view gives, which must hold
the data versions (`hromada.caching.versions`) of everything the body shows and
every request argument it reads. The language, the time zone and the sign-in
session are added here: a body is only ever served to the session it was
rendered for, so the CSRF tokens and the person's own links inside it stay
theirs. A body is kept at most `HROMADA_PAGE_CACHE_SECONDS` (60 by default),
which bounds how old a page's sense of "now" gets: upcoming sessions, overdue
tasks and stalled communities are recomputed at least that often.

Each web process keeps its own bodies, in memory only (never in Redis: that
would put communities' data where row-level security does not reach), the most
recently used `HROMADA_PAGE_CACHE_SIZE` (256 by default; 0 turns caching off).
Debug mode keeps nothing, because templates are reloaded as they change. A body
that is not a 200 (a form with errors) is never kept.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from cachetools import TTLCache
from flask import current_app
from flask_babel import get_locale, get_timezone
from flask_login import current_user
from markupsafe import Markup

_lock = threading.Lock()


def clock() -> float:
    """The cache's clock (a test moves it forward to expire bodies)."""
    return time.monotonic()


@dataclass(frozen=True)
class Rendered:
    body: Markup
    facts: Any = None  # what the view needs even when the body is served again (the audit's list of communities)
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


def _viewer() -> str | None:
    """The sign-in session, as `user_sessions` stores it (the token's hash, never the token)."""
    from hromada.modules.accounts.sessions import token_hash

    token = current_user.get_id() if current_user.is_authenticated else None
    return token_hash(token) if token else None


def rendered(view: str, key: tuple, render: Callable[[], Rendered]) -> Rendered:
    """`render()`, or what it returned before for the same view, key, session, language and time zone."""
    cache = _cache(current_app._get_current_object())
    if cache is None:
        return render()
    full_key = (view, key, _viewer(), str(get_locale()), str(get_timezone()))
    with _lock:
        found = cache.get(full_key)
    if found is not None:
        return found
    result = render()
    if result.status == 200:
        with _lock:
            cache[full_key] = result
    return result
