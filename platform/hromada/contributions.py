"""The value types that plugins return from their hooks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


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


@dataclass(frozen=True)
class AccessRule:
    """A permission a plugin adds to the policy: `check(principal, target_id) -> bool`.

    `principal` is a `hromada.authz.Principal` (who the person is: platform
    admin, staff roles per organisation, community memberships); `target_id`
    is the id named by the view's URL, or None. Deny unless sure.
    """

    action: str
    check: Callable[[Any, int | None], bool]
