"""Pages of reset links: issuing one (an operator for their staff, a coordinator for their members), using one."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hromada.extensions import db
from hromada.modules.accounts.models import CommunityMembership, StaffMembership
from hromada.modules.accounts.passwords import stored_hash, verify_password
from hromada.modules.accounts.sessions import end_session
from hromada.modules.audit.log import record
from hromada.modules.factors import operations as factor_operations
from hromada.modules.factors import state
from hromada.modules.factors.queries import has_factor
from hromada.modules.factors.recent import return_path
from hromada.modules.recovery import deletion, operations
from hromada.modules.recovery.forms import DeleteAccountForm, IssueForm, NewPasswordForm


def issue_for_staff(organisation_id: int, user_id: int):
    membership = db.session.scalar(
        select(StaffMembership).where(StaffMembership.organisation_id == organisation_id,
                                      StaffMembership.user_id == user_id).limit(1))
    return _issue(membership, organisation_id=organisation_id,
                  back=url_for("organisations.staff", organisation_id=organisation_id))


def issue_for_member(community_id: int, user_id: int):
    membership = db.session.scalar(
        select(CommunityMembership).where(CommunityMembership.tenant_id == community_id,
                                          CommunityMembership.user_id == user_id))
    return _issue(membership, community_id=community_id, back=url_for("communities.members", community_id=community_id))


def _issue(membership, *, back: str, organisation_id: int | None = None, community_id: int | None = None):
    if membership is None or membership.user_id == current_user.id:
        abort(404)  # not their staff or member; one's own password is changed on one's own page
    person = membership.user
    form = IssueForm()
    refused = operations.refusal(person, organisation_id=organisation_id, community_id=community_id)
    if request.method == "POST" and refused is None:
        if not form.validate_on_submit():
            abort(400)
        issuer = current_user._get_current_object()
        if form.reset_factors.data:
            factor_operations.reset_factors(person, by=issuer, organisation_id=organisation_id,
                                            community_id=community_id)
        token = operations.issue(person, by=issuer, organisation_id=organisation_id, community_id=community_id)
        db.session.commit()
        link = url_for("recovery.reset", token=token, _external=True)
        return render_template("recovery/issued.html", person=person, link=link, back=back,
                               hours=int(operations.LIFETIME.total_seconds() // 3600))
    return render_template("recovery/issue.html", person=person, form=form, back=back, refused=refused), (
        409 if refused is not None and request.method == "POST" else 200)


def reset(token: str):
    """The person who holds a link sets a new password; then they sign in (with their second factor)."""
    link = operations.open_link(token)
    if link is None:
        return render_template("recovery/invalid.html"), 404
    person = link.user
    form = NewPasswordForm()
    form.handle = _Handle(person.handle)  # the zxcvbn check knows the person's handle
    if form.validate_on_submit():
        if not operations.use(link, form.password.data):
            db.session.rollback()
            return render_template("recovery/invalid.html"), 404
        is_staff = db.session.scalar(select(StaffMembership.id).where(StaffMembership.user_id == person.id).limit(1))
        db.session.commit()
        flash(_("Your new password is set, and you were signed out everywhere. Sign in with it now."), "info")
        # Staff cannot go on without a second factor: after signing in they set one up (or confirm theirs).
        target = url_for("factors.index") if is_staff else None
        return redirect(url_for("accounts.sign_in", next=target))
    response = make_response(render_template("recovery/reset.html", form=form, person=person),
                             400 if request.method == "POST" else 200)
    response.headers["Cache-Control"] = "no-store"  # a page of a secret link stays in no cache
    return response


class _Handle:
    def __init__(self, data: str) -> None:
        self.data = data


def delete_account():
    """The person deletes their own account: their password, and a recent second factor if they have one."""
    user = current_user._get_current_object()
    if has_factor(user.id) and not state.verified_recently():
        return redirect(url_for("factors.confirm", next=return_path()))
    refusals = deletion.refusals(user)
    form = DeleteAccountForm()
    if request.method == "POST" and not refusals and form.validate_on_submit():
        if verify_password(stored_hash(user) or None, form.password.data):
            deletion.delete_account(user)
            # Who it was is the entry's only link to the account, now a tombstone: nothing personal.
            record("account_deleted", actor=user)
            end_session(user)
            db.session.commit()
            flash(_("Your account is deleted. What you wrote in your communities stays, signed "
                    "“a former member”."), "info")
            return redirect(url_for("home.index"))
        record("account_deletion_refused", actor=user, commit=True)
        form.password.errors.append(_("The password is not right."))
    status = 200 if request.method == "GET" else (409 if refusals else 400)
    return render_template("recovery/delete_account.html", form=form, refusals=refusals), status
