"""Figures computed once and shared by the plugins that need them while a page reads.

A page that asks several plugins about the same communities (the cohort's columns
and its stage requirements, the progress page's sections and requirements) opens
`scope()` around those calls; inside it, `store(name)` gives a plugin a dict to keep
what it computed, so the next hook of the same page reuses it instead of querying
again. Outside a scope `store` returns None and every call computes afresh, so a
page that writes never reads a figure from before its own change.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, TypeVar

from flask import g, has_app_context

_KEY = "hromada_memo"
K = TypeVar("K")
V = TypeVar("V")


@contextmanager
def scope() -> Iterator[None]:
    """Share computed figures between the hooks called inside this block (which only read)."""
    if not has_app_context():
        yield
        return
    outer = g.get(_KEY)
    setattr(g, _KEY, {} if outer is None else outer)
    try:
        yield
    finally:
        setattr(g, _KEY, outer)


def store(name: str) -> dict | None:
    """The scope's dict for `name` (created empty), or None outside a scope."""
    if not has_app_context():
        return None
    shared = g.get(_KEY)
    if shared is None:
        return None
    return shared.setdefault(name, {})


def per_key(name: str, keys: Iterable[K], load: Callable[[list[K]], dict[K, V]]) -> dict[K, V]:
    """The value of every key in `keys`, in their sorted order.

    `load(missing)` reads the values of the keys this page's scope has not asked
    for yet (all of them outside a scope) and returns one for each of them.
    """
    wanted = sorted(set(keys))
    known = store(name)
    missing = wanted if known is None else [key for key in wanted if key not in known]
    found = load(missing) if missing else {}
    if known is None:
        return {key: found[key] for key in wanted}
    known.update(found)
    return {key: known[key] for key in wanted}
