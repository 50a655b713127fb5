"""Staff and the platform admin reach no page without a second factor confirmed in this session.

A `before_request` check, default deny: every endpoint is guarded except the few a person needs
to set up or confirm a factor, or to leave. A staff member without a factor is sent to set one
up; one with a factor whose session has not confirmed it (it began before they joined the staff)
is sent to confirm it. Community members are not required to have one (they may turn one on).
"""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from hromada import authz
from hromada.modules.factors import state
from hromada.modules.factors.queries import has_factor

# What a person without a confirmed factor may still open.
OPEN_ENDPOINTS = frozenset({"static", "accounts.sign_in", "accounts.sign_out", "home.choose_language"})
OPEN_PREFIXES = ("factors.", "health.")


def must_have_factor() -> bool:
    p = authz.principal()
    return bool(p.staff) or p.is_admin


def require_second_factor():
    endpoint = request.endpoint
    if endpoint is None or endpoint in OPEN_ENDPOINTS or endpoint.startswith(OPEN_PREFIXES):
        return None
    if not current_user.is_authenticated or state.verified_at() is not None:
        return None
    if not must_have_factor():
        return None
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    if has_factor(current_user.id):
        return redirect(url_for("factors.confirm", next=target))
    return redirect(url_for("factors.setup_totp", next=target))
