"""The value types that plugins return from their hooks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StageType:
    """A kind of programme stage, such as the incubator.

    `title` and `description` are lazy gettext strings, translated when shown.
    """

    key: str
    title: Any
    description: Any


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation: a label and the endpoint it opens."""

    label: Any
    endpoint: str
    order: int = 100
