"""`requires_recent_factor`: a sensitive page asks for a second factor confirmed in the last 10 minutes.

    from hromada.plugin_api import requires, requires_recent_factor

    bp.add_url_rule("/<int:community_id>/export", view_func=requires("x.export", community="community_id")(
        requires_recent_factor(views.export)))

Put it inside `requires` (which checks who may open the page first). A person who confirmed a factor
less than 10 minutes ago passes; anyone else is sent to confirm one and comes back to the page (to
its GET, for a form that was posted: the form is then sent again, by the person). A person without
any second factor is sent to set one up first: reading confidential notes, exporting or erasing a
community is never done on a password alone.
"""

from __future__ import annotations

from functools import wraps

from flask import flash, redirect, request, url_for
from flask_login import current_user

from hromada.i18n import lazy_gettext as _l
from hromada.modules.factors import state
from hromada.modules.factors.queries import has_factor


def return_path() -> str | None:
    """Where to come back to: this page, or for a posted form, the page that shows it (when it has a GET)."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    if request.url_rule is not None and "GET" in (request.url_rule.methods or ()):
        return request.path
    return None


def recent_factor_redirect():
    """None when the person confirmed a second factor within `state.RECENT`; else where to confirm one
    (or set one up). For a view that first checks the object is the person's, then asks."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in"))
    if state.verified_recently():
        return None
    if not has_factor(current_user.id):
        flash(_l("This page needs a second factor. Set one up first, then come back."), "info")
        return redirect(url_for("factors.setup_totp", next=return_path()))
    return redirect(url_for("factors.confirm", next=return_path()))


def requires_recent_factor(view):
    """The view needs a second factor confirmed within `state.RECENT` (10 minutes)."""

    @wraps(view)
    def guarded(*args, **kwargs):
        return recent_factor_redirect() or view(*args, **kwargs)

    guarded.hromada_recent_factor = True
    return guarded
