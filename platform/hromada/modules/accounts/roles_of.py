"""A person's staff roles and community memberships, as the access policy (hromada.authz) reads them.

A signed-in request reads them with its session (`hromada.modules.accounts.sessions`), in the same
statement, and keeps them here for the policy's one question of the request; any other caller, or a
request that has written something since, reads them afresh.
"""

from __future__ import annotations

from functools import lru_cache

from flask import g, has_app_context
from sqlalchemy import String, bindparam, cast, event, literal, select, union_all
from sqlalchemy.orm import Session

from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, StaffMembership

# In `g`: (user id, [(is staff, organisation or community id, role value), ...]) read with the session.
_READ_WITH_SESSION = "hromada_roles_read_with_session"


def roles_union(user_id):
    """(user_id, is_staff, target_id, role) of the staff roles and community memberships of `user_id` (a value or a
    bound parameter), as one selectable.

    The person is chosen inside each branch, where each table's index on `user_id` finds the rows: a condition
    on the union from outside is not pushed into the memberships' branch on PostgreSQL, which then read every
    membership of the platform (13 ms at 20,000 communities) on every signed-in request.
    """
    return union_all(
        select(StaffMembership.user_id.label("user_id"), literal(True).label("is_staff"),
               StaffMembership.organisation_id.label("target_id"), cast(StaffMembership.role, String).label("role"))
        .where(StaffMembership.user_id == user_id),
        select(CommunityMembership.user_id, literal(False), CommunityMembership.tenant_id,
               cast(CommunityMembership.role, String))
        .where(CommunityMembership.user_id == user_id),
    )


@lru_cache(maxsize=1)
def _roles_statement():
    """Staff roles and community memberships in one query.

    Built once (a statement is immutable): building it took longer than running it.
    """
    roles = roles_union(bindparam("user_id")).subquery("roles")
    return select(roles.c.is_staff, roles.c.target_id, roles.c.role)


def read_with_session(user_id: int, rows: list[tuple]) -> None:
    """The session's statement read the person's roles: the policy takes them from here."""
    setattr(g, _READ_WITH_SESSION, (user_id, rows))


def roles_of(user_id: int):
    """(is staff, organisation or community id, role value) rows of the person."""
    if has_app_context():
        read = g.pop(_READ_WITH_SESSION, None)
        if read is not None and read[0] == user_id:
            return read[1]
    return db.session.execute(_roles_statement(), {"user_id": user_id})


def _forget_on_write(session: Session, *_rest) -> None:
    # A request that added or removed a membership before asking the policy reads the roles as they now are.
    if has_app_context():
        g.pop(_READ_WITH_SESSION, None)


def _forget_on_orm_write(state) -> None:
    if not state.is_select:
        _forget_on_write(state.session)


_installed = False


def install() -> None:
    """Listen on every ORM session (once per process)."""
    global _installed
    if not _installed:
        event.listen(Session, "before_flush", _forget_on_write)
        event.listen(Session, "do_orm_execute", _forget_on_orm_write)
        _installed = True
