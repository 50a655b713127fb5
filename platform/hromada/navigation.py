"""The main navigation, gathered from every plugin."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, g

from hromada.plugins import collect


def navigation_for(user=None) -> list:
    if "hromada_navigation" not in g:
        pm = current_app.extensions["hromada.plugins"]
        items = collect(pm, "hromada_navigation", user=user)
        g.hromada_navigation = sorted(items, key=lambda item: item.order)
    return g.hromada_navigation


MAX_NEXT_LENGTH = 2000


def safe_next(target: str | None) -> str | None:
    """A path on this site to go back to, or None.

    Read as a browser reads it: browsers drop tabs and newlines anywhere in a URL and
    take a backslash for a slash, so `/\t/evil.example/` leads to another host, and a
    CR or LF would break the redirect's header. Anything with a control character or
    a backslash is refused; what is left must be a path with neither scheme nor host.
    """
    if not target or len(target) > MAX_NEXT_LENGTH or "\\" in target:
        return None
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
