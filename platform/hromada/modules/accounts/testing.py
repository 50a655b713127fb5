"""Test helpers of the accounts module: the isolation matrix's arguments.

`matrix_arguments(world)` gives the matrix a sign-in session of side B's
coordinator: nobody else may end it.
"""

from __future__ import annotations

import secrets

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.accounts.models import UserSession
from hromada.tokens import token_hash


def add_session(user_id: int) -> int:
    with tenancy.system_scope():
        moment = now()
        row = UserSession(token_hash=token_hash(secrets.token_urlsafe(32)), user_id=user_id, created_at=moment,
                          last_seen_at=moment, device="Firefox · Linux")
        db.session.add(row)
        db.session.commit()
        return row.id


def matrix_arguments(world) -> dict:
    return {"foreign": {"session_id": add_session(world.b.people["coordinator"].id)}}
