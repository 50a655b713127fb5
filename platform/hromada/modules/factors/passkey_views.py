"""The passkey ceremonies' JSON endpoints, called by static/passkeys.js (the pages work without it)."""

from __future__ import annotations

from contextlib import nullcontext

from flask import jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts.models import User
from hromada.modules.audit.log import record
from hromada.modules.factors import operations, passkeys, state
from hromada.modules.factors.controllers import finish_sign_in
from hromada.modules.factors.queries import has_factor
from hromada.navigation import safe_next

FRESH_CODES = "factors.fresh_codes"


def _refused(message: str, status: int = 400):
    return jsonify(error=message), status


def _payload() -> dict:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def register_options():
    if not passkeys.enabled():
        return _refused(_("Passkeys are not set up on this server."), 404)
    user = current_user._get_current_object()
    if has_factor(user.id) and not state.verified_recently():
        return jsonify(redirect=url_for("factors.confirm", next=url_for("factors.index")))
    return jsonify(options=passkeys.registration_options(user))


def register():
    if not passkeys.enabled():
        return _refused(_("Passkeys are not set up on this server."), 404)
    user = current_user._get_current_object()
    if has_factor(user.id) and not state.verified_recently():
        return jsonify(redirect=url_for("factors.confirm", next=url_for("factors.index")))
    data = _payload()
    label = str(data.get("label") or "").strip()[:60]
    try:
        credential_id, public_key, sign_count = passkeys.verify_registration(data.get("credential"))
    except passkeys.PasskeyRefused:
        return _refused(_("This passkey could not be added. Try again."))
    first = not has_factor(user.id)
    operations.add_passkey(user, credential_id, public_key, sign_count, label)
    if first:
        session[FRESH_CODES] = operations.new_recovery_codes(user)
    state.mark_verified()
    db.session.commit()
    return jsonify(redirect=url_for("factors.fresh_codes") if first else url_for("factors.index"))


def _who() -> tuple[User | None, dict | None]:
    """The person proving a passkey: the one between password and second factor, or the signed-in one."""
    if current_user.is_authenticated:
        return current_user._get_current_object(), None
    pending = state.pending()
    user = db.session.get(User, pending["user"]) if pending else None
    return (user, pending) if user is not None and user.is_active else (None, None)


def prove_options():
    user, pending = _who()
    if user is None or not passkeys.enabled():
        return _refused(_("Please sign in again: the first step expired."), 400)
    with tenancy.scope(credential_user=user.id) if pending else nullcontext():
        options = passkeys.authentication_options(user.id)
    if options is None:
        return _refused(_("You have no passkey yet."), 400)
    return jsonify(options=options)


def prove():
    user, pending = _who()
    if user is None or not passkeys.enabled():
        return _refused(_("Please sign in again: the first step expired."), 400)
    try:
        with tenancy.scope(credential_user=user.id) if pending else nullcontext():
            passkeys.verify_authentication(user.id, _payload().get("credential"))
            db.session.flush()
    except passkeys.PasskeyRefused:
        record("second_factor_failed", actor=user, commit=True)
        return _refused(_("This passkey was not accepted. Try again, or type a code instead."))
    if pending is not None:
        response = finish_sign_in(user, "passkey", pending["next"])
        return jsonify(redirect=response.location)
    state.mark_verified()
    db.session.commit()
    return jsonify(redirect=safe_next(str(_payload().get("next") or "")) or url_for("factors.index"))


def fresh_codes():
    """The recovery codes made with a first passkey, shown once."""
    codes = session.pop(FRESH_CODES, None)
    if not isinstance(codes, list):
        return redirect(url_for("factors.index"))
    return render_template("factors/recovery_codes.html", codes=codes, next=None)
