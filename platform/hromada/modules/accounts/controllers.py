"""Sign-in, sign-out, invitations and the account page."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from hromada import tenancy
from hromada.extensions import db
from hromada.modules.accounts import devices, invitations
from hromada.modules.accounts.forms import (
    AccountForm,
    NewAccountForm,
    PasswordChangeForm,
    ReauthenticateForm,
    SignInForm,
)
from hromada.modules.accounts.models import MemberInvitation, StaffInvitation, User
from hromada.modules.accounts.passwords import hash_password, needs_rehash, store_hash, stored_hash, verify_password
from hromada.modules.accounts.sessions import (
    active_sessions,
    current_session_id,
    end_all_sessions,
    end_other_sessions,
    start_session,
)
from hromada.modules.accounts.sessions import end_session as end_this_session
from hromada.modules.audit.log import record
from hromada.navigation import safe_next


def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        login = form.login.data.strip().lower()
        user = db.session.scalar(select(User).where(or_(User.handle == login, User.email == login)))
        password_hash = stored_hash(user) if user else None
        password_ok = verify_password(password_hash or None, form.password.data)
        if user is not None and user.is_active and password_ok:
            if needs_rehash(password_hash):
                store_hash(user, hash_password(form.password.data))
            next_url = safe_next(request.args.get("next"))
            # The second factors module answers whether a second step follows (a person with a factor).
            second_step = current_app.extensions.get("hromada.second_factor_step")
            response = second_step(user, next_url) if second_step else None
            if response is None:
                start_session(user)
                record("sign_in", actor=user)
                response = redirect(next_url or url_for("home.index"))
            db.session.commit()
            devices.remember(response, login)
            return response
        # The log keeps who was tried, never what was typed.
        record("sign_in_failed", actor=user, commit=True)
        form.password.errors.append(_("The handle or password is not right."))
    return render_template("accounts/sign_in.html", form=form)


def sign_out():
    record("sign_out")
    end_this_session(current_user._get_current_object())
    db.session.commit()
    flash(_("You are signed out."), "info")
    return redirect(url_for("home.index"))


def accept_staff_invitation(token: str):
    invitation = invitations.open_invitation(StaffInvitation, token)
    return _accept(invitation, organisation_id=invitation.organisation_id if invitation else None)


def accept_member_invitation(community_id: int, token: str):
    # The invitation lives in its community's tenant; the id alone reveals nothing.
    tenancy.set_tenant(community_id)
    invitation = invitations.open_invitation(MemberInvitation, token)
    return _accept(invitation, community_id=community_id)


def _accept(invitation, organisation_id=None, community_id=None):
    if invitation is None:
        return render_template("accounts/invitation_invalid.html"), 404
    form = NewAccountForm()
    if request.method == "POST":
        if current_user.is_authenticated:
            user = current_user._get_current_object()
        elif form.validate():
            user = _create_user(form)
            if user is None:
                return render_template("accounts/accept_invitation.html", form=form, invitation=invitation)
        else:
            return render_template("accounts/accept_invitation.html", form=form, invitation=invitation)
        if not invitations.redeem(invitation, user):
            db.session.rollback()
            return render_template("accounts/invitation_invalid.html"), 404
        if not current_user.is_authenticated:
            start_session(user)
        # The new membership first: an entry about an organisation is appended by its staff (core0012).
        db.session.flush()
        record("invitation_accepted", actor=user, organisation_id=organisation_id, community_id=community_id,
               role=invitation.role.value)
        db.session.commit()
        flash(_("Welcome! You have joined."), "info")
        target = url_for("communities.overview", community_id=community_id) if community_id else url_for("home.index")
        return redirect(target)
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation)


def _create_user(form: NewAccountForm) -> User | None:
    handle = form.handle.data.strip().lower()
    email = (form.email.data or "").strip().lower() or None
    taken = db.session.scalar(
        select(func.count(User.id)).where(or_(User.handle == handle, User.email == email if email else False))
    )
    if taken:
        form.handle.errors.append(_("This handle or e-mail is already in use. Choose another, or sign in first."))
        return None
    user = User(handle=handle, email=email, password_hash=hash_password(form.password.data),
                language=session.get("language"))
    db.session.add(user)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        form.handle.errors.append(_("This handle or e-mail is already in use. Choose another, or sign in first."))
        return None
    return user


def account():
    user = current_user._get_current_object()
    form = AccountForm(obj=user)
    password_form = PasswordChangeForm(prefix="password")
    if form.validate_on_submit():
        user.display_name = (form.display_name.data or "").strip()
        user.language = form.language.data
        user.timezone = form.timezone.data or None
        session["language"] = user.language
        db.session.commit()
        flash(_("Your settings are saved."), "info")
        return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form, password_form=password_form)


def change_password():
    user = current_user._get_current_object()
    form = AccountForm(obj=user)
    password_form = PasswordChangeForm(prefix="password")
    if password_form.validate_on_submit():
        if not verify_password(stored_hash(user) or None, password_form.current_password.data):
            password_form.current_password.errors.append(_("The current password is not right."))
        else:
            store_hash(user, hash_password(password_form.password.data))
            end_all_sessions(user.id)
            record("password_changed", actor=user)
            start_session(user)
            db.session.commit()
            flash(_("Your password is changed. Other devices are signed out."), "info")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/account.html", form=form, password_form=password_form), 400


def confirmed_recently() -> bool:
    """Whether this session confirmed a second factor lately (the factors module answers; no module, no)."""
    check = current_app.extensions.get("hromada.recent_factor")
    return bool(check and check())


def sessions_page(form: ReauthenticateForm | None = None, refused: bool = False):
    user = current_user._get_current_object()
    return render_template("accounts/sessions.html", sessions=active_sessions(user.id),
                           current_id=current_session_id(user), form=form or ReauthenticateForm(),
                           ask_password=not confirmed_recently(), refused=refused)


def end_session(session_id: int):
    return _end_sessions(only_id=session_id)


def end_others():
    return _end_sessions(only_id=None)


def _end_sessions(only_id: int | None):
    """End one other session of the person's, or all of them; the one in use stays (signing out ends it).

    Asks again who it is first (ASVS 5.0 7.5.2): someone at a browser left signed in must not lock the
    person out of their other devices. A second factor confirmed in the last minutes counts.
    """
    user = current_user._get_current_object()
    form = ReauthenticateForm()
    if not form.validate_on_submit():
        abort(400)
    keep_id = current_session_id(user)
    if only_id is not None and (only_id == keep_id or only_id not in {row.id for row in active_sessions(user.id)}):
        abort(404)  # not one of the person's other sessions (or already ended)
    if not confirmed_recently() and not verify_password(stored_hash(user) or None, form.password.data or ""):
        record("sessions_end_refused", actor=user, commit=True)
        return sessions_page(ReauthenticateForm(formdata=None), refused=True), 400
    ended = end_other_sessions(user.id, keep_id=keep_id, only_id=only_id)
    if ended:
        record("sessions_ended", actor=user, count=ended)
        flash(ngettext("%(num)d session is ended.", "%(num)d sessions are ended.", ended), "info")
    db.session.commit()
    return redirect(url_for("accounts.sessions_page"))
