"""The page of a community's erase (ask, confirm, cancel) and the certificate behind its link."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hromada import authz
from hromada.clock import as_utc
from hromada.extensions import db
from hromada.modules.communities.models import Community
from hromada.modules.erasure import operations
from hromada.modules.erasure.forms import AskForm, CancelForm, ConfirmForm
from hromada.modules.erasure.models import GRACE_DAYS


def _link(community_id: int) -> str:
    """Where a notification about the erase leads: the community's page, which each reader opens as they may."""
    return url_for("communities.overview", community_id=community_id)


def index(community_id: int, *, ask_form=None, confirm_form=None, token: str | None = None, status: int = 200):
    community = db.get_or_404(Community, community_id)
    principal = authz.principal()
    request = operations.open_request(community.id)
    return render_template(
        "erasure/index.html",
        community=community,
        request=request,
        grace_days=GRACE_DAYS,
        can_ask=request is None and operations.is_coordinator(principal, community.id),
        can_confirm=request is not None and operations.may_confirm(principal, request),
        can_cancel=request is not None and operations.may_cancel(principal, community.id),
        can_export=authz.can("export.download", community.id),
        ask_form=ask_form or AskForm(),
        confirm_form=confirm_form or ConfirmForm(),
        cancel_form=CancelForm(),
        certificate_link=url_for("erasure.certificate", token=token, _external=True) if token else None,
    ), status


def ask(community_id: int):
    form = AskForm()
    if not form.validate_on_submit():
        return index(community_id, ask_form=form, status=400)
    try:
        token = operations.ask(community_id, current_user, _link(community_id))
    except operations.EraseRefused as refused:
        flash(str(refused.message), "error")
        return redirect(url_for("erasure.index", community_id=community_id))
    db.session.commit()
    # The certificate's link is shown once, here, to the person who asked: only its hash is kept.
    return index(community_id, token=token)


def confirm(community_id: int):
    form = ConfirmForm()
    if not form.validate_on_submit():
        return index(community_id, confirm_form=form, status=400)
    try:
        operations.confirm(authz.principal(), community_id, current_user, _link(community_id))
    except operations.EraseRefused as refused:
        flash(str(refused.message), "error")
        return redirect(url_for("erasure.index", community_id=community_id))
    db.session.commit()
    flash(_("The erase is confirmed. It happens after %(days)d days of grace, unless someone cancels it.",
            days=GRACE_DAYS), "success")
    return redirect(url_for("erasure.index", community_id=community_id))


def cancel(community_id: int):
    if not CancelForm().validate_on_submit():
        abort(400)
    try:
        operations.cancel(authz.principal(), community_id, current_user, _link(community_id))
    except operations.EraseRefused as refused:
        flash(str(refused.message), "error")
        return redirect(url_for("erasure.index", community_id=community_id))
    db.session.commit()
    flash(_("The erase is cancelled. Nothing was deleted."), "success")
    return redirect(url_for("erasure.index", community_id=community_id))


def _certificate_or_404(token: str):
    if len(token) > 100:
        abort(404)
    certificate = operations.certificate_by_token(token)
    if certificate is None:
        abort(404)
    return certificate


def certificate(token: str):
    item = _certificate_or_404(token)
    response = Response(render_template("erasure/certificate.html", certificate=item,
                                        json_link=url_for("erasure.certificate_json", token=token)))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the link is the key to the certificate
    return response


def certificate_json(token: str):
    item = _certificate_or_404(token)
    if item.erased_at is None:
        abort(404)
    body = {
        "community": item.community_id,
        "erased_at": as_utc(item.erased_at).isoformat(),
        "deleted_rows": item.deleted_rows,
        "accounts_removed": item.accounts_removed,
        "key_destroyed": item.key_destroyed,
        "backups_expire_on": item.backups_expire_on.isoformat() if item.backups_expire_on else None,
    }
    return Response(json.dumps(body, indent=2, sort_keys=True), mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="erase-certificate-{item.community_id}.json"',
        "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
