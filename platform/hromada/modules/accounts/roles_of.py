"""A person's staff roles and community memberships, as the access policy (hromada.authz) reads them."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import String, bindparam, cast, literal, select, union_all

from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, StaffMembership


@lru_cache(maxsize=1)
def _roles_statement():
    """Staff roles and community memberships in one query: every signed-in request asks.

    Built once (a statement is immutable): building it took longer than running it.
    """
    user_id = bindparam("user_id")
    return union_all(
        select(literal(True), StaffMembership.organisation_id, cast(StaffMembership.role, String))
        .where(StaffMembership.user_id == user_id),
        select(literal(False), CommunityMembership.tenant_id, cast(CommunityMembership.role, String))
        .where(CommunityMembership.user_id == user_id),
    )


def roles_of(user_id: int):
    """(is staff, organisation or community id, role value) rows of the person."""
    return db.session.execute(_roles_statement(), {"user_id": user_id})
