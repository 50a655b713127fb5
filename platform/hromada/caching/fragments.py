"""Pieces of pages rendered once and reused for as long as what they show is unchanged.

A fragment is keyed by the data it shows (every column of every row, see
`rows_key`), the language, the time zone and its template: a changed row is a
new key, so nothing is ever stale and nothing needs invalidating. It is for
public pages that many visitors open and that cost more to render than to read
(a call for applications, its sign-up form before anything is typed).

A fragment's template sees only the variables it is given (no context
processors): no `current_user`, `session` or `request`, so no fragment can
carry one person's data to another. It must not call `csrf_token()` either.
Each app in each web process keeps its own fragments, the most recently used
`MAX_FRAGMENTS`; in debug mode (templates reloaded as they change) none.
"""

from __future__ import annotations

import hashlib
import threading

from cachetools import LRUCache
from flask import current_app
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import inspect

from hromada.times import zone_key

MAX_FRAGMENTS = 256

_lock = threading.Lock()


def rows_key(*rows) -> str:
    """A digest of every column of every row given: the fingerprint of what a fragment shows."""
    values = [
        (type(row).__name__, [getattr(row, column.key) for column in inspect(row).mapper.column_attrs])
        for row in rows
    ]
    return hashlib.sha256(repr(values).encode()).hexdigest()


def render(template_name: str, key: str, **context) -> Markup:
    """`template_name` rendered with `context`, or the same rendering kept from before under `key`."""
    app = current_app._get_current_object()
    template = app.jinja_env.get_template(template_name)
    if app.debug:
        return Markup(template.render(**context))
    fragments = app.extensions.setdefault("hromada.fragments", LRUCache(maxsize=MAX_FRAGMENTS))
    full_key = (template_name, str(get_locale()), zone_key(), key)
    with _lock:
        found = fragments.get(full_key)
    if found is not None:
        return found
    html = Markup(template.render(**context))
    with _lock:
        fragments[full_key] = html
    return html
