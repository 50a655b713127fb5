"""Pages of the second factors: the sign-in step, confirming, setting up, removing, recovery and resets."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hromada import tenancy
from hromada.clock import now
from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, StaffMembership, User
from hromada.modules.accounts.sessions import start_session
from hromada.modules.accounts.reach import belongs_elsewhere
from hromada.modules.audit.log import record
from hromada.modules.factors import operations, recovery, state, totp
from hromada.modules.factors.forms import ButtonForm, CodeForm, SetupForm
from hromada.modules.factors.guard import must_have_factor
from hromada.modules.factors.models import FactorKind, SecondFactor
from hromada.modules.factors.queries import factors_of, has_factor, totp_of
from hromada.modules.factors.recent import recent_factor_redirect
from hromada.navigation import safe_next

NEW_SECRET = "factors.new_secret"


def _check_code(user_id: int, code: str) -> str | None:
    """Which kind of code `code` is for the person ("totp", "recovery_code"), spending it; None if neither."""
    moment = now()
    factor = totp_of(user_id)
    if factor is not None and totp.normalised(code) is not None:
        return "totp" if totp.accept(factor, code, moment) else None
    if recovery.use(user_id, code, moment):
        return "recovery_code"
    return None


def sign_in_step():
    """After a right password: the second factor, then the session starts."""
    pending = state.pending()
    user = db.session.get(User, pending["user"]) if pending else None
    if user is None or not user.is_active:
        state.clear_pending()
        flash(_("Please sign in again: the first step expired."), "info")
        return redirect(url_for("accounts.sign_in"))
    form = CodeForm()
    method = None
    if form.validate_on_submit():
        # Until the session starts, only this person's own factors are readable, and only for this check.
        with tenancy.scope(credential_user=user.id):
            method = _check_code(user.id, form.code.data)
            db.session.flush()
        if method is None:
            record("second_factor_failed", actor=user, commit=True)
            form.code.errors.append(_("This code is not right, or it was used already."))
    if method is None:
        with tenancy.scope(credential_user=user.id):
            passkeys = [factor for factor in factors_of(user.id) if factor.kind == FactorKind.PASSKEY]
        return render_template("factors/sign_in_step.html", form=form, has_passkey=bool(passkeys)), \
            (400 if form.errors else 200)
    return finish_sign_in(user, method, pending["next"])


def finish_sign_in(user: User, method: str, next_url: str | None):
    start_session(user)
    state.mark_verified()
    record("sign_in", actor=user, second_factor=method)
    if method == "recovery_code":
        operations.recovery_code_used(user)
    db.session.commit()
    if method == "recovery_code":
        flash(_("You used a recovery code. %(count)d are left; make new ones on your second factors page.",
                count=recovery.remaining(user.id)), "info")
    return redirect(safe_next(next_url) or url_for("home.index"))


def confirm():
    """A signed-in person confirms a second factor (before a sensitive page, or a session that began without)."""
    user = current_user._get_current_object()
    if not has_factor(user.id):
        return redirect(url_for("factors.setup_totp", next=request.args.get("next")))
    form = CodeForm()
    if form.validate_on_submit():
        method = _check_code(user.id, form.code.data)
        if method is not None:
            state.mark_verified()
            if method == "recovery_code":
                operations.recovery_code_used(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")) or url_for("factors.index"))
        record("second_factor_failed", actor=user, commit=True)
        form.code.errors.append(_("This code is not right, or it was used already."))
    has_passkey = any(factor.kind == FactorKind.PASSKEY for factor in factors_of(user.id))
    return render_template("factors/confirm.html", form=form, has_passkey=has_passkey), (400 if form.errors else 200)


def index():
    user = current_user._get_current_object()
    factors = factors_of(user.id)
    return render_template("factors/index.html", factors=factors, remaining=recovery.remaining(user.id),
                           required=must_have_factor(), form=ButtonForm(),
                           has_totp=any(factor.kind == FactorKind.TOTP for factor in factors))


def setup_totp():
    """Show a new secret (QR code and text); once the person types a code of it, it is theirs."""
    user = current_user._get_current_object()
    if has_factor(user.id) and not state.verified_recently():
        return redirect(url_for("factors.confirm", next=url_for("factors.setup_totp")))
    form = SetupForm()
    secret = session.get(NEW_SECRET)
    if request.method == "POST" and isinstance(secret, str) and form.validate():
        step = totp.matching_step(secret, form.code.data, now())
        if step is not None:
            return _totp_added(user, secret, step, (form.label.data or "").strip())
        form.code.errors.append(_("This code does not match. Check the time on your phone and type the newest code."))
    elif request.method == "POST" and not isinstance(secret, str):
        form.code.errors.append(_("The page expired: scan the new code below."))
    if not isinstance(secret, str):
        # Kept until it is set up: opening the page again (another tab, a reload) shows the same key.
        secret = session[NEW_SECRET] = totp.new_secret()
    uri = totp.provisioning_uri(secret, user.handle)
    return render_template("factors/setup_totp.html", form=form, qr=totp.qr_svg(uri), secret=totp.grouped(secret),
                           required=must_have_factor() and not has_factor(user.id)), (400 if form.errors else 200)


def _totp_added(user: User, secret: str, step: int, label: str):
    first = not has_factor(user.id)
    factor = operations.add_totp(user, secret, label)
    factor.last_step = step  # the code typed to set it up cannot sign anyone in
    codes = operations.new_recovery_codes(user) if first or recovery.remaining(user.id) == 0 else None
    session.pop(NEW_SECRET, None)
    state.mark_verified()
    db.session.commit()
    flash(_("Your authenticator app is set up."), "info")
    if codes:
        return render_template("factors/recovery_codes.html", codes=codes, next=safe_next(request.args.get("next")))
    return redirect(safe_next(request.args.get("next")) or url_for("factors.index"))


def remove(factor_id: int):
    user = current_user._get_current_object()
    if not ButtonForm().validate_on_submit():
        abort(400)
    factor = db.session.scalar(select(SecondFactor).where(SecondFactor.id == factor_id,
                                                          SecondFactor.user_id == user.id))
    if factor is None:
        abort(404)
    asked = recent_factor_redirect()  # removing a factor needs a recent one (after the 404: nothing to learn)
    if asked is not None:
        return asked
    if must_have_factor() and len(factors_of(user.id)) == 1:
        flash(_("Staff need a second factor: add another one before you remove this one."), "error")
        return redirect(url_for("factors.index"))
    operations.remove_factor(user, factor)
    db.session.commit()
    flash(_("The second factor is removed. Your other sessions are signed out."), "info")
    return redirect(url_for("factors.index"))


def new_codes():
    user = current_user._get_current_object()
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not has_factor(user.id):
        return redirect(url_for("factors.index"))
    codes = operations.new_recovery_codes(user)
    db.session.commit()
    return render_template("factors/recovery_codes.html", codes=codes, next=None)


# --- Resets by an operator (their staff) or a coordinator (their members) ---------------------------


def reset_staff(organisation_id: int, user_id: int):
    membership = db.session.scalar(
        select(StaffMembership).where(StaffMembership.organisation_id == organisation_id,
                                      StaffMembership.user_id == user_id).limit(1))
    return _reset(membership, organisation_id=organisation_id,
                  back=url_for("organisations.staff", organisation_id=organisation_id))


def reset_member(community_id: int, user_id: int):
    membership = db.session.scalar(
        select(CommunityMembership).where(CommunityMembership.tenant_id == community_id,
                                          CommunityMembership.user_id == user_id))
    return _reset(membership, community_id=community_id,
                  back=url_for("communities.members", community_id=community_id))


def _reset(membership, *, back: str, organisation_id: int | None = None, community_id: int | None = None):
    if membership is None or membership.user_id == current_user.id:
        abort(404)  # not their staff or member; one's own factors are changed on one's own page
    person = membership.user
    if belongs_elsewhere(person, organisation_id=organisation_id, community_id=community_id):
        # The next sign-in with their password would set up a factor for those places too.
        flash(_("%(name)s also belongs to another community or organisation: their second factors are reset by "
                "the platform's administrator.", name=person.name), "error")
        return redirect(back)
    form = ButtonForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        operations.reset_factors(person, by=current_user._get_current_object(), organisation_id=organisation_id,
                                 community_id=community_id)
        db.session.commit()
        flash(_("The second factors of %(name)s are reset; they set up a new one when they next sign in.",
                name=person.name), "info")
        return redirect(back)
    return render_template("factors/reset.html", person=person, form=form, back=back)
