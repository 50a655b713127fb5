"""The second step of signing in, offered to the accounts module (`app.extensions["hromada.second_factor_step"]`)."""

from __future__ import annotations

from flask import redirect, url_for

from hromada import tenancy
from hromada.modules.factors import state
from hromada.modules.factors.queries import has_factor


def second_step(user, next_url: str | None):
    """After `user`'s right password: a redirect to the second factor when they have one, else None."""
    with tenancy.scope(credential_user=user.id):
        if not has_factor(user.id):
            return None
    state.begin_pending(user.id, next_url)
    return redirect(url_for("factors.sign_in_step"))
